// A person's first minutes with Sightline, through the UI of a real VS Code (code-server) in
// Chromium: open the demo's app.py, see the hard-coded key in the Problems panel, open the trace
// panel from the command palette. Screenshots land in test-results/.
import { after, before, test } from 'node:test';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The part of scripts/codeServer.mjs this test uses. */
interface CodeServerModule {
  CHROMIUM: { executablePath: string; args: string[] };
  QUIET_SETTINGS: Record<string, unknown>;
  startCodeServer(options: {
    workspace: string;
    userDataDir: string;
    extensionsDir: string;
    settings?: Record<string, unknown>;
  }): Promise<{ url: string; stop(): Promise<void>; output(): string }>;
  workbenchUrl(serverUrl: string, options: { folder: string; extensionDevelopmentPath?: string }): string;
}

const INSTALL_MS = 10 * 60 * 1000; // code-server's one-time install, when it is not there yet
const UI_MS = 30_000; // the workbench and its widgets
const FINDING_MS = 90_000; // includes the language server's start
const WEBVIEW_MS = 30_000;

/** Found from here rather than fixed, so this works from test/e2e/ and from its bundle in out/test/e2e/. */
function findRepoRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'esbuild.mjs')) && existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`no repository root above ${from}`);
}

const repoRoot = findRepoRoot(__dirname);
const resultsDir = join(repoRoot, 'test-results');
const scratch = mkdtempSync(join(tmpdir(), 'sightline-e2e-'));
// The tests may edit files; a copy keeps examples/demo as it is in git.
const workspace = join(scratch, 'demo');
const modifier = process.platform === 'darwin' ? 'Meta' : 'Control';

let codeServer: Awaited<ReturnType<CodeServerModule['startCodeServer']>> | undefined;
let browser: Browser | undefined;
let page: Page;

before(async () => {
  if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  cpSync(join(repoRoot, 'examples', 'demo'), workspace, { recursive: true });
  mkdirSync(resultsDir, { recursive: true });
  // Loaded at run time: the bundler must not inline a module that locates the repository from its own path.
  const { CHROMIUM, QUIET_SETTINGS, startCodeServer, workbenchUrl }: CodeServerModule =
    await import(pathToFileURL(join(repoRoot, 'scripts', 'codeServer.mjs')).href);
  codeServer = await startCodeServer({
    workspace,
    userDataDir: join(scratch, 'user-data'),
    extensionsDir: join(scratch, 'extensions'),
    settings: QUIET_SETTINGS,
  });
  browser = await chromium.launch({ ...CHROMIUM, headless: true });
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(workbenchUrl(codeServer.url, { folder: workspace, extensionDevelopmentPath: repoRoot }));
  await page.locator('.monaco-workbench').waitFor({ timeout: UI_MS });
  await page.getByRole('treeitem', { name: 'app.py' }).waitFor({ timeout: UI_MS });
}, { timeout: INSTALL_MS });

after(async () => {
  await browser?.close();
  await codeServer?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** On failure, a picture of the screen and VS Code's logs say more than a selector's timeout. */
async function step(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    await page?.screenshot({ path: join(resultsDir, `failed-${name}.png`) }).catch(() => {});
    const logs = join(scratch, 'user-data', 'logs');
    if (existsSync(logs)) cpSync(logs, join(resultsDir, `failed-${name}-logs`), { recursive: true });
    throw error;
  }
}

/** Runs a command palette / quick open entry: type `text`, wait for the row, accept it. */
async function pick(opener: string, text: string, row: string): Promise<void> {
  await page.keyboard.press(opener);
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: UI_MS });
  await page.keyboard.type(text);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: row }).first().waitFor({ timeout: UI_MS });
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: UI_MS });
}

test('the hard-coded key in app.py shows in the Problems panel', { timeout: FINDING_MS + 2 * UI_MS }, () => step('problems', async () => {
  await pick(`${modifier}+P`, 'app.py', 'app.py');
  await page.locator('.tabs-container .tab.active', { hasText: 'app.py' }).waitFor({ timeout: UI_MS });
  await page.locator('.editor-instance .view-lines', { hasText: 'AWS_ACCESS_KEY_ID' }).waitFor({ timeout: UI_MS });

  await page.keyboard.press(`${modifier}+Shift+M`);
  const problems = page.locator('.markers-panel');
  await problems.waitFor({ timeout: UI_MS });
  await problems.locator('.monaco-list-row', { hasText: 'hardcoded-credentials' }).first().waitFor({ timeout: FINDING_MS });
  await page.screenshot({ path: join(resultsDir, 'problems.png') });
}));

test('"Sightline: Show Traces" opens the trace panel', { timeout: WEBVIEW_MS + 2 * UI_MS }, () => step('traces-panel', async () => {
  await pick('F1', 'Sightline: Show Traces', 'Sightline: Show Traces');
  await page.locator('.tabs-container .tab.active', { hasText: 'Sightline Traces' }).waitFor({ timeout: UI_MS });
  // A webview is two iframes deep: VS Code's host frame, then the extension's content frame.
  const content = page.locator('iframe.webview.ready[src*="extensionId=sightline.sightline"]').last()
    .contentFrame().locator('#active-frame').contentFrame();
  await content.getByText('Traces').first().waitFor({ timeout: WEBVIEW_MS });
  await page.screenshot({ path: join(resultsDir, 'traces-panel.png') });
}));
