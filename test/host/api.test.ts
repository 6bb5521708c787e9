/** The AList-shaped JSON API against the real host and the emulator: login, listings, get, admin, bad input, guests. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectNoSecrets } from './support/secrets-scan.js';
import { startHostWithEmulator, ADMIN_PASSWORD, type HostSetup } from './support/host-setup.js';
import { setGuestAccess } from './support/guest-user.js';

let setup: HostSetup;
let storageId: number;
let albumsFolder: string;
let allFolder: string;

beforeAll(async () => {
  setup = await startHostWithEmulator({}, { maxLoginFailures: 3 });
  storageId = await setup.addGooglePhotos('/photos');
  expect((await setup.settled(storageId)).status).toBe('work');
  const root = await setup.client.post('/api/fs/list', { path: '/photos' });
  albumsFolder = root.data.content.find((item: { name: string }) => /^albums$/i.test(item.name)).name;
  allFolder = root.data.content.find((item: { name: string }) => /^all/i.test(item.name)).name;
});

afterAll(async () => {
  await setup?.close();
});

describe('login', () => {
  it('refuses a wrong password, then rate-limits the address', async () => {
    const { client } = setup;
    const first = await client.post('/api/auth/login', { username: 'admin', password: 'wrong' }, '');
    expect(first.code).toBe(400);
    expect(first.data).toBeNull();
    await client.post('/api/auth/login', { username: 'nobody', password: 'wrong' }, '');
    await client.post('/api/auth/login', { username: 'admin', password: 'wrong again' }, '');
    const limited = await client.post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, '');
    expect(limited.code).toBe(429);
    expect(limited.message).toMatch(/too many/i);
  });

  it('accepts the token raw or as Bearer, and /api/me names the admin', async () => {
    const { client } = setup;
    const raw = await client.get('/api/me');
    expect(raw.data).toMatchObject({ username: 'admin', role: 2 });
    const bearer = await client.get('/api/me', `Bearer ${client.token}`);
    expect(bearer.data.username).toBe('admin');
    expect((await client.get('/api/me', 'not-a-token')).code).toBe(401);
  });
});

describe('listing', () => {
  it('lists the mount points at the root as folders', async () => {
    const answer = await setup.client.post('/api/fs/list', { path: '/' });
    expect(answer.code).toBe(200);
    expect(answer.data.content).toEqual([expect.objectContaining({ name: 'photos', is_dir: true, type: 1 })]);
    expect(answer.data.total).toBe(1);
  });

  it('lists an album with the emulator’s filenames, AList fields, signs and paging', async () => {
    const snapshot = setup.emulator.snapshot();
    const albums = await setup.client.post('/api/fs/list', { path: `/photos/${albumsFolder}` });
    const ours = snapshot.albums.filter((album) => album.clientId === setup.emulator.client.clientId);
    const albumNames = albums.data.content.map((item: { name: string }) => item.name);
    expect(albumNames).toHaveLength(ours.length);
    // Titles with a "/" are renamed by the driver; plain ones are listed verbatim.
    const plain = ours.filter((album) => /^[\w ]+$/.test(album.title));
    expect(albumNames).toEqual(expect.arrayContaining(plain.map((album) => album.title)));

    const album = plain.find((candidate) => candidate.mediaItemIds.length >= 3)!;
    const listed = await setup.client.post('/api/fs/list', { path: `/photos/${albumsFolder}/${album.title}` });
    expect(listed.data.total).toBe(album.mediaItemIds.length);
    expect(listed.data.provider).toBe('GooglePhoto');
    const byId = new Map(snapshot.mediaItems.map((item) => [item.id, item]));
    const filenames = album.mediaItemIds.map((id) => byId.get(id)!.filename);
    for (const item of listed.data.content) {
      expect(filenames).toContain(item.name);
      expect(item).toMatchObject({ is_dir: false, hash_info: null });
      expect([2, 5]).toContain(item.type);
      expect(item.sign).toMatch(/^[\w-]{43}=:\d+$/); // AList's sign: padded base64url HMAC-SHA256, then the expiry
      expect(typeof item.size).toBe('number');
    }
    const page2 = await setup.client.post('/api/fs/list', { path: `/photos/${albumsFolder}/${album.title}`, page: 2, per_page: 2 });
    expect(page2.data.total).toBe(album.mediaItemIds.length);
    expect(page2.data.content.map((item: { name: string }) => item.name)).toEqual(listed.data.content.slice(2, 4).map((item: { name: string }) => item.name));
  });

  it('gets a file with its size learnt and a signed raw_url on this server', async () => {
    const listed = await setup.client.post('/api/fs/list', { path: `/photos/${allFolder}` });
    const file = listed.data.content.find((item: { is_dir: boolean; type: number }) => !item.is_dir && item.type === 5);
    const got = await setup.client.post('/api/fs/get', { path: `/photos/${allFolder}/${file.name}` });
    expect(got.code).toBe(200);
    expect(got.data.name).toBe(file.name);
    expect(got.data.raw_url.startsWith(`${setup.host.url}/d/photos/`)).toBe(true);
    expect(got.data.raw_url).toMatch(/\?sign=[\w-]{43}%3D%3A\d+$/);
    const head = await fetch(got.data.raw_url.replace('/d/', '/p/'), { method: 'HEAD' });
    expect(got.data.size).toBe(Number(head.headers.get('content-length')));
    expect(got.data.size).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown mount or name, 403 for ".." (as AList) and 400 for NUL and over-long paths', async () => {
    const { client } = setup;
    expect((await client.post('/api/fs/list', { path: '/nope' })).code).toBe(404);
    const missing = await client.post('/api/fs/list', { path: `/photos/${allFolder}/no-such-file.jpg` });
    expect(missing.code).toBe(404);
    expect(missing.error?.code).toBe('NOT_FOUND');
    for (const path of ['/photos/../etc', '/photos/%2e%2e/x/..', '/photos/a\u0000b', `/${'x'.repeat(5000)}`, '/photos/..']) {
      const answer = await client.post('/api/fs/list', { path });
      expect([400, 403, 404]).toContain(answer.code);
    }
    expect(await client.post('/api/fs/list', { path: '/photos/../photos' })).toMatchObject({ code: 403, message: 'access using relative path is not allowed' });
    expect((await client.post('/api/fs/list', { path: '/photos/a\u0000b' })).code).toBe(400);
    expect((await client.post('/api/fs/list', { path: 42 })).code).toBe(400);
  });

  it('answers 400 in the envelope for a malformed JSON body', async () => {
    const { response, text } = await setup.client.request('/api/fs/list', { method: 'POST', body: '{"path": "/', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ code: 400, data: null });
  });
});

describe('admin API', () => {
  it('lists drivers with config items generated from their schema, in AList’s shape', async () => {
    const names = await setup.client.get('/api/admin/driver/names');
    expect(names.data).toContain('GooglePhoto');
    const info = await setup.client.get('/api/admin/driver/info?driver=GooglePhoto');
    const byName = Object.fromEntries(info.data.additional.map((item: { name: string }) => [item.name, item]));
    expect(byName.client_secret).toMatchObject({ secret: true, required: true, type: 'string' });
    expect(byName.refresh_token.secret).toBe(true);
    expect(byName.root_folder_id.default).toBe('root');
    expect(info.data.config).toMatchObject({ name: 'GooglePhoto', only_proxy: false });
    const list = await setup.client.get('/api/admin/driver/list');
    expect(Object.keys(list.data)).toEqual(names.data);
    expect((await setup.client.get('/api/admin/driver/info?driver=Nope')).code).toBe(404);
  });

  it('normalises mount paths and refuses bad or duplicate ones', async () => {
    const { client } = setup;
    const base = { driver: 'GooglePhoto', addition: '{}' };
    const created = await client.post('/api/admin/storage/create', { ...base, mount_path: 'extra//one/' });
    expect(created.code).toBe(200);
    expect((await client.get(`/api/admin/storage/get?id=${created.data.id}`)).data.mount_path).toBe('/extra/one');
    expect((await client.post('/api/admin/storage/create', { ...base, mount_path: '/extra/one' })).code).toBe(400);
    expect((await client.post('/api/admin/storage/create', { ...base, mount_path: '/a/../b' })).code).toBe(400);
    expect((await client.post('/api/admin/storage/create', { ...base, mount_path: '/' })).code).toBe(400);
    expect((await client.post('/api/admin/storage/create', { ...base, mount_path: '/x', driver: 'Nope' })).code).toBe(400);
    expect((await client.post('/api/admin/storage/create', { ...base, mount_path: '/x', addition: '{oops' })).code).toBe(400);
    expect((await client.post(`/api/admin/storage/delete?id=${created.data.id}`)).code).toBe(200);
    expect((await client.get(`/api/admin/storage/get?id=${created.data.id}`)).code).toBe(404);
  });

  it('masks secrets, and an update with the mask or "" keeps them', async () => {
    const { client } = setup;
    const stored = await client.get(`/api/admin/storage/get?id=${storageId}`);
    const addition = JSON.parse(stored.data.addition);
    expect(addition.client_secret).toBe('******');
    expect(addition.refresh_token).toBe('******');
    expect(addition.client_id).toBe(setup.emulator.client.clientId);
    const update = await client.post('/api/admin/storage/update', {
      id: storageId, mount_path: '/photos', driver: 'GooglePhoto', remark: 'edited',
      addition: JSON.stringify({ ...addition, client_secret: '', refresh_token: '******' }),
    });
    expect(update.code).toBe(200);
    expect((await setup.settled(storageId)).status).toBe('work');
    expect((await client.names('/photos')).length).toBeGreaterThan(0);
  });

  it('keeps admin routes from guests and from no token', async () => {
    const { client } = setup;
    expect((await client.get('/api/admin/storage/list', '')).code).toBe(401);
    expect((await client.post('/api/admin/settings', { site_url: '' }, '')).code).toBe(401);
    expect((await client.get('/api/admin/driver/names', 'bogus')).code).toBe(401);
  });
});

describe('guest access', () => {
  it('shows guests nothing until an admin enables it, and never admin routes', async () => {
    const { client } = setup;
    expect((await client.post('/api/fs/list', { path: '/' }, '')).code).toBe(401);
    const { response } = await client.request(`/p/photos/${allFolder}/x.jpg`, { token: '' });
    expect(response.status).toBe(401);

    await setGuestAccess(client, true);
    expect((await client.post('/api/fs/list', { path: '/' }, '')).data.content.map((item: { name: string }) => item.name)).toEqual(['photos']);
    expect((await client.get('/api/me', '')).data).toMatchObject({ username: 'guest', role: 1 });
    expect((await client.get('/api/admin/storage/list', '')).code).toBe(403);
    const listed = await client.post('/api/fs/list', { path: `/photos/${allFolder}` }, '');
    const file = listed.data.content.find((item: { is_dir: boolean }) => !item.is_dir);
    const filePath = `/p/photos/${encodeURIComponent(allFolder)}/${encodeURIComponent(file.name)}`;
    // sign_all is on by default (as in AList): the guest's link needs the listing's sign.
    expect((await fetch(`${setup.host.url}${filePath}`)).status).toBe(401);
    const download = await fetch(`${setup.host.url}${filePath}?sign=${encodeURIComponent(file.sign)}`);
    expect(download.status).toBe(200);
    await download.arrayBuffer();

    await setGuestAccess(client, false);
    expect((await client.post('/api/fs/list', { path: '/' }, '')).code).toBe(401);
  });
});

describe('secrets', () => {
  it('never appear in any answer fetched in this file', () => {
    expect(setup.client.seenBodies.join('').length).toBeGreaterThan(1000);
    expectNoSecrets(setup.client.seenBodies, setup.secrets);
  });
});
