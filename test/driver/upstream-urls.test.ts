/**
 * URLs from upstream (a picker page, media baseUrls, product pages) end up in links and in the browser UI:
 * only https, or plain http to the configured emulator's own origin or a loopback address, is accepted.
 */
import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import nock from 'nock';
import { LIBRARY_ORIGIN, failure, makeDriver, mediaItem, restoreNock, setupNock, teardownNock, tokenEndpoint } from './fixtures.js';

const PICKER_ORIGIN = 'https://photospicker.googleapis.com';
const EMULATOR = 'http://emulator.test:4000';

beforeAll(setupNock);
afterEach(teardownNock);
afterAll(restoreNock);

const HOSTILE = [
  'javascript:fetch("/api/me")',
  'JavaScript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'http://photos.google.test/picker/S1', // plain http from Google itself
  '/relative/picker',
];

it.each(HOSTILE)('refuses a picking session whose pickerUri is %p', async (pickerUri) => {
  tokenEndpoint();
  nock(PICKER_ORIGIN).post('/v1/sessions').reply(200, { id: 'S1', pickerUri, expireTime: '2026-11-26T09:00:00Z' });
  const error = await failure(() => makeDriver().createPickerSession({}));
  expect(error.code).toBe('BAD_RESPONSE');
  expect(error.message).toContain('pickerUri');
});

it.each(HOSTILE)('refuses a media item whose baseUrl is %p', async (baseUrl) => {
  tokenEndpoint();
  nock(LIBRARY_ORIGIN).get('/v1/mediaItems').query(true).reply(200, { mediaItems: [{ ...mediaItem('m1', 'a.jpg'), baseUrl }] });
  const error = await failure(() => makeDriver().list('all'));
  expect(error.code).toBe('BAD_RESPONSE');
  expect(error.message).toContain('baseUrl');
});

it('refuses a media item whose productUrl is javascript:', async () => {
  tokenEndpoint();
  const item = { ...mediaItem('m1', 'a.jpg'), productUrl: 'javascript:alert(1)' };
  nock(LIBRARY_ORIGIN).get('/v1/mediaItems').query(true).reply(200, { mediaItems: [item] });
  const error = await failure(() => makeDriver().list('all'));
  expect(error.code).toBe('BAD_RESPONSE');
  expect(error.message).toContain('productUrl');
});

it('accepts Google\'s https URLs', async () => {
  tokenEndpoint();
  nock(LIBRARY_ORIGIN).get('/v1/mediaItems').query(true).reply(200, { mediaItems: [mediaItem('m1', 'a.jpg')] });
  expect((await makeDriver().list('all')).map((obj) => obj.name)).toEqual(['a.jpg']);
});

function emulatorAnswers(baseUrl: string) {
  nock(EMULATOR).post('/token').reply(200, { access_token: 'emulator-token', expires_in: 3599, token_type: 'Bearer' });
  nock(EMULATOR).get('/photoslibrary/v1/mediaItems').query(true).reply(200, { mediaItems: [{ ...mediaItem('m1', 'a.jpg'), baseUrl, productUrl: `${EMULATOR}/p/m1` }] });
}

it('accepts plain http on the configured emulator\'s origin and on loopback', async () => {
  for (const baseUrl of [`${EMULATOR}/media/m1`, 'http://127.0.0.1:4000/media/m1', 'http://[::1]:4000/media/m1', 'http://localhost:4000/media/m1']) {
    emulatorAnswers(baseUrl);
    expect((await makeDriver({ api_base_url: EMULATOR }).list('all')).map((obj) => obj.name)).toEqual(['a.jpg']);
  }
});

it('refuses plain http to another host from an emulator', async () => {
  emulatorAnswers('http://elsewhere.test:4000/media/m1');
  const error = await failure(() => makeDriver({ api_base_url: EMULATOR }).list('all'));
  expect(error.code).toBe('BAD_RESPONSE');
});

it.each(['javascript:alert(1)//', 'data:text/html,x', 'ftp://emulator.test'])('refuses %p as api_base_url', async (apiBaseUrl) => {
  const error = await failure(() => makeDriver({ api_base_url: apiBaseUrl }).init());
  expect(error.code).toBe('INVALID_CONFIG');
  expect(error.message).toContain('api_base_url');
});
