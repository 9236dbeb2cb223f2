import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LOOKUP_EVENTS_RATE, TokenBucket, sharedLookupLimiter, systemClock, type Clock } from '../../../server/audit/rateLimiter';

/** A clock that moves only when told; sleepers wake in time order as it passes their time. */
class ManualClock implements Clock {
  time = 0;
  private sleepers: { until: number; wake: () => void; fail: (e: Error) => void }[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const sleeper = { until: this.time + ms, wake: resolve, fail: reject };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        const error = new Error('aborted');
        error.name = 'AbortError';
        reject(error);
      }, { once: true });
    });
  }

  /** Moves time forward, waking each sleeper at its own time (and letting its continuation run). */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      this.sleepers.sort((a, b) => a.until - b.until);
      const next = this.sleepers[0];
      if (!next || next.until > end) break;
      this.sleepers.shift();
      this.time = next.until;
      next.wake();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
    this.time = end;
  }
}

/** Starts take()s now and records the clock time each one is let through. */
function takeMany(bucket: TokenBucket, clock: ManualClock, count: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) void bucket.take().then(() => times.push(clock.now()));
  return times;
}

function maxInAnyWindow(times: number[], windowMs: number): number {
  let most = 0;
  for (const t of times) most = Math.max(most, times.filter((u) => u >= t && u < t + windowMs).length);
  return most;
}

describe('token bucket', () => {
  test('LookupEvents pacing: the first at once, then one every 500 ms, never 3 in any second', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ ...LOOKUP_EVENTS_RATE, clock });
    const times = takeMany(bucket, clock, 6);
    await clock.advance(0);
    assert.deepEqual(times, [0]);
    await clock.advance(10_000);
    assert.deepEqual(times, [0, 500, 1000, 1500, 2000, 2500]);
    assert.equal(maxInAnyWindow(times, 1000), 2);
  });

  test('idle time refills up to the capacity only', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ ratePerSecond: 2, capacity: 3, clock });
    await clock.advance(60_000);
    const times = takeMany(bucket, clock, 5);
    await clock.advance(0);
    await clock.advance(5_000);
    assert.deepEqual(times, [60_000, 60_000, 60_000, 60_500, 61_000]);
  });

  test('callers are served in the order they asked, including ones asking later', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ ...LOOKUP_EVENTS_RATE, clock });
    const order: string[] = [];
    void bucket.take().then(() => order.push('a'));
    void bucket.take().then(() => order.push('b'));
    await clock.advance(100);
    void bucket.take().then(() => order.push('c'));
    await clock.advance(2_000);
    assert.deepEqual(order, ['a', 'b', 'c']);
  });

  test('drain after a throttling answer: the next caller waits a whole interval', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ ratePerSecond: 2, capacity: 2, clock });
    await clock.advance(5_000);
    assert.equal(bucket.waitMs(), 0);
    bucket.drain();
    assert.equal(bucket.waitMs(), 500);
    const times = takeMany(bucket, clock, 1);
    await clock.advance(0);
    await clock.advance(1_000);
    assert.deepEqual(times, [5_500]);
  });

  test('an aborted wait rejects, and its slot is not handed to a later caller early', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ ...LOOKUP_EVENTS_RATE, clock });
    await bucket.take();
    const controller = new AbortController();
    const waiting = bucket.take(controller.signal);
    controller.abort();
    await assert.rejects(waiting, { name: 'AbortError' });
    const times = takeMany(bucket, clock, 1);
    await clock.advance(2_000);
    assert.deepEqual(times, [1000]);
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(bucket.take(aborted.signal), { name: 'AbortError' });
  });

  test('a bad rate or capacity is refused', () => {
    assert.throws(() => new TokenBucket({ ratePerSecond: 0, capacity: 1 }), RangeError);
    assert.throws(() => new TokenBucket({ ratePerSecond: 2, capacity: 0.5 }), RangeError);
  });

  test('one shared bucket per key', () => {
    assert.equal(sharedLookupLimiter('us-east-1||'), sharedLookupLimiter('us-east-1||'));
    assert.notEqual(sharedLookupLimiter('us-east-1||'), sharedLookupLimiter('eu-west-1||'));
  });

  test('the system clock never wakes a sleeper early, and aborts', async () => {
    const started = systemClock.now();
    await systemClock.sleep(3);
    assert.ok(systemClock.now() - started >= 3);
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort();
    await assert.rejects(sleeping, { name: 'AbortError' });
  });
});
