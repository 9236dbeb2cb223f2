// Golden signals over a set of spans: count, nearest-rank percentiles and error rate. The CodeLens,
// the hover, the CLI and the service map all use these, so they always agree.

/** The nearest-rank percentile (p in 0..100) of ascending `sorted`: sorted[ceil(p/100·n) − 1]. */
export function nearestRank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export interface Golden {
  calls: number;
  p50Ms: number;
  p95Ms: number;
  /** Failed calls / calls, 0..1. */
  errorRate: number;
}

export function golden(durationsMs: number[], failures: number): Golden {
  const sorted = Float64Array.from(durationsMs).sort();
  const list = Array.from(sorted);
  return {
    calls: list.length,
    p50Ms: nearestRank(list, 50),
    p95Ms: nearestRank(list, 95),
    errorRate: list.length === 0 ? 0 : failures / list.length,
  };
}

/** `412 calls · p50 8 ms · p95 120 ms · 2.1% errors`: the CodeLens title. */
export function formatGolden(g: Golden): string {
  return `${g.calls} ${g.calls === 1 ? 'call' : 'calls'} · p50 ${formatMs(g.p50Ms)} · p95 ${formatMs(g.p95Ms)} · ${formatRate(g.errorRate)} errors`;
}

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(0)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  if (ms >= 1) return `${ms.toFixed(1).replace(/\.0$/, '')} ms`;
  return `${(ms * 1000).toFixed(0)} µs`;
}

function formatRate(rate: number): string {
  if (rate === 0) return '0%';
  const percent = rate * 100;
  return percent < 10 ? `${percent.toFixed(1)}%` : `${Math.round(percent)}%`;
}
