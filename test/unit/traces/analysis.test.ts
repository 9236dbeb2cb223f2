import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyPathMappings, matchWorkspaceFile } from '../../../server/traces/codeLinks';
import type { Span } from '../../../server/traces/model';
import { formatGolden, golden, nearestRank } from '../../../server/traces/statistics';
import { buildTimeline } from '../../../server/traces/timeline';

const base = 1_700_000_000_000_000_000n;
function span(id: string, parent: string | undefined, startMs: number, endMs: number, extra: Partial<Span> = {}): Span {
  const startNs = base + BigInt(Math.round(startMs * 1e6));
  const endNs = base + BigInt(Math.round(endMs * 1e6));
  return {
    traceId: 'a'.repeat(32), spanId: id.padStart(16, '0'), parentSpanId: parent?.padStart(16, '0'), service: 'svc', name: `op-${id}`, kind: 'internal',
    startNs: startNs.toString(), endNs: endNs.toString(), durationNs: Number(endNs - startNs), status: 'unset', attributes: {}, events: [], links: [], format: 'otlp', ...extra,
  };
}

describe('nearest-rank percentiles', () => {
  test('match the textbook definition', () => {
    const values = [15, 20, 35, 40, 50];
    assert.equal(nearestRank(values, 5), 15);
    assert.equal(nearestRank(values, 30), 20);
    assert.equal(nearestRank(values, 40), 20);
    assert.equal(nearestRank(values, 50), 35);
    assert.equal(nearestRank(values, 100), 50);
    assert.ok(Number.isNaN(nearestRank([], 50)));
  });

  test('golden signals and the CodeLens text', () => {
    const g = golden([120, 8, 7, 9, 8, 300, 8, 9, 10, 8], 1);
    assert.deepEqual(g, { calls: 10, p50Ms: 8, p95Ms: 300, errorRate: 0.1 });
    assert.equal(formatGolden(g), '10 calls · p50 8 ms · p95 300 ms · 10% errors');
    assert.equal(formatGolden(golden([0.4, 1.5], 0)), '2 calls · p50 400 µs · p95 1.5 ms · 0% errors');
  });
});

describe('timeline', () => {
  test('depth-first rows, self time and the critical path', () => {
    // root 0–100; a 10–40; b 30–90 (ends last); a1 15–35 under a; orphan whose parent is missing.
    const spans = [span('2', '1', 10, 40), span('1', undefined, 0, 100), span('3', '1', 30, 90), span('4', '2', 15, 35), span('5', '99', 50, 60)];
    const t = buildTimeline(spans)!;
    // The first root's whole subtree comes before the orphan, which is a root of its own.
    assert.deepEqual(t.spanIds.map((id) => Number(id)), [1, 2, 4, 3, 5]);
    assert.deepEqual(t.depth, [0, 1, 2, 1, 0]);
    assert.deepEqual(t.parent, [-1, 0, 1, 0, -1]);
    assert.deepEqual(t.startMs, [0, 10, 15, 30, 50]);
    assert.deepEqual(t.spanMs, [100, 30, 20, 60, 10]);
    // root self: 100 − union(10–40, 30–90) = 100 − 80 = 20; a: 30 − 20 = 10.
    assert.deepEqual(t.selfMs, [20, 10, 20, 60, 10]);
    // b ends last (90) → on the path, cursor 30; a starts at 10 < 30 → on the path; a1 too.
    assert.deepEqual(t.critical, [1, 1, 1, 1, 1]);
    assert.equal(t.durationMs, 100);
  });

  test('a span that ends before a later sibling starts is off the critical path', () => {
    const t = buildTimeline([span('1', undefined, 0, 100), span('2', '1', 0, 10), span('3', '1', 20, 30), span('4', '1', 50, 100)])!;
    const critical = Object.fromEntries(t.spanIds.map((id, i) => [Number(id), t.critical[i]]));
    assert.deepEqual(critical, { 1: 1, 2: 1, 3: 1, 4: 1 });
    const overlap = buildTimeline([span('1', undefined, 0, 100), span('2', '1', 10, 95), span('3', '1', 20, 30)])!;
    assert.deepEqual(Object.fromEntries(overlap.spanIds.map((id, i) => [Number(id), overlap.critical[i]])), { 1: 1, 2: 1, 3: 0 });
  });

  test('100,000 spans in one chain, and a parent cycle, do not overflow or loop', () => {
    const chain = Array.from({ length: 100_000 }, (_, i) => span(String(i + 1), i === 0 ? undefined : String(i), i * 0.001, 200 - i * 0.001));
    const t = buildTimeline(chain)!;
    assert.equal(t.spanIds.length, 100_000);
    assert.equal(t.depth[99_999], 99_999);
    const cycle = buildTimeline([span('1', '2', 0, 10), span('2', '1', 1, 5)])!;
    assert.equal(cycle.spanIds.length, 2);
  });

  test('the failure column encodes error, fault and throttle', () => {
    const t = buildTimeline([span('1', undefined, 0, 10, { errorClass: 'fault' }), span('2', '1', 1, 2, { errorClass: 'throttle' }), span('3', '1', 3, 4, { status: 'error' })])!;
    assert.deepEqual(t.failure, [2, 3, 1]);
  });
});

describe('code links', () => {
  const workspace = ['src/app/handler.py', 'tests/app/handler.py', 'src/app/db.py', 'lib/handler.py', 'handler.py'];

  test('path mappings rewrite deployed prefixes first', () => {
    assert.equal(applyPathMappings('/var/task/app/handler.py', { '/var/task/': 'src/' }), 'src/app/handler.py');
    assert.equal(matchWorkspaceFile('/var/task/app/handler.py', workspace, { '/var/task/': 'src/' }), 'src/app/handler.py');
  });

  test('longest suffix wins; ties go to the shorter path; no shared name, no match', () => {
    assert.equal(matchWorkspaceFile('/opt/build/src/app/handler.py', workspace, {}), 'src/app/handler.py');
    assert.equal(matchWorkspaceFile('/var/task/handler.py', workspace, {}), 'handler.py');
    assert.equal(matchWorkspaceFile('C:\\build\\lib\\handler.py', workspace, {}), 'lib/handler.py');
    assert.equal(matchWorkspaceFile('/var/task/other.py', workspace, {}), undefined);
  });
});

describe('service map and compare', () => {
  test('nodes count requests into a service; edges join caller and callee services', async () => {
    const { serviceMap } = await import('../../../server/traces/serviceMap');
    const trace = (offset: number, fault: boolean) => [
      span('1', undefined, offset, offset + 100, { service: 'web' }),
      span('2', '1', offset + 1, offset + 20, { service: 'web' }),
      span('3', '2', offset + 2, offset + 18, { service: 'orders', errorClass: fault ? 'fault' : undefined }),
      span('4', '3', offset + 3, offset + 10, { service: 'dynamodb', errorClass: 'throttle' }),
    ];
    const map = serviceMap([trace(0, true), trace(200, false)], { orders: 10 });
    const node = (s: string) => map.nodes.find((n) => n.service === s)!;
    assert.deepEqual(map.nodes.map((n) => [n.service, n.requests]), [['web', 2], ['orders', 2], ['dynamodb', 2]]);
    assert.equal(node('orders').faultRate, 0.5);
    assert.equal(node('orders').p95Ms, 16);
    assert.equal(node('orders').missesSlo, true);
    assert.equal(node('dynamodb').throttleRate, 1);
    assert.deepEqual(map.edges.map((e) => `${e.from}→${e.to}:${e.requests}`), ['web→orders:2', 'orders→dynamodb:2']);
  });

  test('compare matches spans by path and occurrence and sorts by the largest change', async () => {
    const { compareTraces } = await import('../../../server/traces/compare');
    const left = [span('1', undefined, 0, 100), span('2', '1', 1, 11, { name: 'query' }), span('3', '1', 20, 30, { name: 'query' })];
    const right = [span('1', undefined, 0, 150), span('2', '1', 1, 61, { name: 'query' }), span('4', '1', 70, 80, { name: 'cache' })];
    const summary = { traceId: 'x', rootService: 'svc', rootName: 'op-1', startNs: '0', durationMs: 0, spanCount: 0, errorCount: 0, services: [] };
    const result = compareTraces(left, right, summary, summary);
    assert.deepEqual(result.rows.map((r) => [r.path, r.leftMs, r.rightMs, r.deltaMs]), [
      ['svc:op-1', 100, 150, 50],
      ['svc:op-1 › svc:query', 10, 60, 50],
      ['svc:op-1 › svc:query #2', 10, undefined, -10],
      ['svc:op-1 › svc:cache', undefined, 10, 10],
    ]);
  });
});
