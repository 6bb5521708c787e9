import type { FastifyInstance } from 'fastify';
import type { HostContext } from '../host-context.js';
import { joinBasePath } from '../auth/access.js';
import { ApiError, ok } from './api-error.js';
import { bodyObject } from './request-fields.js';

/**
 * Routes of features this host does not have, answered as AList/OpenList answer them when the feature is off,
 * so that their clients (OpenList's frontend) show that instead of a broken page:
 * - fs/search: AList's SearchIndex middleware with the search index "none" (this host has no index);
 * - fs/other: no driver here implements AList's Other (e.g. AliyunDrive's video_preview);
 * - me/sshkey/list and admin/user/sshkey/list (OpenList's profile and user edit pages): no SSH keys, as the host
 *   has no SFTP server; paged as OpenList's ListPublicKeys answers.
 */
export function registerUnsupportedRoutes(app: FastifyInstance, ctx: HostContext): void {
  const noKeys = { content: [], total: 0 };
  app.get('/api/me/sshkey/list', async (request) => {
    await ctx.access.loggedIn(request);
    return ok(noKeys);
  });
  app.get('/api/admin/user/sshkey/list', async (request) => {
    await ctx.access.admin(request);
    const uid = (request.query as Record<string, unknown> | undefined)?.uid;
    if (typeof uid !== 'string' || !/^\d+$/.test(uid)) throw new ApiError(400, 'uid format invalid');
    if (!(await ctx.users.byId(Number(uid)))) throw new ApiError(404, 'user invalid');
    return ok(noKeys);
  });
  const methods = ['GET', 'POST'] as const; // AList registers both with g.Any
  app.route({
    method: [...methods],
    url: '/api/fs/search',
    handler: async (request) => {
      await ctx.access.user(request);
      throw new ApiError(500, 'search not available');
    },
  });
  app.route({
    method: [...methods],
    url: '/api/fs/other',
    handler: async (request) => {
      const user = await ctx.access.user(request);
      const body = bodyObject(request);
      if (typeof body.path !== 'string' || body.path === '') throw new ApiError(400, '"path" must be a path');
      const path = joinBasePath(user, body.path);
      ctx.metas.open(user, path, typeof body.password === 'string' ? body.password : '');
      const resolved = ctx.fs.resolve(path);
      if (resolved.kind === 'storage') await ctx.fs.walk(resolved.live, resolved.rest, resolved.path); // a missing path: 404
      throw new ApiError(500, 'not implement');
    },
  });
}
