/** AList's common storage options through the admin routes: stored, returned in AList's shape, validated; old databases gain them. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/host/state/database.js';
import { StorageStore } from '../../src/host/storages/storage-store.js';
import { startHostWithEmulator, type HostSetup } from './support/host-setup.js';

let setup: HostSetup;
let localRoot: string;

const OPTIONS = {
  order_by: 'name', order_direction: 'desc', extract_folder: 'front', web_proxy: true, webdav_policy: 'use_proxy_url',
  down_proxy_url: 'https://dl.example.com/proxy', enable_sign: true, proxy_range: true,
};

async function create(body: Record<string, unknown>) {
  return setup.client.post('/api/admin/storage/create', { driver: 'Local', addition: JSON.stringify({ root_folder_path: localRoot }), ...body });
}

async function stored(id: number) {
  return (await setup.client.get(`/api/admin/storage/get?id=${id}`)).data;
}

beforeAll(async () => {
  localRoot = mkdtempSync(path.join(tmpdir(), 'storage-options-'));
  setup = await startHostWithEmulator({ items: 3, albums: 1 });
});

afterAll(async () => {
  await setup?.close();
  rmSync(localRoot, { recursive: true, force: true });
});

describe('the admin storage routes', () => {
  it('store every option on create and return them from get and list', async () => {
    const created = await create({ mount_path: '/all-options', ...OPTIONS });
    expect(created.code).toBe(200);
    expect(await stored(created.data.id)).toMatchObject(OPTIONS);
    const listed = (await setup.client.get('/api/admin/storage/list')).data.content.find((storage: { id: number }) => storage.id === created.data.id);
    expect(listed).toMatchObject(OPTIONS);
  });

  it('give AList\'s defaults when the options are left out: WebDAV redirects, or proxies natively for a driver that only proxies', async () => {
    const local = await stored((await create({ mount_path: '/defaults' })).data.id);
    expect(local).toMatchObject({
      order_by: '', order_direction: '', extract_folder: '', web_proxy: false, webdav_policy: 'native_proxy',
      down_proxy_url: '', enable_sign: false, proxy_range: false,
    });
    const photos = await stored(await setup.addGooglePhotos('/photos-defaults'));
    expect(photos.webdav_policy).toBe('302_redirect');
  });

  it('change on update only the options sent', async () => {
    const id = (await create({ mount_path: '/updated', ...OPTIONS })).data.id;
    expect((await setup.client.post(`/api/admin/storage/update?id=${id}`, { order_by: 'size', web_proxy: false, down_proxy_url: '' })).code).toBe(200);
    expect(await stored(id)).toMatchObject({ ...OPTIONS, order_by: 'size', web_proxy: false, down_proxy_url: '' });
  });

  it.each([
    [{ order_by: 'colour' }, /"order_by" must be one of "name", "size", "modified"/],
    [{ order_direction: 'up' }, /"order_direction" must be one of "asc", "desc"/],
    [{ extract_folder: 'middle' }, /"extract_folder" must be one of "front", "back"/],
    [{ webdav_policy: 'teleport' }, /"webdav_policy" must be one of "302_redirect", "use_proxy_url", "native_proxy"/],
    [{ down_proxy_url: 'ftp://dl.example.com' }, /"down_proxy_url" must be an http\(s\) URL/],
    [{ down_proxy_url: 'javascript:alert(1)' }, /"down_proxy_url" must be an http\(s\) URL/],
    [{ down_proxy_url: 'dl.example.com' }, /"down_proxy_url" must be an http\(s\) URL/],
    [{ web_proxy: 'yes' }, /"web_proxy" must be true or false/],
    [{ enable_sign: 1 }, /"enable_sign" must be true or false/],
  ])('refuse %j with a 400 that says what is wrong, on create and on update', async (bad, message) => {
    const answer = await create({ mount_path: '/refused', ...bad });
    expect(answer.code).toBe(400);
    expect(answer.message).toMatch(message);
    const id = (await create({ mount_path: `/kept-${Object.keys(bad)[0]}-${Math.random().toString(36).slice(2)}` })).data.id;
    const before = await setup.settled(id);
    const update = await setup.client.post(`/api/admin/storage/update?id=${id}`, bad);
    expect(update.code).toBe(400);
    expect(update.message).toMatch(message);
    expect(await stored(id)).toEqual(before);
  });

  it('offer the options in the driver\'s common form items, as AList\'s driver info does', async () => {
    const names = (driver: string) => setup.client.get(`/api/admin/driver/info?driver=${driver}`)
      .then((answer) => answer.data.common.map((item: { name: string }) => item.name));
    expect(await names('GooglePhoto')).toEqual(expect.arrayContaining(['web_proxy', 'webdav_policy', 'down_proxy_url', 'order_by', 'order_direction', 'extract_folder', 'enable_sign']));
    const local = await setup.client.get('/api/admin/driver/info?driver=Local');
    const policy = local.data.common.find((item: { name: string }) => item.name === 'webdav_policy');
    expect(policy).toMatchObject({ options: 'use_proxy_url,native_proxy', default: 'native_proxy' });
    expect(local.data.common.map((item: { name: string }) => item.name)).not.toContain('web_proxy');
  });
});

describe('a database of an older version', () => {
  it('gains the option columns with defaults for the storages it holds, and opens again unchanged', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'storage-options-db-'));
    try {
      const old = new Database(path.join(dataDir, 'data.db'));
      old.exec(`CREATE TABLE storages (
        id INTEGER PRIMARY KEY AUTOINCREMENT, mount_path TEXT NOT NULL UNIQUE, driver TEXT NOT NULL, "order" INTEGER NOT NULL DEFAULT 0,
        addition TEXT NOT NULL DEFAULT '{}', status TEXT NOT NULL DEFAULT '', disabled INTEGER NOT NULL DEFAULT 0,
        cache_expiration INTEGER NOT NULL DEFAULT 30, remark TEXT NOT NULL DEFAULT '', modified TEXT NOT NULL, demo INTEGER NOT NULL DEFAULT 0)`);
      old.prepare(`INSERT INTO storages (mount_path, driver, addition, modified) VALUES ('/old', 'GooglePhoto', '{"a":1}', '2025-01-01T00:00:00.000Z')`).run();
      old.close();

      for (let opening = 0; opening < 2; opening++) {
        const db = await openDatabase({ dataDir });
        const [row] = await new StorageStore(db, Date.now).list();
        expect(row).toMatchObject({
          mount_path: '/old', addition: '{"a":1}', order_by: '', order_direction: '', extract_folder: '', web_proxy: false,
          webdav_policy: '302_redirect', down_proxy_url: '', enable_sign: false, proxy_range: false,
        });
        await db.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
