import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { GooglePhotos } from '../../src/driver/google-photos/driver.js';
import { MemoryPickerSessionStore } from '../../src/driver/google-photos/picker-sessions.js';
import { SCOPES } from '../../src/driver/google-photos/scopes.js';
import { expectNoSecrets, failure } from './fixtures.js';
import { RecordingStore } from './recording-picker-store.js';

// The driver's picking against the local emulator, one clock for both.
const LIST_PICKED = 'GET /photospicker/v1/mediaItems';
const DELETE_SESSION = 'DELETE /photospicker/v1/sessions/{sessionId}';
const MINUTE = 60_000;

const time = { ms: Date.parse('2026-11-26T08:00:00Z') };
const now = () => time.ms;
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ items: 10, albums: 1, seed: 3, pickableOnlyItems: 24, now });
});
afterAll(async () => {
  await emulator?.close();
});

const fast = { retries: 2, minTimeout: 1, maxTimeout: 2, randomize: false };

function driverFor(refreshToken = emulator.issueRefreshToken(), store = new MemoryPickerSessionStore()): GooglePhotos {
  return new GooglePhotos(
    { client_id: emulator.client.clientId, client_secret: emulator.client.clientSecret, refresh_token: refreshToken, api_base_url: emulator.url },
    { retry: fast, now, pickerSessions: store },
  );
}

/** A new session in which the user picked (the emulator's default choice), listed once. */
async function pickedSession() {
  const driver = driverFor();
  const { id } = await driver.createPickerSession();
  emulator.pick(id);
  const files = await driver.list(`picked:${id}`);
  return { driver, id, files };
}

/** Items of the user's older library (not app-created): two share a filename, one is a video. */
function itemsToPick() {
  const library = emulator.snapshot().mediaItems.filter((item) => item.clientId === null);
  const byName = new Map<string, typeof library>();
  for (const item of library) byName.set(item.filename, [...(byName.get(item.filename) ?? []), item]);
  const twins = [...byName.values()].find((items) => items.length >= 2)!;
  const video = library.find((item) => item.mimeType.startsWith('video/'))!;
  const others = library.filter((item) => !twins.includes(item) && item !== video).slice(0, 2);
  return [twins[0]!, twins[1]!, video, ...others];
}

describe('picking against the emulator', () => {
  it('creates, waits, picks, lists the session folder and the picked names; links carry the bearer token', async () => {
    const store = new RecordingStore();
    const driver = driverFor(undefined, store);
    const info = await driver.createPickerSession({ label: 'Beach' });
    expect(info.pickerUri).toBe(`${emulator.url}/picker/${info.id}`);
    expect(info.pollIntervalMs).toBe(1000);
    expect(info.timeoutMs).toBeGreaterThan(0);
    expect(info.expireTime).toBe(new Date(now() + 60 * MINUTE).toISOString());

    expect(await driver.getPickerSession(info.id)).toMatchObject({ mediaItemsSet: false });
    const notReady = await failure(() => driver.list(`picked:${info.id}`));
    expect(notReady.code).toBe('PICKER_NOT_READY');
    expect(notReady.hint).toContain('press Done');

    const chosen = itemsToPick();
    emulator.pick(info.id, chosen.map((item) => item.id));
    expect(await driver.getPickerSession(info.id)).toMatchObject({ mediaItemsSet: true, itemCount: chosen.length });

    const [folder] = await driver.list('picked');
    expect(folder).toMatchObject({ id: `picked:${info.id}`, name: 'Beach', isDir: true, description: `${chosen.length} items · expires 2026-11-26 09:00 UTC` });
    expect(folder!.expiresAt!.toISOString()).toBe(info.expireTime);

    const files = await driver.list(folder!);
    const twinName = chosen[0]!.filename;
    const expected = chosen.map((item, index) => (index < 2 ? twinName.replace(/(\.[^.]+)$/, ` {${item.id}}$1`) : item.filename));
    expect(files.map((obj) => obj.name).sort()).toEqual([...expected].sort());
    expect(files.map((obj) => obj.mimeType).sort()).toEqual(chosen.map((item) => item.mimeType).sort());
    expect(files.every((obj) => obj.thumbnail === undefined)).toBe(true);

    const photo = files.find((obj) => obj.mimeType === 'image/jpeg')!;
    const link = await driver.link(photo);
    expect(link.header?.Authorization).toMatch(/^Bearer \S+$/);
    const withHeader = await fetch(link.url, { headers: link.header });
    expect(withHeader.status).toBe(200);
    expect(withHeader.headers.get('content-type')).toContain('image/jpeg');
    const bytes = new Uint8Array(await withHeader.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
    const bare = await fetch(link.url);
    expect(bare.status).toBe(403);
    await bare.arrayBuffer();

    expect((await driver.get(`/Picked from Google Photos/Beach/${photo.name}`)).id).toBe(photo.id);
    expect(store.calls.every((call) => call === `save ${info.id}`)).toBe(true);
    expect(store.list()[0]).toMatchObject({ id: info.id, label: 'Beach', mediaItemsSet: true, itemCount: chosen.length });
    await driver.deletePickerSession(info.id);
  });

  it('renews baseUrls with exactly one re-listing after 50 minutes', async () => {
    const start = time.ms;
    try {
      const { driver, id, files } = await pickedSession();
      emulator.resetCounts();
      await driver.link(files[0]!);
      await driver.link(files[1]!);
      expect(emulator.requestCounts()[LIST_PICKED] ?? 0).toBe(0);

      time.ms += 51 * MINUTE;
      const renewed = await driver.link(files[0]!);
      await driver.link(files[1]!);
      await driver.link(files[2]!);
      expect(emulator.requestCounts()[LIST_PICKED]).toBe(1);
      const response = await fetch(renewed.url, { headers: renewed.header });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      await driver.deletePickerSession(id);
    } finally {
      time.ms = start;
    }
  });

  it('says PICKER_SESSION_EXPIRED after expireTime without any request', async () => {
    const start = time.ms;
    try {
      const { driver, id, files } = await pickedSession();
      time.ms += 61 * MINUTE;
      emulator.resetCounts();
      for (const act of [() => driver.list(`picked:${id}`), () => driver.link(files[0]!)]) {
        const error = await failure(act);
        expect(error.code).toBe('PICKER_SESSION_EXPIRED');
        expect(error.hint).toContain('Keep a copy');
      }
      expect(emulator.requestCounts()).toEqual({});
      expect((await driver.list('picked'))[0]!.description).toBe('expired');
    } finally {
      time.ms = start;
    }
  });

  it('says INSUFFICIENT_SCOPES naming photospicker.mediaitems.readonly for a token without the picker scope', async () => {
    const token = emulator.issueRefreshToken({ scopes: [SCOPES.appendOnly, SCOPES.readAppCreated, SCOPES.editAppCreated] });
    const error = await failure(() => driverFor(token).createPickerSession());
    expect(error.code).toBe('INSUFFICIENT_SCOPES');
    expect(error.hint).toContain('photospicker.mediaitems.readonly');
    expectNoSecrets(error, [token, emulator.client.clientSecret]);
  });

  it('says API_DISABLED naming the Google Photos Picker API and its activation URL', async () => {
    emulator.setApiEnabled('photospicker', false);
    try {
      const token = emulator.issueRefreshToken();
      const error = await failure(() => driverFor(token).createPickerSession());
      expect(error.code).toBe('API_DISABLED');
      expect(error.hint).toContain('Google Photos Picker API');
      expect(error.hint).toMatch(/https:\/\/console\.developers\.google\.com\/apis\/api\/photospicker\.googleapis\.com\/overview\?project=\d+/);
      expectNoSecrets(error, [token, emulator.client.clientSecret]);
    } finally {
      emulator.setApiEnabled('photospicker', true);
    }
  });

  it('deletes the session at Google and from the store', async () => {
    const store = new RecordingStore();
    const driver = driverFor(undefined, store);
    const { id } = await driver.createPickerSession();
    emulator.resetCounts();
    await driver.deletePickerSession(id);
    expect(emulator.requestCounts()[DELETE_SESSION]).toBe(1);
    expect(store.calls).toEqual([`save ${id}`, `remove ${id}`]);
    expect(await driver.list('picked')).toEqual([]);
    const gone = await failure(() => driver.getPickerSession(id));
    expect(gone.code).toBe('PICKER_SESSION_EXPIRED');
    await driver.deletePickerSession(id); // Google answers 404 now: ignored
    expect(emulator.requestCounts()[DELETE_SESSION]).toBe(2);
  });
});
