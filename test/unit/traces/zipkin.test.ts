import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readZipkin } from '../../../server/traces/formats/zipkin';
import { fixture, spanById } from './traceFixtures';

describe('Zipkin v2 JSON', () => {
  const { spans, problems } = readZipkin(fixture('zipkin-v2.json'), 'zipkin.json');

  test('64-bit trace ids are left-padded to 128 bits; 128-bit ones kept', () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(spans.map((s) => s.traceId), ['00000000000000005af7183fb1d4cf5f', '00000000000000005af7183fb1d4cf5f', '463ac35c9f6413ad48485a3953bb6124', '463ac35c9f6413ad48485a3953bb6124']);
  });

  test('ids, parents, kinds, services and microsecond times', () => {
    const api = spanById(spans, '352bff9a74ca9ad2');
    assert.deepEqual([api.parentSpanId, api.kind, api.service, api.name, api.startNs, api.durationNs, api.format], ['6b221d5bc9e6496c', 'server', 'backend', 'get /api', '1556604172355737000', 1_431_000, 'zipkin']);
    assert.deepEqual(api.attributes, { 'network.peer.address': '172.19.0.2', 'network.peer.port': 58648, 'http.method': 'GET', 'http.path': '/api', 'mvc.controller.class': 'Backend', 'mvc.controller.method': 'printDate' });
    const compute = spanById(spans, 'a2fb4a1d1a96d312');
    assert.deepEqual([compute.kind, compute.parentSpanId, compute.durationNs, compute.endNs], ['internal', undefined, 0, compute.startNs]);
  });

  test('the error tag makes an error (its value the message), classed by the HTTP status', () => {
    const frontend = spanById(spans, '6b221d5bc9e6496c');
    assert.deepEqual([frontend.status, frontend.statusMessage, frontend.errorClass], ['error', 'Internal Server Error', 'fault']);
    assert.equal('error' in frontend.attributes, false);
    const query = spanById(spans, 'b4e2c6d8a0f1e3c5');
    assert.deepEqual([query.status, query.statusMessage, query.errorClass, query.kind], ['error', undefined, 'throttle', 'client']);
    assert.equal(query.attributes['peer.service'], 'mysql');
    assert.equal(spanById(spans, '352bff9a74ca9ad2').status, 'unset');
  });

  test('annotations become events', () => {
    assert.deepEqual(spanById(spans, '6b221d5bc9e6496c').events, [
      { name: 'wr', timeNs: '1556604172350000000', attributes: {} },
      { name: 'ws', timeNs: '1556604172360000000', attributes: {} },
    ]);
  });

  test('/api/v2/traces: an array of traces, each an array of spans', () => {
    const list = JSON.parse(fixture('zipkin-v2.json').toString()) as unknown[];
    const { spans: nested } = readZipkin(JSON.stringify([list.slice(0, 2), list.slice(2)]));
    assert.deepEqual(nested.map((s) => s.spanId), spans.map((s) => s.spanId));
  });

  test('bad spans are problems; the rest read', () => {
    const good = { traceId: 'a'.repeat(16), id: 'b'.repeat(16), timestamp: 1556604172355737, duration: 5 };
    const { spans: read, problems: found } = readZipkin(JSON.stringify([good, { ...good, traceId: 'x' }, { ...good, id: 'c'.repeat(17) }, { ...good, timestamp: 0 }, { ...good, id: 'd'.repeat(16), duration: 'long' }, { ...good, id: 'e'.repeat(16), parentId: '?' }, null]), 'z.json');
    assert.deepEqual(read.map((s) => s.spanId), ['b'.repeat(16), 'd'.repeat(16), 'e'.repeat(16)]);
    assert.deepEqual(found, [
      'z.json: [1]: traceId "x" is not 16 or 32 hex digits',
      `z.json: [2]: id "${'c'.repeat(17)}" is not 16 hex digits`,
      'z.json: [3]: timestamp 0 is not a time in microseconds',
      'z.json: [4]: duration "long" is not a duration in microseconds; read as zero',
      'z.json: [5]: parentId "?" is not 16 hex digits; read as a root span',
      'z.json: [6] is not an object',
    ]);
  });
});
