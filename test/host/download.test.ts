/** /d/ and /p/: redirects, streaming with Range, HEAD, signs, stale links, aborts, hostile paths. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { registerDriver } from '../../src/types/registry.js';
import { ByteStoreServer } from './support/byte-store-server.js';
import { expectNoSecrets } from './support/secrets-scan.js';
import { startHostWithEmulator, type HostSetup } from './support/host-setup.js';
import { testFilesDriver } from './support/test-files-driver.js';

const STORE_TOKEN = 'byte-store-token-51';
const storeFiles = {
  'small.bin': Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256)),
  'name "quoted" été.txt': Buffer.from('hello, proxy\n'),
};
const GENERATED = { 'endless.bin': 1024 * 1024 * 1024 };

let setup: HostSetup;
let store: ByteStoreServer;
let allFolder: string;

function pathUrl(...segments: string[]): string {
  return segments.map(encodeURIComponent).join('/');
}

/** A request whose path is sent exactly as written (fetch would normalise "/../"). */
function rawGet(url: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, headers, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  registerDriver(testFilesDriver);
  store = await new ByteStoreServer(storeFiles, new Set([STORE_TOKEN]), GENERATED).start();
  setup = await startHostWithEmulator({ largeFileBytes: 3 * 1024 * 1024 });
  const photos = await setup.addGooglePhotos('/photos');
  const files = await setup.client.post('/api/admin/storage/create', {
    mount_path: '/files', driver: 'TestFiles', addition: JSON.stringify({ base_url: store.url, token: STORE_TOKEN }),
  });
  expect((await setup.settled(photos)).status).toBe('work');
  expect((await setup.settled(files.data.id)).status).toBe('work');
  allFolder = (await setup.client.names('/photos')).find((name) => /^all/i.test(name))!;
});

afterAll(async () => {
  await setup?.close();
  await store?.close();
});

describe('Google Photos files', () => {
  it('redirects /d/ to the emulator and streams the same bytes through /p/, whole and by Range', async () => {
    const { client } = setup;
    const snapshot = setup.emulator.snapshot();
    const names = await client.names(`/photos/${allFolder}`);
    const item = snapshot.mediaItems.find((candidate) => candidate.clientId === setup.emulator.client.clientId
      && candidate.mimeType === 'image/jpeg' && names.filter((name) => name === candidate.filename).length === 1)!;
    const path = pathUrl('photos', allFolder, item.filename);

    const redirect = await client.request(`/d/${path}`);
    expect(redirect.response.status).toBe(302);
    const location = redirect.response.headers.get('location')!;
    expect(location.startsWith(`${setup.emulator.url}/media/`)).toBe(true);
    const direct = Buffer.from(await (await fetch(location)).arrayBuffer());
    expect(direct.length).toBeGreaterThan(1000);

    const proxied = await fetch(`${setup.host.url}/p/${path}`, { headers: { authorization: client.token } });
    expect(proxied.status).toBe(200);
    expect(proxied.headers.get('content-type')).toBe('image/jpeg');
    expect(proxied.headers.get('content-length')).toBe(String(direct.length));
    expect(proxied.headers.get('accept-ranges')).toBe('bytes');
    expect(proxied.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(item.filename)}`);
    expect(Buffer.from(await proxied.arrayBuffer()).equals(direct)).toBe(true);

    const ranged = await fetch(`${setup.host.url}/p/${path}`, { headers: { authorization: client.token, range: 'bytes=100-1099' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 100-1099/${direct.length}`);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(direct.subarray(100, 1100))).toBe(true);

    const head = await fetch(`${setup.host.url}/p/${path}`, { method: 'HEAD', headers: { authorization: client.token } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(direct.length));

    const unsatisfiable = await fetch(`${setup.host.url}/p/${path}`, { headers: { authorization: client.token, range: `bytes=${direct.length + 10}-` } });
    expect(unsatisfiable.status).toBe(416);
    await unsatisfiable.arrayBuffer();
  });

  it('serves the large video by Range from its middle, equal to the emulator’s bytes', async () => {
    const got = await setup.client.post('/api/fs/get', { path: `/photos/${allFolder}/large-video.mp4` });
    expect(got.data.size).toBe(3 * 1024 * 1024);
    const redirect = await fetch(got.data.raw_url, { redirect: 'manual' });
    const location = redirect.headers.get('location')!;
    const range = 'bytes=1048576-1050623';
    const direct = Buffer.from(await (await fetch(location, { headers: { range } })).arrayBuffer());
    const proxied = await fetch(got.data.raw_url.replace('/d/', '/p/'), { headers: { range } });
    expect(proxied.status).toBe(206);
    expect(proxied.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await proxied.arrayBuffer()).equals(direct)).toBe(true);
    expect(direct.length).toBe(2048);
  });
});

describe('links with headers', () => {
  it('streams /d/ through the server when the link carries headers, with an RFC 5987 filename', async () => {
    const name = 'name "quoted" été.txt';
    const answer = await fetch(`${setup.host.url}/d/files/${encodeURIComponent(name)}`, { headers: { authorization: setup.client.token }, redirect: 'manual' });
    expect(answer.status).toBe(200);
    const disposition = answer.headers.get('content-disposition')!;
    expect(disposition).toBe(`attachment; filename="name _quoted_ _t_.txt"; filename*=UTF-8''${encodeURIComponent(name)}`);
    expect(answer.headers.get('last-modified')).toBe(new Date(Date.UTC(2024, 0, 2)).toUTCString());
    expect(await answer.text()).toBe('hello, proxy\n');
  });

  it('fetches a fresh link once when the cached one went stale', async () => {
    const url = `${setup.host.url}/p/files/small.bin`;
    const headers = { authorization: setup.client.token };
    expect(Buffer.from(await (await fetch(url, { headers })).arrayBuffer()).equals(storeFiles['small.bin'])).toBe(true);
    store.generation++;
    const stale = store.counts.staleFiles;
    const again = await fetch(url, { headers: { ...headers, range: 'bytes=10-19' } });
    expect(again.status).toBe(206);
    expect(Buffer.from(await again.arrayBuffer()).equals(storeFiles['small.bin'].subarray(10, 20))).toBe(true);
    expect(store.counts.staleFiles).toBe(stale + 1);
  });

  it('answers 502 when the storage keeps refusing the file', async () => {
    const url = `${setup.host.url}/p/files/small.bin`;
    await (await fetch(url, { headers: { authorization: setup.client.token } })).arrayBuffer();
    const saved = store.files['small.bin']!;
    delete (store.files as Record<string, Buffer>)['small.bin'];
    try {
      const answer = await fetch(url, { headers: { authorization: setup.client.token } });
      expect(answer.status).toBe(502);
      expect(((await answer.json()) as { message: string }).message).toMatch(/HTTP 404/);
    } finally {
      (store.files as Record<string, Buffer>)['small.bin'] = saved;
    }
  });

  it('stops the upstream transfer when the client goes away', async () => {
    const aborted = store.nextAbort();
    const controller = new AbortController();
    const answer = await fetch(`${setup.host.url}/p/files/endless.bin`, { headers: { authorization: setup.client.token }, signal: controller.signal });
    expect(answer.status).toBe(200);
    const reader = answer.body!.getReader();
    await reader.read();
    controller.abort();
    await aborted;
    expect(store.counts.abortedFiles).toBeGreaterThanOrEqual(1);
  });
});

describe('who may download', () => {
  it('accepts a valid sign without a token, and refuses a forged or foreign one with 401', async () => {
    const listed = await setup.client.post('/api/fs/list', { path: '/files' });
    const small = listed.data.content.find((item: { name: string }) => item.name === 'small.bin');
    const ok = await fetch(`${setup.host.url}/p/files/small.bin?sign=${encodeURIComponent(small.sign)}`);
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    const [mac, expiry] = String(small.sign).split(':');
    const forged = await fetch(`${setup.host.url}/p/files/small.bin?sign=${String(mac).slice(1)}x:${expiry}`);
    expect(forged.status).toBe(401);
    const foreign = await fetch(`${setup.host.url}/p/files/endless.bin?sign=${encodeURIComponent(small.sign)}`);
    expect(foreign.status).toBe(401);
    const longer = await fetch(`${setup.host.url}/p/files/small.bin?sign=${mac}:${Number(expiry) + 1}`);
    expect(longer.status).toBe(401);
    expect((await fetch(`${setup.host.url}/p/files/small.bin`)).status).toBe(401);
  });

  it('refuses traversal, NUL and unknown paths, and takes no URL from the client', async () => {
    const auth = { authorization: setup.client.token };
    expect(await rawGet(setup.host.url, '/p/files/../../etc/passwd', auth)).toBe(400);
    expect(await rawGet(setup.host.url, '/p/files/%2e%2e/%2e%2e/etc/passwd', auth)).toBe(400);
    expect(await rawGet(setup.host.url, '/d/files/small.bin%00.jpg', auth)).toBe(400);
    expect(await rawGet(setup.host.url, '/d/files/%E0%A4%A', auth)).toBe(400);
    expect(await rawGet(setup.host.url, '/p/nope/file.bin', auth)).toBe(404);
    expect(await rawGet(setup.host.url, '/p/files/missing.bin', auth)).toBe(404);
    expect(await rawGet(setup.host.url, `/p/?url=${encodeURIComponent(`${store.url}/files/small.bin?v=1`)}`, auth)).toBe(404);
    expect(await rawGet(setup.host.url, '/p/files', auth)).toBe(400);
  });
});

it('leaves no secret in any answer fetched in this file', () => {
  expectNoSecrets(setup.client.seenBodies, [...setup.secrets, STORE_TOKEN]);
});
