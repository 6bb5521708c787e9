import Database from 'better-sqlite3';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { makeDatabaseFilesPrivate, makeDataFolderPrivate } from './data-folder.js';
import type { SqlDatabase, SqlQueries } from './sql-database.js';

type Statement = Database.Statement<unknown[], unknown>;

/** Statements run at once on the connection (better-sqlite3 is synchronous), prepared once each. */
class SqliteQueries implements SqlQueries {
  readonly dialect = 'sqlite';
  readonly insertionOrder = 'rowid';
  private readonly statements = new Map<string, Statement>();

  constructor(protected readonly raw: Database.Database) {}

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.raw.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.statement(sql).all(...params) as T[];
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return this.statement(sql).get(...params) as T | undefined;
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.statement(sql).run(...params).changes;
  }

  async exec(script: string): Promise<void> {
    this.raw.exec(script);
  }

  /** Inside a transaction already: nested work joins it. */
  async transaction<T>(work: (tx: SqlQueries) => Promise<T>): Promise<T> {
    return work(this);
  }
}

/**
 * One connection. A transaction may await between its statements, so while one is open every other statement
 * waits for it (`idle`); BEGIN IMMEDIATE takes the write lock at once, so another process on the same file waits
 * (busy_timeout) instead of failing half-way.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite';
  readonly insertionOrder = 'rowid';
  private readonly queries: SqliteQueries;
  private idle: Promise<void> = Promise.resolve();
  private openTransactions = 0;

  constructor(readonly raw: Database.Database, readonly shownLocation: string) {
    this.queries = new SqliteQueries(raw);
  }

  private async outside<T>(query: () => Promise<T>): Promise<T> {
    while (this.openTransactions > 0) await this.idle;
    return query();
  }

  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.outside(() => this.queries.all<T>(sql, params));
  }

  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    return this.outside(() => this.queries.get<T>(sql, params));
  }

  run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.outside(() => this.queries.run(sql, params));
  }

  async transaction<T>(work: (tx: SqlQueries) => Promise<T>): Promise<T> {
    while (this.openTransactions > 0) await this.idle;
    let finished!: () => void;
    this.idle = new Promise((resolve) => { finished = resolve; });
    this.openTransactions++;
    try {
      this.raw.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.queries);
        this.raw.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
        throw err;
      }
    } finally {
      this.openTransactions--;
      finished();
    }
  }

  exec(script: string): Promise<void> {
    return this.outside(() => this.queries.exec(script));
  }

  async close(): Promise<void> {
    while (this.openTransactions > 0) await this.idle;
    if (this.raw.open) this.raw.close();
  }
}

/**
 * Opens (or creates) `<dataDir>/data.db`. WAL with synchronous=FULL: every committed transaction is on disk before
 * the call returns, and a process killed at any moment leaves a consistent file. The folder and the database files
 * are readable by the server's user only (see makeDataFolderPrivate). Migrations are the caller's (migrations.ts).
 */
export function openSqliteFile(dataDir: string): SqliteDatabase {
  makeDataFolderPrivate(dataDir);
  const file = path.join(dataDir, 'data.db');
  closeSync(openSync(file, 'a', 0o600)); // a new database is private from its first byte
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  makeDatabaseFilesPrivate(dataDir); // SQLite creates -wal/-shm with the database's mode; a leftover one may be looser
  raw.pragma('synchronous = FULL');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('foreign_keys = ON');
  return new SqliteDatabase(raw, file);
}
