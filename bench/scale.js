// Scale-out benchmark (issue 12), three measures in one run:
//  - nginx: /p/ throughput of the emulator's large video through nginx in the internal-redirect mode
//    (docs/deploy.md's configuration; nginx fetches the bytes itself) against the host streaming it alone,
//    interleaved in rounds;
//  - processes: fs/list requests per second with 1 and with 2 `serve` processes on one data folder and a
//    private Redis (bench/scale-processes.js);
//  - tokens: token requests at the emulator for 200 concurrent listings over both processes after every access
//    token expired (must be 1).
//
//   npm run bench:scale [-- --bytes 209715200 --rounds 6 --items 300 --seconds 10 --list-rounds 3 --connections 20 --only nginx|processes]
//
// Needs Debian's nginx at /usr/sbin/nginx and redis-server at /usr/bin/redis-server. DATABASE_URL, when set, is
// passed to the processes (PostgreSQL; else SQLite in the data folder); the report says which.
// Appends the output to bench/results/scale-<YYYY-MM-DD>.txt (every run of the day is kept).
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NGINX, startNginxSite } from './baseline-proxies.js';
import { CURL, download } from './download-client.js';
import { emulatorControl, startEmulatorProcess } from './emulator-process.js';
import { appendResults, mb, median, reportLines } from './bench-report.js';
import { api, closeHostChild, mountBenchStorage } from './host-api.js';
import { processUsage } from './process-stats.js';
import { measureProcesses } from './scale-processes.js';

const SELF = fileURLToPath(import.meta.url);
const ADMIN_PASSWORD = 'bench-scale-password';
const ACCEL_SECRET = 'bench-scale-accel-secret';
const REQUEST_TIMEOUT_MS = 120_000;

const { values: args } = parseArgs({
  options: {
    bytes: { type: 'string', default: String(200 * 1024 * 1024) },
    rounds: { type: 'string', default: '6' },
    items: { type: 'string', default: '300' },
    seconds: { type: 'string', default: '10' },
    'list-rounds': { type: 'string', default: '3' },
    connections: { type: 'string', default: '20' },
    only: { type: 'string' },
    worker: { type: 'boolean', default: false },
  },
});

/** The child: a host in the internal-redirect mode on a fresh data folder. */
async function runHostWorker() {
  const { createHost } = await import('../dist/host/index.js');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-scale-'));
  const host = await createHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false, accelRedirect: { prefix: '/_accel', secret: ACCEL_SECRET } });
  process.on('message', async (message) => {
    if (message !== 'close') return;
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
  process.send({ url: host.url });
}

/** The nginx measure: `say`s its lines. */
async function measureNginx(say) {
  if (!existsSync(NGINX)) throw new Error(`nginx is not installed at ${NGINX} (apt-get install -y nginx)`);
  const { nginxConfig } = await import('../dist/host/downloads/nginx-config.js');
  const largeFileBytes = Number(args.bytes);
  const rounds = Number(args.rounds);
  const emulator = await startEmulatorProcess(['--items', '10', '--albums', '1', '--pickable-only', '0', '--large-file-bytes', String(largeFileBytes)]);
  const { refresh_token: refreshToken } = await emulatorControl(emulator, 'post', 'refresh-tokens', {});
  const child = fork(SELF, ['--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const killAll = () => [emulator.child, child].forEach((one) => one.exitCode === null && one.kill());
  process.once('exit', killAll);
  let nginx;
  try {
    const { url } = await new Promise((resolve) => child.once('message', resolve));
    nginx = await startNginxSite((listen) => nginxConfig({ listen, serverName: 'localhost', hosts: [new URL(url).host], accel: { secret: ACCEL_SECRET } }));
    process.once('exit', nginx.stop);
    const { token, root } = await mountBenchStorage(url, ADMIN_PASSWORD, emulator, refreshToken, REQUEST_TIMEOUT_MS);
    const all = root.content.find((item) => /^all/i.test(item.name)).name;
    const file = await api(url, '/api/fs/get', { path: `/bench/${all}/large-video.mp4` }, token, REQUEST_TIMEOUT_MS);
    if (file.size !== largeFileBytes) throw new Error(`expected ${largeFileBytes} bytes, the host says ${file.size}`);
    const hostUrl = file.raw_url.replace('/d/', '/p/');
    // CPU per download of the processes a download passes through (the emulator's is the same for both).
    const ways = [
      { label: 'host /p/ alone', url: hostUrl, pids: [child.pid], rates: [], cpu: [] },
      { label: 'nginx /p/ in the mode', url: hostUrl.replace(new URL(url).origin, nginx.url), pids: [child.pid, nginx.pid], rates: [], cpu: [] },
    ];
    const cpuMs = (pids) => pids.reduce((sum, pid) => sum + (processUsage(pid)?.cpuMs ?? Number.NaN), 0);
    say(`nginx measure. File: large-video.mp4, ${mb(largeFileBytes)} MB; client: ${existsSync(CURL) ? 'curl' : 'node:http'}; ${rounds} round(s), the two back to back, each first in every other round`);
    const ratios = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? [...ways].reverse() : ways;
      for (const way of order) {
        const before = cpuMs(way.pids);
        const result = await download(way.url);
        if (result.bytes !== largeFileBytes) throw new Error(`${way.label}: short download: ${result.bytes} bytes`);
        way.rates.push(result.bytes / result.seconds);
        way.cpu.push(cpuMs(way.pids) - before);
      }
      ratios.push(ways[1].rates.at(-1) / ways[0].rates.at(-1));
      say(`  round ${round + 1}: ${ways.map((way) => `${way.label} ${mb(way.rates.at(-1))} MB/s`).join(', ')}`);
    }
    for (const way of ways) {
      const cpu = way.cpu.every(Number.isFinite) ? `, ${median(way.cpu).toFixed(0)} ms CPU per download (host${way.pids.length > 1 ? ' + nginx' : ''})` : '';
      say(`${way.label.padEnd(22)} ${mb(median(way.rates)).padStart(7)} MB/s${cpu}`);
    }
    say(`nginx mode / host alone: ${median(ratios).toFixed(2)} (median of the rounds' ratios)`);
  } finally {
    await closeHostChild(child);
    nginx?.stop();
    emulator.stop();
  }
}

async function main() {
  const measures = args.only ? [args.only] : ['nginx', 'processes'];
  if (!measures.every((measure) => ['nginx', 'processes'].includes(measure))) throw new Error(`--only must be nginx or processes, not "${args.only}"`);
  const { lines, say } = reportLines();
  say(`Scale benchmark (${measures.includes('processes') ? [...measures, 'tokens'].join(', ') : measures[0]}), ${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (measures.includes('nginx')) await measureNginx(say);
  if (measures.includes('processes')) {
    await measureProcesses({ say, items: Number(args.items), seconds: Number(args.seconds), rounds: Number(args['list-rounds']), connections: Number(args.connections) });
  }
  appendResults('scale', lines);
}

if (args.worker) await runHostWorker();
else await main();
