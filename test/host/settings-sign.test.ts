/**
 * AList's settings on the real host: the SettingItem routes (list, get, save, delete, reset_token), public settings
 * read from them, and the `token` setting: the key of download signs and a static admin token.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Host } from '../../src/host/index.js';
import { createTestHost } from './support/test-host.js';
import { HostClient } from './support/host-client.js';
import { ADMIN_PASSWORD, makeDataDir } from './support/host-setup.js';
import { expectNoSecrets } from './support/secrets-scan.js';
import { setGuestAccess } from './support/guest-user.js';

interface Item { key: string; value: string; type: string; group: number; flag: number; options: string; help: string; index: number }

let host: Host;
let admin: HostClient;
let dataDir: string;

beforeAll(async () => {
  dataDir = makeDataDir();
  const localRoot = path.join(dataDir, 'local');
  mkdirSync(localRoot);
  writeFileSync(path.join(localRoot, 'a.txt'), 'bytes of a');
  host = await createTestHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false });
  admin = new HostClient(host.url);
  await admin.login('admin', ADMIN_PASSWORD);
  expect((await admin.post('/api/admin/storage/create', { mount_path: '/local', driver: 'Local', addition: JSON.stringify({ root_folder_path: localRoot }) })).code).toBe(200);
}, 60_000);

afterAll(async () => {
  await host?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const save = (items: Array<{ key: string; value: unknown }>) => admin.post('/api/admin/setting/save', items);
const token = async () => (await admin.get<Item>('/api/admin/setting/get?key=token')).data.value;
const signOf = async (file: string) => (await admin.post('/api/fs/get', { path: file })).data.sign as string;

describe('/api/admin/setting/*', () => {
  it('lists AList\'s SettingItems by group; the token only when its group (SINGLE, 0) is asked for', async () => {
    const all = (await admin.get<Item[]>('/api/admin/setting/list')).data;
    const title = all.find((item) => item.key === 'site_title')!;
    expect(title).toEqual({ key: 'site_title', value: 'Photos Drive', type: 'string', group: 1, flag: 0, options: '', help: '', index: expect.any(Number) });
    expect(all.find((item) => item.key === 'pagination_type')).toMatchObject({ type: 'select', options: 'all,pagination,load_more,auto_load_more' });
    expect(all.find((item) => item.key === 'sign_all')).toMatchObject({ type: 'bool', group: 4, flag: 1, value: 'true' });
    expect(all.find((item) => item.key === 'version')).toMatchObject({ flag: 2 });
    expect(all.map((item) => item.key)).not.toContain('token');
    expect(all.map((item) => item.key)).not.toContain('guest_enabled');

    const site = (await admin.get<Item[]>('/api/admin/setting/list?group=1')).data;
    expect(new Set(site.map((item) => item.group))).toEqual(new Set([1]));
    const other = (await admin.get<Item[]>('/api/admin/setting/list?groups=5,0')).data;
    expect(other.find((item) => item.key === 'token')!.value).toMatch(/^alist-[0-9a-f-]{36}[A-Za-z0-9]{64}$/);
    expect((await admin.get('/api/admin/setting/list?group=x')).code).toBe(400);
  });

  it('saves values that round-trip through list, get and /api/public/settings', async () => {
    expect((await save([{ key: 'site_title', value: 'My Photos' }, { key: 'default_page_size', value: '50' }, { key: 'announcement', value: 'Hello' }])).code).toBe(200);
    expect((await admin.get<Item>('/api/admin/setting/get?key=site_title')).data.value).toBe('My Photos');
    const both = (await admin.get<Item[]>('/api/admin/setting/get?keys=default_page_size,announcement')).data;
    expect(both.map((item) => item.value)).toEqual(['50', 'Hello']);
    const listed = (await admin.get<Item[]>('/api/admin/setting/list?group=1')).data;
    expect(listed.find((item) => item.key === 'site_title')!.value).toBe('My Photos');
    const pub = (await admin.get<Record<string, string>>('/api/public/settings', '')).data;
    expect(pub).toMatchObject({ site_title: 'My Photos', default_page_size: '50', announcement: 'Hello' });
    for (const key of ['token', 'sign_all', 'link_expiration']) expect(pub).not.toHaveProperty(key);
  });

  it('takes a whole group back as AList\'s pages send it, read-only items included unchanged', async () => {
    const site = (await admin.get<Item[]>('/api/admin/setting/list?group=1')).data;
    const edited = site.map((item) => (item.key === 'announcement' ? { ...item, value: 'Edited' } : item));
    expect((await admin.post('/api/admin/setting/save', edited)).code).toBe(200);
    expect((await admin.get<Item>('/api/admin/setting/get?key=announcement')).data.value).toBe('Edited');
    const other = (await admin.get<Item[]>('/api/admin/setting/list?groups=0')).data;
    expect((await admin.post('/api/admin/setting/save', other)).code).toBe(200);
  });

  it('refuses bad values, unknown and read-only keys with 400 and a clear message, saving nothing of the batch', async () => {
    const refusals: Array<[Array<{ key: string; value: unknown }>, RegExp]> = [
      [[{ key: 'default_page_size', value: 'many' }], /"default_page_size" must be a whole number/],
      [[{ key: 'default_page_size', value: '0' }], /at least 1/],
      [[{ key: 'link_expiration', value: '-1' }], /at least 0/],
      [[{ key: 'pagination_type', value: 'endless' }], /must be one of all,pagination,load_more,auto_load_more/],
      [[{ key: 'sign_all', value: 'yes' }], /"sign_all" must be "true" or "false"/],
      [[{ key: 'iframe_previews', value: '{not json' }], /must be a JSON object/],
      [[{ key: 'site_url', value: 'ftp://x' }], /site_url|URL/i],
      [[{ key: 'no_such_key', value: 'x' }], /No setting is called "no_such_key"/],
      [[{ key: 'guest_enabled', value: 'true' }], /No setting is called "guest_enabled"/],
      [[{ key: 'version', value: 'v9' }], /"version" is read-only/],
      [[{ key: 'token', value: 'alist-chosen-by-hand' }], /reset_token/],
      [[{ key: 'site_title', value: 42 }], /must be a string/],
      [[{ key: 'site_title', value: 'Not saved' }, { key: 'sign_all', value: 'maybe' }], /sign_all/],
    ];
    for (const [items, message] of refusals) {
      const answer = await save(items);
      expect(answer.code).toBe(400);
      expect(answer.message).toMatch(message);
    }
    expect((await admin.post('/api/admin/setting/save', { key: 'site_title', value: 'x' })).code).toBe(400);
    expect((await admin.get<Item>('/api/admin/setting/get?key=site_title')).data.value).toBe('My Photos');
    expect((await admin.get('/api/admin/setting/get?key=nope')).code).toBe(400);
    expect(await admin.post('/api/admin/setting/delete?key=site_title')).toMatchObject({ code: 400, message: 'setting [site_title] is not deprecated' });
    expect((await admin.get('/api/admin/setting/list', '')).code).toBe(401);
  });
});

describe('the token', () => {
  it('signs links as AList (no expiry with link_expiration 0); reset_token makes old signs fail', async () => {
    const before = await signOf('/local/a.txt');
    expect(before).toMatch(/^[\w-]{43}=:\d+$/);
    expect((await fetch(`${host.url}/d/local/a.txt?sign=${encodeURIComponent(before)}`)).status).toBe(200);

    expect((await save([{ key: 'link_expiration', value: '0' }])).code).toBe(200);
    expect(await signOf('/local/a.txt')).toMatch(/:0$/);

    const reset = await admin.post<string>('/api/admin/setting/reset_token');
    expect(reset.data).toMatch(/^alist-/);
    expect(await token()).toBe(reset.data);
    const refused = await fetch(`${host.url}/d/local/a.txt?sign=${encodeURIComponent(before)}`);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('sign invalid');
    const after = await fetch(`${host.url}/d/local/a.txt?sign=${encodeURIComponent(await signOf('/local/a.txt'))}`);
    expect(await after.text()).toBe('bytes of a');
  });

  it('works as the admin\'s Authorization (AList\'s static token); a wrong or old one does not', async () => {
    const current = await token();
    expect((await admin.get('/api/me', current)).data).toMatchObject({ username: 'admin' });
    expect((await admin.get('/api/admin/storage/list', current)).code).toBe(200);
    const wrong = `${current.slice(0, -1)}${current.endsWith('A') ? 'B' : 'A'}`;
    expect((await admin.get('/api/admin/storage/list', wrong)).code).toBe(401);
    await admin.post('/api/admin/setting/reset_token');
    expect((await admin.get('/api/admin/storage/list', current)).code).toBe(401);
  });

  it('is in no public answer, no unfiltered list and no error', async () => {
    const scanned = new HostClient(host.url);
    await scanned.get('/api/public/settings', '');
    await scanned.get('/api/admin/setting/list', admin.token);
    await scanned.post('/api/admin/setting/save', [{ key: 'token', value: 'guess' }], admin.token);
    await scanned.request('/d/local/a.txt?sign=abc:0', { token: '' });
    expectNoSecrets(scanned.seenBodies, [await token()]);
  });
});

describe('sign_all', () => {
  it('on (the default): /d/ needs a sign from the guest; off: /d/ serves the guest without one', async () => {
    await setGuestAccess(admin, true);
    const unsigned = await fetch(`${host.url}/d/local/a.txt`);
    expect(unsigned.status).toBe(401);
    expect((await save([{ key: 'sign_all', value: 'false' }])).code).toBe(200);
    const open = await fetch(`${host.url}/d/local/a.txt`);
    expect(open.status).toBe(200);
    expect(await open.text()).toBe('bytes of a');
    // Without guest access, an unsigned link still needs a login.
    await setGuestAccess(admin, false);
    expect((await fetch(`${host.url}/d/local/a.txt`)).status).toBe(401);
  });
});

describe('/robots.txt', () => {
  it('answers the robots_txt setting', async () => {
    expect((await save([{ key: 'robots_txt', value: 'User-agent: *\nDisallow: /' }])).code).toBe(200);
    const answer = await fetch(`${host.url}/robots.txt`);
    expect(await answer.text()).toBe('User-agent: *\nDisallow: /');
  });
});
