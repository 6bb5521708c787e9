/**
 * Tasks under claims, two host processes (the built dist/, as children) on ONE data folder sharing a private Redis:
 * a copy started on A, A SIGKILLed mid-copy, is taken over by B (alive all along) and finished there, every file
 * whole and none written twice; a copy running on A is not run a second time by B when B restarts meanwhile; and
 * a copy running on A stops when it is cancelled through B; an upload still arriving on A survives B's restart.
 * Needs Debian's redis-server (see support/redis-server.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HostClient } from '../host/support/host-client.js';
import { makeDataDir } from '../host/support/host-setup.js';
import { buildDist, spawnServe } from '../host/support/serve-process.js';
import { scaleSuiteRuns, startRedis, type RedisServer } from './support/redis-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PASSWORD = 'scale-takeover-password-8W';
/** Source folders: `photos` for the takeover and the cancel, `many` (more, smaller files: a longer copy) for the restart. */
interface SourceFolder { name: string; files: number; fileBytes: number }
const PHOTOS: SourceFolder = { name: 'photos', files: 1500, fileBytes: 32 * 1024 };
const MANY: SourceFolder = { name: 'many', files: 4000, fileBytes: 4 * 1024 };
/** Short claims, so a dead process's task is taken over within seconds (the default is 15 s). */
const CLAIM_TTL_MS = 3000;
/** Expiry of the dead process's claim, B's next sweep, and the rest of the copy, on a busy machine. */
const TAKEOVER_LIMIT_MS = 150_000;
const SUCCEEDED = 2;
const CANCELED = 4;
const DONE_STATES = [2, 4, 7];

interface TaskInfo { id: string; state: number; progress: number; total_bytes: number; error: string }

let redis: RedisServer | undefined;
let dataDir: string;
const children: ChildProcess[] = [];

function fileBytes(index: number, size = PHOTOS.fileBytes): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) bytes.writeUInt32LE((i * 2654435761 + index) >>> 0, i);
  return bytes;
}

const fileName = (index: number) => `IMG_${String(index).padStart(4, '0')}.jpg`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startProcess(): Promise<{ child: ChildProcess; client: HostClient }> {
  const serve = spawnServe(ROOT, dataDir, PASSWORD, ['--redis-url', redis!.url], { env: { TASK_CLAIM_TTL_MS: String(CLAIM_TTL_MS) } });
  children.push(serve.child);
  const client = new HostClient(await serve.url);
  await client.login('admin', PASSWORD);
  return { child: serve.child, client };
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** The files in a local target folder (temp files of puts in flight start with a dot). */
function arrived(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder).filter((name) => !name.startsWith('.')) : [];
}

async function taskInfo(client: HostClient, id: string): Promise<TaskInfo> {
  return (await client.post<TaskInfo>(`/api/task/copy/info?tid=${id}`)).data;
}

async function finished(client: HostClient, id: string): Promise<TaskInfo> {
  const deadline = Date.now() + TAKEOVER_LIMIT_MS;
  for (;;) {
    const info = await taskInfo(client, id);
    if (DONE_STATES.includes(info.state)) return info;
    if (Date.now() > deadline) throw new Error(`the copy did not finish within ${TAKEOVER_LIMIT_MS} ms: ${JSON.stringify(info)}`);
    await sleep(100);
  }
}

async function startCopy(client: HostClient, source: SourceFolder, dstDir: string): Promise<string> {
  const answer = await client.post<{ tasks: TaskInfo[] }>('/api/fs/copy', { src_dir: '/src', dst_dir: dstDir, names: [source.name] });
  expect(answer.code).toBe(200);
  return answer.data.tasks[0]!.id;
}

/** Records each file's inode when first seen; a file written again (a put replaces it) changes its inode. */
function watchInodes(folder: string): { stop(): Promise<Map<string, number[]>> } {
  const seen = new Map<string, number[]>();
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const name of arrived(folder)) {
        try {
          const inode = statSync(path.join(folder, name)).ino;
          const inodes = seen.get(name) ?? [];
          if (inodes.at(-1) !== inode) seen.set(name, [...inodes, inode]);
        } catch {
          // Renamed away between the listing and the stat: seen on the next round.
        }
      }
      await sleep(10);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return seen;
    },
  };
}

/**
 * An As-Task upload of `body` whose first half is sent at once and the rest when `finish` is called (a raw socket,
 * so the request really waits); `finish` resolves with the answer's body.
 */
function slowUpload(baseUrl: string, token: string, filePath: string, body: Buffer): { finish(): Promise<string> } {
  const url = new URL(baseUrl);
  const socket = connect(Number(url.port), url.hostname);
  let answer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => { answer += chunk; });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write([
    'PUT /api/fs/put HTTP/1.1', `Host: ${url.host}`, `Authorization: ${token}`, `File-Path: ${encodeURIComponent(filePath)}`, 'As-Task: true',
    `Content-Length: ${body.length}`, 'Content-Type: application/octet-stream', 'Connection: close', '', '',
  ].join('\r\n'));
  socket.write(body.subarray(0, body.length / 2));
  return {
    async finish() {
      // Not ended: the server drops a connection its client half-closes; it closes this one once it answered.
      socket.write(body.subarray(body.length / 2));
      await closed;
      return answer.slice(answer.indexOf('\r\n\r\n') + 4);
    },
  };
}

function expectWholeFiles(source: SourceFolder, folder: string): void {
  expect(arrived(folder).sort()).toEqual(Array.from({ length: source.files }, (_, i) => fileName(i)));
  for (let i = 0; i < source.files; i++) expect(readFileSync(path.join(folder, fileName(i))).equals(fileBytes(i, source.fileBytes))).toBe(true);
}

(scaleSuiteRuns() ? describe : describe.skip)('tasks on two host processes sharing Redis', () => {
  let a: { child: ChildProcess; client: HostClient };
  let b: { child: ChildProcess; client: HostClient };

  beforeAll(async () => {
    redis = await startRedis();
    await buildDist(ROOT, 'dist/host/tasks/task-manager.js');
    dataDir = makeDataDir();
    for (const source of [PHOTOS, MANY]) {
      mkdirSync(path.join(dataDir, 'src', source.name), { recursive: true });
      for (let i = 0; i < source.files; i++) writeFileSync(path.join(dataDir, 'src', source.name, fileName(i)), fileBytes(i, source.fileBytes));
    }
    for (const folder of ['dst1', 'dst2', 'dst3', 'up']) mkdirSync(path.join(dataDir, folder));
    // One after the other: the first one creates the database and the admin user.
    a = await startProcess();
    b = await startProcess();
    for (const folder of ['src', 'dst1', 'dst2', 'dst3', 'up']) {
      const created = await a.client.post('/api/admin/storage/create', {
        mount_path: `/${folder}`, driver: 'Local', addition: JSON.stringify({ root_folder_path: path.join(dataDir, folder) }),
      });
      expect(created.code).toBe(200);
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all(children.map((child) => stop(child, 'SIGKILL')));
    await redis?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes on B a copy whose process A was killed mid-way: every file whole, none written twice', async () => {
    const target = path.join(dataDir, 'dst1', PHOTOS.name);
    const taskId = await startCopy(a.client, PHOTOS, '/dst1');
    for (let i = 0; i < 6000 && arrived(target).length < PHOTOS.files / 10; i++) await sleep(5);
    await stop(a.child, 'SIGKILL');
    const killedAt = Date.now();
    const atKill = arrived(target);
    expect(atKill.length).toBeGreaterThanOrEqual(PHOTOS.files / 10);
    expect(atKill.length).toBeLessThan(PHOTOS.files);
    const inodesAtKill = new Map(atKill.map((name) => [name, statSync(path.join(target, name)).ino]));

    let info: TaskInfo;
    try {
      info = await finished(b.client, taskId);
    } finally {
      a = await startProcess(); // for the next test
    }
    console.log(`taken over and finished ${Date.now() - killedAt} ms after the kill`);
    expect(info).toMatchObject({ state: SUCCEEDED, progress: 100, total_bytes: PHOTOS.files * PHOTOS.fileBytes, error: '' });
    const done = (await b.client.get<TaskInfo[]>('/api/task/copy/done')).data;
    expect(done.filter((task) => task.id === taskId).map((task) => task.state)).toEqual([SUCCEEDED]);
    expectWholeFiles(PHOTOS, target);
    for (const [name, inode] of inodesAtKill) expect(statSync(path.join(target, name)).ino).toBe(inode);
    expect((await b.client.names('/dst1/photos')).length).toBe(PHOTOS.files);
  }, 240_000);

  it('does not run a copy twice when B restarts while A runs it', async () => {
    const target = path.join(dataDir, 'dst2', MANY.name);
    const watcher = watchInodes(target);
    let info: TaskInfo;
    let inodes: Map<string, number[]>;
    try {
      const taskId = await startCopy(a.client, MANY, '/dst2');
      for (let i = 0; i < 6000 && arrived(target).length === 0; i++) await sleep(5);
      const restartedAt = Date.now();
      await stop(b.child, 'SIGTERM');
      b = await startProcess();
      // B swept once as it started; two more sweeps (every ttl/2), while A still copies.
      await sleep(CLAIM_TTL_MS);
      const meanwhile = await taskInfo(b.client, taskId);
      expect(DONE_STATES).not.toContain(meanwhile.state); // else this test proves nothing: make the copy longer
      info = await finished(a.client, taskId);
      console.log(`the copy went on ${Date.now() - restartedAt} ms after B's restart began`);
      expect((await taskInfo(b.client, taskId)).state).toBe(SUCCEEDED);
    } finally {
      inodes = await watcher.stop();
    }
    expect(info).toMatchObject({ state: SUCCEEDED, progress: 100, total_bytes: MANY.files * MANY.fileBytes, error: '' });
    expectWholeFiles(MANY, target);
    const writtenTwice = [...inodes].filter(([, seen]) => seen.length > 1).map(([name]) => name);
    expect(writtenTwice).toEqual([]);
  }, 240_000);

  it('stops on A a copy cancelled through B', async () => {
    const target = path.join(dataDir, 'dst3', PHOTOS.name);
    const taskId = await startCopy(a.client, PHOTOS, '/dst3');
    for (let i = 0; i < 6000 && arrived(target).length < PHOTOS.files / 20; i++) await sleep(5);
    expect((await b.client.post(`/api/task/copy/cancel?tid=${taskId}`)).code).toBe(200);
    const info = await finished(a.client, taskId);
    expect(info.state).toBe(CANCELED);
    const atCancel = arrived(target).length;
    expect(atCancel).toBeLessThan(PHOTOS.files);
    await sleep(CLAIM_TTL_MS);
    expect(arrived(target).length).toBe(atCancel);
    for (const client of [a.client, b.client]) expect((await taskInfo(client, taskId)).state).toBe(CANCELED);
  }, 240_000);

  it('stores an upload whose body was still arriving on A while B restarted', async () => {
    const body = fileBytes(PHOTOS.files);
    const upload = slowUpload(a.client.baseUrl, a.client.token, '/up/slow.jpg', body);
    await sleep(500); // the first half is spooled on A
    await stop(b.child, 'SIGTERM');
    b = await startProcess();
    const answer = JSON.parse(await upload.finish()) as { code: number; data: { task: TaskInfo } };
    expect(answer.code).toBe(200);
    const deadline = Date.now() + TAKEOVER_LIMIT_MS;
    let info: TaskInfo;
    for (;;) {
      info = (await a.client.post<TaskInfo>(`/api/task/upload/info?tid=${answer.data.task.id}`)).data;
      if (DONE_STATES.includes(info.state) || Date.now() > deadline) break;
      await sleep(100);
    }
    expect(info).toMatchObject({ state: SUCCEEDED, error: '' });
    expect(readFileSync(path.join(dataDir, 'up', 'slow.jpg')).equals(body)).toBe(true);
  }, 240_000);
});
