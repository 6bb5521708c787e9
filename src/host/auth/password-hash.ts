import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { HashSlots } from './hash-slots.js';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** OWASP's current guidance for scrypt: N=2^17, r=8, p=1 (128 MiB and about a second of one core per hash). */
export const CURRENT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 64;
const MAX_N = 2 ** 20;

/** Shared by every host in the process: the limit is about this machine's cores and memory. */
const slots = new HashSlots();

function scryptAsync(password: string, salt: Buffer, keyLength: number, params: ScryptParams): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is below what N=2^17 takes.
  const options: ScryptOptions = { ...params, maxmem: 128 * params.N * params.r * 2 };
  return slots.run(
    () => new Promise((resolve, reject) => scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)))),
  );
}

function format(params: ScryptParams, salt: Buffer, key: Buffer): string {
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

/** `scrypt$N$r$p$salt$hash` (base64): each hash carries its own parameters, so old ones verify after they grow. */
function parse(stored: string): ParsedHash | undefined {
  const [kind, n, r, p, salt, hash, ...rest] = stored.split('$');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const sane = Number.isInteger(params.N) && params.N > 1 && params.N <= MAX_N && (params.N & (params.N - 1)) === 0
    && Number.isInteger(params.r) && params.r >= 1 && params.r <= 32 && Number.isInteger(params.p) && params.p >= 1 && params.p <= 16;
  if (kind !== 'scrypt' || !sane || !salt || !hash || rest.length) return undefined;
  return { params, salt: Buffer.from(salt, 'base64'), key: Buffer.from(hash, 'base64') };
}

export async function hashPassword(password: string, params: ScryptParams = CURRENT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  return format(params, salt, await scryptAsync(password, salt, KEY_LENGTH, params));
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed || parsed.key.length === 0) return false;
  const key = await scryptAsync(password, parsed.salt, parsed.key.length, parsed.params);
  return timingSafeEqual(key, parsed.key);
}

/** True when the hash was made with other parameters than the current ones (re-hash it at the next login). */
export function isOutdated(stored: string): boolean {
  const params = parse(stored)?.params;
  return !params || params.N !== CURRENT_SCRYPT.N || params.r !== CURRENT_SCRYPT.r || params.p !== CURRENT_SCRYPT.p;
}

/** A well-formed hash of a random password: lets unknown usernames take as long as known ones. */
export const DUMMY_HASH = format(CURRENT_SCRYPT, randomBytes(16), randomBytes(KEY_LENGTH));
