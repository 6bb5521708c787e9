/** Sessions and passwords on the real host: logout, password change, restarts, the first admin password, old hashes. */
import { randomBytes, scryptSync } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHost, type Host } from '../../src/host/index.js';
import { HostClient } from './support/host-client.js';
import { makeDataDir } from './support/host-setup.js';
import { expectNoSecrets } from './support/secrets-scan.js';

const PASSWORD = 'sessions-test-password-4X';
const NEW_PASSWORD = 'changed-password-8J';

function startHost(dataDir: string, now?: () => number): Promise<Host> {
  return createHost({ dataDir, port: 0, adminPassword: PASSWORD, demo: false, ...(now ? { now } : {}) });
}

async function loggedIn(host: Host, password = PASSWORD, username = 'admin'): Promise<HostClient> {
  const client = new HostClient(host.url);
  await client.login(username, password);
  return client;
}

/** Every byte of the data folder's files (database, WAL), as latin1 text to search in. */
function dataFolderText(dataDir: string): string {
  return readdirSync(dataDir).map((name) => readFileSync(path.join(dataDir, name)).toString('latin1')).join('\n');
}

describe('logout and password change', () => {
  const dataDir = makeDataDir();
  let host: Host;
  const clients: HostClient[] = [];

  beforeAll(async () => {
    host = await startHost(dataDir);
  });
  afterAll(async () => {
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function session(password = PASSWORD, username = 'admin'): Promise<HostClient> {
    const client = await loggedIn(host, password, username);
    clients.push(client);
    return client;
  }

  it('logout ends the session of the token sent, and only that one', async () => {
    const leaving = await session();
    const staying = await session();
    expect((await leaving.get('/api/auth/logout')).code).toBe(200);
    expect((await leaving.get('/api/me')).code).toBe(401);
    expect((await leaving.get('/api/auth/logout')).code).toBe(401);
    expect((await staying.get('/api/me')).data.username).toBe('admin');
    expect((await staying.post('/api/auth/logout')).code).toBe(200);
    expect((await staying.get('/api/me')).code).toBe(401);
  });

  it('refuses a too short new password, and anyone not logged in', async () => {
    const client = await session();
    const short = await client.post('/api/me/update', { username: 'admin', password: 'short' });
    expect(short.code).toBe(400);
    expect(short.message).toMatch(/at least 8/);
    expect((await client.post('/api/me/update', { username: '', password: NEW_PASSWORD })).code).toBe(400);
    expect((await client.post('/api/me/update', { username: 'admin', password: NEW_PASSWORD }, '')).code).toBe(401);
    expect((await client.login('admin', PASSWORD)).length).toBeGreaterThan(0); // unchanged
  });

  it('changes the password, ending every other session of the user but the one that changed it', async () => {
    const changer = await session();
    const other = await session();
    const answer = await changer.post('/api/me/update', { username: 'admin', password: NEW_PASSWORD });
    expect(answer).toMatchObject({ code: 200, data: null });
    expect((await other.get('/api/me')).code).toBe(401);
    expect((await changer.get('/api/me')).data.username).toBe('admin');
    const old = await new HostClient(host.url).post('/api/auth/login', { username: 'admin', password: PASSWORD }, '');
    expect(old.code).toBe(400);
    await session(NEW_PASSWORD);
  });

  it('renames the user with an empty password left unchanged, as AList does', async () => {
    const client = await session(NEW_PASSWORD);
    expect((await client.post('/api/me/update', { username: 'boss', password: '' })).code).toBe(200);
    expect((await client.get('/api/me')).data.username).toBe('boss');
    await session(NEW_PASSWORD, 'boss');
  });

  it('never shows a password or a token of another session in an answer', () => {
    expectNoSecrets(clients.flatMap((client) => client.seenBodies), [PASSWORD, NEW_PASSWORD]);
  });
});

describe('sessions in the database', () => {
  it('survive a restart, and the data folder holds no token', async () => {
    const dataDir = makeDataDir();
    try {
      let host = await startHost(dataDir);
      const client = await loggedIn(host);
      await host.close();
      expect(dataFolderText(dataDir)).not.toContain(client.token);
      host = await startHost(dataDir);
      try {
        const again = new HostClient(host.url);
        expect((await again.get('/api/me', client.token)).data).toMatchObject({ username: 'admin', role: 2 });
      } finally {
        await host.close();
      }
      expect(dataFolderText(dataDir)).not.toContain(client.token);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('are removed from the database once expired, so logins cannot pile up', async () => {
    const dataDir = makeDataDir();
    const clock = { now: Date.now() };
    const host = await startHost(dataDir, () => clock.now);
    try {
      const first = await loggedIn(host);
      for (let login = 0; login < 4; login++) await loggedIn(host);
      clock.now += 49 * 3600 * 1000; // past the 48 h lifetime
      expect((await first.get('/api/me')).code).toBe(401);
      await loggedIn(host);
      const db = new Database(path.join(dataDir, 'data.db'), { readonly: true });
      try {
        expect((db.prepare('SELECT COUNT(*) AS n FROM auth_sessions').get() as { n: number }).n).toBe(1);
      } finally {
        db.close();
      }
    } finally {
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the first admin password', () => {
  const dataDir = makeDataDir();
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is refused with a clear error when empty or shorter than 8 characters', async () => {
    await expect(createHost({ dataDir, port: 0, adminPassword: '', demo: false })).rejects.toThrow(/ADMIN_PASSWORD.*empty/i);
    await expect(createHost({ dataDir, port: 0, adminPassword: 'seven77', demo: false })).rejects.toThrow(/ADMIN_PASSWORD.*at least 8/i);
    const previous = process.env.ADMIN_PASSWORD;
    process.env.ADMIN_PASSWORD = '';
    try {
      await expect(createHost({ dataDir, port: 0, demo: false })).rejects.toThrow(/ADMIN_PASSWORD.*empty/i);
    } finally {
      if (previous === undefined) delete process.env.ADMIN_PASSWORD;
      else process.env.ADMIN_PASSWORD = previous;
    }
    // Nothing was created: a good password on the next start makes the admin.
    const host = await startHost(dataDir);
    try {
      await loggedIn(host);
    } finally {
      await host.close();
    }
  });
});

describe('password hashes of an older strength', () => {
  it('still log in, and are replaced by a current-strength hash on that login', async () => {
    const dataDir = makeDataDir();
    try {
      await (await startHost(dataDir)).close();
      const salt = randomBytes(16);
      const legacy = ['scrypt', 16384, 8, 1, salt.toString('base64'), scryptSync(PASSWORD, salt, 64, { N: 16384, r: 8, p: 1 }).toString('base64')].join('$');
      const storedHash = () => {
        const db = new Database(path.join(dataDir, 'data.db'));
        try {
          return (db.prepare("SELECT password_hash AS hash FROM users WHERE username = 'admin'").get() as { hash: string }).hash;
        } finally {
          db.close();
        }
      };
      const db = new Database(path.join(dataDir, 'data.db'));
      db.prepare("UPDATE users SET password_hash = ? WHERE username = 'admin'").run(legacy);
      db.close();

      const host = await startHost(dataDir);
      try {
        await loggedIn(host);
        // Rewritten at the current strength, of AList's static hash of the password (so login/hash works too).
        expect(storedHash()).toMatch(/^static:scrypt\$131072\$8\$1\$/);
        await loggedIn(host);
      } finally {
        await host.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
