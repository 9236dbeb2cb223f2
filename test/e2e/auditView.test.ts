// The Audit view's front end in headless Chromium: the built bundle (dist/webviews/audit.js) in a
// page made like the webview recipe's (same CSP), with a fake extension answering with generated
// CloudTrail events (test/support/auditPage.ts). Groups newest first, the filter and its toggles,
// hostile strings rendered as text, opening records and code lines, empty states, lookup results,
// and a page restored from its state; then the Insights & detections tab, with findings the server's
// own analysis made of generated logs (test/support/auditFindingsData.ts). Screenshots land in
// test-results/.
// Run: node --test out/test/e2e/auditView.test.js
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { AuditFindings, AuditForDocument } from '../../server/protocol';
import { generateAuditFindings, type FindingsFixture } from '../support/auditFindingsData';
import { chromiumOptions, documentName, documentUri, FakeAuditExtension, generateAuditDocument, hostile, repoRoot, startPageServer, type AuditOpenOptions, type PageServer } from '../support/auditPage';

const resultsDir = join(repoRoot, 'test-results');
const nowMs = Date.now();
const fixture = generateAuditDocument(nowMs);
const STEP_MS = 20_000;

let server: PageServer;
let browser: Browser;
let found: FindingsFixture;

before(async () => {
  if (!existsSync(join(repoRoot, 'dist', 'webviews', 'audit.js'))) throw new Error('dist/webviews/audit.js is missing: run `node esbuild.mjs` first');
  mkdirSync(resultsDir, { recursive: true });
  found = await generateAuditFindings(nowMs);
  server = await startPageServer();
  browser = await chromium.launch({ ...(await chromiumOptions()), headless: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the view, runs `body`, and checks the page logged no error, no CSP violation and opened no dialog. */
async function withView(name: string, body: (host: FakeAuditExtension, page: Page) => Promise<void>, options: AuditOpenOptions = {}): Promise<void> {
  const host = await FakeAuditExtension.open(browser, server, fixture, options);
  try {
    await body(host, host.page);
    assert.deepEqual(host.problems, [], 'the page logged no errors and no CSP violations');
    assert.equal(host.dialogs, 0, 'no dialog opened');
  } catch (error) {
    await host.page.screenshot({ path: join(resultsDir, `failed-audit-${name}.png`) }).catch(() => {});
    throw error;
  } finally {
    await host.page.close();
  }
}

const groupTitles = (page: Page) => page.locator('.group-title').allTextContents();
const rowIds = (page: Page, scope = '') => page.locator(`${scope} .ev-event`).evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.eventId!));
const byId = new Map(fixture.document.groups.flatMap((g) => g.events).map((e) => [e.id, e]));

test('groups of the file\'s code references render newest first, each with its events newest first', { timeout: STEP_MS }, () => withView('groups', async (host, page) => {
  await page.locator('.ev-event').first().waitFor();
  const newest = (g: AuditForDocument['groups'][number]) => Math.max(...g.events.map((e) => e.time), Number.MIN_SAFE_INTEGER);
  const expected = [...fixture.document.groups].sort((a, b) => newest(b) - newest(a)).map((g) => g.title);
  assert.deepEqual(await groupTitles(page), expected);
  assert.equal(expected.at(-1), 'arn:aws:sqs:eu-west-1:111122223333:orders-dlq', 'the group without events comes last');
  assert.match(await page.locator('.group').last().textContent() ?? '', /no events recorded/);

  for (const group of await page.locator('.group').all()) {
    const times = (await group.locator('.ev-event').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.eventId!))).map((id) => byId.get(id)!.time);
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'events newest first');
    assert.ok(times.length <= 20, 'a group shows 20 rows until asked for more');
  }

  // The scope line names the file and counts what the file references.
  assert.equal(await page.locator('.scope-file').textContent(), documentName);
  const total = fixture.document.groups.reduce((n, g) => n + g.events.length, 0);
  assert.equal(await page.locator('.scope-summary').textContent(), `6 references · ${total} events`);

  // The orders-archive group: its lines, failure summary and the row anatomy.
  const archive = page.locator('.group[data-group="orders-archive"]');
  assert.deepEqual(await archive.locator('.line-link').allTextContents(), ['12', '30', '45']);
  assert.match(await archive.locator('.kind').textContent() ?? '', /resource/);
  const deletes = page.locator('.group[data-group="s3:DeleteObject"]');
  assert.match(await deletes.locator('.group-failures').textContent() ?? '', /^\d+ failed in 24 h · AccessDenied ×\d+/);
  const failedRow = deletes.locator('.ev-event.failed').first();
  assert.equal(await failedRow.locator('.err-code').textContent(), 'AccessDenied');
  assert.match(await failedRow.locator('.err-msg').textContent() ?? '', /not authorized to perform: s3:DeleteObject/);
  assert.match(await failedRow.locator('.who-name').textContent() ?? '', /build-4711|ci-runner/);
  assert.equal(await failedRow.locator('.badge-write').textContent(), 'write');
  assert.equal(await failedRow.locator('.badge-data').textContent(), 'data');
  assert.equal(await failedRow.locator('.ip').textContent(), '192.0.2.44');
  assert.match(await failedRow.locator('.ev-time').textContent() ?? '', /^\d+ (min|h) ago$/);
  assert.match(await failedRow.locator('.c-time').getAttribute('title') ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d local · \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.match(await failedRow.locator('.c-where').getAttribute('title') ?? '', /User agent: Boto3\/1\.34\.69 .*Botocore\/1\.34\.69$/);

  // Folding a group hides its rows and is kept in the webview state.
  await deletes.locator('.caret').click();
  assert.equal(await deletes.locator('.ev-event').count(), 0);
  assert.equal(await page.locator('.group[data-group="s3:DeleteObject"] .caret').getAttribute('aria-expanded'), 'false');
  assert.deepEqual((await host.savedState() as { collapsed: string[] }).collapsed, ['call s3:DeleteObject']);
  await page.locator('.group[data-group="s3:DeleteObject"] .group-head').click();
  assert.ok(await page.locator('.group[data-group="s3:DeleteObject"] .ev-event').count() > 0);

  // "Show N more" shows the rest of a long group.
  const putObject = page.locator('.group[data-group="s3:PutObject"]');
  const all = fixture.document.groups.find((g) => g.title === 's3:PutObject')!.events.length;
  await putObject.getByRole('button', { name: `Show ${all - 20} more` }).click();
  assert.equal(await putObject.locator('.ev-event').count(), all);

  await page.mouse.move(0, 0);
  await page.locator('.content').evaluate((c) => (c.scrollTop = 0));
  await page.screenshot({ path: join(resultsDir, 'audit-view.png') });
}));

test('the filter box matches every word in the shown fields; the toggles keep errors or writes', { timeout: STEP_MS }, () => withView('filter', async (host, page) => {
  await page.locator('.ev-event').first().waitFor();
  const total = fixture.document.groups.reduce((n, g) => n + g.events.length, 0);
  const filter = page.getByLabel('Filter events');

  await filter.fill('alice eu-west-1');
  await page.locator('.count', { hasText: ' of ' }).waitFor();
  let ids = await rowIds(page);
  assert.ok(ids.length > 0);
  for (const id of ids) assert.match(byId.get(id)!.who, /alice/, 'every row is alice\'s');
  assert.match(await page.locator('.count').textContent() ?? '', new RegExp(`^\\d+ of ${total} events$`));

  // A group title matches too: "FeatureFlags" keeps all that group's events, and the PutItem calls on the table.
  await filter.fill('featureflags');
  await page.waitForFunction(() => !document.querySelector('.group[data-group="s3:PutObject"]'));
  // Every PutItem shown is on the table, so that group's newest event is never newer than FeatureFlags'.
  assert.deepEqual(await groupTitles(page), ['FeatureFlags', 'dynamodb:PutItem']);
  assert.equal(await page.locator('.group[data-group="FeatureFlags"] .group-count').textContent(), `${fixture.document.groups.find((g) => g.title === 'FeatureFlags')!.events.length} events`);
  for (const id of await rowIds(page, '.group[data-group="dynamodb:PutItem"]')) {
    assert.ok(byId.get(id)!.resources.some((r) => r.name === 'FeatureFlags'), 'a PutItem row on the FeatureFlags table');
  }

  await filter.fill('');
  await page.getByRole('button', { name: 'Errors only' }).click();
  assert.equal(await page.getByRole('button', { name: 'Errors only' }).getAttribute('aria-pressed'), 'true');
  ids = await rowIds(page);
  assert.ok(ids.length > 0);
  for (const id of ids) assert.ok(byId.get(id)!.errorCode, 'every row failed');
  assert.equal(await page.locator('.ev-event:not(.failed)').count(), 0);

  await page.getByRole('button', { name: 'Errors only' }).click();
  await page.getByRole('button', { name: 'Writes only' }).click();
  ids = await rowIds(page);
  for (const id of ids) assert.equal(byId.get(id)!.readOnly, false, 'every row is a write');
  assert.equal(await page.locator('.ev-event .badge-read').count(), 0);

  // Nothing matches: the view says so and clears the filter on request; Escape clears it too.
  await filter.fill('no-such-thing-anywhere');
  await page.getByText('No events match the filter.').waitFor();
  await page.getByRole('button', { name: 'Clear the filter' }).click();
  assert.equal(await filter.inputValue(), '');
  assert.equal(await page.getByRole('button', { name: 'Writes only' }).getAttribute('aria-pressed'), 'false');
  assert.equal(await page.locator('.group').count(), fixture.document.groups.length);
  await filter.fill('AccessDenied');
  await page.locator('.count', { hasText: ' of ' }).waitFor();
  await filter.press('Escape');
  await page.waitForFunction(() => document.querySelector('.count')?.textContent === '');
  assert.deepEqual(await host.savedState(), { mode: 'document', collapsed: [], filter: { text: '', errorsOnly: false, writesOnly: false }, });
}));

test('hostile strings in an event render as text: nothing injected, nothing run, invisible characters shown', { timeout: STEP_MS }, () => withView('hostile', async (host, page) => {
  await page.locator('.ev-event').first().waitFor();
  const row = page.locator(`.ev-event[data-event-id="${fixture.hostileEvent.id}"]`);
  await row.waitFor();
  assert.equal(await row.locator('.agent').textContent(), hostile.html);
  assert.equal(await row.locator('.res-name').textContent(), 'orders-archive');
  assert.match(await row.locator('.c-resource').getAttribute('title') ?? '', /AWS::S3::Object <img src=x onerror=alert\(1\)>\.txt arn:aws:s3:::orders-archive\/<img/, 'the object key from requestParameters');
  assert.equal(await row.locator('.ip').textContent(), hostile.javascriptUrl);
  assert.equal(await row.locator('.err-code').textContent(), hostile.script);
  assert.match(await row.locator('.err-msg').textContent() ?? '', /^javascript:alert\(document\.domain\) <img src=x onerror=alert\(1\)> \[click\]\(command:/);
  // The right-to-left override is shown as what it is, and cannot reorder the text around it.
  assert.equal(await row.locator('.who-name').textContent(), 'malloryU+202Egpj.exe');
  assert.equal(await row.locator('.who-name .hidden-char').count(), 1);
  assert.match(await row.locator('.c-who').getAttribute('title') ?? '', /^mallory\[U\+202E\]gpj\.exe/);
  assert.doesNotMatch(await page.locator('body').innerText(), /\u202E/, 'no raw override character on screen');

  assert.deepEqual(await injectedMarkup(page), { images: 0, scripts: 0, links: 0, handlers: 0, styles: 0 });

  // Filtering on the hostile text finds it as text.
  await page.getByLabel('Filter events').fill('onerror=alert(1)');
  await page.locator('.count', { hasText: '1 of' }).waitFor();
  assert.deepEqual(await rowIds(page), [fixture.hostileEvent.id]);
  await row.hover();
  const since = host.received.length;
  await row.click();
  const opened = await host.waitFor((m) => m.type === 'openRecord', since);
  assert.deepEqual(opened, { type: 'openRecord', eventId: fixture.hostileEvent.id });
  await page.screenshot({ path: join(resultsDir, 'audit-view-hostile.png') });
}));

test('clicking or pressing Enter on an event asks for its record; a group\'s line numbers reveal the code', { timeout: STEP_MS }, () => withView('open', async (host, page) => {
  await page.locator('.ev-event').first().waitFor();
  const first = page.locator('.ev-event').first();
  const id = await first.getAttribute('data-event-id');
  let since = host.received.length;
  await first.click();
  assert.deepEqual(await host.waitFor((m) => m.type === 'openRecord', since), { type: 'openRecord', eventId: id });

  // The keyboard: one row in the tab order, arrows move, Enter opens.
  since = host.received.length;
  await first.focus();
  await page.keyboard.press('ArrowDown');
  const second = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.eventId);
  assert.notEqual(second, id);
  assert.equal(await page.locator('.ev-event[tabindex="0"]').count(), 1);
  await page.keyboard.press('Enter');
  assert.deepEqual(await host.waitFor((m) => m.type === 'openRecord', since), { type: 'openRecord', eventId: second });

  since = host.received.length;
  await page.locator('.group[data-group="FeatureFlags"] .line-link', { hasText: '75' }).click();
  assert.deepEqual(await host.waitFor((m) => m.type === 'revealLine', since), { type: 'revealLine', uri: documentUri, line: 74 });

  since = host.received.length;
  await page.getByRole('button', { name: 'Refresh' }).click();
  await host.waitFor((m) => m.type === 'refresh', since);
}));

test('a refresh of the same file keeps the rows on screen; another file replaces them', { timeout: STEP_MS }, () => withView('refresh', async (host, page) => {
  await page.locator('.ev-event').first().waitFor();
  const before = await page.locator('.ev-event').count();
  await host.send({ type: 'document', document: { kind: 'loading', uri: documentUri, fileName: documentName } });
  assert.equal(await page.locator('.progress.active').count(), 1);
  assert.equal(await page.locator('.ev-event').count(), before, 'the rows stay while the refresh is on its way');
  await host.send({ type: 'document', document: { kind: 'ready', uri: documentUri, fileName: documentName, audit: fixture.document } });
  assert.equal(await page.locator('.progress.active').count(), 0);

  await host.send({ type: 'document', document: { kind: 'loading', uri: 'file:///workspace/other.py', fileName: 'other.py' } });
  await page.getByText('Loading the events of other.py…').waitFor();
  assert.equal(await page.locator('.ev-event').count(), 0);
  await host.send({ type: 'document', document: { kind: 'failed', uri: 'file:///workspace/other.py', fileName: 'other.py', message: 'The audit store is not open.' } });
  await page.getByRole('alert').filter({ hasText: 'could not get the events of other.py: The audit store is not open.' }).waitFor();
  const since = host.received.length;
  await page.getByRole('button', { name: 'Try again' }).click();
  await host.waitFor((m) => m.type === 'refresh', since);
}));

test('empty states say why and how: no editor, nothing imported, nothing AWS in the file', { timeout: 2 * STEP_MS }, async () => {
  await withView('no-editor', async (host, page) => {
    await page.getByRole('heading', { name: 'No file open' }).waitFor();
    const since = host.received.length;
    await page.getByRole('button', { name: 'Look Up Audit Events…' }).click();
    assert.deepEqual(await host.waitFor((m) => m.type === 'runCommand', since), { type: 'runCommand', command: 'sightline.lookupAudit' });
  }, { document: { kind: 'noEditor' } });

  const nothingStored: AuditForDocument = { uri: documentUri, storedEvents: 0, groups: fixture.document.groups.map((g) => ({ ...g, events: [], failures: 0, failureCodes: [] })) };
  await withView('nothing-imported', async (host, page) => {
    await page.getByRole('heading', { name: 'No CloudTrail events yet' }).waitFor();
    // Only the commands that are registered get a button.
    assert.equal(await page.getByRole('button', { name: 'Connect to CloudTrail…' }).count(), 0);
    await host.send({ type: 'sources', available: ['sightline.importAudit', 'sightline.connectCloudTrail'] });
    await page.getByRole('button', { name: 'Connect to CloudTrail…' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Query Athena…' }).count(), 0);
    const since = host.received.length;
    await page.getByRole('button', { name: 'Import CloudTrail Logs…' }).click();
    assert.deepEqual(await host.waitFor((m) => m.type === 'runCommand', since), { type: 'runCommand', command: 'sightline.importAudit' });
    // The file's references are still listed, without events, so the lines are a click away.
    assert.equal(await page.locator('.group').count(), fixture.document.groups.length);
    assert.equal(await page.locator('.ev-event').count(), 0);
    assert.equal(await page.locator('.ev-head').count(), 0, 'no event columns without events');
    assert.equal(await page.getByLabel('Filter events').isVisible(), false, 'nothing to filter');
    await page.screenshot({ path: join(resultsDir, 'audit-view-empty.png') });
  }, { document: { kind: 'ready', uri: documentUri, fileName: documentName, audit: nothingStored } });

  await withView('nothing-referenced', async (_host, page) => {
    await page.getByRole('heading', { name: 'No AWS resources or API calls in README.md' }).waitFor();
    assert.match(await page.locator('.empty').textContent() ?? '', /2,501 events are stored/);
  }, { document: { kind: 'ready', uri: 'file:///workspace/README.md', fileName: 'README.md', audit: { uri: 'file:///workspace/README.md', storedEvents: 2501, groups: [] } } });
});

test('lookup results replace the file\'s events until Back, and come back from the scope line', { timeout: STEP_MS }, () => withView('lookup', async (host, page) => {
  await page.locator('.ev-event').first().waitFor();
  const events = [...byId.values()].filter((e) => e.eventName === 'DeleteObject').sort((a, b) => b.time - a.time);
  await host.send({ type: 'lookup', results: { id: 1, title: 'EventName DeleteObject · last 7 days', events, limit: 500 }, show: true });
  await page.locator('.scope-title', { hasText: 'EventName DeleteObject · last 7 days' }).waitFor();
  assert.equal(await page.locator('.group-head').count(), 0, 'results are one flat list');
  assert.deepEqual(await rowIds(page), events.map((e) => e.id));
  assert.equal(await page.locator('.count').textContent(), `${events.length} events`);
  assert.equal(await page.getByRole('button', { name: 'Refresh' }).isVisible(), false);

  // The filter works on results too, and clicking one opens its record.
  await page.getByRole('button', { name: 'Errors only' }).click();
  assert.ok((await rowIds(page)).every((id) => byId.get(id)!.errorCode));
  const since = host.received.length;
  await page.locator('.ev-event').first().click();
  assert.equal((await host.waitFor((m) => m.type === 'openRecord', since)).type, 'openRecord');
  await page.getByRole('button', { name: 'Errors only' }).click();
  await page.screenshot({ path: join(resultsDir, 'audit-view-lookup.png') });

  await page.locator('.back').click();
  await page.locator('.scope-file', { hasText: documentName }).waitFor();
  assert.equal(await page.locator('.group').count(), fixture.document.groups.length);
  await page.getByRole('button', { name: `Last lookup (${events.length})` }).click();
  await page.locator('.scope-title').waitFor();
  assert.equal((await host.savedState() as { mode: string }).mode, 'lookup');
}));

test('a page shown again comes back with its filter, folded groups and lookup', { timeout: STEP_MS }, () => withView('restore', async (host, page) => {
  await page.locator('.ev-event').first().waitFor();
  assert.equal(await page.getByLabel('Filter events').inputValue(), 'alice');
  assert.equal(await page.getByRole('button', { name: 'Writes only' }).getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('.group[data-group="s3:PutObject"] .caret').getAttribute('aria-expanded'), 'false');
  for (const id of await rowIds(page)) assert.equal(byId.get(id)!.readOnly, false);
  // The extension resends the lookup the page showed (show: false): the page returns to it.
  await host.send({ type: 'lookup', results: { id: 3, title: 'Username alice', events: fixture.document.groups[1].events }, show: false });
  await page.locator('.scope-title', { hasText: 'Username alice' }).waitFor();
}, { state: { mode: 'lookup', lookupId: 3, collapsed: ['call s3:PutObject'], filter: { text: 'alice', errorsOnly: false, writesOnly: true } } }));

test('light theme and a narrow view stay readable', { timeout: 2 * STEP_MS }, async () => {
  await withView('light', async (_host, page) => {
    await page.locator('.ev-event').first().waitFor();
    const colours = await page.evaluate(() => ({
      body: getComputedStyle(document.body).backgroundColor,
      text: getComputedStyle(document.querySelector('.ev-name')!).color,
      error: getComputedStyle(document.querySelector('.err-code')!).color,
    }));
    assert.deepEqual(colours, { body: 'rgb(248, 248, 248)', text: 'rgb(59, 59, 59)', error: 'rgb(248, 81, 73)' });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(resultsDir, 'audit-view-light.png') });
  }, { theme: 'light' });

  await withView('narrow', async (_host, page) => {
    await page.locator('.ev-event').first().waitFor();
    assert.equal(await page.locator('.ev-head').first().isVisible(), false, 'no column headers when each event takes two lines');
    const row = await page.locator('.ev-event').first().boundingBox();
    assert.ok(row && row.height > 30 && row.height < 70, `an event takes two lines (${row?.height} px)`);
    const overflow = await page.evaluate(() => document.querySelector('.content')!.scrollWidth - document.querySelector('.content')!.clientWidth);
    assert.equal(overflow, 0, 'no horizontal scrolling');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(resultsDir, 'audit-view-narrow.png') });
  }, { width: 520, height: 640 });
});

// ---- Insights & detections ----

/** Switches to the Insights & detections tab, answers its request with `findings`, and waits for them to render. */
async function showFindings(host: FakeAuditExtension, page: Page, findings: AuditFindings = found.findings): Promise<void> {
  const since = host.received.length;
  await page.getByRole('tab', { name: /Insights & detections/ }).click();
  await host.waitFor((m) => m.type === 'loadFindings', since);
  await host.send({ type: 'findings', findings: { kind: 'ready', findings } });
}

const detection = (page: Page, id: string) => page.locator(`.finding.detection[data-detection="${id}"]`);
const burstInsight = (page: Page) => page.locator('.finding.insight.error-rate', { hasText: 'SendCommand' });

test('the Insights & detections tab: detections most severe first with their newest events, insights with who and what; samples open records', { timeout: 2 * STEP_MS }, () => withView('findings', async (host, page) => {
  await page.locator('.ev-event').first().waitFor();
  const since = host.received.length;
  await page.getByRole('tab', { name: /Insights & detections/ }).click();
  await host.waitFor((m) => m.type === 'loadFindings', since);
  assert.equal(await page.getByRole('tab', { name: /Insights & detections/ }).getAttribute('aria-selected'), 'true');
  assert.equal(await page.getByRole('tab', { name: 'This file' }).getAttribute('aria-selected'), 'false');
  // While the server analyses: a progress line and what is going on, no filter box.
  await host.send({ type: 'findings', findings: { kind: 'loading' } });
  await page.getByText('Analysing the stored CloudTrail events…').waitFor();
  assert.equal(await page.locator('.progress.active').count(), 1);
  assert.equal(await page.getByLabel('Filter events').isVisible(), false);

  const { findings } = found;
  await host.send({ type: 'findings', findings: { kind: 'ready', findings } });
  await page.locator('.finding').first().waitFor();
  assert.equal(await page.locator('.progress.active').count(), 0);
  assert.equal(await page.locator('.tab-count').textContent(), String(findings.detections.length + findings.insights.length));
  assert.equal(await page.locator('.count').textContent(), `${findings.detections.length} detections · ${findings.insights.length} insights`);
  assert.match(await page.locator('.scope-summary').textContent() ?? '', new RegExp(`^${findings.events.toLocaleString('en')} events in the 14 days `));

  // Detections: one block each, most severe first, counts and references as the server said.
  assert.deepEqual(await page.locator('.finding.detection').evaluateAll((blocks) => blocks.map((b) => (b as HTMLElement).dataset.detection)), findings.detections.map((d) => d.id));
  const severities = await page.locator('.finding.detection .sev').allTextContents();
  assert.deepEqual(severities, [...severities].sort((a, b) => ['high', 'medium', 'low'].indexOf(a) - ['high', 'medium', 'low'].indexOf(b)));
  const root = detection(page, 'cis-4.3-root-account-usage');
  const rootView = findings.detections.find((d) => d.id === 'cis-4.3-root-account-usage')!;
  assert.equal(await root.locator('.finding-title').textContent(), "Usage of the 'root' user");
  assert.equal(await root.locator('.finding-count').textContent(), `${rootView.count} ${rootView.count === 1 ? 'event' : 'events'}`);
  assert.equal(await root.locator('.finding-ref').textContent(), 'CIS AWS Foundations Benchmark v3.0.0, control 4.3');
  // Why it matters: folded until asked, and kept open across a refresh.
  assert.equal(await root.locator('.rationale p').isVisible(), false);
  await root.getByText('Why it matters').click();
  assert.match(await root.locator('.rationale p').textContent() ?? '', /unrestricted access/);
  await host.send({ type: 'findings', findings: { kind: 'ready', findings } });
  assert.equal(await detection(page, 'cis-4.3-root-account-usage').locator('.rationale').getAttribute('open'), '');

  // The newest sample is the planted sign-in; clicking it (or Enter) asks for its full record.
  const login = root.locator('.sample').first();
  assert.equal(await login.getAttribute('data-event-id'), found.rootLoginId);
  assert.equal(await login.locator('.sample-summary').textContent(), `ConsoleLogin by the root user from ${hostile.html}`);
  let mark = host.received.length;
  await login.click();
  assert.deepEqual(await host.waitFor((m) => m.type === 'openRecord', mark), { type: 'openRecord', eventId: found.rootLoginId });
  mark = host.received.length;
  const open = detection(page, 'ec2-security-group-open-to-world').locator(`.sample[data-event-id="${found.openGroupId}"]`);
  await open.focus();
  await page.keyboard.press('Enter');
  assert.deepEqual(await host.waitFor((m) => m.type === 'openRecord', mark), { type: 'openRecord', eventId: found.openGroupId });

  // The burst: an error-rate insight with its numbers and who, with what and failing how.
  const burst = burstInsight(page);
  assert.equal(await burst.locator('.insight-kind').textContent(), 'error rate');
  assert.equal(await burst.locator('.err-code').textContent(), 'AccessDenied');
  assert.equal(await burst.locator('.finding-scope').textContent(), '111122223333 · us-east-1');
  assert.match(await burst.locator('.finding-when').textContent() ?? '', / – \d\d:\d\d \(4 min\)/);
  assert.match(await burst.locator('.insight-rates').textContent() ?? '', /^Errors: baseline 0\.00\/min → 25\.0\/min \(from zero\) · unusual from 10\/min$/);
  assert.deepEqual(await burst.locator('.attribution:has-text("Error codes") li').allTextContents(), ['AccessDenied100%']);
  assert.deepEqual(await burst.locator('.attribution:has-text("User agents") .attribution-value').allTextContents(), [hostile.html]);
  const burstView = findings.insights.find((i) => i.type === 'ApiErrorRateInsight' && i.eventName === 'SendCommand')!;
  assert.equal(burstView.start, found.burstStart);
  mark = host.received.length;
  await burst.getByRole('button', { name: 'Show events' }).click();
  assert.deepEqual(await host.waitFor((m) => m.type === 'showInsightEvents', mark), { type: 'showInsightEvents', insightId: burstView.id });

  // CloudTrail's own Insights: marked as such, their Start and End records open like events.
  const delivered = findings.insights.find((i) => i.origin === 'cloudtrail')!;
  const block = page.locator(`.finding.insight[data-insight="${delivered.id}"]`);
  assert.equal(await block.locator('.badge-origin').textContent(), 'CloudTrail');
  mark = host.received.length;
  await block.getByRole('button', { name: 'Open End record' }).click();
  assert.deepEqual(await host.waitFor((m) => m.type === 'openRecord', mark), { type: 'openRecord', eventId: delivered.recordIds[1] });

  mark = host.received.length;
  await page.getByRole('button', { name: 'Refresh' }).click();
  await host.waitFor((m) => m.type === 'refreshFindings', mark);
  await page.mouse.move(0, 0);
  await page.locator('.content').evaluate((c) => (c.scrollTop = 0));
  await page.screenshot({ path: join(resultsDir, 'audit-view-findings.png') });
  await page.locator('.findings-section.insights').screenshot({ path: join(resultsDir, 'audit-view-insights.png') });

  // The insight's events arrive as a lookup; Back returns to the tab it came from.
  const events = [...byId.values()].slice(0, 3);
  await host.send({ type: 'lookup', results: { id: 9, title: 'Insight · ssm.amazonaws.com SendCommand AccessDenied calls', events, limit: 500 }, show: true });
  await page.locator('.scope-title', { hasText: 'SendCommand AccessDenied calls' }).waitFor();
  assert.equal(await page.locator('.ev-event').count(), 3);
  await page.getByRole('button', { name: '← Insights & detections' }).click();
  await page.locator('.finding').first().waitFor();
  assert.equal((await host.savedState() as { mode: string }).mode, 'findings');
  await page.getByRole('tab', { name: 'This file' }).click();
  await page.locator('.group').first().waitFor();
}));

test('hostile strings in findings render as text: nothing injected, invisible characters shown', { timeout: STEP_MS }, () => withView('findings-hostile', async (host, page) => {
  await showFindings(host, page);
  const sample = detection(page, 'ec2-security-group-open-to-world').locator(`.sample[data-event-id="${found.hostileOpenId}"] .sample-summary`);
  await sample.waitFor();
  assert.equal(await sample.textContent(), `AuthorizeSecurityGroupIngress by malloryU+202Egpj.exe opened ${hostile.script} to 0.0.0.0/0 on tcp/3389`);
  assert.equal(await sample.locator('.hidden-char').count(), 1);
  assert.match(await sample.getAttribute('title') ?? '', /^AuthorizeSecurityGroupIngress by mallory\[U\+202E\]gpj\.exe opened <script>/);
  assert.doesNotMatch(await page.locator('body').innerText(), /\u202E/, 'no raw override character on screen');
  assert.match(await burstInsight(page).locator('.attribution:has-text("User agents") li').getAttribute('title') ?? '', /^<img src=x onerror=alert\(1\)>/);
  assert.deepEqual(await injectedMarkup(page), { images: 0, scripts: 0, links: 0, handlers: 0, styles: 0 });
  await page.getByRole('tab', { name: /Insights & detections/ }).screenshot({ path: join(resultsDir, 'audit-view-findings-tab.png') });
}));

test('findings empty states say what to do: nothing stored, not enough history, nothing found, a failed analysis', { timeout: 2 * STEP_MS }, () => withView('findings-empty', async (host, page) => {
  const empty: AuditFindings = { storedEvents: 0, from: nowMs, to: nowMs, events: 0, detectionsChecked: 18, detections: [], insights: [] };
  await showFindings(host, page, empty);
  await page.getByRole('heading', { name: 'No CloudTrail events yet' }).waitFor();
  let mark = host.received.length;
  await page.getByRole('button', { name: 'Import CloudTrail Logs…' }).click();
  assert.deepEqual(await host.waitFor((m) => m.type === 'runCommand', mark), { type: 'runCommand', command: 'sightline.importAudit' });
  assert.equal(await page.locator('.tab-count').textContent(), '0');

  const from = nowMs - (nowMs % 86_400_000) - 13 * 86_400_000;
  const young: AuditFindings = { storedEvents: 40, from, to: nowMs, events: 40, historyFrom: nowMs - 3 * 3_600_000, detectionsChecked: 18, detections: [], insights: [] };
  await host.send({ type: 'findings', findings: { kind: 'ready', findings: young } });
  await page.getByText('No detection matched.').waitFor();
  await page.getByText(/^Not enough history yet: .* The stored events cover 3 h\.$/).waitFor();
  assert.equal(await page.locator('.section-count').allTextContents().then((c) => c.join(' ')), '0 0');

  await host.send({ type: 'findings', findings: { kind: 'ready', findings: { ...young, historyFrom: nowMs - 10 * 86_400_000 } } });
  await page.getByText(/^No unusual API call or error rates in the 14 days /).waitFor();

  await host.send({ type: 'findings', findings: { kind: 'failed', message: 'The audit store is not open; see the Sightline output for why.' } });
  await page.getByRole('alert').filter({ hasText: 'could not analyse the stored events: The audit store is not open' }).waitFor();
  mark = host.received.length;
  await page.getByRole('button', { name: 'Try again' }).click();
  await host.waitFor((m) => m.type === 'refreshFindings', mark);
}));

test('a narrow page shown again on the Insights & detections tab asks for them at once and fits its width', { timeout: STEP_MS }, () => withView('findings-restore', async (host, page) => {
  // Sent right after 'ready', before the fake extension answered it.
  await host.waitFor((m) => m.type === 'loadFindings', 0);
  assert.equal(await page.getByRole('tab', { name: /Insights & detections/ }).getAttribute('aria-selected'), 'true');
  await host.send({ type: 'findings', findings: { kind: 'ready', findings: found.findings } });
  await detection(page, 'cis-4.3-root-account-usage').waitFor();
  assert.equal(await page.locator('.ev-event.sample').first().getAttribute('tabindex'), '0', 'one row in the tab order');
  const overflow = await page.evaluate(() => document.querySelector('.content')!.scrollWidth - document.querySelector('.content')!.clientWidth);
  assert.equal(overflow, 0, 'no horizontal scrolling');
  await burstInsight(page).scrollIntoViewIfNeeded();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(resultsDir, 'audit-view-findings-narrow.png') });
}, { width: 520, height: 640, state: { mode: 'findings', collapsed: [], filter: { text: '', errorsOnly: false, writesOnly: false } } }));

/** Markup that hostile strings would have made if they had been rendered as HTML: all zero when shown as text. */
function injectedMarkup(page: Page) {
  return page.evaluate(() => ({
    images: document.querySelectorAll('img').length,
    scripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
    links: document.querySelectorAll('a').length,
    handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith('on')).length,
    styles: document.querySelectorAll('[style]').length,
  }));
}
