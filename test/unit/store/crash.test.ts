// A real kill -9 in the middle of ingest, and the lock between processes. This file is also the
// child program: run with SIGHTLINE_STORE_CHILD set, it appends batches until it is killed.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { Store, type AppendRecord } from '../../../server/store/store';
import { tempDir } from './helpers';

const BATCH = 2000;
const T0 = Date.UTC(2026, 0, 1);

function batch(n: number): AppendRecord[] {
  const body = 'x'.repeat(600);
  return Array.from({ length: BATCH }, (_, i) => ({
    key: `b${n}-r${i}`,
    time: T0 + n * BATCH + i,
    terms: [`batch=${n}`, `r=${i % 10}`],
    body: `${n}:${i}:${body}`,
  }));
}

/** The child: appends batch after batch, saying "appended N" after each returns; holds the lock. */
async function child(): Promise<void> {
  const dir = process.env.SIGHTLINE_STORE_CHILD!;
  const mode = process.env.SIGHTLINE_STORE_CHILD_MODE;
  const store = Store.open(dir, { name: 'spans', retention: { maxAgeMs: Infinity, maxBytes: Infinity } });
  if (mode === 'hold') {
    process.stdout.write('locked\n');
    setInterval(() => {}, 1 << 30);
    return;
  }
  for (let n = Number(process.env.SIGHTLINE_STORE_CHILD_FROM ?? 0); ; n++) {
    store.append(batch(n));
    process.stdout.write(`appended ${n}\n`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function spawnChild(dir: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [__filename], { env: { ...process.env, SIGHTLINE_STORE_CHILD: dir, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
}

/** Waits for stdout lines until `done` says so; returns the lines read. */
async function readUntil(proc: ChildProcess, done: (line: string) => boolean): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: proc.stdout! })) {
    lines.push(line);
    if (done(line)) break;
  }
  return lines;
}

async function kill9(proc: ChildProcess): Promise<void> {
  const exited = once(proc, 'exit');
  proc.kill('SIGKILL');
  const [code, signal] = await exited;
  assert.equal(signal, 'SIGKILL', `child exited with ${code}`);
}

if (process.env.SIGHTLINE_STORE_CHILD) {
  void child();
} else {
  describe('store: crashes and processes', () => {
    test('kill -9 mid-ingest: every reported batch is there, whole; the store opens and takes appends', { timeout: 60_000 }, async () => {
      const dir = tempDir();
      let from = 0;
      for (let round = 0; round < 3; round++) {
        const proc = spawnChild(dir, { SIGHTLINE_STORE_CHILD_FROM: String(from) });
        const lines = await readUntil(proc, (line) => line === `appended ${from + 5}`);
        await kill9(proc);
        const reported = Math.max(...lines.map((line) => Number(line.split(' ')[1])));
        const store = Store.open(dir, { name: 'spans', retention: { maxAgeMs: Infinity, maxBytes: Infinity } });
        try {
          for (let n = 0; n <= reported; n++) assert.equal(store.count(`batch=${n}`), BATCH, `batch ${n} (reported done) is whole`);
          // Batches the child wrote after the last line we read: each is whole or absent, never partial.
          let n = reported + 1;
          while (store.count(`batch=${n}`) === BATCH) n++;
          assert.equal(store.count(`batch=${n}`), 0, `batch ${n} is absent, not partial`);
          assert.equal(store.count(), n * BATCH);
          assert.equal(store.get(`b${reported}-r7`)?.body, `${reported}:7:${'x'.repeat(600)}`);
          assert.equal([...store.query({ all: ['r=3'], limit: 5 })].length, 5);
          assert.ok(store.problems.every((p) => /torn write|Took over the lock/.test(p)), store.problems.join('\n'));
          // From the second round on, the snapshot written by the last close is used, and only
          // what the killed child appended after it is scanned.
          if (round > 0) assert.ok(!store.problems.some((p) => /Not using the index snapshot/.test(p)));
          from = n;
        } finally {
          store.close();
        }
      }
    });

    test('a second writer process gets "in use by pid N"; after that process is killed, the lock is taken over', { timeout: 30_000 }, async () => {
      const dir = tempDir();
      const holder = spawnChild(dir, { SIGHTLINE_STORE_CHILD_MODE: 'hold' });
      await readUntil(holder, (line) => line === 'locked');
      assert.throws(() => Store.open(dir, { name: 'spans' }), new RegExp(`store at .*spans is in use by pid ${holder.pid}`));
      const reader = Store.open(dir, { name: 'spans', readOnly: true });
      assert.equal(reader.count(), 0);
      reader.close();
      await kill9(holder);
      const store = Store.open(dir, { name: 'spans' });
      assert.match(store.problems.join('\n'), new RegExp(`Took over the lock of .* from pid ${holder.pid}, which is no longer running`));
      store.close();
    });

    test('a lock file with garbage in it is replaced', () => {
      const dir = tempDir();
      Store.open(dir, { name: 'spans' }).close();
      writeFileSync(join(dir, 'spans', 'LOCK'), 'not a pid');
      const store = Store.open(dir, { name: 'spans' });
      assert.match(store.problems.join('\n'), /Removed an unreadable lock file/);
      store.close();
    });
  });
}
