import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { MESSAGES } from '../auth/access.js';
import { HashSlotsBusyError } from '../auth/hash-slots.js';
import { limitedLogin } from '../auth/limited-login.js';
import { isDriverError } from '../../types/errors.js';
import { MAX_USERNAME_LENGTH, type User } from '../auth/users.js';
import type { HostContext } from '../host-context.js';
import { DavError } from './dav-errors.js';

export const DAV_REALM = 'gphotos-alist';
/** A checked Basic credential is trusted this long: clients send it with every request, and each check costs ~1 s of scrypt. */
const CREDENTIAL_TTL_MS = 60_000;
const MAX_CACHED_CREDENTIALS = 1000;

export function unauthorized(message: string): DavError {
  return new DavError(401, message);
}

function basicCredentials(header: string): { username: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * WebDAV's users: HTTP Basic against the users store, through the login limiter (so /dav cannot be used to guess
 * passwords faster than the login page), or the guest when no credentials are sent and guest access is on.
 * Successful checks are remembered for a minute, keyed by a SHA-256 of user and password, never the password itself.
 */
export class DavAuth {
  private readonly checked = new Map<string, { userId: number; until: number }>();

  constructor(private readonly ctx: HostContext) {}

  /** Who is asking; a DavError 401 (the caller adds the challenge) or 429 otherwise. */
  async userOf(request: FastifyRequest): Promise<User> {
    const header = request.headers.authorization;
    if (!header) {
      const guest = await this.ctx.users.guest();
      if (guest && !guest.disabled) return guest;
      throw unauthorized('Log in with your username and password (HTTP Basic)');
    }
    const credentials = basicCredentials(header);
    if (!credentials || credentials.username === '' || credentials.username.length > MAX_USERNAME_LENGTH) {
      throw unauthorized('Send HTTP Basic credentials: your username and password');
    }
    const key = createHash('sha256').update(`${credentials.username}\u0000${credentials.password}`).digest('hex');
    const now = this.ctx.now();
    const cached = this.checked.get(key);
    if (cached && cached.until > now) {
      const user = await this.ctx.users.byId(cached.userId);
      if (user && user.username === credentials.username && !user.disabled) return user;
    }
    this.checked.delete(key);
    return this.check(request, credentials.username, credentials.password, key);
  }

  private async check(request: FastifyRequest, username: string, password: string, key: string): Promise<User> {
    const outcome = await limitedLogin(this.ctx.loginLimiter, request.ip, username, () => this.ctx.users.authenticate(username, password))
      .catch((err: unknown) => {
        // Redis away, or the server too busy to hash: their clear message.
        throw isDriverError(err) || err instanceof HashSlotsBusyError ? new DavError(503, err.message) : err;
      });
    if (outcome.limited) {
      throw new DavError(429, `Too many failed logins; try again in ${outcome.retryAfterSec} s`, undefined, [], { 'retry-after': String(outcome.retryAfterSec) });
    }
    const { user } = outcome;
    if (!user) throw unauthorized('Wrong username or password');
    if (user.disabled) throw unauthorized(MESSAGES.userDisabled);
    this.remember(key, user.id);
    return user;
  }

  private remember(key: string, userId: number): void {
    const now = this.ctx.now();
    if (this.checked.size >= MAX_CACHED_CREDENTIALS) {
      for (const [old, entry] of this.checked) if (entry.until <= now) this.checked.delete(old);
      while (this.checked.size >= MAX_CACHED_CREDENTIALS) this.checked.delete(this.checked.keys().next().value!);
    }
    this.checked.set(key, { userId, until: now + CREDENTIAL_TTL_MS });
  }
}
