import { createDefaultEsmPreset } from 'ts-jest';

/** @type {import('jest').Config} */
export default {
  ...createDefaultEsmPreset({ tsconfig: 'tsconfig.json' }),
  testEnvironment: 'node',
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // OpenList's built frontend (tens of MB of bundles, fetched at install time) is nothing jest needs to index.
  modulePathIgnorePatterns: ['<rootDir>/vendor/'],
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
  setupFilesAfterEnv: ['<rootDir>/test/support/nock-isolation.ts'],
  testTimeout: 30000,
};
