// The live receivers in the real server process: OTLP/HTTP (JSON, gzip, errors and limits as the
// OTLP specification says) and the X-Ray daemon UDP protocol, with junk that must not hurt.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { listTracesRequest, traceSourcesRequest, tracesChangedNotification } from '../../server/protocol';
import { LspClient } from '../support/lspClient';
import { handlerTraces } from '../support/otlpData';

let client: LspClient;
let otlpUrl: string;
let xray: { host: string; port: number };

before(async () => {
  client = await LspClient.start({ settings: { traces: { otlp: { enabled: true, host: '127.0.0.1', port: 0 }, xrayDaemon: { enabled: true, host: '127.0.0.1', port: 0 } } } });
  // The receivers start right after the store opens; ask until both report an address.
  for (;;) {
    const sources = await client.connection.sendRequest(traceSourcesRequest);
    if (sources.otlp?.url && sources.xrayDaemon?.address) {
      otlpUrl = sources.otlp.url;
      const [host, port] = sources.xrayDaemon.address.split(':');
      xray = { host, port: Number(port) };
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
});
after(async () => {
  await client.stop();
});

function post(body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(otlpUrl, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function changed(): Promise<{ spans: number }> {
  return new Promise((resolve) => {
    const d = client.connection.onNotification(tracesChangedNotification, (p) => {
      d.dispose();
      resolve(p);
    });
  });
}

describe('OTLP/HTTP receiver', () => {
  test('binds to 127.0.0.1 and stores a JSON export, answering with an empty response', async () => {
    assert.match(otlpUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1\/traces$/);
    const notified = changed();
    const res = await post(handlerTraces(3), { 'Content-Type': 'application/json' });
    assert.deepEqual([res.status, res.body], [200, '{}']);
    assert.equal((await notified).spans, 6);
  });

  test('a gzip body is accepted', async () => {
    const res = await post(gzipSync(handlerTraces(5)), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    assert.equal(res.status, 200);
    const traces = await client.connection.sendRequest(listTracesRequest, {});
    assert.equal(traces.length, 5);
  });

  test('malformed, truncated, oversized and mistyped bodies get 400, 413 and 415 with a message', async () => {
    const bad = await post('{"resourceSpans": [', { 'Content-Type': 'application/json' });
    assert.equal(bad.status, 400);
    assert.match(JSON.parse(bad.body).message, /not an OTLP ExportTraceServiceRequest/);
    const truncated = await post(gzipSync(handlerTraces(2)).subarray(0, 40), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    assert.equal(truncated.status, 400);
    const big = await post(Buffer.alloc(21 * 1024 * 1024, 0x20), { 'Content-Type': 'application/json' });
    assert.equal(big.status, 413);
    const xml = await post('<spans/>', { 'Content-Type': 'application/xml' });
    assert.equal(xml.status, 415);
    // 3 traces, then 5 that include those 3 again (deduplicated): 5 traces × 2 spans.
    assert.equal((await client.connection.sendRequest(traceSourcesRequest)).spans, 10, 'nothing stored was lost');
  });
});

describe('X-Ray daemon UDP receiver', () => {
  test('segments in datagrams are stored; junk datagrams are ignored', async () => {
    const socket = createSocket('udp4');
    const send = (text: string) => new Promise<void>((resolve, reject) => socket.send(text, xray.port, xray.host, (e) => (e ? reject(e) : resolve())));
    const start = Date.now() / 1000;
    const segment = {
      trace_id: `1-${Math.floor(start).toString(16)}-a006649127e371903a2de979`, id: '70de5b6f19ff9a0a', name: 'checkout',
      start_time: start, end_time: start + 0.25, http: { response: { status: 503 } }, fault: true,
    };
    const notified = changed();
    await send('\u0000\u0001 junk');
    await send('{"format":"json","version":1}\nnot json at all');
    await send(`{"format":"json","version":1}\n${JSON.stringify(segment)}`);
    await notified;
    socket.close();
    const [trace] = await client.connection.sendRequest(listTracesRequest, { service: 'checkout' });
    assert.deepEqual([trace.rootService, trace.durationMs, trace.errorClass], ['checkout', 250, 'fault']);
  });
});
