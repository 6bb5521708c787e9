import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { accessToken, call, SCOPES, startTestEmulator, type TestEmulator } from './emulator-client.js';
import { MediaItem } from './shapes.js';
import { buildExif } from '../../src/emulator/exif.js';
import { encodeJpeg } from '../../src/emulator/image.js';

function smallJpeg(): Buffer {
  const width = 64, height = 48;
  const data = Buffer.alloc(width * height * 4, 200);
  return jpeg.encode({ width, height, data }, 90).data;
}

describe('emulator uploads and batchCreate', () => {
  let t: TestEmulator;
  let token: string;
  let lib: string;
  beforeAll(async () => {
    t = await startTestEmulator({ items: 10, albums: 3, pickableOnlyItems: 2 });
    token = await accessToken(t.emu, { scopes: [SCOPES.appendOnly, SCOPES.readAppCreated] });
    lib = t.emu.endpoints.library;
  });
  afterAll(async () => { await t.emu.close(); });

  async function rawUpload(bytes: Buffer, name: string, mime = 'image/jpeg'): Promise<Response> {
    return fetch(`${lib}/uploads`, {
      method: 'POST', body: bytes,
      headers: {
        authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'x-goog-upload-protocol': 'raw',
        'x-goog-upload-content-type': mime, 'x-goog-upload-file-name': encodeURIComponent(name),
      },
    });
  }

  it('raw upload + batchCreate into an album: the item is then in the album, with the uploaded bytes', async () => {
    const bytes = smallJpeg();
    const upload = await rawUpload(bytes, 'beach day.jpg');
    expect(upload.status).toBe(200);
    const uploadToken = await upload.text();
    expect(uploadToken.length).toBeGreaterThan(20);

    const album = await call(`${lib}/albums`, token, { body: { album: { title: 'Uploads / 2026' } } });
    const created = await call(`${lib}/mediaItems:batchCreate`, token, {
      body: { albumId: album.body.id, newMediaItems: [{ description: 'sea', simpleMediaItem: { uploadToken, fileName: 'beach day.jpg' } }] },
    });
    expect(created.status).toBe(200);
    const [result] = created.body.newMediaItemResults;
    expect(result.status).toEqual({ message: 'Success' });
    const item = MediaItem.parse(result.mediaItem);
    expect(item.filename).toBe('beach day.jpg');
    expect(item.mediaMetadata.width).toBe('64');
    expect(item.description).toBe('sea');

    const inAlbum = await call(`${lib}/mediaItems:search`, token, { body: { albumId: album.body.id } });
    expect(inAlbum.body.mediaItems.map((i: any) => i.id)).toEqual([item.id]);
    const refreshedAlbum = await call(`${lib}/albums/${album.body.id}`, token);
    expect(refreshedAlbum.body.mediaItemsCount).toBe('1');
    const served = Buffer.from(await (await fetch(`${item.baseUrl}=d`)).arrayBuffer());
    expect(served.equals(bytes)).toBe(true);
    expect(t.emu.snapshot().mediaItems.find((i) => i.id === item.id)).toMatchObject({ albumIds: [album.body.id], bytes: bytes.length });
  });

  const GRANULARITY = 262_144;

  async function startResumable(size: number | undefined, name = 'long.jpg', auth = token): Promise<Response> {
    return fetch(`${lib}/uploads`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${auth}`, 'x-goog-upload-protocol': 'resumable', 'x-goog-upload-command': 'start',
        'x-goog-upload-content-type': 'image/jpeg', 'x-goog-upload-file-name': name,
        ...(size === undefined ? {} : { 'x-goog-upload-raw-size': String(size) }),
      },
    });
  }

  function chunk(url: string, body: Buffer, offset: number, command = 'upload'): Promise<Response> {
    return fetch(url, {
      method: 'POST', body,
      headers: { 'x-goog-upload-command': command, 'x-goog-upload-offset': String(offset), 'content-type': 'application/octet-stream' },
    });
  }

  async function query(url: string): Promise<number> {
    const answer = await fetch(url, { method: 'POST', headers: { 'x-goog-upload-command': 'query' } });
    expect(answer.headers.get('x-goog-upload-status')).toBe('active');
    return Number(answer.headers.get('x-goog-upload-size-received'));
  }

  async function create(uploadToken: string, extra: Record<string, unknown> = {}): Promise<any> {
    const created = await call(`${lib}/mediaItems:batchCreate`, token, { body: { newMediaItems: [{ simpleMediaItem: { uploadToken } }], ...extra } });
    return created.body.newMediaItemResults[0];
  }

  it('resumable upload: the size is required, chunks follow the granularity, query reports what arrived', async () => {
    const bytes = Buffer.concat([smallJpeg(), Buffer.alloc(GRANULARITY + 1000, 7)]);
    const noSize = await startResumable(undefined);
    expect(noSize.status).toBe(400);
    expect(((await noSize.json()) as any).error.message).toContain('X-Goog-Upload-Raw-Size');

    const start = await startResumable(bytes.length);
    expect(start.status).toBe(200);
    expect(start.headers.get('x-goog-upload-chunk-granularity')).toBe(String(GRANULARITY));
    const uploadUrl = start.headers.get('x-goog-upload-url')!;
    expect(uploadUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/photoslibrary\/v1\/uploads\?upload_id=/);

    const unaligned = await chunk(uploadUrl, bytes.subarray(0, 500), 0);
    expect(unaligned.status).toBe(400);
    expect(((await unaligned.json()) as any).error.message).toContain('multiple of X-Goog-Upload-Chunk-Granularity (262144)');
    expect(await query(uploadUrl)).toBe(0);

    expect((await chunk(uploadUrl, bytes.subarray(0, GRANULARITY), 0)).status).toBe(200);
    expect(await query(uploadUrl)).toBe(GRANULARITY);
    expect((await chunk(uploadUrl, bytes.subarray(GRANULARITY), 1, 'upload, finalize')).status).toBe(400);
    const last = await chunk(uploadUrl, bytes.subarray(GRANULARITY), GRANULARITY, 'upload, finalize');
    expect(last.status).toBe(200);
    expect(last.headers.get('x-goog-upload-status')).toBe('final');
    const result = await create(await last.text());
    expect(result.mediaItem.filename).toBe('long.jpg');
    expect(t.emu.snapshot().mediaItems.find((i) => i.id === result.mediaItem.id)?.bytes).toBe(bytes.length);
    const served = Buffer.from(await (await fetch(`${result.mediaItem.baseUrl}=d`)).arrayBuffer());
    expect(served.equals(bytes)).toBe(true);
  });

  it('a finalize before every byte arrived, or a start past 20 GB, is refused', async () => {
    const start = await startResumable(1000);
    const url = start.headers.get('x-goog-upload-url')!;
    const short = await chunk(url, smallJpeg().subarray(0, 100), 0, 'upload, finalize');
    expect(short.status).toBe(400);
    expect(((await short.json()) as any).error.message).toContain('100 of 1000 bytes');
    const huge = await startResumable(20 * 1024 ** 3 + 1);
    expect(huge.status).toBe(400);
    expect(((await huge.json()) as any).error.message).toContain('20 GB');
  });

  it('a connection dropped in the middle of a chunk keeps what arrived up to the granularity; the upload resumes there', async () => {
    const bytes = Buffer.concat([smallJpeg(), Buffer.alloc(3 * GRANULARITY, 9)]);
    const url = (await startResumable(bytes.length, 'dropped.jpg')).headers.get('x-goog-upload-url')!;
    t.emu.setFaults({ uploadDropAfterBytes: GRANULARITY + 1000 });
    await expect(chunk(url, bytes.subarray(0, 2 * GRANULARITY), 0)).rejects.toThrow();
    expect(await query(url)).toBe(GRANULARITY);
    const rest = await chunk(url, bytes.subarray(GRANULARITY), GRANULARITY, 'upload, finalize');
    expect(rest.status).toBe(200);
    const result = await create(await rest.text());
    const served = Buffer.from(await (await fetch(`${result.mediaItem.baseUrl}=d`)).arrayBuffer());
    expect(served.equals(bytes)).toBe(true);
  });

  it('takes the type from the bytes and the capture time from EXIF DateTimeOriginal', async () => {
    const exif = buildExif({ make: 'Test', model: 'Cam', dateTimeOriginal: '2019:07:04 18:30:05' });
    const withExif = encodeJpeg({ width: 8, height: 8, data: new Uint8Array(8 * 8 * 4).fill(128) }, exif);
    const dated = await create(await (await rawUpload(withExif, 'dated.jpg', 'application/octet-stream')).text());
    expect(dated.mediaItem).toMatchObject({ mimeType: 'image/jpeg', mediaMetadata: { creationTime: '2019-07-04T18:30:05.000Z' } });

    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2b6b6c40000000049454e44ae426082', 'hex');
    const declaredJpeg = await create(await (await rawUpload(png, 'really.png', 'image/jpeg')).text());
    expect(declaredJpeg.mediaItem.mimeType).toBe('image/png');

    const text = await create(await (await rawUpload(Buffer.from('not a photo at all'), 'notes.jpg')).text());
    expect(text.status).toEqual({ code: 3, message: 'Failed: There was an error while trying to create this media item.' });
    expect(text.mediaItem).toBeUndefined();
  });

  it('descriptions past 1000 characters and file names past 255 are refused', async () => {
    const uploadToken = await (await rawUpload(smallJpeg(), 'limits.jpg')).text();
    const longDescription = await call(`${lib}/mediaItems:batchCreate`, token, {
      body: { newMediaItems: [{ description: 'd'.repeat(1001), simpleMediaItem: { uploadToken } }] },
    });
    expect(longDescription.status).toBe(400);
    expect(longDescription.body.error.message).toContain('1000 characters');
    const longName = await call(`${lib}/mediaItems:batchCreate`, token, {
      body: { newMediaItems: [{ simpleMediaItem: { uploadToken, fileName: `${'n'.repeat(252)}.jpg` } }] },
    });
    expect(longName.status).toBe(400);
    expect(longName.body.error.message).toContain('255 characters');
    expect((await create(uploadToken, {})).status).toEqual({ message: 'Success' });
  });

  it("an album of another client: Google's 'No permission' refusal; albums.patch renames with the edit scope", async () => {
    const other = t.emu.registerClient();
    const otherToken = await accessToken(t.emu, { clientId: other.clientId, clientSecret: other.clientSecret });
    const foreign = await call(`${lib}/albums`, otherToken, { body: { album: { title: 'Theirs' } } });
    const uploadToken = await (await rawUpload(smallJpeg(), 'x.jpg')).text();
    const refused = await call(`${lib}/mediaItems:batchCreate`, token, {
      body: { albumId: foreign.body.id, newMediaItems: [{ simpleMediaItem: { uploadToken } }] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ status: 'INVALID_ARGUMENT', message: 'No permission to add media items to this album.' });

    const mine = await call(`${lib}/albums`, token, { body: { album: { title: 'Before' } } });
    const patchUrl = `${lib}/albums/${mine.body.id}?updateMask=title`;
    expect((await call(patchUrl, token, { method: 'PATCH', body: { title: 'After' } })).status).toBe(403);
    const editor = await accessToken(t.emu, { scopes: [SCOPES.editAppCreated] });
    const patched = await call(patchUrl, editor, { method: 'PATCH', body: { title: 'After' } });
    expect(patched).toMatchObject({ status: 200, body: { id: mine.body.id, title: 'After' } });
    expect((await call(`${lib}/albums/${mine.body.id}`, token)).body.title).toBe('After');
    expect((await call(`${lib}/albums/${foreign.body.id}?updateMask=title`, editor, { method: 'PATCH', body: { title: 'x' } })).status).toBe(400);
  });

  it('holds an upload on disk only: memory stays flat while 256 MiB of video go in, and the bytes come back unchanged', async () => {
    const chunkBytes = 32 * GRANULARITY;   // 8 MiB
    const total = 32 * chunkBytes;          // 256 MiB
    const head = readFileSync(new URL('../../assets/emulator/sample.mp4', import.meta.url));
    const pattern = Buffer.alloc(chunkBytes);
    for (let i = 0; i < chunkBytes; i++) pattern[i] = (i * 7 + (i >> 11)) & 0xff;
    const chunkAt = (index: number): Buffer => (index === 0 ? Buffer.concat([head, pattern.subarray(head.length)]) : pattern);
    const start = await fetch(`${lib}/uploads`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`, 'x-goog-upload-protocol': 'resumable', 'x-goog-upload-command': 'start',
        'x-goog-upload-content-type': 'video/mp4', 'x-goog-upload-raw-size': String(total), 'x-goog-upload-file-name': 'big.mp4',
      },
    });
    const url = start.headers.get('x-goog-upload-url')!;
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    let answer: Response | undefined;
    for (let index = 0; index * chunkBytes < total; index++) {
      const last = (index + 1) * chunkBytes === total;
      answer = await chunk(url, chunkAt(index), index * chunkBytes, last ? 'upload, finalize' : 'upload');
      expect(answer.status).toBe(200);
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(peak - before).toBeLessThan(128 * 1024 * 1024);
    const result = await create(await answer!.text());
    expect(result.mediaItem.mimeType).toBe('video/mp4');
    const served = await fetch(`${result.mediaItem.baseUrl}=dv`, { headers: { range: `bytes=${total - chunkBytes}-` } });
    expect(served.status).toBe(206);
    expect(Buffer.from(await served.arrayBuffer()).equals(pattern)).toBe(true);
    const first = await fetch(`${result.mediaItem.baseUrl}=dv`, { headers: { range: `bytes=0-${chunkBytes - 1}` } });
    expect(Buffer.from(await first.arrayBuffer()).equals(chunkAt(0))).toBe(true);
  });

  it('a bad or reused upload token gets its own error status; more than 50 items is 400', async () => {
    const uploadToken = await (await rawUpload(smallJpeg(), 'once.jpg')).text();
    const created = await call(`${lib}/mediaItems:batchCreate`, token, {
      body: { newMediaItems: [{ simpleMediaItem: { uploadToken } }, { simpleMediaItem: { uploadToken: 'not-a-token' } }, { simpleMediaItem: { uploadToken } }] },
    });
    expect(created.status).toBe(200);
    const statuses = created.body.newMediaItemResults.map((r: any) => r.status.code ?? 0);
    expect(statuses).toEqual([0, 3, 3]);
    expect(created.body.newMediaItemResults[1].mediaItem).toBeUndefined();
    const tooMany = Array.from({ length: 51 }, () => ({ simpleMediaItem: { uploadToken: 'x' } }));
    expect((await call(`${lib}/mediaItems:batchCreate`, token, { body: { newMediaItems: tooMany } })).status).toBe(400);
  });

  it('batchAddMediaItems works on app-created albums and items only; remove needs edit.appcreateddata', async () => {
    const snapshot = t.emu.snapshot();
    const album = snapshot.albums.find((a) => a.title === 'Empty album')!;
    const items = snapshot.mediaItems.filter((i) => i.clientId === t.emu.client.clientId).slice(0, 2).map((i) => i.id);
    const added = await call(`${lib}/albums/${album.id}:batchAddMediaItems`, token, { body: { mediaItemIds: items } });
    expect(added).toMatchObject({ status: 200, body: {} });
    expect(t.emu.snapshot().albums.find((a) => a.id === album.id)!.mediaItemIds).toEqual(items);
    const older = snapshot.mediaItems.find((i) => i.clientId === null)!.id;
    const notOurs = await call(`${lib}/albums/${album.id}:batchAddMediaItems`, token, { body: { mediaItemIds: [older] } });
    expect(notOurs.status).toBe(400);
    const removeWithoutEdit = await call(`${lib}/albums/${album.id}:batchRemoveMediaItems`, token, { body: { mediaItemIds: items } });
    expect(removeWithoutEdit.status).toBe(403);
    const editor = await accessToken(t.emu, { scopes: [SCOPES.editAppCreated] });
    const removed = await call(`${lib}/albums/${album.id}:batchRemoveMediaItems`, editor, { body: { mediaItemIds: [items[0]] } });
    expect(removed.status).toBe(200);
    expect(t.emu.snapshot().albums.find((a) => a.id === album.id)!.mediaItemIds).toEqual([items[1]]);
    expect(t.emu.requestCounts()[`POST /photoslibrary/v1/albums/{albumId}:batchAddMediaItems`]).toBe(2);
  });
});
