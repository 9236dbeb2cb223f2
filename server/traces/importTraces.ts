// Imports trace files and folders into the store: every format the readers know, detected per
// file, with progress and cancellation. A bad file is a problem that names it; the good files and
// everything already stored are kept.
//
// Large imports are read on worker threads (importTasks.ts): files in parallel, and a large
// OTLP/JSON file split into runs of its resourceSpans elements that all workers read. This thread
// only rebuilds the spans from their batches (spanBatch.ts) and hands them to the sink, so the
// other cores do the reading and this one keeps answering requests between batches. Either way the
// sink gets the same spans in the same calls: each file's spans in order, in slices counted from
// its start. (Where a slice ends could change the store's counts only for a key that one file holds
// twice with different versions, which the readers avoid: X-Ray's keeps the complete one of a
// segment sent twice.)
import { existsSync, lstatSync, readdirSync, type Stats } from 'node:fs';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { WorkerPool } from '../workerPool';
import { readTracesShared } from './formats/detect';
import { ProblemLog, reason } from './formats/problems';
import { readTraceFile, type ImportTask, type ImportTaskResult } from './importTasks';
import type { Span } from './model';
import { readSpanBatch, type SpanBatch } from './spanBatch';

/** Files in folders worth trying; a file named directly is always tried. */
const traceExtensions = new Set(['.json', '.jsonl', '.ndjson', '.pb', '.binpb', '.protobuf', '.gz', '.otlp', '.log', '.txt']);
/**
 * Below this many bytes in all, files are read here: about as quick as starting a worker (60 ms to
 * its first answer, measured), and this thread is held up for a tenth of a second at most.
 */
const parallelBytes = 4 * 1024 * 1024;
const maxWorkers = 4;
/** An OTLP/JSON file of twice this size or more is read in runs of about this size, by every worker. */
const defaultRunBytes = 8 * 1024 * 1024;
/**
 * Spans per sink.ingest call, counted from each file's start. Spans are read (or rebuilt from their
 * batches) as the sink takes them, so a slice is about all that is alive at once: at 20,000
 * (≈ 60 MB) they outlived V8's young generation, and copying them out of it more than doubled this
 * thread's work (measured); 4,096 still makes large store batches (one fsync each).
 */
const ingestSlice = 4096;

export interface ImportProgress {
  done: number;
  total: number;
  file: string;
  spans: number;
}

export interface ImportSummary {
  files: number;
  spans: number;
  inserted: number;
  duplicates: number;
  problems: string[];
  cancelled: boolean;
}

export interface ImportSink {
  ingest(spans: readonly Span[]): { inserted: number; duplicates: number; replaced: number };
}

export interface ImportOptions {
  /**
   * Worker threads that read the files; 0 reads them in this thread. Default: one per core (at
   * most 4, and no more than there are files or runs to read) when the files add up to 4 MiB or
   * more and the worker script is there, else 0.
   */
  workers?: number;
  /** The bundled import worker (default: traceImportWorker.js beside this bundle, as in dist/). */
  workerScript?: string;
  /** With workers, an OTLP/JSON file of twice this size or more is read in runs of about this size (default 8 MiB). */
  runBytes?: number;
}

interface TraceFile {
  path: string;
  size: number;
}

/**
 * Reads `paths` (files, and folders walked for trace files) into `sink`. Cancellation is checked
 * between files and between batches of a file; what was ingested before it stays.
 */
export async function importTraces(
  paths: readonly string[], sink: ImportSink, progress: (p: ImportProgress) => void, isCancelled: () => boolean, options: ImportOptions = {},
): Promise<ImportSummary> {
  const summary: ImportSummary = { files: 0, spans: 0, inserted: 0, duplicates: 0, problems: [], cancelled: false };
  const files = collect(paths, summary.problems);
  const script = options.workerScript ?? join(__dirname, 'traceImportWorker.js');
  const runBytes = options.runBytes ?? defaultRunBytes;
  const workers = workerCount(options, script, files, runBytes);
  let reads = workers > 0 ? new PooledReads(new WorkerPool<ImportTask, ImportTaskResult>(script, { size: workers }), files, 2 * workers, runBytes) : undefined;
  try {
    for (const [i, { path: file }] of files.entries()) {
      if (isCancelled()) return { ...summary, cancelled: true };
      progress({ done: i, total: files.length, file, spans: summary.spans });
      // Let cancellation and other requests through between files.
      await nextTurn();
      let problems = ProblemLog.forInput(file);
      const ingest = new FileIngest(sink, summary);
      if (reads) {
        const batches = reads.file(i, problems);
        for (;;) {
          let next: IteratorResult<SpanBatch>;
          try {
            next = await batches.next();
          } catch (error) {
            // A worker failed (it ran out of memory, say): this file and the rest are read here, as
            // without workers; what the sink already has of this file is not given to it again.
            summary.problems.push(`The import's worker threads failed (${reason(error)}); the rest was read without them.`);
            await reads.close();
            reads = undefined;
            problems = ProblemLog.forInput(file);
            ingest.restart();
            readHere(file, problems, ingest);
            break;
          }
          if (next.done) break;
          const spans: Span[] = [];
          readSpanBatch(next.value, spans);
          ingest.add(spans);
          if (isCancelled()) {
            summary.problems.push(...problems.list());
            return { ...ingest.counted(), cancelled: true };
          }
          await nextTurn();
        }
      } else {
        readHere(file, problems, ingest);
      }
      ingest.flush();
      ingest.counted();
      summary.problems.push(...problems.list());
    }
    return summary;
  } finally {
    await reads?.close();
  }
}

/** Reads a file in this thread; an OTLP/JSON list's spans go to the sink as they are read, so they die young. */
function readHere(file: string, problems: ProblemLog, ingest: FileIngest): void {
  const bytes = readTraceFile(file, problems);
  if (bytes) ingest.add(readTracesShared(bytes, file, problems, { take: (spans) => ingest.add(spans) }).spans);
}

/** One file's spans into the sink in slices of ingestSlice from its start, counted into the summary. */
class FileIngest {
  private pending: Span[] = [];
  private ingested = 0;
  /** Spans already ingested that a second reading of the file passes over. */
  private skip = 0;

  constructor(private readonly sink: ImportSink, private readonly summary: ImportSummary) {}

  add(spans: readonly Span[]): void {
    let from = 0;
    if (this.skip > 0) {
      from = Math.min(this.skip, spans.length);
      this.skip -= from;
    }
    for (let i = from; i < spans.length; i++) {
      this.pending.push(spans[i]);
      if (this.pending.length === ingestSlice) this.flush();
    }
  }

  /** The file is read again from its start: drops what is not ingested yet and passes over what is. */
  restart(): void {
    this.pending = [];
    this.skip = this.ingested;
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const added = this.sink.ingest(this.pending);
    this.summary.inserted += added.inserted + added.replaced;
    this.summary.duplicates += added.duplicates;
    this.ingested += this.pending.length;
    this.pending = [];
  }

  /** Adds the file's ingested spans to the summary's counts, and returns the summary. */
  counted(): ImportSummary {
    if (this.ingested > 0) this.summary.files++;
    this.summary.spans += this.ingested;
    return this.summary;
  }
}

/**
 * Files read by the workers a few ahead of the one being ingested, each handed over batch by batch
 * in order. A file that turns out to be a large OTLP/JSON list comes back as runs of elements,
 * which are then read by all workers, again a few ahead.
 */
class PooledReads {
  private readonly tasks = new Map<number, Promise<ImportTaskResult>>();

  constructor(
    private readonly pool: WorkerPool<ImportTask, ImportTaskResult>,
    private readonly files: readonly TraceFile[],
    private readonly ahead: number,
    private readonly runBytes: number,
  ) {}

  /** File `i`'s span batches, in order; its problems go to `problems`. Throws if a worker failed. */
  async *file(i: number, problems: ProblemLog): AsyncGenerator<SpanBatch> {
    for (let k = i; k < Math.min(this.files.length, i + 1 + this.ahead); k++) {
      if (!this.tasks.has(k)) this.tasks.set(k, this.run({ kind: 'file', path: this.files[k].path, splitBytes: 2 * this.runBytes, runBytes: this.runBytes }));
    }
    const result = await this.tasks.get(i)!;
    this.tasks.delete(i);
    problems.absorb(result.problems);
    if (result.kind === 'spans') {
      yield* result.batches;
      return;
    }
    const { bytes, runs } = result;
    const pending = new Map<number, Promise<ImportTaskResult>>();
    for (let r = 0; r < runs.length; r++) {
      for (let k = r; k < Math.min(runs.length, r + 1 + this.ahead); k++) {
        if (!pending.has(k)) pending.set(k, this.run({ kind: 'elements', path: this.files[i].path, bytes, run: runs[k] }));
      }
      const run = await pending.get(r)!;
      pending.delete(r);
      problems.absorb(run.problems);
      if (run.kind === 'spans') yield* run.batches;
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private run(task: ImportTask): Promise<ImportTaskResult> {
    const result = this.pool.run(task);
    // Tasks read ahead may never be awaited (a cancelled import, a failed pool): not an unhandled rejection.
    result.catch(() => undefined);
    return result;
  }
}

function workerCount(options: ImportOptions, script: string, files: readonly TraceFile[], runBytes: number): number {
  if (options.workers !== undefined) return Math.max(0, Math.floor(options.workers));
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  if (bytes < parallelBytes || !existsSync(script)) return 0;
  // A single large file still keeps every worker busy: it is read in runs.
  return Math.min(availableParallelism(), maxWorkers, Math.max(files.length, Math.ceil(bytes / runBytes)));
}

function collect(paths: readonly string[], problems: string[]): TraceFile[] {
  const files: TraceFile[] = [];
  const visit = (path: string, named: boolean) => {
    let stats: Stats;
    try {
      stats = lstatSync(path);
    } catch {
      problems.push(`${path}: no such file or folder.`);
      return;
    }
    if (stats.isDirectory()) {
      let names: string[] = [];
      try {
        names = readdirSync(path).sort();
      } catch (error) {
        problems.push(`${path}: cannot be listed (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
      }
      for (const name of names) if (!name.startsWith('.')) visit(join(path, name), false);
    } else if (stats.isFile() && (named || traceExtensions.has(extname(path).toLowerCase()))) {
      files.push({ path, size: stats.size });
    }
  };
  for (const path of paths) visit(path, true);
  return files;
}
