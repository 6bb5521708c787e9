import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accessToken, call, startTestEmulator, type TestEmulator } from './emulator-client.js';

describe('emulator with 100,000 items', () => {
  let t: TestEmulator;
  beforeAll(async () => { t = await startTestEmulator({ items: 100_000, albums: 8 }); }, 60_000);
  afterAll(async () => { await t.emu.close(); });

  it('loads and pages: first pages full, a late page reachable, one request per page', async () => {
    const token = await accessToken(t.emu);
    t.emu.resetCounts();
    let pageToken: string | undefined;
    const seen = new Set<string>();
    for (let page = 0; page < 5; page++) {
      const query = new URLSearchParams({ pageSize: '100', ...(pageToken ? { pageToken } : {}) });
      const answer = await call(`${t.emu.endpoints.library}/mediaItems?${query}`, token);
      expect(answer.body.mediaItems).toHaveLength(100);
      for (const item of answer.body.mediaItems) seen.add(item.id);
      pageToken = answer.body.nextPageToken;
    }
    expect(seen.size).toBe(500);
    expect(t.emu.requestCounts()['GET /photoslibrary/v1/mediaItems']).toBe(5);
    const albums = await call(`${t.emu.endpoints.library}/albums?pageSize=50`, token);
    expect(albums.body.albums).toHaveLength(8);
    const biggest = Math.max(...albums.body.albums.map((a: any) => Number(a.mediaItemsCount ?? 0)));
    expect(biggest).toBeLessThanOrEqual(20_000);
    const owned = t.emu.snapshot().mediaItems.filter((i) => i.clientId === t.emu.client.clientId).length;
    expect(owned).toBe(100_000);
  });
});
