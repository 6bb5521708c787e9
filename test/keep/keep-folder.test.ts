import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalDriver } from '../../src/driver/local/index.js';
import { keepFolder, type KeepProgress } from '../../src/keep/index.js';
import { DriverError } from '../../src/types/errors.js';
import { ByteServer, bytesFor } from './byte-server.js';
import { httpSource, type SourceItem } from './http-source.js';

const TOKEN = 'Bearer ya29.secret-access-token';
const header = { Authorization: TOKEN };
const files: Record<string, Buffer> = {
  'IMG_0001.jpg': bytesFor(1, 180_000),
  'IMG_0002.heic': bytesFor(2, 2_000),
  'clip.mp4': bytesFor(3, 700_000),
  'IMG_0004.png': bytesFor(4, 1),
};
const items: SourceItem[] = [
  { name: 'IMG_0001.jpg', size: 180_000, created: new Date('2021-03-04T05:06:07Z'), modified: new Date('2024-01-01T00:00:00Z') },
  { name: 'an album', isDir: true, modified: new Date('2024-01-01T00:00:00Z') },
  { name: 'IMG_0002.heic', created: new Date('2019-12-31T23:59:58Z'), modified: new Date('2024-01-01T00:00:00Z') },
  { name: 'clip.mp4', size: 700_000, created: new Date('2018-07-08T09:10:11Z'), modified: new Date('2024-01-01T00:00:00Z') },
  { name: 'IMG_0004.png', modified: new Date('2017-02-03T04:05:06Z') },
];
const names = items.filter((item) => !item.isDir).map((item) => item.name);
const captureTimes = Object.fromEntries(items.map((item) => [item.name, item.created ?? item.modified]));

let server: ByteServer;
let base: string;
let target: string;

beforeAll(async () => {
  server = await new ByteServer({ files, requiredHeader: { name: 'authorization', value: TOKEN } }).start();
  base = await mkdtemp(path.join(os.tmpdir(), 'keep-'));
});

afterAll(async () => {
  await server.close();
  await rm(base, { recursive: true, force: true });
});

beforeEach(async () => {
  server.resetCounts();
  server.failing.clear();
  server.cutOnce.clear();
  server.hold.clear();
  target = await mkdtemp(path.join(base, 'target-'));
});

afterEach(() => {
  server.hold.clear();
});

async function expectKeptExactly(dir: string, expected: string[]): Promise<void> {
  expect((await readdir(dir)).sort()).toEqual([...expected].sort());
  for (const name of expected) {
    expect((await readFile(path.join(dir, name))).equals(files[name]!)).toBe(true);
    const info = await stat(path.join(dir, name));
    expect(Math.floor(info.mtimeMs / 1000)).toBe(Math.floor(captureTimes[name]!.getTime() / 1000));
  }
}

describe('keepFolder into a local folder', () => {
  it('copies every file with its bytes and capture time, sending the link headers, and reports progress', async () => {
    const reports: KeepProgress[] = [];
    const result = await keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { localDir: target }, onProgress: (p) => reports.push(p) });
    expect(result).toEqual({ copied: names, skipped: [], failed: [] });
    await expectKeptExactly(target, names);
    expect(names.map((name) => server.count(name))).toEqual([1, 1, 1, 1]);
    expect(reports[0]).toEqual({ total: 4, done: 0, skipped: 0, failed: 0, bytes: 0 });
    const totalBytes = names.reduce((sum, name) => sum + files[name]!.length, 0);
    expect(reports.at(-1)).toEqual({ total: 4, done: 4, skipped: 0, failed: 0, bytes: totalBytes });
    expect(reports.some((p) => p.current === 'clip.mp4' && p.bytes > 0 && p.done === 2)).toBe(true);
  });

  it('creates a missing target folder, and refuses a relative one', async () => {
    const nested = path.join(target, 'kept', 'session-1');
    await keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { localDir: nested } });
    await expectKeptExactly(nested, names);
    await expect(keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { localDir: 'kept' } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('reports items the source refuses without leaking the token, and copies the others', async () => {
    server.failing.add('IMG_0002.heic');
    const result = await keepFolder({ source: httpSource(server, items, { header, linkErrors: new Set(['clip.mp4']) }), dir: 'session-1', target: { localDir: target } });
    expect(result.copied).toEqual(['IMG_0001.jpg', 'IMG_0004.png']);
    expect(result.failed).toEqual([
      { name: 'IMG_0002.heic', error: expect.stringContaining('HTTP 500') },
      { name: 'clip.mp4', error: expect.stringContaining('expired') },
    ]);
    await expectKeptExactly(target, ['IMG_0001.jpg', 'IMG_0004.png']);

    const unauthorised = await keepFolder({ source: httpSource(server, items), dir: 'session-1', target: { localDir: target } });
    expect(unauthorised.failed).toEqual([
      { name: 'IMG_0002.heic', error: expect.stringContaining('HTTP 401') },
      { name: 'clip.mp4', error: expect.stringContaining('HTTP 401') },
    ]);
    expect(JSON.stringify([result, unauthorised])).not.toContain('secret-access-token');
  });

  it('resumes after a response cut midway: nothing half-written stays, and only the missing file is fetched again', async () => {
    server.cutOnce.add('clip.mp4');
    const first = await keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { localDir: target } });
    expect(first.failed).toEqual([{ name: 'clip.mp4', error: expect.stringMatching(/transfer|bytes/) }]);
    await expectKeptExactly(target, ['IMG_0001.jpg', 'IMG_0002.heic', 'IMG_0004.png']);

    server.resetCounts();
    const second = await keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { localDir: target } });
    expect(second).toEqual({ copied: ['clip.mp4'], skipped: ['IMG_0001.jpg', 'IMG_0002.heic', 'IMG_0004.png'], failed: [] });
    expect(server.totalRequests()).toBe(1);
    await expectKeptExactly(target, names);
  });

  it('stops promptly on abort, leaving no partial file, and the next run copies what is missing', async () => {
    server.hold.add('IMG_0002.heic');
    const controller = new AbortController();
    const held = server.held('IMG_0002.heic');
    const reason = new Error('user cancelled');
    const run = keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { localDir: target }, signal: controller.signal });
    await held;
    controller.abort(reason);
    await expect(run).rejects.toBe(reason);
    expect(await readdir(target)).toEqual(['IMG_0001.jpg']);

    server.hold.clear();
    server.resetCounts();
    const second = await keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { localDir: target } });
    expect(second.skipped).toEqual(['IMG_0001.jpg']);
    expect(second.copied).toEqual(['IMG_0002.heic', 'clip.mp4', 'IMG_0004.png']);
    expect(server.count('IMG_0001.jpg')).toBe(0);
    await expectKeptExactly(target, names);
  });

  it('gives up on a source that stalls longer than fetchTimeoutMs', async () => {
    server.hold.add('IMG_0002.heic');
    const result = await keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { localDir: target }, fetchTimeoutMs: 150 });
    expect(result.failed).toEqual([{ name: 'IMG_0002.heic', error: expect.stringContaining('sent nothing for 150 ms') }]);
    await expectKeptExactly(target, ['IMG_0001.jpg', 'clip.mp4', 'IMG_0004.png']);
  });

  it('overwrites a stale temp file of an earlier run', async () => {
    await writeFile(path.join(target, '.keep-clip.mp4.partial'), 'junk from a killed run');
    const result = await keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { localDir: target } });
    expect(result.copied).toEqual(names);
    await expectKeptExactly(target, names);
  });

  it('keeps a different photo that has the name of a file already in the folder under "name (2)", and leaves that file alone', async () => {
    await writeFile(path.join(target, 'IMG_0001.jpg'), 'another photo, taken elsewhere');
    await writeFile(path.join(target, 'clip.mp4'), 'not this clip');
    await writeFile(path.join(target, 'clip (2).mp4'), 'not this clip either');
    const result = await keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { localDir: target } });
    expect(result).toEqual({
      copied: names, skipped: [], failed: [],
      keptAs: { 'IMG_0001.jpg': 'IMG_0001 (2).jpg', 'clip.mp4': 'clip (3).mp4' },
    });
    expect(await readFile(path.join(target, 'IMG_0001.jpg'), 'utf8')).toBe('another photo, taken elsewhere');
    expect(await readFile(path.join(target, 'clip.mp4'), 'utf8')).toBe('not this clip');
    expect(await readFile(path.join(target, 'clip (2).mp4'), 'utf8')).toBe('not this clip either');
    expect((await readFile(path.join(target, 'IMG_0001 (2).jpg'))).equals(files['IMG_0001.jpg']!)).toBe(true);
    expect((await readFile(path.join(target, 'clip (3).mp4'))).equals(files['clip.mp4']!)).toBe(true);

    server.resetCounts();
    const again = await keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { localDir: target } });
    expect(again).toEqual({ copied: [], skipped: names, failed: [], keptAs: { 'IMG_0001.jpg': 'IMG_0001 (2).jpg', 'clip.mp4': 'clip (3).mp4' } });
    expect(server.totalRequests()).toBe(0);
  });

  it('counts a file of the same name as kept only when its size and capture time match the item', async () => {
    // Same name and capture time, other size: a different photo.
    await writeFile(path.join(target, 'IMG_0001.jpg'), 'short');
    await utimes(path.join(target, 'IMG_0001.jpg'), captureTimes['IMG_0001.jpg']!, captureTimes['IMG_0001.jpg']!);
    // The size is unknown for IMG_0002.heic: the capture time decides.
    await writeFile(path.join(target, 'IMG_0002.heic'), 'a different heic');
    const result = await keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { localDir: target } });
    expect(result.keptAs).toEqual({ 'IMG_0001.jpg': 'IMG_0001 (2).jpg', 'IMG_0002.heic': 'IMG_0002 (2).heic' });
    expect(await readFile(path.join(target, 'IMG_0001.jpg'), 'utf8')).toBe('short');
    expect(await readFile(path.join(target, 'IMG_0002.heic'), 'utf8')).toBe('a different heic');
  });

  it('never writes through a link planted at the final name: the file outside stays untouched', async () => {
    const victim = path.join(base, `final-victim-${path.basename(target)}.txt`);
    await writeFile(victim, 'precious');
    await symlink(victim, path.join(target, 'IMG_0001.jpg'));
    const result = await keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { localDir: target } });
    expect(result.copied).toEqual(names);
    expect(result.keptAs).toEqual({ 'IMG_0001.jpg': 'IMG_0001 (2).jpg' });
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect((await readFile(path.join(target, 'IMG_0001 (2).jpg'))).equals(files['IMG_0001.jpg']!)).toBe(true);
  });

  it('never writes through a link planted at a temp-file name: the file outside the folder stays untouched', async () => {
    const victim = path.join(base, `victim-${path.basename(target)}.txt`);
    await writeFile(victim, 'precious');
    await symlink(victim, path.join(target, '.keep-IMG_0001.jpg.partial'));
    await symlink(path.join(base, `dangling-${path.basename(target)}`), path.join(target, '.keep-clip.mp4.partial'));
    const result = await keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { localDir: target } });
    expect(result.copied).toEqual(names);
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect(existsSync(path.join(base, `dangling-${path.basename(target)}`))).toBe(false);
    await expectKeptExactly(target, names);
  });

  it('refuses hostile names from the source and writes nothing outside the target', async () => {
    const hostile: SourceItem[] = ['../escaped.jpg', 'a\\b.jpg', '..', 'bell\u0007.jpg', '.keep-x.partial'].map((name) => ({ name, modified: new Date() }));
    const inner = path.join(target, 'inner');
    const result = await keepFolder({ source: httpSource(server, [...hostile, items[0]!], { header }), dir: 'session-1', target: { localDir: inner } });
    expect(result.failed.map((f) => f.name)).toEqual(hostile.map((h) => h.name));
    expect(result.copied).toEqual(['IMG_0001.jpg']);
    expect(await readdir(target)).toEqual(['inner']);
    expect(await readdir(inner)).toEqual(['IMG_0001.jpg']);
    expect(server.totalRequests()).toBe(1);
  });

  it('rejects when the source folder cannot be listed', async () => {
    await expect(keepFolder({ source: httpSource(server, items, { header }), dir: 'no-such-session', target: { localDir: target } })).rejects.toBeInstanceOf(DriverError);
  });
});

describe('keepFolder with Local storages', () => {
  it('copies into a LocalDriver folder through put, and skips what the target already lists', async () => {
    const storage = new LocalDriver({ root_folder_path: target });
    await storage.init();
    const folder = await storage.makeDir('/', 'kept');
    const reports: KeepProgress[] = [];
    const result = await keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { driver: storage, dir: folder }, onProgress: (p) => reports.push(p) });
    expect(result.copied).toEqual(names);
    await expectKeptExactly(path.join(target, 'kept'), names);
    expect(reports.at(-1)).toMatchObject({ total: 4, done: 4, bytes: names.reduce((sum, name) => sum + files[name]!.length, 0) });
    expect((await storage.list(folder)).map((o) => o.name).sort()).toEqual([...names].sort());

    server.resetCounts();
    const again = await keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { driver: storage, dir: folder } });
    expect(again).toEqual({ copied: [], skipped: names, failed: [] });
    expect(server.totalRequests()).toBe(0);
  });

  it('keeps a different photo of a taken name under "name (2)" in a target storage too, and skips it the next time', async () => {
    const storage = new LocalDriver({ root_folder_path: target });
    await storage.init();
    const folder = await storage.makeDir('/', 'kept');
    await writeFile(path.join(target, 'kept', 'IMG_0001.jpg'), 'another photo, taken elsewhere');
    const result = await keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { driver: storage, dir: folder } });
    expect(result).toEqual({ copied: names, skipped: [], failed: [], keptAs: { 'IMG_0001.jpg': 'IMG_0001 (2).jpg' } });
    expect(await readFile(path.join(target, 'kept', 'IMG_0001.jpg'), 'utf8')).toBe('another photo, taken elsewhere');
    expect((await readFile(path.join(target, 'kept', 'IMG_0001 (2).jpg'))).equals(files['IMG_0001.jpg']!)).toBe(true);

    server.resetCounts();
    const again = await keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { driver: storage, dir: folder } });
    expect(again).toEqual({ copied: [], skipped: names, failed: [], keptAs: { 'IMG_0001.jpg': 'IMG_0001 (2).jpg' } });
    expect(server.totalRequests()).toBe(0);
  });

  it('keeps a LocalDriver folder (file: links) into another folder', async () => {
    const sourceRoot = path.join(target, 'source');
    await mkdir(sourceRoot);
    for (const name of names) {
      await writeFile(path.join(sourceRoot, name), files[name]!);
      await utimes(path.join(sourceRoot, name), captureTimes[name]!, captureTimes[name]!);
    }
    const source = new LocalDriver({ root_folder_path: sourceRoot });
    const copyDir = path.join(target, 'copy');
    const result = await keepFolder({ source, dir: '/', target: { localDir: copyDir } });
    expect([...result.copied].sort()).toEqual([...names].sort());
    for (const name of names) {
      expect((await readFile(path.join(copyDir, name))).equals(files[name]!)).toBe(true);
      expect(Math.floor((await stat(path.join(copyDir, name))).mtimeMs / 1000)).toBe(Math.floor(captureTimes[name]!.getTime() / 1000));
    }
  });

  it('refuses a target storage that cannot store files', async () => {
    const readOnly = httpSource(server, items);
    await expect(keepFolder({ source: httpSource(server, items, { header }), dir: 'session-1', target: { driver: readOnly, dir: 'session-1' } })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});
