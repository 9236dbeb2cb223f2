// The OpenTelemetry collector's `file` exporter: JSON Lines, one OTLP/JSON `TracesData` per line.
// A bad line is a problem naming its number; every other line still counts.
import type { ReadResult, Span } from '../model';
import { forEachLine, readJsonLine } from './jsonLines';
import { readOtlpValue } from './otlpJson';
import { ProblemLog } from './problems';

export function readCollectorFile(input: string | Uint8Array, fileName?: string): ReadResult {
  const problems = ProblemLog.forInput(fileName);
  const spans: Span[] = [];
  forEachLine(input, (line) => readJsonLine(line, problems, (value, at) => readOtlpValue(value, at, spans)));
  return { spans, problems: problems.list() };
}
