import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jpeg from 'jpeg-js';
import type { GooglePhotos } from '../../src/driver/google-photos/driver.js';
import { DRIVER_SCOPES, SCOPES } from '../../src/driver/google-photos/scopes.js';
import type { Obj } from '../../src/types/obj.js';
import { driverFor, fetchBytes, namesOf, startE2EEmulator, type E2E } from './support.js';
import { driverFailure } from '../support/driver-errors.js';

const UPLOADS = 'POST /photoslibrary/v1/uploads';
const BATCH_CREATE = 'POST /photoslibrary/v1/mediaItems:batchCreate';

function jpegBytes(width = 64, height = 48, shade = 200): Buffer {
  return Buffer.from(jpeg.encode({ width, height, data: Buffer.alloc(width * height * 4, shade) }, 90).data);
}

/** A JPEG followed by `extra` bytes of varied filler (still read as a JPEG; big enough for several chunks). */
function largeJpeg(extra: number): Buffer {
  const filler = Buffer.alloc(extra);
  for (let i = 0; i < extra; i++) filler[i] = (i * 31 + (i >> 9)) & 0xff;
  return Buffer.concat([jpegBytes(), filler]);
}

function fileOf(name: string, bytes: Buffer, size: number | undefined = bytes.length) {
  return { name, size, stream: Readable.from([bytes]) };
}

async function bytesOf(driver: GooglePhotos, obj: Obj): Promise<Buffer> {
  const link = await driver.link(obj);
  const { status, bytes } = await fetchBytes(link.url, link.header ?? {});
  expect(status).toBe(200);
  return bytes;
}

describe('driver writes against the emulator', () => {
  let e2e: E2E;
  let driver: GooglePhotos;
  beforeAll(async () => {
    e2e = await startE2EEmulator({ items: 5, albums: 1, pickableOnlyItems: 2 });
    driver = driverFor(e2e, {}, { uploadChunkBytes: 262_144 * 2 });
  });
  afterAll(async () => { await e2e.emu.close(); });

  it('makeDir in Albums creates an album; a JPEG put into it is listed there and in All media, with identical bytes', async () => {
    expect(await driver.list('albums')).toBeDefined();   // get() now holds a listing of Albums without the new one
    const album = await driver.makeDir('albums', 'Trip 2026');
    expect((await driver.get('Albums/Trip 2026')).id).toBe(album.id);
    expect(album).toMatchObject({ name: 'Trip 2026', isDir: true });
    expect(namesOf(await driver.list('albums'))).toContain('Trip 2026');

    const bytes = jpegBytes(80, 60, 120);
    const progress: number[] = [];
    const put = await driver.put(album, fileOf('beach.jpg', bytes), { onProgress: (sent) => progress.push(sent) });
    expect(put).toMatchObject({ name: 'beach.jpg', isDir: false, mimeType: 'image/jpeg' });
    expect(progress.at(-1)).toBe(bytes.length);

    const inAlbum = await driver.list(album);
    expect(namesOf(inAlbum)).toEqual(['beach.jpg']);
    expect((await driver.get('Albums/Trip 2026/beach.jpg')).id).toBe(put.id);
    expect(namesOf(await driver.list('all'))).toContain('beach.jpg');
    expect((await bytesOf(driver, inAlbum[0]!)).equals(bytes)).toBe(true);
  });

  it('puts a file of unknown size (spooled to learn it) and a video into All media', async () => {
    const photo = jpegBytes(32, 32, 10);
    const obj = await driver.put('all', fileOf('no-size.jpg', photo, undefined));
    expect((await bytesOf(driver, obj)).equals(photo)).toBe(true);

    const video = readFileSync(new URL('../../assets/emulator/sample.mp4', import.meta.url));
    const clip = await driver.put('all', fileOf('clip.mp4', video));
    expect(clip.mimeType).toBe('video/mp4');
    expect((await bytesOf(driver, clip)).equals(video)).toBe(true);
  });

  it('renames an album; an item cannot be renamed', async () => {
    const album = await driver.makeDir('albums', 'Old name');
    expect((await driver.get('Albums/Old name')).id).toBe(album.id);   // get() keeps the listing of Albums for a while
    const renamed = await driver.rename(album, 'New name', 'albums');
    expect(renamed).toMatchObject({ id: album.id, name: 'New name' });
    const names = namesOf(await driver.list('albums'));
    expect(names).toContain('New name');
    expect(names).not.toContain('Old name');
    expect((await driver.get('Albums/New name')).id).toBe(album.id);

    const item = await driver.put(album, fileOf('keep.jpg', jpegBytes()));
    const error = await driverFailure(driver.rename(item, 'other.jpg', album));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toContain("Google Photos' API cannot rename media items");
    expect(error.hint).toContain('Google Photos');
  });

  it('removes an item from an album only; deleting from All media or deleting an album is refused and changes nothing', async () => {
    const album = await driver.makeDir('albums', 'Removal');
    const item = await driver.put(album, fileOf('gone-from-album.jpg', jpegBytes(16, 16, 50)));
    expect((await driver.get('Albums/Removal/gone-from-album.jpg')).id).toBe(item.id);
    await driver.remove(item, album);
    await expect(driver.get('Albums/Removal/gone-from-album.jpg')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await driver.list(album)).toEqual([]);
    expect(namesOf(await driver.list('all'))).toContain('gone-from-album.jpg');

    const fromAll = await driverFailure(driver.remove(item, 'all'));
    expect(fromAll.code).toBe('UNSUPPORTED');
    expect(fromAll.message).toContain("Google Photos' API cannot delete media items");
    expect(fromAll.hint).toMatch(/Delete it in Google Photos/);
    expect(namesOf(await driver.list('all'))).toContain('gone-from-album.jpg');

    const albumRemoval = await driverFailure(driver.remove(album, 'albums'));
    expect(albumRemoval.message).toContain("Google Photos' API cannot delete albums");
    expect(albumRemoval.hint).toMatch(/Delete the album in Google Photos/);
    expect(namesOf(await driver.list('albums'))).toContain('Removal');
  });

  it('removing a picked session folder ends that picking session; picked items themselves cannot be removed', async () => {
    const picking = driverFor(e2e, {}, { now: () => e2e.clock.now });   // the emulator's clock decides expiry
    const { id } = await picking.createPickerSession({ label: 'To forget' });
    e2e.emu.pick(id);
    const [item] = await picking.list(`picked:${id}`);
    const refused = await driverFailure(picking.remove(item!, `picked:${id}`));
    expect(refused.code).toBe('UNSUPPORTED');
    const folder = (await picking.list('picked')).find((obj) => obj.id === `picked:${id}`)!;
    expect(folder.name).toBe('To forget');
    e2e.emu.resetCounts();
    await picking.remove(folder, 'picked');
    expect((await picking.list('picked')).map((obj) => obj.id)).not.toContain(`picked:${id}`);
    expect(e2e.emu.requestCounts()['DELETE /photospicker/v1/sessions/{sessionId}']).toBe(1);
  });

  it('copies an item into an album and moves it between albums without uploading again', async () => {
    const first = await driver.makeDir('albums', 'First');
    const second = await driver.makeDir('albums', 'Second');
    const item = await driver.put('all', fileOf('shared.jpg', jpegBytes(20, 20, 90)));
    e2e.emu.resetCounts();
    await driver.copy(item, 'all', first);
    expect(namesOf(await driver.list(first))).toEqual(['shared.jpg']);
    await driver.move(item, first, second);
    expect(await driver.list(first)).toEqual([]);
    expect(namesOf(await driver.list(second))).toEqual(['shared.jpg']);
    expect(e2e.emu.requestCounts()[UPLOADS]).toBeUndefined();
  });

  it('refuses what Google Photos cannot do, before a byte is sent', async () => {
    e2e.emu.resetCounts();
    const text = await driverFailure(driver.put('all', fileOf('notes.txt', Buffer.from('hello'))));
    expect(text.code).toBe('UNSUPPORTED');
    expect(text.message).toContain('JPG, PNG');
    expect(text.message).toContain('MP4');
    const longName = await driverFailure(driver.put('all', fileOf(`${'x'.repeat(252)}.jpg`, jpegBytes())));
    expect(longName.code).toBe('INVALID_ARGUMENT');
    const big = await driverFailure(driver.put('all', { name: 'huge.jpg', size: 200 * 1024 * 1024 + 1, stream: Readable.from([]) }));
    expect(big.message).toContain('200 MB');
    for (const dir of ['picked', 'share_albums', 'albums']) {
      expect((await driverFailure(driver.put(dir, fileOf('a.jpg', jpegBytes())))).code).toBe('UNSUPPORTED');
    }
    const folder = await driverFailure(driver.makeDir('all', 'Folder'));
    expect(folder.code).toBe('UNSUPPORTED');
    expect(folder.hint).toContain('Albums');
    expect(e2e.emu.requestCounts()[UPLOADS]).toBeUndefined();
  });

  it("an album another app created: Google's refusal with what to do", async () => {
    const other = e2e.emu.registerClient();
    const otherDriver = driverFor(e2e, { client_id: other.clientId, client_secret: other.clientSecret, refresh_token: e2e.emu.issueRefreshToken({ clientId: other.clientId }) });
    const foreign = await otherDriver.makeDir('albums', 'Not ours');
    const error = await driverFailure(driver.put(foreign, fileOf('x.jpg', jpegBytes())));
    expect(error.code).toBe('PERMISSION_DENIED');
    expect(error.message).toContain('No permission to add media items to this album.');
    expect(error.hint).toContain('albums that the same app created');
  });

  it('a token without the upload scope: INSUFFICIENT_SCOPES naming what to tick; the driver itself asks for every scope writes need', async () => {
    const readOnly = driverFor(e2e, { refresh_token: e2e.emu.issueRefreshToken({ scopes: [SCOPES.readAppCreated] }) });
    const error = await driverFailure(readOnly.put('all', fileOf('denied.jpg', jpegBytes())));
    expect(error.code).toBe('INSUFFICIENT_SCOPES');
    expect(error.message).toContain('Request had insufficient authentication scopes.');
    expect(error.hint).toContain(SCOPES.appendOnly);
    expect(DRIVER_SCOPES).toEqual(expect.arrayContaining([SCOPES.appendOnly, SCOPES.readAppCreated, SCOPES.editAppCreated]));
  });

  it('a connection dropped in the middle of a chunk resumes from what Google committed; the bytes arrive intact', async () => {
    const bytes = largeJpeg(1_500_000);
    // 400,000 bytes into the second chunk: Google keeps 262,144 of it, the rest of the chunk is sent again.
    e2e.emu.setFaults({ uploadDropAfterBytes: 400_000, uploadDrops: 2 });
    e2e.emu.resetCounts();
    try {
      const obj = await driver.put('all', fileOf('resumed.jpg', bytes));
      expect((await bytesOf(driver, obj)).equals(bytes)).toBe(true);
    } finally {
      e2e.emu.setFaults({ uploadDrops: 0 });
    }
    // start + 3 chunks + (query + the rest of the chunk) for each of the 2 drops: nothing was sent twice from zero.
    expect(e2e.emu.requestCounts()).toMatchObject({ [UPLOADS]: 8, [BATCH_CREATE]: 1 });
  });

  it('an aborted put stops sending, ends its upload session and leaves later puts to the same album working', async () => {
    const album = await driver.makeDir('albums', 'Aborted');
    const controller = new AbortController();
    const stopped = driver.put(album, fileOf('stopped.jpg', largeJpeg(1_500_000)), {
      signal: controller.signal,
      onProgress: () => controller.abort(),   // after the first chunk
    });
    await expect(stopped).rejects.toMatchObject({ name: 'AbortError' });
    const next = await driver.put(album, fileOf('next.jpg', jpegBytes()));
    expect(namesOf(await driver.list(album))).toEqual(['next.jpg']);
    expect(next.name).toBe('next.jpg');
  });

  it('concurrent puts into one album share one batchCreate and each gets its own item', async () => {
    const album = await driver.makeDir('albums', 'Burst');
    e2e.emu.resetCounts();
    const names = Array.from({ length: 7 }, (_, i) => `burst-${i}.jpg`);
    const objs = await Promise.all(names.map((name, i) => driver.put(album, fileOf(name, jpegBytes(8, 8, i * 20)))));
    expect(objs.map((obj) => obj.name)).toEqual(names);
    expect(new Set(objs.map((obj) => obj.id)).size).toBe(7);
    expect(namesOf(await driver.list(album)).sort()).toEqual(names);
    expect(e2e.emu.requestCounts()[BATCH_CREATE]).toBeLessThan(7);
  });
});
