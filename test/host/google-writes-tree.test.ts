/**
 * Folders, renames, removals, copies and moves on a Google Photos storage through the real host, on the emulator:
 * what Google's API allows happens (seen at the emulator and in the listings), the rest is refused with a message
 * and a hint and changes nothing. Copies run both ways between Local storages and albums, with identical bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ALL, UPLOADS, albumOf, itemsNamed, jpegBytes, proxiedBytes, startGoogleWrites, waitForTask, type GoogleWritesSetup, type TaskInfo,
  withGuestAccess,
} from './support/google-writes-setup.js';
import { expectNoSecrets } from './support/secrets-scan.js';
import { putFile } from './support/upload-client.js';

let setup: GoogleWritesSetup;
const beach = jpegBytes(111);

beforeAll(async () => {
  setup = await startGoogleWrites();
  const { client } = setup;
  for (const album of ['Source', 'Target']) expect((await client.post('/api/fs/mkdir', { path: `/photos/Albums/${album}` })).code).toBe(200);
  expect((await putFile(client, '/photos/Albums/Source/beach.jpg', beach)).code).toBe(200);
}, 60_000);

afterAll(async () => {
  await setup?.close();
});

describe('mkdir', () => {
  it('makes an album inside Albums, listed at once', async () => {
    expect(await setup.client.names('/photos/Albums')).not.toContain('Made here');
    expect((await setup.client.post('/api/fs/mkdir', { path: '/photos/Albums/Made here' })).code).toBe(200);
    expect(albumOf(setup, 'Made here').mediaItemIds).toEqual([]);
    expect(await setup.client.names('/photos/Albums')).toContain('Made here');
  });

  it.each([
    ['at the top of the storage', '/photos/Holidays'],
    ['in All media', `/photos/${ALL}/Holidays`],
    ['inside an album', '/photos/Albums/Source/Holidays'],
  ])('refuses a folder %s with a hint, making nothing', async (_where, folder) => {
    const before = setup.emulator.snapshot();
    const answer = await setup.client.post('/api/fs/mkdir', { path: folder });
    expect(answer.error).toEqual({ code: 'UNSUPPORTED', message: expect.stringMatching(/no folders/), hint: expect.stringMatching(/inside Albums/) });
    expect(setup.emulator.snapshot()).toEqual(before);
  });
});

describe('rename', () => {
  it('renames an album: its title changes at Google and in the listing', async () => {
    expect((await setup.client.post('/api/fs/mkdir', { path: '/photos/Albums/Old title' })).code).toBe(200);
    const { id } = albumOf(setup, 'Old title');
    expect((await setup.client.post('/api/fs/rename', { path: '/photos/Albums/Old title', name: 'New title' })).code).toBe(200);
    expect(setup.emulator.snapshot().albums.find((album) => album.id === id)!.title).toBe('New title');
    const names = await setup.client.names('/photos/Albums');
    expect(names).toContain('New title');
    expect(names).not.toContain('Old title');
  });

  it('refuses to rename a media item, with a message and a hint, changing nothing', async () => {
    const before = setup.emulator.snapshot();
    const answer = await setup.client.post('/api/fs/rename', { path: '/photos/Albums/Source/beach.jpg', name: 'sea.jpg' });
    expect(answer.error).toEqual({ code: 'UNSUPPORTED', message: expect.stringMatching(/cannot rename media items/), hint: expect.stringMatching(/Rename it in Google Photos/) });
    expect(setup.emulator.snapshot()).toEqual(before);
    expect(await setup.client.names('/photos/Albums/Source')).toEqual(['beach.jpg']);
  });
});

describe('remove', () => {
  it('takes an item out of an album; it stays in All media', async () => {
    const body = jpegBytes(77);
    expect((await putFile(setup.client, '/photos/Albums/Source/leaving.jpg', body)).code).toBe(200);
    expect(await setup.client.names('/photos/Albums/Source')).toContain('leaving.jpg');
    expect((await setup.client.post('/api/fs/remove', { dir: '/photos/Albums/Source', names: ['leaving.jpg'] })).code).toBe(200);
    expect(itemsNamed(setup, 'leaving.jpg')).toEqual([expect.objectContaining({ albumIds: [] })]);
    expect(await setup.client.names('/photos/Albums/Source')).not.toContain('leaving.jpg');
    expect(await setup.client.names(`/photos/${ALL}`)).toContain('leaving.jpg');
    expect((await proxiedBytes(setup, 'photos', ALL, 'leaving.jpg')).equals(body)).toBe(true);
  });

  it('refuses to delete from All media: Google\'s API cannot; the hint says to delete it in Google Photos', async () => {
    const before = setup.emulator.snapshot();
    const answer = await setup.client.post('/api/fs/remove', { dir: `/photos/${ALL}`, names: ['beach.jpg'] });
    expect(answer.error).toEqual({
      code: 'UNSUPPORTED', message: expect.stringMatching(/Google Photos' API cannot delete media items/), hint: expect.stringMatching(/Delete it in Google Photos/),
    });
    expect(answer.message).toBe(answer.error!.message);
    expect(setup.emulator.snapshot()).toEqual(before);
    expect(await setup.client.names(`/photos/${ALL}`)).toContain('beach.jpg');
  });
});

describe('copy and move', () => {
  const copy = (body: Record<string, unknown>, route = '/api/fs/copy') => setup.client.post<{ tasks: TaskInfo[] }>(route, body);

  async function allDone(tasks: TaskInfo[]): Promise<void> {
    for (const task of tasks) expect(await waitForTask(setup, 'copy', task.id)).toMatchObject({ state: 2, error: '' });
    const done = (await setup.client.get<TaskInfo[]>('/api/task/copy/done')).data.map((task) => task.id);
    for (const task of tasks) expect(done).toContain(task.id);
  }

  it('copies files of a Local folder into an album as a task, with identical bytes', async () => {
    const camera = path.join(setup.localRoot, 'camera');
    mkdirSync(camera, { recursive: true });
    const files = { 'one.jpg': jpegBytes(21), 'two.jpg': jpegBytes(42, 64, 48) };
    for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(camera, name), bytes);
    expect(await setup.client.names('/photos/Albums/Target')).toEqual([]);
    const answer = await copy({ src_dir: '/local/camera', dst_dir: '/photos/Albums/Target', names: Object.keys(files) });
    expect(answer.code).toBe(200);
    expect(answer.data.tasks).toHaveLength(2);
    await allDone(answer.data.tasks);
    const target = albumOf(setup, 'Target');
    for (const [name, bytes] of Object.entries(files)) {
      expect(itemsNamed(setup, name)).toEqual([expect.objectContaining({ albumIds: [target.id], bytes: bytes.length })]);
      expect((await proxiedBytes(setup, 'photos', 'Albums', 'Target', name)).equals(bytes)).toBe(true);
    }
    expect((await setup.client.names('/photos/Albums/Target')).sort()).toEqual(['one.jpg', 'two.jpg']);
  });

  it('copies an album\'s items into a Local folder with identical bytes', async () => {
    expect((await setup.client.post('/api/fs/mkdir', { path: '/local/back' })).code).toBe(200);
    const answer = await copy({ src_dir: '/photos/Albums/Source', dst_dir: '/local/back', names: ['beach.jpg'] });
    expect(answer.data.tasks).toHaveLength(1);
    await allDone(answer.data.tasks);
    expect(readFileSync(path.join(setup.localRoot, 'back', 'beach.jpg')).equals(beach)).toBe(true);
  });

  it('copies kept copies (the Local storage at /kept) into an album', async () => {
    const kept = jpegBytes(5, 50, 20);
    mkdirSync(path.join(setup.keptRoot, 'photos', 'session 1'), { recursive: true });
    writeFileSync(path.join(setup.keptRoot, 'photos', 'session 1', 'kept.jpg'), kept);
    const answer = await copy({ src_dir: '/kept/photos/session 1', dst_dir: '/photos/Albums/Target', names: ['kept.jpg'] });
    await allDone(answer.data.tasks);
    expect(itemsNamed(setup, 'kept.jpg')).toEqual([expect.objectContaining({ albumIds: [albumOf(setup, 'Target').id] })]);
    expect((await proxiedBytes(setup, 'photos', 'Albums', 'Target', 'kept.jpg')).equals(kept)).toBe(true);
  });

  it('copies an item from one album to another by the driver\'s own copy: no task, no bytes uploaded', async () => {
    expect(await setup.client.names('/photos/Albums/Target')).not.toContain('beach.jpg');
    const before = itemsNamed(setup, 'beach.jpg');
    setup.emulator.resetCounts();
    const answer = await copy({ src_dir: '/photos/Albums/Source', dst_dir: '/photos/Albums/Target', names: ['beach.jpg'] });
    expect(answer).toMatchObject({ code: 200, data: { tasks: [] } });
    expect(setup.emulator.requestCounts()[UPLOADS]).toBeUndefined();
    expect(itemsNamed(setup, 'beach.jpg')).toEqual([expect.objectContaining({ id: before[0]!.id, albumIds: expect.arrayContaining([albumOf(setup, 'Source').id, albumOf(setup, 'Target').id]) })]);
    expect(await setup.client.names('/photos/Albums/Target')).toContain('beach.jpg');
    expect(await setup.client.names('/photos/Albums/Source')).toContain('beach.jpg');
    expect((await proxiedBytes(setup, 'photos', 'Albums', 'Target', 'beach.jpg')).equals(beach)).toBe(true);
  });

  it('moves an item from one album to another: in the target, gone from the source, still the same item', async () => {
    const body = jpegBytes(150);
    expect((await putFile(setup.client, '/photos/Albums/Source/moving.jpg', body)).code).toBe(200);
    const [item] = itemsNamed(setup, 'moving.jpg');
    setup.emulator.resetCounts();
    const answer = await copy({ src_dir: '/photos/Albums/Source', dst_dir: '/photos/Albums/Made here', names: ['moving.jpg'] }, '/api/fs/move');
    expect(answer).toMatchObject({ code: 200, data: { tasks: [] } });
    expect(setup.emulator.requestCounts()[UPLOADS]).toBeUndefined();
    expect(itemsNamed(setup, 'moving.jpg')).toEqual([expect.objectContaining({ id: item!.id, albumIds: [albumOf(setup, 'Made here').id] })]);
    expect(await setup.client.names('/photos/Albums/Source')).not.toContain('moving.jpg');
    expect(await setup.client.names('/photos/Albums/Made here')).toContain('moving.jpg');
  });

  it('copies a picked item into an album by streaming its bytes (an upload), as a task', async () => {
    const { client, emulator } = setup;
    const storages = (await client.get<{ content: Array<{ id: number; mount_path: string }> }>('/api/admin/storage/list')).data.content;
    const storageId = storages.find((storage) => storage.mount_path === '/photos')!.id;
    const session = await client.post<{ session_id: string }>('/api/admin/google/picker/create', { storage_id: storageId, label: 'Picks' });
    const picked = emulator.snapshot().mediaItems.find((item) => item.clientId === null && item.mimeType === 'image/jpeg')!;
    emulator.pick(session.data.session_id, [picked.id]);
    const folder = (await client.get<{ folder_path: string }>(`/api/admin/google/picker/get?storage_id=${storageId}&session_id=${session.data.session_id}`)).data.folder_path;
    const [name] = await client.names(folder);
    const original = await proxiedBytes(setup, ...folder.split('/').filter(Boolean), name!);

    const answer = await copy({ src_dir: folder, dst_dir: '/photos/Albums/Target', names: [name] });
    expect(answer.code).toBe(200);
    expect(answer.data.tasks).toHaveLength(1);
    await allDone(answer.data.tasks);
    expect(await client.names('/photos/Albums/Target')).toContain(name);
    expect((await proxiedBytes(setup, 'photos', 'Albums', 'Target', name!)).equals(original)).toBe(true);
  });

  it('copies a Local folder into Albums as a new album holding its files', async () => {
    const trip = path.join(setup.localRoot, 'Road trip');
    mkdirSync(trip, { recursive: true });
    const photo = jpegBytes(99, 30, 30);
    writeFileSync(path.join(trip, 'road.jpg'), photo);
    await setup.client.names('/local', { refresh: true }); // made behind the server's back
    const answer = await copy({ src_dir: '/local', dst_dir: '/photos/Albums', names: ['Road trip'] });
    await allDone(answer.data.tasks);
    expect(albumOf(setup, 'Road trip').mediaItemIds).toEqual(itemsNamed(setup, 'road.jpg').map((item) => item.id));
    expect((await proxiedBytes(setup, 'photos', 'Albums', 'Road trip', 'road.jpg')).equals(photo)).toBe(true);
  });

  it('copies a whole album into a Local folder', async () => {
    const answer = await copy({ src_dir: '/photos/Albums', dst_dir: '/local', names: ['Source'] });
    await allDone(answer.data.tasks);
    expect(readFileSync(path.join(setup.localRoot, 'Source', 'beach.jpg')).equals(beach)).toBe(true);
  });

  it('refuses a move out of All media and the removal of an album, with hints, changing nothing', async () => {
    const before = setup.emulator.snapshot();
    const moved = await copy({ src_dir: `/photos/${ALL}`, dst_dir: '/photos/Albums/Target', names: ['leaving.jpg'] }, '/api/fs/move');
    expect(moved.error).toEqual({ code: 'UNSUPPORTED', message: expect.stringMatching(/only from one album to another/), hint: expect.stringMatching(/Copy/) });
    const removed = await setup.client.post('/api/fs/remove', { dir: '/photos/Albums', names: ['Source'] });
    expect(removed.error).toEqual({ code: 'UNSUPPORTED', message: expect.stringMatching(/cannot delete albums/), hint: expect.stringMatching(/Delete the album in Google Photos/) });
    expect(setup.emulator.snapshot()).toEqual(before);
    expect(await setup.client.names('/photos/Albums')).toContain('Source');
  });

  it('refuses guests (403) and no login (401), changing nothing', async () => {
    const before = setup.emulator.snapshot();
    const attempts = [
      ['/api/fs/mkdir', { path: '/photos/Albums/Guest album' }],
      ['/api/fs/rename', { path: '/photos/Albums/Source', name: 'Guest' }],
      ['/api/fs/remove', { dir: '/photos/Albums/Source', names: ['beach.jpg'] }],
      ['/api/fs/copy', { src_dir: '/photos/Albums/Source', dst_dir: '/photos/Albums/Target', names: ['beach.jpg'] }],
      ['/api/fs/move', { src_dir: '/photos/Albums/Source', dst_dir: '/photos/Albums/Target', names: ['beach.jpg'] }],
    ] as const;
    for (const [route, body] of attempts) expect((await setup.client.post(route, body, '')).code).toBe(401);
    await withGuestAccess(setup, async () => {
      for (const [route, body] of attempts) expect((await setup.client.post(route, body, '')).code).toBe(403);
    });
    expect(setup.emulator.snapshot()).toEqual(before);
  });
});

describe('secrets', () => {
  it('never appear in any answer of this file', () => {
    expectNoSecrets(setup.client.seenBodies, setup.secrets);
  });
});
