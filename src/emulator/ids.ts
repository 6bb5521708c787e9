import { createHash, randomBytes } from 'node:crypto';

/** A Google-looking opaque id, deterministic for (seed, kind, n). */
export function stableId(seed: number, kind: string, n: number): string {
  const digest = createHash('sha256').update(`${seed}:${kind}:${n}`).digest('base64url');
  return `A${kind === 'album' ? 'L' : 'F'}${digest.slice(0, 52)}`;
}

/** Ids that look like Google's media item / album ids (checked before a lookup: malformed -> INVALID_ARGUMENT). */
export function isWellFormedId(id: string): boolean {
  return /^[A-Za-z0-9_-]{10,200}$/.test(id);
}

export function randomToken(prefix: string, bytes = 32): string {
  return prefix + randomBytes(bytes).toString('base64url');
}
