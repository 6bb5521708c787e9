import type { FastifyInstance } from 'fastify';
import type { HostContext } from '../host-context.js';
import { normalizePath } from '../fs/paths.js';
import { ApiError, ok } from './api-error.js';
import { bodyObject } from './request-fields.js';

/**
 * Routes of features this host does not have, answered as AList/OpenList answer them when the feature is off,
 * so that their clients (OpenList's frontend) show that instead of a broken page:
 * - fs/search: AList's SearchIndex middleware with the search index "none" (this host has no index);
 * - fs/other: no driver here implements AList's Other (e.g. AliyunDrive's video_preview);
 * - me/sshkey/list (OpenList's profile page): no SSH keys, as the host has no SFTP server.
 */
export function registerUnsupportedRoutes(app: FastifyInstance, ctx: HostContext): void {
  app.get('/api/me/sshkey/list', async (request) => {
    ctx.access.loggedIn(request);
    return ok([]);
  });
  const methods = ['GET', 'POST'] as const; // AList registers both with g.Any
  app.route({
    method: [...methods],
    url: '/api/fs/search',
    handler: async (request) => {
      ctx.access.reader(request);
      throw new ApiError(500, 'search not available');
    },
  });
  app.route({
    method: [...methods],
    url: '/api/fs/other',
    handler: async (request) => {
      ctx.access.reader(request);
      const raw = bodyObject(request).path;
      if (typeof raw !== 'string' || raw === '') throw new ApiError(400, '"path" must be a path');
      const resolved = ctx.fs.resolve(normalizePath(raw.startsWith('/') ? raw : `/${raw}`));
      if (resolved.kind === 'storage') await ctx.fs.walk(resolved.live, resolved.rest, resolved.path); // a missing path: 404
      throw new ApiError(500, 'not implement');
    },
  });
}
