// The response time distribution of the listed traces (as in the X-Ray console), shown while no
// trace is open: p50/p95/p99 and the failure rate, and a histogram on a logarithmic time axis with
// failed traces stacked in their colour. Choosing a bar narrows the search to its durations.
import type { TraceSummary } from '../../server/protocol';
import { nearestRank } from '../../server/traces/statistics';
import { h, setAttributes } from '../shared/dom';
import { formatMs, percent } from './format';

const svgNs = 'http://www.w3.org/2000/svg';
const chartHeight = 150;
const axisHeight = 20;

export interface HistogramEvents {
  /** A bar was chosen: search for traces with durations in [minMs, maxMs]. */
  narrow(minMs: number, maxMs: number): void;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, ...children: (SVGElement | string)[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNs, tag);
  setAttributes(element, Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, String(v)])));
  for (const child of children) element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return element;
}

interface Bucket {
  fromMs: number;
  toMs: number;
  ok: number;
  failed: number;
}

/** Buckets of equal width on a log scale between the fastest and the slowest trace; more buckets for more traces. */
export function bucketize(durations: readonly { durationMs: number; failed: boolean }[]): Bucket[] {
  if (durations.length === 0) return [];
  const buckets = Math.min(40, Math.max(8, Math.round(Math.sqrt(durations.length) * 2)));
  const values = durations.map((d) => Math.max(d.durationMs, 0.001));
  const min = Math.min(...values);
  const max = Math.max(...values);
  const lo = Math.log(min);
  const span = Math.max(Math.log(max) - lo, 1e-9);
  const result: Bucket[] = Array.from({ length: buckets }, (_, k) => ({
    fromMs: Math.exp(lo + (span * k) / buckets),
    toMs: Math.exp(lo + (span * (k + 1)) / buckets),
    ok: 0,
    failed: 0,
  }));
  durations.forEach((d, i) => {
    const k = Math.min(buckets - 1, Math.floor(((Math.log(values[i]) - lo) / span) * buckets));
    if (d.failed) result[k].failed++;
    else result[k].ok++;
  });
  return result;
}

export class LatencyHistogram {
  readonly element: HTMLElement;
  private readonly stats = h('p', { className: 'histogram-stats' });
  private readonly chart = h('div', { className: 'histogram-chart' });
  private traces: readonly TraceSummary[] = [];

  constructor(private readonly events: HistogramEvents) {
    this.element = h('section', { className: 'histogram', attrs: { 'aria-label': 'Response time distribution' } },
      h('h2', {}, 'Response time distribution'), this.stats, this.chart);
    new ResizeObserver(() => this.draw()).observe(this.chart);
  }

  show(traces: readonly TraceSummary[]): void {
    this.traces = traces;
    this.element.hidden = traces.length === 0;
    const sorted = traces.map((t) => t.durationMs).sort((a, b) => a - b);
    const failed = traces.filter((t) => t.errorCount > 0).length;
    this.stats.replaceChildren(
      `${traces.length.toLocaleString('en')} listed ${traces.length === 1 ? 'trace' : 'traces'}: `,
      h('span', { className: 'stat' }, h('span', { className: 'muted' }, 'p50 '), formatMs(nearestRank(sorted, 50))), ' · ',
      h('span', { className: 'stat' }, h('span', { className: 'muted' }, 'p95 '), formatMs(nearestRank(sorted, 95))), ' · ',
      h('span', { className: 'stat' }, h('span', { className: 'muted' }, 'p99 '), formatMs(nearestRank(sorted, 99))), ' · ',
      h('span', { className: failed ? 'stat error-text' : 'stat' }, `${percent(traces.length ? failed / traces.length : 0)} failed`),
      '. Choose a bar to list only those traces.',
    );
    this.draw();
  }

  private draw(): void {
    const width = this.chart.clientWidth;
    if (this.traces.length === 0 || width === 0) return this.chart.replaceChildren();
    const bars = bucketize(this.traces.map((t) => ({ durationMs: t.durationMs, failed: t.errorCount > 0 })));
    const tallest = Math.max(1, ...bars.map((b) => b.ok + b.failed));
    const slot = width / bars.length;
    const scale = (count: number) => (count / tallest) * (chartHeight - 14);
    const groups = bars.map((bucket, k) => {
      const x = k * slot + 1;
      const w = Math.max(1, slot - 2);
      const okHeight = scale(bucket.ok);
      const failedHeight = scale(bucket.failed);
      const total = bucket.ok + bucket.failed;
      const label = `${total} ${total === 1 ? 'trace' : 'traces'} from ${formatMs(bucket.fromMs)} to ${formatMs(bucket.toMs)}${bucket.failed ? `, ${bucket.failed} failed` : ''}`;
      const group = svg('g', { class: total ? 'bucket' : 'bucket empty', role: total ? 'button' : 'presentation', tabindex: total ? 0 : -1, 'aria-label': label },
        svg('title', {}, label),
        svg('rect', { class: 'bucket-hit', x: k * slot, y: 0, width: slot, height: chartHeight }),
        svg('rect', { class: 'bucket-ok', x, y: chartHeight - okHeight, width: w, height: okHeight }),
        svg('rect', { class: 'bucket-failed', x, y: chartHeight - okHeight - failedHeight, width: w, height: failedHeight }));
      if (total) {
        const choose = () => this.events.narrow(Math.floor(bucket.fromMs * 1000) / 1000, Math.ceil(bucket.toMs * 1000) / 1000);
        group.addEventListener('click', choose);
        group.addEventListener('keydown', (event) => {
          if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            choose();
          }
        });
      }
      return group;
    });
    const labels = [0, Math.floor(bars.length / 3), Math.floor((2 * bars.length) / 3), bars.length - 1].map((k, i, all) =>
      svg('text', {
        class: 'histogram-label',
        x: i === all.length - 1 ? width : k * slot,
        y: chartHeight + 14,
        'text-anchor': i === all.length - 1 ? 'end' : 'start',
      }, formatMs(i === all.length - 1 ? bars[k].toMs : bars[k].fromMs)));
    this.chart.replaceChildren(svg('svg', { width, height: chartHeight + axisHeight, role: 'group', 'aria-label': 'Traces by duration' },
      svg('line', { class: 'histogram-axis', x1: 0, x2: width, y1: chartHeight + 0.5, y2: chartHeight + 0.5 }), ...groups, ...labels));
  }
}
