/** `--log` writes every request, but never the secrets some URLs carry in their query (signs, OAuth codes and states, tokens). */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { createHost, type Host } from '../../src/host/index.js';
import { HostClient } from './support/host-client.js';
import { ADMIN_PASSWORD, makeDataDir } from './support/host-setup.js';

const SECRETS = {
  sign: 'sign-value-1234:9999999999',
  code: 'oauth-code-5678',
  state: 'oauth-state-9012',
  token: 'token-value-3456',
  access_token: 'access-token-7890',
  refresh_token: 'refresh-token-1357',
  client_secret: 'client-secret-2468',
};

describe('the request log', () => {
  let host: Host;
  let client: HostClient;
  let log = '';
  const dataDir = makeDataDir();

  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => { log += chunk.toString(); });
    host = await createHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false, logger: true, logStream: stream });
    client = new HostClient(host.url);
    await client.login('admin', ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs the path and the harmless query, with every secret parameter masked', async () => {
    await client.request(`/d/some/file.jpg?sign=${encodeURIComponent(SECRETS.sign)}&type=thumb`);
    await client.request(`/api/google/callback?code=${SECRETS.code}&state=${SECRETS.state}&scope=photos`);
    const rest = Object.entries(SECRETS).filter(([name]) => !['sign', 'code', 'state'].includes(name));
    await client.request(`/api/fs/list?${rest.map(([name, value]) => `${name}=${value}`).join('&')}`);
    await client.request(`/p/a.jpg?SIGN=${SECRETS.sign}`);

    expect(log).toContain('/d/some/file.jpg');
    expect(log).toContain('type=thumb');
    expect(log).toContain('scope=photos');
    expect(log).toContain('/api/google/callback');
    for (const value of Object.values(SECRETS)) {
      expect(log).not.toContain(value);
      expect(log).not.toContain(encodeURIComponent(value));
    }
  });

  it('masks the admin token in headers', async () => {
    await client.get('/api/me');
    expect(log).toContain('/api/me');
    expect(log).not.toContain(client.token);
  });
});
