import { DatabaseUnavailableError } from './postgres-database.js';
import type { SqlDatabase, SqlQueries } from './sql-database.js';

/**
 * The host's tables in foreign-key order (a row's parents come first), each with the key it is read in: SQLite's
 * rowid (the insertion order, which PostgreSQL's `seq` then keeps), or the primary key of a WITHOUT ROWID table.
 * `schema_migrations` is not copied: both databases are at the same version once opened.
 */
export const HOST_TABLES = [
  { name: 'storages', key: ['rowid'], identity: 'id' },
  { name: 'users', key: ['rowid'], identity: 'id' },
  { name: 'settings', key: ['rowid'] },
  { name: 'metas', key: ['rowid'], identity: 'id' },
  { name: 'picker_sessions', key: ['rowid'] },
  { name: 'keep_jobs', key: ['rowid'] },
  { name: 'auth_sessions', key: ['rowid'] },
  { name: 'tasks', key: ['rowid'] },
  { name: 'task_done_files', key: ['rowid'] },
  { name: 'item_sizes', key: ['storage_id', 'item_id'] },
  { name: 'dav_properties', key: ['storage_id', 'path', 'namespace', 'name'] },
] as const satisfies ReadonlyArray<{ name: string; key: readonly string[]; identity?: string }>;

export type HostTable = (typeof HOST_TABLES)[number]['name'];
export type CopiedRows = Record<HostTable, number>;

/** Rows read and inserted per statement; kept well below PostgreSQL's 65535 parameters per statement. */
const MAX_ROWS_PER_BATCH = 1_000;
const MAX_PARAMETERS_PER_BATCH = 30_000;
const ROWID = 'copy_rowid';

type Row = Record<string, unknown>;

export class TargetNotEmptyError extends Error {
  constructor(location: string, tables: string[]) {
    super(`PostgreSQL (${location}) already holds rows in ${tables.join(', ')}: migrate copies into an empty database only, `
      + 'so that a second run never duplicates or mixes rows; nothing was written. Give --to a new, empty database '
      + '(a server started on it first creates the user "admin": migrate before starting any server there).');
    this.name = 'TargetNotEmptyError';
  }
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** One page of a SQLite table after `after` (the last page's final key), in key order. */
async function readPage(from: SqlQueries, table: (typeof HOST_TABLES)[number], after: unknown[] | undefined, limit: number): Promise<Row[]> {
  const byRowid = table.key[0] === 'rowid';
  const key = byRowid ? [ROWID] : [...table.key];
  const keyList = byRowid ? 'rowid' : key.map(quoted).join(', ');
  const select = byRowid ? `SELECT rowid AS ${ROWID}, * FROM ${quoted(table.name)}` : `SELECT * FROM ${quoted(table.name)}`;
  const where = after ? ` WHERE (${keyList}) > (${after.map(() => '?').join(', ')})` : '';
  return from.all<Row>(`${select}${where} ORDER BY ${keyList} LIMIT ?`, [...(after ?? []), limit]);
}

async function insertRows(to: SqlQueries, table: string, columns: string[], rows: Row[]): Promise<void> {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const values = rows.map(() => tuple).join(', ');
  await to.run(`INSERT INTO ${quoted(table)} (${columns.map(quoted).join(', ')}) VALUES ${values}`, rows.flatMap((row) => columns.map((column) => row[column])));
}

/** Copies one table page by page; returns how many rows it had. */
async function copyTable(from: SqlQueries, to: SqlQueries, table: (typeof HOST_TABLES)[number]): Promise<number> {
  let copied = 0;
  let after: unknown[] | undefined;
  let columns: string[] | undefined;
  let batch = MAX_ROWS_PER_BATCH;
  for (;;) {
    const rows = await readPage(from, table, after, batch);
    if (rows.length === 0) return copied;
    const last = rows[rows.length - 1]!;
    after = table.key[0] === 'rowid' ? [last[ROWID]] : table.key.map((column) => last[column]);
    if (!columns) {
      columns = Object.keys(last).filter((column) => column !== ROWID);
      batch = Math.max(1, Math.min(MAX_ROWS_PER_BATCH, Math.floor(MAX_PARAMETERS_PER_BATCH / columns.length)));
    }
    await insertRows(to, table.name, columns, rows);
    copied += rows.length;
  }
}

/** The tables of the target that hold rows already. */
async function tablesWithRows(to: SqlQueries): Promise<string[]> {
  const found: string[] = [];
  for (const { name } of HOST_TABLES) {
    if (await to.get(`SELECT 1 AS found FROM ${quoted(name)} LIMIT 1`)) found.push(name);
  }
  return found;
}

/** The highest id SQLite ever handed out per AUTOINCREMENT table (deleted rows' ids included: never reused). */
async function sqliteSequences(from: SqlQueries): Promise<Map<string, number>> {
  const exists = await from.get("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'");
  if (!exists) return new Map();
  const rows = await from.all<{ name: string; seq: number }>('SELECT name, seq FROM sqlite_sequence');
  return new Map(rows.map((row) => [row.name, Number(row.seq)]));
}

/** Moves each identity sequence past every id SQLite handed out, so new rows get fresh ids. */
async function moveSequences(from: SqlQueries, to: SqlQueries): Promise<void> {
  const handedOut = await sqliteSequences(from);
  for (const table of HOST_TABLES) {
    if (!('identity' in table)) continue;
    const highest = await to.get<{ highest: number | null }>(`SELECT MAX(${quoted(table.identity)}) AS highest FROM ${quoted(table.name)}`);
    const next = Math.max(Number(highest?.highest ?? 0), handedOut.get(table.name) ?? 0) + 1;
    await to.get('SELECT setval(pg_get_serial_sequence(?, ?), ?, false)', [table.name, table.identity, next]);
  }
}

async function schemaVersion(db: SqlQueries): Promise<number> {
  return Number((await db.get<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations'))?.version ?? 0);
}

/**
 * Copies every host table of a SQLite database into an empty PostgreSQL one (both already migrated to the same
 * schema version), keeping ids, all or nothing: one PostgreSQL transaction, whose tables are locked against other
 * writers while it checks they are empty and fills them. The SQLite side is read inside its own write transaction,
 * so a server still running on it can change nothing that the copy would miss.
 */
export async function copyDatabase(from: SqlDatabase, to: SqlDatabase): Promise<CopiedRows> {
  if (from.dialect !== 'sqlite' || to.dialect !== 'postgres') throw new Error('copyDatabase copies from SQLite into PostgreSQL only');
  const [fromVersion, toVersion] = [await schemaVersion(from), await schemaVersion(to)];
  if (fromVersion !== toVersion) {
    throw new Error(`${from.shownLocation} has schema version ${fromVersion} and PostgreSQL (${to.shownLocation}) ${toVersion}: run the same gphotos-alist version on both`);
  }
  return from.transaction((source) => to.transaction(async (target) => {
    await target.exec(`LOCK TABLE ${HOST_TABLES.map(({ name }) => quoted(name)).join(', ')} IN EXCLUSIVE MODE`);
    const filled = await tablesWithRows(target);
    if (filled.length > 0) throw new TargetNotEmptyError(to.shownLocation, filled);
    const copied = {} as CopiedRows;
    for (const table of HOST_TABLES) {
      try {
        copied[table.name] = await copyTable(source, target, table);
      } catch (err) {
        if (err instanceof DatabaseUnavailableError) throw err;
        const reason = err instanceof Error ? err.message : String(err);
        throw new Error(`The rows of ${table.name} could not be copied (${reason}); nothing was written to PostgreSQL (${to.shownLocation})`, { cause: err });
      }
    }
    await moveSequences(source, target);
    return copied;
  }));
}
