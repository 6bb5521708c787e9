/**
 * AList's users on a real host: base paths (a user sees only the subtree below theirs), permission bits on every
 * write route with AList's "permission denied", the built-in guest user in place of guest_enabled, disabled users,
 * the user admin routes, and tasks seen only by their creator.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Host } from '../../src/host/index.js';
import { createTestHost } from './support/test-host.js';
import { HostClient } from './support/host-client.js';
import { updateGuestUser } from './support/guest-user.js';
import { ADMIN_PASSWORD, makeDataDir } from './support/host-setup.js';
import { putFile } from './support/upload-client.js';

const USER_PASSWORD = 'user-password-8x';
/** AList's bits: 3 write (mkdir, upload), 4 rename, 5 move, 6 copy, 7 remove. */
const BIT = { write: 1 << 3, rename: 1 << 4, move: 1 << 5, copy: 1 << 6, remove: 1 << 7 };

let host: Host;
let admin: HostClient;
let dataDir: string;
let localRoot: string;

function onDisk(): string[] {
  return readdirSync(localRoot).sort();
}

/** Creates a general user and answers a client logged in as them, with their id. */
async function newUser(username: string, fields: Record<string, unknown>): Promise<{ client: HostClient; id: number }> {
  const created = await admin.post('/api/admin/user/create', { username, password: USER_PASSWORD, ...fields });
  expect(created.code).toBe(200);
  const list = await admin.get<{ content: Array<{ id: number; username: string }> }>('/api/admin/user/list');
  const client = new HostClient(host.url);
  await client.login(username, USER_PASSWORD);
  return { client, id: list.data.content.find((user) => user.username === username)!.id };
}

beforeAll(async () => {
  dataDir = makeDataDir();
  localRoot = path.join(dataDir, 'local');
  mkdirSync(localRoot);
  writeFileSync(path.join(localRoot, 'keep.txt'), 'keep');
  // No size probing after listings: the in-process emulator would encode JPEGs on this thread (see host-setup.ts).
  host = await createTestHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: true, sizeProbing: { background: false } });
  admin = new HostClient(host.url);
  await admin.login('admin', ADMIN_PASSWORD);
  const created = await admin.post('/api/admin/storage/create', { mount_path: '/local', driver: 'Local', addition: JSON.stringify({ root_folder_path: localRoot }) });
  expect(created.code).toBe(200);
}, 60_000);

afterAll(async () => {
  await host?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('a base path', () => {
  it('shows a user only the subtree below it, and refuses ".." with AList\'s 403', async () => {
    const albums = await admin.names('/demo/Albums');
    expect(albums.length).toBeGreaterThan(0);
    const { client } = await newUser('viewer', { base_path: '/demo/Albums' });
    expect(await client.names('/')).toEqual(albums);
    expect(await client.names(`/${albums[0]}`)).toEqual(await admin.names(`/demo/Albums/${albums[0]}`));
    expect((await client.post('/api/fs/get', { path: '/' })).data).toMatchObject({ name: 'Albums', is_dir: true });
    for (const escape of ['..', '/..', '../demo', `/${albums[0]}/../..`]) {
      expect(await client.post('/api/fs/list', { path: escape })).toMatchObject({ code: 403, message: 'access using relative path is not allowed' });
    }
    expect((await client.post('/api/fs/get', { path: '/../../local/keep.txt' })).code).toBe(403);
    expect(await client.post('/api/fs/dirs', { path: '/', force_root: true })).toMatchObject({ code: 403 });
    expect((await client.post<Array<{ name: string }>>('/api/fs/dirs', { path: '/' })).data.map((dir) => dir.name)).toEqual(albums);
    // /api/me in AList's shape: the password never, the base path as stored, the role as AList's number.
    expect((await client.get('/api/me')).data).toEqual({
      id: expect.any(Number), username: 'viewer', password: '', base_path: '/demo/Albums', role: 0, disabled: false, permission: 0, sso_id: '', otp: false,
    });
  });

  it('keeps an unsigned download below the base path; signed links carry the full path', async () => {
    const { client } = await newUser('downloader', { base_path: '/demo' });
    expect((await client.request('/p/local/keep.txt')).response.status).toBe(403);
    const listed = await admin.post<{ content: Array<{ name: string; sign: string }> }>('/api/fs/list', { path: '/local' });
    const keep = listed.data.content.find((item) => item.name === 'keep.txt')!;
    const signed = await client.request(`/p/local/keep.txt?sign=${encodeURIComponent(keep.sign)}`, { token: '' });
    expect(signed.response.status).toBe(200);
    expect(signed.text).toBe('keep');
  });
});

describe('permission bits', () => {
  it('refuse every write without its bit, with AList\'s message, and allow it with the bit', async () => {
    const { client, id } = await newUser('writer', { base_path: '/local' });
    expect(await client.names('/')).toContain('keep.txt');
    expect((await client.post('/api/fs/list', { path: '/' })).data.write).toBe(false);
    const denied = { code: 403, message: 'permission denied' };
    expect(await client.post('/api/fs/mkdir', { path: '/made' })).toMatchObject(denied);
    expect(await putFile(client, '/put.txt', Buffer.from('p'))).toMatchObject(denied);
    expect(await client.post('/api/fs/rename', { path: '/keep.txt', name: 'renamed.txt' })).toMatchObject(denied);
    expect(await client.post('/api/fs/remove', { dir: '/', names: ['keep.txt'] })).toMatchObject(denied);
    expect(await client.post('/api/fs/copy', { src_dir: '/', dst_dir: '/', names: ['keep.txt'] })).toMatchObject(denied);
    expect(await client.post('/api/fs/move', { src_dir: '/', dst_dir: '/', names: ['keep.txt'] })).toMatchObject(denied);
    expect(await client.post('/api/fs/list', { path: '/', refresh: true })).toMatchObject({ code: 403, message: 'Refresh without permission' });
    expect(onDisk()).toEqual(['keep.txt']);

    expect((await admin.post('/api/admin/user/update', { id, permission: BIT.write | BIT.rename })).code).toBe(200);
    expect((await client.post('/api/fs/list', { path: '/' })).data.write).toBe(true);
    expect((await client.post('/api/fs/mkdir', { path: '/made' })).code).toBe(200);
    expect((await putFile(client, '/made/put.txt', Buffer.from('p'))).code).toBe(200);
    expect((await client.post('/api/fs/rename', { path: '/made', name: 'renamed' })).code).toBe(200);
    expect(onDisk()).toEqual(['keep.txt', 'renamed']);
    expect(readdirSync(path.join(localRoot, 'renamed'))).toEqual(['put.txt']);
    // Writing does not grant removing.
    expect(await client.post('/api/fs/remove', { dir: '/', names: ['renamed'] })).toMatchObject(denied);
    expect((await admin.post('/api/admin/user/update', { id, permission: BIT.remove })).code).toBe(200);
    expect((await client.post('/api/fs/remove', { dir: '/', names: ['renamed'] })).code).toBe(200);
    expect(onDisk()).toEqual(['keep.txt']);
    // A base path confines writes too: ".." cannot reach out of it.
    expect(await client.post('/api/fs/remove', { dir: '/..', names: ['demo'] })).toMatchObject({ code: 403, message: 'access using relative path is not allowed' });
  });

  it('shows each user only the tasks they started; an admin sees them all; the guest none', async () => {
    const { client: uploader } = await newUser('uploader', { base_path: '/local', permission: BIT.write | BIT.remove });
    const { client: other } = await newUser('other', { base_path: '/local', permission: BIT.write });
    const answer = await putFile(uploader, '/task.txt', Buffer.from('t'), { 'as-task': 'true' });
    const taskId = answer.data.task.id as string;
    const ids = async (client: HostClient) => {
      const undone = await client.get<Array<{ id: string }>>('/api/task/upload/undone');
      const done = await client.get<Array<{ id: string }>>('/api/task/upload/done');
      return [...undone.data, ...done.data].map((task) => task.id);
    };
    for (let i = 0; i < 200 && !(await uploader.get<Array<{ id: string }>>('/api/task/upload/done')).data.some((task) => task.id === taskId); i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(await ids(uploader)).toContain(taskId);
    expect(await ids(admin)).toContain(taskId);
    expect(await ids(other)).not.toContain(taskId);
    expect(await other.post(`/api/task/upload/info?tid=${taskId}`)).toMatchObject({ code: 404, message: 'task not found' });
    expect((await other.post(`/api/task/upload/delete?tid=${taskId}`)).code).toBe(404);
    expect((await uploader.post(`/api/task/upload/info?tid=${taskId}`)).code).toBe(200);
    expect(await uploader.get('/api/admin/task/upload/done')).toMatchObject({ code: 403, message: 'You are not an admin' });
    await updateGuestUser(admin, { disabled: false });
    try {
      expect(await admin.get('/api/task/upload/done', '')).toMatchObject({ code: 403, message: 'You are a guest' });
    } finally {
      await updateGuestUser(admin, { disabled: true });
    }
    expect((await uploader.post('/api/fs/remove', { dir: '/', names: ['task.txt'] })).code).toBe(200);
  });
});

describe('the guest user', () => {
  it('is disabled at first: requests without a token get AList\'s 401', async () => {
    expect(await admin.post('/api/fs/list', { path: '/' }, '')).toMatchObject({ code: 401, message: 'Guest user is disabled, login please' });
    expect((await admin.get('/api/me', '')).code).toBe(401);
  });

  it('browses once enabled, with its own base path and bits: reading works, writing is refused', async () => {
    await updateGuestUser(admin, { disabled: false, base_path: '/local' });
    try {
      expect(await admin.names('/', { })).toEqual(['demo', 'local']); // the admin still sees everything
      const anonymous = new HostClient(host.url);
      expect(await anonymous.names('/')).toEqual(['keep.txt']);
      expect((await anonymous.get('/api/me')).data).toMatchObject({ username: 'guest', role: 1, base_path: '/local', otp: false, password: '' });
      expect(await anonymous.post('/api/fs/mkdir', { path: '/g' })).toMatchObject({ code: 403, message: 'permission denied' });
      expect(await putFile(anonymous, '/g.txt', Buffer.from('g'))).toMatchObject({ code: 403, message: 'permission denied' });
      expect(await anonymous.get('/api/admin/user/list')).toMatchObject({ code: 403, message: 'You are not an admin' });
      expect(onDisk()).toEqual(['keep.txt']);
      // The guest has no password: no login as "guest" whatever is sent.
      expect((await anonymous.post('/api/auth/login', { username: 'guest', password: 'guest' })).code).toBe(400);
    } finally {
      await updateGuestUser(admin, { disabled: true, base_path: '/' });
    }
  });

  it('replaces the guest_enabled setting, which is refused with a pointer to the guest user', async () => {
    expect(await admin.post('/api/admin/settings', { guest_enabled: true })).toMatchObject({ code: 400, error: { code: 'MOVED' } });
    expect((await admin.get('/api/admin/settings')).data).not.toHaveProperty('guest_enabled');
    expect((await admin.post('/api/fs/list', { path: '/' }, '')).code).toBe(401);
  });
});

describe('disabled users and sessions', () => {
  it('a disabled user cannot log in and their token stops working; re-enabled, a new login works', async () => {
    const { client, id } = await newUser('sleeper', {});
    const token = client.token;
    expect((await admin.post('/api/admin/user/update', { id, disabled: true })).code).toBe(200);
    expect((await client.get('/api/me')).code).toBe(401);
    expect(await client.post('/api/auth/login', { username: 'sleeper', password: USER_PASSWORD }, '')).toMatchObject({ code: 401, message: 'Current user is disabled, replace please' });
    expect((await admin.post('/api/admin/user/update', { id, disabled: false })).code).toBe(200);
    expect((await client.get('/api/me', token)).code).toBe(401); // the old session ended when the user was disabled
    await client.login('sleeper', USER_PASSWORD);
    expect((await client.get('/api/me')).data.username).toBe('sleeper');
  });

  it('a password changed by an admin ends the user\'s sessions', async () => {
    const { client, id } = await newUser('changer', {});
    expect((await admin.post('/api/admin/user/update', { id, password: 'another-password-9' })).code).toBe(200);
    expect((await client.get('/api/me')).code).toBe(401);
    await client.login('changer', 'another-password-9');
    expect((await client.get('/api/me')).code).toBe(200);
  });
});

describe('the user admin routes', () => {
  it('list and get users in AList\'s shape, never with a password', async () => {
    const list = await admin.get<{ content: Array<Record<string, unknown>>; total: number }>('/api/admin/user/list?page=1&per_page=2');
    expect(list.code).toBe(200);
    expect(list.data.content).toHaveLength(2);
    expect(list.data.total).toBeGreaterThan(2);
    expect(list.data.content[0]).toEqual({ id: expect.any(Number), username: 'admin', password: '', base_path: '/', role: 2, disabled: false, permission: 0xffff, sso_id: '', otp: false });
    expect(list.data.content[1]).toMatchObject({ username: 'guest', role: 1, disabled: true, password: '' });
    const one = await admin.get(`/api/admin/user/get?id=${list.data.content[1]!.id as number}`);
    expect(one.data).toMatchObject({ username: 'guest', role: 1 });
    expect((await admin.get('/api/admin/user/get?id=9999')).code).toBe(404);
    expect(admin.seenBodies.join('')).not.toMatch(/scrypt|static:|password_hash/);
  });

  it('answer the admin with every permission bit set, as OpenList does (its frontend offers uploads by the bits alone)', async () => {
    expect((await admin.get('/api/me')).data).toMatchObject({ username: 'admin', role: 2, permission: 0xffff });
  });

  it('refuse to create, delete or disable the built-in users or change a role; a deleted user\'s token ends', async () => {
    const users = (await admin.get<{ content: Array<{ id: number; role: number }> }>('/api/admin/user/list')).data.content;
    const adminId = users.find((user) => user.role === 2)!.id;
    const guestId = users.find((user) => user.role === 1)!.id;
    expect(await admin.post('/api/admin/user/create', { username: 'boss2', password: USER_PASSWORD, role: 2 })).toMatchObject({ code: 400, message: 'admin or guest user can not be created' });
    expect(await admin.post(`/api/admin/user/delete?id=${adminId}`)).toMatchObject({ code: 400, message: 'cannot delete admin or guest' });
    expect(await admin.post(`/api/admin/user/delete?id=${guestId}`)).toMatchObject({ code: 400, message: 'cannot delete admin or guest' });
    expect(await admin.post('/api/admin/user/update', { id: adminId, disabled: true })).toMatchObject({ code: 400, message: 'admin user can not be disabled' });
    expect(await admin.post('/api/admin/user/update', { id: guestId, role: 0 })).toMatchObject({ code: 400, message: 'role can not be changed' });
    expect((await admin.post('/api/admin/user/create', { username: 'admin', password: USER_PASSWORD })).code).toBe(400);
    expect((await admin.post('/api/admin/user/create', { username: 'x', password: USER_PASSWORD, base_path: '/a/../b' })).code).toBe(400);

    const { client, id } = await newUser('leaver', {});
    expect((await admin.post(`/api/admin/user/delete?id=${id}`)).code).toBe(200);
    expect((await client.get('/api/me')).code).toBe(401);
    expect((await admin.get(`/api/admin/user/get?id=${id}`)).code).toBe(404);
    expect((await admin.get('/api/me')).data.username).toBe('admin');
  });

  it('are for admins only; 2FA answers that it is not supported', async () => {
    const { client } = await newUser('plain', {});
    expect(await client.get('/api/admin/user/list')).toMatchObject({ code: 403, message: 'You are not an admin' });
    expect((await client.post('/api/admin/user/create', { username: 'y', password: USER_PASSWORD })).code).toBe(403);
    expect(await client.post('/api/auth/2fa/generate')).toMatchObject({ code: 400, message: /not supported/ });
    expect((await admin.post('/api/admin/user/cancel_2fa?id=1')).code).toBe(200);
    expect((await admin.post('/api/admin/user/del_cache?username=plain')).code).toBe(200);
  });
});
