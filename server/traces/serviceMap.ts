// The service map, as the X-Ray console draws it: a node per service with the requests it served,
// and an edge per caller → callee pair, each with p95 latency and error, fault and throttle rates.
import type { ServiceMapEdge, ServiceMapNode } from '../protocol';
import type { Span } from './model';
import { nearestRank } from './statistics';

interface Tally {
  durations: number[];
  errors: number;
  faults: number;
  throttles: number;
}

const emptyTally = (): Tally => ({ durations: [], errors: 0, faults: 0, throttles: 0 });

function count(tally: Tally, span: Span): void {
  tally.durations.push(span.durationNs / 1e6);
  if (span.errorClass === 'fault') tally.faults++;
  else if (span.errorClass === 'throttle') tally.throttles++;
  else if (span.errorClass === 'error' || span.status === 'error') tally.errors++;
}

function rates(tally: Tally) {
  const sorted = tally.durations.sort((a, b) => a - b);
  const n = Math.max(1, sorted.length);
  return { requests: sorted.length, p95Ms: nearestRank(sorted, 95), errorRate: tally.errors / n, faultRate: tally.faults / n, throttleRate: tally.throttles / n };
}

/**
 * A span is a request into its service when it has no parent in the same service (a root, or
 * called from elsewhere). An edge goes from the parent's service to the child's when they differ.
 * `sloMs` maps a service to its latency objective on p95.
 */
export function serviceMap(traces: Iterable<readonly Span[]>, sloMs: Record<string, number> = {}): { nodes: ServiceMapNode[]; edges: ServiceMapEdge[] } {
  const nodes = new Map<string, Tally>();
  const edges = new Map<string, Tally>();
  for (const spans of traces) {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    for (const span of spans) {
      const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
      if (parent?.service === span.service) continue;
      if (!nodes.has(span.service)) nodes.set(span.service, emptyTally());
      count(nodes.get(span.service)!, span);
      if (parent) {
        const key = `${parent.service}\u0000${span.service}`;
        if (!edges.has(key)) edges.set(key, emptyTally());
        count(edges.get(key)!, span);
      }
    }
  }
  return {
    nodes: [...nodes].map(([service, tally]) => {
      const r = rates(tally);
      const slo = sloMs[service];
      return { service, ...r, sloMs: slo, missesSlo: slo !== undefined && r.p95Ms > slo };
    }),
    edges: [...edges].map(([key, tally]) => {
      const [from, to] = key.split('\u0000');
      return { from, to, ...rates(tally) };
    }),
  };
}
