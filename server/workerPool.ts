// A few worker threads that run one kind of task for a thread that must stay responsive (the
// server's, which answers the editor while an import runs). Each worker is sent up to
// `tasksPerWorker` tasks before it has answered, so it starts the next one while this thread is
// still taking in the last one's result; the rest wait in a queue. A task's promise settles with
// what its worker sent back, in whatever order the workers finish.
//
// The worker script calls `serveTasks` with its handler. A handler that throws rejects that task
// only. A worker that dies (an uncaught error, running out of memory) rejects every task not yet
// answered and makes the pool refuse new ones: the caller decides whether to go on without it.
import { Worker, parentPort, type Transferable } from 'node:worker_threads';

export interface WorkerPoolOptions {
  /** Worker threads, started at once (at least 1). */
  size: number;
  /** Tasks sent to one worker before it has answered (default 2). */
  tasksPerWorker?: number;
}

interface TaskMessage<Task> {
  id: number;
  task: Task;
}

type ReplyMessage<Result> =
  | { id: number; result: Result; error?: undefined }
  | { id: number; error: { name: string; message: string; stack?: string } };

interface Pending<Result> {
  resolve(result: Result): void;
  reject(error: Error): void;
}

interface Queued<Task, Result> extends Pending<Result> {
  message: TaskMessage<Task>;
  transfer: readonly Transferable[];
}

interface PoolWorker<Result> {
  worker: Worker;
  pending: Map<number, Pending<Result>>;
}

export class WorkerPool<Task, Result> {
  private readonly workers: PoolWorker<Result>[] = [];
  private readonly queue: Queued<Task, Result>[] = [];
  private readonly tasksPerWorker: number;
  private nextId = 0;
  /** Why new tasks are refused: the pool was closed, or a worker died. */
  private stopped: Error | undefined;

  constructor(script: string, options: WorkerPoolOptions) {
    this.tasksPerWorker = Math.max(1, options.tasksPerWorker ?? 2);
    for (let i = 0; i < Math.max(1, options.size); i++) this.start(script);
  }

  /** Runs `task` on the least busy worker; `transfer` lists buffers to move rather than copy. */
  run(task: Task, transfer: readonly Transferable[] = []): Promise<Result> {
    if (this.stopped) return Promise.reject(this.stopped);
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ message: { id: this.nextId++, task }, transfer, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker at once; tasks not yet answered are rejected. */
  async close(): Promise<void> {
    this.stop(new Error('the worker pool was closed'));
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }

  private start(script: string): void {
    const entry: PoolWorker<Result> = { worker: new Worker(script), pending: new Map() };
    entry.worker.on('message', (reply: ReplyMessage<Result>) => {
      const pending = entry.pending.get(reply.id);
      if (!pending) return;
      entry.pending.delete(reply.id);
      if (reply.error) pending.reject(Object.assign(new Error(reply.error.message), reply.error));
      else pending.resolve(reply.result);
      this.dispatch();
    });
    entry.worker.on('error', (error) => this.died(entry, error));
    entry.worker.on('exit', (code) => this.died(entry, new Error(`a worker thread exited with code ${code}`)));
    this.workers.push(entry);
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let target: PoolWorker<Result> | undefined;
      for (const entry of this.workers) {
        if (entry.pending.size < this.tasksPerWorker && (!target || entry.pending.size < target.pending.size)) target = entry;
      }
      if (!target) return;
      const { message, transfer, resolve, reject } = this.queue.shift()!;
      target.pending.set(message.id, { resolve, reject });
      target.worker.postMessage(message, transfer);
    }
  }

  private died(entry: PoolWorker<Result>, error: Error): void {
    const pending = [...entry.pending.values()];
    entry.pending.clear();
    for (const task of pending) task.reject(error);
    this.stop(error);
  }

  private stop(error: Error): void {
    this.stopped ??= error;
    for (const entry of this.workers) {
      const pending = [...entry.pending.values()];
      entry.pending.clear();
      for (const task of pending) task.reject(this.stopped);
    }
    for (const task of this.queue.splice(0)) task.reject(this.stopped);
  }
}

/**
 * The worker side: answers each task with `handle`'s result (moving the buffers `transferOf`
 * lists), or with the error it threw. Tasks are handled one at a time, in the order sent.
 */
export function serveTasks<Task, Result>(
  handle: (task: Task) => Result | Promise<Result>,
  transferOf: (result: Result) => readonly Transferable[] = () => [],
): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks runs in a worker thread');
  let turn: Promise<void> = Promise.resolve();
  port.on('message', (message: TaskMessage<Task>) => {
    turn = turn.then(async () => {
      let reply: ReplyMessage<Result>;
      let transfer: readonly Transferable[] = [];
      try {
        const result = await handle(message.task);
        reply = { id: message.id, result };
        transfer = transferOf(result);
      } catch (error) {
        const e = error instanceof Error ? error : new Error(String(error));
        reply = { id: message.id, error: { name: e.name, message: e.message, stack: e.stack } };
      }
      port.postMessage(reply, transfer);
    });
  });
}
