// The one span model every trace format is read into: OTLP, X-Ray, Jaeger and Zipkin spans all
// become this, and everything downstream (store, statistics, code links, the panel) reads only it.

export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** X-Ray's three failure classes; OTLP status ERROR maps to 'error' unless HTTP says otherwise. */
export type ErrorClass = 'error' | 'fault' | 'throttle';

export type StatusCode = 'unset' | 'ok' | 'error';

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

export interface SpanEvent {
  name: string;
  /** Nanoseconds since the Unix epoch, as a decimal string: such values exceed 2^53. */
  timeNs: string;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

/** Where in the source a span was produced, and how sure we are. */
export interface CodeLocation {
  filePath?: string;
  functionName?: string;
  namespace?: string;
  line?: number;
  /** 'attributes': OTel code.* attributes; 'stack': a stack frame (X-Ray cause, code.stacktrace). */
  source: 'attributes' | 'stack';
}

export type SpanFormat = 'otlp' | 'xray' | 'jaeger' | 'zipkin';

export interface Span {
  /** 32 lowercase hex digits (X-Ray ids `1-5f84c7a1-…` are converted to their W3C form). */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  parentSpanId?: string;
  service: string;
  name: string;
  kind: SpanKind;
  /** Nanoseconds since the Unix epoch, as decimal strings (exact; beyond 2^53). */
  startNs: string;
  endNs: string;
  /** endNs − startNs in nanoseconds; exact as a number below 104 days. */
  durationNs: number;
  status: StatusCode;
  statusMessage?: string;
  errorClass?: ErrorClass;
  /** Resource and span attributes together; resource ones keep their `service.*`, `cloud.*` names. */
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  code?: CodeLocation;
  /** X-Ray segments still in progress have no end time yet. */
  inProgress?: boolean;
  format: SpanFormat;
}

/** What a reader returns: the spans it could read and a message per part it could not. */
export interface ReadResult {
  spans: Span[];
  /** Each names what was wrong, e.g. "resourceSpans[0].scopeSpans[2].spans[7]: traceId is not 16 bytes". */
  problems: string[];
}
