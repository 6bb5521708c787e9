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

  issue(userId: number): string {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM auth_sessions WHERE expires_at <= ?').run(now);
      this.db.prepare('INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
        .run(digest(token), userId, now, now + this.lifetimeMs);
      this.db.prepare(`DELETE FROM auth_sessions WHERE user_id = ? AND rowid NOT IN
        (SELECT rowid FROM auth_sessions WHERE user_id = ? ORDER BY rowid DESC LIMIT ?)`).run(userId, userId, MAX_SESSIONS_PER_USER);
    })();
    return token;
  }

  userIdFor(token: string): number | undefined {
    const row = this.db.prepare('SELECT user_id FROM auth_sessions WHERE token_hash = ? AND expires_at > ?').get(digest(token), this.now()) as
      | { user_id: number }
      | undefined;
    return row?.user_id;
  }

  /** Ends the session of this token; false when it was unknown or expired. */
  revoke(token: string): boolean {
    return this.db.prepare('DELETE FROM auth_sessions WHERE token_hash = ? AND expires_at > ?').run(digest(token), this.now()).changes > 0;
  }

  /** Ends every session of the user except the one of `keepToken`. */
  revokeOthers(userId: number, keepToken: string): void {
    this.db.prepare('DELETE FROM auth_sessions WHERE user_id = ? AND token_hash <> ?').run(userId, digest(keepToken));
  }

  /** Ends every session of the user (password changed, user disabled). */
  revokeAll(userId: number): void {
    this.db.prepare('DELETE FROM auth_sessions WHERE user_id = ?').run(userId);
  }
}
