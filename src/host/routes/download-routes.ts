import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';
import { canRedirect, proxyFile, type DownloadIdleTimeouts } from '../downloads/download.js';
import type { HostContext } from '../host-context.js';
import { decodeUrlPath } from '../fs/paths.js';

/** GET/HEAD /d/<path> (redirect when the driver allows) and /p/<path> (always through this server). */
export function registerDownloadRoutes(app: FastifyInstance, ctx: HostContext, idle: DownloadIdleTimeouts = {}): void {
  const handle = (route: 'd' | 'p') => async (request: FastifyRequest, reply: FastifyReply) => {
    const rawPath = request.url.slice(route.length + 1);
    const path = decodeUrlPath(rawPath);
    const sign = (request.query as Record<string, unknown>).sign;
    if (typeof sign === 'string' && sign !== '') {
      const problem = ctx.signer.problem(path, sign);
      if (problem) throw new ApiError(401, `The download link's sign is refused: ${problem}`);
    } else {
      // As AList's middlewares/down.go: a sign is needed with sign_all on, or where a meta password applies. Without
      // one, a user who logged in (Authorization header) may still read what needs no password; the guest may not.
      const needsSign = ctx.settings.bool('sign_all') || ctx.metas.passwordApplies(path);
      const user = needsSign ? ctx.access.userOf(request) : ctx.access.reader(request);
      if (!user || !ctx.metas.mayReadWithoutPassword(user, path)) throw new ApiError(401, 'This link needs a valid sign: take it from the folder listing');
    }
    const target = await ctx.fs.file(path);
    if (route === 'd') {
      const { link } = await ctx.fs.link(target);
      if (canRedirect(target, link)) {
        ctx.sizes.probe(target.live, [target.obj]); // a redirected download never shows this server the size
        return reply.header('cache-control', 'no-store').redirect(link.url, 302);
      }
    }
    await proxyFile(ctx.fs, target, request, reply, route === 'd' ? 'attachment' : 'inline', idle);
    return reply;
  };
  for (const route of ['d', 'p'] as const) {
    app.route({ method: ['GET', 'HEAD'], url: `/${route}/*`, exposeHeadRoute: false, handler: handle(route) });
  }
}
