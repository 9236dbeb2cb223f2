// Reviews many files on every core: worker threads take files one at a time, each worker
// loads its own parsers (tree-sitter WASM is single-threaded), and the results come back in the
// order of the input. Small jobs stay in this thread, where starting workers would cost more.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Parsers } from './parser';
import { reviewFile, type FileReview } from './reviewFile';
import type { Settings } from '../settings';

export interface PoolJob {
  paths: string[];
  /** The index of the next path to review, shared by all workers (Atomics.add). */
  next: Int32Array;
  settings: Settings;
  wasmDir: string;
}

/** Below this many bytes of source, one thread finishes before workers would have started. */
const parallelThreshold = 512 * 1024;

/** `jobs`: how many threads at most; undefined for one per core. */
export async function reviewFiles(paths: readonly string[], settings: Settings, wasmDir: string, loadParsers: () => Promise<Parsers>, workerScript: string, jobs?: number): Promise<FileReview[]> {
  const sizes = paths.map((p) => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  const workers = Math.min(jobs ?? availableParallelism(), 8, Math.ceil(total / parallelThreshold));
  if (workers <= 1) {
    const parsers = await loadParsers();
    return paths.map((p) => reviewFile(parsers, p, settings));
  }
  // Workers take the next file from a shared counter, largest files first: a worker that meets
  // slow files (or a busy core) simply takes fewer, so both finish together.
  const order = paths.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a]);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const results: FileReview[] = new Array(paths.length);
  await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<void>((resolve, reject) => {
          const job: PoolJob = { paths: order.map((i) => paths[i]), next, settings, wasmDir };
          const worker = new Worker(workerScript, { workerData: job });
          worker.once('message', (reviews: [number, FileReview][]) => {
            for (const [k, review] of reviews) results[order[k]] = review;
            resolve();
          });
          worker.once('error', reject);
          worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a review worker exited with code ${code}`))));
        }),
    ),
  );
  return results;
}

export function defaultWorkerScript(distDir: string): string {
  return join(distDir, 'reviewWorker.js');
}
