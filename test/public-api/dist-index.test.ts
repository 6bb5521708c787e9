import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const distIndex = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

// The package as a user gets it: the built dist/index.js, not the sources.
let api: any;

beforeAll(async () => {
  if (!existsSync(distIndex)) {
    try {
      execFileSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: 'ignore', timeout: 120_000 });
    } catch {
      // tsc still emits when another part of the tree has type errors; the import below decides.
    }
  }
  api = await import(pathToFileURL(distIndex).href);
  if (!nock.isActive()) nock.activate();
  nock.disableNetConnect();
}, 130_000);

afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

const endpoints = { token: 'https://token.example.test/token', library: 'https://library.example.test/v1' };
const config = { client_id: 'cid.apps.googleusercontent.com', client_secret: 'public-api-secret', refresh_token: '1//public-api-refresh' };
const fast = { retries: 1, minTimeout: 1, maxTimeout: 1, randomize: false };

describe('package root (dist/index.js)', () => {
  it('exports the pinned names', () => {
    for (const name of ['GooglePhotos', 'googlePhotosDriver', 'DriverError', 'isDriverError', 'refId', 'registerDriver', 'getDriverFactory',
      'listDriverFactories', 'configItemsFromSchema', 'SCOPES', 'DRIVER_SCOPES', 'GOOGLE_ENDPOINTS', 'emulatorEndpoints',
      'createPkcePair', 'buildAuthorizationUrl', 'exchangeAuthorizationCode', 'registerBuiltinDrivers']) {
      expect(api[name]).toBeDefined();
    }
    expect(api.GOOGLE_ENDPOINTS.library).toBe('https://photoslibrary.googleapis.com/v1');
    expect(api.DRIVER_SCOPES).toContain(api.SCOPES.picker);
    api.registerBuiltinDrivers();
    expect(api.getDriverFactory('GooglePhoto')).toBe(api.googlePhotosDriver);
  });

  it('lists a library through options.endpoints', async () => {
    nock('https://token.example.test').post('/token').reply(200, { access_token: 'ya29.public', expires_in: 3599 });
    nock('https://library.example.test').get('/v1/albums').query(true)
      .reply(200, { albums: [{ id: 'AL1', title: 'Summer', mediaItemsCount: '3' }] });
    const driver = new api.GooglePhotos(config, { endpoints, retry: fast });
    await driver.init();
    const root = driver.getRoot();
    expect(root).toMatchObject({ id: 'root', isDir: true });
    expect((await driver.list(root)).map((obj: any) => obj.id)).toEqual(['all', 'albums', 'share_albums', 'picked']);
    expect(await driver.list('albums')).toMatchObject([{ id: 'AL1', name: 'Summer', isDir: true, description: '3 items' }]);
  });

  it('fails with DriverError codes', async () => {
    const invalid = await new api.GooglePhotos({}).init().catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(api.DriverError);
    expect(invalid.code).toBe('INVALID_CONFIG');

    nock('https://token.example.test').post('/token').reply(200, { access_token: 'ya29.public', expires_in: 3599 });
    nock('https://library.example.test').get('/v1/mediaItems').query(true)
      .reply(403, { error: { code: 403, message: 'Request had insufficient authentication scopes.', status: 'PERMISSION_DENIED' } });
    const scopes = await new api.GooglePhotos(config, { endpoints, retry: fast }).list('all').catch((error: unknown) => error);
    expect(api.isDriverError(scopes, 'INSUFFICIENT_SCOPES')).toBe(true);
    expect(JSON.stringify(scopes)).not.toContain('ya29.public');
    expect(JSON.stringify(scopes)).not.toContain('public-api-secret');
  });
});
