import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jpeg from 'jpeg-js';
import { accessToken, call, SCOPES, startTestEmulator, type TestEmulator } from './emulator-client.js';
import { MediaItem } from './shapes.js';

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

  it('resumable upload: start, upload in two chunks, finalize, then batchCreate', async () => {
    const bytes = Buffer.concat([smallJpeg(), Buffer.alloc(1000, 7)]);
    const start = await fetch(`${lib}/uploads`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`, 'x-goog-upload-protocol': 'resumable', 'x-goog-upload-command': 'start',
        'x-goog-upload-content-type': 'image/jpeg', 'x-goog-upload-raw-size': String(bytes.length), 'x-goog-upload-file-name': 'long.jpg',
      },
    });
    expect(start.status).toBe(200);
    const uploadUrl = start.headers.get('x-goog-upload-url')!;
    expect(uploadUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/photoslibrary\/v1\/uploads\?upload_id=/);
    const half = 500;
    const first = await fetch(uploadUrl, {
      method: 'POST', body: bytes.subarray(0, half),
      headers: { 'x-goog-upload-command': 'upload', 'x-goog-upload-offset': '0', 'content-type': 'application/octet-stream' },
    });
    expect(first.status).toBe(200);
    const wrongOffset = await fetch(uploadUrl, {
      method: 'POST', body: bytes.subarray(half),
      headers: { 'x-goog-upload-command': 'upload, finalize', 'x-goog-upload-offset': '1', 'content-type': 'application/octet-stream' },
    });
    expect(wrongOffset.status).toBe(400);
    const last = await fetch(uploadUrl, {
      method: 'POST', body: bytes.subarray(half),
      headers: { 'x-goog-upload-command': 'upload, finalize', 'x-goog-upload-offset': String(half), 'content-type': 'application/octet-stream' },
    });
    expect(last.status).toBe(200);
    expect(last.headers.get('x-goog-upload-status')).toBe('final');
    const uploadToken = await last.text();
    const created = await call(`${lib}/mediaItems:batchCreate`, token, { body: { newMediaItems: [{ simpleMediaItem: { uploadToken } }] } });
    expect(created.body.newMediaItemResults[0].mediaItem.filename).toBe('long.jpg');
    const id = created.body.newMediaItemResults[0].mediaItem.id;
    expect(t.emu.snapshot().mediaItems.find((i) => i.id === id)?.bytes).toBe(bytes.length);
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
