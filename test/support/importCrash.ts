// Helpers for killing a `sightline audit import` mid-way and looking at what it left: the bytes of
// a store's segment files (what the writer has committed so far grows them batch by batch), and a
// wait that returns once they pass a size, polling the folder (the CLI prints nothing until it ends).
import type { ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes in the segment files (`NNNNNNNN.seg`) of a store's own folder, e.g. `<dir>/audit`; 0 if it does not exist yet. */
export function segmentBytes(storeFolder: string): number {
  let names: string[];
  try {
    names = readdirSync(storeFolder);
  } catch {
    return 0;
  }
  let total = 0;
  for (const name of names) {
    if (!/^\d{8}\.seg$/.test(name)) continue;
    try {
      total += statSync(join(storeFolder, name)).size;
    } catch {
      // Dropped by retention between the listing and the stat.
    }
  }
  return total;
}

/**
 * Resolves with the segment bytes once they reach `bytes`, or rejects if `child` exits first or
 * `timeoutMs` passes. Polls every `everyMs` (a batch of 2,000 events is about 4 MB, so a few ms
 * between looks is fine-grained enough).
 */
export function whenSegmentsReach(storeFolder: string, bytes: number, child: ChildProcess, timeoutMs = 120_000, everyMs = 5): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const onExit = (code: number | null) => {
      clearInterval(timer);
      reject(new Error(`the import exited (code ${code}) before the store reached ${bytes} bytes (it has ${segmentBytes(storeFolder)})`));
    };
    const timer = setInterval(() => {
      const size = segmentBytes(storeFolder);
      if (size >= bytes) {
        clearInterval(timer);
        child.off('exit', onExit);
        resolve(size);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer);
        child.off('exit', onExit);
        reject(new Error(`the store reached only ${size} of ${bytes} bytes in ${timeoutMs} ms`));
      }
    }, everyMs);
    child.once('exit', onExit);
  });
}

/** SIGKILL, and resolve once the process is gone (its lock file is then stale). */
export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
