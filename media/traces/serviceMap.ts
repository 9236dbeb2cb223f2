// The service map, as the X-Ray console's trace map: one node per service (requests, p95, error,
// fault and throttle rates, the latency SLO when one is set, marked when p95 misses it) and one
// edge per caller → callee. Layout is layered left to right by call depth from the services nobody
// calls, with each layer ordered by where its callers sit, which keeps most edges from crossing.
import type { ServiceMapEdge, ServiceMapNode } from '../../server/protocol';
import { h, setAttributes } from '../shared/dom';
import { formatMs, percent } from './format';
import type { ServiceMapData } from './messages';
import { serviceColorClass } from './serviceColors';

const svgNs = 'http://www.w3.org/2000/svg';
const nodeWidth = 216;
const nodeHeight = 88;
const layerGap = 124;
const nodeGap = 30;
const margin = 24;
let clipIds = 0;

export interface ServiceMapEvents {
  /** A node was chosen: list that service's traces. */
  showService(service: string): void;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: (SVGElement | string)[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNs, tag);
  setAttributes(element, Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, String(v)])));
  for (const child of children) element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return element;
}

export interface Placed {
  node: ServiceMapNode;
  layer: number;
  x: number;
  y: number;
}

/**
 * Layers by longest call path from the entry services (calls that close a cycle are set aside
 * first), so every call goes left to right; positions in pixels.
 */
export function layout(nodes: readonly ServiceMapNode[], edges: readonly ServiceMapEdge[]): { placed: Map<string, Placed>; width: number; height: number } {
  const byName = new Map(nodes.map((n) => [n.service, n]));
  for (const e of edges) {
    for (const name of [e.from, e.to]) {
      if (!byName.has(name)) byName.set(name, { service: name, requests: 0, p95Ms: NaN, errorRate: 0, faultRate: 0, throttleRate: 0, missesSlo: false });
    }
  }
  const callees = new Map<string, string[]>();
  const callers = new Map<string, string[]>();
  for (const e of edges) {
    if (e.from === e.to) continue;
    callees.set(e.from, [...(callees.get(e.from) ?? []), e.to]);
    callers.set(e.to, [...(callers.get(e.to) ?? []), e.from]);
  }
  const byRequests = [...byName.values()].sort((a, b) => b.requests - a.requests || a.service.localeCompare(b.service));
  // Depth-first from the entries (then anything left): finishing order reversed is a topological
  // order of the calls that are not back edges; a back edge points at a service still on the stack.
  const entries = [...byRequests.filter((n) => !callers.has(n.service)), ...byRequests.filter((n) => callers.has(n.service))];
  const state = new Map<string, 1 | 2>();
  const finished: string[] = [];
  const backEdges = new Set<string>();
  for (const { service: start } of entries) {
    if (state.has(start)) continue;
    const stack: { name: string; next: number }[] = [{ name: start, next: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const out = callees.get(top.name) ?? [];
      if (top.next < out.length) {
        const to = out[top.next++];
        const seen = state.get(to);
        if (seen === 1) backEdges.add(`${top.name}\u0000${to}`);
        else if (seen === undefined) {
          state.set(to, 1);
          stack.push({ name: to, next: 0 });
        }
      } else {
        state.set(top.name, 2);
        finished.push(top.name);
        stack.pop();
      }
    }
  }
  const layerOf = new Map<string, number>();
  for (const name of finished.reverse()) {
    let layer = 0;
    for (const from of callers.get(name) ?? []) {
      if (!backEdges.has(`${from}\u0000${name}`)) layer = Math.max(layer, (layerOf.get(from) ?? 0) + 1);
    }
    layerOf.set(name, layer);
  }
  const layers: string[][] = [];
  for (const node of byRequests) (layers[layerOf.get(node.service)!] ??= []).push(node.service);
  const placed = new Map<string, Placed>();
  layers.forEach((names, layer) => {
    if (layer > 0) {
      // Barycentre ordering: each service goes near the average row of its callers.
      const centre = (name: string) => {
        const ys = (callers.get(name) ?? []).map((c) => placed.get(c)?.y).filter((y): y is number => y !== undefined);
        return ys.length > 0 ? ys.reduce((a, b) => a + b, 0) / ys.length : Number.POSITIVE_INFINITY;
      };
      names.sort((a, b) => centre(a) - centre(b));
    }
    names.forEach((name, index) => {
      placed.set(name, {
        node: byName.get(name)!,
        layer,
        x: margin + layer * (nodeWidth + layerGap),
        y: margin + index * (nodeHeight + nodeGap),
      });
    });
  });
  // Centre shorter layers against the tallest.
  const tallest = layers.reduce((max, names) => Math.max(max, names.length), 0);
  const fullHeight = tallest * nodeHeight + Math.max(0, tallest - 1) * nodeGap;
  for (const names of layers) {
    const height = names.length * nodeHeight + Math.max(0, names.length - 1) * nodeGap;
    for (const name of names) placed.get(name)!.y += (fullHeight - height) / 2;
  }
  return {
    placed,
    width: margin * 2 + layers.length * nodeWidth + Math.max(0, layers.length - 1) * layerGap,
    height: margin * 2 + fullHeight + 40,
  };
}

/** Edges are tinted by their most frequent failure once it reaches 1% of calls; the label has the exact rates. */
const tintFrom = 0.01;

function health(rates: { errorRate: number; faultRate: number; throttleRate: number }): 'ok' | 'error' | 'fault' | 'throttle' {
  const worst = (['fault', 'error', 'throttle'] as const)
    .map((kind) => ({ kind, rate: kind === 'fault' ? rates.faultRate : kind === 'error' ? rates.errorRate : rates.throttleRate }))
    .reduce((a, b) => (b.rate > a.rate ? b : a));
  return worst.rate >= tintFrom ? worst.kind : 'ok';
}

function ratesText(r: { errorRate: number; faultRate: number; throttleRate: number }): string {
  return `err ${percent(r.errorRate)} · fault ${percent(r.faultRate)} · thr ${percent(r.throttleRate)}`;
}

export class ServiceMapView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly fitButton: HTMLButtonElement;
  /** The reader's choice of fitting the map to the panel; until they choose, it fits when that keeps text readable. */
  private fitChosen: boolean | undefined;

  constructor(private readonly events: ServiceMapEvents) {
    this.caption = h('p', { className: 'muted map-caption' });
    this.canvas = h('div', { className: 'map-canvas' });
    this.fitButton = h('button', {
      className: 'secondary',
      title: 'Shrink the map to the width of the panel, or show it at its actual size',
      attrs: { type: 'button', 'aria-pressed': 'false' },
      onClick: () => {
        this.fitChosen = !this.canvas.classList.contains('fit');
        this.setFit(this.fitChosen);
      },
    }, 'Fit to width');
    const fit = this.fitButton;
    this.element = h('div', { className: 'service-map' },
      h('div', { className: 'map-legend' }, fit,
        h('span', { className: 'legend legend-ok' }, 'healthy'),
        h('span', { className: 'legend legend-error' }, 'errors (4xx)'),
        h('span', { className: 'legend legend-fault' }, 'faults (5xx)'),
        h('span', { className: 'legend legend-throttle' }, 'throttled (429)'),
        h('span', { className: 'legend legend-slo' }, 'misses its latency SLO'),
      ),
      this.caption,
      this.canvas);
  }

  showMessage(message: HTMLElement): void {
    this.caption.textContent = '';
    this.canvas.replaceChildren(message);
  }

  show(map: ServiceMapData, scope: string): void {
    if (map.nodes.length === 0) {
      this.caption.textContent = '';
      this.canvas.replaceChildren(h('p', { className: 'empty' }, `No services in ${scope}.`));
      return;
    }
    const { placed, width, height } = layout(map.nodes, map.edges);
    const missing = map.nodes.filter((n) => n.missesSlo).length;
    this.caption.textContent = `${map.nodes.length} ${map.nodes.length === 1 ? 'service' : 'services'} and ${map.edges.length} ${map.edges.length === 1 ? 'call path' : 'call paths'} in ${scope}${missing ? `; ${missing} ${missing === 1 ? 'misses its' : 'miss their'} latency SLO` : ''}. Choose a service to list its traces.`;
    const defs = svg('defs', {},
      ...['ok', 'error', 'fault', 'throttle'].map((kind) => svg('marker', {
        id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, orient: 'auto-start-reverse',
        markerUnits: 'userSpaceOnUse',
      }, svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: `arrow arrow-${kind}` }))));
    const maxRequests = Math.max(1, ...map.edges.map((e) => e.requests));
    const labels: Box[] = [...placed.values()].map((p) => ({ x: p.x, y: p.y, width: nodeWidth, height: nodeHeight }));
    const edges = map.edges.map((edge) => this.edge(edge, placed, maxRequests, labels)).filter((e): e is SVGGElement => e !== undefined);
    const nodes = [...placed.values()].map((p) => this.node(p));
    const picture = svg('svg', {
      width, height, viewBox: `0 0 ${width} ${height}`, role: 'group', 'aria-label': 'Service map',
    }, defs, svg('g', { class: 'edges' }, ...edges), svg('g', { class: 'nodes' }, ...nodes));
    this.canvas.replaceChildren(picture);
    const scale = this.canvas.clientWidth / width;
    this.setFit(this.fitChosen ?? (scale >= 0.8 || !(scale > 0)));
  }

  private setFit(fit: boolean): void {
    this.canvas.classList.toggle('fit', fit);
    this.fitButton.setAttribute('aria-pressed', String(fit));
  }

  private node(p: Placed): SVGGElement {
    const n = p.node;
    const clip = `map-clip-${++clipIds}`;
    const p95 = Number.isFinite(n.p95Ms) ? formatMs(n.p95Ms) : 'n/a';
    const sloLine = n.sloMs !== undefined ? `latency SLO p95 ≤ ${formatMs(n.sloMs)}: ${n.missesSlo ? 'missed' : 'met'}` : 'no latency SLO set';
    const rate = (label: string, value: number, kind: string) =>
      svg('tspan', { class: value > 0 ? `rate rate-${kind}` : 'rate' }, `${label} ${percent(value)}`);
    const group = svg('g', {
      class: `map-node${n.missesSlo ? ' misses-slo' : ''}`,
      transform: `translate(${p.x} ${p.y})`,
      tabindex: 0,
      role: 'button',
      'aria-label': `${n.service}: ${n.requests} requests, p95 ${p95}, ${ratesText(n)}; ${sloLine}`,
      'data-service': n.service,
    },
    svg('title', {}, `${n.service}\n${n.requests.toLocaleString('en')} requests · p95 ${p95}\n${ratesText(n)}\n${sloLine}`),
    svg('clipPath', { id: clip }, svg('rect', { width: nodeWidth - 12, height: nodeHeight })),
    svg('rect', { class: 'node-box', width: nodeWidth, height: nodeHeight, rx: 6 }),
    svg('rect', { class: `node-stripe ${serviceColorClass(n.service)}`, width: 4, height: nodeHeight - 16, x: 8, y: 8, rx: 2 }),
    svg('g', { 'clip-path': `url(#${clip})` },
      svg('text', { class: 'node-title', x: 20, y: 23 }, n.service),
      svg('text', { class: 'node-line', x: 20, y: 41 }, `${n.requests.toLocaleString('en')} req · p95 ${p95}`),
      svg('text', { class: 'node-line', x: 20, y: 57 }, rate('err', n.errorRate, 'error'), ' · ', rate('fault', n.faultRate, 'fault'), ' · ', rate('thr', n.throttleRate, 'throttle')),
      svg('text', { class: `node-line node-slo${n.missesSlo ? ' missed' : ''}`, x: 20, y: 73 },
        n.sloMs !== undefined ? `${n.missesSlo ? '⚠ misses' : '✓ meets'} SLO p95 ≤ ${formatMs(n.sloMs)}` : ''),
    ),
    ...this.healthBar(n));
    const choose = () => this.events.showService(n.service);
    group.addEventListener('click', choose);
    group.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        choose();
      }
    });
    return group;
  }

  /** X-Ray's health ring as a bar: the shares of requests that were fine, errors, faults, throttled. */
  private healthBar(n: ServiceMapNode): SVGElement[] {
    const x = 20;
    const width = nodeWidth - 32;
    const parts: [string, number][] = [
      ['ok', Math.max(0, 1 - n.errorRate - n.faultRate - n.throttleRate)],
      ['error', n.errorRate],
      ['fault', n.faultRate],
      ['throttle', n.throttleRate],
    ];
    let at = x;
    const bars: SVGElement[] = [];
    for (const [kind, share] of parts) {
      if (share <= 0 || at >= x + width) continue;
      // A small share still gets 3 px, so a single fault shows.
      const w = Math.min(Math.max(3, share * width), x + width - at);
      bars.push(svg('rect', { class: `health health-${kind}`, x: at.toFixed(1), y: nodeHeight - 9, width: w.toFixed(1), height: 3 }));
      at += w;
    }
    return bars;
  }

  private edge(edge: ServiceMapEdge, placed: Map<string, Placed>, maxRequests: number, taken: Box[]): SVGGElement | undefined {
    const from = placed.get(edge.from);
    const to = placed.get(edge.to);
    if (!from || !to) return undefined;
    const state = health(edge);
    const strokeWidth = 1.2 + 3 * (Math.log1p(edge.requests) / Math.log1p(maxRequests));
    let d: string;
    let labelX: number;
    let labelY: number;
    if (edge.from === edge.to) {
      // A service calling itself: a loop above the node.
      const x = from.x + nodeWidth - 40;
      const y = from.y;
      d = `M ${x} ${y} C ${x - 10} ${y - 40}, ${x + 40} ${y - 40}, ${x + 30} ${y}`;
      labelX = x + 14;
      labelY = y - 34;
    } else if (to.layer > from.layer) {
      const x1 = from.x + nodeWidth;
      const y1 = from.y + nodeHeight / 2;
      const x2 = to.x;
      const y2 = to.y + nodeHeight / 2;
      const bend = (x2 - x1) / 2;
      d = `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`;
      labelX = (x1 + x2) / 2;
      labelY = (y1 + y2) / 2 - 6;
    } else {
      // A call back to an earlier (or the same) layer: an arc under the nodes.
      const x1 = from.x + nodeWidth / 2;
      const y1 = from.y + nodeHeight;
      const x2 = to.x + nodeWidth / 2;
      const y2 = to.y + nodeHeight;
      const drop = 50 + Math.abs(x1 - x2) / 6;
      d = `M ${x1} ${y1} C ${x1} ${y1 + drop}, ${x2} ${y2 + drop}, ${x2} ${y2}`;
      labelX = (x1 + x2) / 2;
      labelY = Math.max(y1, y2) + drop * 0.75;
    }
    const label = `${edge.requests.toLocaleString('en')} ${edge.requests === 1 ? 'call' : 'calls'} · p95 ${formatMs(edge.p95Ms)}${state !== 'ok' ? ` · ${state} ${percent(state === 'fault' ? edge.faultRate : state === 'error' ? edge.errorRate : edge.throttleRate)}` : ''}`;
    // A label moves up or down to stay clear of nodes and other labels; one that cannot is left to the tooltip.
    const width = label.length * 5.6;
    const spot = [0, -13, 13, -26, 26, -39, 39]
      .map((dy) => ({ x: labelX - width / 2, y: labelY + dy - 10, width, height: 13 }))
      .find((box) => !taken.some((other) => overlaps(box, other)));
    if (spot) taken.push(spot);
    return svg('g', { class: `map-edge health-${state}`, 'data-from': edge.from, 'data-to': edge.to },
      svg('title', {}, `${edge.from} → ${edge.to}\n${edge.requests.toLocaleString('en')} calls · p95 ${formatMs(edge.p95Ms)}\n${ratesText(edge)}`),
      svg('path', { d, class: 'edge-line', 'stroke-width': strokeWidth.toFixed(2), 'marker-end': `url(#arrow-${state})` }),
      ...(spot ? [svg('text', { class: 'edge-label', x: labelX.toFixed(1), y: (spot.y + 10).toFixed(1), 'text-anchor': 'middle' }, label)] : []),
    );
  }
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
