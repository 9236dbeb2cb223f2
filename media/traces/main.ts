// The trace viewer's front end: three tabs (Traces, Service map, Compare) over the typed messages
// in ./messages. Traces shows the search and the trace list on the left and the selected trace's
// timeline with the span details on the right. What the panel shows (query, tab, trace, span,
// compare pair) is kept in the webview state, so a panel hidden and shown again comes back as it was.
import type { TraceQuery, TraceSourcesStatus, TraceSummary } from '../../server/protocol';
import { h } from '../shared/dom';
import { panelHost } from '../shared/host';
import type { ServerView } from '../shared/messages';
import { serverLine } from '../shared/serverLine';
import { CompareView } from './compare';
import { DetailsPane, type SpanContext } from './details';
import { failure, hint, loading, noMatch, noTracesYet } from './emptyStates';
import { LatencyHistogram } from './latencyHistogram';
import { exactTime, failureCount, failureLabels, formatMs, localTime } from './format';
import type { TracesFromWebview, TracesRequest, TracesRequestKind, TracesToWebview } from './messages';
import { SearchForm, listLimit } from './searchForm';
import { ServiceMapView } from './serviceMap';
import { serviceColorClass } from './serviceColors';
import { TimelineView } from './timeline';
import { TraceList } from './traceList';

type Tab = 'traces' | 'map' | 'compare';

interface SavedState {
  query: TraceQuery;
  tab: Tab;
  traceId?: string;
  spanId?: string;
  detailsOpen: boolean;
  criticalPath: boolean;
  compare: { left?: string; right?: string };
}

/** Live updates refresh the list at most this often. */
const refreshEveryMs = 1000;
/** Moving the selection with the keyboard loads details after this pause. */
const detailsDelayMs = 150;

const host = panelHost<TracesFromWebview, TracesToWebview, SavedState>();
const state: SavedState = {
  query: { sort: 'newest', limit: listLimit },
  tab: 'traces',
  detailsOpen: false,
  criticalPath: false,
  compare: {},
  ...host.state(),
};
const save = () => host.saveState(state);

// ---- Requests: each kind remembers its latest id; older answers are dropped. ----
let nextRequestId = 1;
const latest: Partial<Record<TracesRequestKind, number>> = {};
type Unsent<T> = T extends TracesRequest ? Omit<T, 'id'> : never;
function request(message: Unsent<TracesRequest>): void {
  const id = nextRequestId++;
  latest[message.type] = id;
  host.post({ ...message, id } as TracesRequest);
}
const isLatest = (kind: TracesRequestKind, id: number) => latest[kind] === id;

// ---- Views ----
const search = new SearchForm((query) => runQuery(query));
const list = new TraceList({
  open: (trace) => openTrace(trace.traceId),
  compare: (trace) => startCompare(state.traceId, trace.traceId),
});
const timeline = new TimelineView({
  select: (row) => onSelectSpan(row),
  openDetails: (row) => openDetails(row),
  closeDetails: () => closeDetails(),
  goToCode: (row) => {
    const t = timeline.timeline;
    if (t) host.post({ type: 'goToCode', traceId: t.traceId, spanId: t.spanIds[row] });
  },
  criticalPathChanged: (on) => {
    state.criticalPath = on;
    save();
  },
});
const details = new DetailsPane({
  openLocation: (uri, line) => host.post({ type: 'openLocation', uri, line }),
  close: () => closeDetails(),
});
const serviceMap = new ServiceMapView({
  showService: (service) => {
    const query: TraceQuery = { sort: state.query.sort ?? 'newest', limit: listLimit, service };
    search.setQuery(query);
    selectTab('traces');
    runQuery(query);
  },
});
const compare = new CompareView({ compare: (left, right) => runCompare(left, right) });
const histogram = new LatencyHistogram({
  narrow: (minDurationMs, maxDurationMs) => {
    const query: TraceQuery = { ...state.query, minDurationMs, maxDurationMs };
    search.setQuery(query);
    runQuery(query);
  },
});

// ---- Layout ----
const app = document.getElementById('app')!;
// The recipe's page announces every change of #app; this panel re-renders rows as it scrolls, so it
// announces only what matters (counts, search results, errors) through live regions of its own.
app.removeAttribute('aria-live');
const status = h('div', { className: 'status-line' });
const listCount = h('span', { className: 'list-count', attrs: { 'aria-live': 'polite' } });
const listBody = h('div', { className: 'list-body' });
const traceHeader = h('div', { className: 'trace-header' });
const traceBody = h('div', { className: 'trace-body' });
const detailsSplitter = h('div', { className: 'details-splitter', title: 'Drag to resize the details', attrs: { 'aria-hidden': 'true' } });
const mainPane = h('div', { className: 'main-pane' }, traceHeader, traceBody, detailsSplitter, details.element);

const tabOrder: Tab[] = ['traces', 'map', 'compare'];
const tabLabels: Record<Tab, string> = { traces: 'Traces', map: 'Service map', compare: 'Compare' };
const tabButtons = Object.fromEntries(tabOrder.map((tab) => [tab, h('button', {
  className: 'tab',
  role: 'tab',
  attrs: { type: 'button', id: `tab-${tab}`, 'aria-controls': `panel-${tab}` },
  onClick: () => selectTab(tab),
}, tabLabels[tab])])) as Record<Tab, HTMLButtonElement>;
const tabPanel = (tab: Tab, className: string, ...children: HTMLElement[]) =>
  h('section', { className: `tab-panel ${className}`, role: 'tabpanel', attrs: { id: `panel-${tab}`, 'aria-labelledby': `tab-${tab}` } }, ...children);
const tabPanels: Record<Tab, HTMLElement> = {
  traces: tabPanel('traces', 'traces-layout',
    h('aside', { className: 'sidebar' }, search.element, h('div', { className: 'list-head' }, listCount), listBody),
    mainPane),
  map: tabPanel('map', '', serviceMap.element),
  compare: tabPanel('compare', '', compare.element),
};
const tablist = h('div', { className: 'tabs', role: 'tablist', attrs: { 'aria-label': 'Trace views' } }, ...tabOrder.map((tab) => tabButtons[tab]));
tablist.addEventListener('keydown', (event) => {
  const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
  if (!step) return;
  event.preventDefault();
  const next = tabOrder[(tabOrder.indexOf(state.tab) + step + tabOrder.length) % tabOrder.length];
  selectTab(next);
  tabButtons[next].focus();
});
app.replaceChildren(h('header', { className: 'topbar' }, tablist, status), ...tabOrder.map((tab) => tabPanels[tab]));
enableDetailsResize();

function selectTab(tab: Tab): void {
  state.tab = tab;
  save();
  for (const key of tabOrder) {
    const selected = key === tab;
    tabButtons[key].setAttribute('aria-selected', String(selected));
    tabButtons[key].tabIndex = selected ? 0 : -1;
    tabPanels[key].hidden = !selected;
  }
  if (tab === 'map') loadServiceMap();
}

// ---- Trace list ----
let traces: TraceSummary[] = [];
let listLoaded = false;

function runQuery(query: TraceQuery): void {
  state.query = query;
  save();
  listCount.textContent = 'Searching…';
  listBody.classList.add('busy');
  if (!listLoaded) listBody.replaceChildren(loading('Loading traces…'));
  request({ type: 'query', query });
  if (state.tab === 'map') loadServiceMap();
}

const hasFilters = (q: TraceQuery) =>
  Boolean(q.service || q.operation || q.text || q.attribute || q.function || q.errorsOnly || q.minDurationMs !== undefined || q.maxDurationMs !== undefined);

function showTraces(found: TraceSummary[]): void {
  traces = found;
  listLoaded = true;
  listBody.classList.remove('busy');
  listCount.textContent = `${found.length.toLocaleString('en')} ${found.length === 1 ? 'trace' : 'traces'}${found.length >= (state.query.limit ?? Infinity) ? ' (the newest of more; narrow the search)' : ''}`;
  search.setSuggestions(found.flatMap((t) => t.services), found.map((t) => t.rootName));
  compare.setTraces(found);
  list.setTraces(found);
  if (found.length === 0) {
    // With no traces at all, the main pane says how to get them in; the list just says so.
    listBody.replaceChildren(hasFilters(state.query) ? noMatch(() => clearFilters()) : hint('No traces yet.'));
  } else if (list.element.parentElement !== listBody) {
    listBody.replaceChildren(list.element);
  }
  const open = found.find((t) => t.traceId === state.traceId);
  list.setOpen(open, state.traceId);
  if (state.traceId && !timeline.timeline && !timelineRequested) openTrace(state.traceId, state.spanId);
  else if (!state.traceId) showNoTrace(found.length === 0 && !hasFilters(state.query));
  else if (open && timeline.timeline?.traceId === open.traceId) renderTraceHeader();
}

function clearFilters(): void {
  const query: TraceQuery = { sort: state.query.sort ?? 'newest', limit: listLimit };
  search.setQuery(query);
  runQuery(query);
}

// ---- Timeline ----
let timelineRequested = false;

/** Where spans can come from, asked for when there are none; until it arrives, the default addresses. */
let sources: TraceSourcesStatus | undefined;

function showNoTrace(noData: boolean): void {
  traceHeader.replaceChildren();
  if (noData) {
    traceBody.replaceChildren(noTracesYet(() => host.post({ type: 'runCommand', command: 'sightline.importTraces' }), sources));
    if (!sources) request({ type: 'sources' });
  } else {
    traceBody.replaceChildren(hint('Select a trace on the left to see its timeline. ↑/↓ and Enter work in the list.'), histogram.element);
    histogram.show(traces);
  }
  details.hide();
  mainPane.classList.remove('with-details');
}

function openTrace(traceId: string, spanId?: string): void {
  const changed = traceId !== state.traceId;
  state.traceId = traceId;
  state.spanId = spanId ?? (changed ? undefined : state.spanId);
  save();
  timelineRequested = true;
  list.setOpen(traces.find((t) => t.traceId === traceId), traceId);
  renderTraceHeader();
  traceBody.replaceChildren(loading('Loading the trace…'));
  request({ type: 'openTrace', traceId });
}

function renderTraceHeader(): void {
  const summary = traces.find((t) => t.traceId === state.traceId);
  const t = timeline.timeline?.traceId === state.traceId ? timeline.timeline : undefined;
  if (!state.traceId) return traceHeader.replaceChildren();
  const rootService = summary?.rootService ?? (t ? t.strings[t.service[0]] : undefined);
  const rootName = summary?.rootName ?? (t ? t.strings[t.name[0]] : undefined);
  const spanCount = t?.spanIds.length ?? summary?.spanCount;
  const model = t ? timeline.model : undefined;
  const failures = model ? model.failures.slice(1) : [];
  const stale = summary && t && summary.spanCount > t.spanIds.length;
  traceHeader.replaceChildren(
    h('div', { className: 'trace-title' },
      rootService !== undefined && h('span', { className: `svc-chip ${serviceColorClass(rootService)}` }),
      h('h1', {}, rootService !== undefined ? h('span', { className: 'trace-title-service' }, rootService) : 'Trace', rootName !== undefined ? h('span', { className: 'trace-title-name' }, rootName) : undefined)),
    h('div', { className: 'trace-stats' },
      stat('Duration', formatMs(t?.durationMs ?? summary?.durationMs ?? 0)),
      spanCount !== undefined && stat('Spans', spanCount.toLocaleString('en')),
      model && stat('Depth', String(model.maxDepth + 1)),
      (model || summary) && stat('Services', String(model ? model.services.length : summary!.services.length)),
      ...failures.map((count, i) => count > 0 && failureBadge(failureClasses[i], count)),
      summary && h('span', { className: 'muted', title: exactTime(summary.startNs) }, localTime(summary.startNs)),
      h('code', { className: 'muted trace-id', title: 'Trace ID' }, state.traceId),
      stale && h('button', { className: 'secondary', title: 'More spans of this trace have arrived', attrs: { type: 'button' }, onClick: () => openTrace(state.traceId!, state.spanId) }, `Reload (${summary.spanCount - t.spanIds.length} new spans)`),
      h('button', { className: 'secondary', attrs: { type: 'button' }, title: 'Compare this trace with another of the same operation', onClick: () => startCompare(state.traceId, undefined) }, 'Compare with…'),
    ),
  );
}

const failureClasses = ['error', 'fault', 'throttle'] as const;

function failureBadge(kind: (typeof failureClasses)[number], count: number): HTMLElement {
  return h('span', { className: `badge badge-${kind}`, title: failureLabels[kind] }, failureCount(kind, count));
}

function stat(label: string, value: string): HTMLElement {
  return h('span', { className: 'stat' }, h('span', { className: 'muted' }, `${label} `), value);
}

// ---- Span details ----
let detailsTimer = 0;

function spanContext(row: number): SpanContext {
  const t = timeline.timeline!;
  return {
    service: t.strings[t.service[row]] ?? '',
    name: t.strings[t.name[row]] ?? '',
    startMs: t.startMs[row],
    selfMs: t.selfMs[row],
    critical: t.critical[row] === 1,
  };
}

function onSelectSpan(row: number): void {
  const t = timeline.timeline;
  if (!t) return;
  state.spanId = t.spanIds[row];
  save();
  if (!details.isOpen) return;
  clearTimeout(detailsTimer);
  details.loading(spanContext(row), { keepShown: true });
  detailsTimer = window.setTimeout(() => requestSpan(row), detailsDelayMs);
}

function openDetails(row: number): void {
  clearTimeout(detailsTimer);
  state.detailsOpen = true;
  save();
  mainPane.classList.add('with-details');
  details.loading(spanContext(row));
  requestSpan(row);
}

function requestSpan(row: number): void {
  const t = timeline.timeline;
  if (t) request({ type: 'selectSpan', traceId: t.traceId, spanId: t.spanIds[row] });
}

function closeDetails(): void {
  clearTimeout(detailsTimer);
  state.detailsOpen = false;
  save();
  details.hide();
  mainPane.classList.remove('with-details');
  timeline.focus();
}

/** Hides the details without moving the focus (another trace was opened). */
function closeDetailsQuietly(): void {
  details.hide();
  mainPane.classList.remove('with-details');
}

function enableDetailsResize(): void {
  detailsSplitter.addEventListener('pointerdown', (down) => {
    down.preventDefault();
    detailsSplitter.setPointerCapture(down.pointerId);
    const box = mainPane.getBoundingClientRect();
    const move = (event: PointerEvent) => {
      const height = Math.min(Math.max(box.bottom - event.clientY, 120), box.height - 160);
      mainPane.style.setProperty('--details-height', `${height}px`);
    };
    const up = () => {
      detailsSplitter.removeEventListener('pointermove', move);
      detailsSplitter.removeEventListener('pointerup', up);
    };
    detailsSplitter.addEventListener('pointermove', move);
    detailsSplitter.addEventListener('pointerup', up);
  });
}

// ---- Service map and compare ----
function mapQuery(): TraceQuery {
  const { sort: _sort, limit: _limit, ...filters } = state.query;
  return filters;
}

/** The query the shown map was built for; the map is built again only when it or the traces change. */
let mapBuiltFor: string | undefined;

/** Builds the map for the current search; a live update (`quietly`) keeps the old map in view meanwhile. */
function loadServiceMap(quietly = false): void {
  const query = mapQuery();
  const key = JSON.stringify(query);
  if (key === mapBuiltFor) return;
  mapBuiltFor = key;
  if (!quietly) serviceMap.showMessage(loading('Building the service map…'));
  request({ type: 'serviceMap', query });
}

function startCompare(left: string | undefined, right: string | undefined): void {
  compare.pick(left, right);
  state.compare = { left, right };
  save();
  selectTab('compare');
  if (left && right) runCompare(left, right);
}

function runCompare(left: string, right: string): void {
  state.compare = { left, right };
  save();
  compare.loading();
  request({ type: 'compare', left, right });
}

// ---- Server and live updates ----
let server: ServerView | undefined;
let refreshTimer = 0;

function showServer(view: ServerView): void {
  const wasDown = server !== undefined && server.state !== 'running';
  server = view;
  status.replaceChildren(view.state === 'running' ? h('span', { className: 'muted', title: view.summary ?? '' }, view.summary ?? '') : serverLine(view));
  if (wasDown && view.state === 'running') runQuery(state.query);
}

function scheduleRefresh(): void {
  if (refreshTimer) return;
  refreshTimer = window.setTimeout(() => {
    refreshTimer = 0;
    request({ type: 'query', query: state.query });
    mapBuiltFor = undefined;
    if (state.tab === 'map') loadServiceMap(true);
  }, refreshEveryMs);
}

host.onMessage((message) => {
  switch (message.type) {
    case 'server':
      showServer(message.server);
      break;
    case 'traces':
      if (isLatest('query', message.id)) showTraces(message.traces);
      break;
    case 'timeline':
      if (!isLatest('openTrace', message.id) || message.traceId !== state.traceId) break;
      timelineRequested = false;
      if (!message.timeline) {
        traceBody.replaceChildren(hint('This trace is no longer stored (the traces may have been cleared or aged out).'));
        break;
      }
      traceBody.replaceChildren(timeline.element);
      timeline.show(message.timeline, { spanId: state.spanId, criticalPath: state.criticalPath });
      renderTraceHeader();
      if (state.detailsOpen && timeline.selectedRow >= 0) openDetails(timeline.selectedRow);
      else closeDetailsQuietly();
      break;
    case 'span': {
      const t = timeline.timeline;
      if (!isLatest('selectSpan', message.id) || !t || t.traceId !== message.traceId) break;
      const row = t.spanIds.indexOf(message.spanId);
      if (row >= 0) details.show(message.span, spanContext(row));
      break;
    }
    case 'serviceMap':
      if (isLatest('serviceMap', message.id)) serviceMap.show(message.map, hasFilters(state.query) ? 'the traces matching the search' : 'all stored traces');
      break;
    case 'comparison':
      if (isLatest('compare', message.id)) compare.show(message.comparison);
      break;
    case 'error':
      if (isLatest(message.request, message.id)) showError(message.request, message.message);
      break;
    case 'filter': {
      const query: TraceQuery = { sort: 'newest', limit: listLimit, ...message.query };
      search.setQuery(query);
      selectTab('traces');
      runQuery(query);
      break;
    }
    case 'showTrace':
      selectTab('traces');
      openTrace(message.traceId, message.spanId);
      break;
    case 'sources':
      if (isLatest('sources', message.id)) sources = message.sources;
      if (!state.traceId && traces.length === 0 && !hasFilters(state.query)) showNoTrace(true);
      break;
    case 'tracesChanged':
      scheduleRefresh();
      break;
  }
});

function showError(kind: TracesRequestKind, message: string): void {
  switch (kind) {
    case 'query':
      listBody.classList.remove('busy');
      listCount.textContent = '';
      listLoaded = false;
      listBody.replaceChildren(failure(`The traces could not be listed: ${message}`, () => runQuery(state.query)));
      break;
    case 'openTrace':
      timelineRequested = false;
      traceBody.replaceChildren(failure(`The trace could not be loaded: ${message}`, () => state.traceId && openTrace(state.traceId, state.spanId)));
      break;
    case 'selectSpan': {
      const row = timeline.selectedRow;
      if (row >= 0 && timeline.timeline) details.failed(spanContext(row), message);
      break;
    }
    case 'serviceMap':
      mapBuiltFor = undefined;
      serviceMap.showMessage(failure(`The service map could not be built: ${message}`, () => loadServiceMap()));
      break;
    case 'compare':
      compare.failed(message);
      break;
    case 'sources':
      // The empty state keeps the default addresses.
      break;
  }
}

search.setQuery(state.query);
compare.pick(state.compare.left, state.compare.right);
selectTab(state.tab);
if (!state.traceId) showNoTrace(false);
status.replaceChildren(h('span', { className: 'muted' }, 'Connecting to the Sightline server…'));
host.post({ type: 'ready' });
runQuery(state.query);
if (state.tab === 'compare' && state.compare.left && state.compare.right) runCompare(state.compare.left, state.compare.right);
