// Remote trace backends against loopback servers speaking their documented wire formats: X-Ray's
// REST-JSON API (POST /TraceSummaries, POST /Traces; SigV4-signed; errors as x-amzn-errortype)
// driven through the real @aws-sdk/client-xray, and Jaeger's query HTTP API through global fetch.

import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { pullJaeger, JaegerQueryError } from '../../../server/traces/remote/jaegerQuery';
import { MAX_WINDOW_MS, pullXRay, splitWindow } from '../../../server/traces/remote/xrayApi';
import type { Span } from '../../../server/traces/model';
import { TEST_CREDENTIALS, verifySigV4 } from '../../support/awsLoopback';

type Json = Record<string, unknown>;

async function listen(handler: (req: IncomingMessage, body: Buffer, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

// ── X-Ray ───────────────────────────────────────────────────────────────────────────────────────

const REGION = 'eu-west-1';
const NOW = Date.now();
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const xrayId = (i: number) => `1-${hex(0x5f84c7a0 + i, 8)}-${hex(i + 1, 24)}`;
const w3cId = (i: number) => `${hex(0x5f84c7a0 + i, 8)}${hex(i + 1, 24)}`;
const segmentId = (i: number) => `a${hex(i, 15)}`;
const callId = (i: number) => `b${hex(i, 15)}`;
const workerId = (i: number) => `c${hex(i, 15)}`;

interface StoredTrace {
  id: string;
  /** ms since the epoch: what GetTraceSummaries' window selects on. */
  at: number;
  documents: Json[];
}

/** Trace i: an `api` segment (fault on 0) calling DynamoDB (throttled on 1), and on even i a traced `worker` callee. */
function makeTrace(i: number, at: number): StoredTrace {
  const start = at / 1000;
  const documents: Json[] = [{
    trace_id: xrayId(i), id: segmentId(i), name: 'api', start_time: start, end_time: start + 0.5,
    http: { request: { method: 'GET', url: `https://api.example.com/items/${i}` }, response: { status: i === 0 ? 500 : 200 } },
    ...(i === 0 ? { fault: true } : {}),
    subsegments: [{
      id: callId(i), name: 'DynamoDB', namespace: 'aws', start_time: start + 0.1, end_time: start + 0.3,
      ...(i === 1 ? { throttle: true, error: true, http: { response: { status: 400 } } } : {}),
      aws: { operation: 'GetItem', table_name: 'items' },
    }],
  }];
  if (i % 2 === 0) {
    documents.push({ trace_id: xrayId(i), id: workerId(i), parent_id: callId(i), name: 'worker', start_time: start + 0.12, end_time: start + 0.25 });
  }
  return { id: xrayId(i), at, documents };
}

interface XRayRequest {
  operation: 'GetTraceSummaries' | 'BatchGetTraces';
  body: Json;
  credential: string;
}

class XRayLoopback {
  traces: StoredTrace[] = [];
  /** Ids listed by GetTraceSummaries that BatchGetTraces never returns. */
  ghosts: string[] = [];
  /** Ids left unprocessed the first time they are asked for. */
  flaky = new Set<string>();
  summaryPageSize = 4;
  tracesPageSize = 3;
  /** Answer the next N GetTraceSummaries requests with 429 ThrottledException. */
  throttleSummaries = 0;
  requests: XRayRequest[] = [];
  violations: string[] = [];
  private readonly secrets = new Map([[TEST_CREDENTIALS.accessKeyId, TEST_CREDENTIALS.secretAccessKey]]);
  private tokens = new Map<string, number>();
  private series = new Map<string, Set<string>>();

  handle(req: IncomingMessage, raw: Buffer, res: ServerResponse): void {
    const fail = (status: number, type: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
      res.end(JSON.stringify({ message }));
    };
    const reply = (body: Json) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const authorization = req.headers.authorization ?? '';
    const credential = /Credential=([^,]+)/.exec(authorization)?.[1] ?? '';
    const wrong = verifySigV4({ method: req.method ?? '', url: req.url ?? '/', headers: req.headers }, raw, { region: REGION, service: 'xray', secrets: this.secrets });
    if (wrong) {
      this.violations.push(`${req.url}: ${wrong}`);
      return fail(403, 'InvalidSignatureException', wrong);
    }
    if (req.method !== 'POST') return fail(404, 'UnknownOperationException', `${req.method} ${req.url}`);
    let body: Json;
    try {
      body = JSON.parse(raw.toString('utf8') || '{}') as Json;
    } catch {
      return fail(400, 'InvalidRequestException', 'body is not JSON');
    }
    if (req.url === '/TraceSummaries') {
      this.requests.push({ operation: 'GetTraceSummaries', body, credential });
      if (this.throttleSummaries > 0) {
        this.throttleSummaries--;
        return fail(429, 'ThrottledException', 'Rate exceeded');
      }
      return this.summaries(body, reply, fail);
    }
    if (req.url === '/Traces') {
      this.requests.push({ operation: 'BatchGetTraces', body, credential });
      return this.batch(body, reply, fail);
    }
    return fail(404, 'UnknownOperationException', String(req.url));
  }

  private summaries(body: Json, reply: (b: Json) => void, fail: (s: number, t: string, m: string) => void): void {
    // REST-JSON timestamps: epoch seconds.
    const start = Number(body.StartTime) * 1000;
    const end = Number(body.EndTime) * 1000;
    if (!Number.isFinite(start) || !Number.isFinite(end)) return fail(400, 'InvalidRequestException', 'StartTime and EndTime are required');
    if (end - start > MAX_WINDOW_MS) {
      this.violations.push(`GetTraceSummaries window of ${(end - start) / 3_600_000} h`);
      return fail(400, 'InvalidRequestException', 'Time range exceeds 6 hours');
    }
    const matching = [
      ...this.traces.filter((t) => t.at >= start && t.at <= end).map((t) => t.id),
      ...(this.traces.some((t) => t.at >= start && t.at <= end) ? this.ghosts : []),
    ];
    let offset = 0;
    if (body.NextToken !== undefined) {
      const known = this.tokens.get(String(body.NextToken));
      if (known === undefined) return fail(400, 'InvalidRequestException', 'unknown NextToken');
      offset = known;
    }
    const page = matching.slice(offset, offset + this.summaryPageSize);
    const answer: Json = {
      TraceSummaries: page.map((id) => ({ Id: id, Duration: 0.5, HasFault: id === xrayId(0), HasThrottle: id === xrayId(1) })),
      ApproximateTime: end / 1000,
      TracesProcessedCount: page.length,
    };
    if (offset + page.length < matching.length) {
      const token = `summaries-${this.tokens.size}`;
      this.tokens.set(token, offset + page.length);
      answer.NextToken = token;
    }
    reply(answer);
  }

  private batch(body: Json, reply: (b: Json) => void, fail: (s: number, t: string, m: string) => void): void {
    const ids = body.TraceIds;
    if (!Array.isArray(ids) || ids.length === 0) return fail(400, 'InvalidRequestException', 'TraceIds is required');
    if (ids.length > 5) {
      this.violations.push(`BatchGetTraces with ${ids.length} ids`);
      return fail(400, 'InvalidRequestException', '1 validation error detected: Value at \'traceIds\' failed to satisfy constraint: Member must have length less than or equal to 5');
    }
    const offset = body.NextToken === undefined ? 0 : Number(String(body.NextToken).replace(/^traces-/, ''));
    // Which ids a request leaves unprocessed is decided on its first page and kept for its next pages.
    const key = (ids as string[]).join(',');
    if (offset === 0) this.series.set(key, new Set((ids as string[]).filter((id) => this.flaky.delete(id))));
    const skipped = this.series.get(key) ?? new Set<string>();
    const found: StoredTrace[] = [];
    const unprocessed: string[] = [];
    for (const id of ids as string[]) {
      const trace = this.traces.find((t) => t.id === id);
      if (!trace || skipped.has(id)) unprocessed.push(id);
      else found.push(trace);
    }
    const page = found.slice(offset, offset + this.tracesPageSize);
    const answer: Json = {
      Traces: page.map((t) => ({ Id: t.id, Duration: 0.5, LimitExceeded: false, Segments: t.documents.map((d) => ({ Id: d.id, Document: JSON.stringify(d) })) })),
      UnprocessedTraceIds: offset === 0 ? unprocessed : [],
    };
    if (offset + page.length < found.length) answer.NextToken = `traces-${offset + page.length}`;
    reply(answer);
  }
}

describe('pullXRay against a loopback X-Ray (REST-JSON, SigV4) through the real SDK', () => {
  const xray = new XRayLoopback();
  let server: Server;
  let endpoint: string;

  before(async () => {
    ({ server, url: endpoint } = await listen((req, body, res) => xray.handle(req, body, res)));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const connection = () => ({ region: REGION, endpoint, credentials: { ...TEST_CREDENTIALS }, maxAttempts: 3 });

  test('a 7-hour window: two windows, paged summaries, BatchGetTraces in chunks of ≤ 5 with NextToken, unprocessed ids retried', async () => {
    xray.traces = [];
    for (let i = 0; i < 6; i++) xray.traces.push(makeTrace(i, NOW - 3 * 3_600_000 + i * 60_000));
    xray.traces.push(makeTrace(6, NOW - 30 * 60_000));
    xray.ghosts = [xrayId(99)];
    xray.flaky = new Set([xrayId(3)]);
    xray.throttleSummaries = 1;
    xray.requests = [];
    xray.violations = [];

    const batches: Span[][] = [];
    const progress: number[] = [];
    const result = await pullXRay({
      ...connection(),
      filterExpression: 'service("api") AND (fault OR throttle)',
      startTime: new Date(NOW - 7 * 3_600_000),
      endTime: NOW,
      onBatch: (spans) => void batches.push(spans),
      onProgress: (p) => progress.push(p.tracesFound),
    });
    assert.deepEqual(xray.violations, []);

    // Every request was signed for the xray service in the Region.
    assert.ok(xray.requests.length > 0);
    for (const r of xray.requests) assert.match(r.credential, new RegExp(`^${TEST_CREDENTIALS.accessKeyId}/\\d{8}/${REGION}/xray/aws4_request$`));

    const summaries = xray.requests.filter((r) => r.operation === 'GetTraceSummaries');
    // 1 throttled + its retry, a second page with NextToken, and the second window.
    assert.equal(summaries.length, 4);
    assert.ok(summaries.every((r) => r.body.FilterExpression === 'service("api") AND (fault OR throttle)'));
    assert.ok(summaries.some((r) => typeof r.body.NextToken === 'string'));
    const windows = new Set(summaries.map((r) => `${r.body.StartTime}-${r.body.EndTime}`));
    assert.equal(windows.size, 2);
    for (const r of summaries) assert.ok((Number(r.body.EndTime) - Number(r.body.StartTime)) * 1000 <= MAX_WINDOW_MS);

    const batchCalls = xray.requests.filter((r) => r.operation === 'BatchGetTraces');
    assert.ok(batchCalls.every((r) => (r.body.TraceIds as string[]).length <= 5));
    const asked = new Set(batchCalls.flatMap((r) => r.body.TraceIds as string[]));
    assert.deepEqual([...asked].sort(), [...xray.traces.map((t) => t.id), xrayId(99)].sort());
    assert.ok(batchCalls.some((r) => typeof r.body.NextToken === 'string'), 'a BatchGetTraces page was followed');
    // The flaky id was asked for twice (first answer: unprocessed), each other once.
    assert.equal(batchCalls.filter((r) => (r.body.TraceIds as string[]).includes(xrayId(3))).filter((r) => r.body.NextToken === undefined).length, 2);

    const spans = batches.flat();
    assert.equal(result.traceIds, 8);
    assert.equal(result.spans, spans.length);
    assert.equal(result.truncated, false);
    assert.equal(spans.length, 7 * 2 + 4); // api + DynamoDB per trace, and worker for 0, 2, 4, 6
    assert.deepEqual(new Set(spans.map((s) => s.traceId)), new Set(xray.traces.map((_, i) => w3cId(i))));
    assert.ok(progress.at(-1) === 8);

    // Parentage, inside a document and across documents of one trace.
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    for (let i = 0; i < 7; i++) {
      const call = byId.get(callId(i))!;
      assert.equal(call.parentSpanId, segmentId(i));
      assert.equal(call.kind, 'client');
      assert.equal(byId.get(segmentId(i))!.parentSpanId, undefined);
      if (i % 2 === 0) {
        assert.equal(byId.get(workerId(i))!.parentSpanId, callId(i));
        assert.equal(call.service, 'api', 'a call to a traced callee stays in the caller');
      } else {
        assert.equal(call.service, 'DynamoDB');
      }
    }
    // errorClass from fault and throttle.
    assert.equal(byId.get(segmentId(0))!.errorClass, 'fault');
    assert.equal(byId.get(segmentId(0))!.status, 'error');
    assert.equal(byId.get(callId(1))!.errorClass, 'throttle');
    assert.equal(byId.get(segmentId(2))!.errorClass, undefined);

    // The ghost id never came back: a problem naming it.
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0], /did not return 1 trace .*UnprocessedTraceIds/);
    assert.ok(result.problems[0].includes(xrayId(99)));
  });

  test('windows are split at 6 hours', () => {
    assert.deepEqual(splitWindow(0, 13 * 3_600_000).map((w) => (w.end - w.start) / 3_600_000), [6, 6, 1]);
    assert.throws(() => splitWindow(10, 10), RangeError);
  });

  test('maxTraces stops the search and says so', async () => {
    xray.traces = Array.from({ length: 7 }, (_, i) => makeTrace(i, NOW - 60 * 60_000 + i * 1000));
    xray.ghosts = [];
    xray.flaky = new Set();
    xray.requests = [];
    const spans: Span[] = [];
    const result = await pullXRay({ ...connection(), startTime: NOW - 2 * 3_600_000, endTime: NOW, maxTraces: 3, onBatch: (s) => void spans.push(...s) });
    assert.equal(result.traceIds, 3);
    assert.equal(result.truncated, true);
    assert.equal(new Set(spans.map((s) => s.traceId)).size, 3);
  });

  test('cancellation aborts the pull after the first batch', async () => {
    xray.traces = Array.from({ length: 7 }, (_, i) => makeTrace(i, NOW - 60 * 60_000 + i * 1000));
    xray.requests = [];
    const controller = new AbortController();
    let batches = 0;
    await assert.rejects(
      pullXRay({ ...connection(), startTime: NOW - 2 * 3_600_000, endTime: NOW, signal: controller.signal, onBatch: () => { batches++; controller.abort(); } }),
      (error: Error) => error.name === 'AbortError',
    );
    assert.equal(batches, 1);
    const after = xray.requests.length;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(xray.requests.length, after);
  });

  test('wrong credentials: a rejection naming the operation and the AWS error', async () => {
    await assert.rejects(
      pullXRay({ ...connection(), credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' }, maxAttempts: 1, startTime: NOW - 60_000, endTime: NOW, onBatch: () => {} }),
      (error: Error) => /X-Ray GetTraceSummaries failed: InvalidSignatureException: signature does not match \(HTTP 403\)/.test(error.message) && !error.message.includes('not-the-secret'),
    );
  });
});

// ── Jaeger ──────────────────────────────────────────────────────────────────────────────────────

const T1 = '00000000000000000000000000000a01';
const T2 = '0000000000000a02';

function jaegerTrace(traceID: string, services: string[], failing?: string): Json {
  const base = NOW * 1000 - 60_000_000;
  const spans = services.map((service, i) => ({
    traceID, spanID: hex(0xd00 + i + (traceID === T2 ? 0x100 : 0), 16), operationName: `${service} op`,
    references: i === 0 ? [] : [{ refType: 'CHILD_OF', traceID, spanID: hex(0xd00 + i - 1 + (traceID === T2 ? 0x100 : 0), 16) }],
    startTime: base + i * 1000, duration: 5000 - i * 1000, processID: `p${i}`,
    tags: [
      { key: 'span.kind', type: 'string', value: i === 0 ? 'server' : 'client' },
      ...(service === failing ? [{ key: 'error', type: 'bool', value: true }, { key: 'http.status_code', type: 'int64', value: 503 }] : []),
    ],
    logs: [],
  }));
  return { traceID, spans, processes: Object.fromEntries(services.map((s, i) => [`p${i}`, { serviceName: s, tags: [] }])), warnings: null };
}

describe('pullJaeger against a loopback Jaeger query service', () => {
  let server: Server;
  let baseUrl: string;
  const queries: URLSearchParams[] = [];
  let servicesAnswer: { status: number; type: string; body: string } = { status: 200, type: 'application/json', body: JSON.stringify({ data: ['frontend', 'backend', 'jaeger-query', 'broken', 'html'], total: 5, limit: 0, offset: 0, errors: null }) };

  before(async () => {
    ({ server, url: baseUrl } = await listen((req, _body, res) => {
      const url = new URL(req.url ?? '/', 'http://loopback');
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/prefix/api/services') {
        res.writeHead(servicesAnswer.status, { 'content-type': servicesAnswer.type });
        return res.end(servicesAnswer.body);
      }
      if (url.pathname !== '/prefix/api/traces') return json(404, { data: null, errors: [{ code: 404, msg: '404 page not found' }] });
      queries.push(url.searchParams);
      switch (url.searchParams.get('service')) {
        case 'frontend': return json(200, { data: [jaegerTrace(T1, ['frontend', 'backend'], 'backend')], total: 0, limit: 0, offset: 0, errors: null });
        case 'backend': return json(200, { data: [jaegerTrace(T1, ['frontend', 'backend'], 'backend'), jaegerTrace(T2, ['backend'])], total: 0, limit: 0, offset: 0, errors: null });
        case 'broken': return json(500, { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 500, msg: 'storage unavailable: cassandra timeout' }] });
        case 'html':
          res.writeHead(200, { 'content-type': 'text/html' });
          return res.end('<html><body>Jaeger UI</body></html>');
        case 'partial': return json(200, { data: [], errors: [{ code: 400, msg: 'malformed tags: invalid character' }] });
        default: return json(200, { data: [], errors: null });
      }
    }));
    baseUrl += '/prefix';
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('every service, without jaeger-query; spans once per trace with parentage and errors; clear problems', async () => {
    queries.length = 0;
    const batches: Span[][] = [];
    const now = NOW;
    const result = await pullJaeger({ baseUrl, lookbackMs: 3_600_000, limit: 20, operation: 'GET /items', tags: { error: 'true' }, now: () => now, onBatch: (s) => void batches.push(s) });
    assert.deepEqual(result.services, ['backend', 'broken', 'frontend', 'html']);
    assert.deepEqual(queries.map((q) => q.get('service')), ['backend', 'broken', 'frontend', 'html']);
    for (const q of queries) {
      assert.equal(q.get('end'), String(BigInt(now) * 1000n));
      assert.equal(q.get('start'), String(BigInt(now - 3_600_000) * 1000n));
      assert.equal(q.get('limit'), '20');
      assert.equal(q.get('operation'), 'GET /items');
      assert.deepEqual(JSON.parse(q.get('tags')!), { error: 'true' });
    }
    const spans = batches.flat();
    assert.equal(result.traces, 2);
    assert.equal(spans.length, 3, 'trace 1 came back for two services and is delivered once');
    const t1 = spans.filter((s) => s.traceId === T1);
    assert.deepEqual(t1.map((s) => [s.service, s.kind, s.parentSpanId ?? null]), [['frontend', 'server', null], ['backend', 'client', t1[0].spanId]]);
    assert.equal(t1[1].status, 'error');
    assert.equal(t1[1].errorClass, 'fault');
    assert.equal(spans.find((s) => s.traceId === '00000000000000000000000000000a02')?.service, 'backend');
    assert.equal(result.problems.length, 2);
    assert.match(result.problems[0], /^service broken: GET \/prefix\/api\/traces: HTTP 500 Internal Server Error: storage unavailable: cassandra timeout \(500\)$/);
    assert.match(result.problems[1], /^service html: GET \/prefix\/api\/traces: the answer is not JSON \(text\/html\)/);
  });

  test('one service: errors in the envelope reject with the message', async () => {
    await assert.rejects(pullJaeger({ baseUrl, service: 'partial', lookbackMs: 60_000, limit: 5, onBatch: () => {} }), (e: Error) => e instanceof JaegerQueryError && /malformed tags: invalid character/.test(e.message));
    await assert.rejects(pullJaeger({ baseUrl, service: 'html', lookbackMs: 60_000, limit: 5, onBatch: () => {} }), /not JSON/);
  });

  test('a malformed /api/services answer, or no server, rejects clearly', async () => {
    servicesAnswer = { status: 200, type: 'application/json', body: '{"data": ["frontend",' };
    await assert.rejects(pullJaeger({ baseUrl, lookbackMs: 60_000, limit: 5, onBatch: () => {} }), /GET \/prefix\/api\/services: the answer is not JSON \(application\/json\)/);
    servicesAnswer = { status: 502, type: 'text/plain', body: 'Bad Gateway' };
    await assert.rejects(pullJaeger({ baseUrl, lookbackMs: 60_000, limit: 5, onBatch: () => {} }), /HTTP 502 Bad Gateway: Bad Gateway/);
    const closed = await listen(() => {});
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    await assert.rejects(pullJaeger({ baseUrl: closed.url, lookbackMs: 60_000, limit: 5, onBatch: () => {} }), /could not reach the Jaeger query service at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  });
});
