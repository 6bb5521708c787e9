// The scale benchmark's process measures (issue 12): the built CLI (`node dist/cli.js serve`) run as one and as two
// processes on one data folder with a private redis-server, against a standalone emulator both share.
//  - fs/list requests per second (logged in, POST /api/fs/list of a folder of `items` items, the host's cached
//    listing) with 1 and with 2 processes, in interleaved rounds. The "round-robin" is the load generator: one
//    autocannon instance per process, run at the same time, their requests summed; the same number of connections
//    in total as for the one process. (The second process is idle while the one-process rounds run.)
//  - token requests at the emulator for 200 concurrent listings with refresh, spread over both processes, after
//    every access token expired (must be 1).
import autocannon from 'autocannon';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './bench-report.js';
import { emulatorControl, startEmulatorProcess } from './emulator-process.js';
import { api, mountBenchStorage } from './host-api.js';
import { processUsage } from './process-stats.js';
import { startRedisProcess } from './redis-process.js';
import { startServeProcess } from './serve-process.js';

const ADMIN_PASSWORD = 'bench-scale-processes-password';
const REQUEST_TIMEOUT_MS = 120_000;
const TOKEN_ROUTE = 'POST /token';
const MEDIA_HEAD_ROUTE = 'HEAD /media';
const CONCURRENT_LISTINGS = 200;
const WARM_UP_SECONDS = 2;

/** Which database the processes use, without the password of a DATABASE_URL. */
export function databaseInUse() {
  const url = process.env.DATABASE_URL;
  if (!url) return 'SQLite in the data folder (DATABASE_URL unset)';
  let shown;
  try {
    const parsed = new URL(url);
    shown = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    shown = '(an unparsable URL)';
  }
  return `PostgreSQL at ${shown} (DATABASE_URL)${builtCodeReads('DATABASE_URL') ? '' : '; WARNING: this build never reads DATABASE_URL, so the processes use SQLite'}`;
}

/** Whether any built file of the host mentions `name`. */
function builtCodeReads(name) {
  const dir = fileURLToPath(new URL('../dist/host', import.meta.url));
  const files = (folder) => readdirSync(folder).flatMap((entry) => {
    const full = path.join(folder, entry);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.js') ? [full] : [];
  });
  return files(dir).some((file) => readFileSync(file, 'utf8').includes(name));
}

/** One autocannon run of `seconds` against `url`'s fs/list; throws when any answer was not a listing. */
async function listLoad(url, token, folder, connections, seconds) {
  const result = await autocannon({
    url: `${url}/api/fs/list`, method: 'POST', connections, duration: seconds,
    headers: { 'content-type': 'application/json', authorization: token },
    body: JSON.stringify({ path: folder }),
    verifyBody: (body) => body.startsWith('{"code":200,'),
  });
  const bad = result.errors + result.timeouts + result.non2xx + result.mismatches;
  if (bad) throw new Error(`${url}: ${bad} of ${result.requests.total} fs/list answers were not listings (errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}, other bodies ${result.mismatches})`);
  return result.requests.total;
}

/** Requests per second of all `targets` loaded at once (`connections` in total, split evenly), and the CPU they spent. */
async function loadTogether(targets, token, folder, connections, seconds) {
  const cpuBefore = targets.map((target) => processUsage(target.child.pid)?.cpuMs ?? Number.NaN);
  const started = process.hrtime.bigint();
  const totals = await Promise.all(targets.map((target) => listLoad(target.url, token, folder, Math.round(connections / targets.length), seconds)));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuMs = targets.reduce((sum, target, i) => sum + (processUsage(target.child.pid)?.cpuMs ?? Number.NaN) - cpuBefore[i], 0);
  return { rate: totals.reduce((a, b) => a + b, 0) / elapsed, cpuShare: cpuMs / 1000 / elapsed };
}

/** Retries `probe` until it gives a listing of `count` items (a new process may still be starting its storage). */
async function listingOf(url, token, folder, count) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await api(url, '/api/fs/list', { path: folder }, token, REQUEST_TIMEOUT_MS).catch((err) => ({ error: err.message }));
    if (answer.content?.length === count) return answer;
    if (Date.now() > deadline) throw new Error(`${url} lists ${folder} as ${JSON.stringify(answer).slice(0, 300)}, not ${count} items`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Waits until the host has learnt the listed items' sizes: a listing makes it probe every unknown size in the
 * background (HEAD requests at the emulator), which would otherwise compete with the measured listings.
 */
async function sizesLearnt(emulator) {
  const deadline = Date.now() + 300_000;
  let last = -1;
  for (;;) {
    const heads = (await emulatorControl(emulator, 'get', 'stats'))[MEDIA_HEAD_ROUTE] ?? 0;
    if (heads === last) return heads;
    if (Date.now() > deadline) throw new Error(`the hosts still probe sizes after 300 s (${heads} HEAD requests)`);
    last = heads;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/** 200 concurrent listings with refresh over `targets` after every access token expired: the token requests they made. */
async function tokenRequestsAfterExpiry(emulator, targets, token, folders) {
  const { expired } = await emulatorControl(emulator, 'post', 'access-tokens/expire', {});
  const before = (await emulatorControl(emulator, 'get', 'stats'))[TOKEN_ROUTE] ?? 0;
  const started = Date.now();
  const answers = await Promise.all(Array.from({ length: CONCURRENT_LISTINGS }, (_, i) => {
    const target = targets[i % targets.length];
    return api(target.url, '/api/fs/list', { path: folders[i % folders.length], refresh: true }, token, REQUEST_TIMEOUT_MS).then(() => 'ok', (err) => err.message);
  }));
  const seconds = (Date.now() - started) / 1000;
  const tokenRequests = ((await emulatorControl(emulator, 'get', 'stats'))[TOKEN_ROUTE] ?? 0) - before;
  const failures = answers.filter((answer) => answer !== 'ok');
  return { expired, tokenRequests, failures, seconds };
}

/** Runs both measures and `say`s their lines. */
export async function measureProcesses({ say, items, seconds, rounds, connections }) {
  const redis = await startRedisProcess();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-scale-processes-'));
  const running = [];
  let emulator;
  try {
    emulator = await startEmulatorProcess(['--items', String(items), '--albums', '3', '--pickable-only', '0']);
    const { refresh_token: refreshToken } = await emulatorControl(emulator, 'post', 'refresh-tokens', {});
    const env = { REDIS_URL: redis.url, ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}) };
    // One after the other: the first creates the database, the admin user and the storage; the second loads them.
    const a = await startServeProcess(dataDir, ADMIN_PASSWORD, env);
    running.push(a);
    const { token, root } = await mountBenchStorage(a.url, ADMIN_PASSWORD, emulator, refreshToken, REQUEST_TIMEOUT_MS);
    const folder = `/bench/${root.content.find((item) => /^all/i.test(item.name)).name}`;
    await listingOf(a.url, token, folder, items);
    const b = await startServeProcess(dataDir, ADMIN_PASSWORD, env);
    running.push(b);
    await listingOf(b.url, token, folder, items);
    const heads = await sizesLearnt(emulator);

    say(`Process measure: built CLI \`serve\` processes on one data folder, a private redis-server, the emulator in its own process; ${os.cpus().length} CPUs, shared with the load generator (autocannon, in this process)`);
    say(`Database: ${databaseInUse()}`);
    say(`Load: logged-in POST /api/fs/list of ${folder} (${items} items, the host's cached listing, every size learnt first: ${heads} HEAD requests), ${connections} connections in all, ${seconds} s per measure, ${rounds} round(s) of 1 then 2 processes (2 then 1 in every other round)`);
    say('Round-robin: the load generator itself, one autocannon instance per process at the same time (half the connections each), their requests summed');
    for (const target of [a, b]) await listLoad(target.url, token, folder, connections, WARM_UP_SECONDS);
    const ways = [
      { label: '1 process', targets: [a], runs: [] },
      { label: '2 processes', targets: [a, b], runs: [] },
    ];
    const ratios = [];
    for (let round = 0; round < rounds; round++) {
      for (const way of round % 2 ? [...ways].reverse() : ways) way.runs.push(await loadTogether(way.targets, token, folder, connections, seconds));
      ratios.push(ways[1].runs.at(-1).rate / ways[0].runs.at(-1).rate);
      say(`  round ${round + 1}: ${ways.map((way) => `${way.label} ${way.runs.at(-1).rate.toFixed(0)} req/s`).join(', ')}`);
    }
    for (const way of ways) {
      const cpu = median(way.runs.map((run) => run.cpuShare));
      say(`${way.label.padEnd(12)} ${median(way.runs.map((run) => run.rate)).toFixed(0).padStart(6)} req/s (median), host processes busy ${Number.isFinite(cpu) ? cpu.toFixed(2) : '?'} CPUs`);
    }
    say(`2 processes / 1 process: ${median(ratios).toFixed(2)} (median of the rounds' ratios; ${os.cpus().length} CPUs for both processes, the load generator, Redis and the emulator)`);

    const albums = (await api(a.url, '/api/fs/list', { path: '/bench/Albums' }, token, REQUEST_TIMEOUT_MS)).content.map((album) => `/bench/Albums/${album.name}`);
    const folders = [folder, '/bench/Albums', ...albums];
    const tokens = await tokenRequestsAfterExpiry(emulator, [a, b], token, folders);
    say(`Token measure: ${tokens.expired} access token(s) expired at the emulator, then ${CONCURRENT_LISTINGS} concurrent fs/list with refresh (${folders.length} folders) alternating over the 2 processes: `
      + `${tokens.tokenRequests} token request(s) at the emulator (must be 1), ${CONCURRENT_LISTINGS - tokens.failures.length} of ${CONCURRENT_LISTINGS} listed, ${tokens.seconds.toFixed(1)} s`);
    if (tokens.failures.length) say(`  failures: ${[...new Set(tokens.failures)].slice(0, 3).join(' | ')}`);
  } finally {
    await Promise.all(running.map((one) => one.stop()));
    emulator?.stop();
    redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
