// Prints one plain closing line ("N passed, N failed, N skipped") after jest's own summary, so CI
// logs and tools that read the last line see the totals of the whole run, all three tiers together.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stderr.write(
      `\ntests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
