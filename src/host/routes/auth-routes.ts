import type { FastifyInstance } from 'fastify';
import { ApiError, ok } from './api-error.js';
import type { HostContext } from '../host-context.js';
import { bodyObject, optionalString } from './request-fields.js';

export function registerAuthRoutes(app: FastifyInstance, ctx: HostContext): void {
  app.post('/api/auth/login', async (request) => {
    const retryAfter = ctx.loginLimiter.retryAfterSec(request.ip);
    if (retryAfter > 0) throw new ApiError(429, `Too many failed logins; try again in ${retryAfter} s`);
    const body = bodyObject(request);
    const username = optionalString(body, 'username') ?? '';
    const password = optionalString(body, 'password') ?? '';
    const user = username && password ? await ctx.users.authenticate(username, password) : undefined;
    if (!user) {
      ctx.loginLimiter.recordFailure(request.ip);
      throw new ApiError(400, 'Wrong username or password');
    }
    ctx.loginLimiter.recordSuccess(request.ip);
    return ok({ token: ctx.sessions.issue(user.id) });
  });

  app.get('/api/me', async (request) => {
    const user = ctx.access.reader(request);
    return ok({ id: user.id, username: user.username, role: user.role, base_path: '/', disabled: false, permission: user.role === 'admin' ? 0xffff : 0 });
  });
}
