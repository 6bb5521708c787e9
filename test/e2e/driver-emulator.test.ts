import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jpeg from 'jpeg-js';
import type { GooglePhotos } from '../../src/driver/google-photos/driver.js';
import type { Obj } from '../../src/types/obj.js';
import { COUNT, driverFor, fetchBytes, groundTruth, namesOf, sorted, startE2EEmulator, type E2E } from './support.js';

const ITEMS = 250;
let e2e: E2E;
let driver: GooglePhotos;

beforeAll(async () => {
  e2e = await startE2EEmulator({ items: ITEMS, albums: 6 });
  driver = driverFor(e2e, {}, { now: () => e2e.clock.now });
  await driver.init();
});

afterAll(async () => {
  await driver?.drop();
  await e2e?.emu.close();
});

function expectValidJpeg(bytes: Buffer): void {
  expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xd8]);
  expect([...bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
  const image = jpeg.decode(bytes, { useTArray: true });
  expect(image.width).toBeGreaterThan(0);
  expect(image.height).toBeGreaterThan(0);
  expect(image.data.length).toBe(image.width * image.height * 4);
}

describe('driver against the emulator: listings', () => {
  it('lists the four virtual folders at the root', async () => {
    const root = await driver.list(driver.getRoot());
    expect(root.map((obj) => obj.id)).toEqual(['all', 'albums', 'share_albums', 'picked']);
    expect(root.every((obj) => obj.isDir)).toBe(true);
  });

  it('lists every media item of the client in "all": each id once, unique names, with ceil(N/100) list calls and no token call', async () => {
    const truth = groundTruth(e2e.emu);
    expect(truth.items).toHaveLength(ITEMS);
    e2e.emu.resetCounts();
    const all = await driver.list('all');
    expect(sorted(all.map((obj) => obj.id))).toEqual(sorted(truth.items.map((item) => item.id)));
    expect(new Set(all.map((obj) => obj.id)).size).toBe(all.length);
    expect(new Set(namesOf(all)).size).toBe(all.length);
    expect(all.every((obj) => !obj.isDir && !obj.name.includes('/'))).toBe(true);
    // Unique names keep the emulator's filename, or carry the id before the extension when the filename repeats.
    const byId = new Map(truth.items.map((item) => [item.id, item.filename]));
    for (const obj of all) {
      const filename = byId.get(obj.id)!;
      const repeated = truth.items.filter((item) => item.filename === filename).length > 1;
      if (repeated) expect(obj.name).toContain(`{${obj.id}}`);
      else expect(obj.name).toBe(filename.replace(/\//g, '／'));
    }
    expect(e2e.emu.requestCounts()).toEqual({ [COUNT.list]: Math.ceil(ITEMS / 100) });
  });

  it('lists albums with their titles made path-safe and their item counts', async () => {
    const truth = groundTruth(e2e.emu);
    const albums = await driver.list('albums');
    expect(sorted(albums.map((obj) => obj.id))).toEqual(sorted(truth.albums.map((album) => album.id)));
    for (const album of truth.albums) {
      const obj = albums.find((candidate) => candidate.id === album.id)!;
      expect(obj.isDir).toBe(true);
      expect(obj.name).toBe(album.title.replace(/\//g, '／'));
      const n = album.mediaItemIds.length;
      expect(obj.description).toBe(`${n} ${n === 1 ? 'item' : 'items'}`);
    }
    const slashed = truth.albums.find((album) => album.title.includes('/'));
    expect(slashed).toBeDefined();
    expect(namesOf(albums).some((name) => name.includes('/'))).toBe(false);
  });

  it('lists an album\'s items: exactly the album\'s media item ids, across pages', async () => {
    const truth = groundTruth(e2e.emu);
    const biggest = [...truth.albums].sort((a, b) => b.mediaItemIds.length - a.mediaItemIds.length)[0]!;
    expect(biggest.mediaItemIds.length).toBeGreaterThan(100);
    e2e.emu.resetCounts();
    const items = await driver.list(biggest.id);
    expect(sorted(items.map((obj) => obj.id))).toEqual(sorted(biggest.mediaItemIds));
    expect(e2e.emu.requestCounts()[COUNT.search]).toBe(Math.ceil(biggest.mediaItemIds.length / 100));
    const empty = truth.albums.find((album) => album.mediaItemIds.length === 0)!;
    expect(await driver.list(empty.id)).toEqual([]);
  });

  it('mounts a single album through root_folder_id: the root lists that album and paths resolve inside it', async () => {
    const truth = groundTruth(e2e.emu);
    const album = truth.albums.find((candidate) => candidate.mediaItemIds.length > 0 && !candidate.title.includes('/'))!;
    const mounted = driverFor(e2e, { root_folder_id: album.id });
    await mounted.init();
    expect(mounted.getRoot().id).toBe(album.id);
    const listed = await mounted.list(mounted.getRoot());
    expect(sorted(listed.map((obj) => obj.id))).toEqual(sorted(album.mediaItemIds));
    const first = listed[0]!;
    expect((await mounted.get(`/${first.name}`)).id).toBe(first.id);
    await mounted.drop();
  });
});

describe('driver against the emulator: links and bytes', () => {
  let all: Obj[];
  beforeAll(async () => {
    all = await driver.list('all');
  });

  it('links an image whose bytes are a valid JPEG', async () => {
    const image = all.find((obj) => obj.mimeType === 'image/jpeg')!;
    const link = await driver.link(image);
    const { status, bytes, headers } = await fetchBytes(link.url);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^image\/jpeg/);
    expectValidJpeg(bytes);
  });

  it('links a video and serves a byte Range of it (206, the same bytes as the full download)', async () => {
    const video = all.find((obj) => obj.mimeType === 'video/mp4')!;
    const link = await driver.link(video);
    const full = await fetchBytes(link.url);
    expect(full.status).toBe(200);
    expect(full.bytes.length).toBeGreaterThan(2000);
    const part = await fetchBytes(link.url, { Range: 'bytes=1000-1999' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${full.bytes.length}`);
    expect(part.bytes.equals(full.bytes.subarray(1000, 2000))).toBe(true);
  });

  it('reaches every item of a repeated filename by path, and each link serves that item\'s own bytes', async () => {
    const truth = groundTruth(e2e.emu);
    const counts = new Map<string, number>();
    for (const item of truth.items) counts.set(item.filename, (counts.get(item.filename) ?? 0) + 1);
    const [filename] = [...counts].find(([name, n]) => n > 2 && name.endsWith('.jpg'))!;
    const duplicates = truth.items.filter((item) => item.filename === filename);
    const root = await driver.list(driver.getRoot());
    const allFolder = root.find((obj) => obj.id === 'all')!;
    const bodies: string[] = [];
    for (const item of duplicates) {
      const name = all.find((obj) => obj.id === item.id)!.name;
      const obj = await driver.get(`/${allFolder.name}/${name}`);
      expect(obj.id).toBe(item.id);
      const { status, bytes } = await fetchBytes((await driver.link(obj)).url);
      expect(status).toBe(200);
      expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xd8]);
      bodies.push(bytes.toString('base64'));
    }
    expect(new Set(bodies).size).toBe(duplicates.length);
  });

  it('answers NOT_FOUND for a path that does not exist', async () => {
    const allFolder = (await driver.list(driver.getRoot())).find((obj) => obj.id === 'all')!;
    await expect(driver.get(`/${allFolder.name}/no such file.jpg`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
