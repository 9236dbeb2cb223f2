// JSON text → values for every trace reader. OTLP/JSON's 64-bit integers (the `*UnixNano` times,
// `intValue`) are meant to be strings, but exporters also write bare numbers, and JSON.parse
// rounds those past 2^53 (nanosecond timestamps are ≈1.7e18). Node 20 has no JSON.parse source
// access, so one regular-expression pass quotes bare integers of exactly those keys before parsing;
// the readers then take digits as text. The match is anchored on `Key":` — a key, never text
// inside a string, where a quote would be escaped — so no other value is touched. It costs one
// linear scan, about 1% of reading time in a profile of test/bench/traceIngest.bench.ts, and V8
// returns the same string, uncopied, when nothing matches (the spec's decimal-string form).
import type { ReadResult, Span } from '../model';
import { ProblemLog } from './problems';

// Two groups, not one per piece: each group costs the replacement a copy (a quarter less time on
// files of bare numbers, measured).
const bareWideInteger = /((?:UnixNano|unix_nano|intValue|int_value)"\s*:\s*)(-?\d+)(?=\s*[,}\]])/g;

export function parseTraceJson(text: string): unknown {
  return JSON.parse(text.replace(bareWideInteger, '$1"$2"'));
}

/**
 * What is wrong with JSON text that did not parse, with the line and column when the engine gives a
 * position: `Expected ',' or '}' after property value in JSON at position 38 (line 3, column 7)`.
 */
export function describeJsonError(text: string): string {
  try {
    JSON.parse(text);
    return 'not valid JSON';
  } catch (error) {
    // V8 quotes a snippet of the text, line breaks included; a problem is one line.
    const message = (error instanceof Error ? error.message : String(error)).replace(/\r?\n/g, '\\n');
    const position = /at position (\d+)/.exec(message);
    if (!position) return message;
    const at = Math.min(Number(position[1]), text.length);
    let line = 1;
    let lineStart = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    return text.includes('\n') ? `${message} (line ${line}, column ${at - lineStart + 1})` : `${message} (column ${at + 1})`;
  }
}

/**
 * A whole JSON document read by `read` into a ReadResult: the text-level entry of the readers for
 * formats that come as one document (Jaeger, Zipkin). Never throws.
 */
export function readJsonDocument(input: string | Uint8Array, fileName: string | undefined, read: (value: unknown, problems: ProblemLog, spans: Span[]) => void): ReadResult {
  const problems = ProblemLog.forInput(fileName);
  const spans: Span[] = [];
  const text = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  let value: unknown;
  try {
    value = parseTraceJson(text);
  } catch {
    problems.add(`is not valid JSON: ${describeJsonError(text)}`);
    return { spans, problems: problems.list() };
  }
  read(value, problems, spans);
  return { spans, problems: problems.list() };
}
