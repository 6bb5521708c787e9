import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { buildAuthorizationUrl, createPkcePair, exchangeAuthorizationCode } from '../../src/driver/google-photos/oauth.js';
import { DRIVER_SCOPES, SCOPES } from '../../src/driver/google-photos/scopes.js';
import { COUNT, driverFor, expectNoSecrets, groundTruth, sorted, startE2EEmulator, type E2E } from './support.js';

const REDIRECT_URI = 'http://127.0.0.1:9/callback';

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2EEmulator({ items: 60, albums: 6 });
});

afterAll(async () => {
  await e2e?.emu.close();
});

afterEach(() => {
  e2e.emu.setApiEnabled('photoslibrary', true);
  e2e.emu.setQuotaExhausted('photoslibrary', false);
  e2e.emu.setFaults({ failRate: 0 });
});

/** Walks the emulator's consent page like a person: reads the form, ticks only `keep` of the Photos boxes, presses Allow. */
async function consent(keep: (scope: string) => boolean): Promise<{ refreshToken: string; scopes: string[] }> {
  const { verifier, challenge } = createPkcePair();
  const url = buildAuthorizationUrl({
    endpoint: e2e.emu.endpoints.authorize, clientId: e2e.emu.client.clientId, redirectUri: REDIRECT_URI, state: 'st-1', codeChallenge: challenge,
  });
  const page = await fetch(url, { signal: AbortSignal.timeout(5000) });
  expect(page.status).toBe(200);
  const html = await page.text();
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  expect(form).not.toBeNull();
  const fields = new URLSearchParams();
  const boxes: string[] = [];
  for (const input of form![2]!.matchAll(/<input ([^>]*)>/g)) {
    const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(input[1]!)?.[1];
    const type = attr('type');
    const value = (attr('value') ?? '').replace(/&amp;/g, '&');
    if (type === 'checkbox') {
      boxes.push(value);
      if (keep(value)) fields.append(attr('name')!, value);
    } else fields.append(attr('name')!, value);
  }
  // Every scope the driver asked for is offered as a box the person can untick.
  expect(sorted(boxes)).toEqual(sorted(DRIVER_SCOPES));
  fields.append('action', 'allow');
  const answer = await fetch(new URL(form![1]!, url), {
    method: 'POST', redirect: 'manual', body: fields, signal: AbortSignal.timeout(5000),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(answer.status).toBe(302);
  const location = new URL(answer.headers.get('location')!);
  expect(location.searchParams.get('state')).toBe('st-1');
  const tokens = await exchangeAuthorizationCode({
    tokenEndpoint: e2e.emu.endpoints.token, clientId: e2e.emu.client.clientId, clientSecret: e2e.emu.client.clientSecret,
    code: location.searchParams.get('code')!, redirectUri: REDIRECT_URI, codeVerifier: verifier,
  });
  return { refreshToken: tokens.refreshToken, scopes: tokens.scopes };
}

describe('driver against the emulator: authorization failures', () => {
  it('works with a refresh token from the consent page when every Photos box stays ticked', async () => {
    const { refreshToken, scopes } = await consent(() => true);
    expect(sorted(scopes)).toEqual(sorted(DRIVER_SCOPES));
    const driver = driverFor(e2e, { refresh_token: refreshToken });
    expect(await driver.list('all')).toHaveLength(groundTruth(e2e.emu).items.length);
  });

  it('rejects INSUFFICIENT_SCOPES, naming the scopes, when the Photos boxes were unticked on the consent page', async () => {
    const { refreshToken, scopes } = await consent((scope) => !scope.includes('/auth/photos'));
    expect(scopes.filter((scope) => scope.includes('/auth/photos'))).toEqual([]);
    const driver = driverFor(e2e, { refresh_token: refreshToken });
    const error = await driver.list('all').then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'INSUFFICIENT_SCOPES', status: 403 });
    for (const scope of DRIVER_SCOPES) expect((error as { hint: string }).hint).toContain(scope);
    expectNoSecrets(error, [refreshToken, e2e.emu.client.clientSecret]);
  });

  it('rejects INSUFFICIENT_SCOPES for a token that carries only the removed legacy photoslibrary scope', async () => {
    const refreshToken = e2e.emu.issueRefreshToken({ scopes: [SCOPES.legacyLibrary] });
    const driver = driverFor(e2e, { refresh_token: refreshToken });
    const error = await driver.list('all').then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'INSUFFICIENT_SCOPES' });
    for (const scope of DRIVER_SCOPES) expect((error as { hint: string }).hint).toContain(scope);
    expect((error as { hint: string }).hint).toMatch(/photoslibrary.*2025-03-31|2025-03-31.*photoslibrary/);
    expectNoSecrets(error, [refreshToken, e2e.emu.client.clientSecret]);
  });

  it('rejects API_DISABLED with the activation URL Google sent in the hint, without retrying', async () => {
    const driver = driverFor(e2e);
    await driver.init();
    e2e.emu.setApiEnabled('photoslibrary', false);
    // The activation URL as the emulator sends it, read straight from its answer.
    const { access_token } = await (await fetch(e2e.emu.endpoints.token, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, signal: AbortSignal.timeout(5000),
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: e2e.emu.issueRefreshToken(), client_id: e2e.emu.client.clientId, client_secret: e2e.emu.client.clientSecret }),
    })).json() as { access_token: string };
    const raw = await (await fetch(`${e2e.emu.endpoints.library}/mediaItems`, { headers: { authorization: `Bearer ${access_token}` } })).json() as
      { error: { details: Array<{ reason?: string; metadata?: { activationUrl?: string } }> } };
    const activationUrl = raw.error.details.find((detail) => detail.reason === 'SERVICE_DISABLED')!.metadata!.activationUrl!;
    e2e.emu.resetCounts();
    const error = await driver.list('all').then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'API_DISABLED', status: 403 });
    expect((error as { hint: string }).hint).toContain(activationUrl);
    expect(e2e.emu.requestCounts()[COUNT.list]).toBe(1);
  });

  it('fails init with INVALID_GRANT for a revoked refresh token', async () => {
    const refreshToken = e2e.emu.issueRefreshToken();
    e2e.emu.revokeRefreshToken(refreshToken);
    const driver = driverFor(e2e, { refresh_token: refreshToken });
    const error = await driver.init().then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_GRANT' });
    expect((error as { hint: string }).hint).toMatch(/re-authorize/i);
    expectNoSecrets(error, [refreshToken, e2e.emu.client.clientSecret]);
  });

  it('fails init with INVALID_CLIENT for a wrong client secret, without echoing it', async () => {
    const wrongSecret = 'GOCSPX-definitely-wrong-secret';
    const driver = driverFor(e2e, { client_secret: wrongSecret });
    const error = await driver.init().then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_CLIENT' });
    expect((error as { hint: string }).hint).toMatch(/client_secret/);
    expectNoSecrets(error, [wrongSecret, e2e.emu.client.clientSecret]);
  });

  it('rejects QUOTA_EXCEEDED when the daily quota is used up, after a single list call', async () => {
    const driver = driverFor(e2e);
    await driver.init();
    e2e.emu.setQuotaExhausted('photoslibrary', true);
    e2e.emu.resetCounts();
    const error = await driver.list('all').then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'QUOTA_EXCEEDED', status: 429 });
    expect((error as { hint: string }).hint).toMatch(/daily/i);
    expect(e2e.emu.requestCounts()).toEqual({ [COUNT.list]: 1 });
  });
});

describe('driver against the emulator: access token expiry', () => {
  const HOUR = 3600_000;

  it('refreshes exactly once when the shared clock passes the access token\'s expiry', async () => {
    const driver = driverFor(e2e, {}, { now: () => e2e.clock.now });
    await driver.init();
    await driver.list('albums');
    e2e.clock.now += HOUR;
    e2e.emu.resetCounts();
    await driver.list('albums');
    await driver.list('albums');
    expect(e2e.emu.requestCounts()).toEqual({ [COUNT.token]: 1, [COUNT.albums]: 2 });
  });

  it('refreshes exactly once after a 401 when only the emulator\'s clock knows the token expired', async () => {
    const driver = driverFor(e2e);
    await driver.init();
    e2e.clock.now += HOUR;
    e2e.emu.resetCounts();
    const albums = await driver.list('albums');
    expect(albums).toHaveLength(groundTruth(e2e.emu).albums.length);
    expect(e2e.emu.requestCounts()).toEqual({ [COUNT.token]: 1, [COUNT.albums]: 2 });
  });

  it('makes one token request for 100 concurrent listings with an expired token', async () => {
    const driver = driverFor(e2e, {}, { now: () => e2e.clock.now });
    await driver.init();
    e2e.clock.now += HOUR;
    e2e.emu.resetCounts();
    const listings = await Promise.all(Array.from({ length: 100 }, () => driver.list('albums')));
    expect(listings.every((albums) => albums.length === groundTruth(e2e.emu).albums.length)).toBe(true);
    expect(e2e.emu.requestCounts()).toEqual({ [COUNT.token]: 1, [COUNT.albums]: 100 });
  });

  it('makes one token request for 100 concurrent listings that all meet a 401', async () => {
    const driver = driverFor(e2e);
    await driver.init();
    e2e.clock.now += HOUR;
    e2e.emu.resetCounts();
    await Promise.all(Array.from({ length: 100 }, () => driver.list('albums')));
    expect(e2e.emu.requestCounts()).toEqual({ [COUNT.token]: 1, [COUNT.albums]: 200 });
  });
});

describe('driver against the emulator: injected faults', () => {
  let big: E2E;
  beforeAll(async () => {
    big = await startE2EEmulator({ items: 2000, albums: 2 });
  });
  afterAll(async () => {
    await big?.emu.close();
  });

  it('lists `all` of 2,000 items with ceil(N/100) list calls and one token call', async () => {
    const driver = driverFor(big);
    big.emu.resetCounts();
    const all = await driver.list('all');
    expect(all).toHaveLength(2000);
    expect(big.emu.requestCounts()).toEqual({ [COUNT.token]: 1, [COUNT.list]: 20 });
  });

  it('loses nothing and lists nothing twice under 10% injected 503s and 429s', async () => {
    const driver = driverFor(big);
    big.emu.setFaults({ failRate: 0.1, failCodes: [503, 429] });
    big.emu.resetCounts();
    const all = await driver.list('all');
    big.emu.setFaults({ failRate: 0 });
    const ids = all.map((obj) => obj.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(sorted(ids)).toEqual(sorted(groundTruth(big.emu).items.map((item) => item.id)));
    // Failed attempts were retried: at least the 20 pages and the token were asked for.
    const counts = big.emu.requestCounts();
    expect(counts[COUNT.list]).toBeGreaterThanOrEqual(20);
    expect(counts[COUNT.token]).toBeGreaterThanOrEqual(1);
  });
});
