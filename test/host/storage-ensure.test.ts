/** StorageManager.ensure: one storage for a mount path however many ask at once, here or in another process. */
import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { registerBuiltinDrivers } from '../../src/driver/index.js';
import { openDatabase, type HostDatabase } from '../../src/host/state/database.js';
import { StorageManager } from '../../src/host/storages/storage-manager.js';
import { StorageStore, type NewStorage } from '../../src/host/storages/storage-store.js';

let dataDir: string;
let db: HostDatabase;
let manager: StorageManager;

const kept = (root: string): NewStorage => ({
  mount_path: '/kept', driver: 'Local', order: 0, addition: JSON.stringify({ root_folder_path: root }), disabled: false,
  cache_expiration: 0, remark: 'Kept copies', demo: false,
});

beforeEach(async () => {
  registerBuiltinDrivers();
  dataDir = mkdtempSync(path.join(tmpdir(), 'storage-ensure-'));
  db = await openDatabase({ dataDir });
  manager = new StorageManager(new StorageStore(db, Date.now), undefined, () => undefined);
});

afterEach(async () => {
  await manager.closeAll();
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('creates one storage when several jobs ask for it at once', async () => {
  const lives = await Promise.all([1, 2, 3].map(() => manager.ensure(kept(dataDir))));
  expect(new Set(lives.map((live) => live.row.id)).size).toBe(1);
  expect((await new StorageStore(db, Date.now).list()).map((row) => row.mount_path)).toEqual(['/kept']);
  await lives[0]!.ready;
  expect(lives[0]!.state).toBe('work');
});

it('takes the storage another process created a moment ago, as it is stored', async () => {
  const other = await new StorageStore(db, Date.now).create({ ...kept(dataDir), remark: 'made by another process' });
  const live = await manager.ensure(kept(dataDir));
  expect(live.row).toMatchObject({ id: other.id, remark: 'made by another process' });
  expect(manager.all()).toHaveLength(1);
});
