import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import * as protobuf from 'protobufjs';
import { readTraces } from '../../../server/traces/formats/detect';
import { readOtlpProtobuf } from '../../../server/traces/formats/otlpProtobuf';
import { exportTraceServiceRequest, otlpJsonDocument, otlpProtobuf, otlpRequests } from './syntheticTraces';
import { fixture } from './traceFixtures';

const protoDir = resolve(__dirname, '..', '..', '..', '..', 'server', 'traces', 'formats', 'opentelemetry-proto');

describe('the vendored opentelemetry-proto definitions', () => {
  test('descriptor.json is exactly what protobufjs makes of the .proto files (SIGHTLINE_UPDATE_DESCRIPTOR=1 rewrites it)', () => {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => join(protoDir, target);
    root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto');
    const expected = `${JSON.stringify(root.toJSON(), null, 2)}\n`;
    const path = join(protoDir, 'descriptor.json');
    if (process.env.SIGHTLINE_UPDATE_DESCRIPTOR === '1') writeFileSync(path, expected);
    assert.equal(readFileSync(path, 'utf8'), expected);
  });

  test('ship with their licence', () => {
    assert.match(readFileSync(join(protoDir, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
    assert.match(readFileSync(join(protoDir, 'opentelemetry/proto/trace/v1/trace.proto'), 'utf8'), /Licensed under the Apache License, Version 2\.0/);
  });
});

/** An OTLP/JSON document as the protobuf encoder takes it: only ids need turning into bytes (enum names, int64 strings and base64 are understood). */
function jsonToProtobuf(json: unknown): Uint8Array {
  const bytesIds = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(bytesIds);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, /^(traceId|spanId|parentSpanId)$/.test(key) && typeof v === 'string' ? Buffer.from(v, 'hex') : bytesIds(v)]));
  };
  const type = exportTraceServiceRequest();
  return type.encode(type.fromObject(bytesIds(json) as Record<string, unknown>)).finish();
}

describe('OTLP/protobuf', () => {
  test('the checkout fixture encoded as protobuf reads exactly as its JSON form', () => {
    const json = readTraces(fixture('otlp-checkout.json'));
    const bytes = jsonToProtobuf(JSON.parse(fixture('otlp-checkout.json').toString()));
    const decoded = readTraces(bytes, 'checkout.pb');
    assert.equal(decoded.format, 'otlp-protobuf');
    assert.deepEqual(decoded.problems, []);
    assert.deepEqual(decoded.spans, json.spans);
    assert.equal(decoded.spans[0].startNs, '1700000000123456789');
    assert.equal(decoded.spans[1].attributes['payment.card.bin'], 'QUJDRA==');
  });

  test('export batches from the synthetic generator read the same from protobuf and JSON', () => {
    const [request] = otlpRequests(512);
    const fromProtobuf = readOtlpProtobuf(otlpProtobuf(request));
    const fromJson = readTraces(otlpJsonDocument([request]));
    assert.equal(fromProtobuf.spans.length, 512);
    assert.deepEqual(fromProtobuf.spans, fromJson.spans);
  });

  test('bytes written by hand from the field numbers in trace.proto (independent of the encoder)', () => {
    const varint = (n: number): number[] => {
      const out: number[] = [];
      for (; n > 127; n = Math.floor(n / 128)) out.push((n % 128) | 128);
      return [...out, n];
    };
    const len = (field: number, body: number[]) => [...varint((field << 3) | 2), ...varint(body.length), ...body];
    const text = (field: number, value: string) => len(field, [...Buffer.from(value)]);
    const fixed64 = (field: number, decimal: string) => {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(BigInt(decimal));
      return [...varint((field << 3) | 1), ...b];
    };
    const keyValue = (key: string, value: number[]) => len(9, [...text(1, key), ...len(2, value)]);
    const span = [
      ...len(1, [...Buffer.from('5b8efff798038103d269b633813fc60c', 'hex')]), ...len(2, [...Buffer.from('eee19b7ec3c1b174', 'hex')]),
      ...text(5, 'GET /health'), ...varint(6 << 3), 2, ...fixed64(7, '1700000000123456789'), ...fixed64(8, '1700000000123457789'),
      ...keyValue('http.response.status_code', [...varint(3 << 3), ...varint(503)]),
      ...keyValue('ok', [...varint(2 << 3), 1]),
      ...len(15, [...text(2, 'upstream down'), ...varint(3 << 3), 2]),
    ];
    const resource = len(1, len(1, [...text(1, 'service.name'), ...len(2, text(1, 'health'))]));
    const body = Uint8Array.from(len(1, [...resource, ...len(2, [...len(1, text(1, 'probe')), ...len(2, span)])]));
    const { spans, problems } = readOtlpProtobuf(body);
    assert.deepEqual(problems, []);
    assert.deepEqual(spans, [{
      traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', parentSpanId: undefined, service: 'health', name: 'GET /health', kind: 'server',
      startNs: '1700000000123456789', endNs: '1700000000123457789', durationNs: 1000, status: 'error', statusMessage: 'upstream down', errorClass: 'fault',
      attributes: { 'service.name': 'health', 'otel.scope.name': 'probe', 'http.response.status_code': 503, ok: true },
      events: [], links: [], code: undefined, inProgress: undefined, format: 'otlp',
    }]);
  });

  test('zero values of every AnyValue member are values, not absent', () => {
    const zero = [['s', { stringValue: '' }], ['i', { intValue: 0 }], ['b', { boolValue: false }], ['d', { doubleValue: 0 }], ['a', { arrayValue: {} }], ['k', { kvlistValue: {} }], ['y', { bytesValue: '' }], ['none', {}]]
      .map(([key, value]) => ({ key, value }));
    const bytes = jsonToProtobuf({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', startTimeUnixNano: '1', endTimeUnixNano: '2', attributes: zero }] }] }] });
    assert.deepEqual(readOtlpProtobuf(bytes).spans[0].attributes, { s: '', i: 0, b: false, d: 0, a: [], k: {}, y: '', none: null });
  });

  test('the deprecated instrumentation_library_spans (field 1000) still decodes', () => {
    const bytes = jsonToProtobuf({ resourceSpans: [{ instrumentationLibrarySpans: [{ instrumentationLibrary: { name: 'old-lib' }, spans: [{ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', name: 'old', startTimeUnixNano: '1600000000000000000', endTimeUnixNano: '1600000000000000001' }] }] }] });
    const { spans, problems } = readOtlpProtobuf(bytes);
    assert.deepEqual(problems, []);
    assert.equal(spans[0].attributes['otel.scope.name'], 'old-lib');
    assert.equal(spans[0].durationNs, 1);
  });

  test('a truncated body keeps every span before the cut and says where it was cut', () => {
    const [request] = otlpRequests(40);
    const bytes = otlpProtobuf(request);
    const { spans, problems } = readOtlpProtobuf(bytes.subarray(0, Math.floor(bytes.length * 0.6)), 'cut.pb');
    assert.ok(spans.length >= 20 && spans.length < 40, `${spans.length} spans`);
    assert.deepEqual(spans, readOtlpProtobuf(bytes).spans.slice(0, spans.length));
    assert.ok(problems.some((p) => /^cut\.pb: resourceSpans\[0\]\.scopeSpans\[0\]: truncated: field 2 at byte \d+ declares \d+ bytes but only \d+ remain$/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => p === `cut.pb: resourceSpans[0].scopeSpans[0].spans[${spans.length}]: cut off by the truncation; skipped`), problems.join('\n'));
  });

  test('one corrupt span is a problem; the others read', () => {
    const [request] = otlpRequests(3);
    const bytes = Buffer.from(otlpProtobuf(request));
    // The second span's name: overwrite its tag (field 5, wire type 2) with field 5, wire type 7 (invalid).
    const name = Buffer.from(request.resourceSpans[0].scopeSpans[0].spans[1].name);
    const at = bytes.indexOf(name, bytes.indexOf(Buffer.from(request.resourceSpans[0].scopeSpans[0].spans[1].spanId, 'hex')));
    bytes[at - 2] = (5 << 3) | 7;
    const { spans, problems } = readOtlpProtobuf(bytes);
    assert.equal(spans.length, 2);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[1\]: not valid protobuf: invalid wire type 7/);
  });

  test('a string that is not valid UTF-8 keeps its span (read with U+FFFD)', () => {
    const bytes = Buffer.from(jsonToProtobuf({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', name: 'héllo', startTimeUnixNano: '1', endTimeUnixNano: '2' }] }] }] }));
    bytes[bytes.indexOf(0xc3)] = 0xff;
    const { spans, problems } = readOtlpProtobuf(bytes);
    assert.deepEqual(problems, []);
    assert.equal(spans[0].name, 'h\ufffd\ufffdllo');
  });

  test('an empty body and junk are problems', () => {
    assert.deepEqual(readOtlpProtobuf(new Uint8Array(0), 'empty.pb').problems, ['empty.pb: is empty']);
    const junk = readOtlpProtobuf(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]), 'junk.pb');
    assert.deepEqual(junk.spans, []);
    assert.equal(junk.problems[0], 'junk.pb: message: truncated: field 1 at byte 0 declares 4294967295 bytes but only 2 remain');
  });
});
