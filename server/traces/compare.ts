// Trace compare, as in Jaeger: two traces of the same operation side by side, spans matched by
// their path of service:operation names from the root (the n-th occurrence matched with the n-th),
// with the duration difference of each.
import type { TraceComparison, TraceSummary } from '../protocol';
import type { Span } from './model';

function paths(spans: readonly Span[]): Map<string, Span> {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const pathOf = new Map<string, string>();
  const resolve = (span: Span): string => {
    const known = pathOf.get(span.spanId);
    if (known) return known;
    // Walk up iteratively: chains can be deep. A cycle stops at the first repeat.
    const chain: Span[] = [];
    const seen = new Set<string>();
    let cursor: Span | undefined = span;
    while (cursor && !pathOf.has(cursor.spanId) && !seen.has(cursor.spanId)) {
      seen.add(cursor.spanId);
      chain.push(cursor);
      cursor = cursor.parentSpanId ? byId.get(cursor.parentSpanId) : undefined;
    }
    let prefix = cursor && pathOf.has(cursor.spanId) ? pathOf.get(cursor.spanId)! : '';
    for (const s of chain.reverse()) {
      prefix = prefix ? `${prefix} › ${s.service}:${s.name}` : `${s.service}:${s.name}`;
      pathOf.set(s.spanId, prefix);
    }
    return pathOf.get(span.spanId)!;
  };
  const occurrences = new Map<string, number>();
  const result = new Map<string, Span>();
  const ordered = [...spans].sort((a, b) => (BigInt(a.startNs) < BigInt(b.startNs) ? -1 : 1));
  for (const span of ordered) {
    const path = resolve(span);
    const n = (occurrences.get(path) ?? 0) + 1;
    occurrences.set(path, n);
    result.set(n === 1 ? path : `${path} #${n}`, span);
  }
  return result;
}

export function compareTraces(left: readonly Span[], right: readonly Span[], leftSummary: TraceSummary, rightSummary: TraceSummary): TraceComparison {
  const l = paths(left);
  const r = paths(right);
  const rows: TraceComparison['rows'] = [];
  for (const path of new Set([...l.keys(), ...r.keys()])) {
    const a = l.get(path);
    const b = r.get(path);
    const leftMs = a ? a.durationNs / 1e6 : undefined;
    const rightMs = b ? b.durationNs / 1e6 : undefined;
    const span = (a ?? b)!;
    rows.push({ path, service: span.service, name: span.name, leftMs, rightMs, deltaMs: (rightMs ?? 0) - (leftMs ?? 0) });
  }
  rows.sort((x, y) => Math.abs(y.deltaMs) - Math.abs(x.deltaMs));
  return { left: leftSummary, right: rightSummary, rows };
}
