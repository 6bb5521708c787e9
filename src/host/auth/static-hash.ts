import { createHash } from 'node:crypto';

/** AList's model.StaticHashSalt: its web frontend hashes passwords with it before /api/auth/login/hash. */
const STATIC_HASH_SALT = 'https://github.com/alist-org/alist';

/** AList's model.StaticHash: hex sha256 of `<password>-<salt>`, what its frontend sends instead of the password. */
export function staticHash(password: string): string {
  return createHash('sha256').update(`${password}-${STATIC_HASH_SALT}`).digest('hex');
}

/** A well-formed static hash: 64 hex digits (either case, as AList's frontend may send). */
export function isStaticHash(value: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(value);
}
