import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { buildAuthorizationUrl, createPkcePair, exchangeAuthorizationCode } from '../../src/driver/google-photos/oauth.js';
import { DRIVER_SCOPES, SCOPES } from '../../src/driver/google-photos/scopes.js';
import { driverFor, groundTruth, namesOf, sorted, startE2EEmulator, type E2E } from './support.js';

/* The driver against the emulator playing Google's real behaviours (issue 8 §2). */

const REDIRECT_URI = 'http://127.0.0.1:9/callback';

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2EEmulator({ items: 120, albums: 3, pickableOnlyItems: 6, processingVideos: 1 });
});

afterAll(async () => {
  await e2e?.emu.close();
});

afterEach(() => {
  e2e.emu.setFaults({ repeatIds: false, strayPageToken: false });
  e2e.emu.setPhotosAccount(true);
});

async function failureOf(promise: Promise<unknown>): Promise<any> {
  return promise.then(() => { throw new Error('expected a failure'); }, (error: unknown) => error);
}

describe('driver against the emulator: listings', () => {
  it('repeated ids across pages and a stray page token: every item once, the same names as a clean listing', async () => {
    const clean = await driverFor(e2e).list('all');
    const album = groundTruth(e2e.emu).albums[0]!;
    const cleanAlbum = await driverFor(e2e).list(album.id);
    e2e.emu.setFaults({ repeatIds: true, strayPageToken: true });
    const quirky = await driverFor(e2e).list('all');
    expect(namesOf(quirky)).toEqual(namesOf(clean));
    expect(quirky.map((obj) => obj.id)).toEqual(groundTruth(e2e.emu).items.map((item) => item.id));
    expect(namesOf(await driverFor(e2e).list(album.id))).toEqual(namesOf(cleanAlbum));
    expect(namesOf(await driverFor(e2e).list('albums'))).toHaveLength(groundTruth(e2e.emu).albums.length);
  });

  it('the scopes the driver asks for cover reading; edit.appcreateddata without readonly.appcreateddata cannot read', async () => {
    expect(DRIVER_SCOPES).toContain(SCOPES.readAppCreated);
    const full = driverFor(e2e, { refresh_token: e2e.emu.issueRefreshToken({ scopes: DRIVER_SCOPES }) });
    expect(await full.list('all')).toHaveLength(groundTruth(e2e.emu).items.length);
    const editOnly = driverFor(e2e, { refresh_token: e2e.emu.issueRefreshToken({ scopes: [SCOPES.appendOnly, SCOPES.editAppCreated, SCOPES.picker] }) });
    const error = await failureOf(editOnly.list('all'));
    expect(error).toMatchObject({ code: 'INSUFFICIENT_SCOPES', status: 403 });
    expect(error.hint).toContain(SCOPES.readAppCreated);
  });

  it('ids of another app: NOT_FOUND with a hint for a media item and an album; links() leaves them out', async () => {
    const other = e2e.emu.registerClient();
    const theirs = driverFor(e2e, { client_id: other.clientId, client_secret: other.clientSecret,
      refresh_token: e2e.emu.issueRefreshToken({ clientId: other.clientId }) });
    const mine = driverFor(e2e);
    const myItem = groundTruth(e2e.emu).items.find((item) => item.mimeType === 'image/jpeg')!.id;
    const item = await failureOf(theirs.link(myItem));
    expect(item).toMatchObject({ code: 'NOT_FOUND' });
    expect(item.message).toContain('Invalid media item ID.');
    expect(item.hint).toMatch(/created by this OAuth client/);
    const album = await failureOf(theirs.list(groundTruth(e2e.emu).albums[0]!.id));
    expect(album).toMatchObject({ code: 'NOT_FOUND' });
    expect(album.message).toContain('Invalid album ID.');
    const links = await theirs.links([myItem]);
    expect(links.size).toBe(0);
    expect((await mine.links([myItem])).size).toBe(1);
  });
});

describe('driver against the emulator: a video still processing', () => {
  it('is listed; its link says it is still processing until Google is done, then it plays', async () => {
    const video = e2e.emu.snapshot().mediaItems.find((item) => item.videoStatus === 'PROCESSING')!;
    const driver = driverFor(e2e);
    const listed = (await driver.list('all')).find((obj) => obj.id === video.id)!;
    expect(listed.name).toBe(video.filename);
    const error = await failureOf(driver.link(video.id));
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(error.hint).toMatch(/try again in a few minutes/i);
    e2e.emu.setVideoStatus(video.id, 'READY');
    const link = await driver.link(video.id);
    const bytes = await fetch(link.url, { signal: AbortSignal.timeout(10_000) });
    expect(bytes.status).toBe(200);
    expect(bytes.headers.get('content-type')).toMatch(/^video\/mp4/);
    e2e.emu.setVideoStatus(video.id, 'PROCESSING');
  });
});

describe('driver against the emulator: Picker', () => {
  it('an account without Google Photos: creating a session fails with NO_PHOTOS_ACCOUNT and says what to do', async () => {
    e2e.emu.setPhotosAccount(false);
    const error = await failureOf(driverFor(e2e).createPickerSession());
    expect(error).toMatchObject({ code: 'NO_PHOTOS_ACCOUNT', status: 400 });
    expect(error.hint).toContain('https://photos.google.com');
  });

  it('after Done Google drops pollingConfig; the driver still reads the session and its items', async () => {
    const driver = driverFor(e2e, {}, { now: () => e2e.clock.now });
    const created = await driver.createPickerSession();
    expect(created.pollIntervalMs).toBe(1000);
    e2e.emu.pick(created.id);
    const done = await driver.getPickerSession(created.id);
    expect(done).toMatchObject({ mediaItemsSet: true, itemCount: 5 });
    expect(done.pollIntervalMs).toBeGreaterThan(0);
    expect(await driver.list(`picked:${created.id}`)).toHaveLength(5);
  });
});

describe('driver against the emulator: a refresh token only on a fresh consent', () => {
  /** Authorizes with the project's URL (or one without prompt=consent), ticking every box, and exchanges the code. */
  async function authorize(clientId: string, clientSecret: string, withPrompt: boolean) {
    const { verifier, challenge } = createPkcePair();
    const url = new URL(buildAuthorizationUrl({
      endpoint: e2e.emu.endpoints.authorize, clientId, redirectUri: REDIRECT_URI, state: 's', codeChallenge: challenge,
    }));
    if (!withPrompt) url.searchParams.delete('prompt');
    const html = await (await fetch(url, { signal: AbortSignal.timeout(5000) })).text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)![1]!;
    const fields = new URLSearchParams({ consent_id: /name="consent_id" value="([^"]+)"/.exec(html)![1]!, action: 'allow' });
    for (const scope of DRIVER_SCOPES) fields.append('scope', scope);
    const answer = await fetch(new URL(action, url), {
      method: 'POST', redirect: 'manual', body: fields, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const code = new URL(answer.headers.get('location')!).searchParams.get('code')!;
    return exchangeAuthorizationCode({ tokenEndpoint: e2e.emu.endpoints.token, clientId, clientSecret, code, redirectUri: REDIRECT_URI, codeVerifier: verifier });
  }

  it('the project\'s authorize URL (prompt=consent, access_type=offline) gets a refresh token every time', async () => {
    const client = e2e.emu.registerClient();
    const url = new URL(buildAuthorizationUrl({ clientId: client.clientId, redirectUri: REDIRECT_URI, state: 's', codeChallenge: 'c' }));
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('access_type')).toBe('offline');
    const first = await authorize(client.clientId, client.clientSecret, true);
    const second = await authorize(client.clientId, client.clientSecret, true);
    expect(first.refreshToken).toMatch(/^1\/\/0/);
    expect(second.refreshToken).toMatch(/^1\/\/0/);
    expect(second.refreshToken).not.toBe(first.refreshToken);
  });

  it('a second consent without prompt=consent gets none: INVALID_GRANT saying to revoke access or use prompt=consent', async () => {
    const client = e2e.emu.registerClient();
    const first = await authorize(client.clientId, client.clientSecret, false);
    expect(first.refreshToken).toMatch(/^1\/\/0/);
    const error = await failureOf(authorize(client.clientId, client.clientSecret, false));
    expect(error).toMatchObject({ code: 'INVALID_GRANT' });
    expect(error.hint).toContain('https://myaccount.google.com/permissions');
    expect(error.hint).toContain('prompt=consent');
    expect(sorted((await authorize(client.clientId, client.clientSecret, true)).scopes)).toEqual(sorted(DRIVER_SCOPES));
  });
});
