/** PostgreSQL going away under the host's pool: clear errors, no crash, and the next statements work once it is back. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type HostDatabase } from '../../src/host/state/database.js';
import { DatabaseUnavailableError } from '../../src/host/state/postgres-database.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../support/postgres-server.js';

(postgresAvailable() ? describe : describe.skip)('PostgreSQL lost while the host runs', () => {
  let server: PostgresServer;
  let db: HostDatabase;
  let dataDir: string;

  beforeAll(async () => {
    server = await startPostgres();
    dataDir = mkdtempSync(path.join(tmpdir(), 'pg-outage-'));
    db = await openDatabase({ dataDir, databaseUrl: await server.createDatabase() });
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('rolls back a transaction whose connection died mid-way, with the clear error, and writes again once it is back', async () => {
    const attempt = db.transaction(async (tx) => {
      await tx.run("INSERT INTO settings (key, value) VALUES ('half', 'written')");
      await server.stop(); // the transaction's connection is cut while the pool has it checked out
      await new Promise((resolve) => setTimeout(resolve, 200));
      await tx.run("INSERT INTO settings (key, value) VALUES ('second', 'half')");
    });
    await expect(attempt).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(db.get('SELECT 1 AS one')).rejects.toThrow(/^PostgreSQL \(postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+\) cannot be reached/);
    await server.start();
    expect(await db.get('SELECT 1 AS one')).toEqual({ one: 1 });
    expect(await db.all("SELECT key FROM settings WHERE key IN ('half', 'second')")).toEqual([]);
  });
});
