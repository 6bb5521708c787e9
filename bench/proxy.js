// Proxy benchmark: downloads the emulator's large video (200 MB by default) directly from the emulator and
// through the host's /p/ route (always streamed by the server), in one run, and reports both throughputs, their
// ratio and the host's peak RSS growth. The host and the emulator each run in their own child process (the host
// samples its own RSS); only the downloading client runs here.
//
//   npm run bench:proxy [-- --bytes 209715200 --rounds 4]
//
// Writes the output to bench/results/proxy-<YYYY-MM-DD>.txt. Targets: ratio >= 0.8, RSS growth < 64 MB.
import { fork } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { emulatorControl, startEmulatorProcess } from './emulator-process.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const ADMIN_PASSWORD = 'bench-proxy-password';
const REQUEST_TIMEOUT_MS = 120_000;
const RSS_SAMPLE_MS = 20;

const { values: args } = parseArgs({
  options: {
    bytes: { type: 'string', default: String(200 * 1024 * 1024) },
    rounds: { type: 'string', default: '4' },
    worker: { type: 'boolean', default: false },
  },
});

/** The child: a host on a fresh data folder; answers {rss} questions over IPC. */
async function runHostWorker() {
  const { createHost } = await import('../dist/host/index.js');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-proxy-'));
  const host = await createHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false });
  let peak = process.memoryUsage().rss;
  setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), RSS_SAMPLE_MS).unref();
  process.on('message', async (message) => {
    if (message === 'rss') {
      const rss = process.memoryUsage().rss;
      process.send({ rss, peak });
    } else if (message === 'reset-peak') {
      peak = process.memoryUsage().rss;
      process.send({ rss: peak, peak });
    } else if (message === 'close') {
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  process.send({ url: host.url });
}

function ask(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

async function api(url, route, body, token) {
  const response = await fetch(`${url}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const envelope = await response.json();
  if (envelope.code !== 200) throw new Error(`${route}: ${envelope.code} ${envelope.message}`);
  return envelope.data;
}

/**
 * Download a URL to nowhere, like curl -o /dev/null; returns bytes and seconds. Node's http client rather than
 * fetch: on 2 cores the client's own CPU (web streams) would otherwise be what the proxied run waits for.
 */
function download(url) {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const request = http.get(url, { timeout: REQUEST_TIMEOUT_MS }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`GET ${url.split('?')[0]}: HTTP ${response.statusCode}`));
        return;
      }
      let bytes = 0;
      response.on('data', (chunk) => { bytes += chunk.length; });
      response.on('end', () => resolve({ bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9 }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url.split('?')[0]}: timed out`)));
    request.on('error', reject);
  });
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

async function main() {
  const largeFileBytes = Number(args.bytes);
  const rounds = Number(args.rounds);
  const emulator = await startEmulatorProcess(['--items', '10', '--albums', '1', '--pickable-only', '0', '--large-file-bytes', String(largeFileBytes)]);
  const { refresh_token: refreshToken } = await emulatorControl(emulator, 'post', 'refresh-tokens', {});
  const child = fork(SELF, ['--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const lines = [];
  const say = (line) => {
    lines.push(line);
    console.log(line);
  };
  try {
    const { url } = await new Promise((resolve) => child.once('message', resolve));
    const { token } = await api(url, '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    await api(url, '/api/admin/storage/create', {
      mount_path: '/bench', driver: 'GooglePhoto',
      addition: JSON.stringify({ client_id: emulator.clientId, client_secret: emulator.clientSecret, refresh_token: refreshToken, api_base_url: emulator.url }),
    }, token);
    const root = await api(url, '/api/fs/list', { path: '/bench' }, token);
    const all = root.content.find((item) => /^all/i.test(item.name)).name;
    const file = await api(url, '/api/fs/get', { path: `/bench/${all}/large-video.mp4` }, token);
    if (file.size !== largeFileBytes) throw new Error(`expected ${largeFileBytes} bytes, the host says ${file.size}`);
    const redirect = await fetch(file.raw_url, { redirect: 'manual' });
    const directUrl = redirect.headers.get('location');
    const proxiedUrl = file.raw_url.replace('/d/', '/p/');

    say(`Proxy benchmark, ${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})`);
    say(`File: large-video.mp4, ${mb(largeFileBytes)} MB; ${rounds} alternating round(s) each, medians compared`);
    const baseline = await ask(child, 'reset-peak');
    const direct = [];
    const proxied = [];
    for (let round = 0; round < rounds; round++) {
      direct.push(await download(directUrl));
      proxied.push(await download(proxiedUrl));
      const last = [direct.at(-1), proxied.at(-1)];
      say(`  round ${round + 1}: direct ${(mb(last[0].bytes / last[0].seconds))} MB/s, proxied ${mb(last[1].bytes / last[1].seconds)} MB/s`);
      for (const result of last) if (result.bytes !== largeFileBytes) throw new Error(`short download: ${result.bytes} bytes`);
    }
    const { peak } = await ask(child, 'rss');
    const median = (results) => {
      const rates = results.map((r) => r.bytes / r.seconds).sort((a, b) => a - b);
      const middle = Math.floor(rates.length / 2);
      return rates.length % 2 ? rates[middle] : (rates[middle - 1] + rates[middle]) / 2;
    };
    const directRate = median(direct);
    const proxiedRate = median(proxied);
    const ratio = proxiedRate / directRate;
    const growth = peak - baseline.rss;
    say(`Direct from the emulator: ${mb(directRate)} MB/s`);
    say(`Through the host (/p/):  ${mb(proxiedRate)} MB/s`);
    say(`Ratio proxied/direct:    ${ratio.toFixed(2)} (target >= 0.80) ${ratio >= 0.8 ? 'OK' : 'BELOW TARGET'}`);
    say(`Host RSS: ${mb(baseline.rss)} MB before, peak ${mb(peak)} MB, growth ${mb(growth)} MB (target < 64 MB) ${growth < 64 * 1024 * 1024 ? 'OK' : 'ABOVE TARGET'}`);
    const resultsDir = path.join(ROOT, 'bench/results');
    mkdirSync(resultsDir, { recursive: true });
    const out = path.join(resultsDir, `proxy-${new Date().toISOString().slice(0, 10)}.txt`);
    writeFileSync(out, lines.join('\n') + '\n');
    console.log(`Written to ${path.relative(ROOT, out)}`);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send('close');
    await exited;
    emulator.stop();
  }
}

if (args.worker) await runHostWorker();
else await main();
