import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';
import { canRedirect, proxyFile, type DownloadIdleTimeouts } from '../downloads/download.js';
import type { HostContext } from '../host-context.js';
import { decodeUrlPath } from '../fs/paths.js';
import { isWithinBasePath, MESSAGES } from '../auth/access.js';

/** GET/HEAD /d/<path> (redirect when the driver allows) and /p/<path> (always through this server). */
export function registerDownloadRoutes(app: FastifyInstance, ctx: HostContext, idle: DownloadIdleTimeouts = {}): void {
  const handle = (route: 'd' | 'p') => async (request: FastifyRequest, reply: FastifyReply) => {
    const rawPath = request.url.slice(route.length + 1);
    const path = decodeUrlPath(rawPath);
    const sign = (request.query as Record<string, unknown>).sign;
    if (typeof sign === 'string' && sign !== '') {
      if (!ctx.signer.verify(path, sign)) throw new ApiError(401, 'The download link\'s sign is invalid or expired');
    } else {
      // No sign: the token's user (or the guest user), who may fetch only what lies below their base path.
      // (A sign, as AList's, covers the full path alone: the links of a listing work without a token.)
      const user = ctx.access.user(request);
      if (!isWithinBasePath(user, path)) throw new ApiError(403, MESSAGES.permissionDenied);
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
