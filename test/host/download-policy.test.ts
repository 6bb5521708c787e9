/** /d/ and /p/ by AList's rules: redirect vs proxy (web_proxy, drivers that only proxy), down_proxy_url, enable_sign, ?type=thumb; fs/get's raw_url. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { downloadPolicy } from '../../src/host/downloads/download-policy.js';
import type { LiveStorage } from '../../src/host/storages/storage-manager.js';
import { defaultStorageOptions, type StorageOptions } from '../../src/host/storages/storage-options.js';
import type { Link } from '../../src/types/obj.js';
import { startHostWithEmulator, type HostSetup } from './support/host-setup.js';

const LOCAL_TEXT = 'local bytes, served here\n';

let setup: HostSetup;
let localRoot: string;
/** A photo's name, the same in every GooglePhoto storage below (all on the emulator's one library). */
let photo: string;
let photoBytes: Buffer;

async function addPhotos(mountPath: string, options: Partial<StorageOptions> = {}): Promise<void> {
  const id = await setup.addGooglePhotos(mountPath, { root_folder_id: 'all' }, options);
  expect((await setup.settled(id)).status).toBe('work');
}

async function addLocal(mountPath: string, options: Partial<StorageOptions> = {}): Promise<void> {
  const answer = await setup.client.post('/api/admin/storage/create', {
    mount_path: mountPath, driver: 'Local', addition: JSON.stringify({ root_folder_path: localRoot }), ...options,
  });
  expect((await setup.settled(answer.data.id)).status).toBe('work');
}

/** GET without following redirects; the admin's token unless `token: ''`. */
function get(route: string, token?: string) {
  return setup.client.request(route, { token });
}

async function bytes(url: string): Promise<Buffer> {
  const answer = await fetch(url);
  expect(answer.status).toBe(200);
  return Buffer.from(await answer.arrayBuffer());
}

async function rawUrl(filePath: string): Promise<string> {
  return String((await setup.client.post('/api/fs/get', { path: filePath })).data.raw_url);
}

const file = (mount: string) => `${mount}/${encodeURIComponent(photo)}`;

beforeAll(async () => {
  localRoot = mkdtempSync(path.join(tmpdir(), 'download-policy-'));
  writeFileSync(path.join(localRoot, 'hello.txt'), LOCAL_TEXT);
  setup = await startHostWithEmulator({ items: 6, albums: 1 });
  await addPhotos('/plain');
  await addPhotos('/webproxy', { web_proxy: true });
  await addPhotos('/webproxy-dp', { web_proxy: true, down_proxy_url: 'https://dl.example.com/base/' });
  await addPhotos('/redirect-dp', { down_proxy_url: 'https://dl.example.com' });
  await addPhotos('/signed', { enable_sign: true });
  await addLocal('/local');
  await addLocal('/local-dp', { down_proxy_url: 'http://dl.example.net' });
  photo = (await setup.client.names('/plain')).find((name) => /\.jpe?g$/i.test(name))!;
  const redirect = await get(`/d${file('/plain')}`);
  photoBytes = await bytes(redirect.response.headers.get('location')!);
}, 60_000);

afterAll(async () => {
  await setup?.close();
  rmSync(localRoot, { recursive: true, force: true });
});

describe('/d/', () => {
  it('redirects to the storage\'s own link when nothing asks for a proxy, sending no referrer', async () => {
    const { response } = await get(`/d${file('/plain')}`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')!.startsWith(`${setup.emulator.url}/`)).toBe(true);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('streams the bytes through this server when the storage has web_proxy on', async () => {
    const answer = await fetch(`${setup.host.url}/d${file('/webproxy')}`, { headers: { authorization: setup.client.token }, redirect: 'manual' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('location')).toBeNull();
    expect(answer.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(Buffer.from(await answer.arrayBuffer()).equals(photoBytes)).toBe(true);
  });

  it('proxies a driver that only proxies (Local) instead of redirecting', async () => {
    const answer = await fetch(`${setup.host.url}/d/local/hello.txt`, { headers: { authorization: setup.client.token }, redirect: 'manual' });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe(LOCAL_TEXT);
  });

  it('sends a proxied download to down_proxy_url + path + ?sign=, a sign that this server accepts on /p/?d', async () => {
    const { response } = await get(`/d${file('/webproxy-dp')}`);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`https://dl.example.com/base${file('/webproxy-dp')}`);
    const sign = location.searchParams.get('sign')!;
    expect(sign).toMatch(/^[\w-]+=*:\d+$/);
    // What a down proxy does with it: fetch the file from this server with the sign (and `d`, so it is not sent back).
    const fetched = await fetch(`${setup.host.url}/p${file('/webproxy-dp')}?sign=${encodeURIComponent(sign)}&d=1`, { redirect: 'manual' });
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(photoBytes)).toBe(true);

    const local = await get('/d/local-dp/hello.txt');
    expect(local.response.status).toBe(302);
    expect(local.response.headers.get('location')).toMatch(/^http:\/\/dl\.example\.net\/local-dp\/hello\.txt\?sign=[\w-]+(%3D)*%3A\d+$/);
  });

  it('still redirects to the storage when down_proxy_url is set but nothing asks for a proxy (as AList)', async () => {
    const { response } = await get(`/d${file('/redirect-dp')}`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')!.startsWith(`${setup.emulator.url}/`)).toBe(true);
  });
});

describe('/p/', () => {
  it('always streams through this server, whatever the storage would do on /d/', async () => {
    const answer = await fetch(`${setup.host.url}/p${file('/plain')}`, { headers: { authorization: setup.client.token }, redirect: 'manual' });
    expect(answer.status).toBe(200);
    expect(Buffer.from(await answer.arrayBuffer()).equals(photoBytes)).toBe(true);
  });

  it('goes to down_proxy_url when the storage has one, unless the request carries `d`', async () => {
    const { response } = await get(`/p${file('/redirect-dp')}`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')!.startsWith(`https://dl.example.com${file('/redirect-dp')}?sign=`)).toBe(true);
    const direct = await fetch(`${setup.host.url}/p${file('/redirect-dp')}?d`, { headers: { authorization: setup.client.token }, redirect: 'manual' });
    expect(direct.status).toBe(200);
    expect(Buffer.from(await direct.arrayBuffer()).equals(photoBytes)).toBe(true);
  });
});

describe('?type=', () => {
  it('thumb: redirects to, or streams, the driver\'s thumbnail instead of the file', async () => {
    const redirect = await get(`/d${file('/plain')}?type=thumb`);
    expect(redirect.response.status).toBe(302);
    const thumb = await bytes(redirect.response.headers.get('location')!);
    expect(thumb.length).toBeGreaterThan(100);
    expect(thumb.length).toBeLessThan(photoBytes.length);
    const proxied = await fetch(`${setup.host.url}/p${file('/plain')}?type=thumb`, { headers: { authorization: setup.client.token } });
    expect(proxied.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await proxied.arrayBuffer()).equals(thumb)).toBe(true);
    // The file itself is still served whole afterwards (the thumbnail's link is not the file's).
    expect((await fetch(`${setup.host.url}/p${file('/plain')}`, { headers: { authorization: setup.client.token } }).then((r) => r.arrayBuffer())).byteLength)
      .toBe(photoBytes.length);
  });

  it('preview: the driver has no preview of its own, so the file is served', async () => {
    const answer = await fetch(`${setup.host.url}/p${file('/plain')}?type=preview`, { headers: { authorization: setup.client.token } });
    expect(Buffer.from(await answer.arrayBuffer()).equals(photoBytes)).toBe(true);
  });
});

describe('enable_sign', () => {
  it('makes /d/ and /p/ of that storage refuse a request without a valid sign, even from the admin, and take one with it', async () => {
    for (const route of ['d', 'p']) {
      const unsigned = await get(`/${route}${file('/signed')}`);
      expect(unsigned.response.status).toBe(401);
      expect(unsigned.text).toMatch(/need a sign/);
    }
    const signed = await get((await rawUrl(`/signed/${photo}`)).slice(setup.host.url.length), '');
    expect(signed.response.status).toBe(302);
    // A storage without it still serves the admin without a sign.
    expect((await get(`/d${file('/plain')}`)).response.status).toBe(302);
  });
});

describe('fs/get raw_url', () => {
  it('is the /d/ link for a redirecting storage, /p/ for a proxying one, and the down proxy\'s where one is set', async () => {
    const site = setup.host.url;
    const signed = (url: string, prefix: string) => {
      expect(url.startsWith(prefix)).toBe(true);
      expect(url.slice(prefix.length)).toMatch(/^\?sign=[\w-]+(%3D)*%3A\d+$/);
    };
    signed(await rawUrl(`/plain/${photo}`), `${site}/d${file('/plain')}`);
    signed(await rawUrl(`/webproxy/${photo}`), `${site}/p${file('/webproxy')}`);
    signed(await rawUrl(`/webproxy-dp/${photo}`), `https://dl.example.com/base${file('/webproxy-dp')}`);
    signed(await rawUrl(`/redirect-dp/${photo}`), `${site}/d${file('/redirect-dp')}`);
    signed(await rawUrl('/local/hello.txt'), `${site}/p/local/hello.txt`);
    signed(await rawUrl('/local-dp/hello.txt'), 'http://dl.example.net/local-dp/hello.txt');
  });
});

describe('downloadPolicy, for WebDAV', () => {
  const storage = (options: Partial<StorageOptions>, onlyProxy = false) =>
    ({ row: { ...defaultStorageOptions(onlyProxy), ...options }, driver: { meta: { onlyProxy } } }) as unknown as LiveStorage;
  const plainLink: Link = { url: 'https://photos.example.com/x=d' };
  const bearerLink: Link = { url: 'https://photos.example.com/x=d', header: { authorization: 'Bearer t' } };

  it.each([
    ['302_redirect', {}, false, plainLink, { action: 'redirect' }],
    ['302_redirect, a link that needs a header', {}, false, bearerLink, { action: 'proxy' }],
    ['302_redirect on a driver that only proxies', {}, true, plainLink, { action: 'proxy' }],
    ['302_redirect ignores web_proxy, as AList', { web_proxy: true }, false, plainLink, { action: 'redirect' }],
    ['native_proxy', { webdav_policy: 'native_proxy' }, false, plainLink, { action: 'proxy' }],
    ['native_proxy ignores down_proxy_url', { webdav_policy: 'native_proxy', down_proxy_url: 'https://dl.example.com' }, false, plainLink, { action: 'proxy' }],
    ['use_proxy_url without a URL proxies here', { webdav_policy: 'use_proxy_url' }, false, plainLink, { action: 'proxy' }],
    ['use_proxy_url', { webdav_policy: 'use_proxy_url', down_proxy_url: 'https://dl.example.com/\nhttps://b.example.com' }, false, plainLink,
      { action: 'down_proxy', base: 'https://dl.example.com' }],
  ] as const)('%s', (_name, options, onlyProxy, link, expected) => {
    expect(downloadPolicy(storage(options as Partial<StorageOptions>, onlyProxy), 'webdav', link)).toEqual(expected);
  });
});
