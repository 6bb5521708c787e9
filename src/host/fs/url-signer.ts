import { createHmac, timingSafeEqual } from 'node:crypto';

const DEFAULT_LIFETIME_SEC = 6 * 3600;

/** AList-style `sign` for download URLs: base64url(HMAC-SHA256(secret, path + ':' + expiry)) + ':' + expiry. */
export class UrlSigner {
  constructor(private readonly secret: Buffer, private readonly now: () => number, private readonly lifetimeSec = DEFAULT_LIFETIME_SEC) {}

  private mac(path: string, expiry: number): string {
    return createHmac('sha256', this.secret).update(`${path}:${expiry}`).digest('base64url');
  }

  sign(path: string): string {
    const expiry = Math.floor(this.now() / 1000) + this.lifetimeSec;
    return `${this.mac(path, expiry)}:${expiry}`;
  }

  verify(path: string, sign: string): boolean {
    const [mac, expiryText] = sign.split(':');
    const expiry = Number(expiryText);
    if (!mac || !Number.isSafeInteger(expiry) || expiry * 1000 <= this.now()) return false;
    const expected = Buffer.from(this.mac(path, expiry));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
