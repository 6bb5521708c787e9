// List benchmark: the driver's list('all') against a bare page-chain loop, both against an emulator
// running in its own child process. Every variant runs in its own child process too, so each reports
// its own peak RSS (process.resourceUsage().maxRSS) and holds nothing but the client.
//
//   npm run bench:list [-- --items 100000 --rounds 2 --latencies 0,50]
//
// Writes the full output to bench/results/list-<YYYY-MM-DD>.txt.
import { spawn } from 'node:child_process';
import { emulatorControl, startEmulatorProcess } from './emulator-process.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import axios from 'axios';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const PAGE_SIZE = 100;
const REQUEST_TIMEOUT_MS = 30_000;

const { values: args } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '2' },
    latencies: { type: 'string', default: '0,50' },
    worker: { type: 'string' },
    url: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'refresh-token': { type: 'string' },
  },
});

// ---- the measured clients (run in a child process: `--worker driver|bare`) ----

async function runDriver({ url, clientId, clientSecret, refreshToken }) {
  const { GooglePhotos, emulatorEndpoints } = await import('../dist/index.js');
  const started = performance.now();
  const driver = new GooglePhotos(
    { client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken },
    { endpoints: emulatorEndpoints(url) },
  );
  await driver.init();
  const objs = await driver.list('all');
  const ms = performance.now() - started;
  return { items: objs.length, ms };
}

async function runBare({ url, clientId, clientSecret, refreshToken }) {
  const http = axios.create({ timeout: REQUEST_TIMEOUT_MS });
  const started = performance.now();
  const token = await http.post(`${url}/token`, new URLSearchParams({
    grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, client_secret: clientSecret,
  }).toString(), { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const headers = { authorization: `Bearer ${token.data.access_token}` };
  let items = 0;
  let pageToken;
  do {
    const params = { pageSize: PAGE_SIZE, ...(pageToken ? { pageToken } : {}) };
    const page = await http.get(`${url}/photoslibrary/v1/mediaItems`, { params, headers });
    items += page.data.mediaItems?.length ?? 0;
    pageToken = page.data.nextPageToken;
  } while (pageToken);
  const ms = performance.now() - started;
  return { items, ms };
}

if (args.worker) {
  const run = args.worker === 'driver' ? runDriver : runBare;
  const result = await run({
    url: args.url, clientId: args['client-id'], clientSecret: args['client-secret'], refreshToken: args['refresh-token'],
  });
  // maxRSS is in kilobytes.
  process.stdout.write(`${JSON.stringify({ ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
  process.exit(0);
}

// ---- the orchestrator ----

const lines = [];
function out(line = '') {
  lines.push(line);
  console.log(line);
}


function runWorker(variant, emulator, refreshToken) {
  const child = spawn(process.execPath, [SELF, '--worker', variant, '--url', emulator.url, '--client-id', emulator.clientId,
    '--client-secret', emulator.clientSecret, '--refresh-token', refreshToken], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk) => { text += chunk; });
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${variant} worker exited with ${code}`));
      else resolve(JSON.parse(text.trim().split('\n').pop()));
    });
  });
}


function requestSummary(stats) {
  const list = stats['GET /photoslibrary/v1/mediaItems'] ?? 0;
  const token = stats['POST /token'] ?? 0;
  const other = Object.values(stats).reduce((sum, n) => sum + n, 0) - list - token;
  return { list, token, other, text: `${list} list + ${token} token${other ? ` + ${other} other` : ''}` };
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function compare(items, latency, rounds) {
  out(`== ${fmt(items)} items, emulator latency ${latency} ms per API request ==`);
  const emulator = await startEmulatorProcess(['--items', String(items), '--albums', '2', '--latency', String(latency)]);
  try {
    const { refresh_token: refreshToken } = await emulatorControl(emulator, 'post', 'refresh-tokens', {});
    const best = {};
    const expectedList = Math.ceil(items / PAGE_SIZE);
    for (let round = 1; round <= rounds; round++) {
      for (const variant of ['bare', 'driver']) {
        await emulatorControl(emulator, 'post', 'stats/reset', {});
        const result = await runWorker(variant, emulator, refreshToken);
        const requests = requestSummary(await emulatorControl(emulator, 'get', 'stats'));
        const itemsPerSec = result.items / (result.ms / 1000);
        out(`${variant.padEnd(6)} round ${round}: ${fmt(result.items)} items listed, requests ${requests.text}, `
          + `${fmt(result.ms)} ms, ${fmt(itemsPerSec)} items/s, peak RSS ${fmt(result.maxRssMb, 1)} MB`);
        if (!best[variant] || result.ms < best[variant].ms) best[variant] = { ...result, requests, itemsPerSec };
      }
    }
    const { bare, driver } = best;
    const ratio = driver.ms / bare.ms;
    out(`best bare:   ${fmt(bare.itemsPerSec)} items/s (${fmt(bare.ms)} ms), peak RSS ${fmt(bare.maxRssMb, 1)} MB`);
    out(`best driver: ${fmt(driver.itemsPerSec)} items/s (${fmt(driver.ms)} ms), peak RSS ${fmt(driver.maxRssMb, 1)} MB`);
    out(`driver/bare time ratio: ${ratio.toFixed(3)}`);
    const requestsOk = driver.requests.list === expectedList && driver.requests.token === 1 && driver.requests.other === 0;
    out(`target requests = ${expectedList} list + 1 token: ${requestsOk ? 'met' : 'MISSED'} (driver made ${driver.requests.text})`);
    out(`target driver within 1.25x of bare: ${ratio <= 1.25 ? 'met' : 'MISSED'} (${ratio.toFixed(3)}x)`);
    out(`target driver peak RSS < 300 MB: ${driver.maxRssMb < 300 ? 'met' : 'MISSED'} (${fmt(driver.maxRssMb, 1)} MB)`);
    out();
  } finally {
    emulator.stop();
  }
}

const items = Number(args.items);
const rounds = Number(args.rounds);
const latencies = args.latencies.split(',').map(Number);
if (!Number.isInteger(items) || items < 1 || !Number.isInteger(rounds) || rounds < 1 || latencies.some((l) => !(l >= 0))) {
  console.error('usage: node bench/list.js [--items N] [--rounds R] [--latencies 0,50]');
  process.exit(2);
}

const date = new Date().toISOString().slice(0, 10);
out(`List benchmark ${new Date().toISOString()} — node ${process.version}, ${process.platform}/${process.arch}`);
out('Each variant runs in its own process; times include the token request; "best" is the fastest round.');
out();
for (const latency of latencies) await compare(items, latency, rounds);
mkdirSync(new URL('results/', import.meta.url), { recursive: true });
const file = new URL(`results/list-${date}.txt`, import.meta.url);
writeFileSync(file, `${lines.join('\n')}\n`);
console.log(`written to ${fileURLToPath(file)}`);
