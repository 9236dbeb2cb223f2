// Runs the suite in out/test/vscode/suite/ inside a real VS Code extension host: code-server,
// driven by headless Chromium. `npm run test:vscode` builds first; this script only runs.
// The last line it prints is "N passed, M failed".
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import {
  CHROMIUM, QUIET_SETTINGS, ensureCodeServer, repoRoot, startCodeServer, workbenchUrl,
} from '../../scripts/codeServer.mjs';
import { prepareSuiteWorkspace } from './suiteWorkspace.mjs';

const { chromium } = createRequire(import.meta.url)('playwright-core');

/** The whole run, from code-server's start to the suite's end; past it the run fails loudly. */
const RUN_TIMEOUT_MS = 10 * 60 * 1000;
// esbuild.mjs --tests writes to out/, or to $SIGHTLINE_TEST_OUT when parallel work keeps its own.
const suiteEntry = resolve(repoRoot, process.env.SIGHTLINE_TEST_OUT ?? 'out', 'test', 'vscode', 'suite', 'index.js');
const resultsDir = join(repoRoot, 'test-results');
const verbose = process.env.SIGHTLINE_VERBOSE === '1';

function finish(passed, failed, code) {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code);
}

for (const [file, build] of [[join(repoRoot, 'dist', 'extension.js'), 'node esbuild.mjs'], [suiteEntry, 'node esbuild.mjs --tests']]) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run \`${build}\` first (or \`npm run test:vscode\`, which builds).`);
    finish(0, 1, 1);
  }
}

try {
  await ensureCodeServer();
} catch (error) {
  console.error(error.message);
  finish(0, 1, 1);
}
const started = Date.now();
const scratch = mkdtempSync(join(tmpdir(), 'sightline-vscode-'));
const workspace = join(scratch, 'workspace');
try {
  prepareSuiteWorkspace(workspace);
} catch (error) {
  console.error(error.message);
  rmSync(scratch, { recursive: true, force: true });
  finish(0, 1, 1);
}
const resultsFile = join(scratch, 'results.json');

let server;
let browser;
let page;
async function cleanUp() {
  await browser?.close().catch(() => {});
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
}

const overall = setTimeout(async () => {
  console.error(`\nFAILED: the VS Code suite did not finish within ${RUN_TIMEOUT_MS / 1000} s.`);
  mkdirSync(resultsDir, { recursive: true });
  await page?.screenshot({ path: join(resultsDir, 'vscode-suite-timeout.png') }).catch(() => {});
  if (server) console.error(`code-server's last output:\n${server.output().slice(-4000)}`);
  await cleanUp();
  finish(0, 1, 1);
}, RUN_TIMEOUT_MS);

try {
  server = await startCodeServer({
    workspace,
    userDataDir: join(scratch, 'user-data'),
    extensionsDir: join(scratch, 'extensions'),
    settings: QUIET_SETTINGS,
    // The extension host inherits code-server's environment: the suite writes its counts here.
    env: { SIGHTLINE_SUITE_RESULTS: resultsFile },
    onOutput: verbose ? (text) => process.stdout.write(`[code-server] ${text}`) : undefined,
  });
  console.log(`code-server ${server.url} ready after ${((Date.now() - started) / 1000).toFixed(1)} s; running the suite in its extension host`);

  browser = await chromium.launch({ ...CHROMIUM, headless: true });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let settle;
  const exitCode = new Promise((resolve) => { settle = resolve; });
  await page.exposeFunction('codeAutomationExit', (code) => settle(code));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    // `args` are the console call's arguments, a format string first (mocha's reporter uses them).
    const text = format(...(Array.isArray(args) ? args : [args]));
    // The gallery is unreachable offline by design (see the notes on code-server); say nothing of it.
    if (/open-vsx\.org/.test(text)) return;
    if (type === 'error' || type === 'warn') console.error(`[${type}] ${text}`);
    else if (verbose || type !== 'trace') console.log(text);
  });
  await page.goto(workbenchUrl(server.url, {
    folder: workspace,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: suiteEntry,
  }));
  const code = await exitCode;
  clearTimeout(overall);
  let passed = 0;
  let failed = code === 0 ? 0 : 1;
  if (existsSync(resultsFile)) ({ passed, failed } = JSON.parse(readFileSync(resultsFile, 'utf8')));
  else console.error('The suite reported no counts: it failed before mocha ran (see the errors above).');
  await cleanUp();
  console.log(`VS Code suite finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  finish(passed, failed, code === 0 && failed === 0 ? 0 : 1);
} catch (error) {
  clearTimeout(overall);
  console.error(error);
  await cleanUp();
  finish(0, 1, 1);
}
