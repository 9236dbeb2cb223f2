// Realistic synthetic traces, made in memory, for the large-input tests and the ingest benchmark:
// OTLP export batches as the OpenTelemetry SDKs send them (512 spans per batch, a full resource per
// batch, semantic-convention attributes: HTTP servers, database clients, functions with code.*),
// and X-Ray segment documents with nested subsegments as the X-Ray SDKs send them.
import { Root, type Type } from 'protobufjs/light';
import descriptor from '../../../server/traces/formats/opentelemetry-proto/descriptor.json';

interface AnyValue {
  stringValue?: string;
  intValue?: string;
  boolValue?: boolean;
  doubleValue?: number;
}
interface KeyValue {
  key: string;
  value: AnyValue;
}
export interface OtlpSpanObject {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  events: { timeUnixNano: string; name: string; attributes: KeyValue[] }[];
  status: { code: number; message?: string };
}
export interface OtlpRequestObject {
  resourceSpans: { resource: { attributes: KeyValue[] }; scopeSpans: { scope: { name: string; version: string }; spans: OtlpSpanObject[] }[] }[];
}

const services = ['checkout', 'payments', 'inventory', 'shipping', 'frontend'];
const tables = ['orders', 'order_lines', 'customers', 'stock'];

function str(key: string, value: string): KeyValue {
  return { key, value: { stringValue: value } };
}
function int(key: string, value: number): KeyValue {
  return { key, value: { intValue: String(value) } };
}

/** A deterministic pseudo-random sequence, so every run measures the same bytes. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function hex(next: () => number, digits: number): string {
  let text = '';
  while (text.length < digits) text += Math.floor(next() * 4294967296).toString(16).padStart(8, '0');
  return text.slice(0, digits);
}

function resource(service: string, instance: number): KeyValue[] {
  return [
    str('service.name', service), str('service.version', '1.14.2'), str('service.instance.id', `${service}-${instance}`),
    str('host.name', `ip-10-0-${instance % 250}-${(instance * 7) % 250}.eu-west-1.compute.internal`), str('os.type', 'linux'),
    int('process.pid', 4000 + instance), str('process.runtime.name', 'nodejs'), str('process.runtime.version', '20.19.4'),
    str('telemetry.sdk.name', 'opentelemetry'), str('telemetry.sdk.language', 'nodejs'), str('telemetry.sdk.version', '1.25.1'),
    str('cloud.provider', 'aws'), str('cloud.region', 'eu-west-1'),
  ];
}

/**
 * `spanCount` spans in traces of 8 spans (a server span, 3 functions, 3 database calls, 1 HTTP
 * client call), in export batches of 512, with decimal-string times.
 */
export function otlpRequests(spanCount: number, seed = 1): OtlpRequestObject[] {
  const next = random(seed);
  const requests: OtlpRequestObject[] = [];
  let made = 0;
  let batch = 0;
  let t = 1_700_000_000_000_000_000n;
  while (made < spanCount) {
    const service = services[batch % services.length];
    const spans: OtlpSpanObject[] = [];
    while (spans.length < 512 && made < spanCount) {
      const traceId = hex(next, 32);
      const rootId = hex(next, 16);
      const start = t;
      t += 1_000_000n + BigInt(Math.floor(next() * 5_000_000));
      const status = next() < 0.03 ? 500 : 200;
      const traceSpans = Math.min(8, spanCount - made, 512 - spans.length);
      for (let i = 0; i < traceSpans; i++) {
        const s = start + BigInt(i * 100_000);
        const e = s + BigInt(200_000 + Math.floor(next() * 900_000));
        const span: OtlpSpanObject = {
          traceId, spanId: i === 0 ? rootId : hex(next, 16), parentSpanId: i === 0 ? '' : rootId,
          name: '', kind: 1, startTimeUnixNano: String(s), endTimeUnixNano: String(e), attributes: [], events: [], status: { code: 0 },
        };
        if (i === 0) {
          span.name = 'POST /api/orders/{id}';
          span.kind = 2;
          span.attributes = [str('http.request.method', 'POST'), str('url.path', `/api/orders/${Math.floor(next() * 1e6)}`), str('http.route', '/api/orders/{id}'),
            int('http.response.status_code', status), str('user_agent.original', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36'),
            str('server.address', 'orders.example.com'), str('client.address', `203.0.113.${Math.floor(next() * 250)}`)];
          if (status >= 500) span.status = { code: 2, message: 'Internal Server Error' };
        } else if (i <= 3) {
          const fn = ['validateOrder', 'priceOrder', 'persistOrder'][i - 1];
          span.name = fn;
          span.attributes = [str('code.function.name', `OrderService.${fn}`), str('code.file.path', `/srv/app/src/orders/${fn}.ts`), int('code.line.number', 10 + i * 17)];
        } else if (i <= 6) {
          const table = tables[Math.floor(next() * tables.length)];
          span.name = `SELECT ${table}`;
          span.kind = 3;
          span.attributes = [str('db.system', 'postgresql'), str('db.namespace', 'shop'), str('db.query.text', `SELECT id, status, total, updated_at FROM ${table} WHERE order_id = $1 LIMIT 50`),
            str('server.address', 'db.internal'), int('server.port', 5432)];
        } else {
          span.name = 'GET';
          span.kind = 3;
          span.attributes = [str('http.request.method', 'GET'), str('url.full', 'https://payments.internal/v1/charges/ch_1234'), int('http.response.status_code', 200)];
          span.events = [{ timeUnixNano: String(s + 5_000n), name: 'retry', attributes: [int('http.request.resend_count', 1)] }];
        }
        spans.push(span);
        made++;
      }
    }
    requests.push({ resourceSpans: [{ resource: { attributes: resource(service, batch % 40) }, scopeSpans: [{ scope: { name: '@opentelemetry/instrumentation-http', version: '0.52.1' }, spans }] }] });
    batch++;
  }
  return requests;
}

/** All requests as one OTLP/JSON document (a TracesData with every batch's resourceSpans); times as bare numbers if asked, as some exporters write them. */
export function otlpJsonDocument(requests: readonly OtlpRequestObject[], bareNumbers = false): string {
  const text = JSON.stringify({ resourceSpans: requests.flatMap((r) => r.resourceSpans) });
  return bareNumbers ? text.replace(/"(startTimeUnixNano|endTimeUnixNano|timeUnixNano)":"(\d+)"/g, '"$1":$2') : text;
}

let requestType: Type | undefined;

/** The protobufjs type the tests encode with (the same definitions the reader decodes with). */
export function exportTraceServiceRequest(): Type {
  return (requestType ??= Root.fromJSON(descriptor).lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'));
}

/** One request as OTLP/protobuf bytes: ids become bytes; times and int64s go in as decimal strings. */
export function otlpProtobuf(request: OtlpRequestObject): Uint8Array {
  const withBytes = {
    resourceSpans: request.resourceSpans.map((rs) => ({
      ...rs,
      scopeSpans: rs.scopeSpans.map((ss) => ({
        ...ss,
        spans: ss.spans.map((s) => ({ ...s, traceId: Buffer.from(s.traceId, 'hex'), spanId: Buffer.from(s.spanId, 'hex'), parentSpanId: Buffer.from(s.parentSpanId, 'hex') })),
      })),
    })),
  };
  return exportTraceServiceRequest().encode(withBytes).finish();
}

/**
 * X-Ray segment documents, one per trace: a segment with an HTTP request, a function subsegment,
 * and under it a DynamoDB call and a remote HTTP call — 4 spans per document.
 */
export function xrayDocuments(spanCount: number, seed = 1): string[] {
  const next = random(seed);
  const documents: string[] = [];
  let seconds = 1_700_000_000;
  for (let made = 0; made < spanCount; made += 4) {
    seconds += 0.001 + Math.floor(next() * 1000) / 1e6;
    const start = Number(seconds.toFixed(6));
    const fault = next() < 0.03;
    documents.push(JSON.stringify({
      name: services[made % services.length],
      id: hex(next, 16),
      trace_id: `1-${Math.floor(start).toString(16)}-${hex(next, 24)}`,
      start_time: start,
      end_time: Number((start + 0.05).toFixed(6)),
      origin: 'AWS::Lambda::Function',
      http: { request: { method: 'POST', url: 'https://api.example.com/orders', client_ip: '203.0.113.7' }, response: { status: fault ? 502 : 200 } },
      fault,
      aws: { xray: { sdk: 'X-Ray for Node.js', sdk_version: '3.9.0' } },
      annotations: { tenant: 'acme', tier: 2 },
      subsegments: [{
        id: hex(next, 16), name: 'processOrder', start_time: Number((start + 0.001).toFixed(6)), end_time: Number((start + 0.049).toFixed(6)),
        subsegments: [
          { id: hex(next, 16), name: 'DynamoDB', namespace: 'aws', start_time: Number((start + 0.002).toFixed(6)), end_time: Number((start + 0.012).toFixed(6)),
            aws: { operation: 'PutItem', region: 'eu-west-1', table_name: 'orders', request_id: hex(next, 24) }, http: { response: { status: 200 } } },
          { id: hex(next, 16), name: 'payments.internal', namespace: 'remote', start_time: Number((start + 0.013).toFixed(6)), end_time: Number((start + 0.040).toFixed(6)),
            http: { request: { method: 'POST', url: 'https://payments.internal/charge' }, response: { status: 200 } } },
        ],
      }],
    }));
  }
  return documents;
}
