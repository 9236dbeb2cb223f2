// TraceService over a real store in a temporary folder and a real workspace folder on disk.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { Store } from '../../../server/store/store';
import type { Span } from '../../../server/traces/model';
import { TraceService, type TraceSettings } from '../../../server/traces/traceService';
import { WorkspaceFiles } from '../../../server/workspaceFiles';

const now = 1_700_000_100_000;
function span(traceId: string, id: string, parent: string | undefined, startMs: number, durationMs: number, extra: Partial<Span> = {}): Span {
  const startNs = BigInt(now - 50_000 + startMs) * 1_000_000n;
  const durationNs = Math.round(durationMs * 1e6);
  return {
    traceId: traceId.padStart(32, '0'), spanId: id.padStart(16, '0'), parentSpanId: parent?.padStart(16, '0'), service: 'orders', name: `op-${id}`, kind: 'server',
    startNs: startNs.toString(), endNs: (startNs + BigInt(durationNs)).toString(), durationNs, status: 'unset', attributes: {}, events: [], links: [], format: 'otlp', ...extra,
  };
}

function setup(settings: Partial<TraceSettings> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'sightline-ws-'));
  mkdirSync(join(root, 'src', 'app'), { recursive: true });
  mkdirSync(join(root, 'tests'), { recursive: true });
  writeFileSync(join(root, 'src', 'app', 'handler.py'), 'def handler(event, context):\n    return process(event)\n\ndef process(e):\n    return e\n');
  writeFileSync(join(root, 'tests', 'handler.py'), 'def test_handler():\n    pass\n');
  const storeDir = mkdtempSync(join(tmpdir(), 'sightline-store-'));
  const store = Store.open(storeDir, { name: 'spans', durable: false, now: () => now });
  const files = new WorkspaceFiles([root], () => []);
  const all: TraceSettings = { pathMappings: { '/var/task/': 'src/' }, windowMs: 3_600_000, sloMs: {}, ...settings };
  return { root, storeDir, store, service: new TraceService(store, files, () => all, () => now) };
}

const code = (fn: string, line: number) => ({ filePath: '/var/task/app/handler.py', functionName: fn, line, source: 'attributes' as const });

describe('TraceService', () => {
  test('golden signals per function of a workspace file, matched through path mappings', () => {
    const { root, service, store } = setup();
    const spans: Span[] = [];
    for (let i = 0; i < 20; i++) {
      const t = `t${i}`;
      spans.push(span(t, '1', undefined, i * 100, 10 + i, { code: code('handler', 1), errorClass: i % 10 === 0 ? 'fault' : undefined }));
      spans.push(span(t, '2', '1', i * 100 + 1, 5, { code: code('process', 4) }));
    }
    spans.push(span('weak', '1', undefined, 0, 7, { name: 'process' }));
    assert.deepEqual(service.ingest(spans), { inserted: 41, duplicates: 0, replaced: 0, expired: 0 });
    assert.equal(service.ingest(spans.slice(0, 3)).duplicates, 3);
    const stats = service.functionStats(join(root, 'src', 'app', 'handler.py'), ['handler', 'process', 'unused']);
    assert.deepEqual(stats.map((s) => [s.function, s.calls, s.p50Ms, s.p95Ms, s.errorRate, s.line, s.weak]), [
      ['handler', 20, 19, 28, 0.1, 1, false],
      ['process', 20, 5, 5, 0, 4, false],
    ]);
    assert.deepEqual(service.functionStats(join(root, 'tests', 'handler.py'), ['test_handler']), []);
    store.close();
  });

  test('spans with no code attributes match functions by name, as weak matches', () => {
    const { root, service } = setup();
    service.ingest([span('a', '1', undefined, 0, 3, { name: 'process' }), span('b', '1', undefined, 10, 5, { name: 'process', status: 'error' })]);
    const [stats] = service.functionStats(join(root, 'src', 'app', 'handler.py'), ['handler', 'process']);
    assert.deepEqual({ ...stats }, { function: 'process', name: 'process', weak: true, calls: 2, p50Ms: 3, p95Ms: 5, errorRate: 0.5 });
  });

  test('the statistics window excludes old spans', () => {
    const { root, service } = setup({ windowMs: 10_000 });
    service.ingest([span('old', '1', undefined, -3_600_000, 100, { code: code('handler', 1) }), span('new', '1', undefined, 45_000, 4, { code: code('handler', 1) })]);
    assert.deepEqual(service.functionStats(join(root, 'src', 'app', 'handler.py')).map((s) => s.calls), [1]);
  });

  test('a complete X-Ray segment replaces the in-progress one with the same id', () => {
    const { service } = setup();
    service.ingest([span('x', '1', undefined, 0, 0, { inProgress: true })]);
    assert.equal(service.ingest([span('x', '1', undefined, 0, 250)]).replaced, 1);
    assert.equal(service.summary('x'.padStart(32, '0'))!.durationMs, 250);
  });

  test('trace list: filters, sorts, error classes, attribute and text search, function filter', () => {
    const { root, service } = setup();
    service.ingest([
      span('a', '1', undefined, 0, 100, { service: 'web', name: 'GET /orders' }),
      span('a', '2', '1', 1, 50, { service: 'orders', errorClass: 'throttle', attributes: { 'db.table': 'orders' } }),
      span('b', '1', undefined, 500, 30, { service: 'web', name: 'GET /health' }),
      span('c', '1', undefined, 900, 300, { service: 'web', name: 'POST /orders', code: code('handler', 1) }),
    ]);
    const ids = (q: Parameters<TraceService['listTraces']>[0]) => service.listTraces(q).map((s) => s.traceId.replace(/^0+/, ''));
    assert.deepEqual(ids({}), ['c', 'b', 'a']);
    assert.deepEqual(ids({ sort: 'slowest' }), ['c', 'a', 'b']);
    assert.deepEqual(ids({ errorsOnly: true }), ['a']);
    assert.deepEqual(ids({ minDurationMs: 50, maxDurationMs: 200 }), ['a']);
    assert.deepEqual(ids({ operation: 'GET /health' }), ['b']);
    assert.deepEqual(ids({ attribute: { key: 'db.table', value: 'orders' } }), ['a']);
    assert.deepEqual(ids({ text: 'health' }), ['b']);
    assert.deepEqual(ids({ function: { file: join(root, 'src', 'app', 'handler.py'), name: 'handler' } }), ['c']);
    const a = service.listTraces({ errorsOnly: true })[0];
    assert.deepEqual([a.spanCount, a.errorCount, a.errorClass, a.services.sort()], [2, 1, 'throttle', ['orders', 'web']]);
  });

  test('span details resolve code and stack frames to workspace files', async () => {
    const { root, service } = setup();
    const stack = 'Traceback (most recent call last):\n  File "/var/task/app/handler.py", line 2, in handler\nValueError: bad';
    service.ingest([span('e', '1', undefined, 0, 9, {
      code: code('handler', 2),
      attributes: { 'http.route': '/orders', hostile: '<img src=x onerror=alert(1)>', list: [1, 'two'] },
      events: [{ name: 'exception', timeNs: (BigInt(now - 50_000 + 4) * 1_000_000n).toString(), attributes: { 'exception.stacktrace': stack } }],
    })]);
    const detail = (await service.span('e'.padStart(32, '0'), '1'.padStart(16, '0')))!;
    const uri = pathToFileURL(join(root, 'src', 'app', 'handler.py')).href;
    assert.deepEqual(detail.locations, [{ uri, line: 1, function: 'handler', match: 'attributes' }]);
    assert.deepEqual(detail.attributes.find((a) => a.key === 'list'), { key: 'list', value: '[1,"two"]' });
    assert.equal(detail.events[0].offsetMs, 4);
    assert.deepEqual(detail.stack?.find((f) => f.uri), { text: '  File "/var/task/app/handler.py", line 2, in handler', uri, line: 1 });
    assert.equal(await service.span('e'.padStart(32, '0'), 'nope'.padStart(16, '0')), null);
  });

  test('timeline, service map and compare come from the stored spans; the store reopens with them', () => {
    const { service, store, storeDir, root } = setup();
    service.ingest([span('m', '1', undefined, 0, 100, { service: 'web' }), span('m', '2', '1', 5, 40, { service: 'orders', code: code('handler', 1) })]);
    service.ingest([span('n', '1', undefined, 0, 150, { service: 'web' }), span('n', '2', '1', 5, 90, { service: 'orders' })]);
    assert.equal(service.timeline('m'.padStart(32, '0'))!.spanIds.length, 2);
    assert.deepEqual(service.serviceMap().edges.map((e) => `${e.from}→${e.to}`), ['web→orders']);
    assert.deepEqual(service.compare('m'.padStart(32, '0'), 'n'.padStart(32, '0'))!.rows.map((r) => r.deltaMs), [50, 50]);
    store.close();
    const reopened = Store.open(storeDir, { name: 'spans', durable: false, now: () => now });
    const again = new TraceService(reopened, new WorkspaceFiles([root], () => []), () => ({ pathMappings: { '/var/task/': 'src/' }, windowMs: 3_600_000, sloMs: {} }), () => now);
    assert.equal(again.spanCount, 4);
    assert.deepEqual(again.functionStats(join(root, 'src', 'app', 'handler.py')).map((s) => s.calls), [1]);
    reopened.close();
  });
});
