// OTLP resources, scopes and spans → the model, shared by both encodings: OTLP/JSON hands in
// parsed JSON, OTLP/protobuf hands in protobufjs messages. Their field names are the same
// (lowerCamelCase); ids may be hex or base64 text or bytes, times decimal text, numbers or Longs,
// and enums numbers or names, so every field is read by type. Only AnyValue differs enough to need
// one reader per encoding (protobuf messages carry defaults for unset members).
//
// This runs once per span of files with millions of them: no per-span closures, regex compilation
// or object spreads; each span is one object literal with its fields in one order.
import { codeLocationFromAttributes } from '../codeAttributes';
import type { Attributes, AttributeValue, ErrorClass, Span, SpanEvent, SpanKind, SpanLink, StatusCode } from '../model';
import { errorClassOf } from './errorClass';
import { bytesToHex, isZeroId, otlpId } from './ids';
import { isLongBits, nsBetween, nsFromUnixNano, signedLong } from './nanoseconds';
import { type ProblemLog, quote } from './problems';

/** How one encoding's AnyValue becomes an attribute value. */
export type AnyValueReader = (value: unknown, depth: number) => AttributeValue;

/** Nesting past this (arrays in kvlists in arrays…) is cut off, so hostile input cannot overflow the stack. */
const maxDepth = 32;

interface OtlpKeyValue {
  key?: unknown;
  value?: unknown;
}

interface OtlpSpan {
  traceId?: unknown;
  spanId?: unknown;
  parentSpanId?: unknown;
  name?: unknown;
  kind?: unknown;
  startTimeUnixNano?: unknown;
  endTimeUnixNano?: unknown;
  attributes?: unknown;
  events?: unknown;
  links?: unknown;
  status?: unknown;
}

interface OtlpEvent {
  timeUnixNano?: unknown;
  name?: unknown;
  attributes?: unknown;
}

interface OtlpLink {
  traceId?: unknown;
  spanId?: unknown;
  attributes?: unknown;
}

interface OtlpStatus {
  code?: unknown;
  message?: unknown;
}

interface JsonAnyValue {
  stringValue?: unknown;
  intValue?: unknown;
  boolValue?: unknown;
  doubleValue?: unknown;
  arrayValue?: { values?: unknown };
  kvlistValue?: { values?: unknown };
  bytesValue?: unknown;
}

const kindsByNumber: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const kindsByName = new Map<string, SpanKind>(
  kindsByNumber.flatMap((kind) => [[`SPAN_KIND_${kind.toUpperCase()}`, kind] as const, [kind, kind] as const, [kind.toUpperCase(), kind] as const]),
);
const statusByNumber: readonly StatusCode[] = ['unset', 'ok', 'error'];
const statusByName = new Map<string, StatusCode>(
  statusByNumber.flatMap((code) => [[`STATUS_CODE_${code.toUpperCase()}`, code] as const, [code.toUpperCase(), code] as const]),
);

function spanKind(value: unknown): SpanKind {
  if (typeof value === 'number') return kindsByNumber[value] ?? 'unspecified';
  if (typeof value === 'string') return kindsByName.get(value) ?? 'unspecified';
  return 'unspecified';
}

function statusCode(value: unknown): StatusCode {
  if (typeof value === 'number') return statusByNumber[value] ?? 'unset';
  if (typeof value === 'string') return statusByName.get(value) ?? 'unset';
  return 'unset';
}

const integer = /^-?\d+$/;

/** int64: a number when exact, else the decimal string (JSON sends strings; pre-quoted numbers too). */
function intValue(value: unknown): AttributeValue {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (!integer.test(value)) return value;
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  if (isLongBits(value)) return signedLong(value.low, value.high);
  return null;
}

/** The JSON mapping writes NaN and ±Infinity as strings. */
function doubleValue(value: unknown): AttributeValue {
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? Number(value) : null;
}

/** Bytes stay base64, which is what JSON carries them as. */
function bytesValue(value: unknown): AttributeValue {
  if (typeof value === 'string') return value;
  return value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') : null;
}

function arrayValue(array: { values?: unknown } | null, depth: number, read: AnyValueReader): AttributeValue {
  const values = array?.values;
  if (!Array.isArray(values) || depth >= maxDepth) return [];
  const result: AttributeValue[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) result[i] = read(values[i], depth + 1);
  return result;
}

function kvlistValue(list: { values?: unknown } | null, depth: number, read: AnyValueReader): AttributeValue {
  const result: Attributes = {};
  if (depth < maxDepth) addAttributes(result, list?.values, read, depth + 1);
  return result;
}

/** OTLP/JSON's AnyValue: whichever member is present. */
export function jsonAnyValue(value: unknown, depth: number): AttributeValue {
  if (value === null || typeof value !== 'object') return null;
  const v = value as JsonAnyValue;
  if (v.stringValue !== undefined) return typeof v.stringValue === 'string' ? v.stringValue : String(v.stringValue);
  if (v.intValue !== undefined) return intValue(v.intValue);
  if (v.boolValue !== undefined) return v.boolValue === true || v.boolValue === 'true';
  if (v.doubleValue !== undefined) return doubleValue(v.doubleValue);
  if (v.arrayValue !== undefined) return arrayValue(v.arrayValue, depth, jsonAnyValue);
  if (v.kvlistValue !== undefined) return kvlistValue(v.kvlistValue, depth, jsonAnyValue);
  if (v.bytesValue !== undefined) return bytesValue(v.bytesValue);
  return null;
}

const has = (value: object, key: string): boolean => Object.prototype.hasOwnProperty.call(value, key);

/**
 * A decoded protobuf AnyValue: its prototype holds a default for every member, and the member on
 * the wire is the message's own property (see asDecoded in otlpProtobuf.ts).
 */
export function protobufAnyValue(value: unknown, depth: number): AttributeValue {
  if (value === null || typeof value !== 'object') return null;
  const v = value as JsonAnyValue;
  if (has(v, 'stringValue')) return v.stringValue as string;
  if (has(v, 'intValue')) return intValue(v.intValue);
  if (has(v, 'boolValue')) return v.boolValue === true;
  if (has(v, 'doubleValue')) return doubleValue(v.doubleValue);
  if (has(v, 'arrayValue')) return arrayValue(v.arrayValue ?? null, depth, protobufAnyValue);
  if (has(v, 'kvlistValue')) return kvlistValue(v.kvlistValue ?? null, depth, protobufAnyValue);
  if (has(v, 'bytesValue')) return bytesValue(v.bytesValue);
  return null;
}

/** KeyValue list → attributes. `__proto__` is dropped: no real attribute has that name. */
function addAttributes(target: Attributes, list: unknown, read: AnyValueReader, depth = 0): void {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) {
    const kv = list[i] as OtlpKeyValue | null;
    if (kv === null || typeof kv !== 'object') continue;
    const key = kv.key;
    if (typeof key !== 'string' || key === '__proto__') continue;
    target[key] = read(kv.value, depth);
  }
}

/** What every span of one resource and scope shares. */
export interface SpanContext {
  service: string;
  /** Resource attributes then `otel.scope.*`, copied into each span in this order. */
  keys: string[];
  values: AttributeValue[];
  /** `resourceSpans[0].scopeSpans[2]`, for problems. */
  path: string;
}

export interface ResourceContext {
  service: string;
  keys: string[];
  values: AttributeValue[];
}

export class OtlpSpanReader {
  constructor(
    private readonly out: Span[],
    private readonly problems: ProblemLog,
    private readonly read: AnyValueReader,
  ) {}

  /** A resource's attributes; service.name names the service ('unknown_service' without one). */
  resource(resource: unknown): ResourceContext {
    const attributes: Attributes = {};
    if (resource !== null && typeof resource === 'object') addAttributes(attributes, (resource as { attributes?: unknown }).attributes, this.read);
    const name = attributes['service.name'];
    return { service: typeof name === 'string' && name !== '' ? name : 'unknown_service', keys: Object.keys(attributes), values: Object.values(attributes) };
  }

  /** A scope (or legacy instrumentation library) under a resource: its name and version become otel.scope.* attributes. */
  scope(resource: ResourceContext, scope: unknown, path: string): SpanContext {
    const keys = resource.keys.slice();
    const values = resource.values.slice();
    if (scope !== null && typeof scope === 'object') {
      const { name, version } = scope as { name?: unknown; version?: unknown };
      if (typeof name === 'string' && name !== '') {
        keys.push('otel.scope.name');
        values.push(name);
      }
      if (typeof version === 'string' && version !== '') {
        keys.push('otel.scope.version');
        values.push(version);
      }
    }
    return { service: resource.service, keys, values, path };
  }

  private problem(context: SpanContext, index: number, message: string): void {
    this.problems.add(`${context.path}.spans[${index}]: ${message}`);
  }

  /** Reads one span into the output, or says why it cannot. */
  span(context: SpanContext, raw: unknown, index: number): void {
    if (raw === null || typeof raw !== 'object') return this.problem(context, index, 'is not an object');
    const s = raw as OtlpSpan;
    const traceId = otlpId(s.traceId, 16);
    if (!traceId || isZeroId(traceId)) {
      return this.problem(context, index, traceId === '' ? 'has no traceId' : `traceId ${quote(idText(s.traceId))} is not a 16-byte id in hex or base64`);
    }
    const spanId = otlpId(s.spanId, 8);
    if (!spanId || isZeroId(spanId)) {
      return this.problem(context, index, spanId === '' ? 'has no spanId' : `spanId ${quote(idText(s.spanId))} is not an 8-byte id in hex or base64`);
    }
    const parent = otlpId(s.parentSpanId, 8);
    if (parent === undefined) this.problem(context, index, `parentSpanId ${quote(idText(s.parentSpanId))} is not an 8-byte id; read as a root span`);
    const startNs = nsFromUnixNano(s.startTimeUnixNano);
    if (startNs === undefined || startNs === '0') {
      return this.problem(context, index, `startTimeUnixNano ${quote(timeText(s.startTimeUnixNano))} is not a time in nanoseconds`);
    }
    let endNs = nsFromUnixNano(s.endTimeUnixNano);
    let durationNs = endNs === undefined || endNs === '0' ? -1 : nsBetween(startNs, endNs);
    if (endNs === undefined || durationNs < 0) {
      this.problem(context, index, `endTimeUnixNano ${quote(timeText(s.endTimeUnixNano))} is missing or before the start; read as a zero-length span`);
      endNs = startNs;
      durationNs = 0;
    }

    const attributes: Attributes = {};
    const { keys, values } = context;
    for (let i = 0; i < keys.length; i++) attributes[keys[i]] = values[i];
    addAttributes(attributes, s.attributes, this.read);

    let status: StatusCode = 'unset';
    let statusMessage: string | undefined;
    let errorClass: ErrorClass | undefined;
    const rawStatus = s.status as OtlpStatus | null | undefined;
    if (rawStatus !== null && typeof rawStatus === 'object') {
      status = statusCode(rawStatus.code);
      if (typeof rawStatus.message === 'string' && rawStatus.message !== '') statusMessage = rawStatus.message;
      if (status === 'error') errorClass = errorClassOf(attributes);
    }

    this.out.push({
      traceId,
      spanId,
      parentSpanId: parent && !isZeroId(parent) ? parent : undefined,
      service: context.service,
      name: typeof s.name === 'string' ? s.name : '',
      kind: spanKind(s.kind),
      startNs,
      endNs,
      durationNs,
      status,
      statusMessage,
      errorClass,
      attributes,
      events: this.events(s.events, startNs),
      links: this.links(s.links, context, index),
      code: codeLocationFromAttributes(attributes),
      inProgress: undefined,
      format: 'otlp',
    });
  }

  private events(list: unknown, startNs: string): SpanEvent[] {
    if (!Array.isArray(list) || list.length === 0) return [];
    const events: SpanEvent[] = [];
    for (let i = 0; i < list.length; i++) {
      const e = list[i] as OtlpEvent | null;
      if (e === null || typeof e !== 'object') continue;
      const attributes: Attributes = {};
      addAttributes(attributes, e.attributes, this.read);
      events.push({ name: typeof e.name === 'string' ? e.name : '', timeNs: nsFromUnixNano(e.timeUnixNano) ?? startNs, attributes });
    }
    return events;
  }

  private links(list: unknown, context: SpanContext, index: number): SpanLink[] {
    if (!Array.isArray(list) || list.length === 0) return [];
    const links: SpanLink[] = [];
    for (let i = 0; i < list.length; i++) {
      const l = list[i] as OtlpLink | null;
      if (l === null || typeof l !== 'object') continue;
      const traceId = otlpId(l.traceId, 16);
      const spanId = otlpId(l.spanId, 8);
      if (!traceId || !spanId) {
        this.problem(context, index, `links[${i}] has no valid traceId and spanId; skipped`);
        continue;
      }
      const attributes: Attributes = {};
      addAttributes(attributes, l.attributes, this.read);
      links.push({ traceId, spanId, attributes });
    }
    return links;
  }
}

/** An id as it was written, for a message: bytes shown as hex. */
function idText(value: unknown): unknown {
  return value instanceof Uint8Array ? bytesToHex(value) : value;
}

function timeText(value: unknown): unknown {
  return isLongBits(value) ? nsFromUnixNano(value) : value;
}
