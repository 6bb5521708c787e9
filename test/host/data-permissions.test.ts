/**
 * The data folder holds the database (password hashes, refresh tokens, the signing key) and the kept copies:
 * other local users must not read it. A new folder is private; a folder left with looser modes is tightened at start.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { createHost, type Host } from '../../src/host/index.js';
import { makeDataDir } from './support/host-setup.js';

const mode = (file: string) => statSync(file).mode & 0o777;
const DB_FILES = ['data.db', 'data.db-wal', 'data.db-shm'];

let host: Host | undefined;
let base: string | undefined;

afterEach(async () => {
  await host?.close();
  host = undefined;
  if (base) rmSync(base, { recursive: true, force: true });
});

async function start(dataDir: string): Promise<Host> {
  host = await createHost({ dataDir, port: 0, adminPassword: 'permissions-test-pw-1', demo: false });
  return host;
}

describe.each([['nothing', 0o022], ['a permissive umask', 0o000]])('a new data folder, created under %s', (_label, umask) => {
  it('is readable by its owner only, and so are the database and its -wal and -shm files', async () => {
    base = makeDataDir();
    const dataDir = path.join(base, 'data');
    const before = process.umask(umask);
    try {
      await start(dataDir);
    } finally {
      process.umask(before);
    }
    expect(mode(dataDir)).toBe(0o700);
    for (const name of DB_FILES) {
      expect(existsSync(path.join(dataDir, name))).toBe(true);
      expect([name, mode(path.join(dataDir, name))]).toEqual([name, 0o600]);
    }
  });
});

describe('an existing data folder with looser modes', () => {
  it('is tightened at start: the folder to 0700, the database files to 0600, the kept folder to 0700', async () => {
    base = makeDataDir();
    const dataDir = path.join(base, 'data');
    await start(dataDir);
    await host!.close();
    host = undefined;
    mkdirSync(path.join(dataDir, 'kept'));
    chmodSync(dataDir, 0o755);
    chmodSync(path.join(dataDir, 'kept'), 0o777);
    for (const name of DB_FILES) if (existsSync(path.join(dataDir, name))) chmodSync(path.join(dataDir, name), 0o644);

    await start(dataDir);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, 'kept'))).toBe(0o700);
    for (const name of DB_FILES) expect([name, mode(path.join(dataDir, name))]).toEqual([name, 0o600]);
  });
});
