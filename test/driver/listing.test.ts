import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { LIBRARY_ORIGIN, album, itemsPage, failure, makeDriver, mediaItem, restoreNock, setupNock, teardownNock, tokenEndpoint } from './fixtures.js';

beforeAll(setupNock);
afterEach(teardownNock);
afterAll(restoreNock);

describe('GooglePhotos listings', () => {
  it('lists the virtual folders at root', async () => {
    tokenEndpoint();
    const driver = makeDriver();
    await driver.init();
    const root = driver.getRoot();
    expect(root).toMatchObject({ id: 'root', isDir: true });
    const names = (await driver.list(root)).map((obj) => [obj.id, obj.name, obj.isDir]);
    expect(names).toEqual([
      ['all', 'All media', true],
      ['albums', 'Albums', true],
      ['share_albums', 'Shared albums', true],
      ['picked', 'Picked from Google Photos', true],
    ]);
  });

  it('follows nextPageToken through short pages until it is missing', async () => {
    tokenEndpoint();
    itemsPage(undefined, [mediaItem('a1', 'one.jpg'), mediaItem('a2', 'two.jpg')], 't1');
    itemsPage('t1', [mediaItem('a3', 'three.jpg')], 't2'); // a short page: not the end
    itemsPage('t2', [], 't3'); // an empty page with a token: not the end either
    itemsPage('t3', [mediaItem('a4', 'four.mp4', 'video/mp4')]);
    const driver = makeDriver();
    const objs = await driver.list('all');
    expect(objs.map((obj) => obj.name)).toEqual(['one.jpg', 'two.jpg', 'three.jpg', 'four.mp4']);
    expect(nock.isDone()).toBe(true);
  });

  it('maps media items: dates from creationTime, thumbnail, mime type, unknown size', async () => {
    tokenEndpoint();
    itemsPage(undefined, [mediaItem('v1', 'clip.mp4', 'video/mp4', '2023-07-14T08:30:00Z')]);
    const [obj] = await makeDriver().list('all');
    expect(obj).toMatchObject({
      id: 'v1',
      name: 'clip.mp4',
      isDir: false,
      mimeType: 'video/mp4',
      thumbnail: 'https://lh3.googleusercontent.com/lr/v1=w256-h256-c',
    });
    expect(obj!.modified.toISOString()).toBe('2023-07-14T08:30:00.000Z');
    expect(obj!.created?.toISOString()).toBe('2023-07-14T08:30:00.000Z');
    expect(obj!.size).toBeUndefined();
    expect('size' in obj!).toBe(false);
  });

  it('lists albums as folders across pages with their item counts', async () => {
    tokenEndpoint();
    nock(LIBRARY_ORIGIN).get('/v1/albums').query({ pageSize: '50' })
      .reply(200, { albums: [album('al1', 'Holidays', '12'), album('al2', 'Single', '1')], nextPageToken: 'p2' });
    nock(LIBRARY_ORIGIN).get('/v1/albums').query({ pageSize: '50', pageToken: 'p2' })
      .reply(200, { albums: [album('al3', 'Empty')] });
    const objs = await makeDriver().list('albums');
    expect(objs.map((obj) => [obj.id, obj.name, obj.isDir, obj.description])).toEqual([
      ['al1', 'Holidays', true, '12 items'],
      ['al2', 'Single', true, '1 item'],
      ['al3', 'Empty', true, '0 items'],
    ]);
  });

  it('lists an album through mediaItems:search, all pages', async () => {
    tokenEndpoint();
    const bodies: unknown[] = [];
    nock(LIBRARY_ORIGIN)
      .post('/v1/mediaItems:search', (body) => bodies.push(body) > 0)
      .reply(200, { mediaItems: [mediaItem('m1', 'a.jpg')], nextPageToken: 'n1' })
      .post('/v1/mediaItems:search', (body) => bodies.push(body) > 0)
      .reply(200, { mediaItems: [mediaItem('m2', 'b.jpg')] });
    const objs = await makeDriver().list('ALBUM_ID_1');
    expect(objs.map((obj) => obj.name)).toEqual(['a.jpg', 'b.jpg']);
    expect(bodies).toEqual([{ albumId: 'ALBUM_ID_1', pageSize: 100 }, { albumId: 'ALBUM_ID_1', pageSize: 100, pageToken: 'n1' }]);
  });

  it('mounts a single album when root_folder_id is an album id', async () => {
    tokenEndpoint();
    nock(LIBRARY_ORIGIN).post('/v1/mediaItems:search', { albumId: 'MOUNTED', pageSize: 100 })
      .reply(200, { mediaItems: [mediaItem('m1', 'beach.jpg')] });
    const driver = makeDriver({ root_folder_id: 'MOUNTED' });
    await driver.init();
    expect(driver.getRoot().id).toBe('MOUNTED');
    expect((await driver.list(driver.getRoot())).map((obj) => obj.name)).toEqual(['beach.jpg']);
  });

  it('mounts "all" directly and resolves paths below it', async () => {
    tokenEndpoint();
    itemsPage(undefined, [mediaItem('m1', 'x.jpg')]);
    const driver = makeDriver({ root_folder_id: 'all' });
    expect((await driver.get('/x.jpg')).id).toBe('m1');
    expect((await driver.get('/')).id).toBe('all');
  });

  it('gives every repeated filename its id and reaches each through get() and link()', async () => {
    tokenEndpoint();
    nock(LIBRARY_ORIGIN).post('/v1/mediaItems:search')
      .reply(200, { mediaItems: [mediaItem('ID1', 'IMG_0001.jpg'), mediaItem('ID2', 'IMG_0001.jpg'), mediaItem('ID3', 'other.jpg'), mediaItem('ID4', 'README')], nextPageToken: 'p2' })
      .post('/v1/mediaItems:search')
      .reply(200, { mediaItems: [mediaItem('ID5', 'README')] });
    nock(LIBRARY_ORIGIN).get('/v1/albums').query(true).reply(200, { albums: [album('ALB', 'Trip', '5')] });
    const driver = makeDriver();
    const names = (await driver.list('ALB')).map((obj) => obj.name);
    // Within the first upstream page every repeated name carries its id; a later page's repeat of a name the
    // first page gave out carries its id alone, so names given with page 1 never change (see listing-names.ts).
    expect(names).toEqual(['IMG_0001 {ID1}.jpg', 'IMG_0001 {ID2}.jpg', 'other.jpg', 'README', 'README {ID5}']);

    const second = await driver.get('/Albums/Trip/IMG_0001 {ID2}.jpg');
    expect(second.id).toBe('ID2');
    expect((await driver.link(second)).url).toBe('https://lh3.googleusercontent.com/lr/ID2=d');
    expect((await driver.get('Albums/Trip/IMG_0001 {ID1}.jpg')).id).toBe('ID1');
    expect((await failure(() => driver.get('/Albums/Trip/IMG_0001.jpg'))).code).toBe('NOT_FOUND');
  });

  it('sanitizes hostile names and names the nameless', async () => {
    tokenEndpoint();
    nock(LIBRARY_ORIGIN).get('/v1/albums').query(true).reply(200, {
      albums: [album('A1', '2024/05 Trip\\Day'), album('A2', '..'), album('A3', undefined), album('A4', 'bad\u0000\u001b[31mname\n')],
    });
    itemsPage(undefined, [
      mediaItem('M1', '../../etc/passwd'),
      mediaItem('M2', 'line\r\nbreak.jpg'),
      mediaItem('M3', undefined, 'image/png'),
      mediaItem('M4', ''),
    ]);
    const driver = makeDriver();
    const albumNames = (await driver.list('albums')).map((obj) => obj.name);
    const itemNames = (await driver.list('all')).map((obj) => obj.name);
    for (const name of [...albumNames, ...itemNames]) {
      expect(name).not.toMatch(/[/\\\u0000-\u001f\u007f]/);
      expect(name).not.toBe('');
      expect(['.', '..']).not.toContain(name);
    }
    expect(albumNames).toEqual(['2024／05 Trip＼Day', '．．', 'Untitled album {A3}', 'bad[31mname']);
    expect(itemNames).toEqual(['..／..／etc／passwd', 'linebreak.jpg', 'Untitled {M3}.png', 'Untitled {M4}.jpg']);
    expect((await driver.get('/Albums/2024／05 Trip＼Day')).id).toBe('A1');
  });

  it('answers NOT_FOUND for unknown path segments and for a path through a file', async () => {
    tokenEndpoint();
    itemsPage(undefined, [mediaItem('m1', 'x.jpg')]);
    const driver = makeDriver();
    const missing = await failure(() => driver.get('/All media/nope.jpg'));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toContain('nope.jpg');
    expect((await failure(() => driver.get('/All media/x.jpg/deeper'))).code).toBe('NOT_FOUND');
    expect((await failure(() => driver.get('/nothing-here'))).code).toBe('NOT_FOUND');
  });

  it('answers NOT_FOUND for an album id Google calls invalid', async () => {
    tokenEndpoint();
    nock(LIBRARY_ORIGIN).post('/v1/mediaItems:search')
      .reply(400, { error: { code: 400, message: 'Invalid album ID.', status: 'INVALID_ARGUMENT' } });
    const error = await failure(() => makeDriver().list('no-such-album'));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('Invalid album ID.');
    expect(error.status).toBe(400);
  });

  it('translates the 403 of shared albums instead of crashing', async () => {
    tokenEndpoint();
    nock(LIBRARY_ORIGIN).get('/v1/sharedAlbums').query(true)
      .reply(403, { error: { code: 403, message: 'Request had insufficient authentication scopes.', status: 'PERMISSION_DENIED' } });
    const error = await failure(() => makeDriver().list('share_albums'));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.hint).toContain('2025-03-31');
    expect(error.message).toContain('Request had insufficient authentication scopes.');
  });
});
