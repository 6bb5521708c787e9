import type { HostDatabase } from '../state/database.js';
import { isUniqueViolation, type SqlQueries } from '../state/sql-database.js';
import { HashSlotsBusyError } from './hash-slots.js';
import { DUMMY_HASH, hashPassword, isOutdated, verifyPassword } from './password-hash.js';
import { staticHash } from './static-hash.js';
import { Role, type RoleNumber, type User } from './user-model.js';

export type { User } from './user-model.js';

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

/** A stored hash no password matches: the guest user never logs in. */
const NO_LOGIN = '!';

const COLUMNS = 'id, username, CAST(role AS INTEGER) AS role, base_path, permission, disabled';

interface UserRow {
  id: number;
  username: string;
  role: number;
  base_path: string;
  permission: number;
  disabled: number;
}

function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, role: row.role as RoleNumber, base_path: row.base_path, permission: row.permission, disabled: row.disabled !== 0 };
}

export interface NewUser {
  username: string;
  /** Undefined: no password login (the guest user). */
  password?: string;
  role: RoleNumber;
  base_path?: string;
  permission?: number;
  disabled?: boolean;
}

export type UserChanges = Partial<Pick<User, 'username' | 'base_path' | 'permission' | 'disabled'>> & { password?: string };

export class UserStore {
  constructor(private readonly db: HostDatabase) {}

  async count(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM users'))!.n;
  }

  async create(user: NewUser): Promise<User> {
    if (await this.taken(this.db, user.username)) throw new DuplicateUsernameError(user.username);
    return this.insert(this.db, user, user.password === undefined ? NO_LOGIN : await hashForStorage(user.password));
  }

  /**
   * The built-in guest user (AList's: base path "/", no permission bits, no password login), named "guest" unless
   * that name is taken; `db` may be a transaction.
   */
  async createGuest(db: SqlQueries, disabled: boolean): Promise<User> {
    let username = 'guest';
    for (let n = 2; await this.taken(db, username); n++) username = `guest${n}`;
    return this.insert(db, { username, role: Role.GUEST, disabled }, NO_LOGIN);
  }

  private async taken(db: SqlQueries, username: string, exceptId = 0): Promise<boolean> {
    return (await db.get('SELECT id FROM users WHERE username = ? AND id <> ?', [username, exceptId])) !== undefined;
  }

  private async insert(db: SqlQueries, user: NewUser, hash: string): Promise<User> {
    try {
      const row = await db.get<UserRow>(`INSERT INTO users (username, password_hash, role, base_path, permission, disabled) VALUES (?, ?, ?, ?, ?, ?)
        RETURNING ${COLUMNS}`, [user.username, hash, user.role, user.base_path ?? '/', user.permission ?? 0, user.disabled ? 1 : 0]);
      return toUser(row!);
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateUsernameError(user.username);
      throw err;
    }
  }

  /**
   * The user when the password matches; undefined otherwise (unknown users cost the same time). A hash made with
   * older scrypt parameters, or of the plain password, is replaced by one of the static hash with the current ones.
   * The guest user has no password: it never logs in.
   */
  async authenticate(username: string, password: string): Promise<User | undefined> {
    const row = await this.loginRow(username);
    const stored = row?.password_hash ?? STATIC_PREFIX + DUMMY_HASH;
    const ok = stored.startsWith(STATIC_PREFIX)
      ? await verifyPassword(staticHash(password), stored.slice(STATIC_PREFIX.length))
      : await verifyPassword(password, stored);
    if (!ok || !row) return undefined;
    if (!stored.startsWith(STATIC_PREFIX) || isOutdated(stored.slice(STATIC_PREFIX.length))) await this.upgradeHash(row.id, stored, staticHash(password));
    return toUser(row);
  }

  /**
   * AList's login/hash: the user when `hash` is the static hash of their password. Only hashes stored since this
   * version (or rewritten by a plain login) can be checked this way; for an older one it answers undefined.
   */
  async authenticateStaticHash(username: string, hash: string): Promise<User | undefined> {
    const row = await this.loginRow(username);
    const stored = row?.password_hash.startsWith(STATIC_PREFIX) ? row.password_hash.slice(STATIC_PREFIX.length) : DUMMY_HASH;
    const ok = await verifyPassword(hash.toLowerCase(), stored);
    if (!ok || !row || stored === DUMMY_HASH) return undefined;
    if (isOutdated(stored)) await this.upgradeHash(row.id, row.password_hash, hash.toLowerCase());
    return toUser(row);
  }

  /** A user who may log in with a password (never the guest user). */
  private async loginRow(username: string): Promise<(UserRow & { password_hash: string }) | undefined> {
    const row = await this.db.get<UserRow & { password_hash: string }>(`SELECT ${COLUMNS}, password_hash FROM users WHERE username = ?`, [username]);
    return row && row.role !== Role.GUEST && row.password_hash !== NO_LOGIN ? row : undefined;
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
    await this.db.run('UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?', [hash, id, oldHash]);
  }

  /** Changes what is given (a new password when given); a taken username changes nothing. */
  async update(id: number, changes: UserChanges): Promise<void> {
    if (changes.username !== undefined && (await this.taken(this.db, changes.username, id))) throw new DuplicateUsernameError(changes.username);
    const hash = changes.password === undefined ? undefined : await hashForStorage(changes.password);
    const columns: Record<string, unknown> = {
      username: changes.username, password_hash: hash, base_path: changes.base_path, permission: changes.permission,
      disabled: changes.disabled === undefined ? undefined : changes.disabled ? 1 : 0,
    };
    const set = Object.entries(columns).filter(([, value]) => value !== undefined);
    if (set.length === 0) return;
    try {
      await this.db.run(`UPDATE users SET ${set.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ?`, [...set.map(([, value]) => value), id]);
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateUsernameError(changes.username ?? '');
      throw err;
    }
  }

  async byId(id: number): Promise<User | undefined> {
    const row = await this.db.get<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = ?`, [id]);
    return row && toUser(row);
  }

  /** The first user of a role (AList's GetAdmin / GetGuest); `db` may be a transaction. */
  async byRole(role: RoleNumber, db: SqlQueries = this.db): Promise<User | undefined> {
    const row = await db.get<UserRow>(`SELECT ${COLUMNS} FROM users WHERE CAST(role AS INTEGER) = ? ORDER BY id LIMIT 1`, [role]);
    return row && toUser(row);
  }

  guest(db: SqlQueries = this.db): Promise<User | undefined> {
    return this.byRole(Role.GUEST, db);
  }

  /** One page of users by id (AList's GetUsers); `perPage` 0 = all. */
  async list(page: number, perPage: number): Promise<{ content: User[]; total: number }> {
    const rows = perPage > 0
      ? await this.db.all<UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY id LIMIT ? OFFSET ?`, [perPage, (page - 1) * perPage])
      : await this.db.all<UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY id`);
    return { content: rows.map(toUser), total: await this.count() };
  }

  /** Deletes the user (their sessions go with them, by the foreign key). */
  async delete(id: number): Promise<void> {
    await this.db.run('DELETE FROM users WHERE id = ?', [id]);
  }
}
