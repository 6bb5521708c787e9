import type { FastifyRequest } from 'fastify';
import { ApiError } from '../routes/api-error.js';
import { normalizePath } from '../fs/paths.js';
import type { SessionStore } from './sessions.js';
import { hasPermission, Role, type PermissionName, type User } from './user-model.js';
import type { UserStore } from './users.js';

export { hasPermission, PERMISSION_BITS, Role, type PermissionName, type User } from './user-model.js';

/** AList's messages (server/middlewares/auth.go, internal/errs), so that its frontends and scripts recognise them. */
export const MESSAGES = {
  guestDisabled: 'Guest user is disabled, login please',
  userDisabled: 'Current user is disabled, replace please',
  notAdmin: 'You are not an admin',
  guest: 'You are a guest',
  permissionDenied: 'permission denied',
  relativePath: 'access using relative path is not allowed',
} as const;

/**
 * Who is asking, and what they may do. Routes call `user(request)` (the logged-in user, else the guest user
 * when it is enabled, else 401), `admin(request)`, and `require(user, permission)` before acting; request paths go
 * through `joinBasePath(user, path)`.
 */
export class Access {
  constructor(
    private readonly sessions: SessionStore,
    private readonly users: UserStore,
    /** Whether a token is the `token` setting (constant-time). */
    private readonly isStaticToken: (token: string) => boolean,
  ) {}

  /** The token of the Authorization header (raw as AList sends it, or "Bearer x"). */
  tokenOf(request: FastifyRequest): string | undefined {
    const header = request.headers.authorization;
    if (!header) return undefined;
    const token = header.replace(/^Bearer\s+/i, '').trim();
    return token || undefined;
  }

  /**
   * AList's Auth middleware: the token's user (not disabled), the admin for the `token` setting (a static admin
   * token), or the guest user for no token; else 401.
   */
  async user(request: FastifyRequest): Promise<User> {
    const token = this.tokenOf(request);
    if (token === undefined) {
      const guest = await this.users.guest();
      if (!guest || guest.disabled) throw new ApiError(401, MESSAGES.guestDisabled);
      return guest;
    }
    const userId = await this.sessions.userIdFor(token);
    const user = userId === undefined ? (this.isStaticToken(token) ? await this.users.byRole(Role.ADMIN) : undefined) : await this.users.byId(userId);
    if (!user) throw new ApiError(401, 'The token is invalid or expired; log in again');
    if (user.disabled) throw new ApiError(401, MESSAGES.userDisabled);
    return user;
  }

  /** A user who logged in (never the guest user); else 401, or 403 for the guest. */
  async loggedIn(request: FastifyRequest): Promise<User> {
    const user = await this.user(request);
    this.notGuest(user);
    return user;
  }

  /** AList's AuthAdmin: an admin, else 403 (401 when nobody valid is asking). */
  async admin(request: FastifyRequest): Promise<User> {
    const user = await this.user(request);
    if (user.role !== Role.ADMIN) throw new ApiError(403, MESSAGES.notAdmin, { hint: 'Log in as an admin.' });
    return user;
  }

  /** AList's AuthNotGuest. */
  notGuest(user: User): void {
    if (user.role === Role.GUEST) throw new ApiError(403, MESSAGES.guest, { hint: 'Log in first.' });
  }

  /** AList's `if !user.CanX() { 403 "permission denied" }`. */
  require(user: User, permission: PermissionName): void {
    if (!hasPermission(user, permission)) throw new ApiError(403, MESSAGES.permissionDenied, { errorCode: 'PERMISSION_DENIED' });
  }
}

function hasRelativeSegment(path: string): boolean {
  return path.split(/[\\/]/).includes('..');
}

/**
 * AList's `user.JoinPath`: the full path of `reqPath` (as the user sees it, below their base path). A ".."
 * segment is refused with AList's 403; other bad paths with 400 (BadPathError).
 */
export function joinBasePath(user: Pick<User, 'base_path'>, reqPath: unknown): string {
  if (typeof reqPath === 'string' && hasRelativeSegment(reqPath)) throw new ApiError(403, MESSAGES.relativePath, { errorCode: 'BAD_PATH' });
  const rest = normalizePath(typeof reqPath === 'string' && !reqPath.startsWith('/') ? `/${reqPath}` : reqPath);
  const base = normalizePath(user.base_path);
  if (base === '/') return rest;
  return rest === '/' ? base : `${base}${rest}`;
}

/** Whether a full path is the user's base path or below it. */
export function isWithinBasePath(user: Pick<User, 'base_path'>, fullPath: string): boolean {
  const base = normalizePath(user.base_path);
  return base === '/' || fullPath === base || fullPath.startsWith(`${base}/`);
}

/** The reverse of joinBasePath: a full path as the user sees it; undefined when it lies outside their base path. */
export function pathForUser(user: Pick<User, 'base_path'>, fullPath: string): string | undefined {
  if (!isWithinBasePath(user, fullPath)) return undefined;
  const base = normalizePath(user.base_path);
  return base === '/' ? fullPath : fullPath.slice(base.length) || '/';
}
