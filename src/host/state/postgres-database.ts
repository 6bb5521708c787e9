import pg from 'pg';
import { DriverError } from '../../types/errors.js';
import { urlWithoutPassword } from '../shown-url.js';
import type { SqlDatabase, SqlQueries } from './sql-database.js';

const INT8_OID = 20;
const CONNECT_TIMEOUT_MS = 5_000;
const POOL_SIZE = 10;

/** Counts, byte sizes and millisecond times are BIGINT: read them as numbers (all stay far below 2^53). */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** `?` placeholders as PostgreSQL's `$1, $2, …` (no statement of the stores has a `?` inside a literal). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The URL without its password, for messages. */
export function shownDatabaseUrl(url: string): string {
  return urlWithoutPassword(url, 'the DATABASE_URL (not a valid URL)');
}

/** Errors that mean "the server is not reachable now", not "the statement is wrong". */
function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? '';
  const message = err instanceof Error ? err.message : '';
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006'].includes(code)
    || /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
}

/** PostgreSQL cannot be reached while the host runs: the request gets this clear error; the next one reconnects. */
export class DatabaseUnavailableError extends DriverError {
  constructor(location: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('UPSTREAM_UNAVAILABLE', `PostgreSQL (${location}) cannot be reached (${reason})`, {
      hint: 'Bring PostgreSQL (DATABASE_URL) back: requests work again by themselves once it answers.',
    });
  }
}

class PostgresQueries implements SqlQueries {
  readonly dialect = 'postgres';
  readonly insertionOrder = 'seq';

  constructor(private readonly client: pg.Pool | pg.PoolClient, private readonly location: string, private readonly pool: pg.Pool) {}

  protected async query<T>(sql: string, params: readonly unknown[]): Promise<pg.QueryResult<T & pg.QueryResultRow>> {
    try {
      return await this.client.query<T & pg.QueryResultRow>(numbered(sql), params as unknown[]);
    } catch (err) {
      throw isConnectionError(err) ? new DatabaseUnavailableError(this.location, err) : err;
    }
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.query<T>(sql, params)).rows;
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.query<T>(sql, params)).rows[0];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }

  async exec(script: string): Promise<void> {
    await this.query(script, []);
  }

  async transaction<T>(work: (tx: SqlQueries) => Promise<T>): Promise<T> {
    if (this.client !== this.pool) return work(this); // nested: joins the open transaction
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw new DatabaseUnavailableError(this.location, err);
    }
    const tx = new PostgresQueries(client, this.location, this.pool);
    let broken: unknown;
    // The pool listens for errors of idle connections only: a checked-out one that the server cuts (a restart)
    // emits 'error', which would end the process unheard. The statement under way fails by itself.
    const cut = (err: Error) => { broken = err; };
    client.on('error', cut);
    try {
      await tx.run('BEGIN');
      const result = await work(tx);
      await tx.run('COMMIT');
      return result;
    } catch (err) {
      await tx.run('ROLLBACK').catch((rollbackErr: unknown) => { broken = rollbackErr; });
      throw err;
    } finally {
      client.off('error', cut);
      // A connection that failed mid-transaction is dropped, not handed to the next request.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }
}

/** A pool of connections to the DATABASE_URL; statements outside a transaction take any free connection. */
export class PostgresDatabase extends PostgresQueries implements SqlDatabase {
  readonly shownLocation: string;

  constructor(private readonly connections: pg.Pool, shownLocation: string) {
    super(connections, shownLocation, connections);
    this.shownLocation = shownLocation;
  }

  async close(): Promise<void> {
    await this.connections.end();
  }
}

/** A pool for the URL; nothing is connected before the first statement (the migrations, at start). */
export function openPostgresPool(url: string): PostgresDatabase {
  const location = shownDatabaseUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, types });
  // An idle connection the server dropped (a restart): the pool replaces it; without a listener Node would crash.
  pool.on('error', () => undefined);
  return new PostgresDatabase(pool, location);
}
