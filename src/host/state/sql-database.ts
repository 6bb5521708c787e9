/**
 * The host's persistent state goes through this one interface, with two implementations: SQLite in the data folder
 * (sqlite-database.ts, the default) and PostgreSQL for several processes (postgres-database.ts, DATABASE_URL).
 *
 * Statements are written once for both: `?` placeholders, `ON CONFLICT` upserts, `RETURNING id`, flags as 0/1
 * integers. Where the two differ the store asks `dialect` (see also `insertionOrder`).
 */
export type SqlDialect = 'sqlite' | 'postgres';

export interface SqlQueries {
  readonly dialect: SqlDialect;
  /** The column that orders rows by insertion: SQLite's rowid, PostgreSQL's `seq` identity column. */
  readonly insertionOrder: string;
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  /** How many rows the statement changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /**
   * `work` runs in one transaction: every statement it makes through `tx` commits together, or none does when it
   * throws. Only database work belongs inside (the transaction holds a write lock until it ends).
   */
  transaction<T>(work: (tx: SqlQueries) => Promise<T>): Promise<T>;
}

export interface SqlDatabase extends SqlQueries {
  /** Where the data lives, without credentials (for messages). */
  readonly shownLocation: string;
  close(): Promise<void>;
}

/** Another row has this unique value (a mount path, a username, a meta's path). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** `?, ?, ?` for a list of values. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
