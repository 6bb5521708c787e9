/**
 * WebDAV at /dav through a real WebDAV client library (the `webdav` package), against the real host on the emulator:
 * browsing, sizes, Range reads, uploads into an album, albums made with MKCOL, copies and moves within and across
 * storages, deletes, locks and custom properties. Raw protocol details: webdav-protocol.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createClient, type FileStat, type WebDAVClient } from 'webdav';
import { ADMIN_PASSWORD } from './support/host-setup.js';
import { albumOf, itemsNamed, jpegBytes, proxiedBytes, startGoogleWrites, type GoogleWritesSetup } from './support/google-writes-setup.js';

let setup: GoogleWritesSetup;
let dav: WebDAVClient;
const ALBUM = 'WebDAV trip';

beforeAll(async () => {
  setup = await startGoogleWrites();
  dav = createClient(`${setup.host.url}/dav`, { username: 'admin', password: ADMIN_PASSWORD });
}, 60_000);

afterAll(async () => {
  await setup?.close();
});

const names = (entries: FileStat[]) => entries.map((entry) => entry.basename).sort();

describe('WebDAV through a client library', () => {
  it('browses the tree: mount points at the root, Google Photos\' folders below', async () => {
    const root = (await dav.getDirectoryContents('/')) as FileStat[];
    expect(names(root)).toEqual(['kept', 'local', 'photos']);
    expect(root.every((entry) => entry.type === 'directory')).toBe(true);
    const photos = (await dav.getDirectoryContents('/photos')) as FileStat[];
    expect(names(photos)).toEqual(['Albums', 'All media', 'Picked from Google Photos', 'Shared albums']);
  });

  it('lists All media with every file\'s real size on the first listing, and reads a byte range', async () => {
    const files = (await dav.getDirectoryContents('/photos/All media')) as FileStat[];
    expect(files.length).toBe(4);
    const first = files[0]!;
    const bytes = await proxiedBytes(setup, 'photos', 'All media', first.basename);
    for (const file of files) expect(file.size).toBeGreaterThan(0);
    expect(first.size).toBe(bytes.length);
    const stat = (await dav.stat(`/photos/All media/${first.basename}`)) as FileStat;
    expect(stat).toMatchObject({ type: 'file', size: bytes.length, mime: 'image/jpeg' });
    const range = (await dav.getFileContents(`/photos/All media/${first.basename}`, { headers: { Range: 'bytes=2-11' } })) as Buffer;
    expect(Buffer.from(range).equals(bytes.subarray(2, 12))).toBe(true);
  });

  it('makes an album with MKCOL and uploads into it; the API lists the upload', async () => {
    await dav.createDirectory(`/photos/Albums/${ALBUM}`);
    expect(albumOf(setup, ALBUM).title).toBe(ALBUM);
    const body = jpegBytes(77);
    expect(await dav.putFileContents(`/photos/Albums/${ALBUM}/sea.jpg`, body)).toBe(true);
    expect(itemsNamed(setup, 'sea.jpg')[0]).toMatchObject({ bytes: body.length, albumIds: [albumOf(setup, ALBUM).id] });
    expect(await setup.client.names(`/photos/Albums/${ALBUM}`)).toEqual(['sea.jpg']);
    const listed = (await dav.getDirectoryContents(`/photos/Albums/${ALBUM}`)) as FileStat[];
    expect(listed.map((entry) => [entry.basename, entry.size])).toEqual([['sea.jpg', body.length]]);
    expect(Buffer.from((await dav.getFileContents(`/photos/Albums/${ALBUM}/sea.jpg`)) as Buffer).equals(body)).toBe(true);
  });

  it('copies an item of All media into an album (Google Photos\' own copy: no bytes move)', async () => {
    const item = ((await dav.getDirectoryContents('/photos/All media')) as FileStat[]).find((file) => file.basename !== 'sea.jpg');
    await dav.copyFile(`/photos/All media/${item!.basename}`, `/photos/Albums/${ALBUM}/${item!.basename}`);
    const album = albumOf(setup, ALBUM);
    const copied = setup.emulator.snapshot().mediaItems.filter((media) => media.albumIds.includes(album.id));
    expect(copied.map((media) => media.filename)).toContain(item!.basename);
    expect(names((await dav.getDirectoryContents(`/photos/Albums/${ALBUM}`)) as FileStat[])).toContain(item!.basename);
  });

  it('copies and moves within a storage and across storages, and deletes', async () => {
    await dav.putFileContents('/local/a.txt', 'hello webdav');
    await dav.copyFile('/local/a.txt', '/local/b.txt');
    expect(readFileSync(path.join(setup.localRoot, 'b.txt'), 'utf8')).toBe('hello webdav');
    await dav.moveFile('/local/b.txt', '/kept/c.txt');
    expect(readFileSync(path.join(setup.keptRoot, 'c.txt'), 'utf8')).toBe('hello webdav');
    expect(existsSync(path.join(setup.localRoot, 'b.txt'))).toBe(false);
    await dav.moveFile('/kept/c.txt', '/kept/renamed.txt');
    expect(readFileSync(path.join(setup.keptRoot, 'renamed.txt'), 'utf8')).toBe('hello webdav');
    // From Google Photos to a disk: a copy task streams the bytes, and the answer waits for it.
    await dav.copyFile(`/photos/Albums/${ALBUM}/sea.jpg`, '/local/sea copy.jpg');
    expect(readFileSync(path.join(setup.localRoot, 'sea copy.jpg')).equals(jpegBytes(77))).toBe(true);
    await dav.deleteFile('/local/a.txt');
    expect(existsSync(path.join(setup.localRoot, 'a.txt'))).toBe(false);
    await dav.deleteFile(`/photos/Albums/${ALBUM}/sea.jpg`);
    expect(itemsNamed(setup, 'sea.jpg')[0]!.albumIds).toEqual([]);
    expect(await dav.exists(`/photos/Albums/${ALBUM}/sea.jpg`)).toBe(false);
  });

  it('locks and unlocks: a locked file refuses a write without the token', async () => {
    writeFileSync(path.join(setup.localRoot, 'locked.txt'), 'before');
    const lock = await dav.lock('/local/locked.txt');
    expect(lock.token).toMatch(/^opaquelocktoken:/);
    await expect(dav.putFileContents('/local/locked.txt', 'other')).rejects.toMatchObject({ status: 423 });
    expect(readFileSync(path.join(setup.localRoot, 'locked.txt'), 'utf8')).toBe('before');
    await dav.unlock('/local/locked.txt', lock.token);
    await dav.putFileContents('/local/locked.txt', 'after');
    expect(readFileSync(path.join(setup.localRoot, 'locked.txt'), 'utf8')).toBe('after');
  });

  it('stores a custom property and reads it back with stat', async () => {
    const patch = await dav.customRequest('/local/locked.txt', {
      method: 'PROPPATCH',
      headers: { 'content-type': 'application/xml' },
      data: '<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:" xmlns:x="urn:example:tags"><d:set><d:prop><x:rating>5</x:rating></d:prop></d:set></d:propertyupdate>',
    });
    expect(patch.status).toBe(207);
    const stat = (await dav.stat('/local/locked.txt', {
      details: true,
      data: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:x="urn:example:tags"><d:prop><x:rating/><d:getcontentlength/></d:prop></d:propfind>',
    })) as { data: FileStat & { props: Record<string, unknown> } };
    expect(stat.data.size).toBe(5);
    expect(stat.data.props.rating).toBe(5);
  });
});
