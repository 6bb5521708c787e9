import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { registerBuiltinDrivers } from '../../src/driver/index.js';
import { googlePhotosDriver } from '../../src/driver/google-photos/driver.js';
import { GOOGLE_ENDPOINTS, emulatorEndpoints, endpointsFor } from '../../src/driver/google-photos/endpoints.js';
import { getDriverFactory } from '../../src/types/registry.js';
import { ACCESS_TOKEN, CONFIG, expectNoSecrets, failure, fastRetry, restoreNock, setupNock, teardownNock } from './fixtures.js';
import { GooglePhotos } from '../../src/driver/google-photos/driver.js';

beforeAll(setupNock);
afterEach(teardownNock);
afterAll(restoreNock);

describe('settings', () => {
  it('names every bad field in one INVALID_CONFIG, without echoing values', async () => {
    const driver = new GooglePhotos({ client_id: '', client_secret: 42, api_base_url: 'ftp://hunter2-secret-host' });
    const error = await failure(() => driver.init());
    expect(error.code).toBe('INVALID_CONFIG');
    for (const field of ['client_id', 'client_secret', 'refresh_token', 'api_base_url']) expect(error.message).toContain(field);
    expect(error.message).not.toContain('root_folder_id');
    expect(error.hint).toContain('"refresh_token"');
    expectNoSecrets(error, ['hunter2-secret-host', '42']);
  });

  it('tells how to get a missing refresh token: authorize, from the admin page or the CLI', async () => {
    const error = await failure(() => new GooglePhotos({ client_id: 'id', client_secret: 'secret' }).init());
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.hint).toContain('Authorize with Google');
    expect(error.hint).toContain('gphotos-alist auth');
  });

  it('never throws from the constructor, even for garbage', async () => {
    for (const garbage of [null, undefined, 'text', 7, []]) {
      const driver = new GooglePhotos(garbage);
      expect(driver.getRoot().id).toBe('root');
      expect((await failure(() => driver.init())).code).toBe('INVALID_CONFIG');
    }
  });

  it('treats an empty root_folder_id as root', async () => {
    nock('https://oauth2.googleapis.com').post('/token').reply(200, { access_token: ACCESS_TOKEN, expires_in: 3599 });
    const driver = new GooglePhotos({ ...CONFIG, root_folder_id: '' }, { retry: fastRetry() });
    await driver.init();
    expect(driver.getRoot().id).toBe('root');
    expect((await driver.list(driver.getRoot())).map((obj) => obj.id)).toEqual(['all', 'albums', 'share_albums', 'picked']);
  });

  it('describes its form: AList field names, secrets marked, help texts, the root default', () => {
    const items = googlePhotosDriver.meta.configItems;
    expect(items.map((item) => item.name)).toEqual(['client_id', 'client_secret', 'refresh_token', 'root_folder_id', 'api_base_url']);
    const byName = Object.fromEntries(items.map((item) => [item.name, item]));
    expect(byName.client_id).toMatchObject({ required: true });
    expect(byName.client_secret).toMatchObject({ required: true, secret: true });
    expect(byName.refresh_token).toMatchObject({ required: true, secret: true });
    expect(byName.refresh_token!.help).toMatch(/Authorize with Google/);
    expect(byName.root_folder_id).toMatchObject({ required: false, default: 'root' });
    expect(byName.api_base_url!.required).toBe(false);
    for (const item of items) expect(item.help?.length).toBeGreaterThan(10);
    expect(googlePhotosDriver.meta).toMatchObject({ name: 'GooglePhoto', defaultRoot: 'root', onlyProxy: false });
  });

  it('registers itself as GooglePhoto', () => {
    registerBuiltinDrivers();
    const factory = getDriverFactory('GooglePhoto');
    expect(factory).toBe(googlePhotosDriver);
    expect(factory!.create({ ...CONFIG }).getRoot().id).toBe('root');
  });

  it('picks endpoints: options first, then api_base_url (an emulator), then Google', () => {
    expect(endpointsFor({ api_base_url: '' })).toEqual(GOOGLE_ENDPOINTS);
    expect(endpointsFor({ api_base_url: 'http://127.0.0.1:4000/' })).toEqual({
      authorize: 'http://127.0.0.1:4000/o/oauth2/v2/auth',
      token: 'http://127.0.0.1:4000/token',
      library: 'http://127.0.0.1:4000/photoslibrary/v1',
      picker: 'http://127.0.0.1:4000/photospicker/v1',
    });
    expect(endpointsFor({ api_base_url: 'http://127.0.0.1:4000' }, { token: 'http://t.test/token' })).toEqual({
      ...emulatorEndpoints('http://127.0.0.1:4000'),
      token: 'http://t.test/token',
    });
  });

  it('talks to the emulator layout when api_base_url is set', async () => {
    nock('http://127.0.0.1:4999').post('/token').reply(200, { access_token: ACCESS_TOKEN, expires_in: 3599 })
      .get('/photoslibrary/v1/albums').query(true).reply(200, { albums: [{ id: 'e1', title: 'Emulated', mediaItemsCount: '2' }] });
    const driver = new GooglePhotos({ ...CONFIG, api_base_url: 'http://127.0.0.1:4999' }, { retry: fastRetry() });
    expect((await driver.list('albums')).map((obj) => obj.name)).toEqual(['Emulated']);
  });
});
