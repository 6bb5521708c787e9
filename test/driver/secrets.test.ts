import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import {
  ACCESS_TOKEN, CLIENT_SECRET, CONFIG, INSUFFICIENT_SCOPES, LIBRARY_ORIGIN, REFRESH_TOKEN, TOKEN_ORIGIN,
  expectNoSecrets, failure, fastRetry, libraryDisabledBody, makeDriver, restoreNock, rpcError, setupNock, startLocalServer, teardownNock, tokenEndpoint,
} from './fixtures.js';
import { GooglePhotos } from '../../src/driver/google-photos/driver.js';

beforeAll(setupNock);
afterEach(teardownNock);
afterAll(restoreNock);

type Scenario = [name: string, arrange: () => void, act: (driver: GooglePhotos) => Promise<unknown>];

const listAll = (driver: GooglePhotos) => driver.list('all');
const apiAnswers = (status: number, body: unknown, times = 5) => () => {
  tokenEndpoint({ times: 3 });
  nock(LIBRARY_ORIGIN).get('/v1/mediaItems').query(true).times(times).reply(status, body as any);
};
const tokenAnswers = (status: number, body: unknown) => () => {
  nock(TOKEN_ORIGIN).post('/token').times(5).reply(status, body as any);
};

const scenarios: Scenario[] = [
  ['invalid_grant', tokenAnswers(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }), (d) => d.init()],
  ['invalid_client', tokenAnswers(401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' }), (d) => d.init()],
  ['token endpoint echoing the secrets', tokenAnswers(400, { error: 'invalid_request', error_description: `client_secret=${CLIENT_SECRET}&refresh_token=${REFRESH_TOKEN}` }), (d) => d.init()],
  ['token endpoint down', tokenAnswers(503, 'down'), (d) => d.init()],
  ['malformed token answer', tokenAnswers(200, { access_token: ACCESS_TOKEN, expires_in: 'soon' }), (d) => d.init()],
  ['401 twice', apiAnswers(401, rpcError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.')), listAll],
  ['insufficient scopes', apiAnswers(403, rpcError(403, 'PERMISSION_DENIED', INSUFFICIENT_SCOPES)), listAll],
  ['API disabled', apiAnswers(403, libraryDisabledBody('errorInfo').body), listAll],
  ['daily quota', apiAnswers(429, rpcError(429, 'RESOURCE_EXHAUSTED', 'All requests per day')), listAll],
  ['server errors', apiAnswers(500, 'oops'), listAll],
  ['API echoing the bearer token', apiAnswers(400, rpcError(400, 'INVALID_ARGUMENT', `bad header Bearer ${ACCESS_TOKEN}`)), listAll],
  ['malformed API answer', apiAnswers(200, '<html>not json</html>'), listAll],
  ['unknown item', () => {
    tokenEndpoint();
    nock(LIBRARY_ORIGIN).get('/v1/mediaItems/x').reply(404, rpcError(404, 'NOT_FOUND', 'Requested entity was not found.'));
  }, (d) => d.link('x')],
  ['shared albums', () => {
    tokenEndpoint();
    nock(LIBRARY_ORIGIN).get('/v1/sharedAlbums').query(true).reply(403, rpcError(403, 'PERMISSION_DENIED', 'The caller does not have permission'));
  }, (d) => d.list('share_albums')],
  ['unknown path', () => {
    tokenEndpoint();
  }, (d) => d.get('/nothing/here')],
];

describe('no secret in any error', () => {
  for (const [name, arrange, act] of scenarios) {
    it(`keeps secrets out of the error: ${name}`, async () => {
      arrange();
      const driver = makeDriver({}, { retry: fastRetry(), requestTimeoutMs: 2000 });
      const error = await failure(() => act(driver));
      expect(error.name).toBe('DriverError');
      expect(typeof error.hint).toBe('string');
      expectNoSecrets(error);
      expect(String(error.stack)).not.toContain(CLIENT_SECRET);
    });
  }

  it('keeps secrets out of the error: token connection dropped', async () => {
    const server = await startLocalServer(['reset']);
    try {
      const error = await failure(() => makeDriver({}, { endpoints: { token: `${server.url}/token` } }).init());
      expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
      expectNoSecrets(error);
    } finally {
      await server.close();
    }
  });

  it('keeps secrets out of an invalid config error', async () => {
    const error = await failure(() => new GooglePhotos({ ...CONFIG, client_id: 7, api_base_url: REFRESH_TOKEN }).init());
    expect(error.code).toBe('INVALID_CONFIG');
    expectNoSecrets(error);
  });
});
