// A remote pull over LSP: the server reads a Jaeger query service (here a loopback server that
// answers as /api/services and /api/traces do) into its store, and the traces list shows them.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { listTracesRequest, pullJaegerRequest } from '../../server/protocol';
import { LspClient } from '../support/lspClient';

let client: LspClient;
let jaeger: Server;
let baseUrl: string;
const queries: string[] = [];

before(async () => {
  const now = Date.now() * 1000;
  jaeger = createServer((request, response) => {
    queries.push(request.url ?? '');
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/api/services') return void response.end(JSON.stringify({ data: ['checkout', 'jaeger-query'], total: 2, errors: null }));
    if (url.pathname === '/api/traces') {
      const traceID = 'f00dfeed00000000000000000000beef';
      return void response.end(JSON.stringify({
        data: [{
          traceID,
          spans: [
            { traceID, spanID: '0000000000000001', operationName: 'POST /checkout', references: [], startTime: now - 5_000_000, duration: 120_000, tags: [{ key: 'span.kind', type: 'string', value: 'server' }], logs: [], processID: 'p1' },
            { traceID, spanID: '0000000000000002', operationName: 'charge', references: [{ refType: 'CHILD_OF', traceID, spanID: '0000000000000001' }], startTime: now - 4_990_000, duration: 80_000, tags: [{ key: 'error', type: 'bool', value: true }], logs: [], processID: 'p1' },
          ],
          processes: { p1: { serviceName: 'checkout', tags: [] } },
        }],
        errors: null,
      }));
    }
    response.statusCode = 404;
    response.end('{}');
  });
  await new Promise<void>((resolve) => jaeger.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(jaeger.address() as AddressInfo).port}`;
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
  jaeger.close();
});

test('Connect to Jaeger pulls traces into the store over LSP', async () => {
  const result = await client.connection.sendRequest(pullJaegerRequest, { baseUrl, lookbackMinutes: 60, limit: 20 });
  assert.deepEqual([result.read, result.inserted, result.problems], [1, 2, []]);
  assert.ok(queries.some((q) => q.startsWith('/api/traces?') && q.includes('service=checkout')));
  assert.ok(!queries.some((q) => q.includes('service=jaeger-query')), 'the query service itself is skipped');
  const [trace] = await client.connection.sendRequest(listTracesRequest, {});
  assert.deepEqual([trace.rootService, trace.rootName, trace.spanCount, trace.errorCount, trace.durationMs], ['checkout', 'POST /checkout', 2, 1, 120]);
});
