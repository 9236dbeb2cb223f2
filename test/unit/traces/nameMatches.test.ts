// Spans without a code location matched to workspace functions by name: which span names are
// tried, how qualifiers and the span's service narrow the definitions, the function index built
// from real syntax trees (disk-like sources, open documents, changed files), and the span details
// that carry the matches as the weaker kind of location.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, test } from 'node:test';
import { Parsers, type Tree } from '../../../server/review/parser';
import { Store } from '../../../server/store/store';
import type { Span } from '../../../server/traces/model';
import { maxNameMatches, nameMatches, wantedFunction, type FunctionSite } from '../../../server/traces/nameMatches';
import { spanDetail } from '../../../server/traces/spanDetail';
import { TraceService } from '../../../server/traces/traceService';
import { WorkspaceFunctions, type OpenTree } from '../../../server/traces/workspaceFunctions';
import { WorkspaceFiles } from '../../../server/workspaceFiles';
import { grammarDir } from '../../support/paths';

let parsers: Parsers;
before(async () => {
  parsers = await Parsers.load(grammarDir);
});

function span(name: string, extra: Partial<Span> = {}): Span {
  return {
    traceId: '1'.padStart(32, '0'), spanId: '1'.padStart(16, '0'), service: 'orders', name, kind: 'internal',
    startNs: '1700000000000000000', endNs: '1700000000005000000', durationNs: 5_000_000, status: 'unset',
    attributes: {}, events: [], links: [], format: 'otlp', ...extra,
  };
}

/** A lookup over fixed sites, for the matching rules on their own. */
function lookup(sites: FunctionSite[]) {
  return { named: (name: string) => sites.filter((s) => s.name === name) };
}

describe('wantedFunction: which span names are tried', () => {
  test('plain, qualified, gRPC and X-Ray capture names give the function and its qualifier', () => {
    assert.deepEqual(wantedFunction(span('create_order')), { names: ['create_order'] });
    assert.deepEqual(wantedFunction(span('OrderService.create')), { names: ['create'], qualifier: 'OrderService' });
    assert.deepEqual(wantedFunction(span('app.handlers.create_order')), { names: ['create_order'], qualifier: 'handlers' });
    assert.deepEqual(wantedFunction(span('Orders::Service::create')), { names: ['create'], qualifier: 'Service' });
    assert.deepEqual(wantedFunction(span('OrderController#show')), { names: ['show'], qualifier: 'OrderController' });
    assert.deepEqual(wantedFunction(span('shop.v1.Orders/PlaceOrder', { kind: 'server' })), { names: ['PlaceOrder', 'placeOrder'], qualifier: 'Orders' });
    assert.deepEqual(wantedFunction(span('## handler')), { names: ['handler'] });
  });

  test('RPC attributes and a code.function without a file path win over the span name', () => {
    const rpc = span('whatever', { kind: 'server', attributes: { 'rpc.method': 'GetCart', 'rpc.service': 'shop.cart.CartService' } });
    assert.deepEqual(wantedFunction(rpc), { names: ['GetCart', 'getCart'], qualifier: 'CartService' });
    const coded = span('POST /orders', { code: { functionName: 'create', namespace: 'com.example.OrderService', source: 'attributes' } });
    assert.deepEqual(wantedFunction(coded), { names: ['create'], qualifier: 'OrderService' });
  });

  test('routes, statements, verbs, short names, client spans and spans with a code file are not tried', () => {
    for (const name of ['GET /orders/{id}', 'SELECT orders', 'GET', 'MGET', 'go', 'HTTP POST', 'orders process', '<module>']) {
      assert.equal(wantedFunction(span(name)), undefined, name);
    }
    assert.equal(wantedFunction(span('process', { kind: 'client' })), undefined);
    assert.equal(wantedFunction(span('process', { kind: 'producer' })), undefined);
    assert.equal(wantedFunction(span('process', { code: { filePath: '/var/task/app.py', functionName: 'process', source: 'attributes' } })), undefined);
  });
});

describe('nameMatches: narrowing and ranking', () => {
  const site = (path: string, name: string, line: number, container?: string): FunctionSite => (container ? { path, name, line, container } : { path, name, line });

  test('a qualifier must agree with the class, its gRPC implementation class, or the file', () => {
    const sites = lookup([
      site('/ws/src/orders/service.py', 'create', 10, 'OrderService'),
      site('/ws/src/users/repo.py', 'create', 4, 'UserRepository'),
      site('/ws/src/orders/OrderServiceImpl.java', 'create', 20, 'OrderServiceImpl'),
      site('/ws/src/orders/OrderServiceHelper.java', 'create', 7, 'OrderServiceHelper'),
      site('/ws/src/handlers.py', 'create_order', 3),
      site('/ws/src/other.py', 'create_order', 9),
    ]);
    assert.deepEqual(nameMatches({ names: ['create'], qualifier: 'OrderService' }, sites, 'orders').map((s) => `${s.container}:${s.line}`), ['OrderServiceImpl:20', 'OrderService:10']);
    assert.deepEqual(nameMatches({ names: ['create_order'], qualifier: 'handlers' }, sites, 'orders').map((s) => s.path), ['/ws/src/handlers.py']);
    assert.deepEqual(nameMatches({ names: ['create'], qualifier: 'Billing' }, sites, 'orders'), [], 'no definition agrees with the qualifier: no guess');
  });

  test("the service's own folder comes first and test code last", () => {
    const sites = lookup([
      site('/ws/tests/test_checkout.py', 'validate', 1),
      site('/ws/src/shared/validate.py', 'validate', 2),
      site('/ws/src/fraud_check/rules.py', 'validate', 3),
    ]);
    assert.deepEqual(nameMatches({ names: ['validate'] }, sites, 'fraud-check').map((s) => s.line), [3, 2, 1]);
  });

  test(`more than ${maxNameMatches} definitions is no match, unless the service's folder narrows them`, () => {
    const many = Array.from({ length: maxNameMatches + 1 }, (_, i) => site(`/ws/functions/fn${i}/app.py`, 'handler', i));
    assert.deepEqual(nameMatches({ names: ['handler'] }, lookup(many), 'orders'), []);
    const withHome = [...many, site('/ws/functions/orders/app.py', 'handler', 42)];
    assert.deepEqual(nameMatches({ names: ['handler'] }, lookup(withHome), 'orders').map((s) => s.line), [42]);
  });
});

describe('WorkspaceFunctions: the index from syntax trees', () => {
  const files = new Map<string, string>([
    ['/ws/src/orders/service.py', 'import json\n\n\nclass OrderService:\n    def create(self, order):\n        return json.dumps(order)\n\n\ndef process(order):\n    return order\n'],
    ['/ws/src/Orders.java', 'package shop;\n\nclass OrdersImpl {\n  void placeOrder(Object request) {}\n}\n'],
    ['/ws/src/cart.ts', 'export class Cart {\n  load(id: string) { return id; }\n}\n\nexport const merge = async (a: string) => a;\n'],
    ['/ws/README.md', '# not source'],
  ]);
  const sources = { files: () => [...files.keys()], read: (path: string) => files.get(path) };
  const found = (index: { named(name: string): readonly FunctionSite[] }, name: string) => index.named(name).map((s) => `${s.path}:${s.line}${s.container ? ` in ${s.container}` : ''}`);

  test('indexes the functions and methods of every source file with their classes', async () => {
    const index = await new WorkspaceFunctions(parsers, sources).ready();
    assert.deepEqual(found(index, 'create'), ['/ws/src/orders/service.py:4 in OrderService']);
    assert.deepEqual(found(index, 'process'), ['/ws/src/orders/service.py:8']);
    assert.deepEqual(found(index, 'placeOrder'), ['/ws/src/Orders.java:3 in OrdersImpl']);
    assert.deepEqual(found(index, 'load'), ['/ws/src/cart.ts:1 in Cart']);
    assert.deepEqual(found(index, 'merge'), ['/ws/src/cart.ts:4']);
  });

  test('files changed on disk are indexed again; open documents are read from their trees, and from disk once closed', async () => {
    const disk = new Map(files);
    const open: OpenTree[] = [];
    const functions = new WorkspaceFunctions(parsers, { files: () => [...disk.keys()], read: (path) => disk.get(path) }, () => open);
    await functions.ready();
    disk.set('/ws/src/orders/service.py', 'def process(order):\n    return order\n');
    disk.delete('/ws/src/cart.ts');
    functions.fileChanged('/ws/src/orders/service.py');
    functions.fileChanged('/ws/src/cart.ts');
    let index = await functions.ready();
    assert.deepEqual(found(index, 'create'), []);
    assert.deepEqual(found(index, 'process'), ['/ws/src/orders/service.py:0']);
    assert.deepEqual(found(index, 'load'), []);

    // Unsaved edits: the open document's tree is ahead of the disk.
    const tree: Tree = parsers.parse('python', '\n\ndef refund(order):\n    pass\n\n\ndef process(order):\n    return order\n');
    try {
      open.push({ path: '/ws/src/orders/service.py', language: 'python', root: tree.rootNode });
      index = await functions.ready();
      assert.deepEqual(found(index, 'process'), ['/ws/src/orders/service.py:6']);
      assert.deepEqual(found(index, 'refund'), ['/ws/src/orders/service.py:2']);
      open.length = 0;
      index = await functions.ready();
      assert.deepEqual(found(index, 'process'), ['/ws/src/orders/service.py:0']);
      assert.deepEqual(found(index, 'refund'), []);
    } finally {
      tree.delete();
    }
  });
});

describe('spanDetail: locations', () => {
  const files = new Map<string, string>([
    ['/ws/src/orders/service.py', 'class OrderService:\n    def create(self, order):\n        return order\n'],
    ['/ws/src/orders/app.py', 'def handler(event, context):\n    return event\n'],
  ]);
  const workspace = async () => ({
    resolve: (path: string) => (path.endsWith('/app.py') ? '/ws/src/orders/app.py' : undefined),
    functions: await new WorkspaceFunctions(parsers, { files: () => [...files.keys()], read: (path) => files.get(path) }).ready(),
  });
  const uri = (path: string) => pathToFileURL(path).href;

  test('code attributes give the one strong location; the span name is not matched then', async () => {
    const ws = await workspace();
    const detail = spanDetail(span('OrderService.create', { code: { filePath: '/var/task/app.py', functionName: 'handler', line: 1, source: 'attributes' } }), ws);
    assert.deepEqual(detail.locations, [{ uri: uri('/ws/src/orders/app.py'), line: 0, function: 'handler', match: 'attributes' }]);
    const elsewhere = spanDetail(span('OrderService.create', { code: { filePath: '/opt/other/lib.py', functionName: 'create', source: 'attributes' } }), ws);
    assert.deepEqual(elsewhere.locations, [], 'a code file outside the workspace is not replaced by a guess');
  });

  test('without code attributes, the functions of its name are the weaker locations', async () => {
    const ws = await workspace();
    assert.deepEqual(spanDetail(span('OrderService.create'), ws).locations, [{ uri: uri('/ws/src/orders/service.py'), line: 1, function: 'OrderService.create', match: 'name' }]);
    assert.deepEqual(spanDetail(span('handler', { kind: 'server' }), ws).locations.map((l) => [l.uri, l.line, l.match]), [[uri('/ws/src/orders/app.py'), 0, 'name']]);
    assert.deepEqual(spanDetail(span('handler', { kind: 'server' }), { resolve: () => undefined }).locations, [], 'no function index, no guesses');
    assert.deepEqual(spanDetail(span('handler', { kind: 'client' }), ws).locations, []);
    assert.deepEqual(spanDetail(span('GET /orders'), ws).locations, []);
  });

  test("a stack frame inside the runtime is not linked to a workspace file of the same name", async () => {
    const stack = 'Traceback (most recent call last):\n  File "/var/task/app.py", line 2, in handler\n  File "/usr/lib/python3.12/app.py", line 80, in run\nValueError: bad';
    const detail = spanDetail(span('handler', { events: [{ name: 'exception', timeNs: '1700000000001000000', attributes: { 'exception.stacktrace': stack } }] }), await workspace());
    assert.deepEqual(detail.stack?.map((frame) => frame.uri && `${frame.uri}:${frame.line}`), [undefined, `${uri('/ws/src/orders/app.py')}:1`, undefined, undefined]);
  });
});

describe('TraceService.span: the function index is built only for spans that name a function', () => {
  test('a span with a code location, or with a route for a name, never waits for the index', async () => {
    const store = Store.open(mkdtempSync(join(tmpdir(), 'sightline-store-')), { name: 'spans', durable: false, now: () => 1_700_000_001_000 });
    let built = 0;
    const functions = { ready: async () => (built++, lookup([{ path: '/ws/src/orders/jobs.py', name: 'nightly_sync', line: 3 }])) };
    const service = new TraceService(store, new WorkspaceFiles([], () => []), () => ({ pathMappings: {}, windowMs: 3_600_000, sloMs: {} }), Date.now, functions);
    try {
      service.ingest([
        span('GET /orders', { spanId: '1'.padStart(16, '0'), kind: 'server' }),
        span('process', { spanId: '2'.padStart(16, '0'), code: { filePath: '/var/task/app.py', functionName: 'process', source: 'attributes' } }),
        span('nightly_sync', { spanId: '3'.padStart(16, '0') }),
      ]);
      const locations = async (id: string) => (await service.span('1'.padStart(32, '0'), id.padStart(16, '0')))?.locations;
      assert.deepEqual(await locations('1'), []);
      assert.deepEqual(await locations('2'), []);
      assert.equal(built, 0);
      assert.deepEqual(await locations('3'), [{ uri: pathToFileURL('/ws/src/orders/jobs.py').href, line: 3, function: 'nightly_sync', match: 'name' }]);
      assert.equal(built, 1);
    } finally {
      store.close();
    }
  });
});
