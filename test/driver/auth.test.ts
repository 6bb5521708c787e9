import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import {
  CLIENT_SECRET, CONFIG, LIBRARY_ORIGIN, REFRESH_TOKEN, SECRETS, TOKEN_ORIGIN,
  expectNoSecrets, failure, makeDriver, mediaItem, restoreNock, setupNock, teardownNock, tokenEndpoint,
} from './fixtures.js';

beforeAll(setupNock);
afterEach(teardownNock);
afterAll(restoreNock);

describe('access tokens', () => {
  it('init() sends a form-encoded refresh grant with the configured client', async () => {
    const token = tokenEndpoint();
    await makeDriver().init();
    expect(token.count).toBe(1);
    expect(token.bodies[0]).toEqual({
      grant_type: 'refresh_token',
      refresh_token: REFRESH_TOKEN,
      client_id: CONFIG.client_id,
      client_secret: CLIENT_SECRET,
    });
  });

  it('makes exactly one token request for 100 concurrent listings with an expired token', async () => {
    const clock = { now: 0 };
    const token = tokenEndpoint({ times: 2, accessToken: (n) => `ya29.token-${n}`, expiresIn: 3599 });
    const authorizations = new Set<string>();
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems').query(true).times(100)
      .reply(function () {
        authorizations.add(String(this.req.headers.authorization));
        return [200, { mediaItems: [mediaItem('m1', 'a.jpg')] }];
      });
    const driver = makeDriver({}, { now: () => clock.now });
    await driver.init();
    expect(token.count).toBe(1);
    clock.now = 3600 * 1000; // past expiry
    const listings = await Promise.all(Array.from({ length: 100 }, () => driver.list('all')));
    expect(listings.every((objs) => objs.length === 1)).toBe(true);
    expect(token.count).toBe(2);
    expect([...authorizations]).toEqual(['Bearer ya29.token-2']);
  });

  it('refreshes ahead of expiry (skew) but not while the token is fresh', async () => {
    const clock = { now: 0 };
    const token = tokenEndpoint({ times: 2, expiresIn: 3600 });
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems').query(true).times(2).reply(200, {});
    const driver = makeDriver({}, { now: () => clock.now });
    await driver.init();
    clock.now = 30 * 60 * 1000;
    await driver.list('all');
    expect(token.count).toBe(1);
    clock.now = 3600 * 1000 - 30 * 1000; // 30 s before expiry: inside the skew
    await driver.list('all');
    expect(token.count).toBe(2);
  });

  it('keeps and reports a rotated refresh token', async () => {
    const reported: string[] = [];
    const patches: Record<string, unknown>[] = [];
    const token = tokenEndpoint({ times: 2, refreshToken: '1//rotated-refresh-token' });
    const driver = makeDriver({}, { onRefreshToken: (t) => reported.push(t), onConfigChange: (p) => patches.push(p) });
    await driver.init();
    expect(reported).toEqual(['1//rotated-refresh-token']);
    expect(patches).toEqual([{ refresh_token: '1//rotated-refresh-token' }]);
    await driver.refreshToken();
    expect(token.bodies[1]!.refresh_token).toBe('1//rotated-refresh-token');
    expect(reported).toHaveLength(1); // the same token again is not news
  });

  it('retries a transient token endpoint failure', async () => {
    nock(TOKEN_ORIGIN).post('/token').reply(503, 'Service Unavailable');
    const token = tokenEndpoint();
    await makeDriver().init();
    expect(token.count).toBe(1);
    expect(nock.isDone()).toBe(true);
  });

  it('translates invalid_grant with a hint about revocation and Testing apps (7 days)', async () => {
    nock(TOKEN_ORIGIN).post('/token').reply(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    const error = await failure(() => makeDriver().init());
    expect(error.code).toBe('INVALID_GRANT');
    expect(error.message).toContain('Token has been expired or revoked.');
    expect(error.hint).toMatch(/revoked/);
    expect(error.hint).toMatch(/Testing/);
    expect(error.hint).toMatch(/7 days/);
    expectNoSecrets(error);
  });

  it('translates invalid_client', async () => {
    nock(TOKEN_ORIGIN).post('/token').reply(401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    const error = await failure(() => makeDriver().init());
    expect(error.code).toBe('INVALID_CLIENT');
    expect(error.message).toContain('The OAuth client was not found.');
    expect(error.hint).toContain('client_secret');
    expectNoSecrets(error);
  });

  it('never repeats a secret the token endpoint echoes back', async () => {
    nock(TOKEN_ORIGIN).post('/token').reply(400, { error: 'invalid_grant', error_description: `Bad token ${REFRESH_TOKEN} for ${CLIENT_SECRET}` });
    const error = await failure(() => makeDriver().init());
    expect(error.code).toBe('INVALID_GRANT');
    expect(error.message).toContain('[redacted]');
    expectNoSecrets(error, SECRETS);
  });

  it('refreshes once and retries once after a 401, then succeeds', async () => {
    const token = tokenEndpoint({ times: 2, accessToken: (n) => `ya29.token-${n}` });
    const seen: string[] = [];
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems').query(true).times(2)
      .reply(function () {
        seen.push(String(this.req.headers.authorization));
        return seen.length === 1
          ? [401, { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } }]
          : [200, { mediaItems: [mediaItem('m1', 'a.jpg')] }];
      });
    const objs = await makeDriver().list('all');
    expect(objs).toHaveLength(1);
    expect(token.count).toBe(2);
    expect(seen).toEqual(['Bearer ya29.token-1', 'Bearer ya29.token-2']);
  });

  it('gives UNAUTHENTICATED after one refresh and one retry', async () => {
    const token = tokenEndpoint({ times: 3 });
    let apiCalls = 0;
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems').query(true).times(5)
      .reply(() => {
        apiCalls++;
        return [401, { error: { code: 401, message: 'Request had invalid authentication credentials. Expected OAuth 2 access token.', status: 'UNAUTHENTICATED' } }];
      });
    const error = await failure(() => makeDriver().list('all'));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(apiCalls).toBe(2);
    expect(token.count).toBe(2);
    expectNoSecrets(error);
  });
});
