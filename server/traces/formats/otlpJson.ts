// OTLP/JSON: `ExportTraceServiceRequest` / `TracesData` (`resourceSpans[].scopeSpans[].spans[]`),
// the legacy shapes (`batches`, `instrumentationLibrarySpans`), Tempo's `{ "trace": … }` wrapper,
// and the proto field names in snake_case, which the proto3 JSON mapping says parsers accept.
// Unknown fields are ignored. Span fields are read in otlpSpans.ts, shared with OTLP/protobuf.
import type { ReadResult, Span } from '../model';
import { describeJsonError, parseTraceJson } from './json';
import { leadingArray, type LeadingArray, type Range } from './jsonSplit';
import { OtlpSpanReader, jsonAnyValue } from './otlpSpans';
import { ProblemLog } from './problems';

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function camelCase(key: string): string {
  return key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** A copy with `resource_spans` → `resourceSpans` at every level (attribute keys are values, untouched). */
function camelCased(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCased);
  if (!isObject(value)) return value;
  const result: Fields = {};
  for (const key of Object.keys(value)) result[key.includes('_') ? camelCase(key) : key] = camelCased(value[key]);
  return result;
}

/** True for the top level of an OTLP trace document, in any of the shapes read here. */
export function isOtlpTraces(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (Array.isArray(value.resourceSpans) || Array.isArray(value.resource_spans) || Array.isArray(value.batches)) return true;
  return isObject(value.trace) && isOtlpTraces(value.trace);
}

/** One element of resourceSpans (or batches): its resource, its scopes and their spans. */
function readResourceSpans(reader: OtlpSpanReader, rs: unknown, path: string, problems: ProblemLog): void {
  if (!isObject(rs)) {
    problems.add(`${path} is not an object`);
    return;
  }
  const resource = reader.resource(rs.resource);
  // The spec: read instrumentationLibrarySpans only when scopeSpans is absent or empty.
  const legacy = !(Array.isArray(rs.scopeSpans) && rs.scopeSpans.length > 0) && rs.instrumentationLibrarySpans !== undefined;
  const scopesName = legacy ? 'instrumentationLibrarySpans' : 'scopeSpans';
  const scopes = rs[scopesName];
  if (scopes === undefined) return;
  if (!Array.isArray(scopes)) {
    problems.add(`${path}.${scopesName} is not an array`);
    return;
  }
  for (let s = 0; s < scopes.length; s++) {
    const ss = scopes[s];
    const scopePath = `${path}.${scopesName}[${s}]`;
    if (!isObject(ss)) {
      problems.add(`${scopePath} is not an object`);
      continue;
    }
    const context = reader.scope(resource, legacy ? ss.instrumentationLibrary : ss.scope, scopePath);
    const spans = ss.spans;
    if (spans === undefined) continue;
    if (!Array.isArray(spans)) {
      problems.add(`${scopePath}.spans is not an array`);
      continue;
    }
    for (let i = 0; i < spans.length; i++) reader.span(context, spans[i], i);
  }
}

/** Reads a parsed OTLP/JSON document (or an array of them) into `out`. */
export function readOtlpValue(value: unknown, problems: ProblemLog, out: Span[]): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) readOtlpValue(value[i], problems.within(`[${i}].`), out);
    return;
  }
  let data = value;
  if (isObject(data) && data.resourceSpans === undefined && data.batches === undefined && isObject(data.trace)) data = data.trace;
  if (isObject(data) && data.resourceSpans === undefined && data.resource_spans !== undefined) data = camelCased(data);
  if (!isObject(data) || (data.resourceSpans === undefined && data.batches === undefined)) {
    problems.add(`is not an OTLP object with resourceSpans${isObject(data) ? ` (its keys: ${Object.keys(data).slice(0, 8).join(', ') || 'none'})` : ''}`);
    return;
  }
  const listName = data.resourceSpans !== undefined ? 'resourceSpans' : 'batches';
  const resourceSpans = data[listName];
  if (!Array.isArray(resourceSpans)) {
    problems.add(`${listName} is not an array`);
    return;
  }
  const reader = new OtlpSpanReader(out, problems, jsonAnyValue);
  for (let r = 0; r < resourceSpans.length; r++) readResourceSpans(reader, resourceSpans[r], `${listName}[${r}]`, problems);
}

const listKeys = new Set(['resourceSpans', 'resource_spans', 'batches']);

/**
 * A run of a leading array's elements, to be read apart from the rest (on another thread, when
 * importTraces splits a large file): where each element is in the bytes, and enough about the
 * whole list that problems read as if one reader had read it all.
 */
export interface OtlpElements {
  /** The list's member name as written: `resourceSpans`, `resource_spans` or `batches`. */
  key: string;
  elements: Range[];
  /** The index of `elements[0]` in the whole list. */
  first: number;
  /** Complete elements in the whole list. */
  total: number;
  /** On the last run of a list that is cut off: the byte where the data ended. */
  truncatedAt?: number;
}

/** How a caller that reads large inputs in pieces (importTraces) takes part in an element-by-element read. */
export interface ElementHooks {
  /**
   * Decides, once the elements of a leading array are known, how many of them (from the first)
   * are read where they were found; the others, the report of a cut-off list included, are the
   * caller's to read with readOtlpJsonElementRange.
   */
  share?: (list: LeadingArray, bytes: Buffer) => number;
  /** Takes the spans of each element as soon as it is read, emptying `out`: they need not all be alive at once. */
  take?: (spans: Span[]) => void;
}

/** Reads a run of elements, one JSON.parse each: a malformed element costs only itself. */
export function readOtlpJsonElementRange(bytes: Buffer, run: OtlpElements, problems: ProblemLog, out: Span[], take?: ElementHooks['take']): void {
  const listName = run.key === 'batches' ? 'batches' : 'resourceSpans';
  const reader = new OtlpSpanReader(out, problems, jsonAnyValue);
  for (let i = 0; i < run.elements.length; i++) {
    const { start, end } = run.elements[i];
    const path = `${listName}[${run.first + i}]`;
    const text = bytes.toString('utf8', start, end);
    let element: unknown;
    try {
      element = parseTraceJson(text);
    } catch {
      problems.add(`${path} is not valid JSON: ${describeJsonError(text)}`);
      continue;
    }
    readResourceSpans(reader, run.key === 'resource_spans' ? camelCased(element) : element, path, problems);
    if (take && out.length > 0) {
      take(out);
      out.length = 0;
    }
  }
  if (run.truncatedAt !== undefined) {
    problems.add(`the JSON is cut off at byte ${run.truncatedAt}, inside ${listName}[${run.total}]; read the ${run.total} complete elements before it`);
  }
}

/**
 * OTLP/JSON bytes read one resourceSpans element at a time (see jsonSplit.ts); false, having read
 * nothing, when the document does not start with such a list — the caller then parses it whole.
 * A truncated document or a malformed element costs only what is cut off or malformed.
 */
export function readOtlpJsonElements(bytes: Buffer, start: number, problems: ProblemLog, out: Span[], hooks: ElementHooks = {}): boolean {
  const list = leadingArray(bytes, start, listKeys);
  if (!list) return false;
  const total = list.elements.length;
  const here = hooks.share ? hooks.share(list, bytes) : total;
  const elements = here === total ? list.elements : list.elements.slice(0, here);
  readOtlpJsonElementRange(bytes, { key: list.key, elements, first: 0, total, truncatedAt: here === total ? list.truncatedAt : undefined }, problems, out, hooks.take);
  return true;
}

/** OTLP/JSON text or bytes → spans. Never throws: what it cannot read is in `problems`. */
export function readOtlpJson(input: string | Uint8Array, fileName?: string): ReadResult {
  const problems = ProblemLog.forInput(fileName);
  const spans: Span[] = [];
  const bytes = typeof input === 'string' ? Buffer.from(input) : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (readOtlpJsonElements(bytes, 0, problems, spans)) return { spans, problems: problems.list() };
  const text = typeof input === 'string' ? input : bytes.toString('utf8');
  let value: unknown;
  try {
    value = parseTraceJson(text);
  } catch {
    problems.add(`is not valid JSON: ${describeJsonError(text)}`);
    return { spans, problems: problems.list() };
  }
  readOtlpValue(value, problems, spans);
  return { spans, problems: problems.list() };
}
