import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import {
  ACCESS_TOKEN, INSUFFICIENT_SCOPES, expectNoSecrets, failure, libraryDisabledBody, makeDriver, restoreNock, rpcError, setupNock,
  teardownNock, tokenEndpoint,
} from './fixtures.js';
import type { GooglePhotosOptions } from '../../src/driver/google-photos/driver.js';
import { MemoryPickerSessionStore } from '../../src/driver/google-photos/picker-sessions.js';
import { RecordingStore } from './recording-picker-store.js';

const PICKER_ORIGIN = 'https://photospicker.googleapis.com';
const START = Date.parse('2026-11-26T08:00:00Z');
const EXPIRE_TIME = '2026-11-26T09:00:00.123456Z'; // Google's timestamps carry microseconds
const EXPIRES_MS = Date.parse('2026-11-26T09:00:00.123Z');

beforeAll(setupNock);
afterEach(teardownNock);
afterAll(restoreNock);

function clock(start = START) {
  const state = { ms: start };
  return { now: () => state.ms, advance: (ms: number) => void (state.ms += ms), set: (ms: number) => void (state.ms = ms) };
}

function session(id: string, mediaItemsSet = false, extra: Record<string, unknown> = {}) {
  return {
    id,
    pickerUri: `https://photos.google.com/picker/${id}`,
    pollingConfig: { pollInterval: '3.5s', timeoutIn: '1800s' },
    expireTime: EXPIRE_TIME,
    mediaItemsSet,
    ...extra,
  };
}

function picked(id: string, filename: string | undefined, mimeType = 'image/jpeg', createTime = '2019-07-04T12:30:00Z') {
  return {
    id,
    createTime,
    type: mimeType.startsWith('video/') ? 'VIDEO' : 'PHOTO',
    mediaFile: {
      baseUrl: `https://lh3.googleusercontent.com/pk/${id}`,
      mimeType,
      ...(filename === undefined ? {} : { filename }),
      mediaFileMetadata: { width: 4032, height: 3024 },
    },
  };
}

function pickerDriver(options: GooglePhotosOptions = {}, config: Record<string, unknown> = {}) {
  return makeDriver(config, options);
}

function itemsPage(sessionId: string, pageToken: string | undefined, items: unknown[], next?: string) {
  return nock(PICKER_ORIGIN)
    .get('/v1/mediaItems')
    .query((query) => query.sessionId === sessionId && query.pageSize === '100' && query.pageToken === pageToken)
    .reply(200, { mediaItems: items, ...(next ? { nextPageToken: next } : {}) });
}

async function createdSession(store = new MemoryPickerSessionStore(), time = clock(), label?: string, id = 'S1', tokenExpiresIn = 3599) {
  tokenEndpoint({ expiresIn: tokenExpiresIn });
  nock(PICKER_ORIGIN).post('/v1/sessions').reply(200, session(id));
  const driver = pickerDriver({ pickerSessions: store, now: time.now });
  const info = await driver.createPickerSession(label === undefined ? {} : { label });
  return { driver, info, store, time };
}

describe('picking sessions', () => {
  it('creates a session: pickerUri as Google gives it, polling as milliseconds, saved in the store', async () => {
    const store = new RecordingStore();
    const bodies: unknown[] = [];
    tokenEndpoint();
    nock(PICKER_ORIGIN)
      .post('/v1/sessions', (body) => (bodies.push(body), true))
      .matchHeader('authorization', `Bearer ${ACCESS_TOKEN}`)
      .reply(200, session('S1', false, { pickingConfig: { maxItemCount: '10' } }));
    const driver = pickerDriver({ pickerSessions: store, now: clock().now });
    const info = await driver.createPickerSession({ label: '  Holiday  ', maxItemCount: 10 });
    expect(bodies).toEqual([{ pickingConfig: { maxItemCount: '10' } }]);
    expect(info).toEqual({
      id: 'S1', label: 'Holiday', createdAt: '2026-11-26T08:00:00.000Z', expireTime: '2026-11-26T09:00:00.123Z',
      pickerUri: 'https://photos.google.com/picker/S1', mediaItemsSet: false, pollIntervalMs: 3500, timeoutMs: 1_800_000,
    });
    expect(store.calls).toEqual(['save S1']);
    expect(store.list()).toEqual([{ id: 'S1', label: 'Holiday', createdAt: '2026-11-26T08:00:00.000Z', expireTime: '2026-11-26T09:00:00.123Z', pickerUri: 'https://photos.google.com/picker/S1', mediaItemsSet: false }]);
  });

  it('refuses a maxItemCount outside 1..2000 before asking Google', async () => {
    for (const maxItemCount of [0, 2001, 1.5, Number.NaN]) {
      const error = await failure(() => pickerDriver().createPickerSession({ maxItemCount }));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.hint).toContain('2000');
    }
  });

  it('says BAD_RESPONSE for a pollingConfig that is not a duration', async () => {
    tokenEndpoint();
    nock(PICKER_ORIGIN).post('/v1/sessions').reply(200, session('S1', false, { pollingConfig: { pollInterval: 'soon' } }));
    const error = await failure(() => pickerDriver().createPickerSession());
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toContain('pollingConfig.pollInterval');
  });

  it('polls: not set yet, then set, and learns the item count once by listing every page', async () => {
    const store = new RecordingStore();
    const { driver } = await createdSession(store);
    nock(PICKER_ORIGIN).get('/v1/sessions/S1').reply(200, session('S1', false));
    const waiting = await driver.getPickerSession('S1');
    expect(waiting).toMatchObject({ id: 'S1', mediaItemsSet: false, pollIntervalMs: 3500 });
    expect(waiting.itemCount).toBeUndefined();
    expect(store.calls).toEqual(['save S1']); // nothing changed: no write

    nock(PICKER_ORIGIN).get('/v1/sessions/S1').reply(200, session('S1', true));
    itemsPage('S1', undefined, [picked('m1', 'a.jpg'), picked('m2', 'b.jpg')], 'p2');
    itemsPage('S1', 'p2', [picked('m3', 'c.mp4', 'video/mp4')]);
    const done = await driver.getPickerSession('S1');
    expect(done).toMatchObject({ mediaItemsSet: true, itemCount: 3 });
    expect(store.calls).toEqual(['save S1', 'save S1']);
    expect(store.list()[0]).toMatchObject({ mediaItemsSet: true, itemCount: 3 });
    expect(nock.isDone()).toBe(true);
  });

  it('says PICKER_NOT_READY while the user is still picking', async () => {
    const { driver } = await createdSession();
    nock(PICKER_ORIGIN).get('/v1/mediaItems').query(true)
      .reply(400, rpcError(400, 'FAILED_PRECONDITION', 'The user has not finished picking media items.'));
    const error = await failure(() => driver.list('picked:S1'));
    expect(error.code).toBe('PICKER_NOT_READY');
    expect(error.hint).toMatch(/Google Photos tab and press Done/);
    expect(error.message).toContain('The user has not finished picking media items.');
  });
});

describe('the picked folder', () => {
  it('lists stored sessions as folders without asking Google: name, expiry, description', async () => {
    const time = clock();
    const store = new MemoryPickerSessionStore();
    store.save({ id: 'A', createdAt: '2026-11-26T07:10:00Z', expireTime: '2026-11-26T08:10:00Z', pickerUri: 'u', mediaItemsSet: true, itemCount: 12 });
    store.save({ id: 'B', createdAt: '2026-11-26T07:50:00Z', expireTime: '2026-11-26T08:50:00Z', pickerUri: 'u', mediaItemsSet: false });
    store.save({ id: 'C', label: 'Trip', createdAt: '2026-11-26T07:30:00Z', expireTime: '2026-11-26T08:30:00Z', pickerUri: 'u', mediaItemsSet: true, itemCount: 1 });
    store.save({ id: 'D', label: 'Trip', createdAt: '2026-11-26T06:00:00Z', expireTime: '2026-11-26T07:00:00Z', pickerUri: 'u', mediaItemsSet: true, itemCount: 2 });
    const driver = pickerDriver({ pickerSessions: store, now: time.now });
    const folders = await driver.list('picked'); // no token endpoint, no Picker interceptor: any request would fail
    expect(folders.map((obj) => [obj.id, obj.name, obj.description, obj.expiresAt?.toISOString(), obj.isDir])).toEqual([
      ['picked:B', '2026-11-26 07:50 (not picked yet)', 'waiting for picking', '2026-11-26T08:50:00.000Z', true],
      ['picked:C', 'Trip {C}', '1 item · expires 2026-11-26 08:30 UTC', '2026-11-26T08:30:00.000Z', true],
      ['picked:A', '2026-11-26 07:10 (12 items)', '12 items · expires 2026-11-26 08:10 UTC', '2026-11-26T08:10:00.000Z', true],
      ['picked:D', 'Trip {D}', 'expired', '2026-11-26T07:00:00.000Z', true],
    ]);
    expect(folders[0]!.modified.toISOString()).toBe('2026-11-26T07:50:00.000Z');
  });

  it('lists a session at Google: unique names, mime types, capture times, no bare thumbnail, the store learns the count', async () => {
    const store = new RecordingStore();
    const { driver } = await createdSession(store, clock(), 'Holiday');
    itemsPage('S1', undefined, [
      picked('m1', 'IMG_0001.jpg'), picked('m2', 'IMG_0001.jpg', 'image/jpeg', '2020-01-01T00:00:00Z'),
      picked('m3', 'clip.mp4', 'video/mp4'), picked('m4', undefined, 'image/png'), picked('m5', 'a/b.jpg'),
    ]);
    const objs = await driver.list('picked:S1');
    expect(objs.map((obj) => [obj.id, obj.name, obj.mimeType, obj.isDir])).toEqual([
      ['picked:S1:m1', 'IMG_0001 {m1}.jpg', 'image/jpeg', false],
      ['picked:S1:m2', 'IMG_0001 {m2}.jpg', 'image/jpeg', false],
      ['picked:S1:m3', 'clip.mp4', 'video/mp4', false],
      ['picked:S1:m4', 'Untitled {m4}.png', 'image/png', false],
      ['picked:S1:m5', 'a／b.jpg', 'image/jpeg', false],
    ]);
    expect(objs[1]!.created!.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(objs[1]!.modified.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(objs.every((obj) => obj.thumbnail === undefined && obj.expiresAt?.getTime() === EXPIRES_MS)).toBe(true);
    expect(store.list()[0]).toMatchObject({ mediaItemsSet: true, itemCount: 5 });
    const [folder] = await driver.list('picked');
    expect(folder).toMatchObject({ name: 'Holiday', description: '5 items · expires 2026-11-26 09:00 UTC' });
  });

  it('resolves paths below Picked, and mounts the picked folder with root_folder_id = picked', async () => {
    const store = new MemoryPickerSessionStore();
    store.save({ id: 'S1', label: 'Holiday', createdAt: '2026-11-26T07:50:00Z', expireTime: EXPIRE_TIME, pickerUri: 'u', mediaItemsSet: true });
    tokenEndpoint({ times: 2 });
    itemsPage('S1', undefined, [picked('m1', 'beach.jpg')]);
    const driver = pickerDriver({ pickerSessions: store, now: clock().now });
    expect((await driver.get('/Picked from Google Photos/Holiday/beach.jpg')).id).toBe('picked:S1:m1');

    const mounted = pickerDriver({ pickerSessions: store, now: clock().now }, { root_folder_id: 'picked' });
    expect(mounted.getRoot().id).toBe('picked');
    expect((await mounted.list(mounted.getRoot())).map((obj) => obj.name)).toEqual(['Holiday']);
    itemsPage('S1', undefined, [picked('m1', 'beach.jpg')]);
    expect((await mounted.get('Holiday/beach.jpg')).id).toBe('picked:S1:m1');
  });

  it('says PICKER_SESSION_EXPIRED after expireTime without any request, and the folder says "expired"', async () => {
    const { driver, time } = await createdSession();
    time.set(EXPIRES_MS + 1);
    for (const act of [() => driver.list('picked:S1'), () => driver.link('picked:S1:m1'), () => driver.getPickerSession('S1')]) {
      const error = await failure(act);
      expect(error.code).toBe('PICKER_SESSION_EXPIRED');
      expect(error.hint).toMatch(/pick them again/);
      expect(error.hint).toContain('Keep a copy');
    }
    expect((await driver.list('picked'))[0]!.description).toBe('expired');
  });

  it('says PICKER_SESSION_EXPIRED when Google no longer knows the session', async () => {
    const { driver } = await createdSession();
    nock(PICKER_ORIGIN).get('/v1/mediaItems').query(true).reply(404, rpcError(404, 'NOT_FOUND', 'Requested entity was not found.'));
    const error = await failure(() => driver.list('picked:S1'));
    expect(error.code).toBe('PICKER_SESSION_EXPIRED');
    expect(error.status).toBe(404);
  });
});

describe('links of picked items', () => {
  it('carry the bearer token, =d for photos and =dv for videos, and expire with the baseUrl or the session', async () => {
    const time = clock(Date.parse('2026-11-26T08:00:00Z'));
    const { driver } = await createdSession(undefined, time, undefined, 'S1', 7200);
    itemsPage('S1', undefined, [picked('m1', 'a.jpg'), picked('m2', 'v.mp4', 'video/mp4')]);
    await driver.list('picked:S1');
    const photo = await driver.link('picked:S1:m1');
    expect(photo).toMatchObject({ url: 'https://lh3.googleusercontent.com/pk/m1=d', header: { Authorization: `Bearer ${ACCESS_TOKEN}` }, mimeType: 'image/jpeg' });
    expect(photo.expiresAt!.toISOString()).toBe('2026-11-26T08:50:00.000Z'); // listed + 50 min, before the session's end
    expect((await driver.link({ id: 'picked:S1:m2' })).url).toBe('https://lh3.googleusercontent.com/pk/m2=dv');

    time.advance(20 * 60_000); // listed again at 08:20: the session's end (09:00) comes first
    itemsPage('S1', undefined, [picked('m1', 'a.jpg')]);
    await driver.list('picked:S1');
    expect((await driver.link('picked:S1:m1')).expiresAt!.getTime()).toBe(EXPIRES_MS);
  });

  it('expire a minute before the access token in their header does', async () => {
    const { driver } = await createdSession(undefined, clock(Date.parse('2026-11-26T08:00:00Z')), undefined, 'S1', 1200);
    itemsPage('S1', undefined, [picked('m1', 'a.jpg')]);
    expect((await driver.link('picked:S1:m1')).expiresAt!.toISOString()).toBe('2026-11-26T08:19:00.000Z');
  });

  it('renews baseUrls by re-listing the session once they are 50 minutes old, once for many links', async () => {
    const time = clock();
    const { driver } = await createdSession(undefined, time);
    let listings = 0;
    const listing = () => nock(PICKER_ORIGIN).get('/v1/mediaItems').query(true)
      .reply(() => (listings++, [200, { mediaItems: [picked('m1', 'a.jpg'), picked('m2', 'b.jpg')] }]));
    listing();
    await driver.link('picked:S1:m1'); // nothing listed yet: one listing
    await driver.link('picked:S1:m2');
    expect(listings).toBe(1);
    time.advance(49 * 60_000);
    await driver.link('picked:S1:m1');
    expect(listings).toBe(1);
    time.advance(60_000);
    listing();
    const links = await driver.links(['picked:S1:m1', 'picked:S1:m2', 'picked:S1:gone']);
    expect(listings).toBe(2);
    expect([...links.keys()]).toEqual(['picked:S1:m1', 'picked:S1:m2']);
    expect(links.get('picked:S1:m1')!.header).toEqual({ Authorization: `Bearer ${ACCESS_TOKEN}` });
  });

  it('refuses links of the picked folders themselves', async () => {
    for (const id of ['picked', 'picked:S1']) expect((await failure(() => pickerDriver().link(id))).code).toBe('NOT_FOUND');
  });
});

describe('deleting sessions', () => {
  it('deletes at Google and from the store; a session Google no longer knows is fine', async () => {
    const store = new RecordingStore();
    const { driver } = await createdSession(store);
    let deletes = 0;
    nock(PICKER_ORIGIN).delete('/v1/sessions/S1').reply(() => (deletes++, [200, {}]));
    await driver.deletePickerSession('S1');
    expect(deletes).toBe(1);
    expect(store.calls).toEqual(['save S1', 'remove S1']);
    expect(await driver.list('picked')).toEqual([]);

    nock(PICKER_ORIGIN).delete('/v1/sessions/unknown').reply(404, rpcError(404, 'NOT_FOUND', 'Requested entity was not found.'));
    await driver.deletePickerSession('unknown');
    expect(store.calls).toEqual(['save S1', 'remove S1', 'remove unknown']);
  });

  it('keeps the record when Google refuses the delete', async () => {
    const { driver, store } = await createdSession();
    nock(PICKER_ORIGIN).delete('/v1/sessions/S1').reply(403, rpcError(403, 'PERMISSION_DENIED', INSUFFICIENT_SCOPES));
    expect((await failure(() => driver.deletePickerSession('S1'))).code).toBe('INSUFFICIENT_SCOPES');
    expect(store.list().map((record) => record.id)).toEqual(['S1']);
  });

  it('forgets an expired session without asking Google', async () => {
    const { driver, store, time } = await createdSession();
    time.set(EXPIRES_MS);
    await driver.deletePickerSession('S1');
    expect(store.list()).toEqual([]);
  });
});

describe('picker errors', () => {
  it('names the picker scope when a Picker call lacks it', async () => {
    tokenEndpoint();
    nock(PICKER_ORIGIN).post('/v1/sessions').reply(403, rpcError(403, 'PERMISSION_DENIED', INSUFFICIENT_SCOPES));
    const error = await failure(() => pickerDriver().createPickerSession());
    expect(error.code).toBe('INSUFFICIENT_SCOPES');
    expect(error.hint).toContain('photospicker.mediaitems.readonly');
    expectNoSecrets(error);
  });

  it('names the Google Photos Picker API and where to enable it when it is disabled', async () => {
    for (const details of ['errorInfo', 'help', 'none'] as const) {
      const { body, url } = libraryDisabledBody(details, 'picker');
      tokenEndpoint();
      nock(PICKER_ORIGIN).post('/v1/sessions').reply(403, body);
      const error = await failure(() => pickerDriver().createPickerSession());
      expect(error.code).toBe('API_DISABLED');
      expect(error.hint).toContain('Google Photos Picker API');
      expect(error.hint).toContain(url);
    }
  });

  it('falls back to the Picker API\'s console page when Google gives no link', async () => {
    tokenEndpoint();
    nock(PICKER_ORIGIN).post('/v1/sessions')
      .reply(403, rpcError(403, 'PERMISSION_DENIED', 'API is disabled.', [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED' }]));
    const error = await failure(() => pickerDriver().createPickerSession());
    expect(error.code).toBe('API_DISABLED');
    expect(error.hint).toContain('Google Photos Picker API');
    expect(error.hint).toContain('https://console.cloud.google.com/apis/library/photospicker.googleapis.com');
  });

  it('asks to remove old sessions when Google has too many open', async () => {
    tokenEndpoint();
    nock(PICKER_ORIGIN).post('/v1/sessions').times(4)
      .reply(429, rpcError(429, 'RESOURCE_EXHAUSTED', 'Too many active sessions.'));
    const error = await failure(() => pickerDriver().createPickerSession());
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.hint).toMatch(/remove picked folders/);
  });

  it('keeps secrets out of picker errors, even when Google echoes the token', async () => {
    const { driver } = await createdSession();
    nock(PICKER_ORIGIN).get('/v1/mediaItems').query(true)
      .reply(400, rpcError(400, 'INVALID_ARGUMENT', `bad header Bearer ${ACCESS_TOKEN}`));
    const error = await failure(() => driver.list('picked:S1'));
    expectNoSecrets(error);
    for (const id of ['', ' ', 'x'.repeat(300)]) {
      const bad = await failure(() => driver.getPickerSession(id));
      expect(bad.code).toBe('INVALID_ARGUMENT');
    }
  });
});
