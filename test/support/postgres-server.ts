/**
 * A private PostgreSQL (Debian's postgresql package) for tests: its own cluster in a temp folder, on a free
 * 127.0.0.1 port, trust authentication for 127.0.0.1 only, deleted on close. PostgreSQL refuses to run as root, so
 * under root the cluster belongs to (and runs as) the `postgres` user the package creates.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

const START_LIMIT_MS = 30_000;
export const POSTGRES_HOW_TO_RUN = "install Debian's postgresql (apt-get install -y postgresql; .ci/run does it)";

/** The folder of initdb and postgres: the newest /usr/lib/postgresql/<version>/bin. */
export function postgresBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
  const found = versions.map((version) => path.join(root, version, 'bin')).find((bin) => existsSync(path.join(bin, 'postgres')));
  return found;
}

/** The uid and gid PostgreSQL runs as: ours, or the `postgres` user's when we are root. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith('postgres:'));
  if (!line) throw new Error('PostgreSQL cannot run as root and there is no `postgres` user to run it as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Whether tests that need PostgreSQL can run here; under CI (CI=true) its absence is an error, never a skip. */
export function postgresAvailable(): boolean {
  if (postgresBinaries()) return true;
  const ci = process.env.CI;
  if (ci && ci !== 'false' && ci !== '0') throw new Error(`These tests need PostgreSQL, which is missing: ${POSTGRES_HOW_TO_RUN}`);
  return false;
}


export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly url: string;
  /** A new empty database; its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown: connections are cut), keeping its data; `start` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

let databases = 0;

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinaries();
  if (!bin) throw new Error(`PostgreSQL is not installed: ${POSTGRES_HOW_TO_RUN}`);
  const owner = runAs();
  const dir = mkdtempSync(path.join(tmpdir(), 'gphotos-alist-pg-'));
  const dataDir = path.join(dir, 'cluster');
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const spawnOptions = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const init = spawnSync(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], {
    ...spawnOptions, encoding: 'utf8',
  });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  }
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    const started = spawn(path.join(bin, 'postgres'), ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-c', 'fsync=off',
      '-c', 'full_page_writes=off', '-c', 'max_connections=200'], { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    let output = '';
    started.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    started.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    exited = new Promise((resolve) => started.once('exit', () => resolve()));
    const deadline = Date.now() + START_LIMIT_MS;
    while (!/ready to accept connections/.test(output)) {
      if (started.exitCode !== null || Date.now() > deadline) throw new Error(`postgres did not start on port ${port}: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT'); // fast shutdown
      await exited;
    }
  };
  try {
    await start();
  } catch (err) {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    async createDatabase() {
      const name = `test_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
