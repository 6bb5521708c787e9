/** FsService.link merges concurrent requests for one file's link: one caller going away must not fail the others. */
import { expect, it } from '@jest/globals';
import { FsService, type FileTarget } from '../../src/host/fs/fs-service.js';
import type { LiveStorage, StorageManager } from '../../src/host/storages/storage-manager.js';
import type { Driver, LinkArgs } from '../../src/types/driver.js';
import type { Link, Obj, ObjRef } from '../../src/types/obj.js';

/** A driver whose link() answers when told to, and gives up when the signal it was handed aborts (as a real HTTP call would). */
function slowLinkDriver(): { driver: Driver; answer: () => void; calls: () => number } {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => { release = resolve; });
  let calls = 0;
  const root: Obj = { id: 'root', name: '', isDir: true, modified: new Date(0) };
  const driver = {
    meta: { name: 'Slow', displayName: 'Slow', localSort: true, onlyProxy: false, noUpload: true, defaultRoot: 'root', configItems: [] },
    init: async () => undefined,
    drop: async () => undefined,
    getRoot: () => root,
    list: async () => [],
    async link(_file: ObjRef, args?: LinkArgs): Promise<Link> {
      calls += 1;
      await new Promise<void>((resolve, reject) => {
        released.then(resolve);
        args?.signal?.addEventListener('abort', () => reject(args.signal!.reason), { once: true });
      });
      return { url: 'http://127.0.0.1:9/file', expiresAt: new Date(Date.now() + 3600_000) };
    },
  } satisfies Driver;
  return { driver, answer: release, calls: () => calls };
}

it('keeps serving a merged link request when the first caller aborts', async () => {
  const { driver, answer, calls } = slowLinkDriver();
  const live = {
    row: { id: 1, mount_path: '/slow', cache_expiration: 30, disabled: false },
    driver, ready: Promise.resolve(), state: 'work',
  } as unknown as LiveStorage;
  const storages = { all: () => [live], get: () => live } as unknown as StorageManager;
  const fs = new FsService(storages, Date.now);
  const target: FileTarget = { live, obj: { id: 'a.jpg', name: 'a.jpg', isDir: false, modified: new Date(0) }, path: '/slow/a.jpg' };

  const firstClient = new AbortController();
  const first = fs.link(target, false, firstClient.signal).then(() => 'served', () => 'aborted');
  const second = fs.link(target, false, new AbortController().signal);
  await new Promise((resolve) => setImmediate(resolve)); // both are now waiting on the one driver call
  expect(calls()).toBe(1);
  firstClient.abort(new Error('client went away'));
  answer();

  await expect(second).resolves.toMatchObject({ link: { url: 'http://127.0.0.1:9/file' } });
  expect(await first).toBe('aborted'); // the caller that went away stops waiting at once
  expect(calls()).toBe(1);
});
