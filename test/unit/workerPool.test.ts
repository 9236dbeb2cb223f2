// The worker pool runs tasks on its threads, a few at a time each, and fails what a dead worker held.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WorkerPool } from '../../server/workerPool';

let scratch: string;
before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'sightline-worker-pool-'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A worker script speaking the pool's protocol (as serveTasks does), from the body of a task handler. */
function script(name: string, handler: string): string {
  const path = join(scratch, name);
  writeFileSync(path, `const { parentPort, threadId } = require('node:worker_threads');
const handle = ${handler};
parentPort.on('message', async ({ id, task }) => {
  try {
    parentPort.postMessage({ id, result: await handle(task, threadId) });
  } catch (error) {
    parentPort.postMessage({ id, error: { name: error.name, message: error.message } });
  }
});
`);
  return path;
}

test('results come back for each task, from every worker, with at most tasksPerWorker at once on each', async () => {
  const path = script('echo.js', `async (task, threadId) => {
    await new Promise((resolve) => setTimeout(resolve, task % 3));
    return { task, doubled: task * 2, threadId };
  }`);
  const pool = new WorkerPool<number, { task: number; doubled: number; threadId: number }>(path, { size: 3, tasksPerWorker: 2 });
  try {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => pool.run(i)));
    assert.deepEqual(results.map((r) => r.doubled), Array.from({ length: 40 }, (_, i) => 2 * i));
    assert.equal(new Set(results.map((r) => r.threadId)).size, 3);
  } finally {
    await pool.close();
  }
});

test('a task that throws rejects alone; the others go on', async () => {
  const path = script('picky.js', `(task) => { if (task === 'bad') throw new RangeError('no bad tasks'); return task.toUpperCase(); }`);
  const pool = new WorkerPool<string, string>(path, { size: 2 });
  try {
    const [a, bad, c] = await Promise.allSettled([pool.run('a'), pool.run('bad'), pool.run('c')]);
    assert.deepEqual([a, c], [{ status: 'fulfilled', value: 'A' }, { status: 'fulfilled', value: 'C' }]);
    assert.equal(bad.status, 'rejected');
    assert.match(String((bad as PromiseRejectedResult).reason), /RangeError: no bad tasks/);
  } finally {
    await pool.close();
  }
});

test('a worker that dies fails the tasks it held and those queued, and the pool takes no more', async () => {
  const path = script('dies.js', `(task) => { if (task === 'die') process.exit(3); return new Promise(() => {}); }`);
  const pool = new WorkerPool<string, string>(path, { size: 1, tasksPerWorker: 1 });
  try {
    const outcomes = await Promise.allSettled([pool.run('die'), pool.run('queued')]);
    assert.ok(outcomes.every((o) => o.status === 'rejected' && /exited with code 3/.test(String(o.reason))), JSON.stringify(outcomes));
    await assert.rejects(pool.run('later'), /exited with code 3/);
  } finally {
    await pool.close();
  }
});

test('closing rejects what is still running and stops the threads', async () => {
  const path = script('slow.js', '() => new Promise(() => {})');
  const pool = new WorkerPool<number, never>(path, { size: 2 });
  const running = Promise.allSettled([pool.run(1), pool.run(2), pool.run(3), pool.run(4), pool.run(5)]);
  await pool.close();
  const outcomes = await running;
  assert.ok(outcomes.every((o) => o.status === 'rejected' && /closed/.test(String(o.reason))));
  await assert.rejects(pool.run(6), /closed/);
});
