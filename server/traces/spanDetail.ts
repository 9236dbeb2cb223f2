// One span as the trace panel's details show it (sightline/getSpan): attributes and events as text,
// the exception's stack frames resolved to workspace files, and where the span's code is — from
// its code attributes, or, without them, the workspace functions its name matches, marked as the
// weaker match. The server answers with this and the panel's tests render exactly this.
import { pathToFileURL } from 'node:url';
import type { SpanDetail, SpanLocation } from '../protocol';
import { isLibrary, parseStackTrace } from './codeAttributes';
import type { AttributeValue, Span } from './model';
import { nameMatches, wantedFunction, type FunctionLookup } from './nameMatches';

export interface SpanWorkspace {
  /** The workspace file a path from a span or a stack frame refers to, if any. */
  resolve(spanPath: string): string | undefined;
  /** The workspace's functions, for spans without a code location; without it, none are matched. */
  functions?: FunctionLookup;
}

export function spanDetail(span: Span, workspace: SpanWorkspace): SpanDetail {
  const start = BigInt(span.startNs);
  const detail: SpanDetail = {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    service: span.service,
    name: span.name,
    kind: span.kind,
    startNs: span.startNs,
    durationMs: span.durationNs / 1e6,
    status: span.status,
    statusMessage: span.statusMessage,
    errorClass: span.errorClass,
    attributes: Object.entries(span.attributes).map(([key, value]) => ({ key, value: stringify(value) })),
    events: span.events.map((e) => ({
      name: e.name,
      offsetMs: Number(BigInt(e.timeNs) - start) / 1e6,
      attributes: Object.entries(e.attributes).map(([key, value]) => ({ key, value: stringify(value) })),
    })),
    locations: locations(span, workspace),
  };
  const stack = span.events.map((e) => e.attributes['exception.stacktrace']).find((s): s is string => typeof s === 'string');
  if (stack) {
    detail.stack = stack.split('\n').filter((l) => l.trim() !== '').map((text) => {
      const frame = parseStackTrace(text)[0];
      // A runtime's `http/client.py` is not the workspace's `client.py`, however alike their names.
      const file = frame && !isLibrary(frame) ? workspace.resolve(frame.path) : undefined;
      return file ? { text, uri: pathToFileURL(file).href, line: Math.max(0, (frame!.line ?? 1) - 1) } : { text };
    });
  }
  return detail;
}

function locations(span: Span, workspace: SpanWorkspace): SpanLocation[] {
  if (span.code?.filePath) {
    const file = workspace.resolve(span.code.filePath);
    if (!file) return [];
    const location: SpanLocation = { uri: pathToFileURL(file).href, line: Math.max(0, (span.code.line ?? 1) - 1), match: 'attributes' };
    if (span.code.functionName !== undefined) location.function = span.code.functionName;
    return [location];
  }
  const wanted = wantedFunction(span);
  if (!wanted || !workspace.functions) return [];
  return nameMatches(wanted, workspace.functions, span.service).map((site) => ({ uri: pathToFileURL(site.path).href, line: site.line, function: site.container ? `${site.container}.${site.name}` : site.name, match: 'name' }));
}

export function stringify(value: AttributeValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
