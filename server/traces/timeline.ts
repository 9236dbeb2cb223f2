// A trace as the timeline draws it: spans in depth-first order (children by start time), each
// with its depth, self time (time no child covers) and whether it is on the critical path.
// Everything is iterative: a 100,000-span trace may be a 100,000-deep chain.
import type { TraceTimeline } from '../protocol';
import type { Span } from './model';

const failureCode = { error: 1, fault: 2, throttle: 3 } as const;

export function buildTimeline(spans: readonly Span[]): TraceTimeline | null {
  if (spans.length === 0) return null;
  const byId = new Map<string, number>();
  spans.forEach((span, i) => byId.set(span.spanId, i));
  const children: number[][] = spans.map(() => []);
  const roots: number[] = [];
  spans.forEach((span, i) => {
    const parent = span.parentSpanId !== undefined ? byId.get(span.parentSpanId) : undefined;
    if (parent === undefined || parent === i) roots.push(i);
    else children[parent].push(i);
  });
  const start = (i: number) => BigInt(spans[i].startNs);
  const byStart = (a: number, b: number) => {
    const d = start(a) - start(b);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  };
  // Bad data can make every span someone's child (a cycle): then the earliest span is the root.
  if (roots.length === 0) roots.push(spans.reduce((earliest, _, i) => (start(i) < start(earliest) ? i : earliest), 0));
  roots.sort(byStart);
  for (const list of children) if (list.length > 1) list.sort(byStart);

  const traceStart = spans.reduce((min, s) => (BigInt(s.startNs) < min ? BigInt(s.startNs) : min), start(0));
  const traceEnd = spans.reduce((max, s) => (BigInt(s.endNs) > max ? BigInt(s.endNs) : max), traceStart);
  const ms = (ns: bigint) => Number(ns) / 1e6;

  const order: number[] = [];
  const depthOf = new Int32Array(spans.length);
  const stack: number[] = [...roots].reverse();
  // Cycles in bad data (a → b → a) must not loop forever: each span is visited once.
  const visited = new Uint8Array(spans.length);
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (visited[i]) continue;
    visited[i] = 1;
    order.push(i);
    const kids = children[i];
    for (let k = kids.length - 1; k >= 0; k--) {
      depthOf[kids[k]] = depthOf[i] + 1;
      stack.push(kids[k]);
    }
  }
  // Spans reachable only through a cycle were never visited: show them as roots.
  for (let i = 0; i < spans.length; i++) if (!visited[i]) order.push(i);

  const row = new Int32Array(spans.length);
  order.forEach((spanIndex, r) => (row[spanIndex] = r));
  const critical = criticalPath(spans, roots, children);
  const strings: string[] = [];
  const interned = new Map<string, number>();
  const intern = (s: string) => {
    let id = interned.get(s);
    if (id === undefined) {
      id = strings.length;
      strings.push(s);
      interned.set(s, id);
    }
    return id;
  };

  const timeline: TraceTimeline = {
    traceId: spans[0].traceId,
    startNs: traceStart.toString(),
    durationMs: ms(traceEnd - traceStart),
    spanIds: [], parent: [], depth: [], startMs: [], spanMs: [], selfMs: [],
    service: [], name: [], failure: [], critical: [], hasCode: [], strings,
  };
  for (const i of order) {
    const span = spans[i];
    const parent = span.parentSpanId !== undefined ? byId.get(span.parentSpanId) : undefined;
    timeline.spanIds.push(span.spanId);
    timeline.parent.push(parent === undefined || !visited[parent] || parent === i ? -1 : row[parent]);
    timeline.depth.push(depthOf[i]);
    timeline.startMs.push(ms(start(i) - traceStart));
    timeline.spanMs.push(span.durationNs / 1e6);
    timeline.selfMs.push(selfTimeNs(spans, i, children[i]) / 1e6);
    timeline.service.push(intern(span.service));
    timeline.name.push(intern(span.name));
    timeline.failure.push(span.errorClass ? failureCode[span.errorClass] : span.status === 'error' ? 1 : 0);
    timeline.critical.push(critical[i]);
    timeline.hasCode.push(span.code ? 1 : 0);
  }
  return timeline;
}

/** The span's duration minus the union of its children's intervals, clipped to the span. */
export function selfTimeNs(spans: readonly Span[], i: number, kids: readonly number[]): number {
  const s = BigInt(spans[i].startNs);
  const e = BigInt(spans[i].endNs);
  let covered = 0n;
  let cursor = s;
  // kids are sorted by start, so one sweep merges their intervals.
  for (const k of kids) {
    const ks = BigInt(spans[k].startNs) > cursor ? BigInt(spans[k].startNs) : cursor;
    const ke = BigInt(spans[k].endNs) < e ? BigInt(spans[k].endNs) : e;
    if (ke > ks) {
      covered += ke - ks;
      cursor = ke;
    }
  }
  const self = e - s - covered;
  return Number(self > 0n ? self : 0n);
}

/**
 * Jaeger's critical path: from each root's end, walk back through the child that finished last
 * before the cursor, then continue from that child's start. Marks spans with 1.
 */
export function criticalPath(spans: readonly Span[], roots: readonly number[], children: readonly number[][]): Uint8Array {
  const onPath = new Uint8Array(spans.length);
  const end = (i: number) => BigInt(spans[i].endNs);
  const begin = (i: number) => BigInt(spans[i].startNs);
  const work: { span: number; cursor: bigint }[] = roots.map((r) => ({ span: r, cursor: end(r) }));
  while (work.length > 0) {
    const { span, cursor: limit } = work.pop()!;
    if (onPath[span]) continue;
    onPath[span] = 1;
    const kids = [...children[span]].sort((a, b) => (end(b) > end(a) ? 1 : end(b) < end(a) ? -1 : 0));
    let cursor = end(span) < limit ? end(span) : limit;
    // Latest-finishing first: each child that starts before the cursor held the parent up.
    for (const child of kids) {
      if (begin(child) >= cursor) continue;
      work.push({ span: child, cursor });
      cursor = begin(child);
    }
  }
  return onPath;
}
