// A worker thread of the review pool: takes files from the shared counter until none are left,
// then posts its results back.
import { parentPort, workerData } from 'node:worker_threads';
import { Parsers } from './parser';
import type { PoolJob } from './reviewPool';
import { reviewFile, type FileReview } from './reviewFile';

async function main(): Promise<void> {
  const job = workerData as PoolJob;
  const parsers = await Parsers.load(job.wasmDir);
  const reviews: [number, FileReview][] = [];
  for (let k = Atomics.add(job.next, 0, 1); k < job.paths.length; k = Atomics.add(job.next, 0, 1)) {
    reviews.push([k, reviewFile(parsers, job.paths[k], job.settings)]);
  }
  // Rule failures carry Error objects, which structured clone keeps as errors.
  parentPort!.postMessage(reviews);
}

void main();
