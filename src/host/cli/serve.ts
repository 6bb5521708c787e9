import path from 'node:path';
import { parseArgs } from 'node:util';
import { HELP_OPTION, parsePort, parseUi, printedHelp } from './options.js';
import { createHost } from '../index.js';
import { shownRedisUrl } from '../shared/redis-connection.js';
import { shownDatabaseUrl } from '../state/postgres-database.js';
import { MIN_TASK_CLAIM_TTL_MS } from '../tasks/task-claims.js';
import { accelRedirectProblem, type AccelRedirectOptions } from '../downloads/accel-redirect.js';

const USAGE = `Usage: gphotos-alist serve [--port 5244] [--data ./data] [--host 127.0.0.1] [--site-url URL] [--no-demo | --demo] [--log]
                          [--max-upload-mb 16384] [--accel-redirect /_accel] [--redis-url redis://host:6379]
                          [--database-url postgres://user:password@host:5432/db]

  --port     port to listen on (default 5244; 0 = any free port)
  --data     folder of the server's database (default ./data)
  --host     address to listen on (default 127.0.0.1)
  --site-url where clients reach the server, e.g. https://files.example.org behind a reverse proxy
             (default env SITE_URL, else the admin setting site_url, else the listening address);
             download links (raw_url) and Google's redirect address are built on it
  --no-demo  do not mount the demo storage when no storage exists
  --demo     mount it even with --redis-url or --database-url (where it is off unless asked)
  --log      log every request (secrets redacted)
  --max-upload-mb  largest file an upload may carry, in MiB (default 16384)
  --ui       the web UI: "default" (this project's) or "openlist" (OpenList's frontend, fetched at install
             time into vendor/openlist-frontend by scripts/fetch-openlist.mjs)
  --accel-redirect  behind nginx: answer proxied downloads with an X-Accel-Redirect to this internal location
             (default env ACCEL_REDIRECT), so nginx streams the bytes; needs env ACCEL_SECRET (16+ characters), the
             X-Accel-Secret header nginx sends. See docs/deploy.md
  --redis-url  several processes on one data folder: share Google access tokens (one refresh for all),
             storage changes and tasks through this private Redis (default env REDIS_URL); env TASK_CLAIM_TTL_MS
             (default 15000) bounds how long a task of a process that died waits to be taken over. See docs/deploy.md
  --database-url  keep every table in this PostgreSQL database instead of <data>/data.db (default env
             DATABASE_URL); prefer the env variable, which keeps the password off the process list.
             --data still holds kept copies and spooled uploads. See docs/deploy.md

The first start creates the user "admin" with the password from env ADMIN_PASSWORD (at least 8 characters),
or prints a generated one once.`;

/** How long a task's claim lasts without renewal (env TASK_CLAIM_TTL_MS), when given. */
function taskClaimTtlOption(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = Number(text);
  if (!Number.isSafeInteger(ms) || ms < MIN_TASK_CLAIM_TTL_MS) {
    throw new Error(`TASK_CLAIM_TTL_MS must be a whole number of milliseconds, at least ${MIN_TASK_CLAIM_TTL_MS}, not "${text}"`);
  }
  return ms;
}

/** The nginx mode's options: the prefix given, the secret from the environment only (never on a command line). */
function accelRedirectOption(prefix: string | undefined): AccelRedirectOptions | undefined {
  if (prefix === undefined) return undefined;
  const secret = process.env.ACCEL_SECRET;
  if (!secret) throw new Error('--accel-redirect needs env ACCEL_SECRET: the value nginx sends in the X-Accel-Secret header (see docs/deploy.md)');
  const options = { prefix, secret };
  const problem = accelRedirectProblem(options);
  if (problem) throw new Error(problem);
  return options;
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '5244' },
      data: { type: 'string', default: './data' },
      host: { type: 'string', default: '127.0.0.1' },
      'site-url': { type: 'string' },
      'no-demo': { type: 'boolean', default: false },
      demo: { type: 'boolean', default: false },
      'database-url': { type: 'string' },
      log: { type: 'boolean', default: false },
      'max-upload-mb': { type: 'string', default: '16384' },
      ui: { type: 'string', default: 'default' },
      'accel-redirect': { type: 'string' },
      'redis-url': { type: 'string' },
      help: HELP_OPTION,
    },
  });
  if (printedHelp(values.help, USAGE)) return;
  const port = parsePort(values.port);
  const dataDir = path.resolve(values.data);
  const siteUrl = values['site-url'] || process.env.SITE_URL || undefined;
  const maxUploadMb = Number(values['max-upload-mb']);
  if (!Number.isSafeInteger(maxUploadMb) || maxUploadMb <= 0) throw new Error(`--max-upload-mb must be a positive whole number, not "${values['max-upload-mb']}"`);
  const ui = parseUi(values.ui);
  const accelRedirect = accelRedirectOption(values['accel-redirect'] || process.env.ACCEL_REDIRECT || undefined);
  const redisUrl = values['redis-url'] || process.env.REDIS_URL || undefined;
  const databaseUrl = values['database-url'] || process.env.DATABASE_URL || undefined;
  if (values.demo && values['no-demo']) throw new Error('Give --demo or --no-demo, not both');
  const host = await createHost({
    dataDir, port, host: values.host, siteUrl, demo: values.demo ? true : values['no-demo'] ? false : undefined, logger: values.log, maxUploadBytes: maxUploadMb * 1024 * 1024, ui, accelRedirect,
    redisUrl, databaseUrl, taskClaimTtlMs: taskClaimTtlOption(process.env.TASK_CLAIM_TTL_MS),
  });
  console.log(`Serving on ${host.url}  (data: ${dataDir}${databaseUrl ? `; tables in PostgreSQL at ${shownDatabaseUrl(databaseUrl)}` : ''})`);
  console.log(`Admin pages: ${host.url}/@manage`);
  if (!siteUrl && (values.host === '0.0.0.0' || values.host === '::')) {
    console.log('Listening on every address: set --site-url (or SITE_URL, or site_url in the settings) so that download links and Google\'s redirect point where clients reach this server.');
  }
  if (host.generatedAdminPassword) {
    console.log(`Created the user "admin" with the password: ${host.generatedAdminPassword}`);
    console.log('It is shown only this once; set ADMIN_PASSWORD before the first start to choose it.');
  }
  if (redisUrl) console.log(`Sharing Google tokens, storage changes and tasks with other processes through Redis at ${shownRedisUrl(redisUrl)}`);
  if (accelRedirect) console.log(`Downloads through nginx: internal redirects to ${accelRedirect.prefix}/ for requests carrying X-Accel-Secret`);
  if (host.demoEmulator) console.log(`Demo storage at /demo: a local Google Photos emulator (${host.demoEmulator.url}), no Google account involved.`);

  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: shutting down`);
    host.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
