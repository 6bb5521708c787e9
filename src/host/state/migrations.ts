import { POSTGRES_MIGRATIONS } from './postgres-schema.js';
import type { SqlDatabase, SqlQueries } from './sql-database.js';
import { SQLITE_MIGRATIONS } from './sqlite-schema.js';

/** One step of the schema; `version`s count up from 1 and mean the same state in both databases. */
export interface Migration {
  version: number;
  description: string;
  apply(db: SqlQueries): Promise<void>;
}

/** Any fixed number: the PostgreSQL advisory lock every starting process takes while it migrates. */
const MIGRATION_LOCK_KEY = 7_104_112_037;

export class NewerSchemaError extends Error {
  constructor(location: string, found: number, known: number) {
    super(`The database ${location} has schema version ${found}, written by a newer gphotos-alist (this one knows up to ${known}): `
      + 'run the newer version, or restore a backup made for this one');
    this.name = 'NewerSchemaError';
  }
}

function migrationsFor(db: SqlQueries): readonly Migration[] {
  return db.dialect === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS;
}

/**
 * Applies the migrations the database lacks, each recorded in `schema_migrations`, all in one transaction. Safe when
 * several processes start at once: SQLite's BEGIN IMMEDIATE and PostgreSQL's advisory lock let one migrate while
 * the others wait, then find every version applied.
 */
export async function migrate(db: SqlDatabase, now: () => number = Date.now): Promise<void> {
  const migrations = migrationsFor(db);
  const known = migrations[migrations.length - 1]!.version;
  await db.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.get('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
    await tx.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = new Set((await tx.all<{ version: number }>('SELECT version FROM schema_migrations')).map((row) => row.version));
    const newest = Math.max(0, ...applied);
    if (newest > known) throw new NewerSchemaError(db.shownLocation, newest, known);
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await migration.apply(tx);
      await tx.run('INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)',
        [migration.version, migration.description, new Date(now()).toISOString()]);
    }
  });
}
