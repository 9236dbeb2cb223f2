// Jaeger → spans over the query service's HTTP API (the one Jaeger UI uses, port 16686 by default):
//   GET /api/services                         → { data: ["svc", …], errors: null }
//   GET /api/traces?service=&operation=&start=<µs>&end=<µs>&limit=&tags=<json>
//                                             → { data: [trace…], errors: null }
// and the traces through the Jaeger file reader (formats/jaeger.ts). Without a service, every
// service /api/services names is searched (except jaeger-query's own); a trace that spans several
// services comes back for each and is delivered once.
//
// Failures are messages that say what went wrong: the HTTP status (with the envelope's error text
// when there is one), an answer that is not JSON, or `errors` in the envelope. When the one request
// the pull depends on fails (/api/services, or /api/traces for the one service asked for), pullJaeger
// rejects; while going through many services, one service's failure is a problem and the rest go on.

import { JaegerReader } from '../formats/jaeger';
import { describeJsonError, parseTraceJson } from '../formats/json';
import { ProblemLog } from '../formats/problems';
import type { Span } from '../model';

export interface JaegerPullOptions {
  /** The query service, e.g. http://localhost:16686 (a path prefix such as /jaeger is kept). */
  baseUrl: string;
  service?: string;
  operation?: string;
  /** How far back from now to search. */
  lookbackMs: number;
  /** Traces per service (the API's `limit`). */
  limit: number;
  /** Tag filters, e.g. { error: 'true', 'http.status_code': '500' } (sent as the API's JSON `tags`). */
  tags?: Record<string, string>;
  signal?: AbortSignal;
  onBatch(spans: Span[]): void | Promise<void>;
  /** Per service searched, as it finishes. */
  onProgress?(progress: { services: number; servicesDone: number; traces: number; spans: number }): void;
  /** For tests: the current time in ms. */
  now?: () => number;
}

export interface JaegerPullResult {
  services: string[];
  traces: number;
  spans: number;
  problems: string[];
}

export class JaegerQueryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JaegerQueryError';
  }
}

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The Jaeger envelope's errors: `[{ code, msg }]` → "msg (code)". */
function envelopeErrors(value: unknown): string | undefined {
  if (!isObject(value) || !Array.isArray(value.errors) || value.errors.length === 0) return undefined;
  return value.errors
    .map((e) => (isObject(e) && typeof e.msg === 'string' ? `${e.msg}${typeof e.code === 'number' ? ` (${e.code})` : ''}` : JSON.stringify(e)))
    .join('; ');
}

function endpoint(baseUrl: string, path: string, query?: URLSearchParams): URL {
  let base: URL;
  try {
    base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  } catch {
    throw new JaegerQueryError(`the Jaeger query URL ${JSON.stringify(baseUrl)} is not a URL`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new JaegerQueryError(`the Jaeger query URL must be http or https, not ${base.protocol}`);
  const url = new URL(path, base);
  if (query) url.search = query.toString();
  return url;
}

/** A GET returning the parsed JSON envelope; throws JaegerQueryError with what went wrong. */
async function getJson(url: URL, signal: AbortSignal | undefined): Promise<unknown> {
  const where = `${url.pathname}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new JaegerQueryError(`could not reach the Jaeger query service at ${url.origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, { cause: error });
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new JaegerQueryError(`GET ${where}: the answer broke off: ${(error as Error).message}`, { cause: error });
  }
  let value: unknown;
  let parsed = false;
  try {
    value = parseTraceJson(text);
    parsed = true;
  } catch {
    // described below
  }
  if (!response.ok) {
    const detail = parsed ? envelopeErrors(value) : undefined;
    const snippet = detail ?? text.trim().replace(/\s+/g, ' ').slice(0, 200);
    throw new JaegerQueryError(`GET ${where}: HTTP ${response.status} ${response.statusText}${snippet ? `: ${snippet}` : ''}`);
  }
  if (!parsed) {
    const type = response.headers.get('content-type') ?? 'no content type';
    throw new JaegerQueryError(`GET ${where}: the answer is not JSON (${type}): ${describeJsonError(text)}`);
  }
  if (!isObject(value) || !('data' in value)) throw new JaegerQueryError(`GET ${where}: the answer is not a Jaeger query envelope ({ data, errors })`);
  return value;
}

/** The services the query service knows, without its own. */
export async function jaegerServices(baseUrl: string, signal?: AbortSignal): Promise<string[]> {
  const envelope = (await getJson(endpoint(baseUrl, 'api/services'), signal)) as Fields;
  const errors = envelopeErrors(envelope);
  if (errors) throw new JaegerQueryError(`GET /api/services: the Jaeger query reported errors: ${errors}`);
  if (!Array.isArray(envelope.data)) throw new JaegerQueryError('GET /api/services: data is not a list of services');
  return envelope.data.filter((s): s is string => typeof s === 'string' && s !== '' && s !== 'jaeger-query').sort();
}

/**
 * Pulls the traces of the last `lookbackMs` for `service` (or every service) and delivers their
 * spans to `onBatch`, one call per service answer. Rejects on abort with the signal's reason.
 */
export async function pullJaeger(options: JaegerPullOptions): Promise<JaegerPullResult> {
  if (!(options.lookbackMs > 0)) throw new RangeError('lookbackMs must be positive');
  if (!(Number.isInteger(options.limit) && options.limit > 0)) throw new RangeError('limit must be a positive integer');
  const signal = options.signal;
  const single = options.service !== undefined && options.service !== '';
  const services = single ? [options.service!] : await jaegerServices(options.baseUrl, signal);
  const nowMs = (options.now ?? Date.now)();
  const end = BigInt(Math.round(nowMs)) * 1000n;
  const start = BigInt(Math.round(nowMs - options.lookbackMs)) * 1000n;
  const problems = ProblemLog.forInput();
  const result: JaegerPullResult = { services, traces: 0, spans: 0, problems: [] };
  const delivered = new Set<string>();
  let servicesDone = 0;

  for (const service of services) {
    signal?.throwIfAborted();
    const query = new URLSearchParams({ service, start: String(start), end: String(end), limit: String(options.limit) });
    if (options.operation) query.set('operation', options.operation);
    if (options.tags && Object.keys(options.tags).length > 0) query.set('tags', JSON.stringify(options.tags));
    const log = problems.within(`service ${service}: `);
    let envelope: Fields;
    try {
      envelope = (await getJson(endpoint(options.baseUrl, 'api/traces', query), signal)) as Fields;
    } catch (error) {
      if (signal?.aborted || single || !(error instanceof JaegerQueryError)) throw error;
      log.add(error.message);
      servicesDone++;
      options.onProgress?.({ services: services.length, servicesDone, traces: result.traces, spans: result.spans });
      continue;
    }
    // Traces already delivered for another service are left out; the reader reports `errors`.
    const data = Array.isArray(envelope.data) ? envelope.data : [];
    const fresh = data.filter((trace) => {
      const id = isObject(trace) && typeof trace.traceID === 'string' ? trace.traceID.toLowerCase().replace(/^0+/, '') : undefined;
      if (id === undefined) return true;
      if (delivered.has(id)) return false;
      delivered.add(id);
      return true;
    });
    if (!Array.isArray(envelope.data) && envelope.data !== null) log.add('data is not a list of traces');
    const spans: Span[] = [];
    new JaegerReader(spans).value({ data: fresh, errors: envelope.errors ?? null }, log);
    if (single && data.length === 0 && envelopeErrors(envelope)) throw new JaegerQueryError(`GET /api/traces: the Jaeger query reported errors: ${envelopeErrors(envelope)}`);
    result.traces += fresh.length;
    if (spans.length > 0) {
      result.spans += spans.length;
      await options.onBatch(spans);
    }
    servicesDone++;
    options.onProgress?.({ services: services.length, servicesDone, traces: result.traces, spans: result.spans });
  }
  result.problems = problems.list();
  return result;
}
