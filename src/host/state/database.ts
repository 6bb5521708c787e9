import { migrate } from './migrations.js';
import { DatabaseUnavailableError, openPostgresPool, shownDatabaseUrl } from './postgres-database.js';
import type { SqlDatabase } from './sql-database.js';
import { openSqliteFile } from './sqlite-database.js';

export type HostDatabase = SqlDatabase;

export interface DatabaseOptions {
  /** The data folder: `data.db` lives there unless `databaseUrl` is given. */
  dataDir: string;
  /** postgres://… : every table in this PostgreSQL database instead (several host processes share it). */
  databaseUrl?: string;
}

/**
 * Opens the host's database and brings its schema up to date (migrations.ts). PostgreSQL that cannot be reached, or
 * refuses the credentials, rejects with a message naming the URL without its password.
 */
export async function openDatabase(options: DatabaseOptions): Promise<HostDatabase> {
  const db: SqlDatabase = options.databaseUrl ? openPostgresPool(options.databaseUrl) : openSqliteFile(options.dataDir);
  try {
    await migrate(db);
    return db;
  } catch (err) {
    await db.close().catch(() => undefined);
    if (options.databaseUrl && !(err instanceof DatabaseUnavailableError) && (err as { code?: string }).code === '28P01') {
      throw new Error(`PostgreSQL (${shownDatabaseUrl(options.databaseUrl)}) refused the user name or password of DATABASE_URL`);
    }
    throw err;
  }
}
