/**
 * The nginx internal-redirect mode against a real nginx (Debian's package) running docs/deploy.md's configuration:
 * the host checks, nginx streams the storage's bytes itself, and the bearer token of a picked item never reaches
 * the client nor anyone who talks to the host directly.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { nginxConfig } from '../../src/host/downloads/nginx-config.js';
import { createHost } from '../../src/host/index.js';
import { main as serve } from '../../src/host/cli/serve.js';
import { ADMIN_PASSWORD, FAST_DRIVER_OPTIONS, startHostWithEmulator, type HostSetup } from './support/host-setup.js';
import { startNginx, type NginxServer } from './support/nginx-server.js';
import { waitFor } from './support/picker-setup.js';

const SECRET = 'nginx-accel-test-secret-9Vq2';
const PREFIX = '/_accel';

/** The clock of the emulator and the driver: moved forward, they see the host's cached links as stale while the host does not. */
const storageClock = { offsetMs: 0 };
let setup: HostSetup;
let nginx: NginxServer;
let allFolder: string;
let pickedFolder: string;

function pathUrl(path: string): string {
  return path.replace(/^\//, '').split('/').map(encodeURIComponent).join('/');
}

async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

/** What the emulator itself serves for a library file: the location /d/ redirects to, fetched directly. */
async function emulatorBytes(path: string): Promise<Buffer> {
  const redirect = await fetch(`${setup.host.url}/d/${pathUrl(path)}`, { headers: { authorization: setup.client.token }, redirect: 'manual' });
  expect(redirect.status).toBe(302);
  return bytesOf(await fetch(redirect.headers.get('location')!));
}

function headerValues(response: Response): string {
  return [...response.headers.entries()].map(([name, value]) => `${name}: ${value}`).join('\n');
}

async function pickTwo(storageId: number): Promise<string> {
  const created = await setup.client.post('/api/admin/google/picker/create', { storage_id: storageId });
  expect(created.code).toBe(200);
  const ids = setup.emulator.snapshot().mediaItems.filter((item) => item.clientId === null).slice(0, 2).map((item) => item.id);
  const picked = await fetch(`${setup.emulator.url}/emulator/picker/sessions/${created.data.session_id}/pick`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mediaItemIds: ids }),
  });
  expect(picked.status).toBeLessThan(300);
  const polled = await waitFor(
    () => setup.client.get(`/api/admin/google/picker/get?storage_id=${storageId}&session_id=${encodeURIComponent(created.data.session_id)}`),
    (answer) => answer.data?.media_items_set === true,
  );
  return polled.data.folder_path; // renamed once picked
}

beforeAll(async () => {
  const now = () => Date.now() + storageClock.offsetMs;
  setup = await startHostWithEmulator({ largeFileBytes: 3 * 1024 * 1024, pickableOnlyItems: 4, now }, {
    accelRedirect: { prefix: PREFIX, secret: SECRET }, driverOptions: () => ({ ...FAST_DRIVER_OPTIONS(), now }),
  });
  const photos = await setup.addGooglePhotos('/photos');
  expect((await setup.settled(photos)).status).toBe('work');
  allFolder = (await setup.client.names('/photos')).find((name) => /^all/i.test(name))!;
  pickedFolder = await pickTwo(photos);
  nginx = await startNginx(setup.host.url, { secret: SECRET, prefix: PREFIX });
}, 60_000);

afterAll(async () => {
  await nginx?.close();
  await setup?.close();
});

describe('through nginx in the internal-redirect mode', () => {
  it('serves a photo and a video with the emulator\'s bytes and the host\'s headers', async () => {
    const names = await setup.client.names(`/photos/${allFolder}`);
    const photo = names.find((name) => /\.jpe?g$/i.test(name) && names.filter((other) => other === name).length === 1)!;
    for (const name of [photo, 'large-video.mp4']) {
      const path = `/photos/${allFolder}/${name}`;
      const expected = await emulatorBytes(path);
      const answer = await fetch(`${nginx.url}/p/${pathUrl(path)}`, { headers: { authorization: setup.client.token } });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`);
      expect(answer.headers.get('cache-control')).toBe('private, max-age=0');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-accel-redirect')).toBeNull();
      expect((await bytesOf(answer)).equals(expected)).toBe(true);
    }
  });

  it('is an internal redirect to the storage\'s link, given only to a request carrying the secret', async () => {
    const path = `/photos/${allFolder}/large-video.mp4`;
    const viaNginx = await fetch(`${setup.host.url}/p/${pathUrl(path)}`, { headers: { authorization: setup.client.token, 'x-accel-secret': SECRET } });
    expect(viaNginx.status).toBe(200);
    expect(decodeURIComponent(viaNginx.headers.get('x-accel-redirect')!.slice(PREFIX.length + 1)).startsWith(`${setup.emulator.url}/`)).toBe(true);
    expect((await bytesOf(viaNginx)).length).toBe(0);
    for (const secret of [undefined, 'not-the-secret-at-all']) {
      const direct = await fetch(`${setup.host.url}/p/${pathUrl(path)}`, { headers: { authorization: setup.client.token, ...(secret ? { 'x-accel-secret': secret } : {}) } });
      expect(direct.headers.get('x-accel-redirect')).toBeNull();
      expect((await bytesOf(direct)).length).toBe(3 * 1024 * 1024);
    }
  });

  it('passes the client\'s Range to the storage: 206 with the right slice', async () => {
    const path = `/photos/${allFolder}/large-video.mp4`;
    const whole = await emulatorBytes(path);
    const answer = await fetch(`${nginx.url}/p/${pathUrl(path)}`, { headers: { authorization: setup.client.token, range: 'bytes=1000-1999999' } });
    expect(answer.status).toBe(206);
    expect(answer.headers.get('content-range')).toBe(`bytes 1000-1999999/${whole.length}`);
    expect((await bytesOf(answer)).equals(whole.subarray(1000, 2_000_000))).toBe(true);
  });

  it('downloads picked items (bearer token) by /p/, /d/ and WebDAV, never showing the client the token', async () => {
    const names = await setup.client.names(pickedFolder);
    expect(names.length).toBe(2);
    const path = `${pickedFolder}/${names[0]}`;
    // The host streaming it itself (no secret): the reference bytes.
    const expected = await bytesOf(await fetch(`${setup.host.url}/p/${pathUrl(path)}`, { headers: { authorization: setup.client.token } }));
    expect(expected.length).toBeGreaterThan(1000);
    // What nginx gets from the host holds the bearer token...
    const hop = await fetch(`${setup.host.url}/p/${pathUrl(path)}`, { headers: { authorization: setup.client.token, 'x-accel-secret': SECRET } });
    expect(hop.headers.get('x-accel-authorization')).toMatch(/^Bearer \S+/);
    const token = hop.headers.get('x-accel-authorization')!.slice('Bearer '.length);
    // ...and none of what the client gets does.
    const basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
    const ways = [
      { url: `${nginx.url}/p/${pathUrl(path)}`, headers: { authorization: setup.client.token }, disposition: 'inline' },
      { url: `${nginx.url}/d/${pathUrl(path)}`, headers: { authorization: setup.client.token }, disposition: 'attachment' },
      { url: `${nginx.url}/dav/${pathUrl(path)}`, headers: { authorization: basic }, disposition: 'inline' },
    ];
    for (const way of ways) {
      const answer = await fetch(way.url, { headers: way.headers });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-disposition')?.startsWith(way.disposition)).toBe(true);
      const shown = headerValues(answer);
      expect(shown).not.toContain(token);
      expect(shown).not.toMatch(/bearer|x-accel/i);
      const body = await bytesOf(answer);
      expect(body.equals(expected)).toBe(true);
      expect(body.includes(token)).toBe(false);
    }
  });

  it('answers a bad sign with the host\'s 401', async () => {
    const path = `/photos/${allFolder}/large-video.mp4`;
    const answer = await fetch(`${nginx.url}/p/${pathUrl(path)}?sign=not-a-valid-sign:0`);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('x-accel-redirect')).toBeNull();
    expect(await answer.text()).toContain('sign is refused');
  });
});

describe('a link gone stale at the storage', () => {
  it('is streamed by the host with a fresh link, through nginx, with the right bytes', async () => {
    const path = `/photos/${allFolder}/large-video.mp4`;
    const expected = await emulatorBytes(path);
    // The host's cached link, as nginx would be sent to it...
    const hop = await fetch(`${setup.host.url}/p/${pathUrl(path)}`, { headers: { authorization: setup.client.token, 'x-accel-secret': SECRET } });
    const cachedLink = decodeURIComponent(hop.headers.get('x-accel-redirect')!.slice(PREFIX.length + 1));
    storageClock.offsetMs = 61 * 60_000;
    try {
      expect((await fetch(cachedLink)).status).toBe(403); // ...is refused by the storage now
      const answer = await fetch(`${nginx.url}/p/${pathUrl(path)}`, { headers: { authorization: setup.client.token, range: 'bytes=5-1004' } });
      expect(answer.status).toBe(206);
      expect(headerValues(answer)).not.toMatch(/x-accel/i);
      expect(answer.headers.get('content-disposition')?.startsWith('inline')).toBe(true);
      expect((await bytesOf(answer)).equals(expected.subarray(5, 1005))).toBe(true);
    } finally {
      storageClock.offsetMs = 0;
    }
  });
});

describe('without the mode', () => {
  it('the host streams the bytes itself, even to a request carrying a secret', async () => {
    const plain = await startHostWithEmulator({ pickableOnlyItems: 4 });
    const proxy = await startNginx(plain.host.url);
    try {
      const photos = await plain.addGooglePhotos('/photos');
      expect((await plain.settled(photos)).status).toBe('work');
      const folder = (await plain.client.names('/photos')).find((name) => /^all/i.test(name))!;
      const name = (await plain.client.names(`/photos/${folder}`)).find((one) => /\.jpe?g$/i.test(one))!;
      const path = pathUrl(`/photos/${folder}/${name}`);
      const redirect = await fetch(`${plain.host.url}/d/${path}`, { headers: { authorization: plain.client.token }, redirect: 'manual' });
      const expected = await bytesOf(await fetch(redirect.headers.get('location')!));
      const direct = await fetch(`${plain.host.url}/p/${path}`, { headers: { authorization: plain.client.token, 'x-accel-secret': SECRET } });
      expect(direct.headers.get('x-accel-redirect')).toBeNull();
      expect((await bytesOf(direct)).equals(expected)).toBe(true);
      const proxied = await fetch(`${proxy.url}/p/${path}`, { headers: { authorization: plain.client.token, range: 'bytes=10-99' } });
      expect(proxied.status).toBe(206);
      expect((await bytesOf(proxied)).equals(expected.subarray(10, 100))).toBe(true);
    } finally {
      await proxy.close();
      await plain.close();
    }
  });
});

describe('bad settings of the mode', () => {
  it('stop the start with a clear error', async () => {
    const dataDir = `${setup.dataDir}-never-made`;
    await expect(createHost({ dataDir, accelRedirect: { prefix: '_accel', secret: SECRET } })).rejects.toThrow(/prefix must be a path such as \/_accel/);
    await expect(createHost({ dataDir, accelRedirect: { prefix: PREFIX, secret: 'too-short' } })).rejects.toThrow(/ACCEL_SECRET must be at least 16 characters/);
    const saved = process.env.ACCEL_SECRET;
    delete process.env.ACCEL_SECRET;
    try {
      await expect(serve(['--accel-redirect', PREFIX, '--port', '0', '--data', dataDir])).rejects.toThrow(/--accel-redirect needs env ACCEL_SECRET/);
    } finally {
      if (saved !== undefined) process.env.ACCEL_SECRET = saved;
    }
  });
});

describe('docs/deploy.md', () => {
  it('shows exactly the configurations these tests run (with its placeholders)', () => {
    const doc = readFileSync(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
    const blocks = [...doc.matchAll(/```nginx\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(blocks).toEqual([
      nginxConfig(),
      nginxConfig({ accel: { secret: 'CHANGE-ME-to-the-same-value-as-ACCEL_SECRET' }, trustedCertificates: '/etc/ssl/certs/ca-certificates.crt' }),
      nginxConfig({ hosts: ['127.0.0.1:5244', '127.0.0.1:5245'] }),
    ]);
  });
});
