// What every `sightline` subcommand shares: usage errors (exit 2), durations like `250ms` or `7d`,
// and the store folder (`--store`, default `.sightline/` in the current directory).
import { resolve } from 'node:path';

export class UsageError extends Error {}

const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `250ms`, `1.5s`, `2m`, `7d` → milliseconds; a bare number is milliseconds. */
export function parseDuration(text: string, option: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|min|h|d|w)?\s*$/.exec(text);
  if (!match) throw new UsageError(`${option} takes a duration such as 250ms, 1.5s, 2m, 7d — not '${text}'.`);
  return Number(match[1]) * units[match[2] ?? 'ms'];
}

export function storeDir(option: string | undefined): string {
  return resolve(option ?? '.sightline');
}

export function formatOption(value: string | undefined, allowed: readonly string[]): string {
  const format = value ?? allowed[0];
  if (!allowed.includes(format)) throw new UsageError(`--format must be one of ${allowed.join(', ')}, not '${format}'.`);
  return format;
}
