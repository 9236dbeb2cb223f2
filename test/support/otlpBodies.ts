// OTLP/protobuf request bodies as an OpenTelemetry SDK's OTLP/HTTP exporter sends them: the
// synthetic export batches of 512 spans (test/unit/traces/syntheticTraces.ts), encoded with
// protobufjs and the vendored opentelemetry-proto definitions, with times moved to the recent past
// (the synthetic times are from 2023, and a store with the default 7-day retention drops them).
import { otlpProtobuf, otlpRequests, type OtlpRequestObject } from '../unit/traces/syntheticTraces';

/** otlpRequests(spanCount, seed), with every time shifted so that the last span ends at `endMs`. */
export function recentOtlpRequests(spanCount: number, endMs: number, seed = 1): OtlpRequestObject[] {
  const requests = otlpRequests(spanCount, seed);
  let latest = 0n;
  for (const request of requests) {
    for (const rs of request.resourceSpans) for (const ss of rs.scopeSpans) for (const span of ss.spans) {
      const end = BigInt(span.endTimeUnixNano);
      if (end > latest) latest = end;
    }
  }
  const shift = BigInt(endMs) * 1_000_000n - latest;
  const moved = (ns: string) => String(BigInt(ns) + shift);
  for (const request of requests) {
    for (const rs of request.resourceSpans) for (const ss of rs.scopeSpans) for (const span of ss.spans) {
      span.startTimeUnixNano = moved(span.startTimeUnixNano);
      span.endTimeUnixNano = moved(span.endTimeUnixNano);
      for (const event of span.events) event.timeUnixNano = moved(event.timeUnixNano);
    }
  }
  return requests;
}

/** Each request as an ExportTraceServiceRequest protobuf body. */
export function otlpProtobufBodies(requests: readonly OtlpRequestObject[]): Buffer[] {
  return requests.map((request) => {
    const bytes = otlpProtobuf(request);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  });
}
