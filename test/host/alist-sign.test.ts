/** AList's download sign (pkg/sign/hmac.go) against vectors computed apart from this code. */
import { describe, expect, it } from '@jest/globals';
import { alistSign, UrlSigner } from '../../src/host/fs/url-signer.js';

const KEY = 'alist-test-token';

/*
 * Computed once with Python 3's standard library, independently of the code under test:
 *   import hmac, hashlib, base64
 *   m = hmac.new(b'alist-test-token', (data + ':' + str(expire)).encode(), hashlib.sha256).digest()
 *   base64.urlsafe_b64encode(m).decode() + ':' + str(expire)   # padded, as Go's base64.URLEncoding
 */
const VECTORS: Array<[string, number, string]> = [
  ['/local/a.txt', 0, 'kqx65Wp34VrwlZp950yRx6FKqwfajIjd7QNafmE5hcs=:0'],
  ['/local/a.txt', 1700000000, 'v9_BYgw2XEdbW_xySxp_qvarbpGGXe5EBKKvaPMOyvg=:1700000000'],
  ['/照片/b c.jpg', 1700000000, 'e957cgISDfTCfJOZ-1e6rVX4WeSYXnSpIE1bJR28AnM=:1700000000'],
];

describe('alistSign', () => {
  it.each(VECTORS)('signs %s until %d as AList does', (data, expire, expected) => {
    expect(alistSign(KEY, data, expire)).toBe(expected);
  });
});

describe('UrlSigner', () => {
  const at = (seconds: number) => () => seconds * 1000;

  it('makes never-expiring signs when link_expiration is 0, and signs for now + hours otherwise', () => {
    expect(new UrlSigner(() => KEY, at(1_699_000_000), () => 0).sign('/local/a.txt')).toBe(VECTORS[0]![2]);
    expect(new UrlSigner(() => KEY, at(1_700_000_000 - 2 * 3600), () => 2).sign('/local/a.txt')).toBe(VECTORS[1]![2]);
  });

  it('accepts AList\'s signs and refuses expired, altered, foreign or malformed ones with AList\'s reasons', () => {
    const signer = new UrlSigner(() => KEY, at(1_700_000_000), () => 0);
    expect(signer.problem('/local/a.txt', VECTORS[0]![2])).toBeUndefined();
    expect(signer.problem('/local/a.txt', VECTORS[1]![2])).toBeUndefined(); // expires this very second
    expect(signer.problem('/local/a.txt', `${VECTORS[1]![2]}/`)).toBeUndefined(); // AList trims one trailing slash
    expect(new UrlSigner(() => KEY, at(1_700_000_001), () => 0).problem('/local/a.txt', VECTORS[1]![2])).toBe('sign expired');
    expect(signer.problem('/local/b.txt', VECTORS[0]![2])).toBe('sign invalid');
    expect(signer.problem('/local/a.txt', VECTORS[0]![2].replace('=', ''))).toBe('sign invalid'); // unpadded is not AList's
    expect(new UrlSigner(() => 'another-token', at(1_700_000_000), () => 0).problem('/local/a.txt', VECTORS[0]![2])).toBe('sign invalid');
    expect(signer.problem('/local/a.txt', 'abc:')).toBe('expire missing');
    expect(signer.problem('/local/a.txt', 'abc:soon')).toBe('expire invalid');
  });
});
