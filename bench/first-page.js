// First-page benchmark: how soon the real host answers page 1 of a huge folder through `POST /api/fs/list`
// (per_page 100), and how long walking every page takes, against an emulator in its own process with
// upstream latency. The full walk is compared with the driver's full listing (list('all')) measured in each
// round by bench/list.js's own driver worker, in its own process, so both run under the same machine load;
// and with the newest bench/results/list-*.txt at the same latency, if any.
//
//   npm run bench:first-page [-- --items 100000 --latency 50 --rounds 1]
//
// Writes the full output to bench/results/first-page-<YYYY-MM-DD>.txt.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { emulatorControl, startEmulatorProcess } from './emulator-process.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const LIST_BENCH = fileURLToPath(new URL('list.js', import.meta.url));
const ADMIN_PASSWORD = 'bench-first-page-password';
const PER_PAGE = 100;
const REQUEST_TIMEOUT_MS = 600_000;
const LIST_ROUTE = 'GET /photoslibrary/v1/mediaItems';
const TOKEN_ROUTE = 'POST /token';

const { values: args } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    latency: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '1' },
    'walk-worker': { type: 'boolean', default: false },
    url: { type: 'string' },
    path: { type: 'string' },
    token: { type: 'string' },
    first: { type: 'string' },
  },
});

const lines = [];
function out(line = '') {
  lines.push(line);
  console.log(line);
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function api(url, route, body, token) {
  const response = await fetch(`${url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const envelope = await response.json();
  if (envelope.code !== 200) throw new Error(`${route}: ${envelope.code} ${envelope.message}`);
  return envelope.data;
}

async function upstream(emulator) {
  const stats = await emulatorControl(emulator, 'get', 'stats');
  const list = stats[LIST_ROUTE] ?? 0;
  const token = stats[TOKEN_ROUTE] ?? 0;
  const other = Object.values(stats).reduce((sum, n) => sum + n, 0) - list - token;
  return { list, token, other, text: `${list} list + ${token} token${other ? ` + ${other} other` : ''}` };
}

/**
 * The walk's client, in its own process (as a browser would be): pages 2, 3, ... until the total is final.
 * Prints {items, requests, ms}.
 */
async function runWalkWorker() {
  const started = performance.now();
  const first = Number(args.first);
  let listed = 0;
  let requests = 0;
  for (let page = 2; ; page++) {
    const answer = await api(args.url, '/api/fs/list', { path: args.path, page, per_page: PER_PAGE }, args.token);
    listed += answer.content.length;
    requests++;
    if (answer.total_final && first + listed >= answer.total) break;
    if (answer.content.length === 0) throw new Error(`page ${page} is empty but the total is not final`);
  }
  process.stdout.write(`${JSON.stringify({ items: listed, requests, ms: performance.now() - started })}\n`);
}

function childJson(scriptArgs) {
  const child = spawn(process.execPath, scriptArgs, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk) => { text += chunk; });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(text.trim().split('\n').pop())) : reject(new Error(`${scriptArgs[0]} worker exited with ${code}`))));
  });
}

/** The driver's full listing of "all" in its own process (bench/list.js --worker driver): {items, ms, maxRssMb}. */
function driverListing(emulator, refreshToken) {
  return childJson([LIST_BENCH, '--worker', 'driver', '--url', emulator.url, '--client-id', emulator.clientId,
    '--client-secret', emulator.clientSecret, '--refresh-token', refreshToken]);
}

/** The driver's best full-listing time at this latency, from the newest list benchmark results. */
function listBenchmark(latency) {
  const dir = fileURLToPath(new URL('results/', import.meta.url));
  const files = readdirSync(dir).filter((name) => /^list-\d{4}-\d{2}-\d{2}\.txt$/.test(name)).sort();
  for (const file of files.reverse()) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const section = text.split(/^== /m).find((part) => part.includes(`latency ${latency} ms`));
    const ms = section && /best driver: .*\(([\d,]+) ms\)/.exec(section)?.[1];
    if (ms) return { file, ms: Number(ms.replace(/,/g, '')) };
  }
  return undefined;
}

async function main() {
  const items = Number(args.items);
  const latency = Number(args.latency);
  const rounds = Number(args.rounds);
  if (!Number.isInteger(items) || items < 1 || !(latency >= 0) || !Number.isInteger(rounds) || rounds < 1) {
    console.error('usage: node bench/first-page.js [--items N] [--latency MS] [--rounds R]');
    process.exit(2);
  }
  out(`First-page benchmark ${new Date().toISOString()} — node ${process.version}, ${process.platform}/${process.arch}`);
  out(`${fmt(items)} items in "all", emulator latency ${latency} ms per API request, per_page ${PER_PAGE}; host in this process.`);
  out();
  const emulator = await startEmulatorProcess(['--items', String(items), '--albums', '2', '--latency', String(latency)]);
  const { createHost } = await import('../dist/host/index.js');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-first-page-'));
  const host = await createHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false });
  let mounts = 0;
  try {
    const { token } = await api(host.url, '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    /** A new storage on "all" (so nothing is cached); the host initialises it (one token request) in the background. */
    const mount = async () => {
      const { refresh_token: refreshToken } = await emulatorControl(emulator, 'post', 'refresh-tokens', {});
      const mountPath = `/bench-${++mounts}`;
      await api(host.url, '/api/admin/storage/create', {
        mount_path: mountPath, driver: 'GooglePhoto', cache_expiration: 30,
        addition: JSON.stringify({ client_id: emulator.clientId, client_secret: emulator.clientSecret, refresh_token: refreshToken, api_base_url: emulator.url, root_folder_id: 'all' }),
      }, token);
      return mountPath;
    };
    const list = (mountPath, body) => api(host.url, '/api/fs/list', { path: mountPath, ...body }, token);
    let bestWalk;
    let bestDriver;
    for (let round = 1; round <= rounds; round++) {
      out(`-- round ${round} --`);
      // Page 1, from the storage's creation (its token request included) to the answer.
      await emulatorControl(emulator, 'post', 'stats/reset', {});
      let started = performance.now();
      const mountPath = await mount();
      const created = performance.now();
      const first = await list(mountPath, { page: 1, per_page: PER_PAGE });
      const firstMs = performance.now() - started;
      const firstRequests = await upstream(emulator);
      const trips = firstRequests.list + firstRequests.token + firstRequests.other;
      out(`page 1: ${first.content.length} items in ${fmt(firstMs)} ms from storage creation (${fmt(performance.now() - created)} ms after it), `
        + `requests ${firstRequests.text}, total ${fmt(first.total)} (final: ${first.total_final})`);
      out(`target page 1 within 3 upstream round trips: ${trips <= 3 ? 'met' : 'MISSED'} (${trips})`);

      // Every further page, in order, on the same storage, from a client in its own process: what a reader
      // paging to the end waits in all (page 1's time from the storage's creation included).
      await emulatorControl(emulator, 'post', 'stats/reset', {});
      const walk = await childJson([SELF, '--walk-worker', '--url', host.url, '--path', mountPath, '--token', token, '--first', String(first.content.length)]);
      const listed = first.content.length + walk.items;
      const requests = 1 + walk.requests;
      if (listed !== items) throw new Error(`the walk listed ${listed} items, not ${items}`);
      const walkMs = walk.ms + firstMs;
      const walkRequests = await upstream(emulator);
      out(`full walk: ${fmt(listed)} items in ${fmt(requests)} fs/list requests, ${fmt(walkMs)} ms including page 1, `
        + `upstream ${walkRequests.list + firstRequests.list} list + ${walkRequests.token + firstRequests.token} token in all`);
      if (!bestWalk || walkMs < bestWalk) bestWalk = walkMs;

      // The whole folder in one fs/list (no per_page), on a new storage.
      await emulatorControl(emulator, 'post', 'stats/reset', {});
      started = performance.now();
      const whole = await list(await mount(), {});
      const wholeMs = performance.now() - started;
      out(`one-request listing: ${fmt(whole.content.length)} items in ${fmt(wholeMs)} ms, requests ${(await upstream(emulator)).text}`);

      // The driver alone, listing the whole folder, for the ratio.
      await emulatorControl(emulator, 'post', 'stats/reset', {});
      const { refresh_token: driverToken } = await emulatorControl(emulator, 'post', 'refresh-tokens', {});
      const driver = await driverListing(emulator, driverToken);
      out(`driver list('all') in its own process: ${fmt(driver.items)} items in ${fmt(driver.ms)} ms, requests ${(await upstream(emulator)).text}`);
      out(`full walk / driver listing this round: ${(walkMs / driver.ms).toFixed(3)}`);
      if (!bestDriver || driver.ms < bestDriver) bestDriver = driver.ms;
      out();
    }
    const ratio = bestWalk / bestDriver;
    out(`best full walk ${fmt(bestWalk)} ms, best driver listing ${fmt(bestDriver)} ms: ${ratio.toFixed(3)}x`);
    out(`target full walk no slower than the driver's full listing: ${ratio <= 1.0 ? 'met' : 'MISSED'} (${ratio.toFixed(3)}x)`);
    const reference = listBenchmark(latency);
    if (reference) {
      out(`driver full listing recorded by bench:list (${reference.file}): ${fmt(reference.ms)} ms; best full walk / that: ${(bestWalk / reference.ms).toFixed(3)}`);
    } else {
      out(`no bench/results/list-*.txt with latency ${latency} ms to compare with`);
    }
    out(`peak RSS of this process (host + client): ${fmt(process.resourceUsage().maxRSS / 1024, 1)} MB`);
  } finally {
    await host.close();
    emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const date = new Date().toISOString().slice(0, 10);
  mkdirSync(new URL('results/', import.meta.url), { recursive: true });
  const file = new URL(`results/first-page-${date}.txt`, import.meta.url);
  writeFileSync(file, `${lines.join('\n')}\n`);
  console.log(`written to ${fileURLToPath(file)}`);
}

if (args['walk-worker']) await runWalkWorker();
else await main();
