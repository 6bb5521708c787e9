/**
 * createHost for tests, on SQLite by default; in jest's "postgres" project (HOST_TEST_DATABASE=postgres, see
 * jest.config.js) on the test file's private PostgreSQL instead, one database per data folder (a restart on the
 * same folder finds its database again).
 */
import { createHost, type Host, type HostOptions } from '../../../src/host/index.js';
import { testPostgres } from '../../support/test-databases.js';

const databases = new Map<string, Promise<string>>();

export function onPostgres(): boolean {
  return process.env.HOST_TEST_DATABASE === 'postgres';
}

export async function databaseUrlFor(dataDir: string): Promise<string | undefined> {
  if (!onPostgres()) return undefined;
  let url = databases.get(dataDir);
  if (!url) {
    url = testPostgres().then((server) => server.createDatabase());
    databases.set(dataDir, url);
  }
  return url;
}

export async function createTestHost(options: HostOptions): Promise<Host> {
  const databaseUrl = await databaseUrlFor(options.dataDir);
  return createHost({ ...(databaseUrl ? { databaseUrl } : {}), ...options });
}
