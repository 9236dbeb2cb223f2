// LookupEvents through the real @aws-sdk/client-cloudtrail against the loopback CloudTrail: SigV4
// signing, the SDK's retries, our pagination and pacing, all over real HTTP on 127.0.0.1.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { createCloudTrailClient, lookupEvents, startPolling, type LookupOptions } from '../../../server/audit/lookupEvents';
import type { AuditEvent } from '../../../server/audit/model';
import { LOOKUP_EVENTS_RATE, TokenBucket } from '../../../server/audit/rateLimiter';
import { AwsLoopback, TEST_CREDENTIALS } from '../../support/awsLoopback';
import { CloudTrailGenerator } from '../../support/cloudTrailGenerator';

type Json = Record<string, unknown>;

let loopback: AwsLoopback;
before(async () => {
  loopback = await AwsLoopback.start({ region: 'us-east-1' });
});
after(() => loopback.close());
afterEach(() => {
  assert.deepEqual(loopback.violations, [], 'the loopback saw no protocol violation');
  loopback.requests.length = 0;
  loopback.cloudTrail.arrivals.length = 0;
  loopback.cloudTrail.throttleNext = 0;
  loopback.cloudTrail.quotaPerSecond = 2;
  loopback.cloudTrail.mangle = undefined;
});

const t0 = Date.parse('2026-01-05T00:00:00Z');
const generator = new CloudTrailGenerator(21);

/** Management events of one account and Region, one a minute from t0 (sorted oldest first). */
function managementRecords(count: number, from = t0): Json[] {
  const out: Json[] = [];
  while (out.length < count) {
    const record = generator.record({ account: '111122223333', region: 'us-east-1', time: from + out.length * 60_000 });
    if (record.managementEvent === true) out.push(record);
  }
  return out;
}

/** A bucket that never makes a test wait (where pacing is not what the test is about). */
const unpaced = () => new TokenBucket({ ratePerSecond: 10_000, capacity: 10_000 });

function connection(extra: Partial<LookupOptions> = {}): LookupOptions {
  return { region: 'us-east-1', endpoint: loopback.endpoint, credentials: { ...TEST_CREDENTIALS }, ...extra };
}

describe('LookupEvents', () => {
  test('pages followed by NextToken with the other parameters unchanged, at most 2 requests a second, every request signed', async () => {
    const records = managementRecords(120);
    const data = generator.records(30, { account: '111122223333', region: 'us-east-1', start: t0, end: t0 + 3_600_000 }).filter((r) => r.managementEvent === false);
    loopback.cloudTrail.records = [...records, ...data];
    const client = createCloudTrailClient(connection(), new TokenBucket(LOOKUP_EVENTS_RATE));
    try {
      const result = await lookupEvents({ ...connection(), client, startTime: t0, endTime: t0 + 86_400_000, pageSize: 25 });
      assert.deepEqual(result.problems, []);
      assert.equal(result.pages, 5);
      assert.equal(result.truncated, false);
      assert.deepEqual(result.events.map((e) => e.id), [...records].reverse().map((r) => r.eventID), 'every management event, newest first; no data events');
      assert.deepEqual(result.events[0].record, records[records.length - 1]);
    } finally {
      client.destroy();
    }
    const calls = loopback.calls('LookupEvents');
    assert.equal(calls.length, 5);
    const first = calls[0].body;
    assert.deepEqual(Object.keys(first).sort(), ['EndTime', 'MaxResults', 'StartTime']);
    assert.equal(first.StartTime, t0 / 1000);
    assert.equal(first.MaxResults, 25);
    for (const [i, call] of calls.entries()) {
      const { NextToken, ...rest } = call.body;
      assert.deepEqual(rest, first, `page ${i + 1} asks the same`);
      assert.equal(NextToken === undefined, i === 0);
      assert.match(call.credential, /^AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/cloudtrail\/aws4_request$/);
    }
    // Two requests a second: any three are at least a second apart (server arrival times, 25 ms slack).
    for (let i = 2; i < calls.length; i++) assert.ok(calls[i].at - calls[i - 2].at >= 975, `requests ${i - 1}–${i + 1} within ${calls[i].at - calls[i - 2].at} ms`);
  });

  test('a ThrottlingException is retried by the SDK with backoff; each retry waits its turn in the bucket', async () => {
    loopback.cloudTrail.records = managementRecords(3);
    loopback.cloudTrail.throttleNext = 2;
    const bucket = new TokenBucket(LOOKUP_EVENTS_RATE);
    const client = createCloudTrailClient(connection(), bucket);
    try {
      const result = await lookupEvents({ ...connection(), client });
      assert.equal(result.events.length, 3);
    } finally {
      client.destroy();
    }
    const calls = loopback.calls('LookupEvents');
    assert.deepEqual(calls.map((c) => c.status), [400, 400, 200]);
    assert.ok(calls[1].at - calls[0].at >= 475 && calls[2].at - calls[1].at >= 475, 'drained after each throttle: a full interval before the retry');
    assert.deepEqual(calls[2].body, calls[0].body, 'the retry is the same request');
  });

  test('throttled beyond the attempts: the error surfaces', async () => {
    loopback.cloudTrail.records = managementRecords(3);
    loopback.cloudTrail.throttleNext = 5;
    const client = createCloudTrailClient(connection({ maxAttempts: 2 }), unpaced());
    try {
      await assert.rejects(lookupEvents({ ...connection(), client }), { name: 'ThrottlingException' });
    } finally {
      client.destroy();
    }
    assert.equal(loopback.calls('LookupEvents').length, 2);
  });

  test('one lookup attribute is sent (the API takes one); the others are matched on the results', async () => {
    const records = managementRecords(60);
    loopback.cloudTrail.records = records;
    const client = createCloudTrailClient(connection(), unpaced());
    try {
      const result = await lookupEvents({ ...connection(), client, attributes: [{ key: 'EventSource', value: 'kms.amazonaws.com' }, { key: 'ReadOnly', value: 'true' }] });
      const expected = records.filter((r) => r.readOnly === true && r.eventSource === 'kms.amazonaws.com').map((r) => r.eventID).reverse();
      assert.ok(expected.length > 0 && expected.length < records.length);
      assert.deepEqual(result.events.map((e) => e.id), expected);
      const bodies = loopback.calls('LookupEvents').map((c) => c.body.LookupAttributes);
      assert.ok(bodies.length > 0);
      for (const body of bodies) assert.deepEqual(body, [{ AttributeKey: 'EventSource', AttributeValue: 'kms.amazonaws.com' }]);
    } finally {
      client.destroy();
    }
  });

  test('LookupEvents\' own Resources are merged into the events\' resources', async () => {
    const record = managementRecords(1)[0];
    loopback.cloudTrail.records = [{ ...record, resources: [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::from-summary' }] }];
    loopback.cloudTrail.mangle = (item) => ({ ...item, CloudTrailEvent: JSON.stringify(record) });
    const client = createCloudTrailClient(connection(), unpaced());
    try {
      const result = await lookupEvents({ ...connection(), client });
      assert.ok(result.events[0].resources.some((r) => r.arn === 'arn:aws:s3:::from-summary' && r.type === 'AWS::S3::Bucket'));
    } finally {
      client.destroy();
    }
  });

  test('Insights events with EventCategory insight', async () => {
    const [start, end] = generator.insightPair({ account: '111122223333', region: 'us-east-1', time: t0 });
    loopback.cloudTrail.records = [...managementRecords(5), start, end];
    const client = createCloudTrailClient(connection(), unpaced());
    try {
      const result = await lookupEvents({ ...connection(), client, eventCategory: 'insight' });
      assert.deepEqual(result.events.map((e) => e.category), ['Insight', 'Insight']);
      assert.equal(loopback.calls('LookupEvents')[0].body.EventCategory, 'insight');
    } finally {
      client.destroy();
    }
  });

  test('maxEvents stops early and says more were left; onPage sees each page', async () => {
    loopback.cloudTrail.records = managementRecords(120);
    const client = createCloudTrailClient(connection(), unpaced());
    const pages: number[] = [];
    try {
      const result = await lookupEvents({ ...connection(), client, maxEvents: 70, onPage: (events) => { pages.push(events.length); } });
      assert.equal(result.events.length, 70);
      assert.equal(result.truncated, true);
      assert.deepEqual(pages, [50, 20]);
      assert.equal(loopback.calls('LookupEvents').length, 2);
    } finally {
      client.destroy();
    }
  });

  test('a CloudTrailEvent that is not JSON is a problem naming the page and item; the rest are read', async () => {
    const records = managementRecords(3);
    loopback.cloudTrail.records = records;
    loopback.cloudTrail.mangle = (item) => (item.EventId === records[1].eventID ? { ...item, CloudTrailEvent: '{"eventID": <script>' } : item);
    const client = createCloudTrailClient(connection(), unpaced());
    try {
      const result = await lookupEvents({ ...connection(), client });
      assert.equal(result.events.length, 2);
      assert.equal(result.problems.length, 1);
      assert.match(result.problems[0], new RegExp(`^LookupEvents us-east-1 page 1: Events\\[1\\]\\.CloudTrailEvent \\(EventId "${records[1].eventID}"\\): not valid JSON`));
    } finally {
      client.destroy();
    }
  });

  test('the server checks signatures for real: a wrong secret is refused', async () => {
    loopback.cloudTrail.records = managementRecords(1);
    const client = createCloudTrailClient(connection({ credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' }, maxAttempts: 1 }), unpaced());
    try {
      await assert.rejects(lookupEvents({ ...connection(), client }), { name: 'InvalidSignatureException' });
    } finally {
      client.destroy();
    }
    assert.deepEqual(loopback.violations, ['LookupEvents: signature does not match']);
    loopback.violations.length = 0;
  });

  test('bad arguments are refused before any request', async () => {
    const client = createCloudTrailClient(connection(), unpaced());
    try {
      await assert.rejects(lookupEvents({ ...connection(), client, pageSize: 51 }), RangeError);
      const aborted = new AbortController();
      aborted.abort();
      await assert.rejects(lookupEvents({ ...connection(), client, signal: aborted.signal }), { name: 'AbortError' });
    } finally {
      client.destroy();
    }
    assert.equal(loopback.calls('LookupEvents').length, 0);
  });
});

describe('polling', () => {
  /** Resolves with the next batch the poller delivers. */
  function batches() {
    const queue: AuditEvent[][] = [];
    let waiting: ((events: AuditEvent[]) => void) | undefined;
    return {
      onBatch(events: AuditEvent[]) {
        if (waiting) {
          waiting(events);
          waiting = undefined;
        } else {
          queue.push(events);
        }
      },
      next(): Promise<AuditEvent[]> {
        const queued = queue.shift();
        return queued ? Promise.resolve(queued) : new Promise((resolve) => { waiting = resolve; });
      },
    };
  }

  test('new events arrive once each, overlapping windows are deduplicated, and stop ends it', async () => {
    const now = t0 + 3_600_000;
    const early = managementRecords(4, now - 10 * 60_000);
    loopback.cloudTrail.records = [...early];
    const received = batches();
    const poller = startPolling({ ...connection(), intervalMs: 20, since: now - 30 * 60_000, overlapMs: 5 * 60_000, now: () => now, onBatch: received.onBatch, onError: (e) => assert.fail(e) });
    try {
      assert.deepEqual((await received.next()).map((e) => e.id), [...early].reverse().map((r) => r.eventID));
      // Later events, one of them older than the newest seen (CloudTrail shows events minutes late).
      const late = managementRecords(3, now - 7 * 60_000);
      loopback.cloudTrail.records.push(...late);
      const second = await received.next();
      assert.deepEqual(second.map((e) => e.id).sort(), late.map((r) => r.eventID).sort());
      assert.equal(poller.newest, Date.parse(String(early[3].eventTime)));
    } finally {
      await poller.stop();
    }
    const calls = loopback.calls('LookupEvents');
    assert.ok(calls.length >= 2);
    assert.equal(calls[0].body.StartTime, (now - 35 * 60_000) / 1000, 'the first poll starts at since − overlap');
    assert.equal(calls[calls.length - 1].body.StartTime, (Date.parse(String(early[3].eventTime)) - 5 * 60_000) / 1000, 'later polls start at newest − overlap');
    const count = loopback.calls('LookupEvents').length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(loopback.calls('LookupEvents').length, count, 'no request after stop');
  });

  test('a failed poll is reported and the next one carries on', async () => {
    loopback.cloudTrail.records = managementRecords(2);
    loopback.cloudTrail.throttleNext = 1;
    const received = batches();
    const errors: Error[] = [];
    let failed: () => void = () => undefined;
    const failedOnce = new Promise<void>((resolve) => { failed = resolve; });
    const client = createCloudTrailClient(connection({ maxAttempts: 1 }), unpaced());
    const poller = startPolling({
      ...connection(), client, intervalMs: 10, since: t0 - 60_000, onBatch: received.onBatch,
      onError: (error) => {
        errors.push(error);
        failed();
      },
    });
    try {
      await failedOnce;
      assert.match(errors[0].message, /^ThrottlingException: Rate exceeded \(HTTP 400\)$/);
      assert.equal((await received.next()).length, 2);
    } finally {
      await poller.stop();
      client.destroy();
    }
  });
});
