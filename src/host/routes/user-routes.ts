import type { FastifyInstance } from 'fastify';
import { ApiError, ok } from './api-error.js';
import type { HostContext } from '../host-context.js';
import { HashSlotsBusyError } from '../auth/hash-slots.js';
import { Role, userAnswer, type User } from '../auth/user-model.js';
import { DuplicateUsernameError, type UserChanges } from '../auth/users.js';
import { bodyObject, optionalInteger } from './request-fields.js';
import { basePathField, disabledField, passwordField, permissionField, queryOf, roleField, userIdOf, usernameField } from './user-fields.js';

/** Store failures as API answers: a taken name is the client's mistake, a busy hasher asks to retry. */
function asApiError(err: unknown): unknown {
  if (err instanceof DuplicateUsernameError) return new ApiError(400, err.message);
  if (err instanceof HashSlotsBusyError) return new ApiError(429, err.message, { errorCode: 'TOO_MANY_LOGINS' });
  return err;
}

/**
 * AList's user admin routes (server/handles/user.go), admin only: list, get, create, update, delete, cancel_2fa,
 * del_cache. Answers never carry a password (AList sends it empty). A changed password, a disabled or a deleted user
 * ends that user's sessions.
 */
export function registerUserRoutes(app: FastifyInstance, ctx: HostContext): void {
  const userOr404 = async (id: number): Promise<User> => {
    const user = await ctx.users.byId(id);
    if (!user) throw new ApiError(404, 'user not found');
    return user;
  };

  app.get('/api/admin/user/list', async (request) => {
    await ctx.access.admin(request);
    const query = queryOf(request);
    const page = Math.max(1, optionalInteger(query, 'page') ?? 1);
    const perPage = Math.max(0, optionalInteger(query, 'per_page') ?? 0);
    const { content, total } = await ctx.users.list(page, perPage);
    return ok({ content: content.map(userAnswer), total });
  });

  app.get('/api/admin/user/get', async (request) => {
    await ctx.access.admin(request);
    return ok(userAnswer(await userOr404(userIdOf(queryOf(request).id))));
  });

  app.post('/api/admin/user/create', async (request) => {
    await ctx.access.admin(request);
    const body = bodyObject(request);
    const role = roleField(body) ?? Role.GENERAL;
    if (role !== Role.GENERAL) throw new ApiError(400, 'admin or guest user can not be created');
    const username = usernameField(body);
    const password = passwordField(body);
    if (password === undefined) throw new ApiError(400, '"password" is required');
    try {
      await ctx.users.create({
        username, password, role, base_path: basePathField(body) ?? '/', permission: permissionField(body) ?? 0, disabled: disabledField(body) ?? false,
      });
    } catch (err) {
      throw asApiError(err);
    }
    return ok();
  });

  // AList replaces the whole user; here a field left out keeps its value, so a script may send only what changes.
  app.post('/api/admin/user/update', async (request) => {
    await ctx.access.admin(request);
    const body = bodyObject(request);
    const user = await userOr404(userIdOf(body.id));
    const role = roleField(body);
    if (role !== undefined && role !== user.role) throw new ApiError(400, 'role can not be changed');
    const changes: UserChanges = {
      username: body.username === undefined ? undefined : usernameField(body),
      password: passwordField(body), base_path: basePathField(body), permission: permissionField(body), disabled: disabledField(body),
    };
    if (changes.disabled && user.role === Role.ADMIN) throw new ApiError(400, 'admin user can not be disabled');
    try {
      await ctx.users.update(user.id, changes);
    } catch (err) {
      throw asApiError(err);
    }
    if (changes.password !== undefined || (changes.disabled && !user.disabled)) await ctx.sessions.revokeAll(user.id);
    return ok();
  });

  app.post('/api/admin/user/delete', async (request) => {
    await ctx.access.admin(request);
    const user = await userOr404(userIdOf(queryOf(request).id));
    if (user.role === Role.ADMIN || user.role === Role.GUEST) throw new ApiError(400, 'cannot delete admin or guest');
    await ctx.sessions.revokeAll(user.id);
    await ctx.users.delete(user.id);
    return ok();
  });

  // No user has 2FA here (otp is always false): cancelling it has nothing to do, for a user that exists.
  app.post('/api/admin/user/cancel_2fa', async (request) => {
    await ctx.access.admin(request);
    await userOr404(userIdOf(queryOf(request).id));
    return ok();
  });

  // Users are read from the database on every request: there is no cache to drop.
  app.post('/api/admin/user/del_cache', async (request) => {
    await ctx.access.admin(request);
    return ok();
  });
}
