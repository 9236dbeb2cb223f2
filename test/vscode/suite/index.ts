// The entry VS Code calls in its extension host (extensionTestsPath): runs the *.suite.ts files
// with mocha and settles when they are done. Bundled on its own, so the suite files are imported
// here, after mocha's globals (suite, test, ...) exist, rather than found on disk.
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';

/** Suites take their time from the language server's start, so the limit is per test and generous. */
const TEST_TIMEOUT_MS = 60_000;

export interface SuiteResult {
  passed: number;
  failed: number;
  pending: number;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', reporter: 'spec', color: false, timeout: TEST_TIMEOUT_MS });
  mocha.suite.emit('pre-require', globalThis, 'test/vscode/suite', mocha);
  await import('./extension.suite');
  await import('./audit.suite');

  const result = await new Promise<SuiteResult>((resolve) => {
    const runner = mocha.run(() => {
      const stats = runner.stats;
      resolve({ passed: stats?.passes ?? 0, failed: stats?.failures ?? 0, pending: stats?.pending ?? 0 });
    });
  });
  // The runners outside the extension host print "N passed, M failed" from this.
  const resultsFile = process.env.SIGHTLINE_SUITE_RESULTS;
  if (resultsFile) writeFileSync(resultsFile, JSON.stringify(result));
  console.log(`suite result: ${JSON.stringify(result)}`);
  if (result.failed > 0 || result.passed === 0) {
    throw new Error(`${result.failed} of ${result.passed + result.failed} tests failed`);
  }
}
