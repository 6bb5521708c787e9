import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';
import { proxyFile, type DownloadIdleTimeouts } from '../downloads/download.js';
import { downloadPolicy, downProxyLocation, type DownloadPolicy } from '../downloads/download-policy.js';
import type { HostContext } from '../host-context.js';
import type { FileTarget } from '../fs/fs-service.js';
import { decodeUrlPath } from '../fs/paths.js';
import { downProxyBase, needsSign } from '../storages/storage-options.js';
import { isWithinBasePath, MESSAGES } from '../auth/access.js';

function redirect(reply: FastifyReply, location: string): FastifyReply {
  return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(location, 302);
}

/**
 * GET/HEAD /d/<path> and /p/<path>, by AList's rules (see downloadPolicy): /d/ redirects to the storage's link unless
 * the download must be proxied, /p/ always proxies; either goes to the storage's down_proxy_url instead of proxying
 * when one is set (a /p/ request carrying `d`, as a down proxy sends it, is served here). `?type=thumb` serves the
 * driver's thumbnail of the file.
 */
export function registerDownloadRoutes(app: FastifyInstance, ctx: HostContext, idle: DownloadIdleTimeouts = {}): void {
  /** Who may download: a valid sign, or (unless the storage needs a sign) a user who may read. */
  const authorize = async (request: FastifyRequest, path: string): Promise<void> => {
    const sign = (request.query as Record<string, unknown>).sign;
    if (typeof sign === 'string' && sign !== '') {
      const problem = ctx.signer.problem(path, sign);
      if (problem) throw new ApiError(401, `The download link's sign is refused: ${problem}`);
      return;
    }
    let resolved;
    try {
      resolved = ctx.fs.resolve(path);
    } catch {
      resolved = undefined; // not found: the reader check below answers first, so nobody learns what exists
    }
    if (resolved?.kind === 'storage' && needsSign(resolved.live)) {
      throw new ApiError(401, 'This storage\'s downloads need a sign', { hint: 'Use the link (with ?sign=) that fs/list or fs/get gives for the file.' });
    }
    // As AList's middlewares/down.go: a sign is needed with sign_all on, or where a meta password applies. Without
    // one, a user who logged in (Authorization header) may still read what needs no password; the guest may not.
    // (A sign, as AList's, covers the full path alone: the links of a listing work without a token.)
    const signNeeded = ctx.settings.bool('sign_all') || ctx.metas.passwordApplies(path);
    const user = signNeeded && ctx.access.tokenOf(request) === undefined ? undefined : await ctx.access.user(request);
    if (!user || !ctx.metas.mayReadWithoutPassword(user, path)) throw new ApiError(401, 'This link needs a valid sign: take it from the folder listing');
    // Without a sign, a user fetches only what lies below their base path.
    if (!isWithinBasePath(user, path)) throw new ApiError(403, MESSAGES.permissionDenied);
  };

  /** /d/'s answer when it does not proxy here: a redirect to the link or to the down proxy. */
  const directLocation = async (target: FileTarget): Promise<string | undefined> => {
    let policy: DownloadPolicy = downloadPolicy(target.live, 'web');
    if (policy.action === 'redirect') {
      const { link } = await ctx.fs.link(target);
      policy = downloadPolicy(target.live, 'web', link);
      if (policy.action === 'redirect') {
        if (!target.variant) ctx.sizes.probe(target.live, [target.obj]); // a redirected download never shows this server the size
        return link.url;
      }
    }
    // A down proxy knows nothing of thumbnails: those are proxied here.
    if (policy.action === 'down_proxy' && !target.variant) return downProxyLocation(policy.base, target.path, ctx.signer.sign(target.path));
    return undefined;
  };

  const handle = (route: 'd' | 'p') => async (request: FastifyRequest, reply: FastifyReply) => {
    const path = decodeUrlPath(request.url.slice(route.length + 1));
    await authorize(request, path);
    const query = request.query as Record<string, unknown>;
    const target: FileTarget = await ctx.fs.file(path);
    if (query.type === 'thumb') target.variant = 'thumbnail';
    if (route === 'd') {
      const location = await directLocation(target);
      if (location) return redirect(reply, location);
    } else {
      const base = downProxyBase(target.live.row);
      if (base && query.d === undefined && !target.variant) return redirect(reply, downProxyLocation(base, path, ctx.signer.sign(path)));
    }
    const disposition = route === 'd' ? 'attachment' : 'inline';
    if (await ctx.accelRedirect?.answer(ctx, target, request, reply, disposition)) return reply;
    await proxyFile(ctx.fs, target, request, reply, disposition, idle);
    return reply;
  };
  for (const route of ['d', 'p'] as const) {
    app.route({ method: ['GET', 'HEAD'], url: `/${route}/*`, exposeHeadRoute: false, handler: handle(route) });
  }
}
