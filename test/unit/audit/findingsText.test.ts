// How the Audit view's Insights & detections tab writes rates, ratios, spans of time and shares.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { duration, localMinute, perBucket, plural, rate, ratio, share, timeSpan } from '../../../media/audit/findingsText';

test('rates keep two decimals while small and fewer as they grow', () => {
  assert.deepEqual([0, 0.4, 9.994, 12.34, 99.95, 1204.4, NaN].map(rate), ['0.00', '0.40', '9.99', '12.3', '100.0', '1,204', '–']);
  assert.deepEqual([60_000, 300_000, 30_000].map(perBucket), ['/min', '/5 min', '/30 s']);
});

test('the ratio to the baseline, and a baseline of nothing said as such', () => {
  assert.equal(ratio(0.4, 42.5), '×106');
  assert.equal(ratio(2, 5), '×2.5');
  assert.equal(ratio(1, 12_345), '×12,345');
  assert.equal(ratio(0, 25), 'from zero');
});

test('durations, shares and counts read as a person says them', () => {
  assert.deepEqual([0, 45_000, 10 * 60_000, 125 * 60_000, 2 * 3_600_000, 3 * 86_400_000].map(duration), ['0 s', '45 s', '10 min', '2 h 5 min', '2 h', '3 days']);
  assert.deepEqual([0, 0.004, 0.5, 1].map(share), ['0%', '<1%', '50%', '100%']);
  assert.deepEqual([plural(1, 'event'), plural(1204, 'event'), plural(2, 'day')], ['1 event', '1,204 events', '2 days']);
});

test('a span names the end without its date on the same day, with its date on another, or as ongoing', () => {
  const start = new Date(2026, 10, 21, 13, 0).getTime();
  assert.equal(localMinute(start), '2026-11-21 13:00');
  assert.equal(timeSpan(start, start + 10 * 60_000, false), '2026-11-21 13:00 – 13:10 (10 min)');
  assert.equal(timeSpan(start, new Date(2026, 10, 22, 1, 30).getTime(), false), '2026-11-21 13:00 – 2026-11-22 01:30 (12 h 30 min)');
  assert.equal(timeSpan(start, start + 60_000, true), '2026-11-21 13:00 – ongoing');
});
