import { createDefaultEsmPreset } from 'ts-jest';

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
 * properties through the API. Skipped, with the store tests' PostgreSQL runs, where PostgreSQL is not installed.
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
    {
      ...common,
      displayName: 'postgres',
      testMatch: ON_POSTGRES.map((name) => `<rootDir>/test/host/${name}.test.ts`),
      setupFilesAfterEnv: ['<rootDir>/test/support/nock-isolation.ts', '<rootDir>/test/support/postgres-project.ts'],
    },
  ],
};
