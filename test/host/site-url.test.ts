/**
 * Links the server hands out (raw_url, Google's redirect_uri) start with the configured site URL, or else the
 * address it listens on: never with the Host header a client sent.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHost, type Host, type HostOptions } from '../../src/host/index.js';
import { HostClient } from './support/host-client.js';
import { ADMIN_PASSWORD, makeDataDir } from './support/host-setup.js';

const FORGED_HOST = 'attacker.example';

/** A JSON POST with a Host header of our choosing (fetch would not let us set one). */
function postWithHost(baseUrl: string, route: string, body: unknown, token: string, host = FORGED_HOST): Promise<any> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${baseUrl}${route}`, {
      method: 'POST',
      headers: { host, authorization: token, 'content-type': 'application/json', 'x-forwarded-host': host, 'x-forwarded-proto': 'https' },
    }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => { text += chunk.toString(); });
      response.on('end', () => resolve(JSON.parse(text)));
    });
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify(body));
  });
}

async function startHost(options: Partial<HostOptions> = {}) {
  const dataDir = makeDataDir();
  const folder = mkdtempSync(path.join(tmpdir(), 'gphotos-alist-site-'));
  writeFileSync(path.join(folder, 'a.txt'), 'aaa');
  const host = await createHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false, ...options });
  const client = new HostClient(host.url);
  await client.login('admin', ADMIN_PASSWORD);
  expect((await client.post('/api/admin/storage/create', { mount_path: '/local', driver: 'Local', addition: JSON.stringify({ root_folder_path: folder }) })).code).toBe(200);
  const google = await client.post('/api/admin/storage/create', {
    mount_path: '/google', driver: 'GooglePhoto',
    addition: JSON.stringify({ client_id: 'client.apps.googleusercontent.com', client_secret: 'secret', refresh_token: 'token', api_base_url: 'http://127.0.0.1:9' }),
  });
  const links = async () => {
    const got = await postWithHost(host.url, '/api/fs/get', { path: '/local/a.txt' }, client.token);
    const authorized = await postWithHost(host.url, '/api/admin/google/authorize', { storage_id: google.data.id }, client.token);
    return { rawUrl: String(got.data.raw_url), redirectUri: new URL(authorized.data.url).searchParams.get('redirect_uri')! };
  };
  return {
    host, client, links,
    async close() {
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

describe('without a site URL', () => {
  let setup: Awaited<ReturnType<typeof startHost>>;
  beforeAll(async () => { setup = await startHost(); });
  afterAll(async () => { await setup?.close(); });

  it('builds links on the listening address, whatever Host the client sent', async () => {
    const { rawUrl, redirectUri } = await setup.links();
    expect(rawUrl.startsWith(`${setup.host.url}/p/local/a.txt?sign=`)).toBe(true); // Local is proxied: /p
    expect(redirectUri).toBe(`${setup.host.url}/api/google/callback`);
  });

  it('uses the site_url setting once an admin sets one', async () => {
    const saved = await setup.client.post('/api/admin/settings', { site_url: 'https://photos.example.org/' });
    expect(saved.code).toBe(200);
    expect(saved.data.site_url).toBe('https://photos.example.org');
    const { rawUrl, redirectUri } = await setup.links();
    expect(rawUrl.startsWith('https://photos.example.org/p/local/a.txt?sign=')).toBe(true);
    expect(redirectUri).toBe('https://photos.example.org/api/google/callback');
    expect((await setup.client.post('/api/admin/settings', { site_url: '' })).data.site_url).toBe('');
    expect((await setup.links()).rawUrl.startsWith(setup.host.url)).toBe(true);
  });

  it.each(['javascript:alert(1)', 'ftp://files.example.org', 'not a url', 'https://photos.example.org/?q=1'])('refuses the site_url %p', async (siteUrl) => {
    const answer = await setup.client.post('/api/admin/settings', { site_url: siteUrl });
    expect(answer.code).toBe(400);
    expect(answer.message).toContain('site_url');
  });
});

describe('with a site URL given at start', () => {
  let setup: Awaited<ReturnType<typeof startHost>>;
  beforeAll(async () => { setup = await startHost({ siteUrl: 'https://files.example.org/alist' }); });
  afterAll(async () => { await setup?.close(); });

  it('builds links on it, below its path', async () => {
    const { rawUrl, redirectUri } = await setup.links();
    expect(rawUrl.startsWith('https://files.example.org/alist/p/local/a.txt?sign=')).toBe(true);
    expect(redirectUri).toBe('https://files.example.org/alist/api/google/callback');
  });
});
