/** A private redis-server (Debian's /usr/bin/redis-server) on a free 127.0.0.1 port: no persistence, own temp dir. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/free-port.js';

export const REDIS_SERVER = '/usr/bin/redis-server';
const START_LIMIT_MS = 15_000;
const HOW_TO_RUN = "install Debian's redis-server (apt-get install -y redis-server; .ci/run does it), then run `npm test -- test/scale`";

/**
 * Whether this machine can run the scale-out suite. Without redis-server: outside CI the suite is skipped (the
 * summary reporter, test/support/summary-reporter.cjs, then prints once how to run it); under CI (CI=true, as
 * .ci/run sets it) it throws, so CI never skips it silently.
 */
export function scaleSuiteRuns(): boolean {
  if (existsSync(REDIS_SERVER)) return true;
  const ci = process.env.CI;
  if (ci && ci !== 'false' && ci !== '0') throw new Error(`The scale-out suite needs ${REDIS_SERVER}, which is missing: ${HOW_TO_RUN}`);
  return false;
}

export interface RedisServer {
  url: string;
  close(): Promise<void>;
}


/** Starts redis-server on `port` (default: a free one). */
export async function startRedis(port?: number): Promise<RedisServer> {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(`redis-server is not installed at ${REDIS_SERVER}: ${HOW_TO_RUN}`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'gphotos-alist-redis-'));
  port ??= await freePort();
  const child: ChildProcess = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + START_LIMIT_MS;
  while (!/ready to accept connections/i.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await close();
      throw new Error(`redis-server did not start on port ${port}: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, close };
}
