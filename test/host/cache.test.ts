/** Listing cache: reused until it expires, bypassed by refresh, and concurrent identical listings merged. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { expectNoSecrets } from './support/secrets-scan.js';
import { startHostWithEmulator, type HostSetup } from './support/host-setup.js';
import { setGuestAccess } from './support/guest-user.js';

let setup: HostSetup;
let albumPaths: string[];

/** Library API requests the emulator served (token requests excluded). */
function libraryRequests(): number {
  return Object.entries(setup.emulator.requestCounts())
    .filter(([key]) => key.includes('/photoslibrary/'))
    .reduce((sum, [, count]) => sum + count, 0);
}

async function upstreamDuring(work: () => Promise<unknown>): Promise<number> {
  const before = libraryRequests();
  await work();
  return libraryRequests() - before;
}

beforeAll(async () => {
  setup = await startHostWithEmulator({ items: 30, albums: 4 });
  const id = await setup.addGooglePhotos('/photos', {}, { cache_expiration: 30 });
  const uncached = await setup.addGooglePhotos('/uncached', {}, { cache_expiration: 0 });
  expect((await setup.settled(id)).status).toBe('work');
  expect((await setup.settled(uncached)).status).toBe('work');
  const albums = (await setup.client.names('/photos')).find((name) => /^albums$/i.test(name))!;
  const titles = await setup.client.names(`/photos/${albums}`);
  albumPaths = titles.map((title) => `/photos/${albums}/${title}`);
  expect(albumPaths.length).toBeGreaterThanOrEqual(3);
});

afterAll(async () => {
  await setup?.close();
});

it('answers a second listing from the cache, and a refresh asks the storage once and replaces the cache', async () => {
  const path = albumPaths[0]!;
  const first = await upstreamDuring(() => setup.client.names(path));
  expect(first).toBeGreaterThan(0);
  expect(await upstreamDuring(() => setup.client.names(path))).toBe(0);
  expect(await upstreamDuring(() => setup.client.names(path, { refresh: true }))).toBe(first);
  expect(await upstreamDuring(() => setup.client.names(path))).toBe(0);
});

it('merges 10 concurrent identical listings into one storage listing', async () => {
  const path = albumPaths[1]!;
  setup.emulator.setFaults({ latencyMs: 150 });
  try {
    const merged = await upstreamDuring(async () => {
      const lists = await Promise.all(Array.from({ length: 10 }, () => setup.client.names(path)));
      for (const names of lists) expect(names).toEqual(lists[0]);
    });
    const single = await upstreamDuring(() => setup.client.names(path, { refresh: true }));
    expect(single).toBeGreaterThan(0);
    expect(merged).toBe(single);
  } finally {
    setup.emulator.setFaults({ latencyMs: 0 });
  }
});

it('asks the storage every time when its cache expiration is 0', async () => {
  const albums = (await setup.client.names('/uncached')).find((name) => /^albums$/i.test(name))!;
  const path = `/uncached/${albums}`;
  const first = await upstreamDuring(() => setup.client.names(path));
  expect(first).toBeGreaterThan(0);
  expect(await upstreamDuring(() => setup.client.names(path))).toBe(first);
});

it('applies a changed cache expiration at once: a storage set to 0 stops answering from its cache', async () => {
  const path = albumPaths[2]!;
  await setup.client.names(path);
  expect(await upstreamDuring(() => setup.client.names(path))).toBe(0);
  const id = (await setup.client.get('/api/admin/storage/list')).data.content.find((storage: { mount_path: string }) => storage.mount_path === '/photos').id;
  const setCache = async (minutes: number) => {
    expect((await setup.client.post(`/api/admin/storage/update?id=${id}`, { cache_expiration: minutes })).code).toBe(200);
    expect((await setup.settled(id)).status).toBe('work');
  };
  await setCache(0);
  try {
    await setup.client.names(path);
    expect(await upstreamDuring(() => setup.client.names(path))).toBeGreaterThan(0);
  } finally {
    await setCache(30);
  }
});

it('refuses a refresh from a guest who may not write, as AList does', async () => {
  const path = albumPaths[2]!;
  await setup.client.names(path);
  await setGuestAccess(setup.client, true);
  const byGuest = await upstreamDuring(async () => {
    const answer = await setup.client.post('/api/fs/list', { path, refresh: true }, '');
    expect(answer).toMatchObject({ code: 403, message: 'Refresh without permission' });
  });
  expect(byGuest).toBe(0);
});

it('leaves no secret in any answer fetched in this file', () => {
  expectNoSecrets(setup.client.seenBodies, setup.secrets);
});
