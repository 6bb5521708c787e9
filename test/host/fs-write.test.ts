/**
 * AList's write routes over real storages: uploads (PUT /api/fs/put, the form), mkdir, rename, remove, and copies and
 * moves between a Local folder and an in-memory storage (a driver with writes but no copy/move of its own), with
 * tasks in AList's shapes. Bad uploads get a clear code and leave nothing behind.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Host } from '../../src/host/index.js';
import { createTestHost } from './support/test-host.js';
import { registerDriver } from '../../src/types/registry.js';
import { ByteStoreServer } from './support/byte-store-server.js';
import { HostClient } from './support/host-client.js';
import { setGuestAccess } from './support/guest-user.js';
import { ADMIN_PASSWORD, makeDataDir } from './support/host-setup.js';
import { memoryFilesDriver, startMemoryStore, type MemoryStore } from './support/memory-files-driver.js';
import { testFilesDriver } from './support/test-files-driver.js';
import { formFile, partialPut, putFile } from './support/upload-client.js';

const LIMIT = 1024 * 1024;

interface TaskInfo { id: string; name: string; state: number; status: string; progress: number; total_bytes: number; error: string; start_time: string | null; end_time: string | null }

let host: Host;
let client: HostClient;
let dataDir: string;
let localRoot: string;
let memory: MemoryStore;
let byteStore: ByteStoreServer;

function bytes(length: number, seed = 1): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * seed + seed) % 251));
}

/** Everything in the Local storage's folder, temp files included. */
function onDisk(sub = ''): string[] {
  return readdirSync(path.join(localRoot, sub)).sort();
}

async function waitForTask(kind: string, id: string): Promise<TaskInfo> {
  for (let i = 0; i < 400; i++) {
    const answer = await client.post<TaskInfo>(`/api/task/${kind}/info?tid=${encodeURIComponent(id)}`);
    if (answer.code === 200 && [2, 4, 7].includes(answer.data.state)) return answer.data;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`task ${id} did not finish`);
}

beforeAll(async () => {
  registerDriver(memoryFilesDriver);
  registerDriver(testFilesDriver);
  memory = await startMemoryStore('fs-write');
  byteStore = await new ByteStoreServer({ 'a.txt': Buffer.from('aaa') }, new Set(['t'])).start();
  dataDir = makeDataDir();
  localRoot = path.join(dataDir, 'local');
  mkdirSync(localRoot);
  host = await createTestHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false, maxUploadBytes: LIMIT });
  client = new HostClient(host.url);
  await client.login('admin', ADMIN_PASSWORD);
  for (const storage of [
    { mount_path: '/local', driver: 'Local', addition: JSON.stringify({ root_folder_path: localRoot }) },
    { mount_path: '/memory', driver: 'MemoryFiles', addition: JSON.stringify({ store: 'fs-write' }) },
    { mount_path: '/readonly', driver: 'TestFiles', addition: JSON.stringify({ base_url: byteStore.url, token: 't' }) },
  ]) {
    const created = await client.post('/api/admin/storage/create', storage);
    expect(created.code).toBe(200);
  }
  // Listings are cached (30 minutes by default): every write below must show at once all the same.
  await client.names('/local');
  await client.names('/memory');
}, 60_000);

afterAll(async () => {
  await host?.close();
  await memory?.close();
  await byteStore?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('PUT /api/fs/put', () => {
  it('stores the bytes, keeps Last-Modified, and the cached listing shows the file at once', async () => {
    const body = bytes(100_000);
    const answer = await putFile(client, '/local/new photo.jpg', body, { 'last-modified': String(Date.UTC(2021, 4, 6)) });
    expect(answer).toEqual({ code: 200, message: 'success', data: null });
    expect(readFileSync(path.join(localRoot, 'new photo.jpg')).equals(body)).toBe(true);
    expect(await client.names('/local')).toContain('new photo.jpg');
    const got = await client.post('/api/fs/get', { path: '/local/new photo.jpg' });
    expect(got.data).toMatchObject({ size: body.length, modified: new Date(Date.UTC(2021, 4, 6)).toISOString() });
  });

  it('stores into a storage other than Local the same way', async () => {
    const body = bytes(5000, 3);
    expect((await putFile(client, '/memory/clip.mp4', body, { 'content-type': 'video/mp4' })).code).toBe(200);
    expect(memory.fileAt('/clip.mp4')!.equals(body)).toBe(true);
    expect([...memory.files.values()].find((file) => file.name === 'clip.mp4')!.mimeType).toBe('video/mp4');
    expect(await client.names('/memory')).toContain('clip.mp4');
  });

  it('replaces a file by default, and refuses with Overwrite: false (403 "file exists"), keeping the old bytes', async () => {
    await putFile(client, '/local/twice.txt', Buffer.from('first'));
    await putFile(client, '/local/twice.txt', Buffer.from('second'));
    expect(readFileSync(path.join(localRoot, 'twice.txt'), 'utf8')).toBe('second');
    const refused = await putFile(client, '/local/twice.txt', Buffer.from('third'), { overwrite: 'false' });
    expect(refused).toMatchObject({ code: 403, message: 'file exists' });
    expect(readFileSync(path.join(localRoot, 'twice.txt'), 'utf8')).toBe('second');
  });

  it('answers As-Task uploads with the task, which stores the file', async () => {
    const body = bytes(20_000, 5);
    const answer = await putFile(client, '/memory/later.bin', body, { 'as-task': 'true' });
    expect(answer.code).toBe(200);
    const task = answer.data.task as TaskInfo;
    expect(Object.keys(task).sort()).toEqual(['end_time', 'error', 'id', 'name', 'progress', 'start_time', 'state', 'status', 'total_bytes'].sort());
    expect(task.name).toBe('upload later.bin to [/memory](/)');
    const done = await waitForTask('upload', task.id);
    expect(done).toMatchObject({ state: 2, progress: 100, total_bytes: body.length, error: '' });
    expect(memory.fileAt('/later.bin')!.equals(body)).toBe(true);
    expect((await client.get<TaskInfo[]>('/api/task/upload/done')).data.map((t) => t.id)).toContain(task.id);
    // The spooled body is gone once the task succeeded.
    expect(readdirSync(path.join(dataDir, 'temp', 'uploads'))).toEqual([]);
  });

  it.each([
    ['File-Path missing', {}, 400, /File-Path/],
    ['a path outside every storage', { 'file-path': encodeURIComponent('/nowhere/x.txt') }, 404, /not found/i],
    ['a path with ..', { 'file-path': encodeURIComponent('/local/../local/x.txt') }, 400, /\.\./],
    ['a path naming a folder', { 'file-path': encodeURIComponent('/local/sub') }, 400, /folder/],
    ['a storage that cannot upload', { 'file-path': encodeURIComponent('/readonly/x.txt') }, 405, /doesn't support upload/],
  ])('refuses %s with a clear code and stores nothing', async (_what, headers, code, message) => {
    mkdirSync(path.join(localRoot, 'sub'), { recursive: true });
    const before = onDisk();
    const { text } = await client.request('/api/fs/put', { method: 'PUT', body: Buffer.from('x'), headers: headers as Record<string, string> });
    const answer = JSON.parse(text);
    expect(answer.code).toBe(code);
    expect(answer.message).toMatch(message);
    expect(onDisk()).toEqual(before);
  });

  it('refuses a file over the limit (413) before reading it', async () => {
    const before = onDisk();
    const answer = await putFile(client, '/local/huge.bin', bytes(LIMIT + 1));
    expect(answer).toMatchObject({ code: 413, error: { code: 'TOO_LARGE' } });
    expect(onDisk()).toEqual(before);
  });

  it('stores nothing when the body is shorter than its Content-Length', async () => {
    const before = onDisk();
    const answer = await partialPut(host.url, client.token, '/local/short.bin', 10_000, bytes(4000), 'wait');
    expect(JSON.parse(answer)).toMatchObject({ code: 400, error: { code: 'INCOMPLETE_BODY' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(onDisk()).toEqual(before);
    expect(await client.names('/local')).not.toContain('short.bin');
  });

  it('stores nothing when the client disconnects mid-upload, and keeps serving', async () => {
    const before = onDisk();
    const memoryBefore = memory.puts.length;
    await partialPut(host.url, client.token, '/local/cut.bin', 500_000, bytes(100_000), 'disconnect');
    await partialPut(host.url, client.token, '/memory/cut.bin', 500_000, bytes(100_000), 'disconnect');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(onDisk()).toEqual(before);
    expect(memory.puts.length).toBe(memoryBefore);
    expect(await client.names('/memory')).not.toContain('cut.bin');
  });

  it('refuses guests and wrong tokens', async () => {
    await setGuestAccess(client, true);
    try {
      const guest = JSON.parse((await client.request('/api/fs/put', { method: 'PUT', body: Buffer.from('x'), token: '', headers: { 'file-path': '/local/g.txt' } })).text);
      expect(guest).toMatchObject({ code: 403, message: 'permission denied' });
      const wrong = JSON.parse((await client.request('/api/fs/put', { method: 'PUT', body: Buffer.from('x'), token: 'nope', headers: { 'file-path': '/local/g.txt' } })).text);
      expect(wrong.code).toBe(401);
      expect((await client.post('/api/fs/mkdir', { path: '/local/g' }, '')).code).toBe(403);
      expect((await client.post('/api/fs/remove', { dir: '/local', names: ['twice.txt'] }, '')).code).toBe(403);
      expect(onDisk()).not.toContain('g.txt');
      expect(onDisk()).toContain('twice.txt');
    } finally {
      await setGuestAccess(client, false);
    }
  });
});

describe('the form upload', () => {
  it('streams the "file" field into the storage', async () => {
    const body = bytes(30_000, 7);
    expect((await formFile(client, '/local/form.jpg', body)).code).toBe(200);
    expect(readFileSync(path.join(localRoot, 'form.jpg')).equals(body)).toBe(true);
  });

  it('answers an As-Task form upload with its task', async () => {
    const body = bytes(12_000, 9);
    const answer = await formFile(client, '/local/sub/form-task.jpg', body, 'file', { 'as-task': 'true' });
    const task = answer.data.task as TaskInfo;
    expect(task.name).toBe('upload form-task.jpg to [/local](/sub)');
    expect(await waitForTask('upload', task.id)).toMatchObject({ state: 2, total_bytes: body.length });
    expect(readFileSync(path.join(localRoot, 'sub', 'form-task.jpg')).equals(body)).toBe(true);
  });

  it('refuses a form without a "file" field and one over the limit', async () => {
    const before = onDisk();
    expect(await formFile(client, '/local/none.jpg', bytes(10), 'other')).toMatchObject({ code: 400, message: /"file"/ });
    expect(await formFile(client, '/local/big.jpg', bytes(LIMIT + 10))).toMatchObject({ code: 413 });
    expect(onDisk()).toEqual(before);
  });
});

describe('mkdir, rename, remove', () => {
  it('makes nested folders, renames and removes, each seen in the listing at once', async () => {
    expect((await client.post('/api/fs/mkdir', { path: '/memory/Trip/Day 1' })).code).toBe(200);
    expect(await client.names('/memory/Trip')).toEqual(['Day 1']);
    expect((await client.post('/api/fs/rename', { path: '/memory/Trip/Day 1', name: 'Day one' })).code).toBe(200);
    expect(await client.names('/memory/Trip')).toEqual(['Day one']);
    await putFile(client, '/local/old.txt', Buffer.from('o'));
    expect((await client.post('/api/fs/rename', { path: '/local/old.txt', name: 'renamed.txt' })).code).toBe(200);
    expect(onDisk()).toContain('renamed.txt');
    expect(await client.names('/local')).toContain('renamed.txt');
    expect((await client.post('/api/fs/remove', { dir: '/local', names: ['renamed.txt'] })).code).toBe(200);
    expect(onDisk()).not.toContain('renamed.txt');
    expect(await client.names('/local')).not.toContain('renamed.txt');
  });

  it('tells admins (not guests) that they may write, and lists folders for the copy and move dialogs', async () => {
    expect((await client.post('/api/fs/list', { path: '/memory' })).data.write).toBe(true);
    await setGuestAccess(client, true);
    try {
      expect((await client.post('/api/fs/list', { path: '/memory' }, '')).data.write).toBe(false);
    } finally {
      await setGuestAccess(client, false);
    }
    const dirs = await client.post<Array<{ name: string; modified: string }>>('/api/fs/dirs', { path: '/memory' });
    expect(dirs.data.map((dir) => dir.name)).toEqual(['Trip']);
    expect((await client.post<Array<{ name: string }>>('/api/fs/dirs', { path: '/' })).data.map((dir) => dir.name)).toEqual(['local', 'memory', 'readonly']);
  });

  it('refuses a rename onto an existing name, an empty remove, and a mount point', async () => {
    await putFile(client, '/local/one.txt', Buffer.from('1'));
    await putFile(client, '/local/two.txt', Buffer.from('2'));
    expect((await client.post('/api/fs/rename', { path: '/local/one.txt', name: 'two.txt' })).code).toBe(403);
    expect(readFileSync(path.join(localRoot, 'two.txt'), 'utf8')).toBe('2');
    expect(await client.post('/api/fs/remove', { dir: '/local', names: [] })).toMatchObject({ code: 400, message: 'Empty file names' });
    expect((await client.post('/api/fs/remove', { dir: '/', names: ['local'] })).code).toBe(400);
    expect((await client.post('/api/fs/rename', { path: '/local/one.txt', name: '../x' })).code).toBe(400);
  });
});

describe('copy and move', () => {
  it('copies a Local folder tree into another storage as a task, progress in bytes', async () => {
    mkdirSync(path.join(localRoot, 'album', 'inner'), { recursive: true });
    writeFileSync(path.join(localRoot, 'album', 'a.jpg'), bytes(3000, 11));
    writeFileSync(path.join(localRoot, 'album', 'inner', 'b.jpg'), bytes(2000, 13));
    await client.names('/local', { refresh: true }); // made behind the server's back: list afresh
    const answer = await client.post<{ tasks: TaskInfo[] }>('/api/fs/copy', { src_dir: '/local', dst_dir: '/memory', names: ['album'] });
    expect(answer.code).toBe(200);
    expect(answer.data.tasks).toHaveLength(1);
    expect(answer.data.tasks[0]!.name).toBe('copy [/local](/album) to [/memory](/)');
    const done = await waitForTask('copy', answer.data.tasks[0]!.id);
    expect(done).toMatchObject({ state: 2, progress: 100, total_bytes: 5000 });
    expect(memory.fileAt('/album/a.jpg')!.equals(bytes(3000, 11))).toBe(true);
    expect(memory.fileAt('/album/inner/b.jpg')!.equals(bytes(2000, 13))).toBe(true);
    expect((await client.names('/memory/album')).sort()).toEqual(['a.jpg', 'inner']);
    expect(onDisk('album')).toEqual(['a.jpg', 'inner']);
  });

  it('copies from the other storage into Local, and within one storage without a copy of its own by streaming', async () => {
    const back = await client.post<{ tasks: TaskInfo[] }>('/api/fs/copy', { src_dir: '/memory', dst_dir: '/local/sub', names: ['clip.mp4'] });
    expect((await waitForTask('copy', back.data.tasks[0]!.id)).state).toBe(2);
    expect(readFileSync(path.join(localRoot, 'sub', 'clip.mp4')).equals(memory.fileAt('/clip.mp4')!)).toBe(true);
    const within = await client.post<{ tasks: TaskInfo[] }>('/api/fs/copy', { src_dir: '/memory', dst_dir: '/memory/Trip', names: ['clip.mp4'] });
    expect((await waitForTask('copy', within.data.tasks[0]!.id)).state).toBe(2);
    expect(memory.fileAt('/Trip/clip.mp4')!.equals(memory.fileAt('/clip.mp4')!)).toBe(true);
  });

  it('moves across storages: the source goes only after the copy arrived', async () => {
    await putFile(client, '/local/moving.txt', Buffer.from('moving'));
    const answer = await client.post<{ tasks: TaskInfo[] }>('/api/fs/move', { src_dir: '/local', dst_dir: '/memory', names: ['moving.txt'] });
    expect((await waitForTask('copy', answer.data.tasks[0]!.id)).state).toBe(2);
    expect(memory.fileAt('/moving.txt')!.toString()).toBe('moving');
    expect(onDisk()).not.toContain('moving.txt');
    expect(await client.names('/local')).not.toContain('moving.txt');
  });

  it('keeps the source of a move whose copy failed, and says why in the task', async () => {
    await putFile(client, '/memory/stays.txt', Buffer.from('stays'));
    mkdirSync(path.join(localRoot, 'dst', 'stays.txt'), { recursive: true }); // a folder holds the name
    await client.names('/local', { refresh: true });
    const answer = await client.post<{ tasks: TaskInfo[] }>('/api/fs/move', { src_dir: '/memory', dst_dir: '/local/dst', names: ['stays.txt'] });
    const done = await waitForTask('copy', answer.data.tasks[0]!.id);
    expect(done.state).toBe(7);
    expect(done.error).toMatch(/stays\.txt.*folder/);
    expect(memory.fileAt('/stays.txt')!.toString()).toBe('stays');
  });

  it('moves within Local through the driver (no task), and refuses a folder into itself', async () => {
    mkdirSync(path.join(localRoot, 'here'), { recursive: true });
    await client.names('/local', { refresh: true });
    await putFile(client, '/local/here/m.txt', Buffer.from('m'));
    const answer = await client.post('/api/fs/move', { src_dir: '/local/here', dst_dir: '/local/sub', names: ['m.txt'] });
    expect(answer).toMatchObject({ code: 200, data: { tasks: [] } });
    expect(onDisk('sub')).toContain('m.txt');
    expect(onDisk('here')).toEqual([]);
    expect((await client.post('/api/fs/copy', { src_dir: '/local', dst_dir: '/local/here', names: ['here'] })).code).toBe(400);
    expect((await client.post('/api/fs/copy', { src_dir: '/local', dst_dir: '/readonly', names: ['sub'] })).code).toBe(405);
  });

  it('retries a failed task once its cause is gone, skipping nothing it has not done', async () => {
    const failed = (await client.get<TaskInfo[]>('/api/task/copy/done')).data.find((task) => task.state === 7)!;
    rmSync(path.join(localRoot, 'dst', 'stays.txt'), { recursive: true });
    await client.names('/local/dst', { refresh: true });
    expect((await client.post(`/api/task/copy/retry?tid=${failed.id}`)).code).toBe(200);
    expect(await waitForTask('copy', failed.id)).toMatchObject({ state: 2, error: '' });
    expect(readFileSync(path.join(localRoot, 'dst', 'stays.txt'), 'utf8')).toBe('stays');
    expect(memory.fileAt('/stays.txt')).toBeUndefined();
  });

  it('cancels a running upload task: nothing is stored', async () => {
    memory.putDelayMs = 50;
    try {
      const answer = await putFile(client, '/memory/slow.bin', bytes(400_000), { 'as-task': 'true' });
      const id = (answer.data.task as TaskInfo).id;
      for (let i = 0; i < 200 && (await client.post<TaskInfo>(`/api/task/upload/info?tid=${id}`)).data.state !== 1; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect((await client.get<TaskInfo[]>('/api/task/upload/undone')).data.map((task) => task.id)).toContain(id);
      expect((await client.post(`/api/task/upload/cancel?tid=${id}`)).code).toBe(200);
      expect(await waitForTask('upload', id)).toMatchObject({ state: 4 });
      expect(memory.fileAt('/slow.bin')).toBeUndefined();
      expect(readdirSync(path.join(dataDir, 'temp', 'uploads'))).toEqual([]);
    } finally {
      memory.putDelayMs = 0;
    }
  });

  it('copies within a storage through its driver\'s own copy when it has one: no task, no bytes through the host', async () => {
    const created = await client.post('/api/admin/storage/create', { mount_path: '/native', driver: 'MemoryFiles', addition: JSON.stringify({ store: 'fs-write', native_copy: true }) });
    expect(created.code).toBe(200);
    const puts = memory.puts.length;
    const answer = await client.post('/api/fs/copy', { src_dir: '/native', dst_dir: '/native/Trip', names: ['later.bin'] });
    expect(answer).toMatchObject({ code: 200, data: { tasks: [] } });
    expect(memory.copies).toEqual(['later.bin']);
    expect(memory.puts.length).toBe(puts);
    expect(await client.names('/native/Trip')).toContain('later.bin');
    await client.post(`/api/admin/storage/delete?id=${created.data.id}`);
  });

  it('copies from a storage that withholds sizes and needs headers on its links, learning the size as it goes', async () => {
    const answer = await client.post<{ tasks: TaskInfo[] }>('/api/fs/copy', { src_dir: '/readonly', dst_dir: '/memory', names: ['a.txt'] });
    expect(await waitForTask('copy', answer.data.tasks[0]!.id)).toMatchObject({ state: 2, total_bytes: 3, progress: 100 });
    expect(memory.fileAt('/a.txt')!.toString()).toBe('aaa');
  });

  it('lists, clears and deletes tasks in AList shapes', async () => {
    const done = (await client.get<TaskInfo[]>('/api/task/copy/done')).data;
    expect(done.length).toBeGreaterThan(0);
    expect(done.every((task) => typeof task.start_time === 'string' && typeof task.end_time === 'string')).toBe(true);
    expect((await client.get<TaskInfo[]>('/api/task/copy/undone')).data).toEqual([]);
    expect(await client.post('/api/task/copy/info?tid=nope')).toMatchObject({ code: 404, message: 'task not found' });
    const first = done[0]!;
    expect((await client.post(`/api/task/copy/delete?tid=${first.id}`)).code).toBe(200);
    expect((await client.post(`/api/task/copy/info?tid=${first.id}`)).code).toBe(404);
    expect((await client.post('/api/task/copy/clear_succeeded')).code).toBe(200);
    expect((await client.get<TaskInfo[]>('/api/task/copy/done')).data).toEqual([]);
    expect((await client.get('/api/task/copy/done', '')).code).toBe(401);
  });
});

describe('after a restart', () => {
  it('an upload task the server stopped in goes on, from its spooled body, at the next start', async () => {
    memory.putDelayMs = 30;
    const body = bytes(300_000, 17);
    let id: string;
    try {
      id = ((await putFile(client, '/memory/resumed.bin', body, { 'as-task': 'true' })).data.task as TaskInfo).id;
      for (let i = 0; i < 200 && (await client.post<TaskInfo>(`/api/task/upload/info?tid=${id}`)).data.state !== 1; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await host.close();
    } finally {
      memory.putDelayMs = 0;
    }
    expect(memory.fileAt('/resumed.bin')).toBeUndefined();
    host = await createTestHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false, maxUploadBytes: LIMIT });
    client = new HostClient(host.url);
    await client.login('admin', ADMIN_PASSWORD);
    expect(await waitForTask('upload', id!)).toMatchObject({ state: 2, total_bytes: body.length });
    expect(memory.fileAt('/resumed.bin')!.equals(body)).toBe(true);
    expect(memory.puts.filter((name) => name === 'resumed.bin')).toHaveLength(1);
    expect(readdirSync(path.join(dataDir, 'temp', 'uploads'))).toEqual([]);
  });
});
