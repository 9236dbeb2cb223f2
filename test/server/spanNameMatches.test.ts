// Span details over LSP for spans without code attributes: the real server indexes the functions of
// the workspace's syntax trees and answers sightline/getSpan with the ones a span's name matches,
// marked as name matches, after the exact location of spans that have code attributes. Open
// documents' unsaved text and files created on disk are seen too.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import { getSpanRequest, importTracesRequest, type SpanDetail } from '../../server/protocol';
import { LspClient } from '../support/lspClient';

const sources: Record<string, string> = {
  'src/orders/service.py': 'import grpc\n\n\nclass OrderServiceServicer:\n    def PlaceOrder(self, request, context):\n        return validate_order(request)\n',
  'src/orders/validation.py': 'def validate_order(order):\n    return order\n',
  'src/orders/app.py': 'def process(order):\n    return order\n',
  'src/java/OrderServiceImpl.java': 'package shop;\n\nclass OrderServiceImpl {\n  void placeOrder(Object request) {}\n}\n',
  'src/payments.py': 'def charge_card(card):\n    return card\n',
};

const traceId = 'a1'.padStart(32, '0');
const ids = { rpc: '01', validate: '02', charge: '03', coded: '04', refund: '05' } as const;
const spanId = (id: string) => id.padStart(16, '0');

/** One trace of the orders service: an RPC, internal spans with and without code attributes, a client call. */
function otlpTrace(): string {
  const start = BigInt(Date.now() - 60_000) * 1_000_000n;
  const at = (ms: number) => (start + BigInt(ms) * 1_000_000n).toString();
  const text = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const span = (id: string, name: string, kind: number, attributes: unknown[] = []) => ({
    traceId, spanId: spanId(id), ...(id === ids.rpc ? {} : { parentSpanId: spanId(ids.rpc) }), name, kind,
    startTimeUnixNano: at(Number(id)), endTimeUnixNano: at(Number(id) + 5), attributes,
  });
  const spans = [
    span(ids.rpc, 'shop.orders.OrderService/PlaceOrder', 2, [text('rpc.system', 'grpc'), text('rpc.service', 'shop.orders.OrderService'), text('rpc.method', 'PlaceOrder')]),
    span(ids.validate, 'validate_order', 1),
    span(ids.charge, 'charge_card', 3),
    span(ids.coded, 'process', 1, [text('code.filepath', '/var/task/orders/app.py'), text('code.function', 'process'), { key: 'code.lineno', value: { intValue: '1' } }]),
    span(ids.refund, 'refund_order', 1),
  ];
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [text('service.name', 'orders')] }, scopeSpans: [{ scope: { name: 'test' }, spans }] }] });
}

let client: LspClient;
let root: string;
const uri = (path: string) => pathToFileURL(join(root, path)).href;
const detail = async (id: string): Promise<SpanDetail> => {
  const span = await client.connection.sendRequest(getSpanRequest, { traceId, spanId: spanId(id) });
  assert.ok(span, `span ${id} is stored`);
  return span;
};

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'sightline-name-matches-'));
  for (const [path, text] of Object.entries(sources)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  writeFileSync(join(root, 'trace.json'), otlpTrace());
  client = await LspClient.start({ rootPath: root, settings: { traces: { pathMappings: { '/var/task/': 'src/' } } } });
  const imported = await client.connection.sendRequest(importTracesRequest, { paths: [join(root, 'trace.json')] });
  assert.equal(imported.inserted, 5, imported.problems.join('\n'));
});
after(async () => {
  await client.stop();
});

describe('span details name the workspace functions a span without code attributes matches', () => {
  test('a span with code attributes has its one exact location', async () => {
    assert.deepEqual((await detail(ids.coded)).locations, [{ uri: uri('src/orders/app.py'), line: 0, function: 'process', match: 'attributes' }]);
  });

  test("an internal span's name and an RPC's method match functions by name, the service's own folder first", async () => {
    assert.deepEqual((await detail(ids.validate)).locations, [{ uri: uri('src/orders/validation.py'), line: 0, function: 'validate_order', match: 'name' }]);
    assert.deepEqual((await detail(ids.rpc)).locations, [
      { uri: uri('src/orders/service.py'), line: 4, function: 'OrderServiceServicer.PlaceOrder', match: 'name' },
      { uri: uri('src/java/OrderServiceImpl.java'), line: 3, function: 'OrderServiceImpl.placeOrder', match: 'name' },
    ]);
  });

  test('a client span names what it calls elsewhere: no guess, even with a function of that name here', async () => {
    assert.deepEqual((await detail(ids.charge)).locations, []);
  });

  test("an open document's unsaved text moves the match; closing it goes back to the file on disk", async () => {
    const validation = uri('src/orders/validation.py');
    await client.open(validation, 'python', 'import logging\n\n\ndef validate_order(order):\n    return order\n');
    assert.equal((await detail(ids.validate)).locations[0]?.line, 3);
    await client.close(validation);
    assert.equal((await detail(ids.validate)).locations[0]?.line, 0);
  });

  test('a file created on disk is indexed once the watcher reports it', async () => {
    assert.deepEqual((await detail(ids.refund)).locations, []);
    writeFileSync(join(root, 'src', 'orders', 'refunds.py'), '\n\ndef refund_order(order):\n    return order\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri('src/orders/refunds.py'), type: FileChangeType.Created }] });
    assert.deepEqual((await detail(ids.refund)).locations, [{ uri: uri('src/orders/refunds.py'), line: 2, function: 'refund_order', match: 'name' }]);
  });
});
