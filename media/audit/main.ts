// The Audit view's front end, in two tabs. "This file" shows the CloudTrail events of the AWS
// resources and API calls in the active editor's file, grouped by code reference, newest first,
// under a filter box and two toggles; "Insights & detections" shows what the detections and the
// Insights found in all stored events (findings.ts). After a lookup from the command palette, or an
// insight's "Show events", the lookup's results replace the tab's content, with a way back.
// Clicking an event asks the extension to open its full record. The filter, the folded groups and
// what is shown live in the webview state, so a view hidden and shown again comes back as it was.
import type { AuditFindings } from '../../server/protocol';
import { dataText, visibleText } from '../shared/dataText';
import { h } from '../shared/dom';
import { panelHost } from '../shared/host';
import type { AuditSourceCommand, ServerView } from '../shared/messages';
import { serverLine } from '../shared/serverLine';
import { failed, loadingDocument, noEditor, noLookupResults, noMatch, nothingImported, nothingReferenced, type EmptyStateActions } from './emptyStates';
import { eventRow, groupKey, groupSection, headerRow, type TableActions } from './eventTable';
import { filterEvents, isFiltering, noFilter, shownGroups, type EventFilter } from './filter';
import { findingsContent, windowText, type FindingsActions } from './findings';
import { plural } from './findingsText';
import type { AuditFromWebview, AuditToWebview, DocumentState, FindingsState, LookupResults } from './messages';

type Tab = 'document' | 'findings';

interface SavedState {
  mode: Tab | 'lookup';
  /** The tab a lookup's Back returns to. */
  returnTo?: Tab;
  filter: EventFilter;
  /** Keys (groupKey) of folded groups. */
  collapsed: string[];
  /** The lookup the view showed, so a reloaded page returns to it and not to an older one. */
  lookupId?: number;
}

const host = panelHost<AuditFromWebview, AuditToWebview, SavedState>();
const saved = host.state();
const state: SavedState = { mode: 'document', collapsed: [], ...saved, filter: { ...noFilter, ...saved?.filter } };
const save = () => host.saveState(state);

let server: ServerView | undefined;
let subject: DocumentState | undefined;
/** The last document whose events arrived: shown while the same document's events refresh. */
let shownDocument: Extract<DocumentState, { kind: 'ready' }> | undefined;
let lookup: LookupResults | undefined;
let sources: AuditSourceCommand[] = ['sightline.importAudit'];
/** Groups showing all their rows (the others stop at rowsPerGroup). */
const expandedGroups = new Set<string>();
let findings: FindingsState | undefined;
/** The last findings that arrived: shown while the next ones load. */
let shownFindings: AuditFindings | undefined;
/** Detections whose "Why it matters" is open. */
const openRationales = new Set<string>();

const actions: TableActions & EmptyStateActions = {
  open: (event) => host.post({ type: 'openRecord', eventId: event.id }),
  revealLine: (line) => {
    if (shownDocument) host.post({ type: 'revealLine', uri: shownDocument.uri, line });
  },
  toggleGroup: (key) => {
    const folded = new Set(state.collapsed);
    if (folded.has(key)) folded.delete(key);
    else folded.add(key);
    state.collapsed = [...folded];
    save();
    renderContent({ focusGroup: key });
  },
  showAllRows: (key) => {
    expandedGroups.add(key);
    renderContent();
  },
  run: (command) => host.post({ type: 'runCommand', command }),
  refresh: () => host.post({ type: 'refresh' }),
};

const findingsActions: FindingsActions = {
  open: (eventId) => host.post({ type: 'openRecord', eventId }),
  showInsightEvents: (insightId) => host.post({ type: 'showInsightEvents', insightId }),
  refreshFindings: () => host.post({ type: 'refreshFindings' }),
  rationaleToggled: (detectionId, open) => {
    if (open) openRationales.add(detectionId);
    else openRationales.delete(detectionId);
  },
  run: actions.run,
  refresh: () => host.post({ type: 'refreshFindings' }),
};

// ---- Layout: a toolbar, a progress line, the server's state when it is not running, the list. ----
const app = document.getElementById('app')!;
// Rows re-render as data refreshes; only the counts are announced (below), not every row.
app.removeAttribute('aria-live');

const scope = h('div', { className: 'scope' });
const filterBox = h('input', {
  className: 'filter',
  title: 'Every word must appear in the event: user, event name, resource, source IP, Region, user agent, error…',
  attrs: { type: 'search', placeholder: 'Filter: user, event, resource, IP, error…', 'aria-label': 'Filter events', spellcheck: 'false' },
});
filterBox.value = state.filter.text;
const toggle = (label: string, title: string, key: 'errorsOnly' | 'writesOnly') => {
  const button = h('button', { className: 'toggle', title, attrs: { type: 'button', 'aria-pressed': String(state.filter[key]) } }, label);
  button.addEventListener('click', () => {
    state.filter = { ...state.filter, [key]: !state.filter[key] };
    button.setAttribute('aria-pressed', String(state.filter[key]));
    save();
    renderContent();
  });
  return button;
};
const errorsToggle = toggle('Errors only', 'Only events that failed (with an errorCode)', 'errorsOnly');
const writesToggle = toggle('Writes only', 'Only events that are not read-only', 'writesOnly');
const count = h('span', { className: 'count', attrs: { 'aria-live': 'polite' } });
const refreshButton = h('button', {
  className: 'icon',
  title: 'Refresh',
  attrs: { type: 'button', 'aria-label': 'Refresh' },
  onClick: () => (tab() === 'findings' ? findingsActions.refreshFindings() : actions.refresh()),
}, '↻');
const filters = h('div', { className: 'filters' }, filterBox, errorsToggle, writesToggle);
const tabButton = (label: string, target: Tab) => h('button', {
  className: 'tab',
  role: 'tab',
  attrs: { type: 'button', 'data-tab': target },
  onClick: () => showMode(target),
}, label);
const documentTab = tabButton('This file', 'document');
const findingsTab = tabButton('Insights & detections', 'findings');
const findingsCount = h('span', { className: 'tab-count' });
findingsTab.append(findingsCount);
const tabs = h('div', { className: 'tabs', role: 'tablist', attrs: { 'aria-label': 'Audit view' } }, documentTab, findingsTab);
const toolbar = h('header', { className: 'toolbar' }, tabs, scope, filters, count, refreshButton);
const progress = h('div', { className: 'progress', attrs: { 'aria-hidden': 'true' } });
const notices = h('div', { className: 'notices' });
const content = h('div', { className: 'content' });
app.replaceChildren(toolbar, progress, notices, content);

let filterTimer: ReturnType<typeof setTimeout> | undefined;
filterBox.addEventListener('input', () => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => {
    state.filter = { ...state.filter, text: filterBox.value };
    save();
    renderContent();
  }, 60);
});
filterBox.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && filterBox.value) {
    e.stopPropagation();
    clearFilter();
  } else if (e.key === 'ArrowDown') {
    e.preventDefault();
    content.querySelector<HTMLElement>('.ev-event')?.focus();
  }
});

function clearFilter(): void {
  clearTimeout(filterTimer);
  state.filter = { ...noFilter };
  filterBox.value = '';
  errorsToggle.setAttribute('aria-pressed', 'false');
  writesToggle.setAttribute('aria-pressed', 'false');
  save();
  renderContent();
}

// Up and down move between rows, Home and End to the first and last; one row is in the tab order.
content.addEventListener('keydown', (e) => {
  const rows = [...content.querySelectorAll<HTMLElement>('.ev-event')];
  const current = (e.target as Element).closest<HTMLElement>('.ev-event');
  if (!current || rows.length === 0) return;
  const index = rows.indexOf(current);
  const next = e.key === 'ArrowDown' ? rows[index + 1] : e.key === 'ArrowUp' ? rows[index - 1] ?? filterBox
    : e.key === 'Home' ? rows[0] : e.key === 'End' ? rows[rows.length - 1] : undefined;
  if (!next) return;
  e.preventDefault();
  next.focus();
});
content.addEventListener('focusin', (e) => {
  const row = (e.target as Element).closest<HTMLElement>('.ev-event');
  if (!row) return;
  for (const other of content.querySelectorAll<HTMLElement>('.ev-event[tabindex="0"]')) if (other !== row) other.tabIndex = -1;
  row.tabIndex = 0;
});

// ---- Rendering ----
const mode = (): Tab | 'lookup' => (state.mode === 'lookup' ? (lookup ? 'lookup' : state.returnTo ?? 'document') : state.mode);
/** The tab shown, or that a lookup's Back returns to. */
const tab = (): Tab => {
  const shown = mode();
  return shown === 'lookup' ? state.returnTo ?? 'document' : shown;
};

function render(): void {
  renderNotices();
  renderTabs();
  renderScope();
  renderContent();
}

function renderTabs(): void {
  for (const button of [documentTab, findingsTab]) button.setAttribute('aria-selected', String(button.dataset.tab === tab()));
  const total = shownFindings ? shownFindings.detections.length + shownFindings.insights.length : undefined;
  findingsCount.textContent = total === undefined ? '' : String(total);
  findingsCount.title = shownFindings ? `${plural(shownFindings.detections.length, 'detection')} and ${plural(shownFindings.insights.length, 'insight')}` : '';
}

function renderNotices(): void {
  const running = server?.state === 'running';
  notices.replaceChildren(...(running ? [] : [server ? serverLine(server) : h('p', { className: 'server' }, 'Connecting to the Sightline server…')]));
  const busy = tab() === 'findings' ? findings?.kind === 'loading' : subject?.kind === 'loading';
  progress.classList.toggle('active', busy);
  content.setAttribute('aria-busy', String(busy));
}

function renderScope(): void {
  refreshButton.hidden = mode() === 'lookup';
  if (mode() === 'lookup' && lookup) {
    const back = tab() === 'findings'
      ? h('button', { className: 'back', title: 'Back to the Insights & detections', attrs: { type: 'button' }, onClick: () => showMode('findings') }, '← Insights & detections')
      : h('button', {
        className: 'back',
        title: shownDocument ? `Back to the events of ${visibleText(shownDocument.fileName)}` : 'Back to the events of the active editor',
        attrs: { type: 'button' },
        onClick: () => showMode('document'),
      }, '← ', shownDocument ? dataText(shownDocument.fileName) : 'Back');
    scope.replaceChildren(back, h('span', { className: 'scope-label' }, 'Lookup'), h('span', { className: 'scope-title', title: visibleText(lookup.title) }, dataText(lookup.title)));
    return;
  }
  if (mode() === 'findings') {
    scope.replaceChildren(shownFindings && shownFindings.storedEvents > 0
      ? h('span', { className: 'scope-summary' }, `${plural(shownFindings.events, 'event')} in ${windowText(shownFindings)}`)
      : h('span', { className: 'scope-summary' }, 'All stored events'));
    return;
  }
  const doc = shownDocument ?? (subject && subject.kind !== 'noEditor' ? subject : undefined);
  const parts: (Node | string)[] = [];
  if (doc) {
    parts.push(h('span', { className: 'scope-file', title: visibleText(decodeURIComponentSafe(doc.uri)) }, dataText(doc.fileName)));
    if (shownDocument && shownDocument.uri === doc.uri) {
      const groups = shownDocument.audit.groups;
      const events = groups.reduce((n, g) => n + g.events.length, 0);
      parts.push(h('span', { className: 'scope-summary' }, `${groups.length} ${groups.length === 1 ? 'reference' : 'references'} · ${events} ${events === 1 ? 'event' : 'events'}`));
    }
  } else {
    parts.push(h('span', { className: 'scope-file muted' }, 'No file'));
  }
  if (lookup) {
    parts.push(h('button', { className: 'link last-lookup', title: visibleText(lookup.title), attrs: { type: 'button' }, onClick: () => showMode('lookup') }, `Last lookup (${lookup.events.length})`));
  }
  scope.replaceChildren(...parts);
}

function showMode(next: Tab | 'lookup'): void {
  if (next === 'lookup' && state.mode !== 'lookup') state.returnTo = state.mode;
  state.mode = next;
  save();
  content.scrollTop = 0;
  if (next === 'findings') host.post({ type: 'loadFindings' });
  render();
}

function renderContent(options: { focusGroup?: string } = {}): void {
  // Keep the focused row (or group) and the scroll position across a re-render.
  const focusedId = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('.ev-event')?.dataset.eventId;
  const scrollTop = content.scrollTop;
  const now = Date.now();
  const filtering = isFiltering(state.filter);
  if (mode() === 'lookup' && lookup) renderLookup(lookup, now, filtering);
  else if (mode() === 'findings') renderFindings(now);
  else renderDocument(now, filtering);
  const rows = [...content.querySelectorAll<HTMLElement>('.ev-event')];
  const focused = focusedId ? rows.find((r) => r.dataset.eventId === focusedId) : undefined;
  (focused ?? rows[0])?.setAttribute('tabindex', '0');
  content.scrollTop = scrollTop;
  if (focused) focused.focus({ preventScroll: true });
  if (options.focusGroup !== undefined) {
    [...content.querySelectorAll<HTMLElement>('.group')].find((g) => g.dataset.key === options.focusGroup)?.querySelector<HTMLElement>('.caret')?.focus({ preventScroll: true });
  }
}

function renderLookup(results: LookupResults, now: number, filtering: boolean): void {
  filters.hidden = false;
  const events = filterEvents(results.events, state.filter);
  const more = results.limit !== undefined && results.events.length >= results.limit ? ' (the newest; narrow the lookup for older ones)' : '';
  count.textContent = filtering ? `${events.length} of ${results.events.length} events${more}` : `${results.events.length} ${results.events.length === 1 ? 'event' : 'events'}${more}`;
  if (results.events.length === 0) return content.replaceChildren(noLookupResults(actions));
  if (events.length === 0) return content.replaceChildren(noMatch(clearFilter));
  content.replaceChildren(h('div', { className: 'events', role: 'table', attrs: { 'aria-label': `Lookup results: ${visibleText(results.title)}` } },
    headerRow(),
    h('div', { className: 'group', role: 'rowgroup' }, ...events.map((event) => eventRow(event, now, actions)))));
}

function renderFindings(now: number): void {
  filters.hidden = true;
  count.textContent = shownFindings && shownFindings.storedEvents > 0
    ? `${plural(shownFindings.detections.length, 'detection')} · ${plural(shownFindings.insights.length, 'insight')}`
    : '';
  content.replaceChildren(...findingsContent(findings, shownFindings, { now, sources, openRationales }, findingsActions));
}

function renderDocument(now: number, filtering: boolean): void {
  count.textContent = '';
  filters.hidden = false;
  if (!subject) return content.replaceChildren(loadingDocument('the active editor'));
  if (subject.kind === 'noEditor') return content.replaceChildren(noEditor(actions));
  const doc = shownDocument && shownDocument.uri === subject.uri ? shownDocument : undefined;
  if (subject.kind === 'failed' && !doc) return content.replaceChildren(failed(subject.fileName, subject.message, actions));
  if (!doc) return content.replaceChildren(loadingDocument(subject.fileName));

  const { audit, fileName } = doc;
  const parts: HTMLElement[] = [];
  if (subject.kind === 'failed') parts.push(failed(subject.fileName, subject.message, actions));
  if (audit.storedEvents === 0) {
    parts.push(nothingImported(sources, actions));
    if (audit.groups.length > 0) parts.push(h('h3', { className: 'section-label' }, 'What this file references'));
  }
  else if (audit.groups.length === 0) parts.push(nothingReferenced(fileName, audit.storedEvents, actions));
  if (audit.groups.length === 0) return content.replaceChildren(...parts);

  const groups = shownGroups(audit.groups, state.filter);
  const total = audit.groups.reduce((n, g) => n + g.events.length, 0);
  // References without any events are listed without the event columns' header.
  filters.hidden = total === 0 && !filtering;
  const shown = groups.reduce((n, g) => n + g.events.length, 0);
  if (filtering) count.textContent = `${shown} of ${total} ${total === 1 ? 'event' : 'events'}`;
  if (groups.length === 0) return content.replaceChildren(...parts, noMatch(clearFilter));
  const folded = new Set(state.collapsed);
  parts.push(h('div', { className: 'events', role: 'table', attrs: { 'aria-label': `CloudTrail events of ${visibleText(fileName)}` } },
    total > 0 && headerRow(),
    ...groups.map((g) => groupSection(g, { collapsed: folded.has(groupKey(g.group)), allRows: expandedGroups.has(groupKey(g.group)), filtering, now }, actions))));
  content.replaceChildren(...parts);
}

function decodeURIComponentSafe(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

// Relative times ("3 min ago") age while the view is open.
setInterval(() => {
  if (document.visibilityState === 'visible') renderContent();
}, 60_000);

// ---- Messages from the extension ----
host.onMessage((message) => {
  switch (message.type) {
    case 'server':
      server = message.server;
      renderNotices();
      break;
    case 'sources':
      sources = message.available;
      if (shownDocument?.audit.storedEvents === 0 || shownFindings?.storedEvents === 0) renderContent();
      break;
    case 'findings':
      findings = message.findings;
      if (findings.kind === 'ready') shownFindings = findings.findings;
      render();
      break;
    case 'document': {
      const next = message.document;
      const newDocument = next.kind === 'noEditor' || next.uri !== (shownDocument?.uri ?? (subject && subject.kind !== 'noEditor' ? subject.uri : undefined));
      subject = next;
      if (next.kind === 'ready') shownDocument = next;
      else if (next.kind === 'noEditor' || (shownDocument && shownDocument.uri !== next.uri)) shownDocument = undefined;
      if (newDocument) {
        expandedGroups.clear();
        if (mode() === 'document') content.scrollTop = 0;
      }
      render();
      break;
    }
    case 'lookup':
      lookup = message.results;
      if (!message.show && state.mode === 'lookup' && state.lookupId !== lookup.id) {
        // A reloaded page that showed an older lookup goes back to its tab rather than pretending
        // these are the results it showed.
        state.mode = state.returnTo ?? 'document';
      }
      state.lookupId = lookup.id;
      // A new lookup is shown from the top.
      if (message.show) showMode('lookup');
      else {
        save();
        render();
      }
      break;
  }
});

render();
host.post({ type: 'ready' });
if (tab() === 'findings') host.post({ type: 'loadFindings' });
