// The trace list: one row per trace (root service and operation, duration with a bar relative to
// the slowest listed, span count, the worst failure, start time relative with the exact time on
// hover), virtualised like the timeline, navigable as a listbox.
import type { TraceSummary } from '../../server/protocol';
import { h } from '../shared/dom';
import { epochMs, exactTime, failureLabels, formatMs, relativeTime } from './format';
import { moveIndex, navigationAction } from './keyboard';
import { serviceColorClass } from './serviceColors';
import { VirtualList, type RowHandle } from './virtualList';

const rowHeight = 52;

interface TraceRow extends RowHandle {
  chip: HTMLElement;
  service: HTMLElement;
  operation: HTMLElement;
  duration: HTMLElement;
  bar: HTMLElement;
  spans: HTMLElement;
  badge: HTMLElement;
  time: HTMLElement;
  compare: HTMLButtonElement;
}

export interface TraceListEvents {
  open(trace: TraceSummary): void;
  compare(trace: TraceSummary): void;
}

export class TraceList {
  readonly element: HTMLElement;
  private readonly list: VirtualList<TraceRow>;
  private traces: TraceSummary[] = [];
  private slowest = 0;
  private active = -1;
  private openTraceId: string | undefined;
  private openOperation: string | undefined;
  private now = Date.now();

  constructor(private readonly events: TraceListEvents) {
    const viewport = h('div', {
      className: 'trace-list',
      role: 'listbox',
      attrs: { tabindex: '0', 'aria-label': 'Traces' },
    });
    this.element = viewport;
    this.list = new VirtualList<TraceRow>({
      viewport,
      rowHeight,
      createRow: () => this.createRow(),
      renderRow: (row, index) => this.renderRow(row, index),
    });
    viewport.addEventListener('keydown', (event) => this.onKey(event));
    viewport.addEventListener('click', (event) => {
      const option = (event.target as Element).closest<HTMLElement>('[role=option]');
      if (!option) return;
      const index = Number(option.dataset.index);
      if ((event.target as Element).closest('.compare-action')) this.events.compare(this.traces[index]);
      else this.openAt(index);
    });
  }

  setTraces(traces: TraceSummary[]): void {
    this.traces = traces;
    this.now = Date.now();
    this.slowest = traces.reduce((max, t) => Math.max(max, t.durationMs), 0);
    this.active = this.openTraceId ? traces.findIndex((t) => t.traceId === this.openTraceId) : -1;
    this.element.setAttribute('aria-activedescendant', this.active >= 0 ? `trace-option-${this.active}` : '');
    this.list.setCount(traces.length);
  }

  get items(): readonly TraceSummary[] {
    return this.traces;
  }

  /** Marks the open trace (and so which rows may be compared with it). */
  setOpen(trace: TraceSummary | undefined, traceId: string | undefined): void {
    this.openTraceId = traceId;
    this.openOperation = trace ? operationKey(trace) : undefined;
    const index = traceId ? this.traces.findIndex((t) => t.traceId === traceId) : -1;
    if (index >= 0) this.setActive(index);
    else this.list.refresh();
  }

  focus(): void {
    this.element.focus();
  }

  private createRow(): TraceRow {
    const chip = h('span', { className: 'svc-chip' });
    const service = h('span', { className: 'trace-service' });
    const operation = h('span', { className: 'trace-operation' });
    const duration = h('span', { className: 'trace-duration' });
    const bar = h('span', { className: 'trace-bar' });
    const spans = h('span', { className: 'trace-spans' });
    const badge = h('span', { className: 'badge' });
    const time = h('span', { className: 'trace-time' });
    const compare = h('button', {
      className: 'icon compare-action',
      title: 'Compare with the open trace',
      attrs: { type: 'button', tabindex: '-1', 'aria-label': 'Compare with the open trace' },
    }, '⇄');
    const element = h(
      'div',
      { className: 'trace-row', role: 'option' },
      h('div', { className: 'trace-line' }, chip, h('span', { className: 'trace-label' }, service, operation), duration),
      h('div', { className: 'trace-line trace-meta' }, spans, badge, time, compare),
      h('div', { className: 'trace-bar-track' }, bar),
    );
    return { element, chip, service, operation, duration, bar, spans, badge, time, compare };
  }

  private renderRow(row: TraceRow, index: number): void {
    const trace = this.traces[index];
    const selected = trace.traceId === this.openTraceId;
    row.element.id = `trace-option-${index}`;
    row.element.dataset.index = String(index);
    row.element.dataset.traceId = trace.traceId;
    row.element.setAttribute('aria-selected', String(selected));
    row.element.classList.toggle('active', index === this.active);
    row.element.classList.toggle('selected', selected);
    row.chip.className = `svc-chip ${serviceColorClass(trace.rootService)}`;
    row.service.textContent = trace.rootService;
    row.operation.textContent = trace.rootName;
    row.element.title = `${trace.rootService}: ${trace.rootName}\ntrace ${trace.traceId}`;
    row.duration.textContent = formatMs(trace.durationMs);
    row.bar.style.width = `${this.slowest > 0 ? Math.max(0.5, (trace.durationMs / this.slowest) * 100) : 0}%`;
    row.bar.className = `trace-bar ${serviceColorClass(trace.rootService)}`;
    row.spans.textContent = `${trace.spanCount.toLocaleString('en')} ${trace.spanCount === 1 ? 'span' : 'spans'}`;
    if (trace.errorClass || trace.errorCount > 0) {
      const kind = trace.errorClass ?? 'error';
      row.badge.hidden = false;
      row.badge.className = `badge badge-${kind}`;
      // The worst class names the badge; the count covers every failed span, whatever its class.
      row.badge.textContent = trace.errorCount > 1 ? `${kind} · ${trace.errorCount} spans` : kind;
      row.badge.title = `${trace.errorCount} failed ${trace.errorCount === 1 ? 'span' : 'spans'}; worst: ${failureLabels[kind]}`;
    } else {
      row.badge.hidden = true;
      row.badge.textContent = '';
    }
    const started = epochMs(trace.startNs);
    row.time.textContent = relativeTime(started, this.now);
    row.time.title = exactTime(trace.startNs);
    row.compare.hidden = !this.openTraceId || selected || this.openOperation !== operationKey(trace);
  }

  private onKey(event: KeyboardEvent): void {
    const action = navigationAction(event);
    if (!action) return;
    if (action === 'open') {
      if (this.active >= 0) this.openAt(this.active);
    } else if (action !== 'left' && action !== 'right' && action !== 'close') {
      this.setActive(moveIndex(action, this.active, this.traces.length, this.list.pageSize()));
    } else return;
    event.preventDefault();
  }

  private setActive(index: number): void {
    if (index < 0 || index >= this.traces.length) return;
    this.active = index;
    this.element.setAttribute('aria-activedescendant', `trace-option-${index}`);
    this.list.scrollToIndex(index);
    this.list.refresh();
  }

  private openAt(index: number): void {
    const trace = this.traces[index];
    if (!trace) return;
    this.setActive(index);
    this.events.open(trace);
  }
}

/** Traces compare when they are the same operation: root service and root span name. */
export function operationKey(trace: Pick<TraceSummary, 'rootService' | 'rootName'>): string {
  return `${trace.rootService}\u0000${trace.rootName}`;
}
