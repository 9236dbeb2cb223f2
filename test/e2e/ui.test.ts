// A person's first minutes with Sightline, through the UI of a real VS Code (code-server) in
// Chromium: open the demo's app.py, see the hard-coded key in the Problems panel, open the trace
// panel from the command palette, import the demo's CloudTrail logs and see app.py's events in the
// Audit view, import the demo's traces and open one as a timeline. Screenshots land in test-results/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';

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
const WEBVIEW_MS = 90_000; // a webview is built in the browser: seconds when idle, far longer on a busy machine
const IMPORT_MS = 60_000; // the import itself, then the notification that sums it up

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
  // The demo's sources from git; its CloudTrail logs and traces generated afresh (git-ignored, dated from now).
  const demo = join(repoRoot, 'examples', 'demo');
  cpSync(demo, workspace, { recursive: true, filter: (path) => !['traces', 'cloudtrail', '.sightline'].includes(relative(demo, path)) });
  const generated = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'demoData.mjs'), workspace], { encoding: 'utf8' });
  if (generated.status !== 0) throw new Error(`scripts/demoData.mjs failed:\n${generated.stderr}`);
  mkdirSync(resultsDir, { recursive: true });
  // Loaded at run time: the bundler must not inline a module that locates the repository from its own path.
  const { CHROMIUM, QUIET_SETTINGS, startCodeServer, workbenchUrl }: CodeServerModule =
    await import(pathToFileURL(join(repoRoot, 'scripts', 'codeServer.mjs')).href);
  codeServer = await startCodeServer({
    workspace,
    userDataDir: join(scratch, 'user-data'),
    extensionsDir: join(scratch, 'extensions'),
    // The OTLP receiver listens on 4318: no "port available" notification over the screenshots.
    settings: { ...QUIET_SETTINGS, 'remote.autoForwardPorts': false },
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

/**
 * Runs a Sightline import command from the command palette and picks `file` (relative to the
 * workspace) in the open dialog that follows, then answers the notification that sums the import
 * up (`summary`) with its `button`. code-server's open dialog is a quick input that takes a path
 * and lists the folder it names; its Import button accepts the path typed.
 */
async function importFromPalette(command: string, file: string, summary: RegExp, button: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: UI_MS });
  await page.keyboard.type(command);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().waitFor({ timeout: UI_MS });
  await page.keyboard.press('Enter');
  // The palette closes and the same widget opens again as the dialog, titled by the command.
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Import' }).waitFor({ timeout: UI_MS });
  // The dialog puts the folder it starts in into the box a moment after it opens; typing before that would be overwritten.
  await page.waitForFunction(() => document.querySelector<HTMLInputElement>('.quick-input-widget input')?.value.startsWith('/'), undefined, { timeout: UI_MS });
  await input.fill(join(workspace, file));
  // Enter would take the list's active row (the parent folder); the file listed means the dialog caught up.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: basename(file) }).waitFor({ timeout: UI_MS });
  await page.locator('.quick-input-widget').getByRole('button', { name: 'Import' }).click();
  await input.waitFor({ state: 'hidden', timeout: UI_MS });
  const toast = page.locator('.notification-toast', { hasText: summary });
  await toast.waitFor({ timeout: IMPORT_MS });
  await toast.getByRole('button', { name: button }).click();
}

/** The content document of the visible Sightline webview: a view in the panel area, or an editor panel. */
function webviewContent(kind: 'view' | 'panel'): FrameLocator {
  const purpose = '[src*="purpose=webviewView"]';
  // A webview is two iframes deep: VS Code's host frame, then the extension's content frame.
  return page.locator(`iframe.webview.ready[src*="extensionId=sightline.sightline"]${kind === 'view' ? purpose : `:not(${purpose})`}`)
    .filter({ visible: true }).contentFrame().locator('#active-frame').contentFrame();
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

test('imported CloudTrail logs show app.py\'s events in the Audit view', { timeout: IMPORT_MS + WEBVIEW_MS + 4 * UI_MS }, () => step('audit-view', async () => {
  // From the explorer: quick open would type into the trace panel's webview, which has the focus.
  await page.getByRole('treeitem', { name: 'app.py', exact: true }).click();
  await page.locator('.tabs-container .tab.active', { hasText: 'app.py' }).waitFor({ timeout: UI_MS });
  await importFromPalette('Sightline: Import CloudTrail Logs', join('cloudtrail', '123456789012_CloudTrail_eu-west-1_demo.json.gz'),
    /Imported 20 new events from 1 file/, 'Show Audit View');

  const view = webviewContent('view');
  await view.locator('.scope-file', { hasText: 'app.py' }).waitFor({ timeout: WEBVIEW_MS });
  const archive = view.locator('.group[data-group="demo-orders-archive"]');
  await archive.locator('.ev-event').first().waitFor({ timeout: WEBVIEW_MS });
  assert.equal(await archive.locator('.ev-event .ev-name').first().textContent(), 'DeleteBucket', 'the newest event on the bucket first');
  const names = new Set(await archive.locator('.ev-event .ev-name').allTextContents());
  for (const name of ['DeleteBucket', 'PutBucketPublicAccessBlock', 'PutObject']) assert.ok(names.has(name), `${name} among ${[...names].join(', ')}`);
  const titles = await view.locator('.group-title').allTextContents();
  for (const title of ['orders', 'PutObject (s3.amazonaws.com)', 'PutItem (dynamodb.amazonaws.com)']) assert.ok(titles.includes(title), `${title} among ${titles.join(', ')}`);
  await page.mouse.move(0, 0); // no hover highlight in the picture
  await page.screenshot({ path: join(resultsDir, 'audit-view-code-server.png') });
}));

test('imported traces open as a timeline in the trace panel', { timeout: IMPORT_MS + WEBVIEW_MS + 4 * UI_MS }, () => step('timeline', async () => {
  await importFromPalette('Sightline: Import Traces', join('traces', 'orders-otlp.json'), /Imported 180 new spans from 1 file/, 'Show Traces');
  await page.locator('.tabs-container .tab.active', { hasText: 'Sightline Traces' }).waitFor({ timeout: UI_MS });

  const panel = webviewContent('panel');
  await panel.locator('.trace-row').first().waitFor({ timeout: WEBVIEW_MS });
  await panel.locator('.list-count', { hasText: /^60 traces/ }).waitFor({ timeout: WEBVIEW_MS });
  await panel.locator('.trace-row[data-index="0"]').click();
  await panel.locator('.tl-row').first().waitFor({ timeout: WEBVIEW_MS });
  assert.deepEqual(await panel.locator('.tl-row .span-name').allTextContents(), ['handler', 'DynamoDB.PutItem', 'S3.PutObject']);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(resultsDir, 'timeline-code-server.png') });
}));
