/**
 * A data folder of the version before AList's users model (text roles, no base_path/permission/disabled columns,
 * guest access as the `guest_enabled` setting) opens with its admin intact and guest access carried over to the
 * built-in guest user; opening it again changes nothing more.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { hashPassword } from '../../src/host/auth/password-hash.js';
import { staticHash } from '../../src/host/auth/static-hash.js';
import { createHost, type Host } from '../../src/host/index.js';
import { HostClient } from './support/host-client.js';
import { makeDataDir } from './support/host-setup.js';

const PASSWORD = 'old-admin-password-1';

/** The users and settings tables exactly as the previous version created them. */
const OLD_TABLES = `
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL
);
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);`;

let dataDir = '';
let host: Host | undefined;

async function oldDataFolder(guestEnabled: string | undefined): Promise<string> {
  dataDir = makeDataDir();
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'data.db'));
  try {
    db.exec(OLD_TABLES);
    db.prepare("INSERT INTO users (username, password_hash, role) VALUES ('admin', ?, 'admin')").run(`static:${await hashPassword(staticHash(PASSWORD))}`);
    if (guestEnabled !== undefined) db.prepare("INSERT INTO settings (key, value) VALUES ('guest_enabled', ?)").run(guestEnabled);
  } finally {
    db.close();
  }
  return dataDir;
}

async function open(): Promise<HostClient> {
  host = await createHost({ dataDir, port: 0, demo: false });
  return new HostClient(host.url);
}

function storedRows(): { settings: string[]; users: Array<{ username: string; role: number; disabled: number }> } {
  const db = new Database(path.join(dataDir, 'data.db'), { readonly: true });
  try {
    return {
      settings: (db.prepare('SELECT key FROM settings').all() as Array<{ key: string }>).map((row) => row.key),
      users: db.prepare('SELECT username, CAST(role AS INTEGER) AS role, disabled FROM users ORDER BY id').all() as Array<{ username: string; role: number; disabled: number }>,
    };
  } finally {
    db.close();
  }
}

afterEach(async () => {
  await host?.close();
  host = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('opening an older data folder', () => {
  it('keeps the admin (now role 2) and turns guest_enabled=true into an enabled guest user, once', async () => {
    await oldDataFolder('true');
    let client = await open();
    await client.login('admin', PASSWORD);
    expect((await client.get('/api/me')).data).toMatchObject({ username: 'admin', role: 2, base_path: '/', disabled: false, password: '' });
    expect((await client.post('/api/fs/list', { path: '/' }, '')).code).toBe(200);
    expect((await client.get('/api/me', '')).data).toMatchObject({ username: 'guest', role: 1, disabled: false });
    expect(storedRows().settings).not.toContain('guest_enabled');

    await host!.close();
    client = await open();
    expect(storedRows().users).toEqual([{ username: 'admin', role: 2, disabled: 0 }, { username: 'guest', role: 1, disabled: 0 }]);
    expect((await client.post('/api/fs/list', { path: '/' }, '')).code).toBe(200);
  });

  it('creates the guest user disabled when guest access was off or never set', async () => {
    for (const setting of ['false', undefined]) {
      await oldDataFolder(setting);
      const client = await open();
      expect(await client.post('/api/fs/list', { path: '/' }, '')).toMatchObject({ code: 401, message: 'Guest user is disabled, login please' });
      expect(storedRows().users).toEqual([{ username: 'admin', role: 2, disabled: 0 }, { username: 'guest', role: 1, disabled: 1 }]);
      await client.login('admin', PASSWORD);
      await host!.close();
      host = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
