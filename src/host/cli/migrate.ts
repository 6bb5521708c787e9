import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { HELP_OPTION, printedHelp } from './options.js';
import { copyDatabase, HOST_TABLES, type CopiedRows } from '../state/copy-database.js';
import { openDatabase, type HostDatabase } from '../state/database.js';
import { shownDatabaseUrl } from '../state/postgres-database.js';

const USAGE = `Usage: gphotos-alist migrate [--from ./data] [--to postgres://user:password@host:5432/db]

Copies every table of a data folder's SQLite database (<data>/data.db) into an empty PostgreSQL database, keeping
ids, users and their passwords, logins, settings, storages, metas, tasks and learnt sizes; all or nothing.

  --from  the server's data folder (default ./data); an older data.db is brought up to date first
  --to    the PostgreSQL database (default env DATABASE_URL); prefer the env variable, which keeps the password
          off the process list. Its tables are created; it must hold no rows yet, so a second run is refused

Stop the servers on the data folder first. Afterwards start them with DATABASE_URL and the same --data folder
(kept copies and spooled uploads stay there); data.db is left as it was: keep it as a backup. See docs/deploy.md`;

export interface MigrateOptions {
  /** The data folder holding data.db. */
  from: string;
  /** postgres://… */
  to: string;
}

/** Copies the folder's SQLite database into PostgreSQL; rows per table. */
export async function runMigrate(options: MigrateOptions): Promise<CopiedRows> {
  const dataDir = path.resolve(options.from);
  if (!existsSync(path.join(dataDir, 'data.db'))) {
    throw new Error(`There is no data.db in ${dataDir}: --from must be the data folder a server ran on (its --data)`);
  }
  let protocol: string;
  try {
    protocol = new URL(options.to).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new Error(`--to (or DATABASE_URL) must be a postgres://user:password@host:5432/database URL, not ${shownDatabaseUrl(options.to)}`);
  }
  const from = await openDatabase({ dataDir });
  let to: HostDatabase | undefined;
  try {
    to = await openDatabase({ dataDir, databaseUrl: options.to });
    return await copyDatabase(from, to);
  } finally {
    await to?.close();
    await from.close();
  }
}

/** What the person reads after a copy: rows per table, then what to do next. */
export function migrateSummary(copied: CopiedRows, dataDir: string, url: string): string[] {
  const width = Math.max(...HOST_TABLES.map(({ name }) => name.length));
  return [
    `Copied ${path.join(dataDir, 'data.db')} into PostgreSQL at ${shownDatabaseUrl(url)}:`,
    ...HOST_TABLES.map(({ name }) => `  ${name.padEnd(width)}  ${copied[name]}`),
    '',
    'Next:',
    '  - Start the servers with DATABASE_URL set to this database (or --database-url), and the same --data folder:',
    `    kept copies and spooled uploads stay in ${dataDir}.`,
    `  - Keep ${path.join(dataDir, 'data.db')} as a backup: servers with DATABASE_URL neither read nor change it.`,
  ];
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      from: { type: 'string', default: './data' },
      to: { type: 'string' },
      help: HELP_OPTION,
    },
  });
  if (printedHelp(values.help, USAGE)) return;
  const to = values.to || process.env.DATABASE_URL;
  if (!to) throw new Error('Give the PostgreSQL database to copy into: --to postgres://… or env DATABASE_URL');
  const copied = await runMigrate({ from: values.from, to });
  for (const line of migrateSummary(copied, path.resolve(values.from), to)) console.log(line);
}
