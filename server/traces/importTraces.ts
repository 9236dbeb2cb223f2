// Imports trace files and folders into the store: every format the readers know, detected per
// file, in batches so memory stays bounded, with progress and cancellation between files. A bad
// file is a problem that names it; the good files and everything already stored are kept.
import { lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { extname, join } from 'node:path';
import { readTraces } from './formats/detect';
import type { Span } from './model';

/** Files in folders worth trying; a file named directly is always tried. */
const traceExtensions = new Set(['.json', '.jsonl', '.ndjson', '.pb', '.binpb', '.protobuf', '.gz', '.otlp', '.log', '.txt']);
/** Larger files are refused with a message rather than read into memory. */
export const maxTraceFileBytes = 512 * 1024 * 1024;

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

export async function importTraces(paths: readonly string[], sink: ImportSink, progress: (p: ImportProgress) => void, isCancelled: () => boolean): Promise<ImportSummary> {
  const summary: ImportSummary = { files: 0, spans: 0, inserted: 0, duplicates: 0, problems: [], cancelled: false };
  const files = collect(paths, summary.problems);
  for (const [i, file] of files.entries()) {
    if (isCancelled()) return { ...summary, cancelled: true };
    progress({ done: i, total: files.length, file, spans: summary.spans });
    // Let cancellation and other requests through between files.
    await new Promise((resolve) => setImmediate(resolve));
    let bytes: Buffer;
    try {
      const size = lstatSync(file).size;
      if (size > maxTraceFileBytes) {
        summary.problems.push(`${file}: ${Math.round(size / 1048576)} MB is larger than the ${maxTraceFileBytes / 1048576} MB Sightline reads in one piece; split it or import it from the CLI in parts.`);
        continue;
      }
      bytes = readFileSync(file);
    } catch (error) {
      summary.problems.push(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
      continue;
    }
    const result = readTraces(bytes, file);
    summary.problems.push(...result.problems);
    if (result.spans.length > 0) summary.files++;
    for (let at = 0; at < result.spans.length; at += 20_000) {
      const added = sink.ingest(result.spans.slice(at, at + 20_000));
      summary.inserted += added.inserted + added.replaced;
      summary.duplicates += added.duplicates;
    }
    summary.spans += result.spans.length;
  }
  return summary;
}

function collect(paths: readonly string[], problems: string[]): string[] {
  const files: string[] = [];
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
      files.push(path);
    }
  };
  for (const path of paths) visit(path, true);
  return files;
}
