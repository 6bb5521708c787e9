import { createHash, randomBytes } from 'node:crypto';

interface Session {
  userId: number;
  expiresAt: number;
}

const DEFAULT_LIFETIME_MS = 48 * 3600 * 1000;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Login tokens: random, kept only as their SHA-256 in memory, expiring. A restart logs everyone out. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly now: () => number, private readonly lifetimeMs = DEFAULT_LIFETIME_MS) {}

  issue(userId: number): string {
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(digest(token), { userId, expiresAt: this.now() + this.lifetimeMs });
    return token;
  }

  userIdFor(token: string): number | undefined {
    const key = digest(token);
    const session = this.sessions.get(key);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(key);
      return undefined;
    }
    return session.userId;
  }
}
