import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * AList's sign (pkg/sign/hmac.go): base64url, with padding as Go's base64.URLEncoding, of
 * HMAC-SHA256(key, `${data}:${expire}`), then `:${expire}`; expire is in Unix seconds, 0 = never.
 */
export function alistSign(key: string, data: string, expire: number): string {
  const mac = createHmac('sha256', key).update(`${data}:${expire}`).digest('base64').replace(/\+/g, '-').replace(/\//g, '_');
  return `${mac}:${expire}`;
}

/** Signs for /d/ and /p/ links, keyed by the `token` setting, living `link_expiration` hours (0 = forever), as AList's internal/sign. */
export class UrlSigner {
  constructor(private readonly key: () => string, private readonly now: () => number, private readonly lifetimeHours: () => number) {}

  sign(path: string): string {
    const hours = this.lifetimeHours();
    const expire = hours === 0 ? 0 : Math.floor(this.now() / 1000) + hours * 3600;
    return alistSign(this.key(), path, expire);
  }

  /** Why `sign` does not open `path` (AList's messages), or undefined when it does. */
  problem(path: string, sign: string): string | undefined {
    const given = sign.replace(/\/$/, '');
    const expireText = given.split(':').at(-1)!;
    if (expireText === '') return 'expire missing';
    if (!/^-?\d+$/.test(expireText) || !Number.isSafeInteger(Number(expireText))) return 'expire invalid';
    const expire = Number(expireText);
    if (expire !== 0 && expire < Math.floor(this.now() / 1000)) return 'sign expired';
    const expected = Buffer.from(alistSign(this.key(), path, expire));
    const candidate = Buffer.from(given);
    return candidate.length === expected.length && timingSafeEqual(candidate, expected) ? undefined : 'sign invalid';
  }
}
