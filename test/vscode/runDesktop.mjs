// Runs the suite in out/test/vscode/suite/ in VS Code desktop, downloaded by @vscode/test-electron
// into .vscode-test/: for machines that can reach update.code.visualstudio.com. Machines that
// cannot use runInCodeServer.mjs (`npm run test:vscode`), which runs the same suite in code-server.
// The last line it prints is "N passed, M failed".
//   VSCODE_VERSION=1.100.3   the VS Code to test in (default: stable)
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { prepareSuiteWorkspace } from './suiteWorkspace.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// esbuild.mjs --tests writes to out/, or to $SIGHTLINE_TEST_OUT when parallel work keeps its own.
const suiteEntry = resolve(repoRoot, process.env.SIGHTLINE_TEST_OUT ?? 'out', 'test', 'vscode', 'suite', 'index.js');

for (const [file, build] of [[join(repoRoot, 'dist', 'extension.js'), 'node esbuild.mjs'], [suiteEntry, 'node esbuild.mjs --tests']]) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run \`${build}\` first (or \`npm run test:desktop\`, which builds).`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'sightline-desktop-'));
const workspace = join(scratch, 'workspace');
try {
  prepareSuiteWorkspace(workspace);
} catch (error) {
  console.error(error.message);
  rmSync(scratch, { recursive: true, force: true });
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const resultsFile = join(scratch, 'results.json');

let exitCode = 1;
try {
  exitCode = await runTests({
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: suiteEntry,
    extensionTestsEnv: { SIGHTLINE_SUITE_RESULTS: resultsFile },
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir', join(scratch, 'user-data'),
      '--extensions-dir', join(scratch, 'extensions'),
    ],
  });
} catch (error) {
  console.error(`The VS Code suite failed to run: ${error?.message ?? error}`);
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED/.test(String(error?.message))) {
    console.error('This machine cannot download VS Code desktop; `npm run test:vscode` runs the same suite in code-server.');
  }
}

let passed = 0;
let failed = exitCode === 0 ? 0 : 1;
if (existsSync(resultsFile)) ({ passed, failed } = JSON.parse(readFileSync(resultsFile, 'utf8')));
rmSync(scratch, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(exitCode === 0 && failed === 0 ? 0 : 1);
