import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readCollectorFile } from '../../../server/traces/formats/collectorFile';
import { readTraces } from '../../../server/traces/formats/detect';
import { fixture } from './traceFixtures';

describe('the collector file exporter (JSON Lines of TracesData)', () => {
  test('a bad line is a problem naming its number; every other line counts', () => {
    const { spans, problems } = readCollectorFile(fixture('collector-file.jsonl'), 'traces.jsonl');
    assert.deepEqual(spans.map((s) => s.name), ['addItem', 'checkoutCart']);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^traces\.jsonl: line 3: is not valid JSON: .*\(column \d+\)$/);
  });

  test('bare-number times on a line are exact too', () => {
    const [, checkout] = readCollectorFile(fixture('collector-file.jsonl')).spans;
    assert.equal(checkout.startNs, '1700000002000000001');
    assert.equal(checkout.endNs, '1700000002100000001');
  });

  test('auto-detected, from bytes or text, with CRLF line ends', () => {
    const crlf = fixture('collector-file.jsonl').toString().replace(/\n/g, '\r\n');
    for (const input of [fixture('collector-file.jsonl'), crlf]) {
      const result = readTraces(input, 'traces.jsonl');
      assert.equal(result.format, 'otlp-json-lines');
      assert.equal(result.spans.length, 2);
      assert.equal(result.problems.length, 1);
    }
  });

  test('a line with invalid UTF-8 still gives its spans, and says so', () => {
    const lines = fixture('collector-file.jsonl').toString().split('\n');
    const bad = Buffer.concat([Buffer.from(`${lines[0].replace('addItem', 'add\u00e9Item')}\n`), Buffer.from(`${lines[3]}\n`)]);
    bad[bad.indexOf(0xc3)] = 0xfe;
    const { spans, problems } = readCollectorFile(bad, 'bad.jsonl');
    assert.equal(spans.length, 2);
    assert.equal(spans[0].name, 'add\ufffd\ufffdItem');
    assert.deepEqual(problems, ['bad.jsonl: line 1: is not valid UTF-8; the invalid bytes were read as U+FFFD']);
  });

  test('a line that is JSON but not OTLP is a problem', () => {
    const { problems } = readCollectorFile('{"resourceSpans":[]}\n{"hello":"world"}\n');
    assert.deepEqual(problems, ['line 2: is not an OTLP object with resourceSpans (its keys: hello)']);
  });
});
