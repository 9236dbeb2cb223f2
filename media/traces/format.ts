// How the panel writes durations, times and rates. Durations use the same formatMs as the
// CodeLens, the hover and the CLI, so a span reads the same everywhere.
import type { ErrorClassName } from '../../server/protocol';
import { formatMs } from '../../server/traces/statistics';

export { formatMs };

/** Milliseconds since the epoch of a nanosecond decimal string (exact to the millisecond). */
export function epochMs(startNs: string): number {
  try {
    return Number(BigInt(startNs) / 1_000_000n);
  } catch {
    return NaN;
  }
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 days ago", then the date. */
export function relativeTime(ms: number, now: number): string {
  if (!Number.isFinite(ms)) return 'unknown time';
  const seconds = Math.round((now - ms) / 1000);
  if (seconds < 0) return 'in the future';
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 30) return `${days} days ago`;
  return new Date(ms).toLocaleDateString();
}

/** The local time with milliseconds, e.g. "2025-06-01 12:34:56.789". */
export function localTime(startNs: string): string {
  const ms = epochMs(startNs);
  if (!Number.isFinite(ms)) return startNs;
  const date = new Date(ms);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** The exact local time with milliseconds, and UTC, e.g. for a tooltip. */
export function exactTime(startNs: string): string {
  const ms = epochMs(startNs);
  if (!Number.isFinite(ms)) return startNs;
  return `${localTime(startNs)} local · ${new Date(ms).toISOString()}`;
}

export function percent(rate: number): string {
  if (!Number.isFinite(rate) || rate === 0) return '0%';
  const value = rate * 100;
  return value < 10 ? `${value.toFixed(1)}%` : `${Math.round(value)}%`;
}

/** A signed duration difference: "+12 ms", "−3.5 ms", "0 µs". */
export function formatDelta(ms: number): string {
  if (ms === 0) return '±0';
  return `${ms > 0 ? '+' : '−'}${formatMs(Math.abs(ms))}`;
}

export const failureNames: Record<number, ErrorClassName | undefined> = { 1: 'error', 2: 'fault', 3: 'throttle' };

export const failureLabels: Record<ErrorClassName, string> = {
  error: 'Error (4xx, client-side)',
  fault: 'Fault (5xx, server-side)',
  throttle: 'Throttled (429)',
};

/** "1 fault", "3 errors", "2 throttled". */
export function failureCount(kind: ErrorClassName, count: number): string {
  const n = count.toLocaleString('en');
  if (kind === 'throttle') return `${n} throttled`;
  return `${n} ${kind}${count === 1 ? '' : 's'}`;
}

/** Parses a duration typed into the search form: "250", "250ms", "1.5s", "800us", "2m". */
export function parseDuration(text: string): number | undefined | 'invalid' {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|min)?$/.exec(trimmed);
  if (!match) return 'invalid';
  const value = Number(match[1]);
  const unit = match[2] ?? 'ms';
  const factor = unit === 'us' || unit === 'µs' ? 0.001 : unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000;
  return value * factor;
}

/** The inverse of parseDuration, for showing a query's bound in the form. */
export function durationText(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  if (ms < 1 && ms > 0) return `${Math.round(ms * 1000)}us`;
  return `${ms}ms`;
}
