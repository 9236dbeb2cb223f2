// The event table: one row per CloudTrail event (time, who, what, which resource, from where,
// error), in groups headed by the code reference they belong to. Every string from an event goes
// in through dataText/visibleText: text nodes with invisible characters made visible, never HTML.
import type { AuditEventView, AuditGroup } from '../../server/protocol';
import { dataText, visibleText } from '../shared/dataText';
import { h } from '../shared/dom';
import { relativeTime } from '../traces/format';
import type { ShownGroup } from './filter';

/** A group shows this many rows until asked for all of them. */
export const rowsPerGroup = 20;

export interface TableActions {
  open(event: AuditEventView): void;
  revealLine(line: number): void;
  toggleGroup(key: string): void;
  showAllRows(key: string): void;
}

/** Names a group across refreshes: a file may reference the same text as a call and as a resource. */
export const groupKey = (group: AuditGroup) => `${group.kind} ${group.title}`;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "2026-05-01 14:03:07 local · 2026-05-01T12:03:07.000Z" */
export function exactTime(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown time';
  const d = new Date(ms);
  const local = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return `${local} local · ${d.toISOString()}`;
}

/** "s3" for "s3.amazonaws.com"; other sources as they are. */
export function shortSource(eventSource: string): string {
  return eventSource.endsWith('.amazonaws.com') ? eventSource.slice(0, -'.amazonaws.com'.length) : eventSource;
}

function resourceLabel(r: AuditEventView['resources'][number]): string {
  return r.name ?? r.arn ?? r.type ?? '';
}

export function headerRow(): HTMLElement {
  const column = (label: string, className: string) => h('div', { className: `ev-cell ${className}`, role: 'columnheader' }, label);
  return h('div', { className: 'ev-row ev-head', role: 'row' },
    column('Time', 'c-time'), column('Who', 'c-who'), column('Event', 'c-what'),
    column('Resource', 'c-resource'), column('Source', 'c-where'), column('Error', 'c-error'));
}

export function eventRow(event: AuditEventView, now: number, actions: TableActions): HTMLElement {
  const failed = Boolean(event.errorCode || event.errorMessage);
  const cell = (className: string, title: string | undefined, ...children: (Node | string | false | undefined)[]) =>
    h('div', { className: `ev-cell ${className}`, role: 'cell', title: title ? visibleText(title) : undefined }, ...children);

  // "alice (AssumedRole deploy-role)": the name stands out, the identity type is secondary.
  const who = /^(.*?) (\(.*\))$/.exec(event.who);
  const resources = event.resources.filter((r) => resourceLabel(r) !== '');
  const where = [
    { className: 'ip', text: event.sourceIp },
    { className: 'region', text: event.region },
    { className: 'agent', text: event.userAgent },
  ].filter((part) => part.text);

  const row = h('div', {
    className: `ev-row ev-event${failed ? ' failed' : ''}${event.readOnly ? '' : ' write'}`,
    role: 'row',
    attrs: { tabindex: '-1', 'data-event-id': event.id, 'aria-label': visibleText(rowSummary(event)) },
    onClick: () => actions.open(event),
  },
  cell('c-time', exactTime(event.time), h('span', { className: 'ev-time', attrs: { 'data-time': String(event.time) } }, relativeTime(event.time, now))),
  cell('c-who', event.who,
    who ? h('span', { className: 'who-name' }, dataText(who[1])) : h('span', { className: 'who-name' }, dataText(event.who)),
    who ? h('span', { className: 'who-detail' }, ' ', dataText(who[2])) : undefined),
  cell('c-what', `${event.eventSource} ${event.eventName}\n${event.readOnly ? 'Read-only' : 'Write'} · ${event.management ? 'management' : 'data'} event`,
    h('span', { className: 'ev-source' }, dataText(shortSource(event.eventSource)), ':'),
    h('span', { className: 'ev-name' }, dataText(event.eventName)),
    h('span', { className: event.readOnly ? 'badge badge-read' : 'badge badge-write' }, event.readOnly ? 'read' : 'write'),
    h('span', { className: event.management ? 'badge badge-mgmt' : 'badge badge-data' }, event.management ? 'mgmt' : 'data')),
  cell('c-resource', resources.map((r) => [r.type, r.name, r.arn].filter(Boolean).join(' ')).join('\n'),
    resources.length ? h('span', { className: 'res-name' }, dataText(resourceLabel(resources[0]))) : h('span', { className: 'none' }, '—'),
    resources.length > 1 && h('span', { className: 'more' }, `+${resources.length - 1}`)),
  cell('c-where', `Source IP: ${event.sourceIp}\nRegion: ${event.region}\nUser agent: ${event.userAgent}`,
    ...where.flatMap((part, i) => [i > 0 && h('span', { className: 'sep' }, ' · '), h('span', { className: part.className }, dataText(part.text))]),
    where.length === 0 && h('span', { className: 'none' }, '—')),
  cell('c-error', failed ? [event.errorCode, event.errorMessage].filter(Boolean).join(': ') : undefined,
    event.errorCode && h('span', { className: 'err-code' }, dataText(event.errorCode)),
    event.errorMessage && h('span', { className: 'err-msg' }, dataText(event.errorMessage))),
  );
  row.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      actions.open(event);
    }
  });
  return row;
}

/** One line a screen reader reads for a row. */
function rowSummary(event: AuditEventView): string {
  const error = event.errorCode ? `, failed with ${event.errorCode}` : '';
  return `${event.eventName} by ${event.who}, ${relativeTime(event.time, Date.now())}, from ${event.sourceIp || 'unknown address'}${error}`;
}

export interface GroupOptions {
  collapsed: boolean;
  allRows: boolean;
  /** The filter is on: counts say "3 of 12 events". */
  filtering: boolean;
  now: number;
}

export function groupSection(shown: ShownGroup, options: GroupOptions, actions: TableActions): HTMLElement {
  const { group, events } = shown;
  const key = groupKey(group);
  const caret = h('button', {
    className: 'caret',
    title: options.collapsed ? 'Show the events' : 'Hide the events',
    attrs: { type: 'button', 'aria-expanded': String(!options.collapsed), 'aria-label': `${visibleText(group.title)}: ${options.collapsed ? 'show' : 'hide'} events` },
    onClick: () => actions.toggleGroup(key),
  }, options.collapsed ? '▸' : '▾');
  const head = h('div', { className: `group-head${group.failures > 0 ? ' has-failures' : ''}`, role: 'row' },
    h('div', { className: 'group-cell', role: 'cell' },
      events.length > 0 ? caret : h('span', { className: 'caret-space' }),
      h('span', { className: `kind kind-${group.kind}` }, group.kind === 'call' ? 'API call' : 'resource'),
      h('span', { className: 'group-title', title: visibleText(group.title) }, dataText(group.title)),
      lineLinks(group, actions),
      h('span', { className: 'group-count' }, countLabel(group, events.length, options.filtering)),
      failureSummary(group),
      events.length > 0 && h('span', { className: 'group-newest', title: exactTime(events[0].time) }, `latest ${relativeTime(events[0].time, options.now)}`)));
  // A click anywhere on the header but its links folds the group.
  head.addEventListener('click', (e) => {
    if (events.length > 0 && !(e.target as Element).closest('button')) actions.toggleGroup(key);
  });

  const section = h('div', { className: 'group', role: 'rowgroup', attrs: { 'data-group': group.title, 'data-key': key } }, head);
  if (options.collapsed || events.length === 0) return section;
  const limit = options.allRows ? events.length : rowsPerGroup;
  for (const event of events.slice(0, limit)) section.append(eventRow(event, options.now, actions));
  if (events.length > limit) {
    section.append(h('div', { className: 'more-row', role: 'row' },
      h('div', { role: 'cell' }, h('button', { className: 'link', attrs: { type: 'button' }, onClick: () => actions.showAllRows(key) }, `Show ${events.length - limit} more`))));
  }
  return section;
}

function countLabel(group: AuditGroup, shown: number, filtering: boolean): string {
  const total = group.events.length;
  if (total === 0) return 'no events recorded';
  const events = `${total} ${total === 1 ? 'event' : 'events'}`;
  return filtering && shown !== total ? `${shown} of ${events}` : events;
}

/** "line 12, 40" as links that reveal the line; many lines end in "+3". */
function lineLinks(group: AuditGroup, actions: TableActions): HTMLElement | undefined {
  if (group.lines.length === 0) return undefined;
  const lines = [...new Set(group.lines)].sort((a, b) => a - b);
  const shown = lines.slice(0, 6);
  const links = shown.flatMap((line, i) => [
    i > 0 && ', ',
    h('button', {
      className: 'link line-link',
      title: `Go to line ${line + 1}`,
      attrs: { type: 'button', 'data-line': String(line) },
      onClick: () => actions.revealLine(line),
    }, String(line + 1)),
  ]);
  return h('span', { className: 'group-lines' }, lines.length === 1 ? 'line ' : 'lines ', ...links, lines.length > shown.length && ` +${lines.length - shown.length}`);
}

function failureSummary(group: AuditGroup): HTMLElement | undefined {
  if (group.failures <= 0) return undefined;
  const codes = [...group.failureCodes].sort((a, b) => b.count - a.count);
  const text = `${group.failures} failed in 24 h`;
  const detail = codes.slice(0, 3).map((c) => `${visibleText(c.code)} ×${c.count}`).join(', ');
  return h('span', { className: 'group-failures', title: codes.map((c) => `${visibleText(c.code)}: ${c.count}`).join('\n') }, text, detail ? ` · ${detail}` : '');
}
