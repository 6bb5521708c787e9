import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { DRIVER_ERROR_CODES } from '../../src/types/errors.js';
import { translateGoogleError } from '../../src/driver/google-photos/errors.js';
import { retryAfterMs } from '../../src/driver/google-photos/http.js';
import { DRIVER_SCOPES } from '../../src/driver/google-photos/scopes.js';
import {
  INSUFFICIENT_SCOPES, LIBRARY_ORIGIN, expectNoSecrets, failure, fastRetry, libraryDisabledBody, makeDriver, mediaItem,
  rpcError, restoreNock, setupNock, startLocalServer, teardownNock, tokenEndpoint,
} from './fixtures.js';

beforeAll(setupNock);
afterEach(teardownNock);
afterAll(restoreNock);

/** Answer mediaItems.list with the given replies in order; returns the request counter. */
function listReplies(...replies: Array<[number, unknown, Record<string, string>?]>): { count: number } {
  const seen = { count: 0 };
  nock(LIBRARY_ORIGIN).get('/v1/mediaItems').query(true).times(replies.length)
    .reply(() => {
      const [status, body, headers] = replies[seen.count++]!;
      return [status, body as any, headers ?? {}];
    });
  return seen;
}

async function listAllError(replies: Array<[number, unknown, Record<string, string>?]>, options = {}) {
  tokenEndpoint();
  const seen = listReplies(...replies);
  const error = await failure(() => makeDriver({}, options).list('all'));
  expectNoSecrets(error);
  expect(error.message).not.toMatch(/: \[\]$/);
  return { error, requests: seen.count };
}

describe('insufficient scopes', () => {
  for (const details of ['without details', 'with ErrorInfo details'] as const) {
    it(`is INSUFFICIENT_SCOPES ${details}`, async () => {
      const body = details === 'without details'
        ? rpcError(403, 'PERMISSION_DENIED', INSUFFICIENT_SCOPES)
        : rpcError(403, 'PERMISSION_DENIED', INSUFFICIENT_SCOPES, [{
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', domain: 'googleapis.com',
          metadata: { service: 'photoslibrary.googleapis.com', method: 'google.photos.library.v1.PhotosLibrary.ListMediaItems' },
        }]);
      const { error, requests } = await listAllError([[403, body]]);
      expect(error.code).toBe('INSUFFICIENT_SCOPES');
      expect(error.status).toBe(403);
      expect(requests).toBe(1);
      expect(error.message.startsWith(`Google Photos mediaItems.list failed: ${INSUFFICIENT_SCOPES}`)).toBe(true);
      expect(error.hint).toMatch(/re-authorize/i);
      expect(error.hint).toMatch(/consent screen/);
      for (const scope of DRIVER_SCOPES) expect(error.hint).toContain(scope);
      expect(error.hint).toContain('2025-03-31');
      expect(error.hint).toContain('photoslibrary');
    });
  }
});

describe('API disabled', () => {
  for (const shape of ['errorInfo', 'help', 'none'] as const) {
    it(`is API_DISABLED with the activation URL (details: ${shape})`, async () => {
      const { body, url, message } = libraryDisabledBody(shape);
      const { error } = await listAllError([[403, body]]);
      expect(error.code).toBe('API_DISABLED');
      expect(error.message).toContain(message);
      expect(error.hint).toContain(url);
      expect(error.hint).toMatch(/wait a few minutes/);
      expect(error.hint).toContain('Photos Library API');
    });
  }

  it('names the Picker API when that is the disabled one', () => {
    for (const shape of ['errorInfo', 'none'] as const) {
      const { body, url } = libraryDisabledBody(shape, 'picker');
      const error = translateGoogleError({ endpoint: 'picker.sessions.create', method: 'POST', url: 'https://photospicker.googleapis.com/v1/sessions', status: 403, body });
      expect(error.code).toBe('API_DISABLED');
      expect(error.hint).toContain('Google Photos Picker API');
      expect(error.hint).toContain(url);
      expect(url).toContain('photospicker.googleapis.com');
    }
  });
});

describe('retries', () => {
  it('succeeds after 503, 503, 200', async () => {
    tokenEndpoint();
    const seen = listReplies([503, 'unavailable'], [503, rpcError(503, 'UNAVAILABLE', 'The service is currently unavailable.')], [200, { mediaItems: [mediaItem('m1', 'a.jpg')] }]);
    const objs = await makeDriver().list('all');
    expect(objs.map((obj) => obj.name)).toEqual(['a.jpg']);
    expect(seen.count).toBe(3);
  });

  it('gives UPSTREAM_UNAVAILABLE once retries run out (bounded attempts)', async () => {
    const { error, requests } = await listAllError([[500, 'x'], [502, 'x'], [504, 'x'], [503, 'x'], [503, 'x']]);
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(requests).toBe(4); // 1 + retries: 3
  });

  it('retries network errors (connection reset, socket hang up)', async () => {
    tokenEndpoint();
    const server = await startLocalServer(['reset', 'reset', [200, { mediaItems: [mediaItem('m1', 'a.jpg')] }]]);
    try {
      const driver = makeDriver({}, { endpoints: { library: `${server.url}/v1` } });
      expect(await driver.list('all')).toHaveLength(1);
      expect(server.count()).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('gives UPSTREAM_UNAVAILABLE when the connection keeps dropping', async () => {
    tokenEndpoint();
    const server = await startLocalServer(['reset']);
    try {
      const error = await failure(() => makeDriver({}, { endpoints: { library: `${server.url}/v1` } }).list('all'));
      expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(error.message).toContain('ECONNRESET');
      expect(server.count()).toBe(4);
      expectNoSecrets(error);
    } finally {
      await server.close();
    }
  });

  it('times out a request that never answers', async () => {
    tokenEndpoint({ times: 5 }); // under load even the token request may hit the tiny timeout
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems').query(true).times(2).delay(300).reply(200, {});
    const error = await failure(() => makeDriver({}, { requestTimeoutMs: 20, retry: { ...fastRetry(), retries: 1 } }).list('all'));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toMatch(/timed out/);
  });

  it('honours Retry-After in seconds', async () => {
    const sleeps: number[] = [];
    tokenEndpoint();
    listReplies([429, rpcError(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'All requests' and limit 'All requests per minute per user'"), { 'Retry-After': '7' }], [200, {}]);
    await makeDriver({}, { retry: fastRetry(sleeps) }).list('all');
    expect(sleeps).toEqual([7000]);
  });

  it('computes Retry-After from an HTTP date and caps it', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:12 GMT', now)).toBe(12_000);
    expect(retryAfterMs('3600', now, 60_000)).toBe(60_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });

  it('retries a per-minute quota, then gives QUOTA_EXCEEDED', async () => {
    const body = rpcError(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'All requests' and limit 'All requests per minute per user' of service 'photoslibrary.googleapis.com'");
    const { error, requests } = await listAllError([[429, body], [429, body], [429, body], [429, body]]);
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(requests).toBe(4);
  });

  it('fails fast on the daily quota, without retrying', async () => {
    const message = "Quota exceeded for quota metric 'All requests' and limit 'All requests per day' of service 'photoslibrary.googleapis.com' for consumer 'project_number:357075621397'.";
    const { error, requests } = await listAllError([[429, rpcError(429, 'RESOURCE_EXHAUSTED', message)], [200, {}]]);
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(requests).toBe(1);
    expect(error.message).toContain(message);
    expect(error.hint).toMatch(/daily/);
  });

  it('never retries other 4xx', async () => {
    const { error, requests } = await listAllError([[400, rpcError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.')], [200, {}]]);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(requests).toBe(1);
  });
});

describe('malformed answers', () => {
  it('is BAD_RESPONSE naming the endpoint for a body that is not JSON', async () => {
    tokenEndpoint();
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems').query(true).reply(200, '{"mediaItems": [', { 'Content-Type': 'application/json' });
    const error = await failure(() => makeDriver().list('all'));
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toContain('mediaItems.list');
    expectNoSecrets(error);
  });

  it('is BAD_RESPONSE for items missing what the driver needs, yet tolerates unknown fields', async () => {
    tokenEndpoint();
    nock(LIBRARY_ORIGIN).get('/v1/albums').query(true).reply(200, { albums: [{ id: 'a', title: 'ok', mediaItemsCount: '3', brandNew: { x: 1 } }], extra: true });
    nock(LIBRARY_ORIGIN).post('/v1/mediaItems:search').reply(200, { mediaItems: [{ filename: 'no-id.jpg' }] });
    const driver = makeDriver();
    expect((await driver.list('albums'))[0]!.description).toBe('3 items');
    const error = await failure(() => driver.list('some-album'));
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toContain('mediaItems.search');
  });

  it('is BAD_RESPONSE for a token answer without an access token', async () => {
    nock('https://oauth2.googleapis.com').post('/token').reply(200, { token_type: 'Bearer' });
    const error = await failure(() => makeDriver().init());
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toContain('token');
  });
});

describe('translation table', () => {
  const url = 'https://photoslibrary.googleapis.com/v1/mediaItems';
  it('maps 404, invalid ids, FAILED_PRECONDITION and an expired picker session', () => {
    expect(translateGoogleError({ endpoint: 'mediaItems.get', method: 'GET', url, status: 404, body: '<html>404</html>' }).code).toBe('NOT_FOUND');
    expect(translateGoogleError({ endpoint: 'mediaItems.get', method: 'GET', url, status: 400, subjectId: 'x', body: rpcError(400, 'INVALID_ARGUMENT', 'Request contains an invalid media item id.') }).code).toBe('NOT_FOUND');
    expect(translateGoogleError({ endpoint: 'picker.mediaItems.list', method: 'GET', url, status: 400, body: rpcError(400, 'FAILED_PRECONDITION', 'User has not finished picking.') }).code).toBe('PICKER_NOT_READY');
    expect(translateGoogleError({ endpoint: 'picker.sessions.get', method: 'GET', url, status: 404, body: rpcError(404, 'NOT_FOUND', 'Requested entity was not found.') }).code).toBe('PICKER_SESSION_EXPIRED');
    expect(translateGoogleError({ endpoint: 'albums.get', method: 'GET', url, status: 403, body: rpcError(403, 'PERMISSION_DENIED', 'The caller does not have permission') }).code).toBe('PERMISSION_DENIED');
  });

  it('keeps a sanitized record as cause, never the axios error', async () => {
    tokenEndpoint();
    listReplies([403, rpcError(403, 'PERMISSION_DENIED', INSUFFICIENT_SCOPES)]);
    const error = await failure(() => makeDriver().list('all'));
    expect(error.cause).toEqual({
      endpoint: 'mediaItems.list',
      method: 'GET',
      url: 'https://photoslibrary.googleapis.com/v1/mediaItems?pageSize=100',
      status: 403,
      body: rpcError(403, 'PERMISSION_DENIED', INSUFFICIENT_SCOPES),
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({ name: 'DriverError', code: 'INSUFFICIENT_SCOPES', message: error.message, hint: error.hint, status: 403 });
  });

  it('can produce every code of the contract', () => {
    // INVALID_CONFIG comes from config validation, not from Google; the rest from translateGoogleError.
    const produced = new Set<string>(['INVALID_CONFIG']);
    const cases: Array<[number | undefined, unknown, string?]> = [
      [403, rpcError(403, 'PERMISSION_DENIED', INSUFFICIENT_SCOPES)],
      [403, libraryDisabledBody('none').body],
      [400, { error: 'invalid_grant', error_description: 'Bad Request' }],
      [401, { error: 'invalid_client', error_description: 'Unauthorized' }],
      [401, rpcError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.')],
      [403, rpcError(403, 'PERMISSION_DENIED', 'The caller does not have permission')],
      [429, rpcError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded')],
      [404, rpcError(404, 'NOT_FOUND', 'Requested entity was not found.')],
      [400, rpcError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.')],
      [503, 'unavailable'],
      [403, rpcError(403, 'PERMISSION_DENIED', 'The caller does not have permission'), 'sharedAlbums.list'],
      [400, rpcError(400, 'FAILED_PRECONDITION', 'not picked')],
      [404, rpcError(404, 'NOT_FOUND', 'gone'), 'picker.sessions.get'],
      [400, rpcError(400, 'FAILED_PRECONDITION', 'no Google Photos account'), 'picker.sessions.create'],
    ];
    for (const [status, body, endpoint] of cases) {
      produced.add(translateGoogleError({ endpoint: endpoint ?? 'mediaItems.list', method: 'GET', url, status, body }).code);
    }
    produced.add('BAD_RESPONSE'); // covered by the malformed-answer tests above
    expect([...produced].sort()).toEqual([...DRIVER_ERROR_CODES].sort());
  });
});
