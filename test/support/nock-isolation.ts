/**
 * Run before every test file (jest setupFilesAfterEnv). Importing nock installs its HTTP interceptor in the worker,
 * and it stays there for the next test files of that worker unless restored: their real HTTP would then go through
 * nock's mock socket (a download that no longer applies backpressure, an abort that never arrives). So nock starts
 * switched off here, a file that mocks HTTP switches it on (setupNock, nock.activate), and it is switched off again
 * when the file ends.
 */
import { afterAll } from '@jest/globals';
import nock from 'nock';

nock.restore();

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
