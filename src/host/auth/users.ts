import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { HostDatabase } from '../state/database.js';

export interface User {
  id: number;
  username: string;
  role: 'admin' | 'guest';
}

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 64 };

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash` (base64), so the parameters can grow later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(key, expected);
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

  /** The user when the password matches; undefined otherwise (unknown users cost the same time). */
  async authenticate(username: string, password: string): Promise<User | undefined> {
    const row = this.db.prepare('SELECT id, username, role, password_hash FROM users WHERE username = ?').get(username) as
      | (User & { password_hash: string })
      | undefined;
    const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
    return ok && row ? { id: row.id, username: row.username, role: row.role } : undefined;
  }

  byId(id: number): User | undefined {
    return this.db.prepare('SELECT id, username, role FROM users WHERE id = ?').get(id) as User | undefined;
  }
}

// A well-formed hash of a random password: lets unknown usernames take as long as known ones.
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${randomBytes(16).toString('base64')}$${randomBytes(64).toString('base64')}`;
