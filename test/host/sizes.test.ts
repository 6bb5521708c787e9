/** Real file sizes for Google Photos items: learnt by HEAD in the background, from downloads, kept in the database. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createHost } from '../../src/host/index.js';
import { expectNoSecrets } from './support/secrets-scan.js';
import { ADMIN_PASSWORD, FAST_DRIVER_OPTIONS, startHostWithEmulator, type HostSetup } from './support/host-setup.js';
import { HostClient } from './support/host-client.js';

/** Few HEADs at once, so that a pause shows in the counts. */
const CONCURRENCY = 2;
const POLL_LIMIT_MS = 15_000;

interface Listed { name: string; size: number; is_dir: boolean; size_unknown?: boolean }

let setup: HostSetup;
const logLines: string[] = [];
const logStream = new Writable({ write(chunk, _encoding, done) { logLines.push(String(chunk)); done(); } });

beforeAll(async () => {
  setup = await startHostWithEmulator({ items: 12, albums: 2 }, { sizeProbing: { concurrency: CONCURRENCY }, logger: true, logStream });
});

afterAll(async () => {
  await setup?.close();
});

const headCount = () => setup.emulator.requestCounts()['HEAD /media'] ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function addStorage(mountPath: string): Promise<{ id: number; all: string }> {
  const id = await setup.addGooglePhotos(mountPath);
  expect((await setup.settled(id)).status).toBe('work');
  const all = (await setup.client.names(mountPath)).find((name) => /^all/i.test(name))!;
  return { id, all: `${mountPath}/${all}` };
}

async function list(folder: string): Promise<Listed[]> {
  const answer = await setup.client.post<{ content: Listed[] }>('/api/fs/list', { path: folder });
  expect({ code: answer.code, message: answer.message }).toEqual({ code: 200, message: 'success' });
  return answer.data.content.filter((item) => !item.is_dir);
}

/** Lists the folder until every file shows a size (bounded); returns the last listing. */
async function listUntilSized(folder: string): Promise<Listed[]> {
  const until = Date.now() + POLL_LIMIT_MS;
  for (;;) {
    const files = await list(folder);
    if (files.every((file) => !file.size_unknown) || Date.now() > until) return files;
    await sleep(100);
  }
}

/** The bytes of a file downloaded through the server (/p/, as the signed-in admin: no fs/get before it). */
async function download(filePath: string, range?: string): Promise<{ status: number; bytes: number }> {
  const encoded = filePath.split('/').map(encodeURIComponent).join('/');
  const response = await fetch(`${setup.host.url}/p${encoded}`, { headers: { authorization: setup.client.token, ...(range ? { range } : {}) } });
  return { status: response.status, bytes: (await response.arrayBuffer()).byteLength };
}

it('a listing answers at once; the background prober fills in every size with one HEAD per file at most', async () => {
  const { all } = await addStorage('/probed');
  setup.emulator.resetCounts();
  const first = await list(all);
  expect(first.length).toBeGreaterThan(5);
  const sized = await listUntilSized(all);
  expect(sized.every((file) => file.size > 0)).toBe(true);
  // The sizes are the files' real ones.
  const sample = sized[0]!;
  expect((await download(`${all}/${sample.name}`)).bytes).toBe(sample.size);
  const heads = headCount();
  expect(heads).toBeLessThanOrEqual(sized.length);
  // Listing again, and the albums holding the same items, asks for no size again.
  await list(all);
  const albumsFolder = (await setup.client.names('/probed')).find((name) => /^albums/i.test(name))!;
  for (const album of await setup.client.names(`/probed/${albumsFolder}`)) await listUntilSized(`/probed/${albumsFolder}/${album}`);
  await list(all);
  await sleep(300);
  expect(headCount()).toBe(heads);
});

it('fs/get reports the real size of a file listed without one', async () => {
  const { all } = await addStorage('/got');
  const [file] = await setup.client.names(all);
  const answer = await setup.client.post('/api/fs/get', { path: `${all}/${file}` });
  expect(answer.data.size).toBeGreaterThan(0);
  expect((await download(`${all}/${file}`)).bytes).toBe(answer.data.size);
  expect((await listUntilSized(all)).every((item) => item.size > 0)).toBe(true); // let the listing's probing end
});

it('a proxied download teaches the size (whole, or by Range): the prober never asks for those files', async () => {
  const { all } = await addStorage('/downloaded');
  // Downloads reach the files by path (their folder is read, but not through fs/list): no probing yet.
  const snapshotNames = setup.emulator.snapshot().mediaItems.filter((item) => item.clientId).map((item) => item.filename);
  const [whole, ranged] = [snapshotNames[0]!, snapshotNames[1]!];
  setup.emulator.resetCounts();
  const full = await download(`${all}/${whole}`);
  expect(full.status).toBe(200);
  const part = await download(`${all}/${ranged}`, 'bytes=0-9');
  expect(part.status).toBe(206);
  const files = await listUntilSized(all);
  expect(files.find((file) => file.name === whole)?.size).toBe(full.bytes);
  expect(files.find((file) => file.name === ranged)?.size).toBe((await download(`${all}/${ranged}`)).bytes);
  expect(files.every((file) => file.size > 0)).toBe(true);
  expect(headCount()).toBeLessThanOrEqual(files.length - 2);
});

it('learning a fresh folder\'s sizes (what a first PROPFIND does) knows every size when it answers', async () => {
  const { all } = await addStorage('/propfind');
  setup.emulator.resetCounts();
  const { objs, sizes } = await setup.host.learnFolderSizes(all);
  const files = objs.filter((obj) => !obj.isDir);
  expect(files.length).toBeGreaterThan(5);
  expect(sizes.size).toBe(files.length);
  expect(headCount()).toBeLessThanOrEqual(files.length);
  const listed = await list(all);
  expect(listed.map((file) => file.size)).toEqual(files.map((file) => sizes.get(file.id)));
  await sleep(300);
  expect(headCount()).toBeLessThanOrEqual(files.length);
});

it('on 429 with Retry-After the prober pauses, then resumes and learns every size', async () => {
  const { all } = await addStorage('/limited');
  setup.emulator.resetCounts();
  setup.emulator.setMediaFaults({ failRate: 1, failCodes: [429], retryAfterSec: 2 });
  try {
    const files = await list(all);
    // Not known yet: AList's 0 (its frontend shows "-", as for a folder; -1 showed "-1B"), flagged for this host's UI.
    expect(files.map((file) => [file.size, file.size_unknown])).toEqual(files.map(() => [0, true]));
    const until = Date.now() + POLL_LIMIT_MS;
    while (headCount() < CONCURRENCY && Date.now() < until) await sleep(20);
    await sleep(500);
    // Paused: only the first requests were made, not one (or five retries) per file.
    expect(headCount()).toBeLessThanOrEqual(CONCURRENCY);
  } finally {
    setup.emulator.setMediaFaults({ failRate: 0 });
  }
  const sized = await listUntilSized(all);
  expect(sized.every((file) => file.size > 0)).toBe(true);
  expect(headCount()).toBeLessThanOrEqual(sized.length + CONCURRENCY);
});

it('removing a storage stops its probing and deletes its sizes', async () => {
  const { id, all } = await addStorage('/removed');
  setup.emulator.setMediaFaults({ latencyMs: 200 });
  try {
    setup.emulator.resetCounts();
    await list(all);
    while (headCount() === 0) await sleep(20);
    expect((await setup.client.post(`/api/admin/storage/delete?id=${id}`)).code).toBe(200);
    await sleep(300);
    const afterRemoval = headCount();
    await sleep(800);
    expect(headCount()).toBe(afterRemoval);
    expect(afterRemoval).toBeLessThan(10);
  } finally {
    setup.emulator.setMediaFaults({ latencyMs: 0 });
  }
  const db = new Database(path.join(setup.dataDir, 'data.db'), { readonly: true });
  try {
    expect(db.prepare('SELECT COUNT(*) AS n FROM item_sizes WHERE storage_id = ?').get(id)).toEqual({ n: 0 });
  } finally {
    db.close();
  }
});

it('disabling a storage stops its probing', async () => {
  const { id, all } = await addStorage('/disabled');
  setup.emulator.setMediaFaults({ latencyMs: 200 });
  try {
    setup.emulator.resetCounts();
    const files = await list(all);
    while (headCount() === 0) await sleep(20);
    expect((await setup.client.post(`/api/admin/storage/disable?id=${id}`)).code).toBe(200);
    await sleep(300);
    const afterDisabling = headCount();
    await sleep(800);
    expect(headCount()).toBe(afterDisabling);
    expect(afterDisabling).toBeLessThan(files.length);
  } finally {
    setup.emulator.setMediaFaults({ latencyMs: 0 });
  }
});

it('learnt sizes survive a restart of the server: no HEAD is needed again', async () => {
  const { all } = await addStorage('/kept');
  const before = await listUntilSized(all);
  expect(before.every((file) => file.size > 0)).toBe(true);
  await setup.host.close();
  setup.host = await createHost({ dataDir: setup.dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false, driverOptions: FAST_DRIVER_OPTIONS });
  const client = new HostClient(setup.host.url);
  await client.login('admin', ADMIN_PASSWORD);
  client.seenBodies.push(...setup.client.seenBodies);
  setup.client = client;
  setup.emulator.resetCounts();
  const after = await list(all);
  expect(after.map((file) => [file.name, file.size])).toEqual(before.map((file) => [file.name, file.size]));
  await setup.client.post('/api/fs/get', { path: `${all}/${after[0]!.name}` });
  await list(all);
  await sleep(300);
  expect(headCount()).toBe(0);
});

afterAll(() => { if (process.env.DEBUG_LOG) console.log(logLines.filter((l) => l.includes('"level":50')).slice(0, 2).join('\n')); });

it('no secret appears in any answer or in the request log', () => {
  expectNoSecrets([...setup.client.seenBodies, ...logLines], setup.secrets);
});
