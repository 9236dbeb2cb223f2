// Trace compare, as in Jaeger: two traces of the same operation, their spans matched by path of
// service:operation from the root, and a table of durations left and right with the difference,
// largest first, drawn as bars either side of zero (slower right, faster left).
import type { TraceComparison, TraceSummary } from '../../server/protocol';
import { h } from '../shared/dom';
import { exactTime, formatDelta, formatMs } from './format';
import { operationKey } from './traceList';
import { serviceColorClass } from './serviceColors';
import { VirtualList, type RowHandle } from './virtualList';

const rowHeight = 26;

interface CompareRow extends RowHandle {
  chip: HTMLElement;
  name: HTMLElement;
  context: HTMLElement;
  left: HTMLElement;
  right: HTMLElement;
  delta: HTMLElement;
  bar: HTMLElement;
}

export interface CompareEvents {
  compare(left: string, right: string): void;
}

type Row = TraceComparison['rows'][number];

export class CompareView {
  readonly element: HTMLElement;
  private readonly leftSelect = h('select', { attrs: { 'aria-label': 'Left trace' } });
  private readonly rightSelect = h('select', { attrs: { 'aria-label': 'Right trace' } });
  private readonly compareButton: HTMLButtonElement;
  private readonly summary = h('div', { className: 'compare-summary', attrs: { 'aria-live': 'polite' } });
  private readonly table: HTMLElement;
  private readonly list: VirtualList<CompareRow>;
  private traces: readonly TraceSummary[] = [];
  private rows: Row[] = [];
  private largest = 0;
  private left: string | undefined;
  private right: string | undefined;

  constructor(private readonly events: CompareEvents) {
    this.compareButton = h('button', { attrs: { type: 'submit' } }, 'Compare');
    const swap = h('button', {
      className: 'secondary', title: 'Swap left and right', attrs: { type: 'button', 'aria-label': 'Swap left and right' },
      onClick: () => {
        [this.left, this.right] = [this.right, this.left];
        this.fillSelects();
        this.submit();
      },
    }, '⇄');
    const form = h('form', { className: 'compare-pick', attrs: { 'aria-label': 'Traces to compare' } },
      h('label', {}, h('span', {}, 'Left (baseline)'), this.leftSelect),
      swap,
      h('label', {}, h('span', {}, 'Right'), this.rightSelect),
      this.compareButton,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.leftSelect.addEventListener('change', () => {
      this.left = this.leftSelect.value || undefined;
      const left = this.summaryOf(this.left);
      const right = this.summaryOf(this.right);
      if (left && right && operationKey(left) !== operationKey(right)) this.right = undefined;
      this.fillSelects();
    });
    this.rightSelect.addEventListener('change', () => {
      this.right = this.rightSelect.value || undefined;
      this.updateButton();
    });
    const viewport = h('div', { className: 'compare-viewport', role: 'rowgroup' });
    this.table = h('div', { className: 'compare-table', role: 'table', attrs: { 'aria-label': 'Span durations compared' } },
      h('div', { className: 'compare-cols compare-head', role: 'row' },
        h('div', { role: 'columnheader' }, 'Span (service: operation)'),
        h('div', { className: 'num', role: 'columnheader' }, 'Left'),
        h('div', { className: 'num', role: 'columnheader' }, 'Right'),
        h('div', { className: 'num', role: 'columnheader' }, 'Difference'),
        h('div', { className: 'compare-bar-head', role: 'columnheader' }, h('span', {}, 'faster'), h('span', {}, 'slower')),
      ),
      viewport);
    this.table.hidden = true;
    this.list = new VirtualList<CompareRow>({ viewport, rowHeight, createRow: () => this.createRow(), renderRow: (row, i) => this.renderRow(row, i) });
    this.element = h('div', { className: 'compare' }, form, this.summary, this.table);
    this.fillSelects();
  }

  /** The traces to pick from: those in the list. */
  setTraces(traces: readonly TraceSummary[]): void {
    this.traces = traces;
    this.fillSelects();
  }

  /** Presets the pair (e.g. "Compare with…" on the open trace); `right` may be chosen later. */
  pick(left: string | undefined, right: string | undefined): void {
    this.left = left;
    this.right = right;
    this.fillSelects();
  }

  get pair(): { left?: string; right?: string } {
    return { left: this.left, right: this.right };
  }

  loading(): void {
    this.summary.replaceChildren(h('p', { className: 'muted loading' }, 'Comparing…'));
  }

  failed(message: string): void {
    this.summary.replaceChildren(h('p', { className: 'error-text', role: 'alert' }, `The traces could not be compared: ${message}`));
  }

  show(comparison: TraceComparison | null): void {
    if (!comparison) {
      this.table.hidden = true;
      this.summary.replaceChildren(h('p', { className: 'muted' }, 'One of the traces is no longer stored.'));
      return;
    }
    const { left, right } = comparison;
    const delta = right.durationMs - left.durationMs;
    const onlyLeft = comparison.rows.filter((r) => r.rightMs === undefined).length;
    const onlyRight = comparison.rows.filter((r) => r.leftMs === undefined).length;
    this.summary.replaceChildren(
      h('p', {},
        h('strong', {}, `${left.rootService}: ${left.rootName}`),
        ` took ${formatMs(left.durationMs)} on the left and ${formatMs(right.durationMs)} on the right: `,
        h('span', { className: delta > 0 ? 'slower' : delta < 0 ? 'faster' : '' }, `${formatDelta(delta)}${left.durationMs > 0 ? ` (${delta >= 0 ? '+' : '−'}${Math.abs((delta / left.durationMs) * 100).toFixed(0)}%)` : ''}`),
        '.'),
      h('p', { className: 'muted' },
        `${comparison.rows.length.toLocaleString('en')} span paths: ${onlyLeft} only on the left, ${onlyRight} only on the right. Left is `,
        h('code', { title: exactTime(left.startNs) }, left.traceId.slice(0, 16)), ', right is ',
        h('code', { title: exactTime(right.startNs) }, right.traceId.slice(0, 16)), '.'),
    );
    this.rows = [...comparison.rows].sort((a, b) => Math.abs(b.deltaMs) - Math.abs(a.deltaMs));
    this.largest = this.rows.reduce((max, r) => Math.max(max, Math.abs(r.deltaMs)), 0);
    this.table.hidden = false;
    this.table.setAttribute('aria-rowcount', String(this.rows.length + 1));
    this.list.viewport.scrollTop = 0;
    this.list.setCount(this.rows.length);
  }

  private submit(): void {
    if (this.left && this.right) this.events.compare(this.left, this.right);
  }

  private summaryOf(traceId: string | undefined): TraceSummary | undefined {
    return traceId ? this.traces.find((t) => t.traceId === traceId) : undefined;
  }

  private fillSelects(): void {
    const option = (trace: TraceSummary) => h('option', { attrs: { value: trace.traceId } },
      `${trace.rootService}: ${trace.rootName} · ${formatMs(trace.durationMs)} · ${trace.spanCount} spans · ${trace.traceId.slice(0, 8)}`);
    const unknown = (traceId: string) => h('option', { attrs: { value: traceId } }, `trace ${traceId} (not in the list)`);
    const placeholder = (text: string) => h('option', { attrs: { value: '' } }, text);
    this.leftSelect.replaceChildren(placeholder('Choose a trace…'), ...this.traces.map(option));
    if (this.left && !this.summaryOf(this.left)) this.leftSelect.append(unknown(this.left));
    this.leftSelect.value = this.left ?? '';
    const left = this.summaryOf(this.left);
    const candidates = left ? this.traces.filter((t) => t.traceId !== left.traceId && operationKey(t) === operationKey(left)) : [];
    this.rightSelect.replaceChildren(
      placeholder(!this.left ? 'Choose the left trace first' : candidates.length ? 'Choose a trace of the same operation…' : 'No other trace of this operation is listed'),
      ...candidates.map(option));
    if (this.right && !candidates.some((t) => t.traceId === this.right)) this.rightSelect.append(unknown(this.right));
    this.rightSelect.value = this.right ?? '';
    this.updateButton();
  }

  private updateButton(): void {
    this.compareButton.disabled = !(this.left && this.right);
  }

  private createRow(): CompareRow {
    const chip = h('span', { className: 'svc-chip' });
    const name = h('span', { className: 'compare-name' });
    const context = h('span', { className: 'compare-context muted' });
    const left = h('div', { className: 'num', role: 'cell' });
    const right = h('div', { className: 'num', role: 'cell' });
    const delta = h('div', { className: 'num delta', role: 'cell' });
    const bar = h('span', { className: 'delta-bar' });
    const element = h('div', { className: 'compare-cols compare-row', role: 'row' },
      h('div', { className: 'compare-span', role: 'cell' }, chip, name, context), left, right, delta,
      h('div', { className: 'compare-bar-cell', role: 'cell' }, h('span', { className: 'zero-line' }), bar));
    return { element, chip, name, context, left, right, delta, bar };
  }

  private renderRow(row: CompareRow, index: number): void {
    const r = this.rows[index];
    row.element.setAttribute('aria-rowindex', String(index + 2));
    row.element.title = r.path;
    row.chip.className = `svc-chip ${serviceColorClass(r.service)}`;
    row.name.textContent = `${r.service}: ${r.name}`;
    // Paths read "svc:op › svc:op › … [#n]": the caller and the occurrence tell equal names apart.
    const occurrence = / #(\d+)$/.exec(r.path)?.[1];
    const segments = r.path.replace(/ #\d+$/, '').split(' › ');
    const caller = segments.length > 1 ? segments[segments.length - 2] : undefined;
    row.context.textContent = [occurrence && `#${occurrence}`, caller ? `in ${caller.replace(':', ': ')}` : 'root'].filter(Boolean).join(' ');
    row.left.textContent = r.leftMs === undefined ? '—' : formatMs(r.leftMs);
    row.right.textContent = r.rightMs === undefined ? '—' : formatMs(r.rightMs);
    row.left.title = r.leftMs === undefined ? 'only in the right trace' : '';
    row.right.title = r.rightMs === undefined ? 'only in the left trace' : '';
    row.delta.textContent = formatDelta(r.deltaMs);
    row.delta.className = `num delta${r.deltaMs > 0 ? ' slower' : r.deltaMs < 0 ? ' faster' : ''}`;
    const half = this.largest > 0 ? (Math.abs(r.deltaMs) / this.largest) * 50 : 0;
    row.bar.className = `delta-bar${r.deltaMs > 0 ? ' slower' : ' faster'}`;
    row.bar.style.width = `${half}%`;
    row.bar.style.left = r.deltaMs > 0 ? '50%' : `${50 - half}%`;
  }
}
