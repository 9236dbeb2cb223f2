// Traces over LSP with the real server: import an OTLP/JSON file, then CodeLens numbers on the
// functions of a workspace file, a hover with the slowest traces, and the panel's requests.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { CodeLensRequest, HoverRequest, type CodeLens, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { getSpanRequest, getTraceRequest, importTracesRequest, listTracesRequest, traceSourcesRequest } from '../../server/protocol';
import { LspClient } from '../support/lspClient';
import { handlerTraces } from '../support/otlpData';

const source = 'import json\n\n\ndef handler(event, context):\n    return process(json.loads(event["body"]))\n\n\ndef process(order):\n    return order\n';

let client: LspClient;
let root: string;
let uri: string;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'sightline-traces-ws-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src', 'app.py'), source);
  writeFileSync(join(root, 'traces.json'), handlerTraces(20));
  writeFileSync(join(root, 'broken.json'), '{"resourceSpans": [');
  uri = pathToFileURL(join(root, 'src', 'app.py')).href;
  client = await LspClient.start({ rootPath: root, settings: { traces: { pathMappings: { '/var/task/': 'src/' } } } });
});
after(async () => {
  await client.stop();
});

describe('traces over LSP', () => {
  test('importing files stores their spans and names each bad file', async () => {
    const result = await client.connection.sendRequest(importTracesRequest, { paths: [join(root, 'traces.json'), join(root, 'broken.json')], workDoneToken: 'import-1' });
    assert.equal(result.spans, 40);
    assert.equal(result.inserted, 40);
    assert.equal(result.files, 1);
    assert.ok(result.problems.some((p) => p.includes('broken.json')), result.problems.join('\n'));
    const again = await client.connection.sendRequest(importTracesRequest, { paths: [join(root, 'traces.json')] });
    assert.deepEqual([again.inserted, again.duplicates], [0, 40]);
    const sources = await client.connection.sendRequest(traceSourcesRequest);
    assert.deepEqual([sources.spans, sources.traces, sources.readOnly], [40, 20, false]);
  });

  test('CodeLens shows calls, p50, p95 and error rate above each function', async () => {
    await client.open(uri, 'python', source);
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    assert.deepEqual(lenses.map((l) => [l.range.start.line, l.command?.title]), [
      [3, '20 calls · p50 19 ms · p95 28 ms · 5.0% errors'],
      [7, '20 calls · p50 2 ms · p95 2 ms · 0% errors'],
    ]);
    assert.equal(lenses[0].command?.command, 'sightline.showTracesForFunction');
    assert.deepEqual(lenses[0].command?.arguments, [{ file: join(root, 'src', 'app.py'), name: 'handler' }]);
  });

  test('hovering a function name lists its slowest and failing traces', async () => {
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 6 } });
    const value = (hover?.contents as MarkupContent).value;
    assert.match(value, /Slowest:/);
    assert.match(value, /Latest failing:/);
    assert.match(value, /command:sightline\.openTrace/);
  });

  test('the trace list, a timeline and span details answer the panel', async () => {
    const list = await client.connection.sendRequest(listTracesRequest, { sort: 'slowest', limit: 5 });
    assert.deepEqual(list.map((t) => t.durationMs), [29, 28, 27, 26, 25]);
    const failing = await client.connection.sendRequest(listTracesRequest, { errorsOnly: true });
    assert.deepEqual(failing.map((t) => t.errorCount), [1]);
    const timeline = await client.connection.sendRequest(getTraceRequest, { traceId: list[0].traceId });
    assert.deepEqual(timeline?.depth, [0, 1]);
    const span = await client.connection.sendRequest(getSpanRequest, { traceId: list[0].traceId, spanId: timeline!.spanIds[0] });
    assert.deepEqual(span?.locations, [{ uri, line: 3, function: 'handler', match: 'attributes' }]);
  });
});
