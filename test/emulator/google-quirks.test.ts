import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accessToken, call, SCOPES, startTestEmulator, type TestEmulator } from './emulator-client.js';
import { MediaItem, PickingSession, RpcStatus } from './shapes.js';

async function control(t: TestEmulator, path: string, body: unknown): Promise<number> {
  const answer = await fetch(`${t.emu.url}/emulator/${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return answer.status;
}

/** Follows nextPageToken; returns every id as listed and each page's size. */
async function pages(t: TestEmulator, token: string, url: (pageToken?: string) => string): Promise<{ ids: string[]; sizes: number[] }> {
  const ids: string[] = [];
  const sizes: number[] = [];
  let pageToken: string | undefined;
  do {
    const page = await call(url(pageToken), token);
    expect(page.status).toBe(200);
    const items = (page.body.mediaItems ?? []) as Array<{ id: string }>;
    sizes.push(items.length);
    ids.push(...items.map((item) => item.id));
    pageToken = page.body.nextPageToken;
  } while (pageToken && sizes.length < 100);
  return { ids, sizes };
}

describe('emulator: Google\'s listing quirks', () => {
  let t: TestEmulator;
  let token: string;
  let lib: string;
  beforeAll(async () => {
    t = await startTestEmulator({ items: 30, albums: 2, pickableOnlyItems: 3 });
    token = await accessToken(t.emu);
    lib = t.emu.endpoints.library;
  });
  afterAll(async () => { await t.emu.close(); });

  it('repeatIds: each page after the first starts with the previous page\'s last id; every item is still listed', async () => {
    expect(await control(t, 'faults', { repeatIds: true })).toBe(200);
    try {
      const { ids, sizes } = await pages(t, token, (pageToken) => `${lib}/mediaItems?pageSize=10${pageToken ? `&pageToken=${pageToken}` : ''}`);
      expect(sizes).toEqual([10, 10, 10, 3]);
      expect(ids[10]).toBe(ids[9]);
      expect(ids[20]).toBe(ids[19]);
      expect(new Set(ids).size).toBe(30);
      const album = t.emu.snapshot().albums[0]!;
      const albumPage1 = await call(`${lib}/mediaItems:search`, token, { body: { albumId: album.id, pageSize: 3 } });
      const albumPage2 = await call(`${lib}/mediaItems:search`, token, { body: { albumId: album.id, pageSize: 3, pageToken: albumPage1.body.nextPageToken } });
      expect(albumPage2.body.mediaItems[0].id).toBe(albumPage1.body.mediaItems[2].id);
    } finally {
      await control(t, 'faults', { repeatIds: false });
    }
  });

  it('strayPageToken: the last page still carries a nextPageToken, which leads to an empty {} page', async () => {
    expect(await control(t, 'faults', { strayPageToken: true })).toBe(200);
    try {
      const last = await call(`${lib}/mediaItems?pageSize=50`, token);
      expect(last.body.mediaItems).toHaveLength(30);
      expect(typeof last.body.nextPageToken).toBe('string');
      const empty = await call(`${lib}/mediaItems?pageSize=50&pageToken=${last.body.nextPageToken}`, token);
      expect(empty.status).toBe(200);
      expect(empty.body).toEqual({});
    } finally {
      await control(t, 'faults', { strayPageToken: false });
    }
    expect(await control(t, 'faults', { strayPageToken: 'yes' })).toBe(400);
  });

  it('a page token reused with other parameters is 400 INVALID_ARGUMENT with Google\'s wording', async () => {
    const expected = {
      code: 400, status: 'INVALID_ARGUMENT', message: 'When using a page token, you must use the same parameters as the previous request.',
    };
    const filters = { mediaTypeFilter: { mediaTypes: ['PHOTO'] } };
    const first = await call(`${lib}/mediaItems:search`, token, { body: { filters, pageSize: 5 } });
    expect(first.status).toBe(200);
    const pageToken = first.body.nextPageToken;
    const otherFilters = await call(`${lib}/mediaItems:search`, token, {
      body: { filters: { mediaTypeFilter: { mediaTypes: ['VIDEO'] } }, pageSize: 5, pageToken },
    });
    expect(otherFilters.status).toBe(400);
    expect(RpcStatus.parse(otherFilters.body).error).toEqual(expected);
    const album = t.emu.snapshot().albums[0]!;
    const toAlbum = await call(`${lib}/mediaItems:search`, token, { body: { albumId: album.id, pageToken } });
    expect(RpcStatus.parse(toAlbum.body).error).toEqual(expected);
    const listToken = (await call(`${lib}/mediaItems?pageSize=5`, token)).body.nextPageToken;
    expect((await call(`${lib}/mediaItems:search`, token, { body: { pageToken: listToken } })).body.error).toEqual(expected);
    // Only pageSize may change between pages.
    const samePage = await call(`${lib}/mediaItems:search`, token, { body: { filters, pageSize: 7, pageToken } });
    expect(samePage.status).toBe(200);
  });
});

describe('emulator: scopes, unknown ids, processing videos', () => {
  let t: TestEmulator;
  let token: string;
  let lib: string;
  beforeAll(async () => {
    t = await startTestEmulator({ items: 40, albums: 2, pickableOnlyItems: 3, processingVideos: 1 });
    token = await accessToken(t.emu);
    lib = t.emu.endpoints.library;
  });
  afterAll(async () => { await t.emu.close(); });

  it('reads need photoslibrary.readonly.appcreateddata: edit.appcreateddata alone is 403 insufficient scopes', async () => {
    const editOnly = await accessToken(t.emu, { scopes: [SCOPES.editAppCreated, SCOPES.appendOnly] });
    for (const url of [`${lib}/mediaItems`, `${lib}/albums`]) {
      const answer = await call(url, editOnly);
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({
        error: { code: 403, message: 'Request had insufficient authentication scopes.', status: 'PERMISSION_DENIED' },
      });
    }
    const readOnly = await accessToken(t.emu, { scopes: [SCOPES.readAppCreated] });
    expect((await call(`${lib}/mediaItems`, readOnly)).status).toBe(200);
    // albums.create takes appendonly only.
    const createWithEdit = await call(`${lib}/albums`, await accessToken(t.emu, { scopes: [SCOPES.editAppCreated] }), { body: { album: { title: 'x' } } });
    expect(createWithEdit.status).toBe(403);
    const createWithAppend = await call(`${lib}/albums`, await accessToken(t.emu, { scopes: [SCOPES.appendOnly] }), { body: { album: { title: 'x' } } });
    expect(createWithAppend.status).toBe(200);
  });

  it('unknown ids: batchGet status code 3 "Invalid media item ID.", mediaItems/{id} 400, another app\'s album 400 "Invalid album ID."', async () => {
    const notMine = t.emu.snapshot().mediaItems.find((item) => item.clientId === null)!.id;
    const mine = t.emu.snapshot().mediaItems.find((item) => item.clientId === t.emu.client.clientId)!.id;
    const batch = await call(`${lib}/mediaItems:batchGet?mediaItemIds=${mine}&mediaItemIds=${notMine}&mediaItemIds=bad!`, token);
    expect(batch.status).toBe(200);
    expect(batch.body.mediaItemResults[0].mediaItem.id).toBe(mine);
    expect(batch.body.mediaItemResults[1]).toEqual({ status: { code: 3, message: 'Invalid media item ID.' } });
    expect(batch.body.mediaItemResults[2]).toEqual({ status: { code: 3, message: 'Invalid media item ID.' } });

    const get = await call(`${lib}/mediaItems/${notMine}`, token);
    expect(get.status).toBe(400);
    expect(RpcStatus.parse(get.body).error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: 'Invalid media item ID.' });

    const other = t.emu.registerClient();
    const otherToken = await accessToken(t.emu, { clientId: other.clientId, clientSecret: other.clientSecret });
    const created = await call(`${lib}/albums`, otherToken, { body: { album: { title: 'Theirs' } } });
    expect(created.status).toBe(200);
    const theirs = await call(`${lib}/albums/${created.body.id}`, token);
    expect(theirs.status).toBe(400);
    expect(RpcStatus.parse(theirs.body).error).toEqual({ code: 400, status: 'INVALID_ARGUMENT', message: 'Invalid album ID.' });
    expect((await call(`${lib}/albums/${created.body.id}`, otherToken)).status).toBe(200);
  });

  it('a PROCESSING video is listed with status PROCESSING and no baseUrl; READY gives its baseUrl back', async () => {
    const processing = t.emu.snapshot().mediaItems.filter((item) => item.videoStatus === 'PROCESSING');
    expect(processing).toHaveLength(1);
    const id = processing[0]!.id;
    const listed = (await call(`${lib}/mediaItems?pageSize=100`, token)).body.mediaItems.find((item: any) => item.id === id);
    expect(listed.mediaMetadata.video.status).toBe('PROCESSING');
    expect(listed).not.toHaveProperty('baseUrl');
    const others = (await call(`${lib}/mediaItems?pageSize=100`, token)).body.mediaItems.filter((item: any) => item.id !== id);
    for (const item of others) MediaItem.parse(item);

    expect(await control(t, `media-items/${id}/video-status`, { status: 'READY' })).toBe(200);
    const ready = await call(`${lib}/mediaItems/${id}`, token);
    expect(MediaItem.parse(ready.body).mediaMetadata.video?.status).toBe('READY');
    expect(ready.body.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\//);

    t.emu.setVideoStatus(id, 'PROCESSING');
    expect((await call(`${lib}/mediaItems/${id}`, token)).body).not.toHaveProperty('baseUrl');
    expect(await control(t, `media-items/${id}/video-status`, { status: 'DONE' })).toBe(400);
    const photo = t.emu.snapshot().mediaItems.find((item) => item.mimeType.startsWith('image/'))!.id;
    expect(await control(t, `media-items/${photo}/video-status`, { status: 'READY' })).toBe(400);
  });
});

describe('emulator: Picker quirks', () => {
  let t: TestEmulator;
  let token: string;
  let picker: string;
  beforeAll(async () => {
    t = await startTestEmulator({ items: 110, albums: 1, pickableOnlyItems: 12 });
    picker = t.emu.endpoints.picker;
    token = await accessToken(t.emu, { scopes: [SCOPES.picker] });
  });
  afterAll(async () => { await t.emu.close(); });

  it('sessions.create answers FAILED_PRECONDITION when the account has no Google Photos', async () => {
    expect(await control(t, 'account', { hasPhotosAccount: false })).toBe(200);
    try {
      const refused = await call(`${picker}/sessions`, token, { method: 'POST' });
      expect(refused.status).toBe(400);
      expect(RpcStatus.parse(refused.body).error).toMatchObject({ code: 400, status: 'FAILED_PRECONDITION' });
    } finally {
      expect(await control(t, 'account', { hasPhotosAccount: true })).toBe(200);
    }
    expect((await call(`${picker}/sessions`, token, { method: 'POST' })).status).toBe(200);
    expect(await control(t, 'account', { hasPhotosAccount: 'no' })).toBe(400);
  });

  it('pollingConfig goes once mediaItemsSet is true; pageSize above 100 is coerced; the picker page stops after Done', async () => {
    const created = await call(`${picker}/sessions`, token, { method: 'POST' });
    const session = PickingSession.parse(created.body);
    expect(created.body.pollingConfig).toBeDefined();
    const page = await fetch(session.pickerUri);
    expect(page.status).toBe(200);
    const html = await page.text();
    const ids = [...html.matchAll(/data-item-id="([^"]+)"/g)].map((m) => m[1]!).slice(0, 2);
    const form = new URLSearchParams();
    for (const id of ids) form.append('mediaItemId', id);
    const done = await fetch(`${t.emu.url}/picker/${session.id}/done`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(),
    });
    expect(done.status).toBe(200);

    const polled = await call(`${picker}/sessions/${session.id}`, token);
    expect(polled.body.mediaItemsSet).toBe(true);
    expect(polled.body).not.toHaveProperty('pollingConfig');

    const again = await fetch(session.pickerUri);
    expect(again.status).toBe(404);
    expect(await again.text()).toContain('no longer valid');
    const resend = await fetch(`${t.emu.url}/picker/${session.id}/done`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'mediaItemId=x',
    });
    expect(resend.status).toBe(404);
    expect((await call(`${picker}/mediaItems?sessionId=${session.id}`, token)).body.mediaItems.map((i: any) => i.id)).toEqual(ids);

    const big = await call(`${picker}/sessions`, token, { method: 'POST' });
    const many = t.emu.snapshot().mediaItems.slice(0, 105).map((item) => item.id);
    t.emu.pick(big.body.id, many);
    const coerced = await call(`${picker}/mediaItems?sessionId=${big.body.id}&pageSize=500`, token);
    expect(coerced.status).toBe(200);
    expect(coerced.body.mediaItems).toHaveLength(100);
    expect(typeof coerced.body.nextPageToken).toBe('string');
    expect((await call(`${picker}/mediaItems?sessionId=${big.body.id}&pageSize=-1`, token)).status).toBe(400);
  });
});
