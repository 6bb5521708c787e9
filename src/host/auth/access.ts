import type { FastifyRequest } from 'fastify';
import { ApiError } from '../routes/api-error.js';
import type { SessionStore } from './sessions.js';
import type { SettingsStore } from '../state/settings-store.js';
import type { User, UserStore } from './users.js';

export const GUEST: User = { id: 0, username: 'guest', role: 'guest' };

/** Who is asking: the logged-in user of the Authorization header (raw token as AList, or "Bearer x"). */
export class Access {
  constructor(
    private readonly sessions: SessionStore,
    private readonly users: UserStore,
    private readonly settings: SettingsStore,
  ) {}

  tokenOf(request: FastifyRequest): string | undefined {
    const header = request.headers.authorization;
    if (!header) return undefined;
    const token = header.replace(/^Bearer\s+/i, '').trim();
    return token || undefined;
  }

  /** The user of a login token; the `token` setting acts as the admin (AList's middlewares/auth.go). */
  userOf(request: FastifyRequest): User | undefined {
    const token = this.tokenOf(request);
    if (token !== undefined && this.settings.isToken(token)) return this.users.firstAdmin();
    const userId = token ? this.sessions.userIdFor(token) : undefined;
    return userId === undefined ? undefined : this.users.byId(userId);
  }

  guestEnabled(): boolean {
    return this.settings.get().guest_enabled;
  }

  /** A user, or the guest when guests may browse; else 401. A sent but unknown token is always 401. */
  reader(request: FastifyRequest): User {
    const user = this.userOf(request);
    if (user) return user;
    if (this.tokenOf(request) === undefined && this.guestEnabled()) return GUEST;
    throw new ApiError(401, this.tokenOf(request) ? 'The token is invalid or expired; log in again' : 'Log in first (guest access is disabled)');
  }

  /** A logged-in user (never the guest); else 401. */
  loggedIn(request: FastifyRequest): User {
    const user = this.userOf(request);
    if (!user) throw new ApiError(401, this.tokenOf(request) ? 'The token is invalid or expired; log in again' : 'Log in first');
    return user;
  }

  admin(request: FastifyRequest): User {
    // As in AList: the guest (no token while guests may browse) is someone known and not allowed, hence 403.
    const user = this.userOf(request) ?? (this.tokenOf(request) === undefined && this.guestEnabled() ? GUEST : undefined);
    if (!user) throw new ApiError(401, this.tokenOf(request) ? 'The token is invalid or expired; log in again' : 'Log in as an admin first');
    if (user.role !== 'admin') throw new ApiError(403, 'Only an admin may do this', { hint: 'Log in as an admin.' });
    return user;
  }
}
