/**
 * Uploads into Google Photos through the real host, on the emulator: PUT /api/fs/put and the form into an album and
 * All media, what is refused (and that the refusal leaves nothing at Google), the listings and downloads right after.
 * Folders, renames, removals, copies and moves: google-writes-tree.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ALL, UPLOADS, albumOf, itemsNamed, jpegBytes, proxiedBytes, redirectedBytes, startGoogleWrites, waitForTask, type GoogleWritesSetup, type TaskInfo,
  withGuestAccess,
} from './support/google-writes-setup.js';
import { expectNoSecrets } from './support/secrets-scan.js';
import { formFile, partialPut, putFile } from './support/upload-client.js';

let setup: GoogleWritesSetup;
const ALBUM = 'Uploads 2026';

beforeAll(async () => {
  setup = await startGoogleWrites();
  expect((await setup.client.post('/api/fs/mkdir', { path: `/photos/Albums/${ALBUM}` })).code).toBe(200);
}, 60_000);

afterAll(async () => {
  await setup?.close();
});

describe('PUT /api/fs/put into Google Photos', () => {
  it('stores a JPEG in an album: answered once stored, listed in the album and in All media at once, same bytes by /d/ and /p/', async () => {
    const { client } = setup;
    // Both listings are cached now; the upload must show in both all the same.
    expect(await client.names(`/photos/Albums/${ALBUM}`)).toEqual([]);
    expect(await client.names(`/photos/${ALL}`)).not.toContain('beach.jpg');

    const body = jpegBytes(120);
    const answer = await putFile(client, `/photos/Albums/${ALBUM}/beach.jpg`, body, { 'content-type': 'image/jpeg' });
    expect(answer).toEqual({ code: 200, message: 'success', data: null });
    const [item] = itemsNamed(setup, 'beach.jpg');
    expect(item).toMatchObject({ mimeType: 'image/jpeg', bytes: body.length, albumIds: [albumOf(setup, ALBUM).id] });

    expect(await client.names(`/photos/Albums/${ALBUM}`)).toEqual(['beach.jpg']);
    expect(await client.names(`/photos/${ALL}`)).toContain('beach.jpg');
    // The server streamed every byte itself: the size is known at once, with no HEAD to learn it.
    const listed = await client.post('/api/fs/list', { path: `/photos/Albums/${ALBUM}` });
    expect(listed.data.content.map((entry: { size: number }) => entry.size)).toEqual([body.length]);
    expect((await proxiedBytes(setup, 'photos', 'Albums', ALBUM, 'beach.jpg')).equals(body)).toBe(true);
    expect((await redirectedBytes(setup, 'photos', 'Albums', ALBUM, 'beach.jpg')).equals(body)).toBe(true);
    expect((await proxiedBytes(setup, 'photos', ALL, 'beach.jpg')).equals(body)).toBe(true);
  });

  it('stores an As-Task upload through its task, shown done with its size', async () => {
    const { client } = setup;
    const body = jpegBytes(60);
    const answer = await putFile(client, `/photos/Albums/${ALBUM}/later.jpg`, body, { 'as-task': 'true' });
    expect(answer.code).toBe(200);
    const task = answer.data.task as TaskInfo;
    expect(await waitForTask(setup, 'upload', task.id)).toMatchObject({ state: 2, total_bytes: body.length, error: '' });
    const done = (await client.get<TaskInfo[]>('/api/task/upload/done')).data.find((candidate) => candidate.id === task.id);
    expect(done).toMatchObject({ state: 2, total_bytes: body.length, progress: 100 });
    expect(itemsNamed(setup, 'later.jpg')[0]!.albumIds).toEqual([albumOf(setup, ALBUM).id]);
    expect(await client.names(`/photos/Albums/${ALBUM}`)).toContain('later.jpg');
    expect(await client.names(`/photos/${ALL}`)).toContain('later.jpg');
    expect((await proxiedBytes(setup, 'photos', 'Albums', ALBUM, 'later.jpg')).equals(body)).toBe(true);
  });

  it('refuses with Overwrite: false when the album holds that name (403 file exists); otherwise keeps both', async () => {
    const { client } = setup;
    const refused = await putFile(client, `/photos/Albums/${ALBUM}/beach.jpg`, jpegBytes(1), { overwrite: 'false' });
    expect(refused).toMatchObject({ code: 403, message: 'file exists', error: { code: 'EXISTS' } });
    const [first] = itemsNamed(setup, 'beach.jpg');
    expect(itemsNamed(setup, 'beach.jpg')).toHaveLength(1);
    const second = jpegBytes(2);
    expect((await putFile(client, `/photos/Albums/${ALBUM}/beach.jpg`, second)).code).toBe(200);
    const items = itemsNamed(setup, 'beach.jpg');
    expect(items).toHaveLength(2);
    const names = (await client.names(`/photos/Albums/${ALBUM}`)).filter((name) => name.startsWith('beach'));
    expect(names.sort()).toEqual(items.map((item) => `beach {${item.id}}.jpg`).sort());
    const newer = items.find((item) => item.id !== first!.id)!;
    expect((await proxiedBytes(setup, 'photos', 'Albums', ALBUM, `beach {${newer.id}}.jpg`)).equals(second)).toBe(true);
  });

  it('stores into All media: in the library, in no album', async () => {
    const body = jpegBytes(30);
    expect((await putFile(setup.client, `/photos/${ALL}/library.jpg`, body)).code).toBe(200);
    expect(itemsNamed(setup, 'library.jpg')).toEqual([expect.objectContaining({ albumIds: [], bytes: body.length })]);
    expect(await setup.client.names(`/photos/${ALL}`)).toContain('library.jpg');
    expect((await proxiedBytes(setup, 'photos', ALL, 'library.jpg')).equals(body)).toBe(true);
  });

  it.each([
    ['the storage\'s top folder', '/photos/top.jpg', /only in All media and in albums/],
    ['Albums itself', '/photos/Albums/loose.jpg', /only in All media and in albums/],
    ['Shared albums', '/photos/Shared albums/shared.jpg', /Shared albums/],
    ['Picked from Google Photos', '/photos/Picked from Google Photos/picked.jpg', /Picked from Google Photos/],
  ])('refuses an upload into %s with UNSUPPORTED, its message and hint, creating nothing', async (_where, filePath, message) => {
    const before = setup.emulator.snapshot();
    const answer = await putFile(setup.client, filePath, jpegBytes(10));
    expect(answer.code).not.toBe(200);
    expect(answer.message).toMatch(message);
    expect(answer.error).toEqual({ code: 'UNSUPPORTED', message: answer.message, hint: expect.stringMatching(/All media|album/) });
    expect(setup.emulator.snapshot()).toEqual(before);
  });

  it('refuses a text file with UNSUPPORTED and the accepted types, sending nothing to Google', async () => {
    const before = setup.emulator.snapshot();
    setup.emulator.resetCounts();
    const answer = await putFile(setup.client, `/photos/Albums/${ALBUM}/notes.txt`, Buffer.from('just some notes'), { 'content-type': 'text/plain' });
    expect(answer).toMatchObject({ error: { code: 'UNSUPPORTED' } });
    expect(answer.message).toMatch(/notes\.txt/);
    expect(answer.message).toMatch(/JPG/);
    expect(answer.message).toMatch(/MP4/);
    expect(setup.emulator.snapshot()).toEqual(before);
    expect(setup.emulator.requestCounts()[UPLOADS]).toBeUndefined();
  });

  it('creates nothing when the body is shorter than its Content-Length', async () => {
    const before = setup.emulator.snapshot();
    const body = jpegBytes(90, 200, 150);
    const answer = await partialPut(setup.host.url, setup.client.token, `/photos/Albums/${ALBUM}/short.jpg`, body.length + 5000, body, 'wait');
    expect(JSON.parse(answer)).toMatchObject({ code: 400, error: { code: 'INCOMPLETE_BODY' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(setup.emulator.snapshot()).toEqual(before);
    expect(await setup.client.names(`/photos/Albums/${ALBUM}`)).not.toContain('short.jpg');
  });
});


describe('the form upload into Google Photos', () => {
  it('streams the file field into an album', async () => {
    const body = jpegBytes(200);
    const answer = await formFile(setup.client, `/photos/Albums/${ALBUM}/form.jpg`, body);
    expect(answer.code).toBe(200);
    expect(itemsNamed(setup, 'form.jpg')).toEqual([expect.objectContaining({ albumIds: [albumOf(setup, ALBUM).id], bytes: body.length })]);
    expect(await setup.client.names(`/photos/Albums/${ALBUM}`)).toContain('form.jpg');
    expect((await proxiedBytes(setup, 'photos', 'Albums', ALBUM, 'form.jpg')).equals(body)).toBe(true);
  });
});

describe('who may upload', () => {
  it('answers 401 without a login and 403 to a guest, creating nothing', async () => {
    const before = setup.emulator.snapshot();
    const put = (token: string) => setup.client.request('/api/fs/put', {
      method: 'PUT', body: jpegBytes(5), token, headers: { 'file-path': encodeURIComponent(`/photos/Albums/${ALBUM}/guest.jpg`) },
    });
    expect(JSON.parse((await put('')).text).code).toBe(401);
    await withGuestAccess(setup, async () => {
      expect(JSON.parse((await put('')).text).code).toBe(403);
    });
    expect(setup.emulator.snapshot()).toEqual(before);
  });
});

describe('secrets', () => {
  it('never appear in any answer of this file', () => {
    expectNoSecrets(setup.client.seenBodies, setup.secrets);
  });
});
