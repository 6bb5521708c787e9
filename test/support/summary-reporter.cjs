// Prints the closing line CI reads, "N passed, N failed[, N skipped]", on stderr after jest's own summary; before
// it, once, how to run the scale-out suite when it was skipped for want of redis-server (see test/scale/support).
const { existsSync } = require('node:fs');

const REDIS_SERVER = '/usr/bin/redis-server';
const SCALE_TEST = /[\\/]test[\\/]scale[\\/]/;

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const scaleSkipped = results.testResults.some((file) => SCALE_TEST.test(file.testFilePath) && file.numPendingTests > 0
      && file.numPassingTests + file.numFailingTests === 0);
    if (scaleSkipped && !existsSync(REDIS_SERVER)) {
      process.stderr.write(`\nSkipped the scale-out suite (test/scale): ${REDIS_SERVER} is missing; to run it, install Debian's `
        + 'redis-server (apt-get install -y redis-server; .ci/run does it), then run `npm test -- test/scale`\n');
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : '');
    process.stderr.write(`\n${line}\n`);
  }
}
module.exports = SummaryReporter;
