import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readJaeger } from '../../../server/traces/formats/jaeger';
import { fixture, spanById } from './traceFixtures';

describe('Jaeger JSON (/api/traces)', () => {
  const { spans, problems } = readJaeger(fixture('jaeger-api-traces.json'), 'jaeger.json');
  const trace = 'a62fd3c5c3cd49b4bd3d1be1b9bd0b01';

  test('every span of every trace, with its process\'s service', () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(spans.map((s) => [s.name, s.service, s.format]), [
      ['HTTP GET /dispatch', 'frontend', 'jaeger'], ['FindDriverIDs', 'redis', 'jaeger'], ['process dispatch job', 'redis', 'jaeger'], ['GetDriver', 'driver', 'jaeger'],
    ]);
  });

  test('microsecond times; a 64-bit trace id is left-padded', () => {
    const root = spanById(spans, '5c9a8d3d3bfa2e3c');
    assert.deepEqual([root.traceId, root.startNs, root.endNs, root.durationNs], [trace, '1700000000123456000', '1700000000835490000', 712_034_000]);
    assert.equal(spanById(spans, '3f2a0c9d8e7b6a51').traceId, '00000000000000003f2a0c9d8e7b6a51');
  });

  test('CHILD_OF is the parent, a FOLLOWS_FROM elsewhere a link, a lone FOLLOWS_FROM the parent', () => {
    const find = spanById(spans, '2d1f5e77c0b1a9e8');
    assert.equal(find.parentSpanId, '5c9a8d3d3bfa2e3c');
    assert.deepEqual(find.links, [{ traceId: '0000000000000000c0ffee0000000001', spanId: '00000000000000aa', attributes: { 'jaeger.ref_type': 'FOLLOWS_FROM' } }]);
    const job = spanById(spans, '7e3d9a5b1c2f4e6a');
    assert.deepEqual([job.parentSpanId, job.links], ['5c9a8d3d3bfa2e3c', []]);
  });

  test('typed tags become attributes after the process tags; span.kind, error and otel.status_* become fields', () => {
    const root = spanById(spans, '5c9a8d3d3bfa2e3c');
    assert.equal(root.kind, 'server');
    assert.deepEqual(root.attributes, { hostname: 'hotrod-7b9f', 'jaeger.version': 'Go-2.30.0', 'http.method': 'GET', 'http.status_code': 200, 'sampler.param': true, 'internal.span.format': 'proto' });
    const find = spanById(spans, '2d1f5e77c0b1a9e8');
    assert.equal(find.kind, 'client');
    assert.equal(find.attributes['redis.retries'], '9007199254740993');
    assert.equal(find.attributes['redis.latency.factor'], 1.5);
    assert.equal(find.attributes['redis.key'], 'ZHJpdmVyczp3ZXN0');
    assert.equal(find.attributes.ip, '10.0.0.12');
    for (const gone of ['span.kind', 'error', 'otel.status_description']) assert.equal(gone in find.attributes, false, gone);
    assert.deepEqual([find.status, find.statusMessage, find.errorClass], ['error', 'redis timeout', 'error']);
    assert.deepEqual(find.code, { source: 'attributes', filePath: 'services/driver/redis.go', functionName: 'FindDriverIDs', line: 61 });
    const job = spanById(spans, '7e3d9a5b1c2f4e6a');
    assert.deepEqual([job.kind, job.status, job.errorClass], ['consumer', 'error', 'fault']);
    assert.equal(spanById(spans, '3f2a0c9d8e7b6a51').kind, 'unspecified');
  });

  test('logs become events named by their event (or message) field', () => {
    assert.deepEqual(spanById(spans, '5c9a8d3d3bfa2e3c').events, [{ name: 'HTTP request received', timeNs: '1700000000123999000', attributes: { level: 'info' } }]);
    assert.deepEqual(spanById(spans, '2d1f5e77c0b1a9e8').events, [{ name: 'retrying GetDriver after error', timeNs: '1700000000210000000', attributes: { message: 'retrying GetDriver after error', retry_no: 1 } }]);
  });

  test('the UI download as a bare array of traces, and one trace alone', () => {
    const { data } = JSON.parse(fixture('jaeger-api-traces.json').toString()) as { data: unknown[] };
    assert.equal(readJaeger(JSON.stringify(data)).spans.length, 4);
    assert.equal(readJaeger(JSON.stringify(data[1])).spans.length, 1);
  });

  test('bad spans and query errors are problems', () => {
    const text = JSON.stringify({
      data: [{ traceID: 'zz', spans: [{ spanID: '1', startTime: 1, duration: 1 }, { traceID: 'ab', spanID: 'nope', startTime: 1 }, { traceID: 'ab', spanID: 'cd', startTime: -4 }, { traceID: 'ab', spanID: 'ce', startTime: 10, duration: -1 }], processes: {} }],
      errors: [{ code: 500, msg: 'trace not found' }],
    });
    const { spans, problems } = readJaeger(text, 'q.json');
    assert.deepEqual(spans.map((s) => [s.spanId, s.durationNs, s.service]), [['00000000000000ce', 0, 'unknown_service']]);
    assert.deepEqual(problems, [
      'q.json: data[0].spans[0]: traceID "zz" is not a hex trace id',
      'q.json: data[0].spans[1]: spanID "nope" is not a 64-bit hex id',
      'q.json: data[0].spans[2]: startTime -4 is not a time in microseconds',
      'q.json: data[0].spans[3]: duration -1 is not a duration in microseconds; read as zero',
      'q.json: the Jaeger query reported errors: trace not found',
    ]);
  });
});
