// The trace viewer panel in headless Chromium: the built bundle (dist/webviews/traces.js) in a page
// made like the webview recipe's (same CSP), with a fake extension answering from generated traces
// (test/support/tracesPage.ts). User flows: the list, search and sort, the timeline (collapse,
// keyboard, critical path), span details with hostile strings, "Go to code", functions matched by
// a span's name (from the server's own span details over a demo workspace), a 100k-span trace,
// the service map, compare, empty and failure states, live updates, and restoring the panel.
// Screenshots land in test-results/. Run: node --test out/test/e2e/tracesPanel.test.js
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TraceQuery } from '../../server/protocol';
import { formatDelta } from '../../media/traces/format';
import type { SpanLocation } from '../../server/protocol';
import { spanDetail, type SpanWorkspace } from '../../server/traces/spanDetail';
import { comparisonOf, demoWorkspace, filterTraces, generateTrace, generateTraces, hostileService, hostileText, serviceMapOf, summarize, timelineOf, workspaceUri, type GeneratedTrace } from '../support/traceData';
import { chromiumOptions, FakeExtension, recipeCsp, repoRoot, startPageServer, type OpenOptions, type PageServer } from '../support/tracesPage';

const resultsDir = join(repoRoot, 'test-results');
const nowMs = Date.now();
/** 60 traces, newest first in list order; trace 3 carries hostile strings. */
const traces = generateTraces(60, { nowMs, hostileIndex: 3 });
const defaultQuery: TraceQuery = { sort: 'newest', limit: 500 };
const STEP_MS = 15_000;

let server: PageServer;
let browser: Browser;
let workspace: SpanWorkspace;

before(async () => {
  if (!existsSync(join(repoRoot, 'dist', 'webviews', 'traces.js'))) throw new Error('dist/webviews/traces.js is missing: run `node esbuild.mjs` first');
  mkdirSync(resultsDir, { recursive: true });
  server = await startPageServer();
  workspace = await demoWorkspace();
  browser = await chromium.launch({ ...(await chromiumOptions()), headless: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the panel, runs `body`, and checks the page logged no error, no CSP violation and opened no dialog. */
async function withPanel(name: string, body: (host: FakeExtension, page: Page) => Promise<void>, options: OpenOptions & { traces?: GeneratedTrace[] } = {}): Promise<void> {
  const host = await FakeExtension.open(browser, server, options.traces ?? traces, options);
  try {
    await body(host, host.page);
    assert.deepEqual(host.problems, [], 'the page logged no errors and no CSP violations');
    assert.equal(host.dialogs, 0, 'no dialog opened');
  } catch (error) {
    await host.page.screenshot({ path: join(resultsDir, `failed-traces-${name}.png`) }).catch(() => {});
    throw error;
  } finally {
    await host.page.close();
  }
}

/** Clicks the list row of a trace, scrolling the virtual list to it first. */
async function openTraceRow(host: FakeExtension, traceId: string): Promise<void> {
  const page = host.page;
  const index = await page.evaluate((id) => {
    const rows = [...document.querySelectorAll<HTMLElement>('.trace-row')];
    return rows.find((r) => r.dataset.traceId === id)?.dataset.index;
  }, traceId);
  if (index === undefined) {
    const position = filterTraces(host.traces, defaultQuery).findIndex((t) => t.traceId === traceId);
    await page.locator('.trace-list').evaluate((list, top) => (list.scrollTop = top), position * 52);
  }
  const since = host.received.length;
  await page.locator(`.trace-row[data-trace-id="${traceId}"]`).click();
  await host.waitFor((m) => m.type === 'openTrace' && m.traceId === traceId, since);
  await page.locator('.tl-row').first().waitFor();
}

const rowCount = (page: Page) => page.locator('.tl-row').count();
const activeRow = (page: Page) => page.locator('[role=treegrid]').getAttribute('aria-activedescendant');

test('the panel asks for the newest traces and lists them, virtualised', { timeout: STEP_MS }, () => withPanel('list', async (host, page) => {
  const first = await host.waitFor((m) => m.type === 'query', 0);
  assert.deepEqual(first.type === 'query' && first.query, defaultQuery);
  await page.locator('.trace-row').first().waitFor();
  const rendered = await page.locator('.trace-row').count();
  assert.ok(rendered > 5 && rendered < traces.length, `only the rows in view are in the DOM (${rendered} of ${traces.length})`);
  const top = page.locator('.trace-row[data-index="0"]');
  assert.equal(await top.locator('.trace-service').textContent(), traces[0].summary.rootService);
  assert.equal(await top.locator('.trace-operation').textContent(), traces[0].summary.rootName);
  assert.match(await top.locator('.trace-time').textContent() ?? '', /ago|just now/);
  assert.match(await top.locator('.trace-time').getAttribute('title') ?? '', /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} local/);
  assert.match(await page.locator('.list-count').textContent() ?? '', /^60 traces/);
  const failed = traces.findIndex((t) => t.summary.errorClass === 'fault');
  assert.match(await page.locator(`.trace-row[data-index="${failed}"] .badge-fault`).textContent() ?? '', /^fault/);
  assert.match(await page.getByText('Select a trace on the left').textContent() ?? '', /timeline/);

  // The response time distribution of the listed traces narrows the search to a bar's durations.
  assert.match(await page.locator('.histogram-stats').textContent() ?? '', /^60 listed traces: p50 .* p95 .* p99 /);
  const since = host.received.length;
  await page.locator('.bucket[role=button]').first().click();
  const narrowed = await host.waitFor((m) => m.type === 'query', since);
  assert.ok(narrowed.type === 'query' && narrowed.query.minDurationMs! > 0 && narrowed.query.maxDurationMs! > narrowed.query.minDurationMs!);
  assert.equal(await page.getByLabel('Min duration').inputValue(), `${narrowed.type === 'query' && narrowed.query.minDurationMs}ms`);
}));

test('the search form sends the TraceQuery it shows, and sorting searches again', { timeout: STEP_MS }, () => withPanel('search', async (host, page) => {
  await page.locator('.trace-row').first().waitFor();
  await page.getByLabel('Service', { exact: true }).fill('payments');
  await page.getByLabel('Operation', { exact: true }).fill('Charge');
  await page.getByLabel('Min duration').fill('25ms');
  await page.getByLabel('Max duration').fill('2s');
  await page.getByLabel('Attribute').fill('http.response.status_code=503');
  await page.getByLabel('Text', { exact: true }).fill('unavailable');
  let since = host.received.length;
  await page.getByLabel('Errors only').check();
  const expected: TraceQuery = {
    sort: 'newest', limit: 500, service: 'payments', operation: 'Charge', text: 'unavailable', errorsOnly: true,
    minDurationMs: 25, maxDurationMs: 2000, attribute: { key: 'http.response.status_code', value: '503' },
  };
  const filtered = await host.waitFor((m) => m.type === 'query', since);
  assert.deepEqual(filtered.type === 'query' && filtered.query, expected);
  const count = filterTraces(traces, expected).length;
  await page.locator('.list-count', { hasText: `${count} trace` }).waitFor();

  since = host.received.length;
  await page.getByLabel('Sort').selectOption('slowest');
  const sorted = await host.waitFor((m) => m.type === 'query', since);
  assert.deepEqual(sorted.type === 'query' && sorted.query, { ...expected, sort: 'slowest' });

  // A duration that does not parse says so and sends nothing.
  since = host.received.length;
  await page.getByLabel('Min duration').fill('fast');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'Min duration' }).waitFor();
  assert.equal(await page.getByLabel('Min duration').getAttribute('aria-invalid'), 'true');
  assert.equal(host.requests('query').length, host.received.slice(0, since).filter((m) => m.type === 'query').length);

  since = host.received.length;
  await page.getByRole('button', { name: 'Reset' }).click();
  const reset = await host.waitFor((m) => m.type === 'query', since);
  assert.deepEqual(reset.type === 'query' && reset.query, { sort: 'slowest', limit: 500 });
  await page.locator('.trace-row[data-index="0"]').waitFor();
  const slowest = filterTraces(traces, { sort: 'slowest' })[0];
  assert.equal(await page.locator('.trace-row[data-index="0"]').getAttribute('data-trace-id'), slowest.traceId);
}));

/** A trace with a fault (and its exception) near the top, for a picture that shows both. */
function showcaseTrace(): { trace: GeneratedTrace; faultRow: number } {
  for (let seed = 1; seed < 1000; seed++) {
    const spans = generateTrace({ seed: 9000 + seed, spanCount: 160, startMs: nowMs - 5000, root: ['frontend', 'POST /checkout'], failureRate: 0.03 });
    const timeline = timelineOf(spans);
    const faultRow = timeline.failure.findIndex((f, i) => f === 2 && i >= 4 && i <= 12);
    const span = spans.find((s) => s.spanId === timeline.spanIds[faultRow]);
    if (span?.events.some((e) => e.name === 'exception')) return { trace: { summary: summarize(spans), spans }, faultRow };
  }
  throw new Error('no seed gave a showcase trace');
}

test('opening a trace draws its waterfall on a time axis, with critical path and failures', { timeout: 2 * STEP_MS }, async () => {
  const { trace: showcase, faultRow } = showcaseTrace();
  const timeline = timelineOf(showcase.spans);
  await withPanel('timeline', async (host, page) => {
    await page.locator('.trace-row').first().waitFor();
    await openTraceRow(host, showcase.summary.traceId);
    const rows = await rowCount(page);
    assert.ok(rows > 10 && rows < 120, `rows in the DOM: ${rows}`);
    assert.equal(await page.locator('[role=treegrid]').getAttribute('aria-rowcount'), String(timeline.spanIds.length + 1));
    const root = page.locator('#span-row-0');
    assert.equal(await root.getAttribute('aria-level'), '1');
    assert.equal(await root.getAttribute('aria-expanded'), 'true');
    assert.equal(await root.locator('.span-name').textContent(), showcase.summary.rootName);
    const ticks = await page.locator('.tick-label').allTextContents();
    assert.ok(ticks.length >= 3 && ticks[0] === '0', `ticks: ${ticks.join(', ')}`);
    // The root spans the whole axis.
    const cell = await root.locator('.tl-bar-cell').boundingBox();
    const bar = await root.locator('.bar').boundingBox();
    assert.ok(cell && bar && bar.width / cell.width > 0.97, 'the root bar covers the axis');
    assert.match(await page.locator('.trace-header').textContent() ?? '', new RegExp(`Spans\\s*${timeline.spanIds.length}`));
    assert.match(await page.locator('.trace-header .badge-fault').textContent() ?? '', /fault/);
    assert.equal(await page.locator('.minimap canvas').count(), 1);

    await page.getByRole('button', { name: 'Critical path' }).click();
    assert.equal(await page.getByRole('button', { name: 'Critical path' }).getAttribute('aria-pressed'), 'true');
    assert.ok(await page.locator('.timeline.critical-on .tl-row.crit').count() > 0);

    // "Next failure" selects a failed span and opens its details.
    const since = host.received.length;
    await page.getByRole('button', { name: 'Next failure' }).click();
    const asked = await host.waitFor((m) => m.type === 'selectSpan', since);
    const failedRow = asked.type === 'selectSpan' ? timeline.spanIds.indexOf(asked.spanId) : -1;
    assert.equal(failedRow, timeline.failure.findIndex((f) => f > 0), 'the first failed span');
    await page.locator('.details .kv').first().waitFor();

    // The fault near the top: its details show the exception and the stack.
    await page.locator(`#span-row-${faultRow} .span-name`).click();
    await page.locator('.details .stack li').first().waitFor();
    assert.equal(await page.locator(`#span-row-${faultRow} .mark-fault`).textContent(), 'F');
    await page.locator('.tl-viewport').evaluate((viewport) => (viewport.scrollTop = 0));
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(resultsDir, 'timeline.png') });
  }, { traces: [showcase, ...traces] });
});

test('subtrees collapse and expand by caret and keyboard; the keys move the selection', { timeout: STEP_MS }, () => withPanel('keyboard', async (host, page) => {
  const trace = traces[2];
  const timeline = timelineOf(trace.spans);
  const n = timeline.spanIds.length;
  await page.locator('.trace-row').first().waitFor();
  await openTraceRow(host, trace.summary.traceId);
  const grid = page.locator('[role=treegrid]');
  await grid.focus();
  await page.keyboard.press('Home');
  assert.equal(await activeRow(page), 'span-row-0');
  assert.equal(await page.locator('#span-row-0').getAttribute('aria-selected'), 'true');
  await page.keyboard.press('ArrowDown');
  assert.equal(await activeRow(page), 'span-row-1');
  await page.keyboard.press('ArrowLeft'); // row 1's subtree collapses, or the selection moves to its parent
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.locator('#span-row-0').getAttribute('aria-expanded'), 'false');
  assert.equal(await rowCount(page), 1);
  assert.equal(await grid.getAttribute('aria-rowcount'), '2');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('#span-row-0').getAttribute('aria-expanded'), 'true');
  assert.ok(await rowCount(page) > 1);
  await page.keyboard.press('ArrowRight'); // expanded: moves to the first child
  assert.equal(await activeRow(page), 'span-row-1');

  // The caret toggles with the mouse; the subtree's rows go and come back.
  const childCount = timeline.parent.filter((p) => p === 0).length;
  await page.locator('#span-row-0 .caret').click();
  assert.equal(await rowCount(page), 1);
  await page.locator('#span-row-0 .caret').click();
  assert.ok(await rowCount(page) >= Math.min(childCount + 1, 20));

  // End goes to the last span; ← on a leaf goes to its parent.
  await grid.focus();
  await page.keyboard.press('End');
  assert.equal(await activeRow(page), `span-row-${n - 1}`);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await activeRow(page), `span-row-${timeline.parent[n - 1]}`);
  await page.keyboard.press('PageUp');
  await page.keyboard.press('Home');

  // Enter asks for the span's details; Escape closes them.
  const since = host.received.length;
  await page.keyboard.press('Enter');
  const asked = await host.waitFor((m) => m.type === 'selectSpan', since);
  assert.deepEqual(asked.type === 'selectSpan' && [asked.traceId, asked.spanId], [trace.summary.traceId, timeline.spanIds[0]]);
  await page.locator('.details .kv').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('.details').waitFor({ state: 'hidden' });

  await page.getByRole('button', { name: 'Collapse all' }).click();
  assert.equal(await rowCount(page), 1);
  await page.getByRole('button', { name: 'Expand all' }).click();
  assert.ok(await rowCount(page) > 10);

  // Find marks matching spans and steps through them.
  const service = timeline.strings[timeline.service[n - 1]];
  await page.getByLabel('Find spans by service, operation or span id').fill(service);
  const matches = timeline.spanIds.filter((_, i) => timeline.strings[timeline.service[i]].includes(service) || timeline.strings[timeline.name[i]].includes(service)).length;
  await page.locator('.find-count', { hasText: `1 of ${matches}` }).waitFor();
  const selected = Number((await activeRow(page))!.slice('span-row-'.length));
  assert.equal(timeline.strings[timeline.service[selected]], service);
  assert.equal(await page.locator(`#span-row-${selected}`).getAttribute('class').then((c) => c?.includes('match')), true);
}));

test('span details show attributes and events as text; hostile strings inject nothing', { timeout: STEP_MS }, () => withPanel('hostile', async (host, page) => {
  const hostile = traces[3];
  assert.equal(hostile.summary.rootName, hostileText);
  await page.locator('.trace-row').first().waitFor();
  const row = page.locator('.trace-row[data-index="3"]');
  assert.equal(await row.locator('.trace-operation').textContent(), hostileText);
  assert.equal(await row.locator('.trace-service').textContent(), hostileService);
  await openTraceRow(host, hostile.summary.traceId);
  await page.locator('#span-row-0').click();
  await page.locator('.details .kv').first().waitFor();
  const details = page.locator('.details');
  assert.equal(await details.locator('.details-name').textContent(), hostileText);
  const keys = await details.locator('.attributes th').allTextContents();
  const values = await details.locator('.attributes td').allTextContents();
  assert.ok(keys.includes(hostileText), 'a hostile attribute key shows as text');
  assert.equal(values[keys.indexOf(hostileText)], hostileText);
  assert.equal(values[keys.indexOf('user.comment')], '<script>alert(1)</script>');
  assert.equal(await details.locator('.events th').first().textContent(), hostileText);
  assert.match(await details.locator('dd', { hasText: 'error:' }).textContent() ?? '', /^error: <img src=x onerror=alert\(1\)>$/);
  await page.locator('.trace-header h1', { hasText: hostileText }).waitFor();

  // Search and preset filters carry hostile text back and forth as text too.
  await page.getByLabel('Text', { exact: true }).fill(hostileText);
  const since = host.received.length;
  await page.getByLabel('Text', { exact: true }).press('Enter');
  const query = await host.waitFor((m) => m.type === 'query', since);
  assert.equal(query.type === 'query' && query.query.text, hostileText);
  await host.send({ type: 'filter', query: { function: { file: hostileText, name: hostileText } } });
  await page.locator('.function-chip code', { hasText: hostileText }).waitFor();

  const injected = await page.evaluate(() => ({
    images: document.querySelectorAll('img, image, iframe, object, embed').length,
    scripts: document.scripts.length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
  }));
  assert.deepEqual(injected, { images: 0, scripts: 2, handlers: 0 });
}));

test('"Go to code", stack frames and the row marker ask the extension to open code', { timeout: STEP_MS }, () => withPanel('code', async (host, page) => {
  const trace = traces.find((t) => t.spans.some((s) => s.errorClass === 'fault' && s.events.some((e) => e.name === 'exception')))!;
  const timeline = timelineOf(trace.spans);
  const faulty = trace.spans.find((s) => s.errorClass === 'fault' && s.events.some((e) => e.name === 'exception'))!;
  await page.locator('.trace-row').first().waitFor();
  await openTraceRow(host, trace.summary.traceId);

  // Select the faulty span through Find (span ids match by prefix), then Enter for its details.
  await page.getByLabel('Find spans by service, operation or span id').fill(faulty.spanId);
  await page.locator('.find-count', { hasText: '1 of 1' }).waitFor();
  await page.locator('[role=treegrid]').focus();
  await page.keyboard.press('Enter');
  const frame = page.locator('.details .stack button.frame').first();
  await frame.waitFor();
  let since = host.received.length;
  await frame.click();
  const opened = await host.waitFor((m) => m.type === 'openLocation', since);
  assert.deepEqual(opened, { type: 'openLocation', uri: `${workspaceUri}/src/${faulty.service}/handlers.py`, line: 41 });
  assert.match(await page.locator('.details .exception-message').textContent() ?? '', /^ConnectionError: /);

  // A span with code attributes: the row's marker and the details' button.
  const coded = timeline.hasCode.indexOf(1);
  await page.getByLabel('Find spans by service, operation or span id').fill(timeline.spanIds[coded]);
  await page.locator('.find-count', { hasText: '1 of 1' }).waitFor();
  since = host.received.length;
  await page.locator(`#span-row-${coded} .go-to-code`).click();
  const go = await host.waitFor((m) => m.type === 'goToCode', since);
  assert.deepEqual(go, { type: 'goToCode', traceId: trace.summary.traceId, spanId: timeline.spanIds[coded] });
  await page.locator(`#span-row-${coded} .span-name`).click();
  const button = page.locator('.details .go-to-code-button', { hasText: 'Go to code' });
  await button.waitFor();
  since = host.received.length;
  await button.click();
  const codeSpan = trace.spans.find((s) => s.spanId === timeline.spanIds[coded])!;
  const location = await host.waitFor((m) => m.type === 'openLocation', since);
  assert.deepEqual(location, { type: 'openLocation', uri: `${workspaceUri}/src/${codeSpan.service}/${codeSpan.code!.functionName}.py`, line: codeSpan.code!.line! - 1 });
  assert.match(await page.locator('.details .summary').textContent() ?? '', new RegExp(`Location${codeSpan.code!.functionName} · ${codeSpan.service}/${codeSpan.code!.functionName}\\.py:${codeSpan.code!.line}`));
  assert.equal(await page.locator('.details .name-matches').count(), 0, 'code attributes leave nothing to guess');
}));

test('a span without code attributes offers the functions of its name, marked as such and openable', { timeout: STEP_MS }, () => withPanel('name-match', async (host, page) => {
  // The first span whose name more than one workspace function has, as the server's details find them.
  let found: { trace: GeneratedTrace; spanId: string; locations: SpanLocation[] } | undefined;
  for (const trace of traces) {
    for (const span of trace.spans) {
      const { locations } = spanDetail(span, workspace);
      if (!found && locations.length > 1) found = { trace, spanId: span.spanId, locations };
    }
  }
  assert.ok(found, 'the demo workspace has two functions named like some span');
  const { trace, spanId, locations } = found;
  assert.ok(locations.every((l) => l.match === 'name'));
  const row = timelineOf(trace.spans).spanIds.indexOf(spanId);
  await page.locator('.trace-row').first().waitFor();
  await openTraceRow(host, trace.summary.traceId);
  await page.getByLabel('Find spans by service, operation or span id').fill(spanId);
  await page.locator('.find-count', { hasText: '1 of 1' }).waitFor();
  await page.locator(`#span-row-${row} .span-name`).click();

  const section = page.getByRole('region', { name: 'Probably here' });
  await section.waitFor();
  const shortPath = (uri: string) => new URL(uri).pathname.split('/').slice(-2).join('/');
  assert.deepEqual(await section.locator('li').allTextContents(), locations.map((l) => `${shortPath(l.uri)}:${l.line + 1}${l.function}(matched by name)`));
  assert.match(await section.locator('.notice.weak').textContent() ?? '', /^Matched by function name only: no code attributes say where the span ran, so these are the workspace functions with its name/);
  assert.doesNotMatch(await page.locator('.details .summary').textContent() ?? '', /Location/, 'no exact location is claimed');

  // The heading's button goes to the likeliest; each listed place opens where it says.
  const go = page.getByRole('button', { name: 'Go to code (name match)' });
  assert.match(await go.getAttribute('class') ?? '', /secondary/);
  let since = host.received.length;
  await go.click();
  assert.deepEqual(await host.waitFor((m) => m.type === 'openLocation', since), { type: 'openLocation', uri: locations[0].uri, line: locations[0].line });
  since = host.received.length;
  await section.getByRole('button', { name: `${shortPath(locations[1].uri)}:${locations[1].line + 1}` }).click();
  assert.deepEqual(await host.waitFor((m) => m.type === 'openLocation', since), { type: 'openLocation', uri: locations[1].uri, line: locations[1].line });
  await page.screenshot({ path: join(resultsDir, 'traces-name-match.png') });
}));

test('a 100,000-span trace opens with only the rows in view in the DOM, and scrolls end to end', { timeout: 4 * STEP_MS }, async () => {
  let started = performance.now();
  const spans = generateTrace({ seed: 100_000, spanCount: 100_000, startMs: nowMs - 1000, root: ['frontend', 'POST /batch-import'] });
  const big: GeneratedTrace = { summary: summarize(spans), spans };
  const timeline = timelineOf(spans);
  console.log(`generated and analysed 100,000 spans in ${Math.round(performance.now() - started)} ms`);
  started = performance.now();
  await withPanel('100k', async (host, page) => {
    host.timelines.set(big.summary.traceId, timeline);
    await page.locator('.trace-row').first().waitFor();
    await openTraceRow(host, big.summary.traceId);
    const grid = page.locator('[role=treegrid]');
    assert.equal(await grid.getAttribute('aria-rowcount'), '100001');
    const rendered = await rowCount(page);
    assert.ok(rendered < 150, `rows in the DOM: ${rendered}`);
    await grid.focus();
    await page.keyboard.press('End');
    await page.locator('#span-row-99999[aria-selected=true]').waitFor();
    assert.ok(await rowCount(page) < 150);
    // Scrolling to the middle renders the rows there.
    await page.locator('.tl-viewport').evaluate((viewport) => (viewport.scrollTop = viewport.scrollHeight / 2));
    await page.locator('.tl-row[aria-rowindex="50001"]').waitFor();
    await page.keyboard.press('Home');
    await page.locator('#span-row-0[aria-selected=true]').waitFor();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await rowCount(page), 1);
    await page.keyboard.press('ArrowRight');
    assert.ok(await rowCount(page) > 10);
    assert.match(await page.locator('.trace-header').textContent() ?? '', /Spans\s*100,000/);
  }, { traces: [big, ...traces] });
  console.log(`the 100k-span flow took ${Math.round(performance.now() - started)} ms`);
});

test('the service map shows services, calls and SLO misses; a service lists its traces', { timeout: STEP_MS }, () => withPanel('service-map', async (host, page) => {
  host.slo = { payments: 5, checkout: 10_000 };
  const expected = serviceMapOf(traces, host.slo);
  await page.locator('.trace-row').first().waitFor();
  let since = host.received.length;
  await page.getByRole('tab', { name: 'Service map' }).click();
  const asked = await host.waitFor((m) => m.type === 'serviceMap', since);
  assert.deepEqual(asked.type === 'serviceMap' && asked.query, {});
  await page.locator('.map-node').first().waitFor();
  assert.equal(await page.locator('.map-node').count(), expected.nodes.length);
  assert.equal(await page.locator('.map-edge').count(), expected.edges.length);
  const missing = expected.nodes.filter((n) => n.missesSlo).map((n) => n.service).sort();
  assert.deepEqual(missing, ['payments']);
  assert.deepEqual(await page.locator('.map-node.misses-slo').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-service')).sort()), missing);
  assert.match(await page.locator('.map-node[data-service=checkout] .node-slo').textContent() ?? '', /meets SLO/);
  assert.equal(await page.locator('.map-node', { hasText: hostileService }).count(), 1);
  // Nodes sit left to right by call depth: frontend before checkout before orders-db.
  const x = async (service: string) => (await page.locator(`.map-node[data-service="${service}"]`).boundingBox())!.x;
  assert.ok(await x('frontend') < await x('checkout') && await x('checkout') < await x('orders-db'));
  await page.screenshot({ path: join(resultsDir, 'service-map.png') });

  since = host.received.length;
  await page.locator('.map-node[data-service=users]').click();
  const query = await host.waitFor((m) => m.type === 'query', since);
  assert.equal(query.type === 'query' && query.query.service, 'users');
  assert.equal(await page.getByRole('tab', { name: 'Traces' }).getAttribute('aria-selected'), 'true');
  // Arrow keys move between tabs.
  await page.getByRole('tab', { name: 'Traces' }).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getByRole('tab', { name: 'Service map' }).getAttribute('aria-selected'), 'true');
}));

test('compare: two traces of the same operation, span paths by largest difference', { timeout: STEP_MS }, () => withPanel('compare', async (host, page) => {
  const left = traces[1];
  const right = traces[11]; // the same operation and shape, other timings
  await page.locator('.trace-row').first().waitFor();
  await openTraceRow(host, left.summary.traceId);
  await page.getByRole('button', { name: 'Compare with…' }).click();
  assert.equal(await page.getByRole('tab', { name: 'Compare' }).getAttribute('aria-selected'), 'true');
  assert.equal(await page.getByLabel('Left trace').inputValue(), left.summary.traceId);
  const options = await page.getByLabel('Right trace').locator('option').allTextContents();
  assert.ok(options.slice(1).length > 0 && options.slice(1).every((o) => o.startsWith(`${left.summary.rootService}: ${left.summary.rootName} ·`)), 'only traces of the same operation are offered');
  await page.getByLabel('Right trace').selectOption(right.summary.traceId);
  const since = host.received.length;
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  const asked = await host.waitFor((m) => m.type === 'compare', since);
  assert.deepEqual(asked, { type: 'compare', id: (asked as { id: number }).id, left: left.summary.traceId, right: right.summary.traceId });
  await page.locator('.compare-row').first().waitFor();
  const expected = [...comparisonOf(left, right).rows].sort((a, b) => Math.abs(b.deltaMs) - Math.abs(a.deltaMs));
  assert.equal(await page.locator('.compare-row[aria-rowindex="2"] .delta').textContent(), formatDelta(expected[0].deltaMs));
  assert.ok(await page.locator('.compare-row').count() >= Math.min(10, expected.length));
  assert.match(await page.locator('.compare-summary').textContent() ?? '', /took .* on the left and .* on the right/);
  await page.screenshot({ path: join(resultsDir, 'compare.png') });

  // From the list: the ⇄ on a trace of the open trace's operation compares the two at once.
  await page.getByRole('tab', { name: 'Traces' }).click();
  const other = traces[21];
  const row = page.locator(`.trace-row[data-trace-id="${other.summary.traceId}"]`);
  await page.locator('.trace-list').evaluate((list, top) => (list.scrollTop = top), 21 * 52 - 200);
  await row.hover();
  const sinceList = host.received.length;
  await row.locator('.compare-action').click();
  const fromList = await host.waitFor((m) => m.type === 'compare', sinceList);
  assert.equal(fromList.type === 'compare' && `${fromList.left} ${fromList.right}`, `${left.summary.traceId} ${other.summary.traceId}`);
}));

test('empty states say how to get traces in, or how to widen the search', { timeout: STEP_MS }, async () => {
  await withPanel('empty', async (host, page) => {
    const empty = page.locator('.main-pane').getByRole('status').filter({ hasText: 'No traces yet' });
    await empty.waitFor();
    const text = await empty.textContent() ?? '';
    assert.match(text, /http:\/\/127\.0\.0\.1:4318/);
    assert.match(text, /UDP 127\.0\.0\.1:2000/);
    const since = host.received.length;
    await page.getByRole('button', { name: 'Import Traces…' }).click();
    const command = await host.waitFor((m) => m.type === 'runCommand', since);
    assert.deepEqual(command, { type: 'runCommand', command: 'sightline.importTraces' });
    await page.locator('.list-body', { hasText: 'No traces yet.' }).waitFor();
  }, { traces: [] });
  // The receivers' actual addresses, and what keeps one from listening.
  await withPanel('empty-sources', async (host, page) => {
    await host.waitFor((m) => m.type === 'sources', 0);
    const empty = page.locator('.main-pane').getByRole('status').filter({ hasText: 'No traces yet' });
    await empty.getByText('OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4319').waitFor();
    const text = await empty.textContent() ?? '';
    assert.match(text, /It is not listening: listen EADDRINUSE/);
    assert.match(text, /The X-Ray daemon receiver is off/);
    assert.match(text, /read-only/);
  }, {
    traces: [],
    sources: { otlp: { url: 'http://127.0.0.1:4319/v1/traces', error: 'listen EADDRINUSE: address already in use 127.0.0.1:4319' }, readOnly: true },
  });
  await withPanel('no-match', async (host, page) => {
    await page.locator('.trace-row').first().waitFor();
    await page.getByLabel('Service', { exact: true }).fill('no-such-service');
    await page.getByLabel('Service', { exact: true }).press('Enter');
    await page.getByText('No traces match this search.').waitFor();
    const since = host.received.length;
    await page.getByRole('button', { name: 'Clear filters' }).click();
    const query = await host.waitFor((m) => m.type === 'query', since);
    assert.deepEqual(query.type === 'query' && query.query, defaultQuery);
    await page.locator('.trace-row').first().waitFor();
  });
});

test('the extension can open one trace at a span (a hover\'s link)', { timeout: STEP_MS }, () => withPanel('show-trace', async (host, page) => {
  const trace = traces[7];
  const timeline = timelineOf(trace.spans);
  await page.locator('.trace-row').first().waitFor();
  const since = host.received.length;
  await host.send({ type: 'showTrace', traceId: trace.summary.traceId, spanId: timeline.spanIds[5] });
  await host.waitFor((m) => m.type === 'openTrace' && m.traceId === trace.summary.traceId, since);
  await page.locator('#span-row-5[aria-selected=true]').waitFor();
  assert.equal(await page.locator(`.trace-row[data-trace-id="${trace.summary.traceId}"]`).getAttribute('aria-selected'), 'true');
}));

test('a preset filter (a CodeLens click) shows as a chip and is searched for', { timeout: STEP_MS }, () => withPanel('filter', async (host, page) => {
  await page.locator('.trace-row').first().waitFor();
  let since = host.received.length;
  const fn = { file: 'src/checkout/computeTotals.py', name: 'computeTotals' };
  await host.send({ type: 'filter', query: { function: fn } });
  const query = await host.waitFor((m) => m.type === 'query', since);
  assert.deepEqual(query.type === 'query' && query.query, { sort: 'newest', limit: 500, function: fn });
  await page.locator('.function-chip', { hasText: 'Only traces through computeTotals' }).waitFor();
  await page.locator('.list-count', { hasText: `${filterTraces(traces, { function: fn }).length} trace` }).waitFor();
  since = host.received.length;
  await page.getByRole('button', { name: 'Remove the function filter' }).click();
  const cleared = await host.waitFor((m) => m.type === 'query', since);
  assert.equal(cleared.type === 'query' && cleared.query.function, undefined);
}));

test('live updates refresh the list; failures offer a retry; late answers are dropped', { timeout: STEP_MS }, () => withPanel('live', async (host, page) => {
  await page.locator('.trace-row').first().waitFor();
  let since = host.received.length;
  await host.send({ type: 'tracesChanged', spans: 12, traces: 1 });
  await host.send({ type: 'tracesChanged', spans: 3, traces: 1 });
  await host.waitFor((m) => m.type === 'query', since, 3000);
  // One more change after the burst's refresh, and wait for its query: without the debounce the
  // burst alone would have sent two queries, so three would have arrived by then.
  const afterBurst = host.received.length;
  await host.send({ type: 'tracesChanged', spans: 1, traces: 1 });
  await host.waitFor((m) => m.type === 'query', afterBurst, 3000);
  assert.equal(host.received.slice(since).filter((m) => m.type === 'query').length, 2, 'a burst of changes is one refresh');

  host.fail('query', 'the store is locked');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'The traces could not be listed: the store is locked' }).waitFor();
  since = host.received.length;
  await page.getByRole('button', { name: 'Try again' }).click();
  await host.waitFor((m) => m.type === 'query', since);
  await page.locator('.trace-row').first().waitFor();

  // Two traces opened quickly, answers held and released in order: the second one stays.
  host.hold('openTrace');
  await page.locator('.trace-row[data-index="0"]').click();
  await page.locator('.trace-row[data-index="1"]').click();
  await page.getByText('Loading the trace…').waitFor();
  await host.release('openTrace');
  await page.locator('.tl-row').first().waitFor();
  assert.equal(await page.locator('.trace-header .trace-id').textContent(), traces[1].summary.traceId);
  assert.equal(await page.locator('#span-row-0 .span-name').textContent(), traces[1].summary.rootName);

  host.fail('openTrace', 'trace store unavailable');
  await page.locator('.trace-row[data-index="2"]').click();
  await page.getByText('The trace could not be loaded: trace store unavailable').waitFor();
}));

test('the panel comes back as it was when it is shown again (webview state)', { timeout: STEP_MS }, async () => {
  const trace = traces[1];
  const timeline = timelineOf(trace.spans);
  let saved: unknown;
  await withPanel('state-before', async (host, page) => {
    await page.locator('.trace-row').first().waitFor();
    await page.getByLabel('Sort').selectOption('slowest');
    await openTraceRow(host, trace.summary.traceId);
    await page.getByRole('button', { name: 'Critical path' }).click();
    await page.locator('#span-row-2 .span-name').click();
    await page.locator('.details .kv').first().waitFor();
    saved = await page.evaluate(() => (window as unknown as { __sightlineState(): unknown }).__sightlineState());
  });
  await withPanel('state-after', async (host, page) => {
    const query = await host.waitFor((m) => m.type === 'query', 0);
    assert.equal(query.type === 'query' && query.query.sort, 'slowest');
    await host.waitFor((m) => m.type === 'openTrace' && m.traceId === trace.summary.traceId, 0);
    await page.locator('#span-row-2[aria-selected=true]').waitFor();
    const span = await host.waitFor((m) => m.type === 'selectSpan', 0);
    assert.equal(span.type === 'selectSpan' && span.spanId, timeline.spanIds[2]);
    await page.locator('.details .kv').first().waitFor();
    assert.equal(await page.getByRole('button', { name: 'Critical path' }).getAttribute('aria-pressed'), 'true');
  }, { state: saved });
});

test('the light theme draws with the light theme\'s colours', { timeout: STEP_MS }, () => withPanel('light', async (host, page) => {
  await page.locator('.trace-row').first().waitFor();
  await openTraceRow(host, traces[1].summary.traceId);
  await page.locator('#span-row-3 .span-name').click();
  await page.locator('.details .kv').first().waitFor();
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, 'rgb(255, 255, 255)');
  await page.screenshot({ path: join(resultsDir, 'timeline-light.png') });
}, { theme: 'light' }));

test('the test page uses the CSP of the webview recipe', () => {
  const recipe = readFileSync(join(repoRoot, 'extension', 'webviews', 'webviewHtml.ts'), 'utf8');
  const directives = recipeCsp('${webview.cspSource}', '${nonce}').split('; ');
  for (const directive of directives) assert.ok(recipe.includes(`\`${directive}\``), `webviewHtml.ts has ${directive}`);
  assert.match(recipe, /styles\?: string\[\]/);
});
