/** Storages over their life: failing beside working, enable/disable, rotated tokens, restarts, the demo. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createHost } from '../../src/host/index.js';
import { registerDriver } from '../../src/types/registry.js';
import { ByteStoreServer } from './support/byte-store-server.js';
import { HostClient } from './support/host-client.js';
import { setGuestAccess } from './support/guest-user.js';
import { ADMIN_PASSWORD, FAST_DRIVER_OPTIONS, makeDataDir, startHostWithEmulator, type HostSetup } from './support/host-setup.js';
import { expectNoSecrets } from './support/secrets-scan.js';
import { testFilesDriver } from './support/test-files-driver.js';

const OLD_TOKEN = 'byte-store-old-token';
const NEW_TOKEN = 'byte-store-rotated-token';

function storedAddition(dataDir: string, mountPath: string): Record<string, unknown> {
  const db = new Database(path.join(dataDir, 'data.db'), { readonly: true });
  try {
    const row = db.prepare('SELECT addition FROM storages WHERE mount_path = ?').get(mountPath) as { addition: string };
    return JSON.parse(row.addition) as Record<string, unknown>;
  } finally {
    db.close();
  }
}

describe('storages with the emulator', () => {
  let setup: HostSetup;
  let store: ByteStoreServer;
  let revokedToken = '';
  const dataDir = makeDataDir();

  beforeAll(async () => {
    registerDriver(testFilesDriver);
    store = await new ByteStoreServer({ 'a.txt': Buffer.from('aaa') }, new Set([OLD_TOKEN, NEW_TOKEN])).start();
    setup = await startHostWithEmulator({}, { dataDir });
  });

  afterAll(async () => {
    await setup?.close();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows a revoked refresh token as INVALID_GRANT with its hint while the other storage keeps working', async () => {
    const revoked = setup.emulator.issueRefreshToken();
    revokedToken = revoked;
    setup.emulator.revokeRefreshToken(revoked);
    const broken = await setup.addGooglePhotos('/broken', { refresh_token: revoked });
    const working = await setup.addGooglePhotos('/photos');
    const status = await setup.settled(broken);
    expect(status.error?.code).toBe('INVALID_GRANT');
    expect(status.error?.hint).toBeTruthy();
    expect(status.status).toContain(status.error!.message);
    expect(status.status).toContain(status.error!.hint!);
    expect((await setup.settled(working)).status).toBe('work');

    expect((await setup.client.names('/')).sort()).toEqual(['broken', 'photos']);
    expect((await setup.client.names('/photos')).length).toBeGreaterThan(0);
    const failed = await setup.client.post('/api/fs/list', { path: '/broken' });
    expect(failed.code).toBe(500);
    expect(failed.error).toMatchObject({ code: 'INVALID_GRANT', hint: status.error!.hint });
  });

  it('shows a wrong client secret as INVALID_CLIENT', async () => {
    const id = await setup.addGooglePhotos('/wrong-secret', { client_secret: 'not-the-secret' });
    const status = await setup.settled(id);
    expect(status.error?.code).toBe('INVALID_CLIENT');
    expect(status.status).not.toContain('not-the-secret');
  });

  it('hides a disabled storage and brings it back when enabled', async () => {
    const list = await setup.client.get('/api/admin/storage/list');
    const id = list.data.content.find((storage: { mount_path: string }) => storage.mount_path === '/wrong-secret').id;
    expect((await setup.client.post(`/api/admin/storage/disable?id=${id}`)).code).toBe(200);
    expect((await setup.client.get(`/api/admin/storage/get?id=${id}`)).data).toMatchObject({ disabled: true, status: 'disabled' });
    expect(await setup.client.names('/')).not.toContain('wrong-secret');
    expect((await setup.client.post(`/api/admin/storage/enable?id=${id}`)).code).toBe(200);
    expect(await setup.client.names('/')).toContain('wrong-secret');
    expect((await setup.settled(id)).error?.code).toBe('INVALID_CLIENT');
  });

  it('saves a token the driver reports as rotated', async () => {
    const created = await setup.client.post('/api/admin/storage/create', {
      mount_path: '/rotating', driver: 'TestFiles',
      addition: JSON.stringify({ base_url: store.url, token: OLD_TOKEN, rotate_to: NEW_TOKEN }),
    });
    expect((await setup.settled(created.data.id)).status).toBe('work');
    expect(storedAddition(dataDir, '/rotating')).toMatchObject({ token: NEW_TOKEN, rotate_to: '' });
    const answer = await setup.client.get(`/api/admin/storage/get?id=${created.data.id}`);
    expect(JSON.parse(answer.data.addition).token).toBe('******');
  });

  it('keeps storages, users and settings across a restart on the same data folder', async () => {
    await setGuestAccess(setup.client, true);
    await setup.host.close();
    store.tokens.delete(OLD_TOKEN); // only the saved, rotated token works now
    const host = await createHost({ dataDir, port: 0, demo: false, driverOptions: FAST_DRIVER_OPTIONS });
    setup.host = host;
    const client = new HostClient(host.url);
    await client.login('admin', ADMIN_PASSWORD);
    const list = await client.get('/api/admin/storage/list');
    expect(list.data.content.map((storage: { mount_path: string }) => storage.mount_path).sort())
      .toEqual(['/broken', '/photos', '/rotating', '/wrong-secret']);
    expect((await client.get('/api/admin/user/list')).data.content).toContainEqual(expect.objectContaining({ role: 1, disabled: false }));
    expect((await client.names('/photos')).length).toBeGreaterThan(0);
    expect(await client.names('/rotating')).toEqual(['a.txt']);
    const old = await fetch(`${host.url}/api/me`, { headers: { authorization: setup.client.token } });
    expect(((await old.json()) as { data: { username: string } }).data.username).toBe('admin'); // logins survive a restart
    expect((await client.get('/api/me', '')).data.role).toBe(1);
    expectNoSecrets([...setup.client.seenBodies, ...client.seenBodies], [...setup.secrets, revokedToken, 'not-the-secret', OLD_TOKEN, NEW_TOKEN]);
  });
});

describe('the demo storage', () => {
  const dataDir = makeDataDir();

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is mounted at /demo when no storage exists, labelled as a demo, and works again after a restart', async () => {
    for (let start = 0; start < 2; start++) {
      const host = await createHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, driverOptions: FAST_DRIVER_OPTIONS });
      try {
        expect(host.demoEmulator).toBeDefined();
        const client = new HostClient(host.url);
        await client.login('admin', ADMIN_PASSWORD);
        const list = await client.get('/api/admin/storage/list');
        expect(list.data.content).toHaveLength(1);
        expect(list.data.content[0]).toMatchObject({ mount_path: '/demo', driver: 'GooglePhoto', demo: true, remark: 'Demo: local Google Photos emulator, no Google account involved' });
        expect(await client.names('/')).toEqual(['demo']);
        const albums = (await client.names('/demo')).find((name) => /^albums$/i.test(name))!;
        expect((await client.names(`/demo/${albums}`)).length).toBeGreaterThan(0);
        const bodies = client.seenBodies.join('\n');
        expect(bodies).not.toContain(host.demoEmulator!.client.clientSecret);
      } finally {
        await host.close();
      }
    }
  });

  it('prints a generated admin password only on the first start', async () => {
    const fresh = makeDataDir();
    const previous = process.env.ADMIN_PASSWORD;
    delete process.env.ADMIN_PASSWORD;
    try {
      const first = await createHost({ dataDir: fresh, port: 0, demo: false });
      await first.close();
      expect(first.generatedAdminPassword).toMatch(/^[\w-]{12,}$/);
      const second = await createHost({ dataDir: fresh, port: 0, demo: false });
      try {
        expect(second.generatedAdminPassword).toBeUndefined();
        const client = new HostClient(second.url);
        expect(await client.login('admin', first.generatedAdminPassword!)).toBeTruthy();
      } finally {
        await second.close();
      }
    } finally {
      if (previous !== undefined) process.env.ADMIN_PASSWORD = previous;
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
