/**
 * Both authorize flows ask for the picker scope with the Library scopes, and a token from either can pick;
 * mount folders at "/" carry the demo flag and the storage's remark.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { runAuth } from '../../src/host/cli/auth.js';
import { createHost, DEMO_REMARK } from '../../src/host/index.js';
import { approveConsent } from './support/consent.js';
import { HostClient } from './support/host-client.js';
import { makeDataDir } from './support/host-setup.js';
import { expectOk, leakedSecrets, PICKER_ADMIN_PASSWORD, PICKER_SCOPE, startPickerHarness, type PickerHarness } from './support/picker-setup.js';

const LIBRARY_SCOPES = [
  'https://www.googleapis.com/auth/photoslibrary.appendonly',
  'https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata',
  'https://www.googleapis.com/auth/photoslibrary.edit.appcreateddata',
];

let h: PickerHarness;

beforeAll(async () => {
  h = await startPickerHarness();
});

afterAll(async () => {
  await h?.close();
});

function scopesOf(authorizationUrl: string): string[] {
  return (new URL(authorizationUrl).searchParams.get('scope') ?? '').split(' ');
}

describe('authorizing', () => {
  it('from the admin UI asks for photospicker.mediaitems.readonly with the Library scopes, and the token can pick', async () => {
    const created = expectOk(await h.client.post<{ id: number }>('/api/admin/storage/create', {
      mount_path: '/authorized', driver: 'GooglePhoto',
      addition: JSON.stringify({ client_id: h.emulator.client.clientId, client_secret: h.emulator.client.clientSecret, api_base_url: h.emulator.url }),
    }));
    const { url } = expectOk(await h.client.post<{ url: string }>('/api/admin/google/authorize', { storage_id: created.id }));
    expect(scopesOf(url)).toEqual(expect.arrayContaining([PICKER_SCOPE, ...LIBRARY_SCOPES]));

    const callback = await approveConsent(url);
    const page = await h.client.request(callback.slice(h.host.url.length), { token: '' });
    expect(page.text).toContain('authorized');
    const session = await h.client.post<{ session_id: string }>('/api/admin/google/picker/create', { storage_id: created.id });
    expect(session.code).toBe(200);
    expect(session.data.session_id).toBeTruthy();
  });

  it('from the auth CLI asks for the same scopes', async () => {
    let printedUrl!: (url: string) => void;
    const printed = new Promise<string>((resolve) => {
      printedUrl = resolve;
    });
    const run = runAuth({ clientId: h.emulator.client.clientId, clientSecret: h.emulator.client.clientSecret, apiBaseUrl: h.emulator.url, timeoutSec: 20 }, (line) => {
      if (line.startsWith(h.emulator.url)) printedUrl(line);
    });
    const url = await printed;
    expect(scopesOf(url)).toEqual(expect.arrayContaining([PICKER_SCOPE, ...LIBRARY_SCOPES]));
    await (await fetch(await approveConsent(url))).text();
    h.secrets.push((await run).refreshToken);
  });
});

describe('mount folders at /', () => {
  it('carry demo: true and the remark for the demo storage', async () => {
    const dataDir = makeDataDir();
    const host = await createHost({ dataDir, port: 0, adminPassword: PICKER_ADMIN_PASSWORD, demo: true });
    try {
      const client = new HostClient(host.url);
      await client.login('admin', PICKER_ADMIN_PASSWORD);
      const root = expectOk(await client.post<{ content: Array<{ name: string; demo?: boolean; remark?: string }> }>('/api/fs/list', { path: '/' })).content;
      expect(root).toEqual([expect.objectContaining({ name: 'demo', is_dir: true, demo: true, remark: DEMO_REMARK })]);
    } finally {
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('carry no demo flag for other storages', async () => {
    const root = expectOk(await h.client.post<{ content: Array<{ name: string; demo?: boolean }> }>('/api/fs/list', { path: '/' })).content;
    expect(root.find((item) => item.name === 'authorized')?.demo).toBeUndefined();
  });
});

describe('secrets', () => {
  it('never appear in any answer', () => {
    expect(leakedSecrets(h.bodies(), h.secrets)).toEqual([]);
  });
});
