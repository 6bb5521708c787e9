/** The sizes the server learns are kept in memory in a bounded cache (the database is the source of truth), not a map that grows forever. */
import { expect, it } from '@jest/globals';
import { FsService } from '../../src/host/fs/fs-service.js';
import type { LiveStorage, StorageManager } from '../../src/host/storages/storage-manager.js';
import type { Obj } from '../../src/types/obj.js';

const live = { row: { id: 1, mount_path: '/m', cache_expiration: 30, disabled: false } } as unknown as LiveStorage;
const storages = { all: () => [live], get: () => live } as unknown as StorageManager;
const file = (id: string): Obj => ({ id, name: id, isDir: false, modified: new Date(0) });

it('forgets the oldest learnt sizes once it holds many files', () => {
  const fs = new FsService(storages, () => 0);
  const files = Array.from({ length: 20_001 }, (_, index) => file(`f${index}`));
  for (const [index, obj] of files.entries()) fs.rememberSize({ live, obj }, index);
  expect(fs.knownSize(live, files[0]!)).toBeUndefined();
  expect(fs.knownSize(live, files[20_000]!)).toBe(20_000);
});

it('forgets a learnt size after its maximum age (30 days), so a file changed in place is measured again', () => {
  let now = 0;
  const fs = new FsService(storages, () => now);
  fs.rememberSize({ live, obj: file('a') }, 42);
  expect(fs.knownSize(live, file('a'))).toBe(42);
  now += 29 * 24 * 3600_000;
  expect(fs.knownSize(live, file('a'))).toBe(42);
  now += 2 * 24 * 3600_000;
  expect(fs.knownSize(live, file('a'))).toBeUndefined();
});
