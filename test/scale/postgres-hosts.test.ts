/**
 * Two host processes (the built dist/, as children), each with a data folder of its own, sharing a private
 * PostgreSQL (DATABASE_URL) and a private Redis: no demo mounted unasked, a login on A works on B, a storage
 * created on A is served by B once, a flushed Redis loses nothing, and PostgreSQL going away gives clear errors, writes nothing half-way, and
 * the hosts work again by themselves once it is back. Needs Debian's postgresql and redis-server (.ci/run
 * installs them); skipped outside CI when missing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createHost } from '../../src/host/index.js';
import { createGooglePhotosStorage } from '../host/support/google-photos-storage.js';
import { HostClient } from '../host/support/host-client.js';
import { makeDataDir } from '../host/support/host-setup.js';
import { buildDist, spawnServe, stopProcesses, type ServeOptions } from '../host/support/serve-process.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { freePort } from '../support/free-port.js';
import { scaleSuiteRuns, startRedis, type RedisServer } from './support/redis-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PASSWORD = 'scale-postgres-password-9Q';
const CHANGE_LIMIT_MS = 15_000;

let redis: RedisServer | undefined;
let postgres: PostgresServer | undefined;
let databaseUrl: string;
let emulator: Emulator | undefined;
const dataDirs: string[] = [];
const children: ChildProcess[] = [];
let a: HostClient;
let b: HostClient;

async function startChild(env: Record<string, string>, options: Omit<ServeOptions, 'env'> = {}): Promise<string> {
  const dataDir = makeDataDir();
  dataDirs.push(dataDir);
  const serve = spawnServe(ROOT, dataDir, PASSWORD, [], { ...options, env });
  children.push(serve.child);
  return serve.url;
}

async function storageId(client: HostClient, mountPath: string): Promise<number> {
  const storages = await client.get<{ content: Array<{ id: number; mount_path: string }> }>('/api/admin/storage/list');
  return storages.data.content.find((storage) => storage.mount_path === mountPath)!.id;
}

async function eventually<T>(what: string, probe: () => Promise<T>, holds: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + CHANGE_LIMIT_MS;
  for (;;) {
    const value = await probe().catch((err: unknown) => err as T);
    if (holds(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${value instanceof Error ? value.message : JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const runs = scaleSuiteRuns() && postgresAvailable();

(runs ? describe : describe.skip)('two host processes on PostgreSQL and Redis', () => {
  beforeAll(async () => {
    [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
    databaseUrl = await postgres.createDatabase();
    await buildDist(ROOT, 'dist/host/state/postgres-database.js');
    emulator = await startEmulator({ items: 12, albums: 2, pickableOnlyItems: 0 });
    const shared = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url };
    // Both at once, neither told about the demo: the tables and the admin are created once, and no demo is mounted.
    const [urlA, urlB] = await Promise.all([startChild(shared, { demoByDefault: true }), startChild(shared, { demoByDefault: true })]);
    a = new HostClient(urlA);
    b = new HostClient(urlB);
  }, 240_000);

  afterAll(async () => {
    await stopProcesses(children);
    await emulator?.close();
    await redis?.close();
    await postgres?.close();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start when PostgreSQL cannot be reached: the CLI exits non-zero naming the URL without its password', async () => {
    const nowhere = `postgres://gphotos:hunter2-secret@127.0.0.1:${await freePort()}/photos`;
    const failed = startChild({ DATABASE_URL: nowhere });
    await expect(failed).rejects.toThrow(/exited \(1\)[\s\S]*PostgreSQL \(postgres:\/\/gphotos:\*\*\*@127\.0\.0\.1:\d+\/photos\) cannot be reached/);
    await expect(failed).rejects.not.toThrow(/hunter2-secret/);
    const otherDir = makeDataDir();
    dataDirs.push(otherDir);
    await expect(createHost({ dataDir: otherDir, port: 0, adminPassword: PASSWORD, databaseUrl: nowhere })).rejects.toThrow(/cannot be reached/);
  });

  it('mounts no demo storage when both processes share their state, and has one admin', async () => {
    await a.login('admin', PASSWORD);
    b.token = a.token;
    expect(await a.names('/')).toEqual([]);
    const storages = await b.get<{ content: unknown[] }>('/api/admin/storage/list');
    expect(storages.data.content).toEqual([]);
    const users = await b.get<{ content: Array<{ username: string; role: number }> }>('/api/admin/user/list');
    expect(users.data.content.map((user) => user.username).sort()).toEqual(['admin', 'guest']);
  });

  it('accepts on B a login made on A, and a logout on B ends it on A', async () => {
    const client = new HostClient(a.baseUrl);
    const token = await client.login('admin', PASSWORD);
    const onB = await b.get<{ username: string }>('/api/me', token);
    expect(onB.data.username).toBe('admin');
    expect((await b.get('/api/auth/logout', token)).code).toBe(200);
    expect((await a.get('/api/me', token)).code).toBe(401);
  });

  it('serves on B a storage created on A, listed once', async () => {
    await createGooglePhotosStorage(a, emulator!, { mountPath: '/gp', refreshToken: emulator!.issueRefreshToken() });
    const root = await eventually('B lists /gp', () => b.names('/'), (names) => Array.isArray(names) && names.includes('gp'));
    expect(root).toEqual(['gp']);
    const items = await eventually('B lists /gp/All media', () => b.names('/gp/All media'), (names) => Array.isArray(names) && names.length === 12);
    expect(await a.names('/gp/All media')).toEqual(items);
  });

  it('loses nothing when Redis is flushed: logins, one token refresh for both, storage announcements', async () => {
    const flusher = new Redis(redis!.url);
    try {
      expect(await flusher.flushall()).toBe('OK');
    } finally {
      flusher.disconnect();
    }
    expect((await b.get<{ username: string }>('/api/me')).data.username).toBe('admin');
    await fetch(`${emulator!.url}/emulator/access-tokens/expire`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const before = emulator!.requestCounts()['POST /token'] ?? 0;
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).post('/api/fs/list', { path: '/gp/All media', refresh: true })));
    expect(answers.map((answer) => answer.code)).toEqual(answers.map(() => 200));
    expect((emulator!.requestCounts()['POST /token'] ?? 0) - before).toBe(1);
    await createGooglePhotosStorage(b, emulator!, { mountPath: '/after-flush', refreshToken: emulator!.issueRefreshToken() });
    await eventually('A lists /after-flush', () => a.names('/'), (names) => Array.isArray(names) && names.includes('after-flush'));
    expect((await a.post('/api/admin/storage/delete?id=' + (await storageId(a, '/after-flush')))).code).toBe(200);
    await eventually('B no longer lists /after-flush', () => b.names('/'), (names) => Array.isArray(names) && !names.includes('after-flush'));
  });

  it('answers a clear error while PostgreSQL is away, keeps nothing half-written, and works again once it is back', async () => {
    await postgres!.stop();
    const [list, create, login] = await Promise.all([
      a.post('/api/fs/list', { path: '/' }),
      b.post('/api/admin/storage/create', { mount_path: '/during-outage', driver: 'Local', addition: '{"root_folder_path":"/tmp"}' }),
      b.post('/api/auth/login', { username: 'admin', password: PASSWORD }, ''),
    ]);
    for (const answer of [list, create, login]) {
      expect(answer.code).toBe(500);
      expect(answer.error?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(answer.message).toMatch(/^PostgreSQL \(postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+\) cannot be reached/);
      expect(answer.error?.hint).toMatch(/Bring PostgreSQL \(DATABASE_URL\) back/);
    }
    await postgres!.start();
    const names = await eventually('A lists / again', () => a.names('/'), (value) => Array.isArray(value));
    expect(names).toEqual(['gp']);
    const storages = await b.get<{ content: Array<{ mount_path: string }> }>('/api/admin/storage/list');
    expect(storages.data.content.map((storage) => storage.mount_path)).toEqual(['/gp']);
    expect(await new HostClient(b.baseUrl).login('admin', PASSWORD)).toMatch(/\S{20,}/);
  });
});
