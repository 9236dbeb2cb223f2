// The waterfall of one trace: a tree grid with one row per visible span (service colour,
// indentation by depth, caret to collapse or expand a subtree, failure marks, "Go to code"),
// its duration and self time, and a bar on a time axis with ticks. Rows are virtualised, so a
// 100,000-span trace costs as much to draw as a 40-span one. Above the rows, an overview of the
// whole trace (./minimap). The toolbar toggles the critical path, expands or collapses everything,
// jumps to the next failure, finds spans by name or id, and resets a zoom made by dragging across
// the axis or the overview (or by double-clicking a bar).
import type { TraceTimeline } from '../../server/protocol';
import { h } from '../shared/dom';
import { failureLabels, failureNames, formatMs } from './format';
import { moveIndex, navigationAction } from './keyboard';
import { Minimap } from './minimap';
import { serviceColorClass } from './serviceColors';
import { ticks } from './timeAxis';
import { TimelineModel } from './timelineModel';
import { VirtualList, type RowHandle } from './virtualList';

export const timelineRowHeight = 24;
/** Indentation stops growing here; deeper rows say their depth in the tooltip and aria-level. */
const maxIndentDepth = 32;
const indentPx = 14;

interface SpanRow extends RowHandle {
  indent: HTMLElement;
  caret: HTMLElement;
  chip: HTMLElement;
  service: HTMLElement;
  name: HTMLElement;
  mark: HTMLElement;
  code: HTMLButtonElement;
  duration: HTMLElement;
  self: HTMLElement;
  bar: HTMLElement;
  label: HTMLElement;
}

export interface TimelineEvents {
  /** The selected span changed (by click or keyboard). */
  select(row: number): void;
  /** Enter or a click: show the span's details. */
  openDetails(row: number): void;
  closeDetails(): void;
  goToCode(row: number): void;
  /** The critical path toggle changed, for the panel's saved state. */
  criticalPathChanged(on: boolean): void;
}

export class TimelineView {
  readonly element: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly axis: HTMLElement;
  private readonly tickLines: HTMLElement;
  private readonly zoomBox: HTMLElement;
  private readonly list: VirtualList<SpanRow>;
  private readonly minimap: Minimap;
  private readonly criticalButton: HTMLButtonElement;
  private readonly resetZoomButton: HTMLButtonElement;
  private readonly nextFailureButton: HTMLButtonElement;
  private readonly findInput: HTMLInputElement;
  private readonly findCount: HTMLElement;
  private current: TimelineModel | undefined;
  private colorOf: string[] = [];
  private selected = -1;
  private from = 0;
  private to = 1;
  private criticalPath = false;
  private matches: Int32Array = new Int32Array(0);
  private matchOf: Uint8Array = new Uint8Array(0);
  private matchCursor = -1;

  constructor(private readonly events: TimelineEvents) {
    this.criticalButton = toolbarButton('Critical path', 'Highlight the spans that determined the trace\'s duration', () => this.setCriticalPath(!this.criticalPath));
    this.criticalButton.setAttribute('aria-pressed', 'false');
    this.resetZoomButton = toolbarButton('Reset zoom', 'Show the whole trace again', () => this.setWindow(0, this.current?.timeline.durationMs ?? 1));
    this.resetZoomButton.hidden = true;
    this.nextFailureButton = toolbarButton('Next failure', 'Select the next span with an error, fault or throttle', () => this.selectNextFailure());
    this.findInput = h('input', { className: 'find', attrs: { type: 'search', placeholder: 'Find spans…', 'aria-label': 'Find spans by service, operation or span id', spellcheck: 'false' } });
    this.findCount = h('span', { className: 'find-count', attrs: { 'aria-live': 'polite' } });
    this.findInput.addEventListener('input', () => this.find(this.findInput.value));
    this.findInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this.stepMatch(event.shiftKey ? -1 : 1);
      } else if (event.key === 'Escape' && this.findInput.value) {
        event.stopPropagation();
        this.findInput.value = '';
        this.find('');
      }
    });
    const toolbar = h('div', { className: 'toolbar', role: 'toolbar', attrs: { 'aria-label': 'Timeline' } },
      this.criticalButton,
      toolbarButton('Expand all', 'Expand every subtree', () => this.mutate((m) => m.expandAll())),
      toolbarButton('Collapse all', 'Show the root spans only', () => this.mutate((m) => m.collapseToDepth(0))),
      this.nextFailureButton,
      this.resetZoomButton,
      h('span', { className: 'toolbar-fill' }),
      this.findInput,
      this.findCount,
    );

    const splitter = h('div', { className: 'splitter', attrs: { 'aria-hidden': 'true' }, title: 'Drag to resize the span column' });
    this.zoomBox = h('div', { className: 'zoom-box', attrs: { hidden: '' } });
    this.axis = h('div', { className: 'tl-axis', role: 'columnheader', title: 'Drag across the axis to zoom in' }, this.zoomBox);
    const header = h('div', { className: 'tl-head', role: 'rowgroup' },
      h('div', { className: 'tl-cols', role: 'row' },
        h('div', { className: 'tl-name-head', role: 'columnheader' }, 'Service and operation', splitter),
        h('div', { className: 'num', role: 'columnheader' }, 'Duration'),
        h('div', { className: 'num', role: 'columnheader', title: 'Time not covered by child spans' }, 'Self'),
        this.axis,
      ),
    );
    this.minimap = new Minimap({
      zoom: (from, to) => this.setWindow(from, to),
      resetZoom: () => this.setWindow(0, this.current?.timeline.durationMs ?? 1),
      scrollToRow: (row) => this.scrollToRow(row),
    });
    const overview = h('div', { className: 'tl-cols tl-overview', attrs: { 'aria-hidden': 'true' } },
      h('div', { className: 'overview-label' }, 'Overview'), h('div'), h('div'), this.minimap.element);
    this.tickLines = h('div', { className: 'tl-ticks' });
    const viewport = h('div', { className: 'tl-viewport', role: 'rowgroup' });
    this.grid = h('div', {
      className: 'timeline',
      role: 'treegrid',
      attrs: { tabindex: '0', 'aria-label': 'Spans', 'aria-readonly': 'true' },
    }, overview, header, h('div', { className: 'tl-body' }, h('div', { className: 'tl-cols tl-ticks-layer', attrs: { 'aria-hidden': 'true' } }, h('div'), h('div'), h('div'), this.tickLines), viewport));
    this.element = h('div', { className: 'timeline-pane' }, toolbar, this.grid);

    this.list = new VirtualList<SpanRow>({
      viewport,
      rowHeight: timelineRowHeight,
      overscan: 12,
      createRow: () => this.createRow(),
      renderRow: (row, position) => this.renderRow(row, position),
      rendered: (first, last) => this.updateMinimapView(first, last),
    });
    this.grid.addEventListener('keydown', (event) => this.onKey(event));
    viewport.addEventListener('click', (event) => this.onClick(event));
    viewport.addEventListener('dblclick', (event) => {
      const row = rowOf(event.target);
      if (row !== undefined && this.current && (event.target as Element).closest('.tl-bar-cell')) {
        const t = this.current.timeline;
        this.setWindow(t.startMs[row], t.startMs[row] + Math.max(t.spanMs[row], t.durationMs / 1000));
      }
    });
    new ResizeObserver(() => {
      this.grid.style.setProperty('--scrollbar', `${viewport.offsetWidth - viewport.clientWidth}px`);
      this.drawAxis();
    }).observe(viewport);
    this.enableColumnResize(splitter);
    this.enableZoom();
  }

  get timeline(): TraceTimeline | undefined {
    return this.current?.timeline;
  }

  /** The shown trace's model: its collapse state and totals (depth, failures, critical path). */
  get model(): TimelineModel | undefined {
    return this.current;
  }

  get selectedRow(): number {
    return this.selected;
  }

  /** Shows a trace, with a span selected when `spanId` is given (e.g. restoring the panel). */
  show(timeline: TraceTimeline, options: { spanId?: string; criticalPath: boolean }): void {
    const model = new TimelineModel(timeline);
    this.current = model;
    this.colorOf = timeline.strings.map((s) => serviceColorClass(s));
    this.grid.setAttribute('aria-label', `Spans of trace ${timeline.traceId}`);
    this.nextFailureButton.disabled = model.failures[1] + model.failures[2] + model.failures[3] === 0;
    this.from = 0;
    this.to = timeline.durationMs > 0 ? timeline.durationMs : 1;
    this.resetZoomButton.hidden = true;
    this.criticalPath = options.criticalPath;
    this.updateCriticalButton();
    this.selected = -1;
    this.grid.removeAttribute('aria-activedescendant');
    this.drawAxis();
    this.list.viewport.scrollTop = 0;
    this.updateRows();
    this.find(this.findInput.value, false);
    this.minimap.show(timeline);
    const row = options.spanId ? timeline.spanIds.indexOf(options.spanId) : -1;
    if (row >= 0) this.select(row, 'center');
  }

  focus(): void {
    this.grid.focus();
  }

  /** The span at `row` is selected; its ancestors expand so it can be seen. */
  select(row: number, align: 'nearest' | 'center' = 'nearest'): void {
    const model = this.current;
    if (!model || row < 0 || row >= model.size) return;
    const wasVisible = model.positionOf(row) >= 0;
    model.reveal(row);
    if (!wasVisible) this.updateRows();
    const previous = this.selected;
    this.selected = row;
    this.grid.setAttribute('aria-activedescendant', `span-row-${row}`);
    this.list.scrollToIndex(model.positionOf(row), align);
    if (previous >= 0) this.list.refreshIndex(model.positionOf(previous));
    this.list.refreshIndex(model.positionOf(row));
    this.events.select(row);
  }

  private mutate(change: (model: TimelineModel) => void): void {
    if (!this.current) return;
    const keep = this.selected;
    change(this.current);
    this.updateRows();
    if (keep >= 0) {
      // A selection inside a collapsed subtree moves up to the nearest visible ancestor.
      let row = keep;
      while (row >= 0 && this.current.positionOf(row) < 0) row = this.current.parentOf(row);
      if (row >= 0 && row !== keep) this.select(row);
      else if (row >= 0) this.list.scrollToIndex(this.current.positionOf(row));
    }
  }

  private updateRows(): void {
    const count = this.current?.visibleCount ?? 0;
    this.grid.setAttribute('aria-rowcount', String(count + 1));
    this.list.setCount(count);
  }

  private setCriticalPath(on: boolean): void {
    this.criticalPath = on;
    this.updateCriticalButton();
    this.events.criticalPathChanged(on);
  }

  private updateCriticalButton(): void {
    this.grid.classList.toggle('critical-on', this.criticalPath);
    this.criticalButton.setAttribute('aria-pressed', String(this.criticalPath));
    const model = this.current;
    this.criticalButton.title = model
      ? `Critical path: ${model.criticalCount.toLocaleString('en')} spans whose own time adds up to ${formatMs(model.criticalSelfMs)}`
      : 'Highlight the spans that determined the trace\'s duration';
  }

  private setWindow(from: number, to: number): void {
    const total = this.current?.timeline.durationMs ?? 1;
    this.from = Math.max(0, from);
    this.to = Math.min(Math.max(total, 1e-6), to);
    if (this.to - this.from < 1e-6) this.to = this.from + 1e-6;
    this.resetZoomButton.hidden = this.from <= 0 && this.to >= total;
    this.drawAxis();
    this.list.refresh();
  }

  private updateMinimapView(first: number, last: number): void {
    const model = this.current;
    if (!model || model.visibleCount === 0) return;
    const lastVisible = Math.max(first, Math.min(last, model.visibleCount) - 1);
    this.minimap.setView(this.from, this.to, model.rowAt(first), model.rowAt(lastVisible));
  }

  /** Scrolls a row into the middle of the view (its nearest visible ancestor, when it is collapsed). */
  private scrollToRow(row: number): void {
    const model = this.current;
    if (!model) return;
    while (row >= 0 && model.positionOf(row) < 0) row = model.parentOf(row);
    if (row >= 0) this.list.scrollToIndex(model.positionOf(row), 'center');
  }

  private drawAxis(): void {
    const width = this.tickLines.clientWidth || this.axis.clientWidth || 600;
    const marks = ticks(this.from, this.to, Math.max(2, Math.floor(width / 90)));
    const labels = marks.map((tick) => {
      const label = h('span', { className: 'tick-label' }, tick.label);
      label.style.left = `${tick.at * 100}%`;
      label.classList.toggle('tick-end', tick.at > 0.92);
      return label;
    });
    this.axis.replaceChildren(this.zoomBox, ...labels);
    this.tickLines.replaceChildren(...marks.map((tick) => {
      const line = h('span', { className: 'tick-line' });
      line.style.left = `${tick.at * 100}%`;
      return line;
    }));
  }

  private createRow(): SpanRow {
    const indent = h('span', { className: 'indent' });
    const caret = h('span', { className: 'caret', attrs: { 'aria-hidden': 'true' } });
    const chip = h('span', { className: 'svc-chip' });
    const service = h('span', { className: 'span-service' });
    const name = h('span', { className: 'span-name' });
    const mark = h('span', { className: 'mark' });
    const code = h('button', {
      className: 'icon go-to-code',
      title: 'Go to code',
      attrs: { type: 'button', tabindex: '-1', 'aria-label': 'Go to code' },
    }, '</>');
    const duration = h('div', { className: 'num', role: 'gridcell' });
    const self = h('div', { className: 'num self', role: 'gridcell' });
    const bar = h('span', { className: 'bar' });
    const label = h('span', { className: 'bar-label' });
    const element = h('div', { className: 'tl-cols tl-row', role: 'row' },
      h('div', { className: 'tl-name', role: 'gridcell' }, indent, caret, chip, service, name, mark, code),
      duration,
      self,
      h('div', { className: 'tl-bar-cell', role: 'gridcell' }, bar, label),
    );
    return { element, indent, caret, chip, service, name, mark, code, duration, self, bar, label };
  }

  private renderRow(handle: SpanRow, position: number): void {
    const model = this.current!;
    const t = model.timeline;
    const row = model.rowAt(position);
    const depth = t.depth[row];
    const e = handle.element;
    e.id = `span-row-${row}`;
    e.dataset.row = String(row);
    e.setAttribute('aria-level', String(depth + 1));
    e.setAttribute('aria-rowindex', String(position + 2));
    e.setAttribute('aria-selected', String(row === this.selected));
    const hasChildren = model.hasChildren(row);
    const collapsed = hasChildren && model.isCollapsed(row);
    if (hasChildren) e.setAttribute('aria-expanded', String(!collapsed));
    else e.removeAttribute('aria-expanded');
    const failure = failureNames[t.failure[row]];
    e.className = `tl-cols tl-row${row === this.selected ? ' selected' : ''}${t.critical[row] ? ' crit' : ''}${failure ? ` failed ${failure}` : ''}${this.matchOf[row] ? ' match' : ''}`;

    handle.indent.style.width = `${Math.min(depth, maxIndentDepth) * indentPx}px`;
    handle.caret.textContent = hasChildren ? (collapsed ? '▸' : '▾') : '';
    handle.caret.title = hasChildren ? `${collapsed ? 'Expand' : 'Collapse'} ${model.childCount[row]} child ${model.childCount[row] === 1 ? 'span' : 'spans'} (${(model.subtreeEnd[row] - row - 1).toLocaleString('en')} below)` : '';
    const serviceName = t.strings[t.service[row]] ?? '';
    const spanName = t.strings[t.name[row]] ?? '';
    handle.chip.className = `svc-chip ${this.colorOf[t.service[row]] ?? ''}`;
    handle.service.textContent = serviceName;
    handle.name.textContent = spanName;
    handle.mark.textContent = failure ? failure[0].toUpperCase() : '';
    handle.mark.className = failure ? `mark mark-${failure}` : 'mark';
    handle.mark.title = failure ? failureLabels[failure] : '';
    handle.code.hidden = !t.hasCode[row];
    const start = t.startMs[row];
    const duration = t.spanMs[row];
    handle.duration.textContent = formatMs(duration);
    handle.self.textContent = formatMs(t.selfMs[row]);
    e.title = `${serviceName}: ${spanName}\nstarts at +${formatMs(start)}, takes ${formatMs(duration)} (self ${formatMs(t.selfMs[row])})${depth > maxIndentDepth ? `\ndepth ${depth}` : ''}${t.critical[row] ? '\non the critical path' : ''}${failure ? `\n${failureLabels[failure]}` : ''}`;

    const window = this.to - this.from;
    const left = ((start - this.from) / window) * 100;
    const width = (duration / window) * 100;
    const right = left + width;
    handle.bar.style.left = `${left}%`;
    handle.bar.style.width = `${width}%`;
    handle.bar.className = `bar ${this.colorOf[t.service[row]] ?? ''}`;
    handle.label.textContent = formatMs(duration);
    // After the bar when there is room, else before it, else inside its right end.
    if (right <= 85) {
      handle.label.style.left = `${Math.max(0, right)}%`;
      handle.label.style.right = '';
      handle.label.className = 'bar-label after';
    } else if (left >= 15) {
      handle.label.style.left = '';
      handle.label.style.right = `${100 - left}%`;
      handle.label.className = 'bar-label before';
    } else {
      handle.label.style.left = '';
      handle.label.style.right = `${Math.max(0, 100 - right)}%`;
      handle.label.className = 'bar-label inside';
    }
  }

  private onClick(event: MouseEvent): void {
    const row = rowOf(event.target);
    if (row === undefined || !this.current) return;
    const target = event.target as Element;
    if (target.closest('.go-to-code')) {
      this.events.goToCode(row);
      return;
    }
    if (target.closest('.caret') && this.current.hasChildren(row)) {
      this.mutate((m) => m.toggle(row));
      return;
    }
    this.select(row);
    this.events.openDetails(row);
    this.grid.focus({ preventScroll: true });
  }

  private onKey(event: KeyboardEvent): void {
    const model = this.current;
    const action = navigationAction(event);
    if (!model || !action || (event.target as Element) !== this.grid) return;
    event.preventDefault();
    const row = this.selected;
    const position = row >= 0 ? model.positionOf(row) : -1;
    switch (action) {
      case 'left':
        if (row < 0) return;
        if (model.hasChildren(row) && !model.isCollapsed(row)) this.mutate((m) => m.setCollapsed(row, true));
        else if (model.parentOf(row) >= 0) this.select(model.parentOf(row));
        return;
      case 'right':
        if (row < 0) return;
        if (model.hasChildren(row) && model.isCollapsed(row)) this.mutate((m) => m.setCollapsed(row, false));
        else if (model.hasChildren(row)) this.select(row + 1);
        return;
      case 'open':
        if (row >= 0) this.events.openDetails(row);
        return;
      case 'close':
        this.events.closeDetails();
        return;
      default: {
        const next = moveIndex(action, position, model.visibleCount, this.list.pageSize());
        if (next >= 0) this.select(model.rowAt(next));
      }
    }
  }

  private selectNextFailure(): void {
    const model = this.current;
    if (!model) return;
    const failure = model.timeline.failure;
    for (let k = 1; k <= model.size; k++) {
      const row = (this.selected + k + model.size) % model.size;
      if (failure[row] > 0) {
        this.select(row, 'center');
        this.events.openDetails(row);
        return;
      }
    }
  }

  /** Marks spans whose service, operation or id contains `text` (case-insensitive). */
  private find(text: string, jump = true): void {
    const model = this.current;
    const needle = text.trim().toLowerCase();
    this.matchCursor = -1;
    if (!model || !needle) {
      const hadMatches = this.matches.length > 0;
      this.matches = new Int32Array(0);
      this.matchOf = new Uint8Array(model?.size ?? 0);
      this.findCount.textContent = '';
      if (hadMatches) this.list.refresh();
      return;
    }
    const t = model.timeline;
    // Match each distinct string once, then look rows up by their string indices.
    const stringMatches = Uint8Array.from(t.strings, (s) => (s.toLowerCase().includes(needle) ? 1 : 0));
    const matchOf = new Uint8Array(model.size);
    const found: number[] = [];
    for (let row = 0; row < model.size; row++) {
      if (stringMatches[t.service[row]] || stringMatches[t.name[row]] || t.spanIds[row].startsWith(needle)) {
        matchOf[row] = 1;
        found.push(row);
      }
    }
    this.matchOf = matchOf;
    this.matches = Int32Array.from(found);
    this.findCount.textContent = found.length === 0 ? 'no match' : `${found.length.toLocaleString('en')} found`;
    this.list.refresh();
    if (jump && found.length > 0) this.stepMatch(1);
  }

  private stepMatch(direction: 1 | -1): void {
    const count = this.matches.length;
    if (count === 0) return;
    this.matchCursor = (this.matchCursor + direction + count) % count;
    this.findCount.textContent = `${this.matchCursor + 1} of ${count.toLocaleString('en')}`;
    this.select(this.matches[this.matchCursor], 'center');
  }

  private enableColumnResize(splitter: HTMLElement): void {
    splitter.addEventListener('pointerdown', (down) => {
      down.preventDefault();
      splitter.setPointerCapture(down.pointerId);
      const box = this.grid.getBoundingClientRect();
      const move = (event: PointerEvent) => {
        const width = Math.min(Math.max(event.clientX - box.left, 160), box.width - 260);
        this.grid.style.setProperty('--name-width', `${width}px`);
      };
      const up = () => {
        splitter.removeEventListener('pointermove', move);
        splitter.removeEventListener('pointerup', up);
        this.drawAxis();
      };
      splitter.addEventListener('pointermove', move);
      splitter.addEventListener('pointerup', up);
    });
  }

  /** Dragging across the axis zooms the bars to that time range. */
  private enableZoom(): void {
    this.axis.addEventListener('pointerdown', (down) => {
      if (!this.current || down.button !== 0) return;
      down.preventDefault();
      this.axis.setPointerCapture(down.pointerId);
      const box = this.axis.getBoundingClientRect();
      const at = (x: number) => Math.min(Math.max((x - box.left) / box.width, 0), 1);
      const start = at(down.clientX);
      const move = (event: PointerEvent) => {
        const a = Math.min(start, at(event.clientX));
        const b = Math.max(start, at(event.clientX));
        this.zoomBox.hidden = false;
        this.zoomBox.style.left = `${a * 100}%`;
        this.zoomBox.style.width = `${(b - a) * 100}%`;
      };
      const up = (event: PointerEvent) => {
        this.axis.removeEventListener('pointermove', move);
        this.axis.removeEventListener('pointerup', up);
        this.zoomBox.hidden = true;
        const a = Math.min(start, at(event.clientX));
        const b = Math.max(start, at(event.clientX));
        if ((b - a) * box.width < 4) return;
        const window = this.to - this.from;
        this.setWindow(this.from + a * window, this.from + b * window);
      };
      this.axis.addEventListener('pointermove', move);
      this.axis.addEventListener('pointerup', up);
    });
  }
}

function rowOf(target: EventTarget | null): number | undefined {
  const element = (target as Element | null)?.closest<HTMLElement>('.tl-row');
  return element?.dataset.row !== undefined ? Number(element.dataset.row) : undefined;
}

function toolbarButton(label: string, title: string, onClick: () => void): HTMLButtonElement {
  return h('button', { className: 'secondary', title, attrs: { type: 'button' }, onClick }, label);
}
