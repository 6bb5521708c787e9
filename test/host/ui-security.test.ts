/**
 * The browser UI runs with the admin token in its origin: no upstream URL may become a script there, and its
 * pages carry a Content-Security-Policy that allows only the server's own scripts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { createHost, type Host } from '../../src/host/index.js';
import { HostClient } from './support/host-client.js';
import { ADMIN_PASSWORD, makeDataDir } from './support/host-setup.js';

describe('UI safety', () => {
  let host: Host;
  let client: HostClient;
  const dataDir = makeDataDir();

  beforeAll(async () => {
    host = await createHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false });
    client = new HostClient(host.url);
    await client.login('admin', ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(['javascript:fetch("/api/me")//', 'data:text/html,x', 'JAVASCRIPT:alert(1)'])(
    'never hands out an authorization URL built on the api_base_url %p', async (apiBaseUrl) => {
      const created = await client.post('/api/admin/storage/create', {
        mount_path: `/hostile-${Math.random().toString(36).slice(2)}`, driver: 'GooglePhoto',
        addition: JSON.stringify({ client_id: 'client.apps.googleusercontent.com', client_secret: 'secret', api_base_url: apiBaseUrl }),
      });
      expect(created.code).toBe(200);
      const answer = await client.post('/api/admin/google/authorize', { storage_id: created.data.id });
      expect(answer.code).toBe(400);
      expect(answer.message).toContain('api_base_url');
      expect(JSON.stringify(answer)).not.toMatch(/javascript:|data:text/i);
    },
  );

  it.each(['/', '/@manage', '/@manage/storages', '/@login', '/some/folder'])('sends a Content-Security-Policy with the page %s', async (path) => {
    const { response } = await client.request(path);
    expect(response.status).toBe(200);
    const policy = response.headers.get('content-security-policy') ?? '';
    const directives = new Map(policy.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });
});
