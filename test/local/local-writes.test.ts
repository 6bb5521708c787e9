/** The Local driver as a write target: put (atomic, overwrite, progress, abort), rename, move. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { LocalDriver } from '../../src/driver/local/index.js';
import { expectDriverError } from '../support/driver-errors.js';

let base: string;
let root: string;
let driver: LocalDriver;

const file = (name: string, bytes: Buffer | string) => ({ name, stream: Readable.from([Buffer.from(bytes)]) });

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'local-writes-'));
  root = path.join(base, 'root');
  await mkdir(path.join(root, 'sub'), { recursive: true });
  await mkdir(path.join(base, 'outside'));
  await symlink(path.join(base, 'outside'), path.join(root, 'out'));
  driver = new LocalDriver({ root_folder_path: root });
  await driver.init();
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('put', () => {
  it('reports progress, replaces by default and refuses to replace with overwrite: false', async () => {
    const seen: number[] = [];
    const big = Buffer.alloc(200_000, 3);
    await driver.put('/', { name: 'p.bin', stream: Readable.from([big.subarray(0, 100_000), big.subarray(100_000)]) }, { onProgress: (total) => seen.push(total) });
    expect(seen.at(-1)).toBe(big.length);
    await driver.put('/', file('p.bin', 'new'));
    expect(await readFile(path.join(root, 'p.bin'), 'utf8')).toBe('new');
    await expectDriverError(driver.put('/', file('p.bin', 'newer'), { overwrite: false }), 'INVALID_ARGUMENT');
    expect(await readFile(path.join(root, 'p.bin'), 'utf8')).toBe('new');
  });

  it('leaves nothing when aborted mid-way, and refuses temp-file names and paths out of the root', async () => {
    const controller = new AbortController();
    const stream = new Readable({ read() {} });
    stream.push(Buffer.alloc(1000));
    const put = driver.put('/', { name: 'cut.bin', stream }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 50);
    await expect(put).rejects.toBeTruthy();
    expect((await readdir(root)).filter((name) => name.includes('cut'))).toEqual([]);
    await expectDriverError(driver.put('/', file('.keep-x.partial', 'x')), 'INVALID_ARGUMENT');
    await expectDriverError(driver.put('/out', file('escape.txt', 'x')), 'NOT_FOUND');
    expect(await readdir(path.join(base, 'outside'))).toEqual([]);
  });
});

describe('rename and move', () => {
  it('renames in place and refuses a taken name', async () => {
    await driver.put('/', file('r1.txt', '1'));
    await driver.put('/', file('r2.txt', '2'));
    expect(await driver.rename('/r1.txt', 'r3.txt')).toMatchObject({ id: '/r3.txt', name: 'r3.txt' });
    await expectDriverError(driver.rename('/r3.txt', 'r2.txt'), 'INVALID_ARGUMENT');
    expect(await readFile(path.join(root, 'r2.txt'), 'utf8')).toBe('2');
    await expectDriverError(driver.rename('/r3.txt', '../x'), 'INVALID_ARGUMENT');
  });

  it('moves into another folder, never a folder into itself, never out of the root', async () => {
    await driver.put('/', file('m.txt', 'm'));
    expect(await driver.move('/m.txt', '/', '/sub')).toMatchObject({ id: '/sub/m.txt' });
    expect(await readFile(path.join(root, 'sub', 'm.txt'), 'utf8')).toBe('m');
    await driver.makeDir('/sub', 'inner');
    await expectDriverError(driver.move('/sub', '/', '/sub/inner'), 'INVALID_ARGUMENT');
    await expectDriverError(driver.move('/sub/m.txt', '/sub', '/out'), 'NOT_FOUND');
    expect(await readdir(path.join(base, 'outside'))).toEqual([]);
  });
});
