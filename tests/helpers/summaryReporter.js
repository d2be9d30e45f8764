// Prints one plain closing line, "tests: N passed, N failed", as the very last line of the run
// (after Jest's own summary), so CI, which reads the closing lines, sees how many tests ran.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
    // Jest's summary is written after the reporters' onRunComplete; 'exit' comes after it.
    process.once('exit', () => process.stdout.write(`\n${line}\n`));
  }
}
module.exports = SummaryReporter;
