import type { HostDatabase } from '../state/database.js';
import { HashSlotsBusyError } from './hash-slots.js';
import { DUMMY_HASH, hashPassword, isOutdated, verifyPassword } from './password-hash.js';
import { staticHash } from './static-hash.js';

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

/**
 * Stored hashes with this prefix are scrypt of AList's static hash of the password (as AList itself stores a
 * hash of that hash), so both a plain login and AList's /api/auth/login/hash can be checked against them. Hashes
 * without it (older versions) are scrypt of the plain password; the next plain login rewrites them.
 */
const STATIC_PREFIX = 'static:';

async function hashForStorage(password: string): Promise<string> {
  return STATIC_PREFIX + (await hashPassword(staticHash(password)));
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
    const hash = await hashForStorage(password);
    const result = this.db.prepare('INSERT INTO users (username, password_hash, role) VALUES (?, ?, ?)').run(username, hash, role);
    return { id: Number(result.lastInsertRowid), username, role };
  }

  /**
   * The user when the password matches; undefined otherwise (unknown users cost the same time). A hash made with
   * older scrypt parameters, or of the plain password, is replaced by one of the static hash with the current ones.
   */
  async authenticate(username: string, password: string): Promise<User | undefined> {
    const row = this.row(username);
    const stored = row?.password_hash ?? STATIC_PREFIX + DUMMY_HASH;
    const ok = stored.startsWith(STATIC_PREFIX)
      ? await verifyPassword(staticHash(password), stored.slice(STATIC_PREFIX.length))
      : await verifyPassword(password, stored);
    if (!ok || !row) return undefined;
    if (!stored.startsWith(STATIC_PREFIX) || isOutdated(stored.slice(STATIC_PREFIX.length))) await this.upgradeHash(row.id, stored, staticHash(password));
    return { id: row.id, username: row.username, role: row.role };
  }

  /**
   * AList's login/hash: the user when `hash` is the static hash of their password. Only hashes stored since this
   * version (or rewritten by a plain login) can be checked this way; for an older one it answers undefined.
   */
  async authenticateStaticHash(username: string, hash: string): Promise<User | undefined> {
    const row = this.row(username);
    const stored = row?.password_hash.startsWith(STATIC_PREFIX) ? row.password_hash.slice(STATIC_PREFIX.length) : DUMMY_HASH;
    const ok = await verifyPassword(hash.toLowerCase(), stored);
    if (!ok || !row || stored === DUMMY_HASH) return undefined;
    if (isOutdated(stored)) await this.upgradeHash(row.id, row.password_hash, hash.toLowerCase());
    return { id: row.id, username: row.username, role: row.role };
  }

  private row(username: string): (User & { password_hash: string }) | undefined {
    return this.db.prepare('SELECT id, username, role, password_hash FROM users WHERE username = ?').get(username) as
      | (User & { password_hash: string })
      | undefined;
  }

  /** Re-hashes with the current parameters; when the server is too busy for it, the next login does it. */
  private async upgradeHash(id: number, oldHash: string, passwordStaticHash: string): Promise<void> {
    let hash: string;
    try {
      hash = STATIC_PREFIX + (await hashPassword(passwordStaticHash));
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
    const hash = changes.password === undefined ? undefined : await hashForStorage(changes.password);
    this.db.transaction(() => {
      this.db.prepare('UPDATE users SET username = ? WHERE id = ?').run(changes.username, id);
      if (hash) this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, id);
    })();
  }

  /** The first admin: whom AList's static `token` acts as. */
  firstAdmin(): User | undefined {
    return this.db.prepare("SELECT id, username, role FROM users WHERE role = 'admin' ORDER BY id LIMIT 1").get() as User | undefined;
  }

  byId(id: number): User | undefined {
    return this.db.prepare('SELECT id, username, role FROM users WHERE id = ?').get(id) as User | undefined;
  }
}
