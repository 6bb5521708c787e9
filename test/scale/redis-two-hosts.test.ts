/**
 * Two host processes (the built dist/, as children) on ONE data folder, sharing a private Redis: a login on A
 * works on B, a storage created on A is served by B (once), writes, settings and metas made on A are seen by B's
 * caches, and after every access token expires, many listings spread over both make exactly one token request. Needs Debian's redis-server (.ci/run installs it); skipped
 * with a line saying so when it is missing, except under CI.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createHost } from '../../src/host/index.js';
import { approveConsent } from '../host/support/consent.js';
import { createGooglePhotosStorage, settledStorage } from '../host/support/google-photos-storage.js';
import { updateGuestUser } from '../host/support/guest-user.js';
import { HostClient } from '../host/support/host-client.js';
import { makeDataDir } from '../host/support/host-setup.js';
import { buildDist, spawnServe, stopProcesses } from '../host/support/serve-process.js';
import { putFile } from '../host/support/upload-client.js';
import { freePort } from '../support/free-port.js';
import { scaleSuiteRuns, startRedis, type RedisServer } from './support/redis-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PASSWORD = 'scale-redis-password-5K';
const TOKEN_ROUTE = 'POST /token';
const CHANGE_LIMIT_MS = 10_000;
/** The host's default (DEFAULT_LOGIN_LIMITS.maxPerAddress). */
const MAX_LOGIN_FAILURES_PER_ADDRESS = 5;
/** Concurrent listings after every token expired, spread over both processes (the issue measures 200). */
const LISTINGS = 200;

let redis: RedisServer | undefined;
let emulator: Emulator | undefined;
let dataDir: string;
let localRoot: string | undefined;
const children: ChildProcess[] = [];
let a: HostClient;
let b: HostClient;

async function startChild(extraArgs: string[]): Promise<string> {
  const serve = spawnServe(ROOT, dataDir, PASSWORD, extraArgs);
  children.push(serve.child);
  return serve.url;
}

/** Retries `check` until it holds (another process learns of a change over pub/sub); fails after a bound. */
async function eventually<T>(what: string, probe: () => Promise<T>, holds: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + CHANGE_LIMIT_MS;
  for (;;) {
    const value = await probe();
    if (holds(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

(scaleSuiteRuns() ? describe : describe.skip)('two host processes on one data folder, sharing Redis', () => {
  beforeAll(async () => {
    redis = await startRedis();
    await buildDist(ROOT, 'dist/host/shared/redis-coordination.js');
    emulator = await startEmulator({ items: 30, albums: 3, pickableOnlyItems: 0 });
    dataDir = makeDataDir();
    // One after the other: the first one creates the database and the admin user.
    a = new HostClient(await startChild(['--redis-url', redis.url]));
    b = new HostClient(await startChild(['--redis-url', redis.url]));
  }, 240_000);

  afterAll(async () => {
    await stopProcesses(children);
    await emulator?.close();
    await redis?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (localRoot) rmSync(localRoot, { recursive: true, force: true });
  });

  it('refuses to start when Redis cannot be reached: the CLI exits non-zero with a clear error, createHost rejects', async () => {
    const nowhere = `redis://127.0.0.1:${await freePort()}`;
    await expect(startChild(['--redis-url', nowhere])).rejects.toThrow(/exited \(1\)[\s\S]*Redis at redis:\/\/127\.0\.0\.1:\d+\/? cannot be reached/);
    const otherDir = makeDataDir();
    try {
      await expect(createHost({ dataDir: otherDir, port: 0, adminPassword: PASSWORD, demo: false, redisUrl: nowhere })).rejects.toThrow(/cannot be reached/);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('accepts a login made on A on B', async () => {
    const token = await a.login('admin', PASSWORD);
    b.token = token;
    const me = await b.get<{ username: string }>('/api/me');
    expect(me.code).toBe(200);
    expect(me.data.username).toBe('admin');
  });

  it('serves on B a storage created on A, listed once', async () => {
    const id = await createGooglePhotosStorage(a, emulator!, { mountPath: '/gp', refreshToken: emulator!.issueRefreshToken() });
    expect(id).toBeGreaterThan(0);
    const rootOnB = await eventually('B lists / without gp', () => b.names('/'), (names) => names.includes('gp'));
    expect(rootOnB.filter((name) => name === 'gp')).toHaveLength(1);
    const storagesOnB = await b.get<{ content: Array<{ mount_path: string }> }>('/api/admin/storage/list');
    expect(storagesOnB.data.content.filter((storage) => storage.mount_path === '/gp')).toHaveLength(1);
    const itemsOnB = await eventually('B lists /gp/All media', () => b.names('/gp/All media').catch((err: Error) => [err.message]), (names) => names.length === 30);
    expect(new Set(itemsOnB).size).toBe(30);
    expect(await a.names('/gp/All media')).toEqual(itemsOnB);
  });

  it('lists on B, without a refresh, a folder and a file made on A in a folder B had listed, and not what A removed', async () => {
    localRoot = mkdtempSync(path.join(tmpdir(), 'gphotos-alist-shared-'));
    const created = await a.post('/api/admin/storage/create', {
      mount_path: '/shared', driver: 'Local', addition: JSON.stringify({ root_folder_path: localRoot }), cache_expiration: 30,
    });
    expect(created.code).toBe(200);
    await eventually('B lists / without shared', () => b.names('/'), (names) => names.includes('shared'));
    expect(await b.names('/shared')).toEqual([]);
    expect((await a.post('/api/fs/mkdir', { path: '/shared/made-on-a' })).code).toBe(200);
    expect((await putFile(a, '/shared/uploaded-on-a.txt', Buffer.from('bytes from A'))).code).toBe(200);
    const listed = await eventually('B lists /shared as it was', () => b.names('/shared'), (names) => names.length === 2);
    expect([...listed].sort()).toEqual(['made-on-a', 'uploaded-on-a.txt']);
    expect((await a.post('/api/fs/remove', { dir: '/shared', names: ['made-on-a'] })).code).toBe(200);
    await eventually('B still lists made-on-a', () => b.names('/shared'), (names) => !names.includes('made-on-a'));
    expect(await b.names('/shared')).toEqual(['uploaded-on-a.txt']);
  });

  it('shows on B a setting saved on A', async () => {
    const title = () => b.get<{ site_title: string }>('/api/public/settings').then((answer) => answer.data.site_title);
    expect(await title()).not.toBe('Saved on A');
    expect((await a.post('/api/admin/setting/save', [{ key: 'site_title', value: 'Saved on A' }])).code).toBe(200);
    await eventually('B shows the old site title', title, (shown) => shown === 'Saved on A');
  });

  it('refuses on B a /d/ link signed with the token before A reset it', async () => {
    const file = '/shared/uploaded-on-a.txt';
    const signOnA = async () => (await a.post<{ sign: string }>('/api/fs/get', { path: file })).data.sign;
    const downloadOnB = (sign: string) => fetch(`${b.baseUrl}/d${file}?sign=${encodeURIComponent(sign)}`, { redirect: 'manual' });
    // B finds the file (whatever its cached listing of /shared says).
    expect((await b.post('/api/fs/list', { path: '/shared', refresh: true })).code).toBe(200);
    const oldSign = await signOnA();
    expect((await downloadOnB(oldSign)).status).toBe(200);
    expect((await a.post('/api/admin/setting/reset_token')).code).toBe(200);
    await eventually('B accepts the old sign', () => downloadOnB(oldSign).then((answer) => answer.status), (status) => status === 401);
    expect(await (await downloadOnB(oldSign)).text()).toMatch(/sign is refused/);
    const fresh = await downloadOnB(await signOnA());
    expect(fresh.status).toBe(200);
    expect(await fresh.text()).toBe('bytes from A');
  });

  it('enforces on B a meta password created on A, and lifts it when A deletes the meta', async () => {
    await updateGuestUser(a, { disabled: false });
    const guestListsOnB = (password?: string) => b.post('/api/fs/list', { path: '/shared', ...(password ? { password } : {}) }, '');
    expect((await guestListsOnB()).code).toBe(200);
    expect((await a.post('/api/admin/meta/create', { path: '/shared', password: 'meta-password-1', p_sub: true })).code).toBe(200);
    const refused = await eventually('B lists /shared to a guest without the password', () => guestListsOnB(), (answer) => answer.code === 403);
    expect(refused.message).toBe('password is incorrect or you have no permission');
    expect((await guestListsOnB('meta-password-1')).code).toBe(200);
    const metas = await a.get<{ content: Array<{ id: number; path: string }> }>('/api/admin/meta/list');
    const id = metas.data.content.find((meta) => meta.path === '/shared')!.id;
    expect((await a.post(`/api/admin/meta/delete?id=${id}`)).code).toBe(200);
    await eventually('B still asks for the deleted meta\'s password', () => guestListsOnB().then((answer) => answer.code), (code) => code === 200);
    await updateGuestUser(a, { disabled: true });
  });

  it('makes exactly one token request across both processes when every access token has expired', async () => {
    const albums = await a.names('/gp/Albums');
    expect(albums.length).toBeGreaterThan(0);
    const folders = ['/gp/All media', '/gp/Albums', ...albums.map((album) => `/gp/Albums/${album}`)];
    const expire = await fetch(`${emulator!.url}/emulator/access-tokens/expire`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
    });
    expect(expire.status).toBe(200);
    const before = emulator!.requestCounts()[TOKEN_ROUTE] ?? 0;
    const listings = Array.from({ length: LISTINGS }, (_, i) => {
      const client = i % 2 === 0 ? a : b;
      return client.post<{ content: unknown[] }>('/api/fs/list', { path: folders[i % folders.length], refresh: true });
    });
    const answers = await Promise.all(listings);
    expect(answers.map((answer) => answer.code)).toEqual(answers.map(() => 200));
    expect((emulator!.requestCounts()[TOKEN_ROUTE] ?? 0) - before).toBe(1);
  });

  it('answers with a clear error while Redis is away, and works again by itself once it is back', async () => {
    const port = Number(new URL(redis!.url).port);
    await redis!.close();
    redis = undefined;
    // Every token has expired: a listing needs the shared token, which Redis holds.
    await fetch(`${emulator!.url}/emulator/access-tokens/expire`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const gp = (await a.get<{ content: Array<{ id: number; mount_path: string }> }>('/api/admin/storage/list')).data.content.find((s) => s.mount_path === '/gp')!;
    // A setting needs no Redis: it is saved, and B, which may miss the announcement, sees it once Redis is back.
    expect((await a.post('/api/admin/setting/save', [{ key: 'site_title', value: 'Saved while Redis was away' }])).code).toBe(200);
    const davBasic = `Basic ${Buffer.from('admin:not-the-password').toString('base64')}`;
    // At once: each waits for ioredis's retries before it fails.
    const [away, authorize, callback, login, davLogin] = await Promise.all([
      a.post('/api/fs/list', { path: '/gp/All media', refresh: true }),
      a.post('/api/admin/google/authorize', { storage_id: gp.id }),
      b.request('/api/google/callback?code=abc&state=some-state', { token: '' }),
      b.post('/api/auth/login', { username: 'admin', password: 'not-the-password' }, ''),
      fetch(`${a.baseUrl}/dav/`, { method: 'PROPFIND', headers: { depth: '0', authorization: davBasic } }),
    ]);
    expect(away.code).toBe(500);
    expect(away.message).toMatch(/Redis cannot be reached/);
    expect(authorize.code).toBe(500);
    expect(authorize.message).toMatch(/Redis cannot be reached, so the Google authorization cannot be kept or found/);
    expect(callback.response.status).toBe(503);
    expect(callback.text).toMatch(/Redis cannot be reached/);
    expect(login.code).toBe(500);
    expect(login.message).toMatch(/Redis cannot be reached, so failed logins cannot be counted/);
    expect(davLogin.status).toBe(503);
    expect(await davLogin.text()).toMatch(/Redis cannot be reached/);
    redis = await startRedis(port);
    const back = await eventually('A lists /gp/All media after Redis came back',
      () => a.post<{ content: unknown[] }>('/api/fs/list', { path: '/gp/All media', refresh: true }), (answer) => answer.code === 200);
    expect(back.data.content).toHaveLength(30);
    await eventually('B shows the site title from before Redis went away',
      () => b.get<{ site_title: string }>('/api/public/settings').then((answer) => answer.data.site_title), (title) => title === 'Saved while Redis was away');
    // Announcements flow again too: a storage created on B shows on A.
    await createGooglePhotosStorage(b, emulator!, { mountPath: '/gp2', refreshToken: emulator!.issueRefreshToken() });
    await eventually('A lists / without gp2', () => a.names('/'), (names) => names.includes('gp2'));
  }, 90_000);

  it('hides on B a storage disabled on A, shows it again when enabled, and drops it when deleted', async () => {
    const storages = await a.get<{ content: Array<{ id: number; mount_path: string }> }>('/api/admin/storage/list');
    const id = storages.data.content.find((storage) => storage.mount_path === '/gp2')!.id;
    expect((await a.post(`/api/admin/storage/disable?id=${id}`)).code).toBe(200);
    await eventually('B still lists gp2 after it was disabled on A', () => b.names('/'), (names) => !names.includes('gp2'));
    expect((await a.post(`/api/admin/storage/enable?id=${id}`)).code).toBe(200);
    await eventually('B lists / without gp2 after it was enabled on A', () => b.names('/'), (names) => names.includes('gp2'));
    expect((await b.post(`/api/admin/storage/delete?id=${id}`)).code).toBe(200);
    await eventually('A still lists gp2 after it was deleted on B', () => a.names('/'), (names) => !names.includes('gp2'));
    const left = await a.get<{ content: Array<{ mount_path: string }> }>('/api/admin/storage/list');
    expect(left.data.content.map((storage) => storage.mount_path)).toEqual(['/gp', '/shared']);
  });

  it('completes on B a Google authorization started on A, once', async () => {
    const created = await a.post<{ id: number }>('/api/admin/storage/create', {
      mount_path: '/authorized', driver: 'GooglePhoto',
      addition: JSON.stringify({ client_id: emulator!.client.clientId, client_secret: emulator!.client.clientSecret, api_base_url: emulator!.url }),
    });
    const id = created.data.id;
    await eventually('B does not know the new storage', () => b.get(`/api/admin/storage/get?id=${id}`).then((answer) => answer.code), (code) => code === 200);
    const answer = await a.post<{ url: string }>('/api/admin/google/authorize', { storage_id: id });
    expect(answer.code).toBe(200);
    const redirect = new URL(await approveConsent(answer.data.url));
    const callback = `${redirect.pathname}${redirect.search}`;
    const page = await b.request(callback, { token: '' });
    expect(page.response.status).toBe(200);
    expect(page.text).toContain('Storage /authorized authorized.');
    expect((await settledStorage(b, id)).status).toBe('work');
    expect((await b.names('/authorized')).length).toBeGreaterThan(0);
    await eventually('A does not list /authorized/All media', () => a.names('/authorized/All media').catch((err: Error) => [err.message]), (names) => names.length === 30);
    const replay = await a.request(callback, { token: '' });
    expect(replay.response.status).toBe(400);
    expect(replay.text).toMatch(/unknown, already used or expired/);
  });

  // Last: it leaves 127.0.0.1 refused for five minutes on both processes.
  it('refuses an address once its failed logins, spread over A and B, reach the limit of one process', async () => {
    const failure = (client: HostClient) => client.post('/api/auth/login', { username: 'nobody', password: 'wrong-password' }, '');
    const answers = [];
    for (let i = 0; i < MAX_LOGIN_FAILURES_PER_ADDRESS; i++) answers.push(await failure(i % 2 === 0 ? a : b));
    expect(answers.map((answer) => answer.message)).toEqual(answers.map(() => 'Wrong username or password'));
    for (const client of [b, a]) {
      const refused = await failure(client);
      expect(refused.code).toBe(429);
      expect(refused.message).toMatch(/Too many failed logins; try again in \d+ s/);
    }
    // The right password too, from this address, on either process.
    const owner = await a.post('/api/auth/login', { username: 'admin', password: PASSWORD }, '');
    expect(owner.code).toBe(429);
  });
});
