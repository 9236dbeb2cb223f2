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

import { readFile } from 'node:fs';
import { DEFAULT_MAX_DECODED_BYTES, decodeLogBytes } from './decode';
import { readAuditDocument, readTruncatedLines, type DocumentResult } from './documents';
import { listLogFiles } from './logFiles';
import type { AuditEvent } from './model';

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
  /** Files read at once (default 4). */
  concurrency?: number;
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
}

/** Reads one file's bytes → events and problems (each problem starts with `label`). */
export async function readAuditBytes(bytes: Buffer, label: string, maxFileBytes = DEFAULT_MAX_DECODED_BYTES): Promise<DocumentResult> {
  const decoded = await decodeLogBytes(bytes, maxFileBytes);
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

/** Reads one file (any of the supported formats, gzip or not). */
export async function readAuditFile(path: string, options: { maxFileBytes?: number; signal?: AbortSignal } = {}): Promise<DocumentResult & { bytes: number }> {
  let bytes: Buffer;
  try {
    // The callback form: fs.promises.readFile costs several more thread-pool round trips per file.
    bytes = await new Promise<Buffer>((resolve, reject) => readFile(path, { signal: options.signal }, (error, data) => (error ? reject(error) : resolve(data))));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.name === 'AbortError') throw error;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'a folder, not a file' : e.code === 'EACCES' ? 'permission denied' : e.message;
    return { events: [], records: 0, duplicates: 0, problems: [`${path}: cannot read (${why})`], bytes: 0 };
  }
  const result = await readAuditBytes(bytes, path, options.maxFileBytes);
  return { ...result, bytes: bytes.length };
}

/** Imports files and folders (walked recursively; see logFiles.ts for which files are taken). */
export async function importAuditPaths(paths: readonly string[], options: ImportOptions): Promise<ImportResult> {
  const { signal } = options;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const batchSize = Math.max(1, options.batchSize ?? 2000);
  const maxProblems = options.maxProblems ?? 1000;
  const listing = await listLogFiles(paths, signal);
  const result: ImportResult = { files: 0, records: 0, duplicates: 0, skipped: listing.skipped, bytes: 0, problems: [], cancelled: false };
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
  const worker = async () => {
    while (!failure && !signal?.aborted && next < files.length) {
      const file = files[next++];
      let read;
      try {
        read = await readAuditFile(file.path, { maxFileBytes: options.maxFileBytes, signal });
      } catch (error) {
        if ((error as Error).name === 'AbortError') return;
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
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, files.length)) }, worker));
  await delivering;
  if (failure) throw failure.error;
  if (problemCount > result.problems.length) {
    result.problems.push(`… and ${problemCount - result.problems.length} more problems`);
  }
  result.cancelled = signal?.aborted ?? false;
  return result;
}
