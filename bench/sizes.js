// File sizes benchmark: a library of 10,000 items behind 20 ms of latency (API and media bytes), served through
// the real host. Measures the time until the background prober knows every size of a freshly listed folder, the
// HEAD requests it made (at most one per item), fs/list times while it probes and once it is idle, and the time
// to learn the sizes of a fresh 1,000-item folder (what a first WebDAV PROPFIND of it costs), and the time of a real
// first PROPFIND (Depth 1, over HTTP at /dav/) of another fresh 1,000-item folder, with the sizes it answers.
// The emulator and the host each run in their own child process; only the HTTP client runs here.
//
//   npm run bench:sizes [-- --items 10000 --album-items 1000 --latency 20]
//
// Writes the output to bench/results/sizes-<YYYY-MM-DD>.txt.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { emulatorControl, startEmulatorProcess } from './emulator-process.js';
import { api as hostApi, ask, closeHostChild } from './host-api.js';
import { reportLines, writeResults } from './bench-report.js';

const SELF = fileURLToPath(import.meta.url);
const ADMIN_PASSWORD = 'bench-sizes-password';
const REQUEST_TIMEOUT_MS = 300_000;
const api = (url, route, body, token) => hostApi(url, route, body, token, REQUEST_TIMEOUT_MS);
const PROBE_LIMIT_MS = 15 * 60_000;
const UPLOADS_AT_ONCE = 8;
const BATCH_CREATE_LIMIT = 50;
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);

const { values: args } = parseArgs({
  options: {
    items: { type: 'string', default: '10000' },
    'album-items': { type: 'string', default: '1000' },
    latency: { type: 'string', default: '20' },
    worker: { type: 'boolean', default: false },
  },
});

/** The child: a host on a fresh data folder; answers {learn: path} with the learn() timing over IPC. */
async function runHostWorker() {
  const { createHost } = await import('../dist/host/index.js');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-sizes-'));
  const host = await createHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false });
  process.on('message', async (message) => {
    if (message.learn) {
      const started = performance.now();
      const { objs, sizes } = await host.learnFolderSizes(message.learn, message.timeoutMs);
      process.send({ ms: performance.now() - started, files: objs.filter((obj) => !obj.isDir).length, known: sizes.size });
    } else if (message === 'close') {
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  process.send({ url: host.url });
}

async function google(url, init) {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${text.slice(0, 200)}`);
  return text;
}

/**
 * Fills the emulator's library through its upload API: `count` small files of distinct sizes (uploaded bytes
 * are served as they are, so a HEAD costs the emulator nothing), the first `albumCount` of them in one album.
 */
async function seedLibrary(emulator, count, albumCount) {
  const { refresh_token: refreshToken } = await emulatorControl(emulator, 'post', 'refresh-tokens', {});
  const tokenAnswer = JSON.parse(await google(`${emulator.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: emulator.clientId, client_secret: emulator.clientSecret }),
  }));
  const auth = { authorization: `Bearer ${tokenAnswer.access_token}` };
  const library = `${emulator.url}/photoslibrary/v1`;
  const album = JSON.parse(await google(`${library}/albums`, {
    method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ album: { title: 'thousand' } }),
  }));
  const upload = (index) => google(`${library}/uploads`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/octet-stream', 'x-goog-upload-protocol': 'raw', 'x-goog-upload-content-type': 'image/jpeg', 'x-goog-upload-file-name': `photo-${index}.jpg` },
    // JPEG's magic number first: the emulator, like Google, takes the type from the bytes and refuses what is no photo.
    body: Buffer.concat([JPEG_MAGIC, Buffer.alloc(500 + (index % 4000), index % 251)]),
  });
  for (let start = 0; start < count; start += BATCH_CREATE_LIMIT) {
    const indexes = Array.from({ length: Math.min(BATCH_CREATE_LIMIT, count - start) }, (_, i) => start + i);
    const tokens = [];
    for (let i = 0; i < indexes.length; i += UPLOADS_AT_ONCE) tokens.push(...await Promise.all(indexes.slice(i, i + UPLOADS_AT_ONCE).map(upload)));
    const body = { newMediaItems: tokens.map((uploadToken, i) => ({ simpleMediaItem: { uploadToken, fileName: `photo-${indexes[i]}.jpg` } })) };
    if (start < albumCount) body.albumId = album.id;
    await google(`${library}/mediaItems:batchCreate`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
  return refreshToken;
}

const seconds = (ms) => (ms / 1000).toFixed(2);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function timedList(url, token, folder, refresh = false) {
  const started = performance.now();
  const data = await api(url, '/api/fs/list', { path: folder, refresh }, token);
  const files = data.content.filter((item) => !item.is_dir);
  return { ms: performance.now() - started, files: files.length, sized: files.filter((item) => !item.size_unknown).length };
}

async function main() {
  const items = Number(args.items);
  const albumItems = Math.min(items, Number(args['album-items']));
  const latencyMs = Number(args.latency);
  const emulator = await startEmulatorProcess(['--items', '0', '--albums', '0', '--pickable-only', '0']);
  const execArgv = process.env.BENCH_HOST_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_HOST_PROF] : [];
  const child = fork(SELF, ['--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  const hostReady = new Promise((resolve) => child.once('message', resolve));
  const { lines, say } = reportLines();
  try {
    const seeding = performance.now();
    const refreshToken = await seedLibrary(emulator, items, albumItems);
    console.log(`(seeded ${items} items in ${seconds(performance.now() - seeding)} s)`);
    await emulatorControl(emulator, 'post', 'faults', { latencyMs });
    await emulatorControl(emulator, 'post', 'media-faults', { latencyMs });
    const { url } = await hostReady;
    const { token } = await api(url, '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    const addition = (extra) => JSON.stringify({ client_id: emulator.clientId, client_secret: emulator.clientSecret, refresh_token: refreshToken, api_base_url: emulator.url, ...extra });
    for (const mount of ['/probed', '/learnt', '/webdav']) {
      await api(url, '/api/admin/storage/create', { mount_path: mount, driver: 'GooglePhoto', addition: addition() }, token);
    }
    const folderOf = async (parent, pattern) => `${parent}/${(await api(url, '/api/fs/list', { path: parent }, token)).content.find((item) => pattern.test(item.name)).name}`;
    const all = await folderOf('/probed', /^all/i);

    say(`Sizes benchmark, ${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})`);
    say(`Library: ${items} items, ${latencyMs} ms latency on every API and media request; host defaults (8 HEADs at once per storage)`);

    // 1. A fresh listing of the whole library starts the background prober.
    await emulatorControl(emulator, 'post', 'stats/reset');
    const started = performance.now();
    const first = await timedList(url, token, all);
    say(`First fs/list of ${first.files} items (from the API, starts the prober): ${seconds(first.ms)} s, ${first.sized} sizes known`);
    const whileProbing = [];
    const refreshWhileProbing = [];
    let last = first;
    while (last.sized < last.files && performance.now() - started < PROBE_LIMIT_MS) {
      last = await timedList(url, token, all);
      whileProbing.push(last.ms);
      if (refreshWhileProbing.length < 3 && whileProbing.length % 5 === 0) refreshWhileProbing.push((await timedList(url, token, all, true)).ms);
      if (last.sized < last.files) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const allKnownMs = performance.now() - started;
    const stats = await emulatorControl(emulator, 'get', 'stats');
    const heads = stats['HEAD /media'] ?? 0;
    say(`Every size known after: ${seconds(allKnownMs)} s (${last.sized}/${last.files}; ${(last.files / (allKnownMs / 1000)).toFixed(0)} sizes/s)`);
    say(`HEAD requests made: ${heads} for ${last.files} items (${heads <= last.files ? 'OK, at most one per item' : 'MORE THAN ONE PER ITEM'})`);

    // 2. Listing times once the prober is idle.
    const idle = [];
    const refreshIdle = [];
    for (let i = 0; i < 10; i++) idle.push((await timedList(url, token, all)).ms);
    for (let i = 0; i < refreshWhileProbing.length; i++) refreshIdle.push((await timedList(url, token, all, true)).ms);
    const headsAfter = (await emulatorControl(emulator, 'get', 'stats'))['HEAD /media'] ?? 0;
    say(`fs/list (cached listing, ${items} items), median: while probing ${(median(whileProbing)).toFixed(0)} ms (${whileProbing.length} listings), prober idle ${(median(idle)).toFixed(0)} ms`);
    if (refreshIdle.length > 0) {
      say(`fs/list refresh (from the API), median: while probing ${(median(refreshWhileProbing) / 1000).toFixed(2)} s, prober idle ${(median(refreshIdle) / 1000).toFixed(2)} s`);
    }
    say(`HEAD requests after ${idle.length + refreshIdle.length} more listings: ${headsAfter - heads}`);

    // 3. What a first PROPFIND of a fresh 1,000-item folder costs: list it, then learn every missing size.
    const album = await folderOf(await folderOf('/learnt', /^albums/i), /^thousand/i);
    await emulatorControl(emulator, 'post', 'stats/reset');
    const learnt = await ask(child, { learn: album, timeoutMs: 60_000 });
    const albumHeads = (await emulatorControl(emulator, 'get', 'stats'))['HEAD /media'] ?? 0;
    say(`learnFolderSizes of a fresh ${learnt.files}-item album (listing + learn, as a first PROPFIND): ${seconds(learnt.ms)} s, ${learnt.known}/${learnt.files} sizes, ${albumHeads} HEADs`);
    const again = await ask(child, { learn: album, timeoutMs: 60_000 });
    say(`The same again (all known, listing cached): ${again.ms.toFixed(0)} ms`);

    // 4. A real first PROPFIND Depth 1 of a fresh 1,000-item album (a storage of its own: nothing listed or learnt yet).
    const davAlbum = await folderOf(await folderOf('/webdav', /^albums/i), /^thousand/i);
    const basic = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` };
    const propfind = async (folder) => {
      const started = performance.now();
      const href = `${url}/dav${folder.split('/').map(encodeURIComponent).join('/')}/`;
      const response = await fetch(href, { method: 'PROPFIND', headers: { ...basic, depth: '1' }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const text = await response.text();
      if (response.status !== 207) throw new Error(`PROPFIND ${href}: HTTP ${response.status} ${text.slice(0, 200)}`);
      return { ms: performance.now() - started, files: (text.match(/<D:resourcetype\/>/g) ?? []).length, sized: (text.match(/<D:getcontentlength>/g) ?? []).length };
    };
    await propfind(''); // checks the password once (scrypt); later requests reuse the check
    await emulatorControl(emulator, 'post', 'stats/reset');
    const firstDav = await propfind(davAlbum);
    const davHeads = (await emulatorControl(emulator, 'get', 'stats'))['HEAD /media'] ?? 0;
    say(`First PROPFIND Depth 1 (HTTP, /dav) of a fresh ${firstDav.files}-item album: ${seconds(firstDav.ms)} s, ${firstDav.sized}/${firstDav.files} sizes, ${davHeads} HEADs`);
    const secondDav = await propfind(davAlbum);
    say(`The same PROPFIND again: ${secondDav.ms.toFixed(0)} ms, ${secondDav.sized}/${secondDav.files} sizes`);

    writeResults('sizes', lines);
  } finally {
    await closeHostChild(child);
    emulator.stop();
  }
}

if (args.worker) await runHostWorker();
else await main();
