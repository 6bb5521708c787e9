import { existsSync, readdirSync } from 'node:fs';
import { createDefaultEsmPreset } from 'ts-jest';

/** Debian's postgresql is installed (test/support/postgres-server.ts starts private clusters of it). */
const hasPostgres = existsSync('/usr/lib/postgresql')
  && readdirSync('/usr/lib/postgresql').some((version) => existsSync(`/usr/lib/postgresql/${version}/bin/postgres`));
/** Under CI a missing PostgreSQL fails the tests that need it instead of leaving them out. */
const ci = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';

const common = {
  ...createDefaultEsmPreset({ tsconfig: 'tsconfig.json' }),
  testEnvironment: 'node',
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // OpenList's built frontend (tens of MB of bundles, fetched at install time) is nothing jest needs to index.
  modulePathIgnorePatterns: ['<rootDir>/vendor/'],
};

/**
 * Host tests that run a second time with every host's tables in PostgreSQL (test/host/support/test-host.ts): the
 * ones whose hosts read and write users, sessions, settings, metas, storages, tasks, picker sessions and WebDAV
 * properties through the API. Left out, with the store tests' PostgreSQL runs, where PostgreSQL is not installed
 * (the summary reporter then says how to run them), except under CI.
 */
const ON_POSTGRES = ['api', 'cache', 'fs-paging', 'users', 'metas', 'settings-sign', 'fs-write', 'login-limits', 'webdav-protocol',
  'picker-api', 'picker-keep'];

/** @type {import('jest').Config} */
export default {
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
  projects: [
    {
      ...common,
      displayName: 'sqlite',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/nock-isolation.ts'],
    },
    ...(hasPostgres || ci ? [{
      ...common,
      displayName: 'postgres',
      testMatch: ON_POSTGRES.map((name) => `<rootDir>/test/host/${name}.test.ts`),
      setupFilesAfterEnv: ['<rootDir>/test/support/nock-isolation.ts', '<rootDir>/test/support/postgres-project.ts'],
    }] : []),
  ],
};
