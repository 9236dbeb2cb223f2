// The trace at a glance, above the waterfall (as in Jaeger): every span as a thin line at its row
// and time, in its service's colour and failures on top in theirs, with the part of the trace in
// view outlined. Dragging across it zooms the waterfall to that time range, a click scrolls to
// that row, a double click shows the whole trace again. It is drawn on a canvas after the rows
// have painted, so it never delays the first paint of a large trace.
import type { TraceTimeline } from '../../server/protocol';
import { h } from '../shared/dom';
import { paletteSize, serviceColorIndex } from './serviceColors';

const heightPx = 44;

export interface MinimapEvents {
  zoom(fromMs: number, toMs: number): void;
  resetZoom(): void;
  scrollToRow(row: number): void;
}

export class Minimap {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly window: HTMLElement;
  private readonly selection: HTMLElement;
  private timeline: TraceTimeline | undefined;
  private drawFrame = 0;
  private view = { from: 0, to: 1, firstRow: 0, lastRow: 0 };

  constructor(private readonly events: MinimapEvents) {
    this.canvas = h('canvas', { attrs: { 'aria-hidden': 'true' } });
    this.window = h('div', { className: 'minimap-window' });
    this.selection = h('div', { className: 'zoom-box', attrs: { hidden: '' } });
    this.element = h('div', {
      className: 'minimap',
      title: 'The whole trace: drag across it to zoom, click to scroll there, double-click to show it all',
    }, this.canvas, this.window, this.selection);
    new ResizeObserver(() => this.schedule()).observe(this.element);
    // VS Code switches the body's theme class when the colour theme changes.
    new MutationObserver(() => this.schedule()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.enablePointer();
  }

  show(timeline: TraceTimeline): void {
    this.timeline = timeline;
    this.clear();
    // After the rows' first paint: a frame, then a task.
    requestAnimationFrame(() => setTimeout(() => this.schedule(), 0));
  }

  /** The time window and the rows in view, outlined on the map. */
  setView(from: number, to: number, firstRow: number, lastRow: number): void {
    this.view = { from, to, firstRow, lastRow };
    const t = this.timeline;
    if (!t || t.durationMs <= 0) return;
    const n = Math.max(1, t.spanIds.length);
    this.window.style.left = `${(from / t.durationMs) * 100}%`;
    this.window.style.width = `${Math.max(0.3, ((to - from) / t.durationMs) * 100)}%`;
    this.window.style.top = `${(firstRow / n) * 100}%`;
    this.window.style.height = `${Math.max(2, ((lastRow - firstRow + 1) / n) * 100)}%`;
  }

  private clear(): void {
    this.canvas.getContext('2d')?.clearRect(0, 0, this.canvas.width, this.canvas.height);
  }

  private schedule(): void {
    if (this.drawFrame || !this.timeline) return;
    this.drawFrame = requestAnimationFrame(() => {
      this.drawFrame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const t = this.timeline;
    const context = this.canvas.getContext('2d');
    if (!t || !context) return;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(this.element.clientWidth * ratio));
    const height = Math.round(heightPx * ratio);
    this.canvas.width = width;
    this.canvas.height = height;
    context.clearRect(0, 0, width, height);
    const n = t.spanIds.length;
    const duration = t.durationMs > 0 ? t.durationMs : 1;
    const style = getComputedStyle(document.body);
    const palette = Array.from({ length: paletteSize }, (_, k) => style.getPropertyValue(`--svc-${k}`).trim() || '#888');
    const failColors = ['', style.getPropertyValue('--fail-error').trim(), style.getPropertyValue('--fail-fault').trim(), style.getPropertyValue('--fail-throttle').trim()];
    const colorOfString = t.strings.map((s) => palette[serviceColorIndex(s)]);
    // Thin spans still show: at least two device pixels each way.
    const rowHeight = Math.max(2 * ratio, height / n);
    // Spans grouped by colour so the canvas switches fill style a dozen times, not 100,000.
    const byColor = new Map<string, number[]>();
    const failed: number[] = [];
    for (let i = 0; i < n; i++) {
      if (t.failure[i]) failed.push(i);
      const color = colorOfString[t.service[i]];
      let list = byColor.get(color);
      if (!list) byColor.set(color, (list = []));
      list.push(i);
    }
    const rect = (i: number) => {
      const x = (t.startMs[i] / duration) * width;
      const w = Math.max(2 * ratio, (t.spanMs[i] / duration) * width);
      context.fillRect(x, Math.min(height - rowHeight, Math.floor((i / n) * height)), w, rowHeight);
    };
    context.globalAlpha = 0.85;
    for (const [color, rows] of byColor) {
      context.fillStyle = color;
      for (const i of rows) rect(i);
    }
    context.globalAlpha = 1;
    for (const i of failed) {
      context.fillStyle = failColors[t.failure[i]] || failColors[1];
      rect(i);
    }
    this.setView(this.view.from, this.view.to, this.view.firstRow, this.view.lastRow);
  }

  private enablePointer(): void {
    this.element.addEventListener('dblclick', () => this.events.resetZoom());
    this.element.addEventListener('pointerdown', (down) => {
      const t = this.timeline;
      if (!t || down.button !== 0) return;
      down.preventDefault();
      this.element.setPointerCapture(down.pointerId);
      const box = this.element.getBoundingClientRect();
      const at = (x: number) => Math.min(Math.max((x - box.left) / box.width, 0), 1);
      const start = at(down.clientX);
      const move = (event: PointerEvent) => {
        const a = Math.min(start, at(event.clientX));
        const b = Math.max(start, at(event.clientX));
        this.selection.hidden = (b - a) * box.width < 4;
        this.selection.style.left = `${a * 100}%`;
        this.selection.style.width = `${(b - a) * 100}%`;
      };
      const up = (event: PointerEvent) => {
        this.element.removeEventListener('pointermove', move);
        this.element.removeEventListener('pointerup', up);
        this.selection.hidden = true;
        const a = Math.min(start, at(event.clientX));
        const b = Math.max(start, at(event.clientX));
        if ((b - a) * box.width >= 4) this.events.zoom(a * t.durationMs, b * t.durationMs);
        else {
          const y = Math.min(Math.max((event.clientY - box.top) / box.height, 0), 1);
          this.events.scrollToRow(Math.min(t.spanIds.length - 1, Math.floor(y * t.spanIds.length)));
        }
      };
      this.element.addEventListener('pointermove', move);
      this.element.addEventListener('pointerup', up);
    });
  }
}
