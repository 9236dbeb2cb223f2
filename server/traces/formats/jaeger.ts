// Jaeger JSON: the query service's `/api/traces` response `{ "data": [ { traceID, spans, processes } ] }`,
// the UI's "Download results" (the same shape, or the bare array of traces), and a single trace.
// - references: the first CHILD_OF is the parent; without one, the first FOLLOWS_FROM in the same
//   trace is (OpenTracing's "follows from" is still a parent: the async child of a producer, and
//   Jaeger UI draws it under it); every other reference becomes a link.
// - tags (typed: string, bool, int64, float64, binary) → attributes, after the process's tags (the
//   resource); `span.kind` → kind; `error` and `otel.status_code`/`otel.status_description` → status,
//   and these four are not kept as attributes.
// - logs → events, named by their `event` field (else `message`, else "log").
// - startTime and duration are microseconds.
import { codeLocationFromAttributes } from '../codeAttributes';
import type { Attributes, ReadResult, AttributeValue, ErrorClass, Span, SpanEvent, SpanKind, SpanLink, StatusCode } from '../model';
import { errorClassOf } from './errorClass';
import { readJsonDocument } from './json';
import { paddedHexId } from './ids';
import { nsBetween, nsFromDecimal } from './nanoseconds';
import { type ProblemLog, quote } from './problems';

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isTrace(value: unknown): boolean {
  return isObject(value) && Array.isArray(value.spans) && (isObject(value.processes) || typeof value.traceID === 'string');
}

/** `{ data: [trace…] }`, `[trace…]` or one trace. */
export function isJaegerValue(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0 && isTrace(value[0]);
  if (!isObject(value)) return false;
  if (Array.isArray(value.data)) return value.data.length === 0 ? 'total' in value || 'errors' in value : isTrace(value.data[0]);
  return isTrace(value);
}

const kinds = new Map<string, SpanKind>([['server', 'server'], ['client', 'client'], ['producer', 'producer'], ['consumer', 'consumer'], ['internal', 'internal']]);
const integer = /^-?\d+$/;

function tagValue(tag: Fields): AttributeValue {
  const value = tag.value;
  switch (tag.type) {
    case 'bool': return value === true || value === 'true';
    case 'int64': {
      if (typeof value === 'string' && integer.test(value)) {
        const n = Number(value);
        return Number.isSafeInteger(n) ? n : value;
      }
      return typeof value === 'number' ? value : String(value);
    }
    case 'float64': return typeof value === 'number' ? value : Number(value);
    default: return (value ?? null) as AttributeValue;
  }
}

/** Typed key/value tags → attributes. */
function addTags(target: Attributes, tags: unknown): void {
  if (!Array.isArray(tags)) return;
  for (const tag of tags) {
    if (!isObject(tag) || typeof tag.key !== 'string' || tag.key === '__proto__') continue;
    target[tag.key] = tagValue(tag);
  }
}

interface Process {
  service: string;
  attributes: Attributes;
}

function processOf(raw: unknown): Process {
  if (!isObject(raw)) return { service: 'unknown_service', attributes: {} };
  const attributes: Attributes = {};
  addTags(attributes, raw.tags);
  return { service: typeof raw.serviceName === 'string' && raw.serviceName !== '' ? raw.serviceName : 'unknown_service', attributes };
}

export class JaegerReader {
  constructor(private readonly out: Span[]) {}

  value(value: unknown, problems: ProblemLog): void {
    if (Array.isArray(value)) {
      value.forEach((trace, i) => this.trace(trace, problems, `[${i}]`));
    } else if (isObject(value) && Array.isArray(value.data)) {
      value.data.forEach((trace, i) => this.trace(trace, problems, `data[${i}]`));
      if (Array.isArray(value.errors) && value.errors.length > 0) {
        problems.add(`the Jaeger query reported errors: ${value.errors.map((e) => (isObject(e) && typeof e.msg === 'string' ? e.msg : JSON.stringify(e))).join('; ')}`);
      }
    } else {
      this.trace(value, problems, 'trace');
    }
  }

  private trace(trace: unknown, problems: ProblemLog, path: string): void {
    if (!isObject(trace) || !Array.isArray(trace.spans)) {
      problems.add(`${path} is not a Jaeger trace (no spans)`);
      return;
    }
    const processes = new Map<string, Process>();
    const rawProcesses = isObject(trace.processes) ? trace.processes : {};
    const spans = trace.spans;
    for (let i = 0; i < spans.length; i++) {
      const raw = spans[i];
      const where = `${path}.spans[${i}]`;
      if (!isObject(raw)) {
        problems.add(`${where} is not an object`);
        continue;
      }
      let process: Process;
      if (isObject(raw.process)) process = processOf(raw.process);
      else {
        const id = String(raw.processID);
        process = processes.get(id) ?? processOf(rawProcesses[id]);
        processes.set(id, process);
      }
      this.span(raw, trace.traceID, process, problems, where);
    }
  }

  private span(raw: Fields, traceTraceId: unknown, process: Process, problems: ProblemLog, where: string): void {
    const rawTraceId = raw.traceID ?? traceTraceId;
    const traceId = paddedHexId(rawTraceId, 16);
    if (!traceId) return problems.add(`${where}: traceID ${quote(rawTraceId)} is not a hex trace id`);
    const spanId = paddedHexId(raw.spanID, 8);
    if (!spanId) return problems.add(`${where}: spanID ${quote(raw.spanID)} is not a 64-bit hex id`);
    const startMicros = typeof raw.startTime === 'number' ? raw.startTime : Number(raw.startTime);
    const startNs = nsFromDecimal(startMicros, 3);
    if (startNs === undefined) return problems.add(`${where}: startTime ${quote(raw.startTime)} is not a time in microseconds`);
    const durationMicros = typeof raw.duration === 'number' ? raw.duration : Number(raw.duration ?? 0);
    let endNs = nsFromDecimal(startMicros + durationMicros, 3);
    if (endNs === undefined || durationMicros < 0) {
      problems.add(`${where}: duration ${quote(raw.duration)} is not a duration in microseconds; read as zero`);
      endNs = startNs;
    }

    let parentSpanId: string | undefined;
    let followsFrom: SpanLink | undefined;
    const links: SpanLink[] = [];
    if (Array.isArray(raw.references)) {
      for (const ref of raw.references) {
        if (!isObject(ref)) continue;
        const refTrace = paddedHexId(ref.traceID ?? traceId, 16);
        const refSpan = paddedHexId(ref.spanID, 8);
        if (!refTrace || !refSpan) continue;
        const link: SpanLink = { traceId: refTrace, spanId: refSpan, attributes: { 'jaeger.ref_type': String(ref.refType ?? 'CHILD_OF') } };
        if (parentSpanId === undefined && ref.refType !== 'FOLLOWS_FROM' && refTrace === traceId) parentSpanId = refSpan;
        else if (followsFrom === undefined && ref.refType === 'FOLLOWS_FROM' && refTrace === traceId) followsFrom = link;
        else links.push(link);
      }
    }
    if (parentSpanId === undefined && typeof raw.parentSpanID === 'string') parentSpanId = paddedHexId(raw.parentSpanID, 8);
    if (parentSpanId === undefined && followsFrom) parentSpanId = followsFrom.spanId;
    else if (followsFrom) links.unshift(followsFrom);

    const attributes: Attributes = {};
    for (const key of Object.keys(process.attributes)) attributes[key] = process.attributes[key];
    addTags(attributes, raw.tags);
    const kind = kinds.get(String(attributes['span.kind'])) ?? 'unspecified';
    const otelStatus = attributes['otel.status_code'];
    const errorTag = attributes.error;
    const status: StatusCode = otelStatus === 'ERROR' || errorTag === true || errorTag === 'true' ? 'error' : otelStatus === 'OK' ? 'ok' : 'unset';
    const description = attributes['otel.status_description'];
    delete attributes['span.kind'];
    delete attributes['otel.status_code'];
    delete attributes['otel.status_description'];
    delete attributes.error;
    const errorClass: ErrorClass | undefined = status === 'error' ? errorClassOf(attributes) : undefined;

    this.out.push({
      traceId,
      spanId,
      parentSpanId: parentSpanId && parentSpanId !== spanId ? parentSpanId : undefined,
      service: process.service,
      name: typeof raw.operationName === 'string' ? raw.operationName : '',
      kind,
      startNs,
      endNs,
      durationNs: nsBetween(startNs, endNs),
      status,
      statusMessage: typeof description === 'string' && description !== '' ? description : undefined,
      errorClass,
      attributes,
      events: eventsOf(raw.logs, startNs),
      links,
      code: codeLocationFromAttributes(attributes),
      inProgress: undefined,
      format: 'jaeger',
    });
  }
}

function eventsOf(logs: unknown, startNs: string): SpanEvent[] {
  if (!Array.isArray(logs)) return [];
  const events: SpanEvent[] = [];
  for (const log of logs) {
    if (!isObject(log)) continue;
    const attributes: Attributes = {};
    addTags(attributes, log.fields);
    const name = attributes.event ?? attributes.message;
    if (typeof attributes.event === 'string') delete attributes.event;
    events.push({ name: typeof name === 'string' ? name : 'log', timeNs: nsFromDecimal(log.timestamp, 3) ?? startNs, attributes });
  }
  return events;
}

/** Jaeger JSON text → spans. Never throws: what it cannot read is in `problems`. */
export function readJaeger(input: string | Uint8Array, fileName?: string): ReadResult {
  return readJsonDocument(input, fileName, (value, problems, spans) => new JaegerReader(spans).value(value, problems));
}
