/** "Authorize with Google" through the emulator's consent page: from the admin API, and from the `auth` CLI. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runAuth } from '../../src/host/cli/auth.js';
import { approveConsent } from './support/consent.js';
import { rmSync } from 'node:fs';
import { createHost } from '../../src/host/index.js';
import { HostClient } from './support/host-client.js';
import { expectNoSecrets } from './support/secrets-scan.js';
import { ADMIN_PASSWORD, makeDataDir, startHostWithEmulator, type HostSetup } from './support/host-setup.js';

let setup: HostSetup;
const cliTokens: string[] = [];

beforeAll(async () => {
  setup = await startHostWithEmulator();
});

afterAll(async () => {
  await setup?.close();
});

async function storageWithoutToken(mountPath: string): Promise<number> {
  const created = await setup.client.post('/api/admin/storage/create', {
    mount_path: mountPath, driver: 'GooglePhoto',
    addition: JSON.stringify({ client_id: setup.emulator.client.clientId, client_secret: setup.emulator.client.clientSecret, api_base_url: setup.emulator.url }),
  });
  return created.data.id as number;
}

describe('authorize from the admin API', () => {
  it('sends the admin to the consent page and, on return, stores the refresh token and makes the storage work', async () => {
    const id = await storageWithoutToken('/authorized');
    expect((await setup.settled(id)).error?.code).toBe('INVALID_CONFIG');

    const answer = await setup.client.post('/api/admin/google/authorize', { storage_id: id });
    expect(answer.code).toBe(200);
    const url = new URL(answer.data.url);
    expect(`${url.origin}${url.pathname}`).toBe(setup.emulator.endpoints.authorize);
    expect(url.searchParams.get('redirect_uri')).toBe(`${setup.host.url}/api/google/callback`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('client_id')).toBe(setup.emulator.client.clientId);

    const callback = await approveConsent(answer.data.url);
    expect(callback.startsWith(`${setup.host.url}/api/google/callback?`)).toBe(true);
    const { response, text } = await setup.client.request(callback.slice(setup.host.url.length), { token: '' });
    expect(response.status).toBe(200);
    expect(text).toContain('Storage /authorized authorized. You can close this tab.');
    expect(text).toContain('href="/@manage/storages"');

    expect((await setup.settled(id)).status).toBe('work');
    expect((await setup.client.names('/authorized')).length).toBeGreaterThan(0);
    const stored = JSON.parse((await setup.client.get(`/api/admin/storage/get?id=${id}`)).data.addition);
    expect(stored.refresh_token).toBe('******');

    const replay = await setup.client.request(callback.slice(setup.host.url.length), { token: '' });
    expect(replay.response.status).toBe(400);
    expect(replay.text).toMatch(/unknown, already used or expired/);
  });

  it('answers a 400 page for an unknown state and refuses to authorize without admin or client id', async () => {
    const unknown = await setup.client.request('/api/google/callback?code=abc&state=made-up', { token: '' });
    expect(unknown.response.status).toBe(400);
    expect(unknown.response.headers.get('content-type')).toMatch(/text\/html/);
    const noState = await setup.client.request('/api/google/callback?code=abc', { token: '' });
    expect(noState.response.status).toBe(400);

    const id = await storageWithoutToken('/no-admin');
    expect((await setup.client.post('/api/admin/google/authorize', { storage_id: id }, '')).code).toBe(401);
    expect((await setup.client.post('/api/admin/google/authorize', { storage_id: 99999 })).code).toBe(404);
    const bare = await setup.client.post('/api/admin/storage/create', { mount_path: '/bare', driver: 'GooglePhoto', addition: '{}' });
    expect((await setup.client.post('/api/admin/google/authorize', { storage_id: bare.data.id })).code).toBe(400);
  });

  it('says so when the person cancels on the consent page', async () => {
    const id = await storageWithoutToken('/cancelled');
    const answer = await setup.client.post('/api/admin/google/authorize', { storage_id: id });
    const url = new URL(answer.data.url);
    const callback = `/api/google/callback?error=access_denied&state=${encodeURIComponent(url.searchParams.get('state')!)}`;
    const page = await setup.client.request(callback, { token: '' });
    expect(page.response.status).toBe(400);
    expect(page.text).toContain('access_denied');
  });
});

describe('an expired authorization', () => {
  it('is refused with a 400 page after ten minutes', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const dataDir = makeDataDir();
    const host = await createHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false, now: () => clock });
    try {
      const client = new HostClient(host.url);
      await client.login('admin', ADMIN_PASSWORD);
      const created = await client.post('/api/admin/storage/create', {
        mount_path: '/late', driver: 'GooglePhoto',
        addition: JSON.stringify({ client_id: setup.emulator.client.clientId, client_secret: setup.emulator.client.clientSecret, api_base_url: setup.emulator.url }),
      });
      const answer = await client.post('/api/admin/google/authorize', { storage_id: created.data.id });
      const callback = await approveConsent(answer.data.url);
      clock += 10 * 60_000 + 1;
      const page = await client.request(callback.slice(host.url.length), { token: '' });
      expect(page.response.status).toBe(400);
      expect(page.text).toMatch(/expired/);
    } finally {
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the auth CLI', () => {
  it('prints the consent URL, takes the redirect on a loopback port and prints the refresh token', async () => {
    const lines: string[] = [];
    let urlPrinted!: (url: string) => void;
    const printed = new Promise<string>((resolve) => (urlPrinted = resolve));
    const run = runAuth({ clientId: setup.emulator.client.clientId, clientSecret: setup.emulator.client.clientSecret, apiBaseUrl: setup.emulator.url }, (line) => {
      lines.push(line);
      if (line.startsWith(setup.emulator.url)) urlPrinted(line);
    });
    const callback = await approveConsent(await printed);
    expect(callback).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2callback\?/);
    const page = await fetch(callback);
    expect(await page.text()).toContain('Authorized.');
    const result = await run;
    cliTokens.push(result.refreshToken);
    expect(lines).toContain(result.refreshToken);

    // The token works: a storage using it lists the emulator's library.
    const id = await setup.addGooglePhotos('/from-cli', { refresh_token: result.refreshToken });
    expect((await setup.settled(id)).status).toBe('work');
  });

  it('stores the token into the named storage of the data folder', async () => {
    const id = await storageWithoutToken('/cli-stored');
    let urlPrinted!: (url: string) => void;
    const printed = new Promise<string>((resolve) => (urlPrinted = resolve));
    const lines: string[] = [];
    const run = runAuth({ storage: '/cli-stored', dataDir: setup.dataDir }, (line) => {
      lines.push(line);
      if (line.startsWith('http')) urlPrinted(line);
    });
    await (await fetch(await approveConsent(await printed))).text();
    const result = await run;
    cliTokens.push(result.refreshToken);
    expect(result.storedIn).toBe('/cli-stored');
    expect(lines.join('\n')).not.toContain(result.refreshToken);
    // The running server picks it up when the storage is saved again.
    const current = (await setup.client.get(`/api/admin/storage/get?id=${id}`)).data;
    await setup.client.post('/api/admin/storage/update', { id, addition: current.addition });
    expect((await setup.settled(id)).status).toBe('work');
  });
});

it('leaves no secret in any answer fetched in this file', () => {
  expectNoSecrets(setup.client.seenBodies, [...setup.secrets, ...cliTokens]);
});
