// Proxy benchmark: downloads the emulator's large video (200 MB by default) directly from the emulator, through
// a bare node:http pipe proxy, through nginx (when /usr/sbin/nginx is installed) and through the host's /p/ route
// (always streamed by the server), in rounds within one run, and reports their throughputs, the CPU time and page
// faults each proxy spent per download, the host's ratio to the bare pipe and the peak RSS growth of both. Every
// server runs in its own child process (peak RSS from /proc, else the host samples its own); only the downloading
// client (curl when installed) runs here.
//
//   npm run bench:proxy [-- --bytes 209715200 --rounds 6 --cpu-prof-dir /tmp/profiles]
//
// --cpu-prof-dir: the host and the bare pipe write their CPU profiles (node --cpu-prof) there.
//
// Appends the output to bench/results/proxy-<YYYY-MM-DD>.txt (every run of the day is kept).
// Targets: host >= 0.9x the bare pipe, host RSS growth < 64 MB.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NGINX, startBarePipeProxy, startNginx } from './baseline-proxies.js';
import { appendResults, mb, median, reportLines } from './bench-report.js';
import { CURL, download } from './download-client.js';
import { emulatorControl, startEmulatorProcess } from './emulator-process.js';
import { api, ask, closeHostChild, mountBenchStorage } from './host-api.js';
import { processUsage, resetPeakResident, residentBytes } from './process-stats.js';

const SELF = fileURLToPath(import.meta.url);
const ADMIN_PASSWORD = 'bench-proxy-password';
const REQUEST_TIMEOUT_MS = 120_000;
const RSS_SAMPLE_MS = 20;

const { values: args } = parseArgs({
  options: {
    bytes: { type: 'string', default: String(200 * 1024 * 1024) },
    rounds: { type: 'string', default: '6' },
    worker: { type: 'boolean', default: false },
    'cpu-prof-dir': { type: 'string' },
  },
});

/**
 * The child: a host on a fresh data folder. Where /proc cannot tell its peak RSS, it samples its own on request
 * ('reset-peak' starts, 'rss' answers {rss, peak}); otherwise it does nothing but serve, so that its CPU is all
 * the host's.
 */
async function runHostWorker() {
  const { createHost } = await import('../dist/host/index.js');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-proxy-'));
  const host = await createHost({ dataDir, port: 0, adminPassword: ADMIN_PASSWORD, demo: false });
  let peak = 0;
  process.on('message', async (message) => {
    if (message === 'rss') {
      process.send({ rss: process.memoryUsage.rss(), peak });
    } else if (message === 'reset-peak') {
      peak = process.memoryUsage.rss();
      setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), RSS_SAMPLE_MS).unref();
      process.send({ rss: peak, peak });
    } else if (message === 'close') {
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  process.send({ url: host.url });
}

/** {before(), after()} of a child's RSS: {rss} now, then {peak} since; from /proc when it can tell, else sampled by the worker. */
function residentWatch(child) {
  if (resetPeakResident(child.pid) && residentBytes(child.pid)) {
    return { before: async () => residentBytes(child.pid), after: async () => residentBytes(child.pid) };
  }
  return { before: () => ask(child, 'reset-peak'), after: () => ask(child, 'rss') };
}

/** One way to the file: its URL, the pid whose CPU it costs (none for direct), and what each download measured. */
function contestant(label, url, pid) {
  return { label, url, pid, rates: [], cpu: [], system: [], faults: [] };
}

async function measure(one, expectedBytes) {
  const before = one.pid && processUsage(one.pid);
  const result = await download(one.url);
  if (result.bytes !== expectedBytes) throw new Error(`${one.label}: short download: ${result.bytes} bytes`);
  one.rates.push(result.bytes / result.seconds);
  const after = one.pid && processUsage(one.pid);
  if (before && after) {
    one.cpu.push(after.cpuMs - before.cpuMs);
    one.system.push(after.systemMs - before.systemMs);
    one.faults.push(after.faults - before.faults);
  }
}

async function main() {
  const largeFileBytes = Number(args.bytes);
  const rounds = Number(args.rounds);
  const emulator = await startEmulatorProcess(['--items', '10', '--albums', '1', '--pickable-only', '0', '--large-file-bytes', String(largeFileBytes)]);
  const { refresh_token: refreshToken } = await emulatorControl(emulator, 'post', 'refresh-tokens', {});
  const profile = args['cpu-prof-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args['cpu-prof-dir'])}`] : [];
  const child = fork(SELF, ['--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...process.execArgv, ...profile] });
  // Should this process die early (Ctrl-C, a closed pipe), its servers go with it.
  const killAll = () => [emulator.child, child].forEach((one) => one.exitCode === null && one.kill());
  process.once('exit', killAll);
  const bare = await startBarePipeProxy(emulator.url, profile);
  process.once('exit', bare.stop);
  const nginx = await startNginx(emulator.url);
  if (nginx) process.once('exit', nginx.stop);
  const { lines, say } = reportLines();
  try {
    const { url } = await new Promise((resolve) => child.once('message', resolve));
    const { token, root } = await mountBenchStorage(url, ADMIN_PASSWORD, emulator, refreshToken, REQUEST_TIMEOUT_MS);
    const all = root.content.find((item) => /^all/i.test(item.name)).name;
    const file = await api(url, '/api/fs/get', { path: `/bench/${all}/large-video.mp4` }, token, REQUEST_TIMEOUT_MS);
    if (file.size !== largeFileBytes) throw new Error(`expected ${largeFileBytes} bytes, the host says ${file.size}`);
    const redirect = await fetch(file.raw_url, { redirect: 'manual' });
    const directUrl = redirect.headers.get('location');
    const { pathname, search } = new URL(directUrl);
    const direct = contestant('direct', directUrl);
    const barePipe = contestant('bare pipe', `${bare.url}${pathname}${search}`, bare.pid);
    const nginxProxy = nginx && contestant('nginx', `${nginx.url}${pathname}${search}`, nginx.pid);
    const host = contestant('host /p/', file.raw_url.replace('/d/', '/p/'), child.pid);
    const contestants = [direct, ...(nginxProxy ? [nginxProxy] : []), barePipe, host];

    say(`Proxy benchmark, ${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    say(`File: large-video.mp4, ${mb(largeFileBytes)} MB; client: ${existsSync(CURL) ? 'curl' : 'node:http'}; ${rounds} round(s), the bare pipe and the host back to back in turn`);
    if (!nginx) say(`nginx: not installed at ${NGINX}, skipped`);
    const hostMemory = residentWatch(child);
    const baseline = await hostMemory.before();
    resetPeakResident(bare.pid);
    const bareBefore = residentBytes(bare.pid);
    const ratios = [];
    for (let round = 0; round < rounds; round++) {
      // The two compared most closely run back to back, each first in every other round: load drifts cancel out.
      const order = round % 2 ? [host, barePipe] : [barePipe, host];
      for (const one of [direct, ...(nginxProxy ? [nginxProxy] : []), ...order]) await measure(one, largeFileBytes);
      ratios.push(host.rates.at(-1) / barePipe.rates.at(-1));
      say(`  round ${round + 1}: ${contestants.map((one) => `${one.label} ${mb(one.rates.at(-1))} MB/s`).join(', ')}`);
    }
    const { peak } = await hostMemory.after();
    const bareAfter = residentBytes(bare.pid);
    for (const one of contestants) {
      const cpu = one.cpu.length
        ? `, per download: ${median(one.cpu).toFixed(0)} ms CPU (${median(one.system).toFixed(0)} ms system), ${median(one.faults).toFixed(0)} page faults`
        : '';
      say(`${one.label.padEnd(10)} ${mb(median(one.rates)).padStart(7)} MB/s${cpu}`);
    }
    const ratio = median(ratios);
    const growth = peak - baseline.rss;
    say(`Host / bare pipe:   ${ratio.toFixed(2)} (median of the rounds' ratios; target >= 0.90) ${ratio >= 0.9 ? 'OK' : 'BELOW TARGET'}`);
    if (nginxProxy) say(`Host / nginx:       ${(median(host.rates) / median(nginxProxy.rates)).toFixed(2)}`);
    say(`Host / direct:      ${(median(host.rates) / median(direct.rates)).toFixed(2)}`);
    say(`Host RSS: ${mb(baseline.rss)} MB before, peak ${mb(peak)} MB, growth ${mb(growth)} MB (target < 64 MB) ${growth < 64 * 1024 * 1024 ? 'OK' : 'ABOVE TARGET'}`);
    if (bareBefore && bareAfter) say(`Bare pipe RSS: ${mb(bareBefore.rss)} MB before, peak ${mb(bareAfter.peak)} MB, growth ${mb(bareAfter.peak - bareBefore.rss)} MB`);
    appendResults('proxy', lines);
  } finally {
    await closeHostChild(child);
    nginx?.stop();
    bare.stop();
    emulator.stop();
  }
}

if (args.worker) await runHostWorker();
else await main();
