/** jest's "postgres" project: every host a test starts through createTestHost keeps its tables in PostgreSQL. */
import { afterAll } from '@jest/globals';
import { closeTestPostgres } from './test-databases.js';

process.env.HOST_TEST_DATABASE = 'postgres';
afterAll(closeTestPostgres);
