import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { segmentsToDrop } from '../../../server/store/retention';
import { Store } from '../../../server/store/store';
import { ids, range, span, T0, tempDir } from './helpers';

const DAY = 24 * 3600 * 1000;

describe('retention: which segments go', () => {
  const segment = (size: number, maxTime: number, empty = false) => ({ size, maxTime, empty });

  test('by age: every segment whose newest record is too old, the one being written included', () => {
    const segments = [segment(10, 100), segment(10, 500), segment(10, 150), segment(10, 120)];
    assert.deepEqual(segmentsToDrop(segments, { maxAgeMs: 100, maxBytes: Infinity }, 260), [0, 2, 3]);
  });

  test('by size: the oldest first, never the one being written', () => {
    const segments = [segment(40, 1), segment(40, 2), segment(40, 3)];
    assert.deepEqual(segmentsToDrop(segments, { maxAgeMs: Infinity, maxBytes: 100 }, 0), [0]);
    assert.deepEqual(segmentsToDrop(segments, { maxAgeMs: Infinity, maxBytes: 50 }, 0), [0, 1]);
    assert.deepEqual(segmentsToDrop(segments, { maxAgeMs: Infinity, maxBytes: 1 }, 0), [0, 1]);
  });

  test('an empty segment is never expired by age', () => {
    assert.deepEqual(segmentsToDrop([segment(16, -Infinity, true)], { maxAgeMs: 1, maxBytes: Infinity }, 1e12), []);
  });
});

describe('store: retention', () => {
  test('records older than the age limit are not stored, and whole expired segments are dropped', () => {
    const dir = tempDir();
    let now = T0 + 10 * DAY;
    const store = Store.open(dir, { name: 'audit', retention: { maxAgeMs: 7 * DAY, maxBytes: Infinity }, segmentBytes: 1024, now: () => now });
    const old = span(0, { time: T0, key: 'too-old' });
    assert.deepEqual(store.append([old, span(1, { time: now - DAY })]), { inserted: 1, duplicates: 0, replaced: 0, expired: 1 });
    // Day by day, one batch a day: each batch fills a segment of its own (segments roll at 1 KiB).
    for (let day = 1; day <= 5; day++) {
      now += DAY;
      store.append(range(day * 100, day * 100 + 10).map((i) => span(i, { time: now })));
    }
    const before = store.stats();
    assert.ok(before.segments >= 6, `${before.segments} segments`);
    assert.equal(store.count(), 51);
    now += 4 * DAY + 1; // the first record (now − 1 day then) and day 1 and 2 batches are now older than 7 days
    const dropped = store.enforceRetention();
    assert.ok(dropped >= 3, `dropped ${dropped}`);
    assert.equal(store.get(span(1).key), undefined);
    assert.equal(store.get(span(100).key), undefined);
    assert.equal(store.get(span(200).key), undefined);
    assert.equal(store.count(), 30);
    assert.deepEqual(ids(store.query({ limit: 1, newestFirst: false })), [300]);
    assert.ok(store.stats().bytes < before.bytes);
    store.close();
    const reopened = Store.open(dir, { name: 'audit', retention: { maxAgeMs: 7 * DAY, maxBytes: Infinity }, now: () => now });
    assert.equal(reopened.count(), 30);
    reopened.close();
  });

  test('size: the oldest segments go first once the total is above the limit, on every append', () => {
    const dir = tempDir();
    const store = Store.open(dir, { name: 'spans', retention: { maxAgeMs: Infinity, maxBytes: 8 * 1024 }, segmentBytes: 2 * 1024, now: () => T0 });
    for (let b = 0; b < 40; b++) store.append(range(b * 10, b * 10 + 10).map((i) => span(i)));
    const stats = store.stats();
    assert.ok(stats.bytes <= 8 * 1024 + 2 * 1024, `${stats.bytes} bytes`);
    assert.ok(store.count() < 400 && store.count() > 40, `${store.count()} records kept`);
    assert.equal(store.get(span(0).key), undefined, 'the oldest went first');
    assert.ok(store.get(span(399).key), 'the newest stayed');
    const kept = ids(store.query({ newestFirst: false }));
    assert.deepEqual(kept, range(400 - kept.length, 400), 'what is kept is a suffix of what was appended');
    assert.equal(readdirSync(join(dir, 'spans')).filter((f) => f.endsWith('.seg')).length, stats.segments);
    store.close();
  });

  test('many drops compact the indexes without changing answers', () => {
    const store = Store.open(tempDir(), { name: 'spans', retention: { maxAgeMs: Infinity, maxBytes: 64 * 1024 }, segmentBytes: 8 * 1024, now: () => T0 });
    for (let b = 0; b < 300; b++) store.append(range(b * 100, b * 100 + 100).map((i) => span(i)));
    const n = store.count();
    assert.ok(n > 0 && n < 2000, `${n} kept`);
    const kept = ids(store.query({ newestFirst: false }));
    assert.deepEqual(kept, range(30_000 - n, 30_000));
    assert.equal(store.count('svc=svc0'), kept.filter((i) => i % 3 === 0).length);
    assert.deepEqual(ids(store.query({ all: ['svc=svc1', 'error'], limit: 2 })), [29_992, 29_980]);
    assert.equal(store.get(span(29_999).key)?.value, 29_999);
    assert.equal(store.get(span(0).key), undefined);
    store.close();
  });
});
