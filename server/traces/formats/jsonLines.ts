// JSON Lines (the collector's file exporter, X-Ray daemon captures): one JSON value per line.
// Lines are cut from the bytes one at a time, so a file far larger than the biggest string V8
// can hold still reads, and a bad line costs only itself.
import { isUtf8 } from 'node:buffer';
import { describeJsonError, parseTraceJson } from './json';
import type { ProblemLog } from './problems';

export interface Line {
  text: string;
  /** 1-based. */
  number: number;
  /** False when the line's bytes were not valid UTF-8 (read with U+FFFD in their place). */
  utf8: boolean;
}

type Source = string | Buffer;

function source(input: string | Uint8Array): Source {
  if (typeof input === 'string' || Buffer.isBuffer(input)) return input;
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

function newlineAfter(from: Source, start: number): number {
  const at = typeof from === 'string' ? from.indexOf('\n', start) : from.indexOf(10, start);
  return at === -1 ? from.length : at;
}

function code(from: Source, i: number): number {
  return typeof from === 'string' ? from.charCodeAt(i) : from[i];
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function lineText(from: Source, start: number, end: number): string {
  return typeof from === 'string' ? from.slice(start, end) : from.toString('utf8', start, end);
}

/** Calls `visit` for every non-blank line, without its line break (\n or \r\n). */
export function forEachLine(input: string | Uint8Array, visit: (line: Line) => void): void {
  const from = source(input);
  let number = 0;
  for (let start = 0; start < from.length; ) {
    const end = newlineAfter(from, start);
    number++;
    let first = start;
    while (first < end && isSpace(code(from, first))) first++;
    if (first < end) {
      const stop = code(from, end - 1) === 13 ? end - 1 : end;
      const utf8 = typeof from === 'string' || isUtf8(from.subarray(start, stop));
      visit({ text: lineText(from, start, stop), number, utf8 });
    }
    start = end + 1;
  }
}

/**
 * The first line, parsed, when the input holds more than one line of JSON and that line is a
 * JSON object on its own; undefined for a single JSON document, pretty-printed or not.
 */
export function firstOfJsonLines(input: string | Uint8Array): object | undefined {
  const from = source(input);
  let start = 0;
  while (start < from.length && isSpace(code(from, start))) start++;
  const end = newlineAfter(from, start);
  let rest = end;
  while (rest < from.length && isSpace(code(from, rest))) rest++;
  if (rest >= from.length) return undefined;
  try {
    const value: unknown = JSON.parse(lineText(from, start, end));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parses one line, reporting bad JSON or bytes under `line N: `, and hands the value on. The JSON
 * Lines inputs (collector files, X-Ray daemon captures) differ only in what reads the value.
 */
export function readJsonLine(line: Line, problems: ProblemLog, read: (value: unknown, problems: ProblemLog) => void): void {
  const at = problems.within(`line ${line.number}: `);
  if (!line.utf8) at.add('is not valid UTF-8; the invalid bytes were read as U+FFFD');
  let value: unknown;
  try {
    value = parseTraceJson(line.text);
  } catch {
    at.add(`is not valid JSON: ${describeJsonError(line.text)}`);
    return;
  }
  read(value, at);
}
