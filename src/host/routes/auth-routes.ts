import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, ok } from './api-error.js';
import type { HostContext } from '../host-context.js';
import { HashSlotsBusyError } from '../auth/hash-slots.js';
import { limitedLogin } from '../auth/limited-login.js';
import { DuplicateUsernameError, MAX_USERNAME_LENGTH, type User } from '../auth/users.js';
import { MESSAGES } from '../auth/access.js';
import { userAnswer } from '../auth/user-model.js';
import { isStaticHash } from '../auth/static-hash.js';
import { bodyObject, optionalString } from './request-fields.js';
import { passwordField, usernameField } from './user-fields.js';

/** The server is hashing as many passwords as it may: the client should simply try again. */
function busyAsApiError(err: unknown): unknown {
  return err instanceof HashSlotsBusyError ? new ApiError(429, err.message, { errorCode: 'TOO_MANY_LOGINS' }) : err;
}

export function registerAuthRoutes(app: FastifyInstance, ctx: HostContext): void {
  /** Both logins go through the same limiter: a hash is as good as the password it stands for. */
  const login = async (request: FastifyRequest, check: (username: string, secret: string) => Promise<User | undefined>) => {
    const body = bodyObject(request);
    const username = optionalString(body, 'username') ?? '';
    const secret = optionalString(body, 'password') ?? '';
    // No user can have such a name: answer at once, neither hashing nor remembering it (it could be huge).
    if (username.length > MAX_USERNAME_LENGTH) throw new ApiError(400, 'Wrong username or password');
    const outcome = await limitedLogin(ctx.loginLimiter, request.ip, username,
      async () => (username && secret ? check(username, secret) : undefined)).catch((err: unknown) => {
      throw busyAsApiError(err);
    });
    if (outcome.limited) {
      throw new ApiError(429, `Too many failed logins; try again in ${outcome.retryAfterSec} s`, { errorCode: 'TOO_MANY_LOGINS' });
    }
    const { user } = outcome;
    if (!user) throw new ApiError(400, 'Wrong username or password');
    if (user.disabled) throw new ApiError(401, MESSAGES.userDisabled);
    return ok({ token: await ctx.sessions.issue(user.id) });
  };
  app.post('/api/auth/login', (request) => login(request, (username, password) => ctx.users.authenticate(username, password)));
  // AList's LoginHash: `password` is sha256(password + "-https://github.com/alist-org/alist") in hex. A value of
  // another shape still counts as a failed attempt, without being hashed.
  app.post('/api/auth/login/hash', (request) =>
    login(request, async (username, hash) => (isStaticHash(hash) ? ctx.users.authenticateStaticHash(username, hash) : undefined)),
  );

  // AList's route is GET; POST is accepted too, as a logout is not a safe read.
  const logout = async (request: FastifyRequest) => {
    const token = ctx.access.tokenOf(request);
    if (!token || !(await ctx.sessions.revoke(token))) throw new ApiError(401, token ? 'The token is invalid or expired' : 'Not logged in');
    return ok();
  };
  app.get('/api/auth/logout', logout);
  app.post('/api/auth/logout', logout);

  // AList's CurrentUser: the token's user, or the guest user without a token (401 while the guest is disabled).
  app.get('/api/me', async (request) => ok(userAnswer(await ctx.access.user(request))));

  // AList's UpdateCurrent: `{username, password}`; an empty password keeps the current one.
  app.post('/api/me/update', async (request) => {
    const user = await ctx.access.loggedIn(request);
    const body = bodyObject(request);
    const username = usernameField(body);
    const password = passwordField(body);
    try {
      await ctx.users.update(user.id, { username, password });
    } catch (err) {
      if (err instanceof DuplicateUsernameError) throw new ApiError(400, err.message);
      throw busyAsApiError(err);
    }
    if (password !== undefined) await ctx.sessions.revokeOthers(user.id, ctx.access.tokenOf(request)!);
    return ok();
  });

  // AList's TOTP routes: this server has no 2FA (every user's `otp` is false).
  for (const route of ['/api/auth/2fa/generate', '/api/auth/2fa/verify']) {
    app.post(route, async (request) => {
      await ctx.access.loggedIn(request);
      throw new ApiError(400, 'Two-factor authentication (2FA) is not supported by this server', { errorCode: 'NOT_SUPPORTED' });
    });
  }
}
