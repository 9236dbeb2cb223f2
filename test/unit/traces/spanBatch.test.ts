// Spans through a SpanBatch (what import workers send back) come out as the spans that went in:
// the same fields, in the same order, the same values of every kind.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { serialize, deserialize } from 'node:v8';
import { readTraces } from '../../../server/traces/formats/detect';
import type { Span } from '../../../server/traces/model';
import { SpanBatchWriter, readSpanBatch, type SpanBatch } from '../../../server/traces/spanBatch';
import { otlpJsonDocument, otlpRequests, xrayDocuments } from './syntheticTraces';
import { fixture } from './traceFixtures';

/** Through a writer in batches of `size`, and through structured clone as postMessage would send them. */
function roundTrip(spans: readonly Span[], size = 1000): Span[] {
  const writer = new SpanBatchWriter();
  const batches: SpanBatch[] = [];
  for (const span of spans) {
    writer.add(span);
    if (writer.count === size) batches.push(writer.finish());
  }
  batches.push(writer.finish());
  const out: Span[] = [];
  for (const batch of batches) readSpanBatch(deserialize(serialize(batch)) as SpanBatch, out);
  return out;
}

/** Equal, and equal as the store would write them (JSON.stringify keeps key order). */
function assertSame(actual: readonly Span[], expected: readonly Span[]): void {
  assert.deepStrictEqual(actual, expected);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected));
}

const base: Span = {
  traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', parentSpanId: undefined, service: 'checkout', name: 'POST /checkout', kind: 'server',
  startNs: '1700000000123456789', endNs: '1700000000373456789', durationNs: 250_000_000, status: 'unset', statusMessage: undefined, errorClass: undefined,
  attributes: {}, events: [], links: [], code: undefined, inProgress: undefined, format: 'otlp',
};

describe('SpanBatch', () => {
  test('every attribute value kind, events, links, code and every enum survive', () => {
    const nested = JSON.parse('{"__proto__": {"polluted": true}, "list": [1, "two", null, [false]], "empty": {}}') as Span['attributes'];
    const spans: Span[] = [
      { ...base, attributes: { s: 'text', i: 42, big: '9007199254740993', d: 129.95, neg: -3, negZero: -0, nan: NaN, inf: -Infinity, huge: 2 ** 40, t: true, f: false, n: null, arr: ['card', 3, true], obj: nested } },
      {
        ...base, spanId: '1a2b3c4d5e6f7081', parentSpanId: 'eee19b7ec3c1b174', kind: 'client', status: 'error', statusMessage: 'card declined', errorClass: 'throttle',
        events: [{ name: 'exception', timeNs: '1700000000350000001', attributes: { 'exception.type': 'CardDeclinedError' } }],
        links: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', attributes: { 'link.reason': 'retry of' } }],
        code: { filePath: 'src/pay.ts', source: 'stack', functionName: 'charge', line: 12 }, inProgress: true, format: 'xray',
      },
      { ...base, spanId: '2b3c4d5e6f708192', kind: 'consumer', status: 'ok', errorClass: 'fault', code: { source: 'attributes', functionName: 'f' }, inProgress: false, format: 'zipkin' },
      { ...base, spanId: '3c4d5e6f70819203', kind: 'unspecified', errorClass: 'error', format: 'jaeger', name: '', service: '' },
    ];
    const back = roundTrip(spans);
    assertSame(back, spans);
    assert.ok(Object.is(back[0].attributes.negZero, -0));
    assert.equal(Object.getPrototypeOf((back[0].attributes.obj as object)), Object.prototype);
    assert.deepEqual(Object.keys(back[0].attributes.obj as object), ['__proto__', 'list', 'empty']);
  });

  test('attributes shared with the span before are shared by value, not by accident', () => {
    const resource = { 'service.name': 'checkout', 'process.pid': 4711 };
    const spans: Span[] = [
      { ...base, attributes: { ...resource, a: 1 } },
      { ...base, spanId: '0000000000000002', attributes: { ...resource, a: 2 } },
      { ...base, spanId: '0000000000000003', attributes: { ...resource } },
      { ...base, spanId: '0000000000000004', attributes: { 'process.pid': 4711, 'service.name': 'checkout' } },
      { ...base, spanId: '0000000000000005', attributes: { ...resource, 'service.name': 'other', a: 2 } },
    ];
    const back = roundTrip(spans);
    assertSame(back, spans);
    back[0].attributes.a = 'changed';
    assert.equal(back[1].attributes.a, 2);
  });

  test('spans read from every format, across many batches, come back the same', () => {
    const inputs: [string, Buffer][] = [
      ['otlp.json', Buffer.from(otlpJsonDocument(otlpRequests(3000)))],
      ['xray.json', Buffer.from(`[${xrayDocuments(400).join(',')}]`)],
      ...['otlp-checkout.json', 'otlp-legacy.json', 'jaeger-api-traces.json', 'zipkin-v2.json', 'xray-batch-get-traces.json', 'collector-file.jsonl'].map((name) => [name, fixture(name)] as [string, Buffer]),
    ];
    for (const [name, bytes] of inputs) {
      const { spans } = readTraces(bytes, name);
      assert.ok(spans.length > 0, name);
      for (const size of [1, 7, 2048]) assertSame(roundTrip(spans, size), spans);
    }
  });
});
