import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { keepFolder, type KeepProgress } from '../../src/keep/index.js';
import { ByteServer, bytesFor } from './byte-server.js';
import { httpSource, type SourceItem } from './http-source.js';
import { transpileKeeper } from './transpile-keeper.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TOKEN = 'Bearer picked-items-token';
const files: Record<string, Buffer> = {
  'a.jpg': bytesFor(11, 90_000),
  'b.jpg': bytesFor(12, 120_000),
  'c.mp4': bytesFor(13, 900_000),
  'd.png': bytesFor(14, 5_000),
};
const items: SourceItem[] = Object.entries(files).map(([name, bytes], i) => ({
  name,
  size: bytes.length,
  created: new Date(Date.UTC(2015, i, 1, 12, 0, 0)),
  modified: new Date(Date.UTC(2024, 0, 1)),
}));

let base: string;
let keeperJs: string;
let server: ByteServer;

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'keep-killed-'));
  keeperJs = await transpileKeeper(projectRoot, path.join(base, 'build'));
  server = await new ByteServer({ files, requiredHeader: { name: 'authorization', value: TOKEN } }).start();
});

afterAll(async () => {
  await server.close();
  await rm(base, { recursive: true, force: true });
});

/** Resolves with the first progress line the child prints that satisfies `until`; rejects if the child exits first. */
function watchChild(child: ReturnType<typeof spawn>, until: (p: KeepProgress) => boolean): Promise<KeepProgress> {
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const progress = JSON.parse(line) as KeepProgress;
      if (until(progress)) resolve(progress);
    });
    child.on('exit', (code, signal) => reject(new Error(`keeper child exited early (${code ?? signal}): ${stderr}`)));
  });
}

it('a keeper process killed mid-file leaves only a temp file, and the next run completes the folder', async () => {
  const target = path.join(base, 'kept');
  server.hold.add('c.mp4');
  const config = { baseUrl: server.url, header: { Authorization: TOKEN }, items, localDir: target };
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [path.join(projectRoot, 'test/keep/keep-runner.mjs'), keeperJs, JSON.stringify(config)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const bytesBefore = files['a.jpg']!.length + files['b.jpg']!.length;
  const midway = await watchChild(child, (p) => p.current === 'c.mp4' && p.bytes > bytesBefore);
  expect(midway).toMatchObject({ total: 4, done: 2 });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;

  expect((await readdir(target)).sort()).toEqual(['.keep-c.mp4.partial', 'a.jpg', 'b.jpg']);
  expect((await stat(path.join(target, '.keep-c.mp4.partial'))).size).toBeLessThan(files['c.mp4']!.length);

  server.hold.clear();
  server.resetCounts();
  const reports: KeepProgress[] = [];
  const result = await keepFolder({ source: httpSource(server, items, { header: { Authorization: TOKEN } }), dir: 'session-1', target: { localDir: target }, onProgress: (p) => reports.push(p) });
  expect(result).toEqual({ copied: ['c.mp4', 'd.png'], skipped: ['a.jpg', 'b.jpg'], failed: [] });
  expect(Object.fromEntries(server.requests)).toEqual({ 'c.mp4': 1, 'd.png': 1 });
  expect(reports.at(-1)).toEqual({ total: 4, done: 2, skipped: 2, failed: 0, bytes: files['c.mp4']!.length + files['d.png']!.length });

  expect((await readdir(target)).sort()).toEqual(Object.keys(files).sort());
  for (const item of items) {
    expect((await readFile(path.join(target, item.name))).equals(files[item.name]!)).toBe(true);
    expect(Math.floor((await stat(path.join(target, item.name))).mtimeMs / 1000)).toBe(item.created!.getTime() / 1000);
  }
});
