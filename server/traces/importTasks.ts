// The work of a trace import that can run on a worker thread (importWorker.ts runs it; importTraces.ts
// hands it out): read one file, or one run of the elements of a large OTLP/JSON file that another
// task found; send the spans back as SpanBatches, with the problems. In this thread, importTraces
// reads files with the same readTraceFile, so both ways report the same problems.
import { closeSync, lstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { readTracesShared } from './formats/detect';
import type { LeadingArray } from './formats/jsonSplit';
import { readOtlpJsonElementRange, type OtlpElements } from './formats/otlpJson';
import { ProblemLog, type ProblemState } from './formats/problems';
import type { Span } from './model';
import { SpanBatchWriter, type SpanBatch } from './spanBatch';

/** Larger files are refused with a message rather than read into memory. */
export const maxTraceFileBytes = 512 * 1024 * 1024;

/** Spans per batch sent back: the main thread rebuilds one batch at a time, a few milliseconds each. */
const batchSpans = 2048;

export type ImportTask =
  /** A file; an OTLP/JSON list of `splitBytes` or more is not read but split into runs of about `runBytes`. */
  | { kind: 'file'; path: string; splitBytes: number; runBytes: number }
  /** A run found by a 'file' task: `bytes` is the file's content in shared memory. */
  | { kind: 'elements'; path: string; bytes: Uint8Array; run: OtlpElements };

export type ImportTaskResult =
  | { kind: 'spans'; batches: SpanBatch[]; problems: ProblemState }
  /** Problems found before the list (they come first), and the runs to read, in order. */
  | { kind: 'split'; bytes: Uint8Array; runs: OtlpElements[]; problems: ProblemState };

/**
 * A trace file's bytes, or undefined with the reason in `problems`. Files of `sharedFrom` bytes or
 * more are read into shared memory, which other threads read without a copy.
 */
export function readTraceFile(path: string, problems: ProblemLog, sharedFrom = Infinity): Buffer | undefined {
  try {
    const size = lstatSync(path).size;
    if (size > maxTraceFileBytes) {
      problems.add(`${Math.round(size / 1048576)} MB is larger than the ${maxTraceFileBytes / 1048576} MB Sightline reads in one piece; split it or import it from the CLI in parts.`);
      return undefined;
    }
    return size >= sharedFrom ? readShared(path, size) : readFileSync(path);
  } catch (error) {
    problems.add(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
    return undefined;
  }
}

function readShared(path: string, size: number): Buffer {
  const bytes = Buffer.from(new SharedArrayBuffer(size));
  const fd = openSync(path, 'r');
  try {
    let at = 0;
    for (let n = 1; at < size && n > 0; at += n) n = readSync(fd, bytes, at, size - at, at);
    return at === size ? bytes : bytes.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}

/** Runs a task: what importWorker.ts does with each task it is sent. */
export function runImportTask(task: ImportTask): ImportTaskResult {
  const problems = ProblemLog.forInput(task.path);
  // Spans are written to batches as each element is read, so that they die young.
  const batches = new BatchCollector();
  const take = (spans: Span[]) => batches.add(spans);
  if (task.kind === 'elements') {
    const bytes = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
    readOtlpJsonElementRange(bytes, task.run, problems, [], take);
    return { kind: 'spans', batches: batches.finish(), problems: problems.state() };
  }
  const bytes = readTraceFile(task.path, problems, task.splitBytes);
  let split: { bytes: Uint8Array; runs: OtlpElements[] } | undefined;
  if (bytes) {
    const share = (list: LeadingArray, listBytes: Buffer) => {
      if (listBytes.length < task.splitBytes || list.elements.length < 2) return list.elements.length;
      split = { bytes: inSharedMemory(listBytes), runs: elementRuns(list, task.runBytes) };
      return 0;
    };
    batches.add(readTracesShared(bytes, task.path, problems, { share, take }).spans);
  }
  return split ? { kind: 'split', ...split, problems: problems.state() } : { kind: 'spans', batches: batches.finish(), problems: problems.state() };
}

/** The buffers a result moves to the importing thread instead of copying. */
export function importResultTransfer(result: ImportTaskResult): ArrayBuffer[] {
  return result.kind === 'spans' ? result.batches.flatMap((b) => [b.words.buffer as ArrayBuffer, b.numbers.buffer as ArrayBuffer]) : [];
}

/** Spans into batches of batchSpans. */
class BatchCollector {
  private readonly writer = new SpanBatchWriter();
  private readonly batches: SpanBatch[] = [];

  add(spans: readonly Span[]): void {
    for (const span of spans) {
      this.writer.add(span);
      if (this.writer.count === batchSpans) this.batches.push(this.writer.finish());
    }
  }

  finish(): SpanBatch[] {
    if (this.writer.count > 0) this.batches.push(this.writer.finish());
    return this.batches;
  }
}

/** `bytes` itself when it already is in shared memory (read so), else a copy there (gunzipped data). */
function inSharedMemory(bytes: Buffer): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  return shared;
}

/** Consecutive elements in runs of about `runBytes` (at least one element each), in order. */
function elementRuns(list: LeadingArray, runBytes: number): OtlpElements[] {
  const { elements } = list;
  const runs: OtlpElements[] = [];
  for (let from = 0; from < elements.length; ) {
    let to = from + 1;
    while (to < elements.length && elements[to].end - elements[from].start <= runBytes) to++;
    const last = to === elements.length;
    runs.push({ key: list.key, elements: elements.slice(from, to), first: from, total: elements.length, truncatedAt: last ? list.truncatedAt : undefined });
    from = to;
  }
  return runs;
}
