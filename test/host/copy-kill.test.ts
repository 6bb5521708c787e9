/**
 * A copy task survives a kill: the server runs as a child process (the built dist/), copies a folder of 500 files
 * from one storage to another, is SIGKILLed half-way, and a new server on the same data folder goes on by itself:
 * every file arrives whole, none that had arrived is written again, no temp file is left.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HostClient } from './support/host-client.js';
import { makeDataDir } from './support/host-setup.js';
import { buildDist, spawnServe } from './support/serve-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PASSWORD = 'copy-kill-password-3X';
const FILES = 500;
const FILE_BYTES = 128 * 1024;

interface TaskInfo { id: string; state: number; progress: number; total_bytes: number; error: string }

let dataDir: string;
let child: ChildProcess | undefined;

function fileBytes(index: number): Buffer {
  const bytes = Buffer.alloc(FILE_BYTES);
  for (let i = 0; i < FILE_BYTES; i += 4) bytes.writeUInt32LE((i * 2654435761 + index) >>> 0, i);
  return bytes;
}

function fileName(index: number): string {
  return `IMG_${String(index).padStart(4, '0')}.jpg`;
}

function startChild(): Promise<string> {
  const serve = spawnServe(ROOT, dataDir, PASSWORD);
  child = serve.child;
  return serve.url;
}

async function kill(): Promise<void> {
  const exited = new Promise((resolve) => child!.once('exit', resolve));
  child!.kill('SIGKILL');
  await exited;
}

const target = () => path.join(dataDir, 'dst', 'photos');
const arrived = () => (existsSync(target()) ? readdirSync(target()).filter((name) => !name.startsWith('.')) : []);

beforeAll(async () => {
  await buildDist(ROOT, 'dist/host/tasks/copy-task.js');
  dataDir = makeDataDir();
  mkdirSync(path.join(dataDir, 'src', 'photos'), { recursive: true });
  mkdirSync(path.join(dataDir, 'dst'));
  for (let i = 0; i < FILES; i++) writeFileSync(path.join(dataDir, 'src', 'photos', fileName(i)), fileBytes(i));
}, 200_000);

afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('a copy of 500 files killed half-way', () => {
  let inodesAtKill: Map<string, number>;
  let taskId: string;

  it('is killed while the copy runs, leaving only whole files', async () => {
    const client = new HostClient(await startChild());
    await client.login('admin', PASSWORD);
    for (const [mount, folder] of [['/src', 'src'], ['/dst', 'dst']]) {
      const created = await client.post('/api/admin/storage/create', { mount_path: mount, driver: 'Local', addition: JSON.stringify({ root_folder_path: path.join(dataDir, folder!) }) });
      expect(created.code).toBe(200);
    }
    const answer = await client.post<{ tasks: TaskInfo[] }>('/api/fs/copy', { src_dir: '/src', dst_dir: '/dst', names: ['photos'] });
    expect(answer.code).toBe(200);
    taskId = answer.data.tasks[0]!.id;
    for (let i = 0; i < 6000 && arrived().length < FILES / 5; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    await kill();
    const files = arrived();
    expect(files.length).toBeGreaterThanOrEqual(FILES / 5);
    expect(files.length).toBeLessThan(FILES);
    inodesAtKill = new Map(files.map((name) => [name, statSync(path.join(target(), name)).ino]));
    for (const name of files) expect(readFileSync(path.join(target(), name)).equals(fileBytes(Number(name.slice(4, 8))))).toBe(true);
  }, 120_000);

  it('goes on by itself after a restart: all files arrive, none written twice, no temp file left', async () => {
    const client = new HostClient(await startChild());
    await client.login('admin', PASSWORD);
    let info: TaskInfo | undefined;
    for (let i = 0; i < 1200; i++) {
      info = (await client.post<TaskInfo>(`/api/task/copy/info?tid=${taskId}`)).data;
      if (info && [2, 4, 7].includes(info.state)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(info).toMatchObject({ state: 2, progress: 100, total_bytes: FILES * FILE_BYTES, error: '' });
    const entries = readdirSync(target()).sort();
    expect(entries).toEqual(Array.from({ length: FILES }, (_, i) => fileName(i)));
    for (let i = 0; i < FILES; i++) expect(readFileSync(path.join(target(), fileName(i))).equals(fileBytes(i))).toBe(true);
    for (const [name, inode] of inodesAtKill) expect(statSync(path.join(target(), name)).ino).toBe(inode);
    expect((await client.names('/dst/photos')).length).toBe(FILES);
    await kill();
  }, 150_000);
});
