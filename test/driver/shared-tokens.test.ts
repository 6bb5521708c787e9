/** The driver's optional sharedTokens hook: a token another process stored is used; a refused one is named. */
import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import nock from 'nock';
import type { SharedAccessToken, SharedTokenCache, SharedTokenRequest } from '../../src/driver/google-photos/index.js';
import { LIBRARY_ORIGIN, makeDriver, mediaItem, restoreNock, setupNock, teardownNock, tokenEndpoint } from './fixtures.js';

beforeAll(setupNock);
afterEach(teardownNock);
afterAll(restoreNock);

const HOUR_MS = 3600 * 1000;
const UNAUTHENTICATED = { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } };

/** What another process left in the shared cache, and what this driver asked of it. */
function sharedCache(stored: SharedAccessToken | undefined): SharedTokenCache & { requests: SharedTokenRequest[] } {
  const requests: SharedTokenRequest[] = [];
  return {
    requests,
    async obtain(request, refresh) {
      requests.push(request);
      if (stored && stored.value !== request.rejected && stored.expiresAt > request.validUntil) return stored;
      stored = await refresh();
      return stored;
    },
  };
}

it('uses the token another process stored, without a token request of its own', async () => {
  // No token endpoint: a token request of its own would fail init().
  const seen: string[] = [];
  nock(LIBRARY_ORIGIN).get('/v1/mediaItems').query(true).reply(function () {
    seen.push(String(this.req.headers.authorization));
    return [200, { mediaItems: [mediaItem('m1', 'a.jpg')] }];
  });
  const cache = sharedCache({ value: 'ya29.from-another-process', expiresAt: Date.now() + HOUR_MS });
  const driver = makeDriver({}, { sharedTokens: cache });
  await driver.init();
  expect(await driver.list('all')).toHaveLength(1);
  expect(seen).toEqual(['Bearer ya29.from-another-process']);
  expect(JSON.stringify(cache.requests)).not.toContain('secret'); // the account names the pair by a hash only
});

it('names the refused token when Google answers 401, and uses the new one', async () => {
  const token = tokenEndpoint({ times: 1, accessToken: 'ya29.renewed' });
  const seen: string[] = [];
  nock(LIBRARY_ORIGIN).get('/v1/mediaItems').query(true).times(2).reply(function () {
    const authorization = String(this.req.headers.authorization);
    seen.push(authorization);
    return authorization === 'Bearer ya29.renewed' ? [200, { mediaItems: [mediaItem('m1', 'a.jpg')] }] : [401, UNAUTHENTICATED];
  });
  const cache = sharedCache({ value: 'ya29.expired-everywhere', expiresAt: Date.now() + HOUR_MS });
  const driver = makeDriver({}, { sharedTokens: cache });
  await driver.init();
  expect(await driver.list('all')).toHaveLength(1);
  expect(token.count).toBe(1);
  expect(seen).toEqual(['Bearer ya29.expired-everywhere', 'Bearer ya29.renewed']);
  expect(cache.requests.map((request) => request.rejected)).toEqual([undefined, 'ya29.expired-everywhere']);
});
