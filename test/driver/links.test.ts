import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { LIBRARY_ORIGIN, failure, makeDriver, mediaItem, restoreNock, setupNock, teardownNock, tokenEndpoint } from './fixtures.js';

beforeAll(setupNock);
afterEach(teardownNock);
afterAll(restoreNock);

const MINUTE = 60_000;

describe('links', () => {
  it('reuses the baseUrl seen in a listing while it is fresh, with an expiry before Google\'s 60 minutes', async () => {
    const clock = { now: 1_000_000 };
    tokenEndpoint();
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems').query(true)
      .reply(200, { mediaItems: [mediaItem('P1', 'photo.jpg'), mediaItem('V1', 'clip.mp4', 'video/mp4')] });
    const driver = makeDriver({}, { now: () => clock.now });
    await driver.list('all');
    clock.now += 10 * MINUTE;
    const photo = await driver.link('P1');
    const video = await driver.link({ id: 'V1' });
    expect(photo.url).toBe('https://lh3.googleusercontent.com/lr/P1=d');
    expect(video.url).toBe('https://lh3.googleusercontent.com/lr/V1=dv');
    expect(photo.expiresAt?.getTime()).toBe(1_000_000 + 50 * MINUTE);
    expect(photo.header).toBeUndefined();
    expect(video.mimeType).toBe('video/mp4');
    expect(nock.isDone()).toBe(true); // no mediaItems.get was needed
  });

  it('fetches the item again once the cached baseUrl is too old', async () => {
    const clock = { now: 0 };
    tokenEndpoint();
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems').query(true).reply(200, { mediaItems: [mediaItem('P1', 'photo.jpg')] });
    const fresh = { ...mediaItem('P1', 'photo.jpg'), baseUrl: 'https://lh3.googleusercontent.com/lr/P1-renewed' };
    const get = nock(LIBRARY_ORIGIN).get('/v1/mediaItems/P1').reply(200, fresh);
    const driver = makeDriver({}, { now: () => clock.now });
    await driver.list('all');
    clock.now = 51 * MINUTE;
    const link = await driver.link('P1');
    expect(get.isDone()).toBe(true);
    expect(link.url).toBe('https://lh3.googleusercontent.com/lr/P1-renewed=d');
    expect(link.expiresAt?.getTime()).toBe(51 * MINUTE + 50 * MINUTE);
  });

  it('gets an item never listed through mediaItems.get and gives thumbnail links', async () => {
    tokenEndpoint();
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems/X9').reply(200, mediaItem('X9', 'x.png', 'image/png'));
    const driver = makeDriver();
    const thumb = await driver.link('X9', { type: 'thumbnail' });
    expect(thumb.url).toBe('https://lh3.googleusercontent.com/lr/X9=w256-h256');
    expect((await driver.link('X9')).url).toBe('https://lh3.googleusercontent.com/lr/X9=d');
  });

  it('answers NOT_FOUND for an unknown id and for folders', async () => {
    tokenEndpoint();
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems/nope')
      .reply(400, { error: { code: 400, message: 'Request contains an invalid media item id.', status: 'INVALID_ARGUMENT' } });
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems/gone')
      .reply(404, { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } });
    const driver = makeDriver();
    const invalid = await failure(() => driver.link('nope'));
    expect(invalid.code).toBe('NOT_FOUND');
    expect(invalid.message).toContain('Request contains an invalid media item id.');
    expect((await failure(() => driver.link('gone'))).code).toBe('NOT_FOUND');
    expect((await failure(() => driver.link('albums'))).code).toBe('NOT_FOUND');
  });

  it('links many items with batchGet, 50 ids a call, skipping unknown ones', async () => {
    tokenEndpoint();
    const ids = Array.from({ length: 60 }, (_, i) => `B${i}`);
    const asked: string[][] = [];
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems:batchGet').query(true).times(2)
      .reply(function (uri) {
        const requested = new URL(uri, LIBRARY_ORIGIN).searchParams.getAll('mediaItemIds');
        asked.push(requested);
        return [200, {
          mediaItemResults: requested.map((id) => (id === 'B7'
            ? { status: { code: 5, message: 'Not found' } }
            : { mediaItem: mediaItem(id, `${id}.jpg`), status: {} })),
        }];
      });
    const links = await makeDriver().links(ids);
    expect(asked.map((batch) => batch.length)).toEqual([50, 10]);
    expect(links.size).toBe(59);
    expect(links.has('B7')).toBe(false);
    expect(links.get('B59')?.url).toBe('https://lh3.googleusercontent.com/lr/B59=d');
  });
});
