/**
 * `gphotos-alist migrate`: a data folder filled by a real host on SQLite is copied into PostgreSQL, and a host on
 * that PostgreSQL serves the same users, logins, storages, settings, metas and tasks; a second run is refused
 * without writing; bad or unreachable targets get clear errors that never show the URL's password.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { hashPassword } from '../../src/host/auth/password-hash.js';
import { staticHash } from '../../src/host/auth/static-hash.js';
import { main } from '../../src/host/cli/migrate.js';
import { createHost, type Host } from '../../src/host/index.js';
import { DatabaseSizeStore } from '../../src/host/sizes/database-size-store.js';
import { HOST_TABLES } from '../../src/host/state/copy-database.js';
import { openDatabase } from '../../src/host/state/database.js';
import { TaskStore, type TaskRow } from '../../src/host/tasks/task-store.js';
import { TaskState } from '../../src/host/tasks/task-state.js';
import { postgresAvailable } from '../support/postgres-server.js';
import { closeTestPostgres, testPostgres } from '../support/test-databases.js';
import { HostClient } from './support/host-client.js';
import { ADMIN_PASSWORD, makeDataDir } from './support/host-setup.js';

const ANNA_PASSWORD = 'anna-password-31';
const URL_PASSWORD = 'url-password-never-shown-9';
const SIZES = 2_500;
const TASK_IDS = ['task-c', 'task-a', 'task-b']; // inserted in this order, which is not the ids' order

afterAll(closeTestPostgres);

/** Runs the command with console.log captured. */
async function runMigrate(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => { lines.push(parts.map(String).join(' ')); });
  try {
    await main(args);
  } finally {
    spy.mockRestore();
  }
  return lines;
}

function withPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = URL_PASSWORD;
  return parsed.toString();
}

function doneTask(id: string): TaskRow {
  return {
    id, kind: 'copy', name: `copy ${id}`, state: TaskState.Succeeded, status: 'done', payload: '{}', done_bytes: 10, total_bytes: 10, error: '',
    attempts: 1, creator_id: 1, detail: '{}', created_at: '2026-11-30T00:00:00.000Z', start_time: null, end_time: null,
  };
}

/** Every row of every host table in PostgreSQL, in a fixed order. */
async function everyRow(databaseUrl: string, dataDir: string): Promise<Record<string, unknown[]>> {
  const db = await openDatabase({ dataDir, databaseUrl });
  try {
    const rows: Record<string, unknown[]> = {};
    for (const { name } of HOST_TABLES) rows[name] = await db.all(`SELECT * FROM ${name} ORDER BY 1, 2`);
    return rows;
  } finally {
    await db.close();
  }
}

(postgresAvailable() ? describe : describe.skip)('gphotos-alist migrate into PostgreSQL', () => {
  let dataDir: string;
  let databaseUrl: string;
  let host: Host | undefined;
  let storageId: number;
  let annaId: number;
  let annaToken: string;
  let adminToken: string;

  beforeAll(async () => {
    dataDir = makeDataDir();
    const localRoot = path.join(dataDir, 'files');
    mkdirSync(localRoot);
    writeFileSync(path.join(localRoot, 'keep.txt'), 'shown');
    writeFileSync(path.join(localRoot, 'secret.txt'), 'hidden by a meta');
    databaseUrl = withPassword(await (await testPostgres()).createDatabase());

    host = await createHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false });
    const admin = new HostClient(host.url);
    adminToken = await admin.login('admin', ADMIN_PASSWORD);
    expect(await admin.post('/api/admin/user/create', { username: 'anna', password: ANNA_PASSWORD })).toMatchObject({ code: 200 });
    const users = (await admin.get<{ content: Array<{ id: number; username: string }> }>('/api/admin/user/list')).data.content;
    annaId = users.find((user) => user.username === 'anna')!.id;
    const created = await admin.post<{ id: number }>('/api/admin/storage/create', { mount_path: '/local', driver: 'Local', addition: JSON.stringify({ root_folder_path: localRoot }) });
    storageId = created.data.id;
    // A storage deleted again: SQLite never hands its id out twice, nor may PostgreSQL after the move.
    const gone = await admin.post<{ id: number }>('/api/admin/storage/create', { mount_path: '/gone', driver: 'Local', addition: JSON.stringify({ root_folder_path: localRoot }) });
    expect(await admin.post(`/api/admin/storage/delete?id=${gone.data.id}`)).toMatchObject({ code: 200 });
    expect(await admin.post('/api/admin/meta/create', { path: '/local', hide: 'secret', h_sub: true })).toMatchObject({ code: 200 });
    expect(await admin.post('/api/admin/setting/save', [{ key: 'site_title', value: 'The family photos' }])).toMatchObject({ code: 200 });
    const anna = new HostClient(host.url);
    annaToken = await anna.login('anna', ANNA_PASSWORD);
    expect(await anna.names('/local')).toEqual(['keep.txt']);
    await host.close();
    host = undefined;

    // What a long-running server leaves too: finished tasks, and thousands of learnt sizes.
    const sqlite = await openDatabase({ dataDir });
    try {
      for (const id of TASK_IDS) await new TaskStore(sqlite).insert(doneTask(id));
      await new DatabaseSizeStore(sqlite).save(Array.from({ length: SIZES }, (_, i) => ({ storageId, itemId: `item-${i}`, size: 1000 + i, learntAt: 5 })));
    } finally {
      await sqlite.close();
    }
  }, 60_000);

  afterAll(async () => {
    await host?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('copies every table; a host on PostgreSQL serves the same users, logins, storages, settings, metas and tasks', async () => {
    const lines = await runMigrate(['--from', dataDir, '--to', databaseUrl]);
    const output = lines.join('\n');
    expect(output).not.toContain(URL_PASSWORD);
    expect(output).toContain(`into PostgreSQL at ${databaseUrl.replace(URL_PASSWORD, '***')}`);
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^ {2}storages +1$/), expect.stringMatching(/^ {2}users +3$/), expect.stringMatching(/^ {2}metas +1$/),
      expect.stringMatching(/^ {2}tasks +3$/), expect.stringMatching(new RegExp(`^ {2}item_sizes +${SIZES}$`)),
    ]));
    expect(output).toMatch(/DATABASE_URL/);
    expect(output).toContain(`Keep ${path.join(dataDir, 'data.db')} as a backup`);

    host = await createHost({ dataDir, port: 0, databaseUrl, demo: false });
    const anna = new HostClient(host.url);
    expect((await anna.get('/api/me', annaToken)).data).toMatchObject({ id: annaId, username: 'anna' });
    await anna.login('anna', ANNA_PASSWORD);
    expect(await anna.names('/')).toEqual(['local']);
    expect(await anna.names('/local')).toEqual(['keep.txt']);
    expect((await anna.get('/api/public/settings', '')).data.site_title).toBe('The family photos');

    const admin = new HostClient(host.url);
    admin.token = adminToken;
    const done = await admin.get<Array<{ id: string }>>('/api/admin/task/copy/done');
    expect(done.data.map((task) => task.id)).toEqual(TASK_IDS);
    const created = await admin.post<{ id: number }>('/api/admin/storage/create', { mount_path: '/new', driver: 'Local', addition: JSON.stringify({ root_folder_path: dataDir }) });
    expect(created).toMatchObject({ code: 200 });
    expect(created.data.id).toBe(storageId + 2);
    expect(await admin.post('/api/admin/user/create', { username: 'ben', password: 'ben-password-42' })).toMatchObject({ code: 200 });
    const users = (await admin.get<{ content: Array<{ id: number; username: string }> }>('/api/admin/user/list')).data.content;
    expect(users.find((user) => user.username === 'ben')!.id).toBeGreaterThan(annaId);
    await host.close();
    host = undefined;

    const postgres = await openDatabase({ dataDir, databaseUrl });
    try {
      const sizes = await new DatabaseSizeStore(postgres).many(storageId, [`item-0`, `item-${SIZES - 1}`]);
      expect([...sizes.values()].map((size) => size.size)).toEqual(expect.arrayContaining([1000, 1000 + SIZES - 1]));
    } finally {
      await postgres.close();
    }
  });

  it('refuses a second run into the same database, and changes nothing there', async () => {
    const before = await everyRow(databaseUrl, dataDir);
    let message = '';
    await runMigrate(['--from', dataDir, '--to', databaseUrl]).catch((err: Error) => { message = err.message; });
    expect(message).toMatch(/already holds rows in storages, users, settings, metas/);
    expect(message).toContain('nothing was written');
    expect(message).not.toContain(URL_PASSWORD);
    expect(await everyRow(databaseUrl, dataDir)).toEqual(before);
  });
});

(postgresAvailable() ? describe : describe.skip)('gphotos-alist migrate: other data folders', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = makeDataDir();
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a row PostgreSQL refuses in the last table leaves it empty; once fixed, the copy goes through', async () => {
    const databaseUrl = await (await testPostgres()).createDatabase();
    const sqlite = await openDatabase({ dataDir });
    try {
      await sqlite.run("INSERT INTO storages (id, mount_path, driver, modified) VALUES (4, '/local', 'Local', '2026-11-30T00:00:00.000Z')");
      await sqlite.run("INSERT INTO users (username, password_hash) VALUES ('anna', 'x')");
      // PostgreSQL's text holds no NUL character; SQLite's does.
      await sqlite.run("INSERT INTO dav_properties (storage_id, path, namespace, name, value) VALUES (4, '/a.txt', 'urn:x', 'note', 'a' || char(0) || 'b')");
    } finally {
      await sqlite.close();
    }
    let message = '';
    await runMigrate(['--from', dataDir, '--to', databaseUrl]).catch((err: Error) => { message = err.message; });
    expect(message).toMatch(/^The rows of dav_properties could not be copied \(.+\); nothing was written to PostgreSQL/);
    expect(Object.values(await everyRow(databaseUrl, dataDir)).flat()).toEqual([]);

    const fixing = await openDatabase({ dataDir });
    try {
      await fixing.run("UPDATE dav_properties SET value = 'ab'");
    } finally {
      await fixing.close();
    }
    const lines = await runMigrate(['--from', dataDir, '--to', databaseUrl]);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^ {2}storages +1$/), expect.stringMatching(/^ {2}dav_properties +1$/)]));
  });

  it('a data folder of a version before numbered migrations (text roles, fewer columns) is brought up to date, then copied', async () => {
    const oldDir = makeDataDir();
    let host: Host | undefined;
    try {
      const old = new Database(path.join(oldDir, 'data.db'));
      try {
        old.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL, role TEXT NOT NULL);
          CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
        old.prepare("INSERT INTO users (username, password_hash, role) VALUES ('admin', ?, 'admin')").run(`static:${await hashPassword(staticHash(ADMIN_PASSWORD))}`);
        old.prepare("INSERT INTO settings (key, value) VALUES ('guest_enabled', 'true')").run();
      } finally {
        old.close();
      }
      const databaseUrl = await (await testPostgres()).createDatabase();
      expect(await runMigrate(['--from', oldDir, '--to', databaseUrl])).toEqual(expect.arrayContaining([expect.stringMatching(/^ {2}users +1$/)]));

      host = await createHost({ dataDir: oldDir, port: 0, databaseUrl, demo: false });
      const client = new HostClient(host.url);
      await client.login('admin', ADMIN_PASSWORD);
      expect((await client.get('/api/me')).data).toMatchObject({ username: 'admin', role: 2, base_path: '/', disabled: false });
      expect((await client.get('/api/me', '')).data).toMatchObject({ username: 'guest', role: 1, disabled: false });
    } finally {
      await host?.close();
      rmSync(oldDir, { recursive: true, force: true });
    }
  });
});

describe('gphotos-alist migrate: what it refuses', () => {
  let dataDir: string;
  const savedUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    dataDir = makeDataDir();
    await (await openDatabase({ dataDir })).close();
    delete process.env.DATABASE_URL;
  });

  afterAll(() => {
    if (savedUrl !== undefined) process.env.DATABASE_URL = savedUrl;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('names an unreachable PostgreSQL without its password', async () => {
    const port = await closedPort();
    const url = `postgres://migrator:${URL_PASSWORD}@127.0.0.1:${port}/gphotos`;
    let message = '';
    await runMigrate(['--from', dataDir, '--to', url]).catch((err: Error) => { message = err.message; });
    expect(message).toContain(`PostgreSQL (postgres://migrator:***@127.0.0.1:${port}/gphotos) cannot be reached`);
    expect(message).not.toContain(URL_PASSWORD);
  });

  it('needs a PostgreSQL URL and a data folder with data.db', async () => {
    await expect(runMigrate(['--from', dataDir])).rejects.toThrow('Give the PostgreSQL database to copy into: --to postgres://… or env DATABASE_URL');
    await expect(runMigrate(['--from', dataDir, '--to', `mysql://root:${URL_PASSWORD}@127.0.0.1/db`]))
      .rejects.toThrow('--to (or DATABASE_URL) must be a postgres://user:password@host:5432/database URL, not mysql://root:***@127.0.0.1/db');
    const empty = path.join(dataDir, 'not-a-data-folder');
    await expect(runMigrate(['--from', empty, '--to', 'postgres://127.0.0.1:1/db'])).rejects.toThrow(`There is no data.db in ${empty}`);
    expect(existsSync(empty)).toBe(false);
  });
});

/** A port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
