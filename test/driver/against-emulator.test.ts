import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { GooglePhotos } from '../../src/driver/google-photos/driver.js';
import { SCOPES } from '../../src/driver/google-photos/scopes.js';
import { expectNoSecrets, failure } from './fixtures.js';

// The driver against the local emulator, which answers as Google does (error bodies included).
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ items: 30, albums: 3, seed: 7 });
});
afterAll(async () => {
  await emulator?.close();
});

const fast = { retries: 2, minTimeout: 1, maxTimeout: 2, randomize: false };

function driverFor(refreshToken: string, config: Record<string, unknown> = {}): GooglePhotos {
  return new GooglePhotos(
    { client_id: emulator.client.clientId, client_secret: emulator.client.clientSecret, refresh_token: refreshToken, api_base_url: emulator.url, ...config },
    { retry: fast },
  );
}

describe('GooglePhotos against the emulator', () => {
  it('lists every app-created item and album, each name unique, each reachable by path', async () => {
    const driver = driverFor(emulator.issueRefreshToken());
    const truth = emulator.snapshot();
    const mine = truth.mediaItems.filter((item) => item.clientId === emulator.client.clientId);
    const items = await driver.list('all');
    expect(items.map((obj) => obj.id).sort()).toEqual(mine.map((item) => item.id).sort());
    expect(new Set(items.map((obj) => obj.name)).size).toBe(items.length);
    const albums = await driver.list('albums');
    expect(albums.map((obj) => obj.id).sort()).toEqual(truth.albums.filter((a) => a.clientId === emulator.client.clientId).map((a) => a.id).sort());

    const album = truth.albums.find((a) => a.mediaItemIds.length > 0)!;
    const albumFolder = albums.find((obj) => obj.id === album.id)!;
    const inAlbum = await driver.list(album.id);
    expect(inAlbum.map((obj) => obj.id).sort()).toEqual([...album.mediaItemIds].sort());
    const first = inAlbum[0]!;
    expect((await driver.get(`/Albums/${albumFolder.name}/${first.name}`)).id).toBe(first.id);
    const link = await driver.link(first);
    const response = await fetch(link.url, { method: 'GET' });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  });

  it('mounts one album by id', async () => {
    const album = emulator.snapshot().albums.find((a) => a.mediaItemIds.length > 0)!;
    const driver = driverFor(emulator.issueRefreshToken(), { root_folder_id: album.id });
    expect((await driver.list(driver.getRoot())).length).toBe(album.mediaItemIds.length);
  });

  it('says INSUFFICIENT_SCOPES for a token with only the removed photoslibrary scope', async () => {
    const token = emulator.issueRefreshToken({ scopes: [SCOPES.legacyLibrary] });
    const error = await failure(() => driverFor(token).list('all'));
    expect(error.code).toBe('INSUFFICIENT_SCOPES');
    expectNoSecrets(error, [token, emulator.client.clientSecret]);
  });

  it('says INVALID_GRANT for a revoked refresh token', async () => {
    const token = emulator.issueRefreshToken();
    emulator.revokeRefreshToken(token);
    const error = await failure(() => driverFor(token).init());
    expect(error.code).toBe('INVALID_GRANT');
    expectNoSecrets(error, [token, emulator.client.clientSecret]);
  });

  it('says API_DISABLED with the activation link when the Library API is off', async () => {
    emulator.setApiEnabled('photoslibrary', false);
    try {
      const error = await failure(() => driverFor(emulator.issueRefreshToken()).list('albums'));
      expect(error.code).toBe('API_DISABLED');
      expect(error.hint).toContain('photoslibrary.googleapis.com');
    } finally {
      emulator.setApiEnabled('photoslibrary', true);
    }
  });

  it('says QUOTA_EXCEEDED at once when the daily quota is used up', async () => {
    const driver = driverFor(emulator.issueRefreshToken());
    await driver.init();
    emulator.setQuotaExhausted('photoslibrary', true);
    emulator.resetCounts();
    try {
      expect((await failure(() => driver.list('albums'))).code).toBe('QUOTA_EXCEEDED');
      expect(emulator.requestCounts()['GET /photoslibrary/v1/albums']).toBe(1);
    } finally {
      emulator.setQuotaExhausted('photoslibrary', false);
    }
  });
});
