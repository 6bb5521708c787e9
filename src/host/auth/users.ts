import type { HostDatabase } from '../state/database.js';
import { HashSlotsBusyError } from './hash-slots.js';
import { DUMMY_HASH, hashPassword, isOutdated, verifyPassword } from './password-hash.js';

export interface User {
  id: number;
  username: string;
  role: 'admin' | 'guest';
}

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_USERNAME_LENGTH = 255;

/** Why a password may not be used, or undefined when it may. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `A password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  return undefined;
}

export class DuplicateUsernameError extends Error {
  constructor(username: string) {
    super(`The username "${username}" is taken`);
    this.name = 'DuplicateUsernameError';
  }
}

export class UserStore {
  constructor(private readonly db: HostDatabase) {}

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  async create(username: string, password: string, role: User['role']): Promise<User> {
    const hash = await hashPassword(password);
    const result = this.db.prepare('INSERT INTO users (username, password_hash, role) VALUES (?, ?, ?)').run(username, hash, role);
    return { id: Number(result.lastInsertRowid), username, role };
  }

  /**
   * The user when the password matches; undefined otherwise (unknown users cost the same time). A hash made with
   * older scrypt parameters is replaced by one with the current parameters.
   */
  async authenticate(username: string, password: string): Promise<User | undefined> {
    const row = this.db.prepare('SELECT id, username, role, password_hash FROM users WHERE username = ?').get(username) as
      | (User & { password_hash: string })
      | undefined;
    const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
    if (!ok || !row) return undefined;
    if (isOutdated(row.password_hash)) await this.upgradeHash(row.id, row.password_hash, password);
    return { id: row.id, username: row.username, role: row.role };
  }

  /** Re-hashes with the current parameters; when the server is too busy for it, the next login does it. */
  private async upgradeHash(id: number, oldHash: string, password: string): Promise<void> {
    let hash: string;
    try {
      hash = await hashPassword(password);
    } catch (err) {
      if (err instanceof HashSlotsBusyError) return;
      throw err;
    }
    this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?').run(hash, id, oldHash);
  }

  /** Renames the user and, when given, sets a new password; a taken username changes nothing. */
  async update(id: number, changes: { username: string; password?: string }): Promise<void> {
    const taken = this.db.prepare('SELECT id FROM users WHERE username = ? AND id <> ?').get(changes.username, id);
    if (taken) throw new DuplicateUsernameError(changes.username);
    const hash = changes.password === undefined ? undefined : await hashPassword(changes.password);
    this.db.transaction(() => {
      this.db.prepare('UPDATE users SET username = ? WHERE id = ?').run(changes.username, id);
      if (hash) this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, id);
    })();
  }

  byId(id: number): User | undefined {
    return this.db.prepare('SELECT id, username, role FROM users WHERE id = ?').get(id) as User | undefined;
  }
}
