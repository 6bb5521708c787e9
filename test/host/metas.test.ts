/**
 * AList's metas on the real host over a Local storage: a folder password (fs/list, fs/get, fs/dirs, and /d/ through
 * the sign), hide patterns, readme and header, and `write` letting the guest upload; each with its sub-folder flag;
 * and the admin routes that manage them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Host } from '../../src/host/index.js';
import { createTestHost } from './support/test-host.js';
import { HostClient } from './support/host-client.js';
import { ADMIN_PASSWORD, makeDataDir } from './support/host-setup.js';
import { putFile } from './support/upload-client.js';
import { setGuestAccess } from './support/guest-user.js';

const REFUSED = { code: 403, message: 'password is incorrect or you have no permission', data: null };
const FILES = [
  'locked/secret.txt', 'locked/inner/deep.txt', 'shown/keep.txt', 'shown/hide-me.txt', 'shown/sub/hide-me-too.txt',
  'open/a.txt', 'open/sub/b.txt', 'drop/.keep',
];

let host: Host;
let admin: HostClient;
let guest: HostClient;
let dataDir: string;
let localRoot: string;

beforeAll(async () => {
  dataDir = makeDataDir();
  localRoot = path.join(dataDir, 'local');
  for (const file of FILES) {
    mkdirSync(path.dirname(path.join(localRoot, file)), { recursive: true });
    writeFileSync(path.join(localRoot, file), `bytes of ${file}`);
  }
  host = await createTestHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false });
  admin = new HostClient(host.url);
  await admin.login('admin', ADMIN_PASSWORD);
  guest = new HostClient(host.url);
  expect((await admin.post('/api/admin/storage/create', { mount_path: '/local', driver: 'Local', addition: JSON.stringify({ root_folder_path: localRoot }) })).code).toBe(200);
  await setGuestAccess(admin, true);
}, 60_000);

afterAll(async () => {
  await host?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function createMeta(meta: Record<string, unknown>): Promise<number> {
  expect(await admin.post('/api/admin/meta/create', meta)).toMatchObject({ code: 200 });
  const { data } = await admin.get<{ content: Array<{ id: number; path: string }> }>('/api/admin/meta/list');
  return data.content.find((one) => one.path === `/${String(meta.path).replace(/^\/|\/$/g, '')}`)!.id;
}

async function updateMeta(id: number, changes: Record<string, unknown>): Promise<void> {
  const { data } = await admin.get(`/api/admin/meta/get?id=${id}`);
  expect(await admin.post('/api/admin/meta/update', { ...data, ...changes })).toMatchObject({ code: 200 });
}

const list = (client: HostClient, dir: string, password?: string) => client.post('/api/fs/list', { path: dir, ...(password === undefined ? {} : { password }) }, client === guest ? '' : undefined);
const names = async (client: HostClient, dir: string) => ((await list(client, dir)).data.content as Array<{ name: string }>).map((item) => item.name).sort();

describe('a meta password', () => {
  let id: number;
  beforeAll(async () => {
    id = await createMeta({ path: '/local/locked', password: 'folder-pw-1', p_sub: false });
  });

  it('refuses fs/list, fs/get and fs/dirs without it (AList\'s 403), opens them with it, and never asks the admin', async () => {
    expect(await list(guest, '/local/locked')).toMatchObject(REFUSED);
    expect(await list(guest, '/local/locked', 'wrong')).toMatchObject(REFUSED);
    expect(await guest.post('/api/fs/dirs', { path: '/local/locked' }, '')).toMatchObject(REFUSED);
    expect(await guest.post('/api/fs/get', { path: '/local/locked' }, '')).toMatchObject(REFUSED);
    const opened = await list(guest, '/local/locked', 'folder-pw-1');
    expect(opened.code).toBe(200);
    expect(opened.data.content.map((item: { name: string }) => item.name).sort()).toEqual(['inner', 'secret.txt']);
    expect((await guest.post('/api/fs/dirs', { path: '/local/locked', password: 'folder-pw-1' }, '')).data).toEqual([expect.objectContaining({ name: 'inner' })]);
    expect((await list(admin, '/local/locked')).code).toBe(200);
  });

  it('applies below the folder only with p_sub', async () => {
    expect((await list(guest, '/local/locked/inner')).code).toBe(200);
    // As AList: without p_sub the password guards the folder itself, not what is in it.
    expect((await guest.post('/api/fs/get', { path: '/local/locked/secret.txt' }, '')).code).toBe(200);
    await updateMeta(id, { p_sub: true });
    expect(await list(guest, '/local/locked/inner')).toMatchObject(REFUSED);
    expect((await list(guest, '/local/locked/inner', 'folder-pw-1')).code).toBe(200);
    expect(await guest.post('/api/fs/get', { path: '/local/locked/secret.txt' }, '')).toMatchObject(REFUSED);
    expect((await guest.post('/api/fs/get', { path: '/local/locked/inner/deep.txt', password: 'folder-pw-1' }, '')).data.name).toBe('deep.txt');
  });

  it('makes /d/ and /p/ below it need a sign even with sign_all off; the listing\'s sign opens it', async () => {
    expect((await admin.post('/api/admin/setting/save', [{ key: 'sign_all', value: 'false' }])).code).toBe(200);
    try {
      expect((await fetch(`${host.url}/d/local/open/a.txt`)).status).toBe(200);
      for (const route of ['d', 'p']) expect((await fetch(`${host.url}/${route}/local/locked/secret.txt`)).status).toBe(401);
      const listed = await list(guest, '/local/locked', 'folder-pw-1');
      const secret = listed.data.content.find((item: { name: string }) => item.name === 'secret.txt');
      const answer = await fetch(`${host.url}/p/local/locked/secret.txt?sign=${encodeURIComponent(secret.sign)}`);
      expect(answer.status).toBe(200);
      expect(await answer.text()).toBe('bytes of locked/secret.txt');
      // The admin, who needs no password, still reads it with the Authorization header.
      expect((await fetch(`${host.url}/p/local/locked/secret.txt`, { headers: { authorization: admin.token } })).status).toBe(200);
    } finally {
      await admin.post('/api/admin/setting/save', [{ key: 'sign_all', value: 'true' }]);
    }
  });
});

describe('hide patterns', () => {
  let id: number;
  beforeAll(async () => {
    id = await createMeta({ path: '/local/shown', hide: '^hide-me\nnothing-else$', h_sub: false });
  });

  it('hide matching names from the guest, not from the admin, and refuse the guest a hidden path', async () => {
    expect(await names(guest, '/local/shown')).toEqual(['keep.txt', 'sub']);
    expect(await names(admin, '/local/shown')).toEqual(['hide-me.txt', 'keep.txt', 'sub']);
    expect(await guest.post('/api/fs/get', { path: '/local/shown/hide-me.txt' }, '')).toMatchObject(REFUSED);
    expect((await fetch(`${host.url}/p/local/shown/hide-me.txt`)).status).toBe(401);
    const page = await guest.post('/api/fs/list', { path: '/local/shown', page: 1, per_page: 1 }, '');
    expect(page.data.content.map((item: { name: string }) => item.name)).toEqual(['keep.txt']);
  });

  it('hide in sub-folders only with h_sub', async () => {
    expect(await names(guest, '/local/shown/sub')).toEqual(['hide-me-too.txt']);
    await updateMeta(id, { h_sub: true });
    expect(await names(guest, '/local/shown/sub')).toEqual([]);
    expect(await names(admin, '/local/shown/sub')).toEqual(['hide-me-too.txt']);
  });
});

describe('readme and header', () => {
  it('are answered by fs/list and fs/get where they apply (r_sub / header_sub for sub-folders)', async () => {
    await createMeta({ path: '/local/open', readme: '# Read me', r_sub: true, header: '<b>Top</b>', header_sub: false });
    expect((await list(guest, '/local/open')).data).toMatchObject({ readme: '# Read me', header: '<b>Top</b>' });
    expect((await list(guest, '/local/open/sub')).data).toMatchObject({ readme: '# Read me', header: '' });
    expect((await guest.post('/api/fs/get', { path: '/local/open' }, '')).data).toMatchObject({ readme: '# Read me', header: '<b>Top</b>' });
    expect((await list(guest, '/local')).data).toMatchObject({ readme: '', header: '' });
  });
});

describe('write', () => {
  it('lets the guest upload and make folders where a write meta is, and nowhere else', async () => {
    await createMeta({ path: '/local/drop', write: true });
    expect((await list(guest, '/local/drop')).data.write).toBe(true);
    expect((await list(guest, '/local/open')).data.write).toBe(false);
    expect(await putFile(guest, '/local/drop/from-guest.txt', Buffer.from('guest bytes'), {}, '')).toMatchObject({ code: 200 });
    expect(readFileSync(path.join(localRoot, 'drop/from-guest.txt'), 'utf8')).toBe('guest bytes');
    expect((await guest.post('/api/fs/mkdir', { path: '/local/drop/guest-folder' }, '')).code).toBe(200);
    expect(existsSync(path.join(localRoot, 'drop/guest-folder'))).toBe(true);

    expect(await putFile(guest, '/local/open/from-guest.txt', Buffer.from('x'), {}, '')).toMatchObject({ code: 403, message: 'permission denied' });
    expect((await guest.post('/api/fs/mkdir', { path: '/local/open/guest-folder' }, '')).code).toBe(403);
    // Without w_sub, the write meta does not reach into sub-folders.
    expect(await putFile(guest, '/local/drop/guest-folder/deeper.txt', Buffer.from('x'), {}, '')).toMatchObject({ code: 403 });
    expect(existsSync(path.join(localRoot, 'open/from-guest.txt'))).toBe(false);
  });
});

describe('/api/admin/meta/*', () => {
  it('lists by page, gets, updates and deletes in AList\'s shapes', async () => {
    const all = await admin.get('/api/admin/meta/list');
    expect(all.data.total).toBe(4);
    expect(Object.keys(all.data.content[0]).sort()).toEqual(
      ['header', 'header_sub', 'h_sub', 'hide', 'id', 'p_sub', 'password', 'path', 'r_sub', 'readme', 'w_sub', 'write'].sort());
    const second = await admin.get('/api/admin/meta/list?page=2&per_page=1');
    expect(second.data).toMatchObject({ total: 4, content: [{ id: all.data.content[1].id }] });

    const id = await createMeta({ path: 'local/temporary/', readme: 'x' });
    expect((await admin.get(`/api/admin/meta/get?id=${id}`)).data).toMatchObject({ id, path: '/local/temporary', readme: 'x', write: false });
    expect((await admin.post(`/api/admin/meta/delete?id=${id}`)).code).toBe(200);
    expect((await admin.get(`/api/admin/meta/get?id=${id}`)).code).toBe(404);
  });

  it('refuses a taken path, a bad hide pattern, a bad id and a missing path with 400; guests with 403', async () => {
    expect(await admin.post('/api/admin/meta/create', { path: '/local/open' })).toMatchObject({ code: 400, error: { code: 'DUPLICATE_META_PATH' } });
    const bad = await admin.post('/api/admin/meta/create', { path: '/local/x', hide: 'fine\n(unclosed' });
    expect(bad.code).toBe(400);
    expect(bad.message).toMatch(/^\(unclosed is illegal: /);
    expect((await admin.post('/api/admin/meta/create', { readme: 'no path' })).code).toBe(400);
    expect((await admin.get('/api/admin/meta/get?id=abc')).code).toBe(400);
    expect((await admin.post('/api/admin/meta/update', { id: 999, path: '/local/y' })).code).toBe(404);
    expect((await guest.get('/api/admin/meta/list', '')).code).toBe(403);
    expect((await admin.get('/api/admin/meta/list')).data.total).toBe(4);
  });
});
