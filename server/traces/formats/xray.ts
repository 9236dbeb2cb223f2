// AWS X-Ray segment documents → spans: a document, an array of them, the daemon's wire form (a
// `{"format":"json","version":1}` header line before each document), and BatchGetTraces output,
// where each `Traces[].Segments[].Document` is the document as a JSON string.
//
// A segment and each of its subsegments, nested to any depth, become one span each; a subsegment's
// parent is the (sub)segment around it. How X-Ray's fields map:
// - service: the segment's name; a local subsegment belongs to its segment's service. A subsegment
//   in the `aws` or `remote` namespace is a call out, and X-Ray draws it as a node of its own named
//   after it (an "inferred segment": DynamoDB, api.example.com), so its service is its name, unless
//   the callee is traced itself (a segment in the same input names it as parent), in which case the
//   call stays in the caller's service and the callee's segment is the node.
// - kind: segment → server; aws/remote subsegment → client; other subsegment → internal.
// - error (4xx), fault (5xx), throttle (429): status error, and one errorClass with the precedence
//   throttle > fault > error. X-Ray's SDKs set `error` together with `throttle` on a 429, and some
//   AWS services throttle with a 5xx (S3's 503 SlowDown), so throttle is the most specific diagnosis
//   (retry with backoff) and wins; a fault, the server's own failure, outranks a plain client error.
// - http → http.request.method, url.full, user_agent.original, client.address,
//   http.response.status_code, http.response.body.size; aws → aws.* (nested objects one level
//   deeper: aws.ec2.instance_id); sql → sql.*; annotations → annotation.*; metadata →
//   metadata.<namespace>.<key> with the value as is; namespace, origin, inferred → xray.*;
//   service.version, user → enduser.id, resource_arn → cloud.resource_id.
// - cause.exceptions[] → one `exception` event each (exception.type, .message, .stacktrace), and
//   the span's code location from the first user frame with a path.
// - in_progress (no end_time yet) → inProgress, endNs = startNs; when the same segment arrives
//   again complete, that one replaces it.
// - start_time/end_time are float seconds; they are converted by moving the decimal point in the
//   number's text (never × 1e9 in floating point), so 1478293361.271 is exactly 1478293361271000000.
import { codeLocationFromFrames, type StackFrame } from '../codeAttributes';
import type { Attributes, AttributeValue, CodeLocation, ErrorClass, ReadResult, Span, SpanEvent, SpanKind } from '../model';
import { describeJsonError, parseTraceJson } from './json';
import { firstOfJsonLines, forEachLine, readJsonLine } from './jsonLines';
import { nsBetween, nsFromDecimal } from './nanoseconds';
import { ProblemLog, quote } from './problems';

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const traceIdPattern = /^1-([0-9a-fA-F]{8})-([0-9a-fA-F]{24})$/;
const spanIdPattern = /^[0-9a-fA-F]{16}$/;

/** `1-58406520-a006649127e371903a2de979` → `58406520a006649127e371903a2de979` (the W3C form). */
export function xrayTraceId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = traceIdPattern.exec(value);
  return m ? (m[1] + m[2]).toLowerCase() : undefined;
}

/** The daemon's header line, `{"format": "json", "version": 1}`, which precedes every document. */
function isDaemonHeader(value: Fields): boolean {
  return value.format === 'json' && value.version !== undefined && value.trace_id === undefined;
}

/** True for anything this reader takes: a document, BatchGetTraces output, or one of its traces. */
export function isXRayValue(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0 && isXRayValue(value[0]);
  if (!isObject(value)) return false;
  if (Array.isArray(value.Traces) || Array.isArray(value.Segments) || typeof value.Document === 'string') return true;
  if (isDaemonHeader(value)) return true;
  return typeof value.trace_id === 'string' && (value.start_time !== undefined || value.id !== undefined);
}

interface Pending {
  span: Span;
  /** The service of the process that made the span (the segment's name), when known. */
  processService: string | undefined;
  /** For spans of an independent subsegment document: the parent that names their process. */
  documentParent: string | undefined;
  /** An aws/remote call, named for its callee until a traced callee turns up. */
  inferred: boolean;
}

interface Item {
  segment: Fields;
  path: string;
  parentSpanId: string | undefined;
  /** The segment (process) this item runs in; undefined inside an independent subsegment document. */
  processService: string | undefined;
  documentParent: string | undefined;
  isSegment: boolean;
}

function scalarOrJson(value: unknown): AttributeValue {
  // Values come from JSON.parse, so they are already strings, numbers, booleans, null, arrays and objects.
  return value as AttributeValue;
}

/** `aws: { operation, ec2: { instance_id } }` → aws.operation, aws.ec2.instance_id. */
function flatten(target: Attributes, prefix: string, value: unknown, levels: number): void {
  if (!isObject(value)) return;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (isObject(v) && levels > 1) flatten(target, `${prefix}${key}.`, v, levels - 1);
    else target[prefix + key] = scalarOrJson(v);
  }
}

function httpAttributes(target: Attributes, http: unknown): void {
  if (!isObject(http)) return;
  const request = http.request;
  if (isObject(request)) {
    if (text(request.method)) target['http.request.method'] = request.method as string;
    if (text(request.url)) target['url.full'] = request.url as string;
    if (text(request.user_agent)) target['user_agent.original'] = request.user_agent as string;
    if (text(request.client_ip)) target['client.address'] = request.client_ip as string;
    if (typeof request.x_forwarded_for === 'boolean') target['xray.http.x_forwarded_for'] = request.x_forwarded_for;
  }
  const response = http.response;
  if (isObject(response)) {
    if (typeof response.status === 'number') target['http.response.status_code'] = response.status;
    if (typeof response.content_length === 'number') target['http.response.body.size'] = response.content_length;
  }
}

function attributesOf(segment: Fields): Attributes {
  const a: Attributes = {};
  if (text(segment.namespace)) a['xray.namespace'] = segment.namespace as string;
  if (text(segment.origin)) a['xray.origin'] = segment.origin as string;
  if (segment.inferred === true) a['xray.inferred'] = true;
  if (isObject(segment.service) && text(segment.service.version)) a['service.version'] = segment.service.version as string;
  if (text(segment.user)) a['enduser.id'] = segment.user as string;
  if (text(segment.resource_arn)) a['cloud.resource_id'] = segment.resource_arn as string;
  httpAttributes(a, segment.http);
  flatten(a, 'aws.', segment.aws, 2);
  flatten(a, 'sql.', segment.sql, 1);
  if (isObject(segment.annotations)) {
    for (const key of Object.keys(segment.annotations)) a[`annotation.${key}`] = scalarOrJson(segment.annotations[key]);
  }
  if (isObject(segment.metadata)) {
    for (const namespace of Object.keys(segment.metadata)) {
      const entries = segment.metadata[namespace];
      if (isObject(entries)) for (const key of Object.keys(entries)) a[`metadata.${namespace}.${key}`] = scalarOrJson(entries[key]);
      else a[`metadata.${namespace}`] = scalarOrJson(entries);
    }
  }
  return a;
}

/** The stack as text, one `at label (path:line)` per frame, for the exception event. */
function stackText(frames: readonly unknown[]): string {
  const lines: string[] = [];
  for (const frame of frames) {
    if (!isObject(frame)) continue;
    const where = `${typeof frame.path === 'string' ? frame.path : '<unknown>'}${typeof frame.line === 'number' ? `:${frame.line}` : ''}`;
    lines.push(typeof frame.label === 'string' && frame.label !== '' ? `at ${frame.label} (${where})` : `at ${where}`);
  }
  return lines.join('\n');
}

interface Cause {
  events: SpanEvent[];
  message: string | undefined;
  code: CodeLocation | undefined;
}

/** cause.exceptions → exception events, the first message, and the first user frame's location. */
function causeOf(segment: Fields, timeNs: string): Cause {
  const result: Cause = { events: [], message: undefined, code: undefined };
  const cause = segment.cause;
  if (!isObject(cause) || !Array.isArray(cause.exceptions)) return result;
  for (const exception of cause.exceptions) {
    if (!isObject(exception)) continue;
    const frames = Array.isArray(exception.stack) ? exception.stack : [];
    const attributes: Attributes = {};
    if (text(exception.type)) attributes['exception.type'] = exception.type as string;
    if (text(exception.message)) attributes['exception.message'] = exception.message as string;
    if (frames.length > 0) attributes['exception.stacktrace'] = stackText(frames);
    if (exception.remote === true) attributes['xray.exception.remote'] = true;
    result.events.push({ name: 'exception', timeNs, attributes });
    result.message ??= text(exception.message) ?? text(exception.type);
    if (!result.code && frames.length > 0) result.code = codeLocationFromFrames(frames.filter(isObject) as StackFrame[]);
  }
  return result;
}

function errorClassOf(segment: Fields): ErrorClass | undefined {
  if (segment.throttle === true) return 'throttle';
  if (segment.fault === true) return 'fault';
  if (segment.error === true) return 'error';
  return undefined;
}

/**
 * Reads X-Ray values into `out`. Call `finish()` after the last one: services of independent
 * subsegments and of calls to traced callees are only known once everything is read.
 */
export class XRayReader {
  private readonly pending: Pending[] = [];
  /** Parent ids named by segments: those calls have a traced callee. */
  private readonly tracedCalls = new Set<string>();
  /** Where each span id is in `out`: a segment sent again replaces what was sent before. */
  private readonly positions = new Map<string, number>();

  constructor(private readonly out: Span[]) {}

  /** A document, an array of them, BatchGetTraces output, one of its traces, or a daemon header (skipped). */
  value(value: unknown, problems: ProblemLog, path = ''): void {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) this.value(value[i], problems, `${path}[${i}]`);
      return;
    }
    if (!isObject(value)) {
      problems.add(`${path || 'the value'} is not an X-Ray segment document`);
      return;
    }
    if (Array.isArray(value.Traces)) {
      value.Traces.forEach((trace, i) => this.value(trace, problems, `${path}Traces[${i}]`));
      if (Array.isArray(value.UnprocessedTraceIds) && value.UnprocessedTraceIds.length > 0) {
        problems.add(`X-Ray did not return ${value.UnprocessedTraceIds.length} of the requested traces (UnprocessedTraceIds): ${value.UnprocessedTraceIds.slice(0, 5).join(', ')}`);
      }
      return;
    }
    if (Array.isArray(value.Segments)) {
      value.Segments.forEach((segment, i) => this.value(segment, problems, `${path}${path ? '.' : ''}Segments[${i}]`));
      return;
    }
    if (typeof value.Document === 'string') {
      let document: unknown;
      try {
        document = parseTraceJson(value.Document);
      } catch {
        problems.add(`${path || 'segment'}.Document is not valid JSON: ${describeJsonError(value.Document)}`);
        return;
      }
      this.value(document, problems, `${path || 'segment'}.Document`);
      return;
    }
    if (isDaemonHeader(value)) return;
    this.document(value, problems, path);
  }

  private document(document: Fields, problems: ProblemLog, path: string): void {
    const traceId = xrayTraceId(document.trace_id);
    if (!traceId) {
      problems.add(`${path || 'segment'}: trace_id ${quote(document.trace_id)} is not an X-Ray trace id (1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx)`);
      return;
    }
    const independent = document.type === 'subsegment';
    const parent = typeof document.parent_id === 'string' && spanIdPattern.test(document.parent_id) ? document.parent_id.toLowerCase() : undefined;
    if (!independent && parent) this.tracedCalls.add(parent);
    const stack: Item[] = [{
      segment: document,
      path: path || (independent ? 'subsegment' : 'segment'),
      parentSpanId: parent,
      processService: independent ? undefined : text(document.name) ?? 'unknown_service',
      documentParent: independent ? parent : undefined,
      isSegment: !independent,
    }];
    while (stack.length > 0) {
      const item = stack.pop()!;
      const spanId = this.segment(item, traceId, problems);
      const children = item.segment.subsegments;
      if (spanId === undefined || !Array.isArray(children)) continue;
      for (let i = children.length - 1; i >= 0; i--) {
        const child = children[i];
        const childPath = `${item.path}.subsegments[${i}]`;
        if (!isObject(child)) {
          problems.add(`${childPath} is not an object`);
          continue;
        }
        stack.push({ segment: child, path: childPath, parentSpanId: spanId, processService: item.processService, documentParent: item.documentParent, isSegment: false });
      }
    }
  }

  /** One (sub)segment → a span; its id, or undefined when it cannot be read (its subsegments are skipped too). */
  private segment(item: Item, traceId: string, problems: ProblemLog): string | undefined {
    const { segment, path } = item;
    if (typeof segment.id !== 'string' || !spanIdPattern.test(segment.id)) {
      problems.add(`${path}: id ${quote(segment.id)} is not 16 hex digits; skipped with its subsegments`);
      return undefined;
    }
    const spanId = segment.id.toLowerCase();
    const startNs = nsFromDecimal(segment.start_time, 9);
    if (startNs === undefined) {
      problems.add(`${path}: start_time ${quote(segment.start_time)} is not a time in seconds; skipped with its subsegments`);
      return undefined;
    }
    let endNs = startNs;
    let inProgress: boolean | undefined;
    if (segment.in_progress === true || segment.end_time === undefined) {
      if (segment.in_progress !== true) problems.add(`${path}: has neither end_time nor in_progress; read as in progress`);
      inProgress = true;
    } else {
      const end = nsFromDecimal(segment.end_time, 9);
      if (end === undefined || nsBetween(startNs, end) < 0) problems.add(`${path}: end_time ${quote(segment.end_time)} is not a time after start_time; read as a zero-length span`);
      else endNs = end;
    }

    const name = text(segment.name) ?? '';
    const namespace = segment.namespace;
    const isCall = !item.isSegment && (namespace === 'aws' || namespace === 'remote');
    const kind: SpanKind = item.isSegment ? 'server' : isCall ? 'client' : 'internal';
    const errorClass = errorClassOf(segment);
    const cause = causeOf(segment, endNs);
    const span: Span = {
      traceId,
      spanId,
      parentSpanId: item.parentSpanId,
      service: isCall && name !== '' ? name : item.processService ?? 'unknown_service',
      name,
      kind,
      startNs,
      endNs,
      durationNs: nsBetween(startNs, endNs),
      status: errorClass ? 'error' : 'unset',
      statusMessage: cause.message,
      errorClass,
      attributes: attributesOf(segment),
      events: cause.events,
      links: [],
      code: cause.code,
      inProgress,
      format: 'xray',
    };
    this.place(span);
    if (isCall || item.processService === undefined) {
      this.pending.push({ span, processService: item.processService, documentParent: item.documentParent, inferred: isCall && name !== '' });
    }
    return spanId;
  }

  /**
   * SDKs send a long-running segment twice, first `in_progress` and then complete, both with the
   * same id: the later document wins, unless it is in progress and the earlier one is not.
   */
  private place(span: Span): void {
    const earlier = this.positions.get(span.spanId);
    const before = earlier === undefined ? undefined : this.out[earlier];
    if (before === undefined || before.traceId !== span.traceId) {
      this.positions.set(span.spanId, this.out.length);
      this.out.push(span);
    } else if (before.inProgress || !span.inProgress) {
      this.out[earlier!] = span;
    }
  }

  /** Settles the services that depend on other documents; see the notes at the top of this file. */
  finish(): void {
    // Independent subsegments take their process from their parent, which may itself be one.
    let unresolved = this.pending.filter((p) => p.processService === undefined);
    if (unresolved.length > 0) {
      const pendingOf = new Map(this.pending.map((p) => [p.span, p]));
      const processOf = (spanId: string): string | undefined => {
        const index = this.positions.get(spanId);
        if (index === undefined) return undefined;
        const span = this.out[index];
        const pending = pendingOf.get(span);
        return pending ? pending.processService : span.service;
      };
      while (unresolved.length > 0) {
        const still = unresolved.filter((p) => {
          p.processService = p.documentParent !== undefined ? processOf(p.documentParent) : undefined;
          return p.processService === undefined;
        });
        if (still.length === unresolved.length) break;
        unresolved = still;
      }
    }
    for (const p of this.pending) {
      const process = p.processService ?? 'unknown_service';
      if (!p.inferred || this.tracedCalls.has(p.span.spanId)) p.span.service = process;
    }
  }
}

/** Whether text holds X-Ray documents one per line (with or without daemon headers) rather than one JSON document. */
function isDocumentPerLine(input: string | Uint8Array): boolean {
  return firstOfJsonLines(input) !== undefined;
}

/** X-Ray JSON — one document, an array, BatchGetTraces output, or one document per line — → spans. */
export function readXRay(input: string | Uint8Array, fileName?: string): ReadResult {
  const problems = ProblemLog.forInput(fileName);
  const spans: Span[] = [];
  const reader = new XRayReader(spans);
  if (isDocumentPerLine(input)) {
    forEachLine(input, (line) => readJsonLine(line, problems, (value, at) => reader.value(value, at)));
  } else {
    const textInput = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
    let value: unknown;
    try {
      value = parseTraceJson(textInput);
    } catch {
      problems.add(`is not valid JSON: ${describeJsonError(textInput)}`);
    }
    if (value !== undefined) reader.value(value, problems);
  }
  reader.finish();
  return { spans, problems: problems.list() };
}
