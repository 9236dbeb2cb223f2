// The details of the selected span: what it was (service, operation, kind, status, ids, times),
// its attributes, its events at their offsets, the exception with its stack (frames that resolve
// to a workspace file open it at the line), and "Go to code" when the span has a location. A span
// without code attributes may still name a workspace function: those places are offered as
// "probably here", each labelled as matched by name, apart from what code attributes say.
import type { SpanDetail, SpanLocation } from '../../server/protocol';
import { h } from '../shared/dom';
import { exactTime, failureLabels, formatMs } from './format';
import { serviceColorClass } from './serviceColors';

export interface SpanContext {
  service: string;
  name: string;
  /** From the timeline: start offset in the trace and self time. */
  startMs: number;
  selfMs: number;
  critical: boolean;
}

export interface DetailsEvents {
  openLocation(uri: string, line: number): void;
  close(): void;
}

/** Attribute tables longer than this get a filter box. */
const filterFrom = 12;

export class DetailsPane {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly heading: HTMLElement;

  constructor(private readonly events: DetailsEvents) {
    this.heading = h('div', { className: 'details-heading' });
    this.body = h('div', { className: 'details-body' });
    this.element = h('section', { className: 'details', attrs: { 'aria-label': 'Span details', hidden: '' } },
      h('div', { className: 'details-head' }, this.heading,
        h('button', { className: 'icon', title: 'Close details (Escape)', attrs: { type: 'button', 'aria-label': 'Close details' }, onClick: () => events.close() }, '×')),
      this.body);
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  hide(): void {
    this.element.hidden = true;
  }

  /** Waiting for a span's details; `keepShown` dims the previous span's instead of clearing them (keyboard moves). */
  loading(context: SpanContext, options: { keepShown?: boolean } = {}): void {
    this.element.hidden = false;
    this.heading.replaceChildren(...title(context.service, context.name));
    if (options.keepShown && this.body.childElementCount > 0) this.body.classList.add('stale');
    else this.body.replaceChildren(h('p', { className: 'muted loading' }, 'Loading span details…'));
  }

  failed(context: SpanContext, message: string): void {
    this.element.hidden = false;
    this.body.classList.remove('stale');
    this.heading.replaceChildren(...title(context.service, context.name));
    this.body.replaceChildren(h('p', { className: 'error-text', role: 'alert' }, `The span's details could not be loaded: ${message}`));
  }

  show(span: SpanDetail | null, context: SpanContext): void {
    this.element.hidden = false;
    this.body.classList.remove('stale');
    if (!span) {
      this.heading.replaceChildren(...title(context.service, context.name));
      this.body.replaceChildren(h('p', { className: 'muted' }, 'This span is no longer stored (the traces may have been cleared or aged out).'));
      return;
    }
    const [location] = span.locations;
    const byName = location?.match === 'name';
    this.heading.replaceChildren(...present(
      ...title(span.service, span.name),
      location && h('button', {
        className: byName ? 'go-to-code-button secondary' : 'go-to-code-button',
        title: byName
          ? `Probably ${shortPath(location.uri)}:${location.line + 1}: no code attributes say where the span ran, and this function has its name`
          : `${location.uri}:${location.line + 1}`,
        attrs: { type: 'button' },
        onClick: () => this.events.openLocation(location.uri, location.line),
      }, byName ? 'Go to code (name match)' : 'Go to code'),
    ));
    this.body.replaceChildren(...present(
      this.summary(span, context),
      byName && this.nameMatches(span.locations),
      this.exception(span),
      this.attributes(span),
      this.spanEvents(span),
    ));
  }

  private summary(span: SpanDetail, context: SpanContext): HTMLElement {
    const [location] = span.locations;
    const entries: [string, string | HTMLElement][] = [
      ['Duration', formatMs(span.durationMs)],
      ['Self time', formatMs(context.selfMs)],
      ['Starts at', `+${formatMs(context.startMs)} into the trace`],
      ['Start time', exactTime(span.startNs)],
      ['Kind', span.kind],
      ['Status', span.status + (span.statusMessage ? `: ${span.statusMessage}` : '')],
    ];
    if (span.errorClass) entries.push(['Failure', h('span', { className: `badge badge-${span.errorClass}` }, failureLabels[span.errorClass])]);
    if (context.critical) entries.push(['Critical path', 'yes: this span held the trace up']);
    if (location?.match === 'attributes') entries.push(['Location', `${location.function ? `${location.function} · ` : ''}${shortPath(location.uri)}:${location.line + 1}`]);
    entries.push(['Span ID', h('code', {}, span.spanId)]);
    if (span.parentSpanId) entries.push(['Parent ID', h('code', {}, span.parentSpanId)]);
    entries.push(['Trace ID', h('code', {}, span.traceId)]);
    return h('dl', { className: 'summary' }, ...entries.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
  }

  /** The workspace functions named like the span, each openable, and why they are only a guess. */
  private nameMatches(locations: SpanLocation[]): HTMLElement {
    const many = locations.length > 1;
    return h('section', { className: 'name-matches', attrs: { 'aria-label': 'Probably here' } },
      h('h3', {}, 'Probably here'),
      h('ul', {}, ...locations.map((location) => h('li', {},
        h('button', {
          className: 'link name-match',
          title: `Open ${shortPath(location.uri)} at line ${location.line + 1}`,
          attrs: { type: 'button' },
          onClick: () => this.events.openLocation(location.uri, location.line),
        }, `${shortPath(location.uri)}:${location.line + 1}`),
        location.function ? h('code', {}, location.function) : undefined,
        h('span', { className: 'muted' }, '(matched by name)'),
      ))),
      h('p', { className: 'notice weak' }, `Matched by function name only: no code attributes say where the span ran, so ${many ? 'these are the workspace functions' : 'this is the workspace function'} with its name, which may not be the code that ran.`),
    );
  }

  private exception(span: SpanDetail): HTMLElement | undefined {
    const event = span.events.find((e) => e.name === 'exception');
    const attr = (key: string) => event?.attributes.find((a) => a.key === key)?.value;
    const type = attr('exception.type');
    const message = attr('exception.message');
    if (!type && !message && !span.stack?.length) return undefined;
    const frames = (span.stack ?? []).map((frame) => {
      const uri = frame.uri;
      if (uri === undefined) return h('li', {}, h('code', {}, frame.text));
      const line = frame.line ?? 0;
      return h('li', {}, h('button', {
        className: 'link frame',
        title: `Open ${shortPath(uri)} at line ${line + 1}`,
        attrs: { type: 'button' },
        onClick: () => this.events.openLocation(uri, line),
      }, frame.text));
    });
    return h('section', { className: 'exception', attrs: { 'aria-label': 'Exception' } },
      h('h3', {}, 'Exception'),
      (type || message) && h('p', { className: 'exception-message' }, type ? h('strong', {}, type) : undefined, type && message ? ': ' : undefined, message),
      frames.length > 0 && h('ol', { className: 'stack' }, ...frames),
    );
  }

  private attributes(span: SpanDetail): HTMLElement {
    const sorted = [...span.attributes].sort((a, b) => a.key.localeCompare(b.key));
    const rows = sorted.map((a) => h('tr', {}, h('th', { attrs: { scope: 'row' } }, a.key), h('td', {}, a.value)));
    const tbody = h('tbody', {}, ...rows);
    const section = h('section', { className: 'attributes', attrs: { 'aria-label': 'Attributes' } },
      h('h3', {}, `Attributes (${sorted.length})`));
    if (sorted.length === 0) {
      section.append(h('p', { className: 'muted' }, 'No attributes.'));
      return section;
    }
    if (sorted.length > filterFrom) {
      const filter = h('input', { className: 'attribute-filter', attrs: { type: 'search', placeholder: 'Filter attributes', 'aria-label': 'Filter attributes', spellcheck: 'false' } });
      filter.addEventListener('input', () => {
        const needle = filter.value.trim().toLowerCase();
        sorted.forEach((a, i) => {
          rows[i].hidden = needle !== '' && !a.key.toLowerCase().includes(needle) && !a.value.toLowerCase().includes(needle);
        });
      });
      section.append(filter);
    }
    section.append(h('table', { className: 'kv' }, tbody));
    return section;
  }

  private spanEvents(span: SpanDetail): HTMLElement | undefined {
    if (span.events.length === 0) return undefined;
    const events = [...span.events].sort((a, b) => a.offsetMs - b.offsetMs);
    return h('section', { className: 'events', attrs: { 'aria-label': 'Events' } },
      h('h3', {}, `Events (${events.length})`),
      h('table', { className: 'kv events-table' },
        h('tbody', {}, ...events.map((event) => h('tr', {},
          h('td', { className: 'num' }, `+${formatMs(event.offsetMs)}`),
          h('th', { attrs: { scope: 'row' } }, event.name),
          h('td', {}, ...event.attributes.map((a) => h('div', { className: 'event-attribute' }, h('span', { className: 'muted' }, `${a.key} = `), a.value))),
        ))),
      ),
    );
  }
}

function present(...nodes: (Node | undefined | false)[]): Node[] {
  return nodes.filter((node): node is Node => Boolean(node));
}

function title(service: string, name: string): HTMLElement[] {
  return [
    h('span', { className: `svc-chip ${serviceColorClass(service)}` }),
    h('span', { className: 'details-service' }, service),
    h('span', { className: 'details-name' }, name),
  ];
}

/** The last two path segments of a file URI, e.g. "src/app.py". */
function shortPath(uri: string): string {
  let path = uri;
  try {
    path = decodeURIComponent(new URL(uri).pathname);
  } catch {
    // Not a URL: show it as it came.
  }
  return path.split('/').filter(Boolean).slice(-2).join('/');
}
