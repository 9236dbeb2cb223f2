// One entry for every trace input — a file's bytes, an HTTP body, a string — whatever its format:
// gzip is undone first, then protobuf or JSON is told apart by the first bytes (and the file
// name's extension), JSON Lines from a single document by whether the first line is a complete
// value, and the JSON formats by the shape of the value. Any bad input — malformed JSON, binary
// junk, invalid UTF-8, truncated gzip, an empty file, JSON in no trace format — gives problems that
// say what is wrong (naming the file when there is one), never an exception, and the good spans of
// partly bad input are kept.
import { constants as bufferConstants, isUtf8 } from 'node:buffer';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import type { ReadResult, Span } from '../model';
import { JaegerReader, isJaegerValue } from './jaeger';
import { describeJsonError, parseTraceJson } from './json';
import { firstOfJsonLines, forEachLine, readJsonLine } from './jsonLines';
import { isOtlpTraces, readOtlpJsonElements, readOtlpValue, type ElementHooks } from './otlpJson';
import { readOtlpProtobufInto } from './otlpProtobuf';
import { ProblemLog, reason } from './problems';
import { XRayReader, isXRayValue } from './xray';
import { ZipkinReader, isZipkinValue } from './zipkin';

export type TraceFormat =
  | 'otlp-json'
  | 'otlp-protobuf'
  /** The collector's file exporter: OTLP/JSON, one TracesData per line. */
  | 'otlp-json-lines'
  | 'xray'
  | 'jaeger'
  | 'zipkin'
  /** Nothing could be read: `problems` says why. */
  | 'unknown';

export interface DetectedRead extends ReadResult {
  format: TraceFormat;
}

type JsonFormat = 'otlp-json' | 'xray' | 'jaeger' | 'zipkin';

/** Past this, gunzip stops: a few KB of gzip can expand to gigabytes. */
const maxGunzippedBytes = 2 ** 30;
const protobufExtension = /\.(?:pb|binpb|proto\.bin|protobuf)(?:\.gz)?$/i;

function jsonFormatOf(value: unknown): JsonFormat | undefined {
  if (isOtlpTraces(value) || (Array.isArray(value) && value.length > 0 && isOtlpTraces(value[0]))) return 'otlp-json';
  if (isJaegerValue(value)) return 'jaeger';
  if (isZipkinValue(value)) return 'zipkin';
  if (isXRayValue(value)) return 'xray';
  return undefined;
}

/** What a JSON value that is none of the formats looks like, for the message. */
function shapeOf(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return 'an empty array';
    const first = value[0];
    return first !== null && typeof first === 'object' && !Array.isArray(first)
      ? `an array of objects with keys ${Object.keys(first).slice(0, 8).join(', ') || '(none)'}`
      : `an array of ${Array.isArray(first) ? 'arrays' : typeof first}`;
  }
  if (value !== null && typeof value === 'object') return `an object with keys ${Object.keys(value).slice(0, 8).join(', ') || '(none)'}`;
  return value === null ? 'null' : `a ${typeof value}`;
}

const expected = 'expected OTLP (resourceSpans), X-Ray (segment documents, or BatchGetTraces Traces[].Segments), Jaeger (data[].spans with processes) or Zipkin v2 (an array of spans with traceId and id)';

/** Reads values of the JSON formats into one span list; X-Ray needs a last pass once all are in. */
class JsonValueReader {
  format: JsonFormat | undefined;
  private xray: XRayReader | undefined;
  private jaeger: JaegerReader | undefined;
  private zipkin: ZipkinReader | undefined;

  constructor(private readonly spans: Span[]) {}

  read(value: unknown, problems: ProblemLog): void {
    const format = jsonFormatOf(value);
    if (!format) {
      // A daemon header on a line of its own is part of X-Ray's wire form, not a problem.
      if (value !== null && typeof value === 'object' && (value as { format?: unknown }).format === 'json') return;
      problems.add(`is JSON but not a trace format Sightline reads: ${expected}; found ${shapeOf(value)}`);
      return;
    }
    this.format ??= format;
    switch (format) {
      case 'otlp-json': return readOtlpValue(value, problems, this.spans);
      case 'xray': return (this.xray ??= new XRayReader(this.spans)).value(value, problems);
      case 'jaeger': return (this.jaeger ??= new JaegerReader(this.spans)).value(value, problems);
      case 'zipkin': return (this.zipkin ??= new ZipkinReader(this.spans)).value(value, problems);
    }
  }

  finish(): void {
    this.xray?.finish();
  }
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Gunzips, keeping what a truncated stream held; undefined when nothing could be recovered. */
function gunzip(bytes: Uint8Array, problems: ProblemLog): Buffer | undefined {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxGunzippedBytes });
  } catch (error) {
    const message = reason(error);
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      problems.add(`decompresses to more than ${maxGunzippedBytes / 2 ** 20} MiB; split it into smaller files`);
      return undefined;
    }
    if (!/unexpected end of file/i.test(message)) {
      problems.add(`is not valid gzip: ${message}`);
      return undefined;
    }
    try {
      const partial = gunzipSync(bytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: maxGunzippedBytes });
      if (partial.length === 0) {
        problems.add('the gzip data is truncated before any content (unexpected end of file)');
        return undefined;
      }
      problems.add(`the gzip data is truncated (unexpected end of file); read the ${partial.length} bytes it held`);
      return partial;
    } catch (retry) {
      problems.add(`the gzip data is truncated and unreadable: ${reason(retry)}`);
      return undefined;
    }
  }
}

function firstNonSpace(bytes: Uint8Array, from: number): number {
  let i = from;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return i;
}

/** Printable UTF-8 text (CSV, YAML, a log): no control characters but tab and line breaks. */
function isText(sample: Buffer): boolean {
  if (!isUtf8(sample) && !isUtf8(sample.subarray(0, Math.max(0, sample.length - 3)))) return false;
  for (const c of sample) if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  return true;
}

/** What input that is neither JSON nor protobuf is: known formats a user might hand in by mistake, text, or binary. */
function describeOther(bytes: Buffer): string {
  const head = bytes.subarray(0, 8).toString('hex').replace(/(..)(?!$)/g, '$1 ');
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return `a ZIP archive (extract it first; first bytes ${head})`;
  if (bytes[0] === 0x28 && bytes[1] === 0xb5 && bytes[2] === 0x2f && bytes[3] === 0xfd) return `zstd-compressed data (decompress it first; first bytes ${head})`;
  const sample = bytes.subarray(0, 256);
  if (isText(sample)) {
    const start = sample.toString('utf8').trim().split('\n')[0].slice(0, 40);
    return `text that is not a trace format (not a JSON object or array, not OTLP protobuf); it starts ${JSON.stringify(start)}`;
  }
  return `binary data that is not gzip, JSON or OTLP protobuf (first bytes ${head})`;
}

function result(spans: Span[], problems: ProblemLog, format: TraceFormat): DetectedRead {
  return { spans, problems: problems.list(), format };
}

function readProtobuf(bytes: Uint8Array, problems: ProblemLog): DetectedRead {
  const spans: Span[] = [];
  readOtlpProtobufInto(bytes, problems, spans);
  if (spans.length === 0 && problems.count === 0) problems.add('decoded as OTLP protobuf but holds no spans');
  return result(spans, problems, 'otlp-protobuf');
}

function readJsonLines(input: string | Uint8Array, problems: ProblemLog): DetectedRead {
  const spans: Span[] = [];
  const reader = new JsonValueReader(spans);
  forEachLine(input, (line) => readJsonLine(line, problems, (value, at) => reader.read(value, at)));
  reader.finish();
  return result(spans, problems, reader.format === 'otlp-json' ? 'otlp-json-lines' : reader.format ?? 'unknown');
}

function readJson(text: string, problems: ProblemLog): DetectedRead {
  let value: unknown;
  try {
    value = parseTraceJson(text);
  } catch {
    problems.add(`is not valid JSON: ${describeJsonError(text)}`);
    return result([], problems, 'unknown');
  }
  const spans: Span[] = [];
  const reader = new JsonValueReader(spans);
  reader.read(value, problems);
  reader.finish();
  return result(spans, problems, reader.format ?? 'unknown');
}

function readBytes(input: Uint8Array, fileName: string | undefined, problems: ProblemLog, hooks: ElementHooks | undefined): DetectedRead {
  if (input.length === 0) {
    problems.add('is empty');
    return result([], problems, 'unknown');
  }
  let bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (isGzip(bytes)) {
    const inflated = gunzip(bytes, problems);
    if (!inflated) return result([], problems, 'unknown');
    if (inflated.length === 0) {
      problems.add('is an empty gzip stream');
      return result([], problems, 'unknown');
    }
    bytes = inflated;
  }
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const start = firstNonSpace(bytes, bom);
  if (start === bytes.length) {
    problems.add('holds only whitespace');
    return result([], problems, 'unknown');
  }
  const protobufName = fileName !== undefined && protobufExtension.test(fileName);
  if (bytes[start] !== 0x7b && bytes[start] !== 0x5b) {
    // Not `{` or `[`: an OTLP protobuf message starts with field 1 (0x0a) whatever its name says.
    if (bytes[0] === 0x0a || protobufName) return readProtobuf(bytes, problems);
    problems.add(`is ${describeOther(bytes)}`);
    return result([], problems, 'unknown');
  }
  const text = bytes.subarray(bom);
  if (firstOfJsonLines(text) !== undefined) return readJsonLines(text, problems);
  if (!isUtf8(text)) problems.add('is not valid UTF-8; the invalid bytes were read as U+FFFD');
  const elements: Span[] = [];
  if (readOtlpJsonElements(bytes, start, problems, elements, hooks)) return result(elements, problems, 'otlp-json');
  if (bytes.length - start > bufferConstants.MAX_STRING_LENGTH) {
    problems.add(`is ${Math.round(bytes.length / 2 ** 20)} MiB of JSON, more than one JSON document can be (${Math.floor(bufferConstants.MAX_STRING_LENGTH / 2 ** 20)} MiB); export it as JSON Lines (one document per line) or split it`);
    return result([], problems, 'unknown');
  }
  const json = readJson(text.toString('utf8'), problems);
  if (json.format !== 'unknown' || bytes[0] !== 0x0a) return json;
  // `\n{` or `\n[` can start a protobuf message too (field 1, 123 or 91 bytes long): JSON failed, so try that.
  const retry = ProblemLog.forInput(fileName);
  const protobuf = readProtobuf(bytes, retry);
  if (protobuf.spans.length === 0) return json;
  // Protobuf it is: what the JSON readers said does not apply.
  problems.clear();
  problems.absorb(retry.state());
  return result(protobuf.spans, problems, 'otlp-protobuf');
}

/**
 * Reads traces in any supported format from bytes or text. Never throws: whatever cannot be read
 * is described in `problems`, each message starting with `fileName` when given.
 */
export function readTraces(input: Uint8Array | string, fileName?: string): DetectedRead {
  // Text is read as its UTF-8 bytes, so that strings and files take the same path.
  return readTracesShared(typeof input === 'string' ? Buffer.from(input) : input, fileName, ProblemLog.forInput(fileName));
}

/**
 * readTraces for an input read in pieces on several threads (importTraces): `hooks` take part in
 * reading a large OTLP/JSON list (see ElementHooks: spans handed over as they are read, elements
 * left to other threads), and `problems` holds what was found, to be merged with what the other
 * pieces found (the result's `problems` lists it too).
 */
export function readTracesShared(input: Uint8Array, fileName: string | undefined, problems: ProblemLog, hooks?: ElementHooks): DetectedRead {
  try {
    return readBytes(input, fileName, problems, hooks);
  } catch (error) {
    // Not expected: every reader catches what it can name. Still, no input may take the caller down.
    problems.add(`could not be read: ${reason(error)}`);
    return result([], problems, 'unknown');
  }
}
