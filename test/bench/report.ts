// Small helpers the benchmarks share for measuring and printing. Benchmarks print; they never assert
// on times, because the machines they run on are shared and noisy.
import { readFileSync } from 'node:fs';

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

export function int(value: number): string {
  return Math.round(value).toLocaleString('en');
}

/** "met" or "NOT met", next to a goal, for the reader; nothing fails on it. */
export function goal(met: boolean): string {
  return met ? 'met' : 'NOT met';
}

/** Memory figures of a process from /proc/<pid>/status, in bytes (Linux only). */
export function procMemory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Counts of diagnostics per rule id, e.g. "python/hardcoded-credentials ×1". */
export function countByCode(items: readonly { code?: string | number; ruleId?: string }[]): string {
  const counts = new Map<string, number>();
  for (const item of items) {
    const code = String(item.ruleId ?? item.code ?? '?');
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  if (counts.size === 0) return 'none';
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([code, n]) => `${code} ×${n}`).join(', ');
}

export function header(title: string): void {
  console.log(`\n${title}\n${'-'.repeat(title.length)}`);
}

/**
 * Extra node options for the spawned server, from SIGHTLINE_BENCH_SERVER_NODE_ARGS (space-separated),
 * e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the server under a benchmark's load.
 */
export function serverNodeArgs(): string[] {
  return (process.env.SIGHTLINE_BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
}
