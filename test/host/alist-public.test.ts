/** What AList's (and OpenList's) web frontend needs before it draws: public settings, login/hash, CORS; on the real host. */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHost, type Host } from '../../src/host/index.js';
import { hashPassword } from '../../src/host/auth/password-hash.js';
import { HostClient } from './support/host-client.js';
import { makeDataDir } from './support/host-setup.js';
import { callFrom } from './support/loopback-client.js';
import { expectNoSecrets } from './support/secrets-scan.js';

const PASSWORD = 'public-test-password-4K';
const ELSEWHERE = 'https://frontend.example.org';

/** What AList's frontend sends to /api/auth/login/hash (AList's model.StaticHash), computed independently here. */
function aListHash(password: string): string {
  return createHash('sha256').update(`${password}-https://github.com/alist-org/alist`).digest('hex');
}

let host: Host;
let dataDir: string;
let client: HostClient;

beforeAll(async () => {
  dataDir = makeDataDir();
  host = await createHost({ dataDir, port: 0, adminPassword: PASSWORD, demo: false });
  client = new HostClient(host.url);
});

afterAll(async () => {
  await host?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('/api/public/*', () => {
  it('settings: the string map AList answers, to anyone, by GET or POST', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const answer = await client.call<Record<string, unknown>>(method, '/api/public/settings', method === 'POST' ? {} : undefined, '');
      expect(answer.code).toBe(200);
      for (const value of Object.values(answer.data)) expect(typeof value).toBe('string');
      for (const key of [
        'site_title', 'version', 'pagination_type', 'default_page_size', 'iframe_previews', 'external_previews', 'audio_types',
        'video_types', 'image_types', 'text_types', 'logo', 'favicon', 'main_color', 'announcement', 'robots_txt',
        'allow_indexed', 'allow_mounted', 'sso_login_enabled', 'ldap_login_enabled', 'webauthn_login_enabled',
      ]) {
        expect(answer.data).toHaveProperty(key);
      }
      const iframe = JSON.parse(answer.data.iframe_previews as string) as Record<string, Record<string, string>>;
      expect(Object.keys(iframe.pdf!)).toContain('PDF.js');
      expect(JSON.parse(answer.data.external_previews as string)).toEqual({});
      expect(answer.data.video_types).toMatch(/(^|,)mp4(,|$)/);
      expect(Number(answer.data.default_page_size)).toBeGreaterThan(0);
      expect(answer.data.ldap_login_enabled).toBe('false');
      expect(answer.data.site_title).toBe('Photos Drive');
      expect(answer.data.version).toMatch(/^gphotos-alist v\d+\.\d+\.\d+/);
    }
  });

  it('archive_extensions and offline_download_tools: empty lists (the host has neither)', async () => {
    for (const route of ['/api/public/archive_extensions', '/api/public/offline_download_tools']) {
      for (const method of ['GET', 'POST'] as const) {
        const answer = await client.call(method, route, method === 'POST' ? {} : undefined, '');
        expect(answer).toMatchObject({ code: 200, data: [] });
      }
    }
  });
});

describe('POST /api/auth/login/hash', () => {
  it('logs in with the static hash of the password (either case); the token works', async () => {
    for (const hash of [aListHash(PASSWORD), aListHash(PASSWORD).toUpperCase()]) {
      const answer = await callFrom<{ token: string }>('127.0.0.21', host.url, '/api/auth/login/hash', { username: 'admin', password: hash });
      expect(answer.code).toBe(200);
      const me = await client.get('/api/me', answer.data.token);
      expect(me.data.username).toBe('admin');
    }
  });

  it('refuses a wrong hash, the plain password and a hash for another user, with 400', async () => {
    for (const [username, password] of [['admin', aListHash('not-the-password')], ['admin', PASSWORD], ['nobody', aListHash(PASSWORD)]]) {
      const answer = await callFrom('127.0.0.22', host.url, '/api/auth/login/hash', { username, password });
      expect(answer).toMatchObject({ code: 400, data: null });
      expect(answer.message).toBe('Wrong username or password');
    }
  });

  it('counts failures against the same limiter as /api/auth/login', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await callFrom('127.0.0.23', host.url, '/api/auth/login/hash', { username: 'admin', password: aListHash(`guess-${attempt}`) });
      expect(answer.code).toBe(400);
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      expect((await callFrom('127.0.0.23', host.url, '/api/auth/login', { username: 'admin', password: `guess-${attempt}` })).code).toBe(400);
    }
    // Five failures from this address, across both routes: the right hash and the right password are now refused.
    const hashed = await callFrom('127.0.0.23', host.url, '/api/auth/login/hash', { username: 'admin', password: aListHash(PASSWORD) });
    expect(hashed).toMatchObject({ code: 429, error: { code: 'TOO_MANY_LOGINS' } });
    expect((await callFrom('127.0.0.23', host.url, '/api/auth/login', { username: 'admin', password: PASSWORD })).code).toBe(429);
  });

  it('works with the new password after /api/me/update, and no longer with the old one', async () => {
    const token = (await callFrom<{ token: string }>('127.0.0.24', host.url, '/api/auth/login', { username: 'admin', password: PASSWORD })).data.token;
    const changed = 'public-test-password-changed';
    expect((await client.post('/api/me/update', { username: 'admin', password: changed }, token)).code).toBe(200);
    const login = (password: string) => callFrom('127.0.0.24', host.url, '/api/auth/login/hash', { username: 'admin', password });
    expect((await login(aListHash(PASSWORD))).code).toBe(400);
    expect((await login(aListHash(changed))).code).toBe(200);
    expect((await client.post('/api/me/update', { username: 'admin', password: PASSWORD }, token)).code).toBe(200);
  });

  it('a user whose hash an older version stored logs in by hash after one plain login', async () => {
    const db = new Database(path.join(dataDir, 'data.db'));
    try {
      // What older versions stored: scrypt of the plain password (with small parameters, also upgraded at login).
      db.prepare("INSERT INTO users (username, password_hash, role) VALUES ('legacy', ?, 0)").run(await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 }));
    } finally {
      db.close();
    }
    const byHash = () => callFrom('127.0.0.25', host.url, '/api/auth/login/hash', { username: 'legacy', password: aListHash(PASSWORD) });
    expect((await byHash()).code).toBe(400);
    expect((await callFrom('127.0.0.25', host.url, '/api/auth/login', { username: 'legacy', password: PASSWORD })).code).toBe(200);
    expect((await byHash()).code).toBe(200);
    expect((await callFrom('127.0.0.25', host.url, '/api/auth/login', { username: 'legacy', password: PASSWORD })).code).toBe(200);
  });

  it('never answers a secret: no password, hash, token or signing key in the public answers', async () => {
    const db = new Database(path.join(dataDir, 'data.db'), { readonly: true });
    const signSecret = (db.prepare("SELECT value FROM settings WHERE key = 'token'").get() as { value: string }).value;
    const storedHash = (db.prepare("SELECT password_hash FROM users WHERE username = 'admin'").get() as { password_hash: string }).password_hash;
    db.close();
    const token = (await callFrom<{ token: string }>('127.0.0.26', host.url, '/api/auth/login/hash', { username: 'admin', password: aListHash(PASSWORD) })).data.token;
    const scanned = new HostClient(host.url);
    for (const route of ['/api/public/settings', '/api/public/archive_extensions', '/api/public/offline_download_tools']) await scanned.get(route, token);
    await scanned.post('/api/auth/login/hash', { username: 'admin', password: aListHash('wrong-one') }, '');
    expectNoSecrets(scanned.seenBodies, [PASSWORD, aListHash(PASSWORD), signSecret, storedHash, storedHash.split('$').at(-1)!, token]);
  });
});

describe('CORS (AList defaults) on /api, /d and /p', () => {
  it('answers a cross-origin API call with Access-Control-Allow-Origin: *', async () => {
    const { response } = await client.request('/api/public/settings', { headers: { origin: ELSEWHERE }, token: '' });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers a preflight 204 without a login, allowing Authorization and the asked method', async () => {
    for (const route of ['/api/fs/list', '/api/admin/storage/create', '/d/some/file.jpg', '/p/some/file.jpg']) {
      const { response } = await client.request(route, {
        method: 'OPTIONS',
        token: '',
        headers: { origin: ELSEWHERE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      expect(response.headers.get('access-control-allow-methods')).toMatch(/\*|POST/);
    }
  });

  it('gives pages no CORS headers', async () => {
    const { response } = await client.request('/', { headers: { origin: ELSEWHERE }, token: '' });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
