/** Ids in requests are positive integers: a JSON number in a body, a decimal string in a query; anything else is a 400. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHost, type Host } from '../../src/host/index.js';
import { HostClient } from './support/host-client.js';
import { ADMIN_PASSWORD, makeDataDir } from './support/host-setup.js';

describe('storage ids in requests', () => {
  let host: Host;
  let client: HostClient;
  const dataDir = makeDataDir();
  const folder = mkdtempSync(path.join(tmpdir(), 'gphotos-alist-ids-'));

  beforeAll(async () => {
    host = await createHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false });
    client = new HostClient(host.url);
    await client.login('admin', ADMIN_PASSWORD);
    for (const mount of ['/one', '/two']) {
      const created = await client.post('/api/admin/storage/create', { mount_path: mount, driver: 'Local', addition: JSON.stringify({ root_folder_path: folder }) });
      expect(created.code).toBe(200);
    }
  });

  afterAll(async () => {
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(folder, { recursive: true, force: true });
  });

  it('reads a decimal query id and a JSON number id', async () => {
    expect((await client.get('/api/admin/storage/get?id=2')).data.mount_path).toBe('/two');
    const updated = await client.post('/api/admin/storage/update', { id: 2, remark: 'second' });
    expect(updated.code).toBe(200);
    expect((await client.get('/api/admin/storage/get?id=2')).data.remark).toBe('second');
  });

  it.each([
    ['true', true],
    ['an array', [1]],
    ['a hexadecimal string', ' 0x2 '],
    ['an exponent', '2e0'],
    ['an object that throws when converted', { toString: 1 }],
    ['zero', 0],
    ['a fraction', 1.5],
    ['a negative number', -1],
  ])('answers 400 for a body id that is %s', async (_label, id) => {
    const answer = await client.post('/api/admin/storage/update', { id, remark: 'changed' });
    expect(answer.code).toBe(400);
    expect(answer.message).toMatch(/"id"/);
    expect((await client.get('/api/admin/storage/get?id=1')).data.remark).toBe('');
  });

  it.each([' 0x2 ', '0x2', '2e0', '+2', '2.0', '', 'abc'])('answers 400 for the query id %p', async (id) => {
    const answer = await client.get(`/api/admin/storage/get?id=${encodeURIComponent(id)}`);
    expect(answer.code).toBe(400);
  });

  it('answers 400, not 500, for a storage_id that is an object', async () => {
    const picked = await client.post('/api/admin/google/picker/create', { storage_id: { toString: 1 } });
    expect(picked.code).toBe(400);
    const authorize = await client.post('/api/admin/google/authorize', { storage_id: true });
    expect(authorize.code).toBe(400);
    const query = await client.get('/api/admin/google/picker/get?storage_id=0x1&session_id=s');
    expect(query.code).toBe(400);
  });

  it('answers 400 for integers given loosely in a body', async () => {
    expect((await client.post('/api/admin/storage/update', { id: 1, order: ' 0x10 ' })).code).toBe(400);
    expect((await client.post('/api/fs/list', { path: '/', page: true })).code).toBe(400);
  });
});
