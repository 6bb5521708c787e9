/**
 * The two databases the host runs on, for tests that must pass on both: SQLite in a temp data folder, and a
 * private PostgreSQL (one server per test file, a new database per `open`). Without PostgreSQL installed, outside
 * CI, only SQLite runs (postgres-server.ts says how to get it); under CI its absence fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type HostDatabase } from '../../src/host/state/database.js';
import { postgresAvailable, startPostgres, type PostgresServer } from './postgres-server.js';

export interface TestDatabase {
  db: HostDatabase;
  dataDir: string;
  /** The DATABASE_URL, for PostgreSQL. */
  databaseUrl?: string;
  close(): Promise<void>;
}

export interface DatabaseLocation {
  dataDir: string;
  databaseUrl?: string;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A new empty database, not opened yet (remove `dataDir` when done). */
  location(): Promise<DatabaseLocation>;
  open(): Promise<TestDatabase>;
}

let server: Promise<PostgresServer> | undefined;

/** The file's PostgreSQL server, started on first use; stop it in afterAll with `closeTestPostgres`. */
export function testPostgres(): Promise<PostgresServer> {
  server ??= startPostgres();
  return server;
}

export async function closeTestPostgres(): Promise<void> {
  const started = server;
  server = undefined;
  if (started) await (await started).close();
}

function tempDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'gphotos-alist-db-'));
}

async function openAt(location: DatabaseLocation): Promise<TestDatabase> {
  const db = await openDatabase(location);
  return { db, ...location, close: async () => { await db.close(); rmSync(location.dataDir, { recursive: true, force: true }); } };
}

const sqlite: Backend = {
  name: 'sqlite',
  location: async () => ({ dataDir: tempDataDir() }),
  async open() {
    return openAt(await this.location());
  },
};

const postgres: Backend = {
  name: 'postgres',
  location: async () => ({ dataDir: tempDataDir(), databaseUrl: await (await testPostgres()).createDatabase() }),
  async open() {
    return openAt(await this.location());
  },
};

/** SQLite, and PostgreSQL where it can run. */
export function backends(): Backend[] {
  return postgresAvailable() ? [sqlite, postgres] : [sqlite];
}
