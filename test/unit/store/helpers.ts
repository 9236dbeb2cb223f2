// Shared by the store tests: temporary directories and record factories.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { AppendRecord } from '../../../server/store/store';

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory, removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-store-test-'));
  made.push(dir);
  return dir;
}

export const T0 = Date.UTC(2026, 0, 1);

/** A span-like record: key, time T0 + i seconds, a few terms, a JSON body. */
export function span(i: number, extra: Partial<AppendRecord> = {}): AppendRecord {
  return {
    key: `trace${Math.floor(i / 10)}:span${i}`,
    time: T0 + i * 1000,
    terms: [`svc=svc${i % 3}`, `file=src/f${i % 5}.py`, `fn=src/f${i % 5}.py#fn${i % 7}`, ...(i % 4 === 0 ? ['error'] : [])],
    body: JSON.stringify({ i, name: `op${i}` }),
    value: i,
    ...extra,
  };
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}

/** The `i` of each span body, in result order. */
export function ids(records: Iterable<{ body: Uint8Array | string }>): number[] {
  return [...records].map((r) => (JSON.parse(String(r.body)) as { i: number }).i);
}
