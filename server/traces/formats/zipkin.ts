// Zipkin v2 JSON: an array of spans (what /api/v2/spans takes and /api/v2/trace/{id} returns), or
// an array of such arrays (/api/v2/traces).
// - traceId is 16 or 32 hex digits: 64-bit ids are left-padded with zeros to the model's 32.
// - kind CLIENT/SERVER/PRODUCER/CONSUMER; none means an in-process span → internal.
// - timestamp and duration are microseconds; a span without duration reads as zero-length.
// - localEndpoint.serviceName is the service; remoteEndpoint → peer.service, network.peer.*.
// - tags (strings) → attributes; the `error` tag (any value, even empty) → status error with the
//   value as message; otel.status_code/otel.status_description as Jaeger; annotations → events.
import { codeLocationFromAttributes } from '../codeAttributes';
import type { Attributes, ReadResult, ErrorClass, Span, SpanEvent, SpanKind, StatusCode } from '../model';
import { errorClassOf } from './errorClass';
import { readJsonDocument } from './json';
import { paddedHexId } from './ids';
import { nsBetween, nsFromDecimal } from './nanoseconds';
import { type ProblemLog, quote } from './problems';

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isZipkinSpan(value: unknown): boolean {
  return isObject(value) && typeof value.traceId === 'string' && typeof value.id === 'string' && !Array.isArray(value.spans);
}

/** An array of spans, or of arrays of spans. */
export function isZipkinValue(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0) return false;
  const first = value[0];
  return Array.isArray(first) ? first.length > 0 && isZipkinSpan(first[0]) : isZipkinSpan(first);
}

const kinds = new Map<unknown, SpanKind>([['CLIENT', 'client'], ['SERVER', 'server'], ['PRODUCER', 'producer'], ['CONSUMER', 'consumer']]);

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export class ZipkinReader {
  constructor(private readonly out: Span[]) {}

  value(value: unknown, problems: ProblemLog): void {
    if (!Array.isArray(value)) {
      problems.add('is not an array of Zipkin spans');
      return;
    }
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (Array.isArray(item)) for (let j = 0; j < item.length; j++) this.span(item[j], problems, `[${i}][${j}]`);
      else this.span(item, problems, `[${i}]`);
    }
  }

  private span(raw: unknown, problems: ProblemLog, where: string): void {
    if (!isObject(raw)) return problems.add(`${where} is not an object`);
    const traceId = paddedHexId(raw.traceId, 16);
    if (!traceId) return problems.add(`${where}: traceId ${quote(raw.traceId)} is not 16 or 32 hex digits`);
    const spanId = paddedHexId(raw.id, 8);
    if (!spanId) return problems.add(`${where}: id ${quote(raw.id)} is not 16 hex digits`);
    const startNs = nsFromDecimal(raw.timestamp, 3);
    if (startNs === undefined || startNs === '0') return problems.add(`${where}: timestamp ${quote(raw.timestamp)} is not a time in microseconds`);
    let endNs = startNs;
    if (raw.duration !== undefined) {
      const end = typeof raw.timestamp === 'number' && typeof raw.duration === 'number' && raw.duration >= 0 ? nsFromDecimal(raw.timestamp + raw.duration, 3) : undefined;
      if (end === undefined) problems.add(`${where}: duration ${quote(raw.duration)} is not a duration in microseconds; read as zero`);
      else endNs = end;
    }
    const parent = raw.parentId === undefined ? undefined : paddedHexId(raw.parentId, 8);
    if (raw.parentId !== undefined && parent === undefined) problems.add(`${where}: parentId ${quote(raw.parentId)} is not 16 hex digits; read as a root span`);

    const attributes: Attributes = {};
    const remote = raw.remoteEndpoint;
    if (isObject(remote)) {
      if (text(remote.serviceName)) attributes['peer.service'] = remote.serviceName as string;
      const address = text(remote.ipv4) ?? text(remote.ipv6);
      if (address) attributes['network.peer.address'] = address;
      if (typeof remote.port === 'number') attributes['network.peer.port'] = remote.port;
    }
    let status: StatusCode = 'unset';
    let statusMessage: string | undefined;
    if (isObject(raw.tags)) {
      const tags = raw.tags;
      for (const key of Object.keys(tags)) {
        if (key === 'error' || key === 'otel.status_code' || key === 'otel.status_description' || key === '__proto__') continue;
        const value = tags[key];
        attributes[key] = typeof value === 'string' ? value : String(value);
      }
      if (tags.error !== undefined || tags['otel.status_code'] === 'ERROR') {
        status = 'error';
        const message = text(tags['otel.status_description']) ?? text(tags.error);
        if (message !== undefined && message !== 'true') statusMessage = message;
      } else if (tags['otel.status_code'] === 'OK') status = 'ok';
    }
    const errorClass: ErrorClass | undefined = status === 'error' ? errorClassOf(attributes) : undefined;
    const local = raw.localEndpoint;

    this.out.push({
      traceId,
      spanId,
      parentSpanId: parent && parent !== spanId ? parent : undefined,
      service: (isObject(local) && text(local.serviceName)) || 'unknown_service',
      name: typeof raw.name === 'string' ? raw.name : '',
      kind: kinds.get(raw.kind) ?? 'internal',
      startNs,
      endNs,
      durationNs: nsBetween(startNs, endNs),
      status,
      statusMessage,
      errorClass,
      attributes,
      events: eventsOf(raw.annotations, startNs),
      links: [],
      code: codeLocationFromAttributes(attributes),
      inProgress: undefined,
      format: 'zipkin',
    });
  }
}

function eventsOf(annotations: unknown, startNs: string): SpanEvent[] {
  if (!Array.isArray(annotations)) return [];
  const events: SpanEvent[] = [];
  for (const a of annotations) {
    if (isObject(a)) events.push({ name: typeof a.value === 'string' ? a.value : '', timeNs: nsFromDecimal(a.timestamp, 3) ?? startNs, attributes: {} });
  }
  return events;
}

/** Zipkin v2 JSON text → spans. Never throws: what it cannot read is in `problems`. */
export function readZipkin(input: string | Uint8Array, fileName?: string): ReadResult {
  return readJsonDocument(input, fileName, (value, problems, spans) => new ZipkinReader(spans).value(value, problems));
}
