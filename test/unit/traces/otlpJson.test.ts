import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readTraces } from '../../../server/traces/formats/detect';
import { readOtlpJson } from '../../../server/traces/formats/otlpJson';
import { fixture, spanById } from './traceFixtures';

const trace = '5b8efff798038103d269b633813fc60c';

describe('OTLP/JSON (the opentelemetry-proto example shape)', () => {
  const { spans, problems } = readOtlpJson(fixture('otlp-checkout.json'), 'otlp-checkout.json');

  test('reads every span, ignoring unknown fields, with no problems', () => {
    assert.deepEqual(problems, []);
    assert.equal(spans.length, 4);
    assert.ok(spans.every((s) => s.format === 'otlp' && s.traceId === trace && s.service === 'checkout'));
  });

  test('upper-case hex ids, nanosecond strings past 2^53 and integer enums', () => {
    const root = spanById(spans, 'eee19b7ec3c1b174');
    assert.equal(root.parentSpanId, undefined);
    assert.equal(root.name, 'POST /checkout');
    assert.equal(root.kind, 'server');
    assert.equal(root.startNs, '1700000000123456789');
    assert.equal(root.endNs, '1700000000373456789');
    assert.equal(root.durationNs, 250_000_000);
    assert.equal(root.status, 'ok');
    assert.equal(root.errorClass, undefined);
  });

  test('resource and scope attributes are merged into each span', () => {
    const root = spanById(spans, 'eee19b7ec3c1b174');
    assert.deepEqual(root.attributes, {
      'service.name': 'checkout', 'service.version': '2.4.1', 'cloud.provider': 'aws', 'cloud.region': 'eu-west-1', 'process.pid': 4711,
      'otel.scope.name': '@opentelemetry/instrumentation-http', 'otel.scope.version': '0.52.1',
      'http.request.method': 'POST', 'url.path': '/checkout', 'http.response.status_code': 200,
    });
  });

  test('every AnyValue type, enum names, events, links and status', () => {
    const charge = spanById(spans, '1a2b3c4d5e6f7081');
    assert.equal(charge.kind, 'internal');
    assert.equal(charge.parentSpanId, 'eee19b7ec3c1b174');
    const a = charge.attributes;
    assert.equal(a['payment.amount'], 129.95);
    assert.equal(a['payment.retried'], false);
    assert.equal(a['payment.card.bin'], 'QUJDRA==');
    assert.deepEqual(a['payment.methods'], ['card', 3, true]);
    // 9007199254740993 is 2^53 + 1: a number would round it, so it stays a decimal string.
    assert.deepEqual(a['payment.customer'], { tier: 'gold', orders: '9007199254740993', nested: { ok: true } });
    assert.equal(a['payment.empty'], null);
    assert.equal(a['code.lineno'], 42);
    assert.deepEqual(charge.events, [{ name: 'exception', timeNs: '1700000000350000001', attributes: { 'exception.type': 'CardDeclinedError', 'exception.message': 'card declined: insufficient funds' } }]);
    assert.deepEqual(charge.links, [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', attributes: { 'link.reason': 'retry of' } }]);
    assert.equal(charge.status, 'error');
    assert.equal(charge.statusMessage, 'card declined');
    assert.equal(charge.errorClass, 'error');
  });

  test('an ERROR span is a fault on a 5xx and a throttle on a 429', () => {
    assert.equal(spanById(spans, '2b3c4d5e6f708192').errorClass, 'fault');
    assert.equal(spanById(spans, '2b3c4d5e6f708192').statusMessage, 'Service Unavailable');
    assert.equal(spanById(spans, '3c4d5e6f708192a3').errorClass, 'throttle');
  });

  test('code locations from old and new code.* names and from code.stacktrace', () => {
    assert.deepEqual(spanById(spans, '1a2b3c4d5e6f7081').code, { source: 'attributes', filePath: '/srv/app/src/payments/charge.ts', functionName: 'chargeCard', namespace: 'PaymentService', line: 42 });
    assert.deepEqual(spanById(spans, '3c4d5e6f708192a3').code, { source: 'attributes', filePath: 'src/inventory/reserve.py', functionName: 'reserve_stock', namespace: 'inventory.reserve', line: 17 });
    // The first frame is in node_modules: the first of the application's own is used.
    assert.deepEqual(spanById(spans, '2b3c4d5e6f708192').code, { filePath: '/srv/app/src/payments/gateway.ts', source: 'stack', functionName: 'post', namespace: 'PaymentGateway', line: 57 });
  });
});

describe('OTLP/JSON as exporters really send it', () => {
  test('base64 ids (padded, unpadded, URL-safe) and bare-number times past 2^53, exactly', () => {
    const { spans, problems } = readOtlpJson(fixture('otlp-base64-bare-numbers.json'));
    assert.deepEqual(problems, []);
    const [server, client] = spans;
    assert.equal(server.traceId, trace);
    assert.equal(server.spanId, 'eee19b7ec3c1b174');
    assert.equal(server.kind, 'server');
    assert.equal(server.startNs, '1700000000123456789');
    assert.equal(server.endNs, '1700000000987654321');
    assert.equal(server.durationNs, 864_197_532);
    assert.equal(server.events[0].timeNs, '1700000000500000001');
    assert.equal(server.attributes['big.counter'], '18446744073709551');
    assert.equal(server.attributes['huge.counter'], '-9223372036854775807');
    assert.equal(server.status, 'unset');
    assert.equal(client.traceId, trace);
    assert.equal(client.spanId, '1122334455667788');
    assert.equal(client.parentSpanId, 'eee19b7ec3c1b174');
    assert.equal(client.startNs, '1700000000200000000');
    assert.equal(client.status, 'ok');
  });

  test('the legacy shape: batches and instrumentationLibrarySpans', () => {
    const { spans, problems } = readOtlpJson(fixture('otlp-legacy.json'));
    assert.deepEqual(problems, []);
    assert.equal(spans.length, 2);
    const [server, repository] = spans;
    assert.equal(server.service, 'legacy-billing');
    assert.equal(server.attributes['otel.scope.name'], 'io.opentelemetry.tomcat-7.0');
    assert.equal(server.errorClass, 'fault');
    assert.equal(server.statusMessage, 'NullPointerException');
    assert.equal(repository.kind, 'internal');
    assert.deepEqual(repository.code, { filePath: 'com/acme/billing/InvoiceRepository.java', source: 'stack', functionName: 'findAll', namespace: 'com.acme.billing.InvoiceRepository', line: 88 });
  });

  test('instrumentationLibrarySpans is ignored when scopeSpans is there', () => {
    const span = (id: string) => ({ traceId: trace, spanId: id, startTimeUnixNano: '1', endTimeUnixNano: '2' });
    const text = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span('0000000000000001')] }], instrumentationLibrarySpans: [{ spans: [span('0000000000000002')] }] }] });
    const { spans } = readOtlpJson(text);
    assert.deepEqual(spans.map((s) => [s.spanId, s.service]), [['0000000000000001', 'unknown_service']]);
  });

  test('proto field names in snake_case and Tempo\'s { "trace": … } wrapper', () => {
    const snake = `{"resource_spans":[{"resource":{"attributes":[{"key":"service.name","value":{"string_value":"snake"}}]},"scope_spans":[{"spans":[{"trace_id":"${trace}","span_id":"eee19b7ec3c1b174","parent_span_id":"","name":"x","kind":"SPAN_KIND_CLIENT","start_time_unix_nano":1700000000123456789,"end_time_unix_nano":"1700000000123456799","attributes":[{"key":"n","value":{"int_value":7}}]}]}]}]}`;
    const [span] = readTraces(snake).spans;
    assert.deepEqual([span.service, span.kind, span.startNs, span.durationNs, span.attributes.n], ['snake', 'client', '1700000000123456789', 10, 7]);
    const tempo = JSON.stringify({ trace: JSON.parse(fixture('otlp-legacy.json').toString()) });
    assert.equal(readTraces(tempo).spans.length, 2);
  });

  test('no attribute key can reach an object prototype', () => {
    const text = '{"resourceSpans":[{"resource":{"attributes":[{"key":"__proto__","value":{"kvlistValue":{"values":[{"key":"polluted","value":{"boolValue":true}}]}}}]},"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","startTimeUnixNano":"1","endTimeUnixNano":"2","attributes":[{"key":"__proto__","value":{"stringValue":"x"}}]}]}]}]}';
    const [span] = readOtlpJson(text).spans;
    assert.equal(Object.getPrototypeOf(span.attributes), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('OTLP/JSON with bad parts keeps the good spans', () => {
  const good = { traceId: trace, spanId: 'eee19b7ec3c1b174', name: 'ok', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000000000100' };

  test('each bad span is a problem naming where it is and what is wrong', () => {
    const spans = [
      good,
      { ...good, traceId: 'abc' },
      { ...good, traceId: '0'.repeat(32) },
      { ...good, spanId: undefined },
      { ...good, startTimeUnixNano: 'yesterday' },
      { ...good, spanId: '1111111111111111', endTimeUnixNano: '1' },
      { ...good, spanId: '2222222222222222', parentSpanId: 'zz' },
      42,
    ];
    const result = readOtlpJson(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }), 'bad.json');
    assert.deepEqual(result.spans.map((s) => s.spanId), ['eee19b7ec3c1b174', '1111111111111111', '2222222222222222']);
    assert.equal(result.spans[1].durationNs, 0);
    assert.equal(result.spans[2].parentSpanId, undefined);
    assert.deepEqual(result.problems, [
      'bad.json: resourceSpans[0].scopeSpans[0].spans[1]: traceId "abc" is not a 16-byte id in hex or base64',
      'bad.json: resourceSpans[0].scopeSpans[0].spans[2]: traceId "00000000000000000000000000000000" is not a 16-byte id in hex or base64',
      'bad.json: resourceSpans[0].scopeSpans[0].spans[3]: has no spanId',
      'bad.json: resourceSpans[0].scopeSpans[0].spans[4]: startTimeUnixNano "yesterday" is not a time in nanoseconds',
      'bad.json: resourceSpans[0].scopeSpans[0].spans[5]: endTimeUnixNano "1" is missing or before the start; read as a zero-length span',
      'bad.json: resourceSpans[0].scopeSpans[0].spans[6]: parentSpanId "zz" is not an 8-byte id; read as a root span',
      'bad.json: resourceSpans[0].scopeSpans[0].spans[7]: is not an object',
    ]);
  });

  test('a document cut off part-way keeps every complete resourceSpans before the cut', () => {
    const element = (id: string) => JSON.stringify({ resource: { attributes: [{ key: 'service.name', value: { stringValue: id } }] }, scopeSpans: [{ spans: [{ ...good, spanId: id }] }] });
    const text = `{"resourceSpans":[${element('000000000000000a')},${element('000000000000000b')},${element('000000000000000c')}]}`;
    const cut = text.slice(0, text.indexOf('000000000000000c') + 5);
    const result = readTraces(Buffer.from(cut), 'cut.json');
    assert.equal(result.format, 'otlp-json');
    assert.deepEqual(result.spans.map((s) => s.service), ['000000000000000a', '000000000000000b']);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0], /^cut\.json: the JSON is cut off at byte \d+, inside resourceSpans\[2\]; read the 2 complete elements before it$/);
  });

  test('one malformed resourceSpans element costs only its own spans', () => {
    const element = JSON.stringify({ scopeSpans: [{ spans: [good] }] });
    const result = readTraces(`{"resourceSpans":[${element},{"scopeSpans":[{"spans":[{"traceId":}]}]},${element}]}`, 'broken.json');
    assert.equal(result.spans.length, 2);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0], /^broken\.json: resourceSpans\[1\] is not valid JSON: Unexpected token/);
  });

  test('wrong types where lists belong are problems, not crashes', () => {
    const result = readOtlpJson('{"resourceSpans":[7,{"scopeSpans":{}},{"scopeSpans":[{"spans":"no"}]}]}');
    assert.deepEqual(result.problems, [
      'resourceSpans[0] is not an object',
      'resourceSpans[1].scopeSpans is not an array',
      'resourceSpans[2].scopeSpans[0].spans is not an array',
    ]);
    assert.deepEqual(readOtlpJson('{"resourceSpans":{}}').problems, ['resourceSpans is not an array']);
  });
});
