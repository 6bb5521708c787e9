import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, ok } from './api-error.js';
import type { HostContext } from '../host-context.js';
import { HashSlotsBusyError } from '../auth/hash-slots.js';
import { DuplicateUsernameError, MAX_USERNAME_LENGTH, passwordProblem, type User } from '../auth/users.js';
import { isStaticHash } from '../auth/static-hash.js';
import { bodyObject, optionalString, requiredString } from './request-fields.js';

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
    const decision = ctx.loginLimiter.begin(request.ip, username);
    if (!decision.allowed) {
      throw new ApiError(429, `Too many failed logins; try again in ${decision.retryAfterSec} s`, { errorCode: 'TOO_MANY_LOGINS' });
    }
    let user;
    try {
      user = username && secret ? await check(username, secret) : undefined;
    } catch (err) {
      decision.attempt.cancelled();
      throw busyAsApiError(err);
    }
    if (!user) throw new ApiError(400, 'Wrong username or password');
    decision.attempt.succeeded();
    return ok({ token: ctx.sessions.issue(user.id) });
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
    if (!token || !ctx.sessions.revoke(token)) throw new ApiError(401, token ? 'The token is invalid or expired' : 'Not logged in');
    return ok();
  };
  app.get('/api/auth/logout', logout);
  app.post('/api/auth/logout', logout);

  app.get('/api/me', async (request) => {
    const user = ctx.access.reader(request);
    return ok({ id: user.id, username: user.username, role: user.role, base_path: '/', disabled: false, permission: user.role === 'admin' ? 0xffff : 0 });
  });

  // AList's UpdateCurrent: `{username, password}`; an empty password keeps the current one.
  app.post('/api/me/update', async (request) => {
    const user = ctx.access.loggedIn(request);
    const body = bodyObject(request);
    const username = requiredString(body, 'username');
    if (username.length > MAX_USERNAME_LENGTH || /[\u0000-\u001f\u007f]/.test(username)) {
      throw new ApiError(400, `"username" must be at most ${MAX_USERNAME_LENGTH} characters, without control characters`);
    }
    const password = optionalString(body, 'password') || undefined;
    const problem = password === undefined ? undefined : passwordProblem(password);
    if (problem) throw new ApiError(400, problem);
    try {
      await ctx.users.update(user.id, { username, password });
    } catch (err) {
      if (err instanceof DuplicateUsernameError) throw new ApiError(400, err.message);
      throw busyAsApiError(err);
    }
    if (password !== undefined) ctx.sessions.revokeOthers(user.id, ctx.access.tokenOf(request)!);
    return ok();
  });
}
