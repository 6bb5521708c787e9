import { createHash, randomBytes } from 'node:crypto';
import type { HostDatabase } from '../state/database.js';

const DEFAULT_LIFETIME_MS = 48 * 3600 * 1000;
/** Newest sessions kept per user; a script that logs in for every call cannot fill the table. */
const MAX_SESSIONS_PER_USER = 100;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Login tokens: 32 random bytes, stored in `auth_sessions` only as their SHA-256, so they survive a restart and a
 * copy of the database logs nobody in. Expired sessions are deleted at every login.
 */
export class SessionStore {
  constructor(private readonly db: HostDatabase, private readonly now: () => number, private readonly lifetimeMs = DEFAULT_LIFETIME_MS) {}

  async issue(userId: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const order = this.db.insertionOrder;
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM auth_sessions WHERE expires_at <= ?', [now]);
      await tx.run('INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
        [digest(token), userId, now, now + this.lifetimeMs]);
      await tx.run(`DELETE FROM auth_sessions WHERE user_id = ? AND ${order} NOT IN
        (SELECT ${order} FROM auth_sessions WHERE user_id = ? ORDER BY ${order} DESC LIMIT ?)`, [userId, userId, MAX_SESSIONS_PER_USER]);
    });
    return token;
  }

  async userIdFor(token: string): Promise<number | undefined> {
    const row = await this.db.get<{ user_id: number }>('SELECT user_id FROM auth_sessions WHERE token_hash = ? AND expires_at > ?', [digest(token), this.now()]);
    return row?.user_id;
  }

  /** Ends the session of this token; false when it was unknown or expired. */
  async revoke(token: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM auth_sessions WHERE token_hash = ? AND expires_at > ?', [digest(token), this.now()])) > 0;
  }

  /** Ends every session of the user except the one of `keepToken`. */
  async revokeOthers(userId: number, keepToken: string): Promise<void> {
    await this.db.run('DELETE FROM auth_sessions WHERE user_id = ? AND token_hash <> ?', [userId, digest(keepToken)]);
  }

  /** Ends every session of the user (password changed, user disabled). */
  async revokeAll(userId: number): Promise<void> {
    await this.db.run('DELETE FROM auth_sessions WHERE user_id = ?', [userId]);
  }
}
