import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { lstat, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { LocalDriver, localDriver } from '../../src/driver/local/index.js';
import { readFileLink } from '../../src/host/downloads/file-link.js';
import { openLinkStream } from '../../src/keep/index.js';
import { DriverError } from '../../src/types/errors.js';
import { expectDriverError } from '../support/driver-errors.js';

let base: string;
let root: string;
let outside: string;
let driver: LocalDriver;

const photo = Buffer.from('\xff\xd8\xff\xe0 a tiny jpeg-ish payload', 'latin1');
const video = Buffer.alloc(70_000, 7);

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'local-driver-'));
  root = path.join(base, 'root');
  outside = path.join(base, 'outside');
  await mkdir(path.join(root, 'sub'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(outside, 'secret.txt'), 'outside the root');
  await writeFile(path.join(root, 'a.jpg'), photo);
  await utimes(path.join(root, 'a.jpg'), new Date('2020-05-06T07:08:09Z'), new Date('2020-05-06T07:08:09Z'));
  await writeFile(path.join(root, 'notes.txt'), 'hello');
  await writeFile(path.join(root, 'sub', 'b.mp4'), video);
  await writeFile(path.join(root, '.hidden'), 'dot');
  await writeFile(path.join(root, '.keep-c.jpg.partial'), 'half');
  await writeFile(path.join(root, 'd.jpg.partial'), 'half');
  await symlink(outside, path.join(root, 'escape'));
  await symlink(path.join(outside, 'secret.txt'), path.join(root, 'escape-file'));
  await symlink(path.join(root, 'a.jpg'), path.join(root, 'inner-link.jpg'));
  driver = new LocalDriver({ root_folder_path: root });
  await driver.init();
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('LocalDriver listing and links', () => {
  it('lists real names, sizes, times and mime types, hiding dotfiles, temp files and escaping symlinks', async () => {
    const objs = await driver.list('/');
    expect(objs.map((o) => o.name).sort()).toEqual(['a.jpg', 'inner-link.jpg', 'notes.txt', 'sub']);
    for (const obj of objs) {
      const info = await stat(path.join(root, obj.name));
      expect(obj.id).toBe(`/${obj.name}`);
      expect(obj.isDir).toBe(info.isDirectory());
      expect(obj.modified.getTime()).toBe(info.mtime.getTime());
      if (!obj.isDir) expect(obj.size).toBe(info.size);
    }
    const byName = Object.fromEntries(objs.map((o) => [o.name, o]));
    expect(byName['a.jpg']).toMatchObject({ size: photo.length, mimeType: 'image/jpeg', isDir: false });
    expect(byName['a.jpg']!.modified.toISOString()).toBe('2020-05-06T07:08:09.000Z');
    expect(byName['notes.txt']!.mimeType).toBe('text/plain');
    expect(byName.sub!.mimeType).toBeUndefined();
    const sub = await driver.list(byName.sub!);
    expect(sub).toEqual([expect.objectContaining({ id: '/sub/b.mp4', name: 'b.mp4', size: video.length, mimeType: 'video/mp4' })]);
  });

  it('shows dotfiles with show_hidden, but never the temp files of writes', async () => {
    const showing = localDriver.create({ root_folder_path: root, show_hidden: true });
    await showing.init();
    const names = (await showing.list('/')).map((o) => o.name);
    expect(names).toContain('.hidden');
    expect(names).not.toContain('.keep-c.jpg.partial');
    expect(names).not.toContain('d.jpg.partial');
  });

  it('hides names with bidirectional controls, as it hides control characters, and does not serve them by path', async () => {
    const spoof = 'invoice\u202Efdp.exe';
    await writeFile(path.join(root, spoof), 'spoofed');
    try {
      expect((await driver.list('/')).map((o) => o.name)).not.toContain(spoof);
      await expectDriverError(driver.link(`/${spoof}`), 'INVALID_ARGUMENT');
    } finally {
      await rm(path.join(root, spoof));
    }
  });

  it('does not serve by path what the listing hides', async () => {
    await expectDriverError(driver.get('/.hidden'), 'NOT_FOUND');
    await expectDriverError(driver.link('/.keep-c.jpg.partial'), 'NOT_FOUND');
    await expectDriverError(driver.link('/d.jpg.partial'), 'NOT_FOUND');
    const showing = new LocalDriver({ root_folder_path: root, show_hidden: true });
    expect(await readFile(fileURLToPath((await showing.link('/.hidden')).url), 'utf8')).toBe('dot');
    await expectDriverError(showing.link('/.keep-c.jpg.partial'), 'NOT_FOUND');
    await expectDriverError(driver.put('/', { name: '.keep-z.jpg.partial', stream: Readable.from([Buffer.from('x')]) }), 'INVALID_ARGUMENT');
    await expectDriverError(driver.makeDir('/', 'z.partial'), 'INVALID_ARGUMENT');
  });

  it('links a file as a file: URL whose bytes are the file', async () => {
    const link = await driver.link('/sub/b.mp4');
    expect(link.url.startsWith('file://')).toBe(true);
    expect(link).toMatchObject({ size: video.length, mimeType: 'video/mp4' });
    expect(await readFile(fileURLToPath(link.url))).toEqual(video);
    await expectDriverError(driver.link('/sub'), 'INVALID_ARGUMENT');
  });

  it('gets objects by path and answers NOT_FOUND for unknown ones', async () => {
    expect(await driver.get('/sub/b.mp4')).toMatchObject({ id: '/sub/b.mp4', name: 'b.mp4', size: video.length, isDir: false });
    expect(await driver.get('sub')).toMatchObject({ id: '/sub', isDir: true });
    expect(await driver.get('/')).toMatchObject({ id: '/', isDir: true });
    const err = await expectDriverError(driver.get('/nope.jpg'), 'NOT_FOUND');
    expect(err.message).toContain('/nope.jpg');
    expect(err.message).not.toContain(base);
  });
});

describe('LocalDriver writes', () => {
  it('makes folders, idempotently, and refuses hostile names', async () => {
    const made = await driver.makeDir('/', 'albums');
    expect(made).toMatchObject({ id: '/albums', name: 'albums', isDir: true });
    expect((await stat(path.join(root, 'albums'))).isDirectory()).toBe(true);
    expect(await driver.makeDir('/', 'albums')).toMatchObject({ id: '/albums' });
    await expectDriverError(driver.makeDir('/', 'notes.txt'), 'INVALID_ARGUMENT');
    for (const name of ['a/b', 'a\\b', '..', '.', '', 'bell\u0007', 'nul\u0000', 'photo\u202Egpj.exe', 'iso\u2066late', 'mark\u200F', 'arabic\u061Cmark']) {
      await expectDriverError(driver.makeDir('/', name), 'INVALID_ARGUMENT');
    }
    expect((await readdir(root)).sort()).not.toContain('a');
  });

  it('puts a file atomically with its modified time and can replace it', async () => {
    const modified = new Date('2019-01-02T03:04:05Z');
    const bytes = Buffer.alloc(300_000, 3);
    const obj = await driver.put('/albums', { name: 'new.png', size: bytes.length, modified, stream: Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]) });
    expect(obj).toMatchObject({ id: '/albums/new.png', name: 'new.png', size: bytes.length, mimeType: 'image/png' });
    expect(await readFile(path.join(root, 'albums', 'new.png'))).toEqual(bytes);
    expect((await stat(path.join(root, 'albums', 'new.png'))).mtime.toISOString()).toBe(modified.toISOString());
    await driver.put('/albums', { name: 'new.png', stream: Readable.from([Buffer.from('v2')]) });
    expect(await readFile(path.join(root, 'albums', 'new.png'), 'utf8')).toBe('v2');
    expect(await readdir(path.join(root, 'albums'))).toEqual(['new.png']);
  });

  it('never writes through a link planted at the temp-file name of a put', async () => {
    await writeFile(path.join(base, 'victim.txt'), 'precious');
    await symlink(path.join(base, 'victim.txt'), path.join(root, '.keep-planted.jpg.partial'));
    await driver.put('/', { name: 'planted.jpg', stream: Readable.from([Buffer.from('uploaded bytes')]) });
    expect(await readFile(path.join(base, 'victim.txt'), 'utf8')).toBe('precious');
    expect(await readFile(path.join(root, 'planted.jpg'), 'utf8')).toBe('uploaded bytes');
    expect((await readdir(root)).filter((name) => name.includes('planted'))).toEqual(['planted.jpg']);

    // A link planted at the final name is replaced by the file, its target left alone.
    await symlink(path.join(base, 'victim.txt'), path.join(root, 'planted-final.jpg'));
    await driver.put('/', { name: 'planted-final.jpg', stream: Readable.from([Buffer.from('uploaded again')]) });
    expect(await readFile(path.join(base, 'victim.txt'), 'utf8')).toBe('precious');
    expect((await lstat(path.join(root, 'planted-final.jpg'))).isFile()).toBe(true);
    await rm(path.join(root, 'planted-final.jpg'));
  });

  it('leaves neither the file nor a temp file when the upload stream fails midway', async () => {
    async function* failing() {
      yield Buffer.alloc(64 * 1024, 1);
      throw new Error('client went away');
    }
    await expect(driver.put('/albums', { name: 'broken.jpg', stream: Readable.from(failing()) })).rejects.toBeInstanceOf(DriverError);
    expect(await readdir(path.join(root, 'albums'))).toEqual(['new.png']);
    await expectDriverError(driver.put('/albums', { name: '../x.jpg', stream: Readable.from([Buffer.from('x')]) }), 'INVALID_ARGUMENT');
    await expectDriverError(driver.put('/', { name: 'albums', stream: Readable.from([Buffer.from('x')]) }), 'INVALID_ARGUMENT');
    expect((await stat(path.join(root, 'albums'))).isDirectory()).toBe(true);
  });

  it('removes files and folders, but never the root', async () => {
    await driver.put('/albums', { name: 'gone.txt', stream: Readable.from([Buffer.from('bye')]) });
    await driver.remove('/albums/gone.txt');
    expect(await readdir(path.join(root, 'albums'))).not.toContain('gone.txt');
    await driver.remove({ id: '/albums' });
    expect(await readdir(root)).not.toContain('albums');
    await expectDriverError(driver.remove('/'), 'INVALID_ARGUMENT');
    await expectDriverError(driver.remove('/albums'), 'NOT_FOUND');
  });
});

describe('LocalDriver stays inside its root', () => {
  it('refuses .. segments and NUL in every method', async () => {
    for (const id of ['../x', '/../../etc/passwd', 'sub/../../outside/secret.txt', '/a\u0000b']) {
      await expectDriverError(driver.get(id), 'INVALID_ARGUMENT');
      await expectDriverError(driver.list(id), 'INVALID_ARGUMENT');
      await expectDriverError(driver.link(id), 'INVALID_ARGUMENT');
      await expectDriverError(driver.remove(id), 'INVALID_ARGUMENT');
      await expectDriverError(driver.makeDir(id, 'x'), 'INVALID_ARGUMENT');
    }
    expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('outside the root');
  });

  it('treats %2e%2e as a literal name, never as ..', async () => {
    await expectDriverError(driver.get('/%2e%2e/%2e%2e/etc/passwd'), 'NOT_FOUND');
    await expectDriverError(driver.link('/%2e%2e/outside/secret.txt'), 'NOT_FOUND');
    const made = await driver.makeDir('/', '%2e%2e');
    expect((await stat(path.join(root, '%2e%2e'))).isDirectory()).toBe(true);
    await driver.remove(made);
  });

  it('treats symlinks that lead outside the root as not found', async () => {
    await expectDriverError(driver.get('/escape/secret.txt'), 'NOT_FOUND');
    await expectDriverError(driver.link('/escape-file'), 'NOT_FOUND');
    await expectDriverError(driver.list('/escape'), 'NOT_FOUND');
    await expectDriverError(driver.put('/escape', { name: 'planted.txt', stream: Readable.from([Buffer.from('x')]) }), 'NOT_FOUND');
    await expectDriverError(driver.makeDir('/escape', 'planted'), 'NOT_FOUND');
    await expectDriverError(driver.remove('/escape/secret.txt'), 'NOT_FOUND');
    expect((await readdir(outside)).sort()).toEqual(['secret.txt']);
    expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('outside the root');
  });

  it('follows symlinks that stay inside the root', async () => {
    const link = await driver.link('/inner-link.jpg');
    expect(await readFile(fileURLToPath(link.url))).toEqual(photo);
  });
});

describe('LocalDriver settings', () => {
  it('describes itself for the admin form', () => {
    expect(localDriver.meta).toMatchObject({ name: 'Local', displayName: 'Local folder', localSort: true, onlyProxy: true, noUpload: false, defaultRoot: '/' });
    const items = Object.fromEntries(localDriver.meta.configItems.map((item) => [item.name, item]));
    expect(items.root_folder_path).toMatchObject({ type: 'string', required: true });
    expect(items.root_folder_path!.help).toBeTruthy();
    expect(items.show_hidden).toMatchObject({ type: 'bool', required: false, default: false });
  });

  it.each([
    [{}, 'root_folder_path'],
    [{ root_folder_path: 'relative/dir' }, 'root_folder_path'],
    [{ root_folder_path: '/definitely/not/here/at/all' }, 'does not exist'],
    [{ root_folder_path: '/', show_hidden: 'yes' }, 'show_hidden'],
  ])('rejects %j with INVALID_CONFIG naming the problem', async (config, words) => {
    const err = await expectDriverError(new LocalDriver(config).init(), 'INVALID_CONFIG');
    expect(err.message).toContain(words);
    expect(err.hint).toBeTruthy();
  });

  it('rejects a file as root and reports the error from the first call too', async () => {
    const onFile = new LocalDriver({ root_folder_path: path.join(root, 'notes.txt') });
    const err = await expectDriverError(onFile.list('/'), 'INVALID_CONFIG');
    expect(err.message).toContain('root_folder_path');
  });
});

describe('reading a link after its path was swapped for a symlink to outside', () => {
  it('serves nothing from outside, whether the host streams it or the keeper copies it', async () => {
    const swap = path.join(root, 'swap');
    const elsewhere = path.join(base, 'swap-outside');
    await mkdir(swap);
    await mkdir(elsewhere);
    await writeFile(path.join(swap, 'pic.jpg'), 'inside');
    await writeFile(path.join(elsewhere, 'pic.jpg'), 'outside the root');
    await writeFile(path.join(root, 'swapped.jpg'), 'inside');
    const folderLink = await driver.link('/swap/pic.jpg');
    const fileLink = await driver.link('/swapped.jpg');
    await rename(swap, path.join(root, '.swap-real'));
    await symlink(elsewhere, swap);
    await rm(path.join(root, 'swapped.jpg'));
    await symlink(path.join(elsewhere, 'pic.jpg'), path.join(root, 'swapped.jpg'));
    try {
      for (const link of [folderLink, fileLink]) {
        const answer = await readFileLink(new URL(link.url), link, { method: 'GET', signal: new AbortController().signal, timeoutMs: 1000 });
        expect(answer.status).toBe(404);
        await expect(openLinkStream(link, { idleTimeoutMs: 1000 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      }
    } finally {
      await rm(swap);
      await rm(path.join(root, 'swapped.jpg'));
      await rm(path.join(root, '.swap-real'), { recursive: true });
    }
  });
});
