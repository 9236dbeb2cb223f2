// The trace fixtures (test/fixtures/traces/), for tests bundled into <out>/test/unit/traces/.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Span } from '../../../server/traces/model';

export const traceFixturesDir = resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'traces');

export function fixture(name: string): Buffer {
  return readFileSync(resolve(traceFixturesDir, name));
}

/** The span with this id; fails the test when there is none. */
export function spanById(spans: readonly Span[], spanId: string): Span {
  const span = spans.find((s) => s.spanId === spanId);
  if (!span) throw new Error(`no span ${spanId} among ${spans.map((s) => s.spanId).join(', ')}`);
  return span;
}
