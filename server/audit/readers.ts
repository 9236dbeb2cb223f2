// Importing CloudTrail files and folders: the entry point the server's "Import CloudTrail Logs…"
// command and `sightline audit import` call. Files are read a few at a time (bounded concurrency:
// at most `concurrency` files' bytes and events are in memory at once, whatever the folder's size);
// events go to the caller's sink in batches, one batch at a time, and the sink's promise is waited
// for, so a slow store slows the reading instead of filling memory.
//
// Bad input never stops an import: each file that cannot be read (not JSON, not CloudTrail, binary,
// invalid UTF-8, truncated or corrupt gzip, empty, too large) and each record that cannot be read
// adds one problem naming the file and what is wrong; everything else is imported.
//
// Truncated gzip: the file's problem says so. Of what decompressed before the cut, whole JSON Lines
// lines are imported (each line is a record on its own); a JSON document — a CloudTrail log file is
// one `{"Records":[…]}` document — is not imported at all, since what survived cannot be told apart
// from a complete file with fewer records. Fetch the file again; eventIDs make the re-import safe.
//
// Cancelling (the AbortSignal) stops before the next file and delivers no further batch; the
// promise then resolves with `cancelled: true` and the counts of what was delivered.
//
// On machines with three cores or more, larger imports read their files on worker threads
// (importWorker.ts): reading, inflating, parsing and converting are most of an import's time, and
// in this thread they hold up everything else the server does. The workers send each event back
// packed (packedValues.ts), with its record as JSON text that this thread stores without parsing it
// (recordText.ts). The events, problems and counts are the same either way.

import { existsSync, readFile, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { packedTransfer, packValues, unpackValues, type PackedValues } from '../packedValues';
import { WorkerPool } from '../workerPool';
import { DEFAULT_MAX_DECODED_BYTES, decodeLogBytes, decodeLogBytesSync, type Decoded } from './decode';
import { readAuditDocument, readLogFileRecords, readTruncatedLines, type DocumentResult } from './documents';
import { listLogFiles } from './logFiles';
import type { AuditEvent } from './model';
import { withRecordText, type EventView } from './recordText';

export interface ImportProgress {
  filesDone: number;
  filesTotal: number;
  /** Events delivered to the sink so far. */
  records: number;
  /** Bytes read from disk (compressed size for .gz). */
  bytes: number;
  bytesTotal: number;
  problems: number;
}

export interface ImportOptions {
  /** Receives events in batches of at most `batchSize`; never called twice at once. A throw ends the import. */
  onBatch(events: AuditEvent[]): void | Promise<void>;
  onProgress?(progress: ImportProgress): void;
  signal?: AbortSignal;
  /** Files read at once (default 4, or two per worker thread if that is more). */
  concurrency?: number;
  /**
   * Worker threads that read the files; 0 reads them in this thread. Default: one per core (at
   * most 4) on machines with 3 cores or more, when the files add up to 2 MiB or more and the
   * worker script is there; else 0.
   */
  workers?: number;
  /** The bundled import worker (default: auditImportWorker.js beside this bundle, as in dist/). */
  workerScript?: string;
  /** Events per onBatch call (default 2000). */
  batchSize?: number;
  /** Largest decompressed document read (default 256 MB). */
  maxFileBytes?: number;
  /** Problems kept in the result before the rest are counted in one line (default 1000). */
  maxProblems?: number;
}

export interface ImportResult {
  /** Files read, with or without problems. */
  files: number;
  /** Events delivered to the sink. */
  records: number;
  /** Records left out because their eventID came earlier in the same file. */
  duplicates: number;
  /** Files left out of folder walks: CloudTrail-Digest files and names that are not JSON. */
  skipped: number;
  bytes: number;
  problems: string[];
  cancelled: boolean;
  /** Worker threads that read the files (0: they were read in this thread). */
  workers: number;
}

/** One file for an import worker to read. */
export interface ImportTask {
  path: string;
  maxFileBytes?: number;
}

/**
 * What an import worker sends back for one file: its events' views (packed) and records (as
 * JSON text, all in one string: a log file's own text, or the records written out one after another).
 */
export interface FileRead extends Omit<DocumentResult, 'events'> {
  views: PackedValues;
  recordText: string;
  /** Start and end of each event's record in `recordText`. */
  recordSpans: Int32Array;
  bytes: number;
}

/** Below this many bytes of files, reading them here is done before worker threads would have started. */
const PARALLEL_BYTES = 2 * 1024 * 1024;
/**
 * With fewer cores, workers do not pay: reading on workers costs about 1.7 times the CPU time of
 * reading here (packing the events, sending them, unpacking them here), so two cores finish no
 * sooner, and a core shared with other work finishes later (test/bench/auditIngest.bench.ts).
 */
const MIN_CORES_FOR_WORKERS = 3;
/** Past this, more workers mostly wait for this thread to take their results. */
const MAX_WORKERS = 4;

/** A decoded file → its events; a file that did not decode → its problem, and what of a cut file can still be read. */
function readDecoded(decoded: Decoded, label: string): DocumentResult {
  if (decoded.problem === undefined) return readAuditDocument(decoded.text, label);
  const problem = `${label}: ${decoded.problem}`;
  if (decoded.partialText !== undefined) {
    const partial = readTruncatedLines(decoded.partialText, label);
    if (partial && partial.events.length > 0) {
      const kept = `; the ${partial.events.length} records on the whole lines before the cut were read`;
      return { ...partial, problems: [problem + kept, ...partial.problems] };
    }
    return { events: [], records: 0, duplicates: 0, problems: [`${problem}; none of its records were read (a JSON document cut short cannot be told from a complete one) — fetch the file again`] };
  }
  return { events: [], records: 0, duplicates: 0, problems: [problem] };
}

/** Reads one file's bytes → events and problems (each problem starts with `label`). */
export async function readAuditBytes(bytes: Buffer, label: string, maxFileBytes = DEFAULT_MAX_DECODED_BYTES): Promise<DocumentResult> {
  return readDecoded(await decodeLogBytes(bytes, maxFileBytes), label);
}

function cannotRead(path: string, error: unknown): DocumentResult & { bytes: number } {
  const e = error as NodeJS.ErrnoException;
  const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'a folder, not a file' : e.code === 'EACCES' ? 'permission denied' : e.message;
  return { events: [], records: 0, duplicates: 0, problems: [`${path}: cannot read (${why})`], bytes: 0 };
}

/** Reads one file (any of the supported formats, gzip or not). */
export async function readAuditFile(path: string, options: { maxFileBytes?: number; signal?: AbortSignal } = {}): Promise<DocumentResult & { bytes: number }> {
  let bytes: Buffer;
  try {
    // The callback form: fs.promises.readFile costs several more thread-pool round trips per file.
    bytes = await new Promise<Buffer>((resolve, reject) => readFile(path, { signal: options.signal }, (error, data) => (error ? reject(error) : resolve(data))));
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    return cannotRead(path, error);
  }
  const result = await readAuditBytes(bytes, path, options.maxFileBytes);
  return { ...result, bytes: bytes.length };
}

/**
 * What an import worker makes of one file: readAuditFile's reading (inflating in its own thread),
 * with each event's record as text. A CloudTrail log file's records are taken as they are in the
 * file; those of other documents are written out again.
 */
export function readFileForWorker(path: string, maxFileBytes = DEFAULT_MAX_DECODED_BYTES): FileRead {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return forWorker(cannotRead(path, error));
  }
  const decoded = decodeLogBytesSync(bytes, maxFileBytes);
  if (decoded.problem === undefined) {
    const logFile = readLogFileRecords(decoded.text, path);
    if (logFile) {
      const { events, recordSpans, ...counts } = logFile;
      return { ...counts, views: packValues(events, 'record'), recordText: decoded.text, recordSpans: Int32Array.from(recordSpans), bytes: bytes.length };
    }
  }
  return forWorker({ ...readDecoded(decoded, path), bytes: bytes.length });
}

/** A FileRead of events whose records are written out again, one after another. */
function forWorker(read: DocumentResult & { bytes: number }): FileRead {
  const { events, ...counts } = read;
  const texts = events.map((event) => JSON.stringify(event.record));
  const recordSpans = new Int32Array(2 * texts.length);
  let at = 0;
  texts.forEach((text, i) => {
    recordSpans[2 * i] = at;
    recordSpans[2 * i + 1] = at += text.length;
  });
  return { ...counts, views: packValues(events, 'record'), recordText: texts.join(''), recordSpans };
}

/** The buffers a FileRead moves to the importing thread instead of copying. */
export function fileReadTransfer(read: FileRead): ArrayBuffer[] {
  return [...packedTransfer(read.views), read.recordSpans.buffer as ArrayBuffer];
}

function fromWorker(read: FileRead): DocumentResult & { bytes: number } {
  const { views, recordText, recordSpans, ...counts } = read;
  const unpacked = unpackValues(views) as EventView[];
  const events = new Array<AuditEvent>(unpacked.length);
  for (let i = 0; i < unpacked.length; i++) events[i] = withRecordText(unpacked[i], recordText.slice(recordSpans[2 * i], recordSpans[2 * i + 1]));
  return { ...counts, events };
}

function workerCount(options: ImportOptions, script: string, bytesTotal: number): number {
  if (options.workers !== undefined) return Math.max(0, Math.floor(options.workers));
  const cores = availableParallelism();
  if (cores < MIN_CORES_FOR_WORKERS || bytesTotal < PARALLEL_BYTES || !existsSync(script)) return 0;
  return Math.min(cores, MAX_WORKERS);
}

/** Imports files and folders (walked recursively; see logFiles.ts for which files are taken). */
export async function importAuditPaths(paths: readonly string[], options: ImportOptions): Promise<ImportResult> {
  const { signal } = options;
  const batchSize = Math.max(1, options.batchSize ?? 2000);
  const maxProblems = options.maxProblems ?? 1000;
  const listing = await listLogFiles(paths, signal);
  const result: ImportResult = { files: 0, records: 0, duplicates: 0, skipped: listing.skipped, bytes: 0, problems: [], cancelled: false, workers: 0 };
  let problemCount = 0;
  const addProblems = (problems: readonly string[]) => {
    for (const problem of problems) {
      problemCount++;
      if (result.problems.length < maxProblems) result.problems.push(problem);
    }
  };
  addProblems(listing.problems);
  const files = listing.files;
  const bytesTotal = files.reduce((sum, f) => sum + f.size, 0);
  const progress = () => options.onProgress?.({
    filesDone: result.files, filesTotal: files.length, records: result.records, bytes: result.bytes, bytesTotal, problems: problemCount,
  });

  const script = options.workerScript ?? join(__dirname, 'auditImportWorker.js');
  const workers = signal?.aborted ? 0 : Math.min(workerCount(options, script, bytesTotal), files.length);
  result.workers = workers;
  // Two files per worker keeps each one busy while this thread takes in the other's events.
  const concurrency = Math.max(1, options.concurrency ?? Math.max(4, 2 * workers));
  const pool = workers > 0 ? new WorkerPool<ImportTask, FileRead>(script, { size: workers }) : undefined;
  const { maxFileBytes } = options;
  const readOne = pool
    ? async (path: string) => fromWorker(await pool.run({ path, maxFileBytes }))
    : (path: string) => readAuditFile(path, { maxFileBytes, signal });
  // Files being read when the import is cancelled are not waited for.
  const stopPool = () => void pool?.close();
  signal?.addEventListener('abort', stopPool, { once: true });

  let failure: { error: unknown } | undefined;
  let delivering: Promise<void> = Promise.resolve();
  const deliver = (events: AuditEvent[]): Promise<void> => {
    const turn = delivering.then(async () => {
      for (let start = 0; start < events.length; start += batchSize) {
        if (failure || signal?.aborted) return;
        const batch = start === 0 && events.length <= batchSize ? events : events.slice(start, start + batchSize);
        try {
          await options.onBatch(batch);
        } catch (error) {
          failure ??= { error };
          return;
        }
        result.records += batch.length;
      }
    });
    delivering = turn;
    return turn;
  };

  let next = 0;
  const reader = async () => {
    while (!failure && !signal?.aborted && next < files.length) {
      const file = files[next++];
      let read;
      try {
        read = await readOne(file.path);
      } catch (error) {
        if (signal?.aborted || (error as Error).name === 'AbortError') return;
        failure ??= { error };
        return;
      }
      if (signal?.aborted) return;
      await deliver(read.events);
      result.files++;
      result.bytes += read.bytes;
      result.duplicates += read.duplicates;
      addProblems(read.problems);
      progress();
    }
  };
  progress();
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, files.length)) }, reader));
    await delivering;
  } finally {
    signal?.removeEventListener('abort', stopPool);
    await pool?.close();
  }
  if (failure) throw failure.error;
  if (problemCount > result.problems.length) {
    result.problems.push(`… and ${problemCount - result.problems.length} more problems`);
  }
  result.cancelled = signal?.aborted ?? false;
  return result;
}
