import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readTraces } from '../../../server/traces/formats/detect';
import { exportTraceServiceRequest, otlpJsonDocument, otlpProtobuf, otlpRequests } from './syntheticTraces';
import { fixture } from './traceFixtures';

describe('format detection', () => {
  const expected: [string, string, number][] = [
    ['otlp-checkout.json', 'otlp-json', 4],
    ['otlp-base64-bare-numbers.json', 'otlp-json', 2],
    ['otlp-legacy.json', 'otlp-json', 2],
    ['collector-file.jsonl', 'otlp-json-lines', 2],
    ['xray-segment.json', 'xray', 5],
    ['xray-batch-get-traces.json', 'xray', 5],
    ['xray-daemon.jsonl', 'xray', 3],
    ['jaeger-api-traces.json', 'jaeger', 4],
    ['zipkin-v2.json', 'zipkin', 4],
  ];
  for (const [name, format, count] of expected) {
    test(`${name} is ${format}, from bytes, text and gzip`, () => {
      const bytes = fixture(name);
      for (const input of [bytes, bytes.toString('utf8'), gzipSync(bytes), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes])]) {
        const result = readTraces(input, name);
        assert.equal(result.format, format);
        assert.equal(result.spans.length, count);
      }
    });
  }

  test('OTLP/protobuf by its first byte, whatever the name; a .pb name with JSON inside is JSON', () => {
    const [request] = otlpRequests(16);
    const body = otlpProtobuf(request);
    for (const name of [undefined, 'body', 'traces.pb', 'traces.binpb', 'x.json']) {
      const result = readTraces(body, name);
      assert.equal(result.format, 'otlp-protobuf', String(name));
      assert.equal(result.spans.length, 16);
    }
    assert.equal(readTraces(gzipSync(body), 'traces.pb.gz').spans.length, 16);
    assert.equal(readTraces(fixture('otlp-legacy.json'), 'traces.pb').format, 'otlp-json');
  });

  test('a protobuf body whose bytes start like JSON ("\\n{", "\\n[") is still read as protobuf', () => {
    const type = exportTraceServiceRequest();
    for (const wanted of [0x7b, 0x5b]) {
      let body: Uint8Array | undefined;
      for (let n = 1; n < 200 && !body; n++) {
        const request = { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2), name: 'x'.repeat(n), startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000000000001' }] }] }] };
        const bytes = type.encode(request).finish();
        if (bytes[1] === wanted) body = bytes;
      }
      assert.ok(body, 'found a body of the right length');
      const result = readTraces(body);
      assert.deepEqual([result.format, result.spans.length, result.problems], ['otlp-protobuf', 1, []]);
    }
  });
});

describe('bad input: a clear problem, never an exception', () => {
  const cases: [string, Uint8Array | string, RegExp][] = [
    ['an empty file', new Uint8Array(0), /^empty\.json: is empty$/],
    ['an empty string', '', /^empty\.json: is empty$/],
    ['only whitespace', ' \n\t\r\n ', /^empty\.json: holds only whitespace$/],
    ['malformed JSON', '{\n  "data": [\n    {"traceID": }\n  ]\n}', /^empty\.json: is not valid JSON: Unexpected token '}', \.\.\."traceID": }\\n {2}]\\n}" is not valid JSON$/],
    ['JSON cut short', '{\n  "data": [\n    {"traceID": "ab', /^empty\.json: is not valid JSON: Unterminated string in JSON at position 33 \(line 3, column 20\)$/],
    ['JSON of no known shape', '{"hello": "world", "items": [1, 2]}', /^empty\.json: is JSON but not a trace format Sightline reads: expected OTLP .*; found an object with keys hello, items$/],
    ['a JSON scalar', '42', /^empty\.json: is text that is not a trace format \(not a JSON object or array, not OTLP protobuf\); it starts "42"$/],
    ['CSV', 'trace_id,span_id,name\n1,2,x\n', /^empty\.json: is text that is not a trace format .*; it starts "trace_id,span_id,name"$/],
    ['an empty array', '[]', /found an empty array$/],
    ['an array of numbers', '[1, 2, 3]', /found an array of number$/],
    ['binary junk', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), /^empty\.json: is binary data that is not gzip, JSON or OTLP protobuf \(first bytes 89 50 4e 47 0d 0a 1a 0a\)$/],
    ['a ZIP archive', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), /is a ZIP archive \(extract it first/],
    ['zstd data', Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3]), /is zstd-compressed data \(decompress it first/],
    ['corrupt gzip', Buffer.concat([gzipSync('{"resourceSpans": []}').subarray(0, -8), Buffer.alloc(8, 0xee)]), /^empty\.json: is not valid gzip: incorrect data check$/],
    ['gzip cut off in its header', Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xff]), /^empty\.json: the gzip data is truncated before any content \(unexpected end of file\)$/],
    ['an empty gzip stream', gzipSync(Buffer.alloc(0)), /^empty\.json: is an empty gzip stream$/],
  ];
  for (const [what, input, message] of cases) {
    test(what, () => {
      const result = readTraces(input, 'empty.json');
      assert.deepEqual(result.spans, []);
      assert.equal(result.format, 'unknown');
      assert.ok(result.problems.some((p) => message.test(p)), `${result.problems.join('\n')}\n  does not match ${message}`);
    });
  }

  test('without a file name, messages start with what is wrong', () => {
    assert.deepEqual(readTraces('').problems, ['is empty']);
  });

  test('invalid UTF-8 inside a JSON file: the spans are kept and the problem said', () => {
    const bytes = Buffer.from(fixture('zipkin-v2.json').toString().replace('printDate', 'print\u00e9Date'));
    bytes[bytes.indexOf(0xc3)] = 0xff;
    const result = readTraces(bytes, 'zipkin.json');
    assert.equal(result.spans.length, 4);
    assert.deepEqual(result.problems, ['zipkin.json: is not valid UTF-8; the invalid bytes were read as U+FFFD']);
    assert.equal(result.spans[0].attributes['mvc.controller.method'], 'print\ufffd\ufffdDate');
  });

  test('truncated gzip: says so and reads every complete line it held', () => {
    const lines = Array.from({ length: 400 }, (_, i) => otlpJsonDocument(otlpRequests(1, i + 1))).join('\n');
    const gz = gzipSync(Buffer.from(lines));
    const result = readTraces(gz.subarray(0, Math.floor(gz.length * 0.7)), 'traces.jsonl.gz');
    assert.equal(result.format, 'otlp-json-lines');
    assert.ok(result.spans.length > 100 && result.spans.length < 400, `${result.spans.length} spans`);
    assert.match(result.problems[0], /^traces\.jsonl\.gz: the gzip data is truncated \(unexpected end of file\); read the \d+ bytes it held$/);
    assert.match(result.problems[1], /^traces\.jsonl\.gz: line \d+: is not valid JSON/);
    assert.equal(result.problems.length, 2);
  });

  test('truncated gzip of a single OTLP document keeps the complete resourceSpans', () => {
    const gz = gzipSync(otlpJsonDocument(otlpRequests(5000)));
    const result = readTraces(gz.subarray(0, Math.floor(gz.length / 2)), 'big.json.gz');
    assert.equal(result.format, 'otlp-json');
    assert.ok(result.spans.length > 0 && result.spans.length < 5000 && result.spans.length % 512 === 0, `${result.spans.length} spans`);
    assert.match(result.problems.at(-1) ?? '', /the JSON is cut off at byte \d+, inside resourceSpans\[\d+\]/);
  });

  test('a file full of bad records lists a hundred problems and counts the rest', () => {
    const result = readTraces(Array.from({ length: 500 }, () => '{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "x"}]}]}]}').join('\n'), 'bad.jsonl');
    assert.equal(result.problems.length, 101);
    assert.equal(result.problems[100], 'bad.jsonl: 400 more problems not listed');
  });

  test('truncations and corruptions of every fixture never throw', () => {
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
    const inputs = ['otlp-checkout.json', 'xray-segment.json', 'xray-batch-get-traces.json', 'jaeger-api-traces.json', 'zipkin-v2.json', 'collector-file.jsonl', 'xray-daemon.jsonl'].map(fixture);
    inputs.push(Buffer.from(otlpProtobuf(otlpRequests(20)[0])));
    for (const bytes of inputs) {
      for (let i = 0; i < 150; i++) {
        const cut = bytes.subarray(0, Math.floor(random() * bytes.length));
        const flipped = Buffer.from(bytes);
        for (let k = 0; k < 3; k++) flipped[Math.floor(random() * flipped.length)] = Math.floor(random() * 256);
        for (const input of [cut, flipped, gzipSync(bytes).subarray(0, Math.floor(random() * 200))]) {
          const result = readTraces(input, 'fuzz');
          assert.ok(Array.isArray(result.spans) && Array.isArray(result.problems));
          if (result.spans.length === 0) assert.ok(result.problems.length > 0 || input.length === 0 || result.format !== 'unknown');
        }
      }
    }
  });
});

describe('100 MB inputs', () => {
  test('100 MB of OTLP/JSON reads whole', () => {
    const element = JSON.stringify(otlpRequests(512)[0].resourceSpans[0]);
    const copies = Math.ceil((100 * 2 ** 20) / element.length);
    const bytes = Buffer.from(`{"resourceSpans":[${new Array(copies).fill(element).join(',')}]}`);
    assert.ok(bytes.length >= 100 * 2 ** 20);
    const result = readTraces(bytes, 'big.json');
    assert.deepEqual(result.problems, []);
    assert.equal(result.spans.length, copies * 512);
    assert.equal(result.format, 'otlp-json');
  });

  test('100 MB of binary junk is one clear problem, at once', () => {
    const junk = Buffer.alloc(100 * 2 ** 20, 0xa5);
    const started = performance.now();
    const result = readTraces(junk, 'junk.bin');
    assert.ok(performance.now() - started < 1000);
    assert.deepEqual(result.problems, ['junk.bin: is binary data that is not gzip, JSON or OTLP protobuf (first bytes a5 a5 a5 a5 a5 a5 a5 a5)']);
  });
});
