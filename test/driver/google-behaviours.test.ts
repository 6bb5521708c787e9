import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { exchangeAuthorizationCode } from '../../src/driver/google-photos/oauth.js';
import {
  CLIENT_SECRET, LIBRARY_ORIGIN, TOKEN_ORIGIN, failure, makeDriver, mediaItem, restoreNock, rpcError, setupNock, teardownNock, tokenEndpoint,
} from './fixtures.js';

/* Google's real behaviours (issue 8 §2), as the driver must handle them. */

const PICKER_ORIGIN = 'https://photospicker.googleapis.com';

beforeAll(setupNock);
afterEach(teardownNock);
afterAll(restoreNock);

function listPage(pageToken: string | undefined, body: Record<string, unknown>) {
  return nock(LIBRARY_ORIGIN)
    .get('/v1/mediaItems')
    .query((query) => query.pageToken === pageToken)
    .reply(200, body);
}

function processingVideo(id: string, filename: string) {
  const { baseUrl: _dropped, ...item } = mediaItem(id, filename, 'video/mp4');
  return { ...item, mediaMetadata: { creationTime: '2024-05-01T10:00:00Z', width: '1920', height: '1080', video: { status: 'PROCESSING' } } };
}

describe('listings as Google really pages them', () => {
  it('an id repeated within and across pages is listed once; names stay unique and as without the repeat', async () => {
    tokenEndpoint();
    listPage(undefined, { mediaItems: [mediaItem('a1', 'IMG_1.jpg'), mediaItem('a2', 'IMG_1.jpg'), mediaItem('a2', 'IMG_1.jpg')], nextPageToken: 't1' });
    listPage('t1', { mediaItems: [mediaItem('a2', 'IMG_1.jpg'), mediaItem('a3', 'other.jpg')] });
    const objs = await makeDriver().list('all');
    expect(objs.map((obj) => obj.id)).toEqual(['a1', 'a2', 'a3']);
    expect(objs.map((obj) => obj.name)).toEqual(['IMG_1 {a1}.jpg', 'IMG_1 {a2}.jpg', 'other.jpg']);
  });

  it('a repeated id in an album listing does not turn a unique name into a suffixed one', async () => {
    tokenEndpoint();
    nock(LIBRARY_ORIGIN).post('/v1/mediaItems:search', (body) => body.albumId === 'ALB1' && body.pageToken === undefined)
      .reply(200, { mediaItems: [mediaItem('b1', 'beach.jpg'), mediaItem('b2', 'sun.jpg')], nextPageToken: 'p2' });
    nock(LIBRARY_ORIGIN).post('/v1/mediaItems:search', (body) => body.albumId === 'ALB1' && body.pageToken === 'p2')
      .reply(200, { mediaItems: [mediaItem('b2', 'sun.jpg'), mediaItem('b3', 'sea.jpg')] });
    const objs = await makeDriver().list('ALB1');
    expect(objs.map((obj) => obj.name)).toEqual(['beach.jpg', 'sun.jpg', 'sea.jpg']);
  });

  it('a stray nextPageToken followed by an empty {} page ends the listing cleanly', async () => {
    tokenEndpoint();
    listPage(undefined, { mediaItems: [mediaItem('a1', 'one.jpg')], nextPageToken: 'stray' });
    listPage('stray', {});
    const objs = await makeDriver().list('all');
    expect(objs.map((obj) => obj.name)).toEqual(['one.jpg']);
    expect(nock.isDone()).toBe(true);
  });

  it('a page that hands back a token already followed ends the listing instead of looping', async () => {
    tokenEndpoint();
    listPage(undefined, { mediaItems: [mediaItem('a1', 'one.jpg')], nextPageToken: 'loop' });
    let repeats = 0;
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems').query((query) => query.pageToken === 'loop').times(5)
      .reply(() => { repeats++; return [200, { nextPageToken: 'loop' }]; });
    const objs = await makeDriver().list('all');
    expect(objs.map((obj) => obj.name)).toEqual(['one.jpg']);
    expect(repeats).toBe(1);
  });

  it('picked items repeated across pages are listed once', async () => {
    tokenEndpoint();
    const pickedItem = (id: string, filename: string) => ({
      id, createTime: '2019-07-04T12:30:00Z', type: 'PHOTO',
      mediaFile: { baseUrl: `https://lh3.googleusercontent.com/pk/${id}`, mimeType: 'image/jpeg', filename, mediaFileMetadata: { width: 1, height: 1 } },
    });
    nock(PICKER_ORIGIN).get('/v1/sessions/S1').reply(200, {
      id: 'S1', pickerUri: 'https://photos.google.com/picker/S1', expireTime: new Date(Date.now() + 3600_000).toISOString(), mediaItemsSet: true,
    });
    nock(PICKER_ORIGIN).get('/v1/mediaItems').query((q) => q.sessionId === 'S1' && q.pageToken === undefined)
      .reply(200, { mediaItems: [pickedItem('p1', 'a.jpg'), pickedItem('p2', 'b.jpg')], nextPageToken: 'n' });
    nock(PICKER_ORIGIN).get('/v1/mediaItems').query((q) => q.sessionId === 'S1' && q.pageToken === 'n')
      .reply(200, { mediaItems: [pickedItem('p2', 'b.jpg')] });
    const objs = await makeDriver().list('picked:S1');
    expect(objs.map((obj) => obj.name)).toEqual(['a.jpg', 'b.jpg']);
  });
});

describe('videos Google is still processing', () => {
  it('a PROCESSING video without baseUrl does not fail the page: it is listed, and its link says it is still processing', async () => {
    tokenEndpoint();
    listPage(undefined, { mediaItems: [mediaItem('p1', 'photo.jpg'), processingVideo('v1', 'clip.mp4')] });
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems/v1').reply(200, processingVideo('v1', 'clip.mp4'));
    const driver = makeDriver();
    const objs = await driver.list('all');
    expect(objs.map((obj) => obj.name)).toEqual(['photo.jpg', 'clip.mp4']);
    expect(objs[1]!.thumbnail).toBeUndefined();
    expect((await driver.link('p1')).url).toBe('https://lh3.googleusercontent.com/lr/p1=d');
    const error = await failure(() => driver.link('v1'));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toContain('still processing');
    expect(error.hint).toMatch(/try again in a few minutes/i);
  });

  it('once READY the video gets its link; links() leaves a still-processing one out', async () => {
    tokenEndpoint();
    listPage(undefined, { mediaItems: [processingVideo('v1', 'clip.mp4'), processingVideo('v2', 'late.mp4')] });
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems:batchGet').query(true).reply(200, {
      mediaItemResults: [{ mediaItem: mediaItem('v1', 'clip.mp4', 'video/mp4') }, { mediaItem: processingVideo('v2', 'late.mp4') }],
    });
    const driver = makeDriver();
    await driver.list('all');
    const links = await driver.links(['v1', 'v2']);
    expect([...links.keys()]).toEqual(['v1']);
    expect(links.get('v1')!.url).toBe('https://lh3.googleusercontent.com/lr/v1=dv');
  });

  it('a video whose processing FAILED is listed; its link says so and to upload it again', async () => {
    tokenEndpoint();
    const failed = { ...mediaItem('f1', 'broken.mp4', 'video/mp4'), mediaMetadata: { creationTime: '2024-05-01T10:00:00Z', video: { status: 'FAILED' } } };
    listPage(undefined, { mediaItems: [failed] });
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems/f1').reply(200, failed);
    const driver = makeDriver();
    expect((await driver.list('all')).map((obj) => obj.name)).toEqual(['broken.mp4']);
    const error = await failure(() => driver.link('f1'));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.hint).toMatch(/upload the video again/);
  });
});

describe('ids Google does not show this app', () => {
  it('batchGet status code 3 leaves the id out; mediaItems/{id} and an album of another app answer NOT_FOUND with a hint', async () => {
    tokenEndpoint();
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems:batchGet').query(true).reply(200, {
      mediaItemResults: [{ mediaItem: mediaItem('ok1', 'a.jpg') }, { status: { code: 3, message: 'Invalid media item ID.' } }],
    });
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems/gone1').reply(400, rpcError(400, 'INVALID_ARGUMENT', 'Invalid media item ID.'));
    nock(LIBRARY_ORIGIN).post('/v1/mediaItems:search').reply(400, rpcError(400, 'INVALID_ARGUMENT', 'Invalid album ID.'));
    const driver = makeDriver();
    expect([...(await driver.links(['ok1', 'gone1'])).keys()]).toEqual(['ok1']);
    const item = await failure(() => driver.link('gone1'));
    expect(item.code).toBe('NOT_FOUND');
    expect(item.message).toContain('Invalid media item ID.');
    expect(item.hint).toMatch(/created by this OAuth client/);
    const album = await failure(() => driver.list('THEIR_ALBUM'));
    expect(album.code).toBe('NOT_FOUND');
    expect(album.message).toContain('Invalid album ID.');
  });
});

describe('Picker answers', () => {
  it('sessions.create FAILED_PRECONDITION (no Google Photos account) is NO_PHOTOS_ACCOUNT, not PICKER_NOT_READY', async () => {
    tokenEndpoint();
    nock(PICKER_ORIGIN).post('/v1/sessions').reply(400, rpcError(400, 'FAILED_PRECONDITION', 'The user does not have an active Google Photos account.'));
    const error = await failure(() => makeDriver().createPickerSession());
    expect(error.code).toBe('NO_PHOTOS_ACCOUNT');
    expect(error.message).toContain('The user does not have an active Google Photos account.');
    expect(error.hint).toMatch(/photos\.google\.com/);
  });

  it('a session without pollingConfig once mediaItemsSet is true is read fine', async () => {
    tokenEndpoint();
    const expireTime = new Date(Date.now() + 3600_000).toISOString();
    nock(PICKER_ORIGIN).get('/v1/sessions/S2').reply(200, { id: 'S2', pickerUri: 'https://photos.google.com/picker/S2', expireTime, mediaItemsSet: true });
    nock(PICKER_ORIGIN).get('/v1/mediaItems').query((q) => q.sessionId === 'S2').reply(200, {});
    const info = await makeDriver().getPickerSession('S2');
    expect(info).toMatchObject({ id: 'S2', mediaItemsSet: true, itemCount: 0 });
    expect(info.pollIntervalMs).toBeGreaterThan(0);
  });
});

describe('authorization code exchange', () => {
  const exchange = () => exchangeAuthorizationCode({ clientId: 'cid', clientSecret: CLIENT_SECRET, code: '4/c', redirectUri: 'http://127.0.0.1/cb', codeVerifier: 'v' });

  it.each(['Malformed auth code.', 'Bad Request', 'Missing code verifier.', 'Invalid code verifier.', 'code_verifier or verifier is not needed.'])(
    'invalid_grant "%s" says to start the authorization again, not that a refresh token was revoked', async (description) => {
      nock(TOKEN_ORIGIN).post('/token').reply(400, { error: 'invalid_grant', error_description: description });
      const error = await failure(exchange);
      expect(error.code).toBe('INVALID_GRANT');
      expect(error.message).toContain(description);
      expect(error.hint).toMatch(/authoriz\w+ again/i);
      expect(error.hint).not.toMatch(/refresh token was revoked/i);
    });

  it('no refresh_token on a repeated consent: the hint says to remove the app\'s access or authorize with prompt=consent', async () => {
    nock(TOKEN_ORIGIN).post('/token').reply(200, { access_token: 'ya29.a', expires_in: 3599, token_type: 'Bearer' });
    const error = await failure(exchange);
    expect(error.code).toBe('INVALID_GRANT');
    expect(error.hint).toContain('myaccount.google.com/permissions');
    expect(error.hint).toContain('prompt=consent');
  });
});
