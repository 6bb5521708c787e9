import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accessToken, call, listAll, SCOPES, startTestEmulator, type TestEmulator } from './emulator-client.js';
import { Album, MediaItem, RpcStatus } from './shapes.js';

describe('emulator Library API', () => {
  let t: TestEmulator;
  let token: string;
  let lib: string;
  beforeAll(async () => {
    t = await startTestEmulator({ items: 130, albums: 5, pickableOnlyItems: 10 });
    token = await accessToken(t.emu);
    lib = t.emu.endpoints.library;
  });
  afterAll(async () => { await t.emu.close(); });

  it('media items and albums have Google\'s wire shapes (strings for width, height and mediaItemsCount)', async () => {
    const items = await call(`${lib}/mediaItems?pageSize=100`, token);
    expect(items.status).toBe(200);
    for (const item of items.body.mediaItems) MediaItem.parse(item);
    const first = items.body.mediaItems[0];
    expect(typeof first.mediaMetadata.width).toBe('string');
    expect(first).not.toHaveProperty('contributorInfo');
    const videos = items.body.mediaItems.filter((i: any) => i.mediaMetadata.video);
    expect(videos.length).toBeGreaterThan(0);
    expect(videos.every((v: any) => v.mediaMetadata.video.status === 'READY' && v.mimeType === 'video/mp4')).toBe(true);
    expect(items.body.mediaItems.some((i: any) => i.mediaMetadata.photo && !i.mediaMetadata.photo.cameraMake)).toBe(true);
    const names = items.body.mediaItems.map((i: any) => i.filename);
    expect(names).toEqual(expect.arrayContaining(['café №1.jpg', '写真 2024.jpg', 'a:b*c?.jpg', 'holiday photo.jpg']));
    expect(names.filter((n: string) => n === 'IMG_0001.jpg').length).toBeGreaterThan(1);
    const years = new Set(items.body.mediaItems.map((i: any) => i.mediaMetadata.creationTime.slice(0, 4)));
    expect(years.size).toBeGreaterThan(3);

    const albums = await call(`${lib}/albums`, token);
    expect(albums.status).toBe(200);
    for (const album of albums.body.albums) Album.parse(album);
    const titles = albums.body.albums.map((a: any) => a.title);
    expect(titles).toContain('Trips / 2024');
    const empty = albums.body.albums.find((a: any) => a.title === 'Empty album');
    expect(empty.mediaItemsCount).toBeUndefined();
    const trips = albums.body.albums.find((a: any) => a.title === 'Trips / 2024');
    expect(trips.mediaItemsCount).toMatch(/^\d+$/);
    expect(trips.isWriteable).toBe(true);
    expect(trips.coverPhotoBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\//);
  });

  it('pages list every seeded item exactly once; page sizes are capped like Google', async () => {
    const truth = t.emu.snapshot().mediaItems.filter((i) => i.clientId === t.emu.client.clientId).map((i) => i.id);
    const { ids, pages } = await listAll(t.emu, token, 40);
    expect(ids.sort()).toEqual([...truth].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages).toEqual([40, 40, 40, 10]);
    const defaultPage = await call(`${lib}/mediaItems`, token);
    expect(defaultPage.body.mediaItems).toHaveLength(25);
    const tooBig = await call(`${lib}/mediaItems?pageSize=101`, token);
    expect(tooBig.status).toBe(400);
    expect(RpcStatus.parse(tooBig.body).error.status).toBe('INVALID_ARGUMENT');
    expect((await call(`${lib}/albums?pageSize=51`, token)).status).toBe(400);
    expect((await call(`${lib}/albums?pageSize=2`, token)).body.albums).toHaveLength(2);
    expect((await call(`${lib}/mediaItems?pageToken=garbage`, token)).status).toBe(400);
  });

  it('search by albumId pages through exactly the album\'s items; albumId with filters is 400', async () => {
    const album = t.emu.snapshot().albums.find((a) => a.title === 'Trips / 2024')!;
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await call(`${lib}/mediaItems:search`, token, { body: { albumId: album.id, pageSize: 20, pageToken } });
      expect(page.status).toBe(200);
      seen.push(...page.body.mediaItems.map((i: any) => i.id));
      pageToken = page.body.nextPageToken;
    } while (pageToken);
    expect(seen).toEqual(album.mediaItemIds);
    const names = await call(`${lib}/mediaItems:search`, token, { body: { albumId: album.id, pageSize: 100 } });
    const filenames = names.body.mediaItems.map((i: any) => i.filename);
    expect(filenames.filter((n: string) => n === 'IMG_0001.jpg').length).toBeGreaterThan(1);

    const both = await call(`${lib}/mediaItems:search`, token, {
      body: { albumId: album.id, filters: { mediaTypeFilter: { mediaTypes: ['PHOTO'] } } },
    });
    expect(both.status).toBe(400);
    expect(both.body.error.status).toBe('INVALID_ARGUMENT');
    const empty = t.emu.snapshot().albums.find((a) => a.title === 'Empty album')!;
    expect((await call(`${lib}/mediaItems:search`, token, { body: { albumId: empty.id } })).body).toEqual({});
  });

  it('search filters by date (0 = any) and media type; orderBy needs a date filter', async () => {
    const all = (await call(`${lib}/mediaItems:search`, token, { body: { pageSize: 100 } })).body.mediaItems as any[];
    const year = all[0].mediaMetadata.creationTime.slice(0, 4);
    const inYear = await call(`${lib}/mediaItems:search`, token, {
      body: { pageSize: 100, filters: { dateFilter: { dates: [{ year: Number(year), month: 0, day: 0 }] } } },
    });
    expect(inYear.status).toBe(200);
    expect(inYear.body.mediaItems.length).toBeGreaterThan(0);
    expect(inYear.body.mediaItems.every((i: any) => i.mediaMetadata.creationTime.startsWith(year))).toBe(true);
    const times = inYear.body.mediaItems.map((i: any) => i.mediaMetadata.creationTime);
    expect(times).toEqual([...times].sort().reverse());
    const oldestFirst = await call(`${lib}/mediaItems:search`, token, {
      body: { pageSize: 100, orderBy: 'MediaMetadata.creation_time', filters: { dateFilter: { ranges: [{ startDate: { year: 2000, month: 1, day: 1 }, endDate: { year: 2030, month: 12, day: 31 } }] } } },
    });
    const ascending = oldestFirst.body.mediaItems.map((i: any) => i.mediaMetadata.creationTime);
    expect(ascending).toEqual([...ascending].sort());
    const videos = await call(`${lib}/mediaItems:search`, token, { body: { pageSize: 100, filters: { mediaTypeFilter: { mediaTypes: ['VIDEO'] } } } });
    expect(videos.body.mediaItems.every((i: any) => i.mimeType === 'video/mp4')).toBe(true);
    const orderOnly = await call(`${lib}/mediaItems:search`, token, { body: { orderBy: 'MediaMetadata.creation_time' } });
    expect(orderOnly.status).toBe(400);
  });

  it('get and batchGet: per-item statuses, at most 50 ids', async () => {
    const ids = t.emu.snapshot().mediaItems.filter((i) => i.clientId === t.emu.client.clientId).map((i) => i.id);
    const one = await call(`${lib}/mediaItems/${ids[0]}`, token);
    expect(one.status).toBe(200);
    expect(MediaItem.parse(one.body).id).toBe(ids[0]);
    expect((await call(`${lib}/mediaItems/AFnotAnItemIdAtAllxxxx`, token)).status).toBe(400);
    const query = new URLSearchParams();
    for (const id of [ids[0]!, 'AFnotAnItemIdAtAllxxxx', '!!bad!!', ids[1]!]) query.append('mediaItemIds', id);
    const batch = await call(`${lib}/mediaItems:batchGet?${query}`, token);
    expect(batch.status).toBe(200);
    const results = batch.body.mediaItemResults;
    expect(results[0].mediaItem.id).toBe(ids[0]);
    expect(results[1].status).toEqual({ code: 3, message: 'Invalid media item ID.' });
    expect(results[2].status.code).toBe(3);
    expect(results[3].mediaItem.id).toBe(ids[1]);
    const many = new URLSearchParams();
    for (const id of ids.slice(0, 51)) many.append('mediaItemIds', id);
    expect((await call(`${lib}/mediaItems:batchGet?${many}`, token)).status).toBe(400);
  });

  it('another OAuth client sees none of the default client\'s items or albums', async () => {
    const other = t.emu.registerClient();
    const otherToken = await accessToken(t.emu, { clientId: other.clientId, clientSecret: other.clientSecret });
    expect((await call(`${lib}/mediaItems`, otherToken)).body).toEqual({});
    expect((await call(`${lib}/albums`, otherToken)).body).toEqual({});
    const someId = t.emu.snapshot().mediaItems[0]!.id;
    expect((await call(`${lib}/mediaItems/${someId}`, otherToken)).status).toBe(400);
    const album = t.emu.snapshot().albums[0]!;
    expect((await call(`${lib}/mediaItems:search`, otherToken, { body: { albumId: album.id } })).status).toBe(400);
  });

  it('albums: create (title <= 500 chars), get; sharedAlbums are refused with 403', async () => {
    const created = await call(`${lib}/albums`, token, { body: { album: { title: 'New / album' } } });
    expect(created.status).toBe(200);
    expect(Album.parse(created.body).title).toBe('New / album');
    expect((await call(`${lib}/albums/${created.body.id}`, token)).body.title).toBe('New / album');
    expect((await call(`${lib}/albums`, token, { body: { album: { title: 'x'.repeat(501) } } })).status).toBe(400);
    const shared = await call(`${lib}/sharedAlbums`, token);
    expect(shared.status).toBe(403);
    expect(shared.body.error.status).toBe('PERMISSION_DENIED');
    const readOnly = await accessToken(t.emu, { scopes: [SCOPES.readAppCreated] });
    expect((await call(`${lib}/albums`, readOnly, { body: { album: { title: 'no' } } })).status).toBe(403);
  });

  it('API disabled: 403 with Google\'s full message, ErrorInfo SERVICE_DISABLED and a Help link', async () => {
    t.emu.setApiEnabled('photoslibrary', false);
    try {
      const answer = await call(`${lib}/mediaItems`, token);
      expect(answer.status).toBe(403);
      const error = RpcStatus.parse(answer.body).error;
      expect(error.status).toBe('PERMISSION_DENIED');
      expect(error.message).toMatch(/^Photos Library API has not been used in project (\d+) before or it is disabled\. Enable it by visiting https:\/\/console\.developers\.google\.com\/apis\/api\/photoslibrary\.googleapis\.com\/overview\?project=\1 then retry\. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry\.$/);
      const info = error.details!.find((d) => d['@type'] === 'type.googleapis.com/google.rpc.ErrorInfo') as any;
      expect(info.reason).toBe('SERVICE_DISABLED');
      expect(info.domain).toBe('googleapis.com');
      expect(info.metadata.service).toBe('photoslibrary.googleapis.com');
      expect(info.metadata.consumer).toMatch(/^projects\/\d+$/);
      expect(info.metadata.activationUrl).toContain('photoslibrary.googleapis.com/overview');
      const help = error.details!.find((d) => d['@type'] === 'type.googleapis.com/google.rpc.Help') as any;
      expect(help.links[0].url).toBe(info.metadata.activationUrl);
    } finally {
      t.emu.setApiEnabled('photoslibrary', true);
    }
  });

  it('daily quota exhausted: 429 RESOURCE_EXHAUSTED with RATE_LIMIT_EXCEEDED', async () => {
    t.emu.setQuotaExhausted('photoslibrary', true);
    try {
      const answer = await call(`${lib}/albums`, token);
      expect(answer.status).toBe(429);
      const error = RpcStatus.parse(answer.body).error;
      expect(error.status).toBe('RESOURCE_EXHAUSTED');
      expect(error.message).toMatch(/^Quota exceeded for quota metric 'All requests' and limit 'All requests per day' of service 'photoslibrary\.googleapis\.com' for consumer 'project_number:\d+'\.$/);
      expect((error.details![0] as any).reason).toBe('RATE_LIMIT_EXCEEDED');
    } finally {
      t.emu.setQuotaExhausted('photoslibrary', false);
    }
    expect((await call(`${lib}/albums`, token)).status).toBe(200);
  });

  it('unknown API paths answer Google\'s HTML 404; malformed JSON gets an INVALID_ARGUMENT body', async () => {
    const unknown = await call(`${lib}/nothingHere`, token);
    expect(unknown.status).toBe(404);
    expect(String(unknown.body)).toContain('That’s an error.');
    const response = await fetch(`${lib}/mediaItems:search`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{nope',
    });
    expect(response.status).toBe(400);
    expect(RpcStatus.parse(await response.json()).error.message).toMatch(/^Invalid JSON payload received/);
  });
});
