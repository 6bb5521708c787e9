/** Google's APIs never redirect: a redirect is not followed, so the bearer token cannot reach another origin. */
import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import nock from 'nock';
import { GoogleHttp } from '../../src/driver/google-photos/http.js';
import { isDriverError } from '../../src/types/errors.js';
import { z } from 'zod';
import { restoreNock, setupNock } from './fixtures.js';

// nock stays installed in this jest worker unless restored: later files' real HTTP would go through it.
beforeAll(setupNock);
afterAll(restoreNock);

const TOKEN = 'ya29.redirect-test-token';

afterEach(() => {
  nock.cleanAll();
});

it.each([
  ['another host', 'https://elsewhere.test/v1/mediaItems'],
  ['plain http on the same host', 'http://photoslibrary.test/v1/mediaItems'],
  ['the same origin', 'https://photoslibrary.test/v1/other'],
])('does not follow a redirect to %s with the bearer token', async (_label, location) => {
  nock('https://photoslibrary.test').get('/v1/mediaItems').reply(302, '', { location });
  const { origin, pathname } = new URL(location);
  let reached = false;
  nock(origin).get(pathname).reply(() => {
    reached = true;
    return [200, {}];
  });
  const http = new GoogleHttp({ retry: { retries: 0 } });
  const failure = await http
    .send({ endpoint: 'mediaItems.list', method: 'GET', url: 'https://photoslibrary.test/v1/mediaItems', accessToken: TOKEN }, z.unknown())
    .then(() => undefined, (error: unknown) => error);
  expect(isDriverError(failure)).toBe(true);
  expect(reached).toBe(false);
  expect(JSON.stringify(failure)).not.toContain(TOKEN);
});
