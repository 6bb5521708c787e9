// Prints the closing line CI reads, "N passed, N failed[, N skipped]", on stderr after jest's own summary; before
// it, once, how to run the scale-out suite when it was skipped for want of redis-server (see test/scale/support).
const { existsSync, readdirSync } = require('node:fs');

const REDIS_SERVER = '/usr/bin/redis-server';
const SCALE_TEST = /[\\/]test[\\/]scale[\\/]/;

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const scaleSkipped = results.testResults.some((file) => SCALE_TEST.test(file.testFilePath) && file.numPendingTests > 0
      && file.numPassingTests + file.numFailingTests === 0);
    const hasPostgres = existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql')
      .some((version) => existsSync(`/usr/lib/postgresql/${version}/bin/postgres`));
    const missing = [existsSync(REDIS_SERVER) ? '' : 'redis-server', hasPostgres ? '' : 'postgresql'].filter(Boolean);
    if (scaleSkipped && missing.length > 0) {
      process.stderr.write(`\nSkipped the scale-out suite (test/scale) and the PostgreSQL runs of the store tests: ${missing.join(' and ')} `
        + `missing; to run them, install Debian's packages (apt-get install -y ${missing.join(' ')}; .ci/run does it), then run `
        + '`npm test -- test/scale test/state`\n');
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : '');
    process.stderr.write(`\n${line}\n`);
  }
}
module.exports = SummaryReporter;
