// A worker thread of the review pool: reviews its share of files and posts the results back.
import { parentPort, workerData } from 'node:worker_threads';
import { Parsers } from './parser';
import type { PoolJob } from './reviewPool';
import { reviewFile } from './reviewFile';

async function main(): Promise<void> {
  const job = workerData as PoolJob;
  const parsers = await Parsers.load(job.wasmDir);
  // Rule failures carry Error objects, which structured clone keeps as errors.
  parentPort!.postMessage(job.paths.map((path) => reviewFile(parsers, path, job.settings)));
}

void main();
