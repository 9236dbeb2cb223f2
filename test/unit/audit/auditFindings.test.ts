// The Insights & detections cache over a real store: its answer is the CLI's (detectInsights and
// runDetections over the same events), it is anchored at the newest stored event, and it reads
// again only the days whose events changed.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AuditFindingsCache, findingsWindowDays } from '../../../server/audit/auditFindings';
import { AuditService } from '../../../server/audit/auditService';
import { runDetections } from '../../../server/audit/detections';
import { detectInsights } from '../../../server/audit/insights';
import { toAuditEvent, type AuditEvent } from '../../../server/audit/model';
import { Store } from '../../../server/store/store';
import { CloudTrailGenerator } from '../../support/cloudTrailGenerator';

const DAY = 86_400_000;
const MINUTE = 60_000;
const account = '111122223333';
const region = 'us-east-1';
// Two months before "now", as logs imported for an investigation are.
const end = Date.parse('2026-09-20T15:30:00Z');
const now = end + 60 * DAY;

function convert(record: unknown): AuditEvent {
  const conversion = toAuditEvent(record);
  assert.ok(conversion.event, conversion.problem);
  return conversion.event;
}

function openService(): AuditService {
  const store = Store.open(mkdtempSync(join(tmpdir(), 'sightline-findings-')), { name: 'audit', durable: false, retention: { maxAgeMs: Infinity }, now: () => now });
  return new AuditService(store);
}

/** Three weeks of the usual mix, a burst of failing SendCommand calls and a root sign-in. */
function scenario(): AuditEvent[] {
  const generator = new CloudTrailGenerator(5);
  const burstStart = end - (end % MINUTE) - 3 * 3_600_000;
  return [
    ...generator.records(6000, { account, region, start: end - 21 * DAY, end }),
    ...generator.errorBurst({ account, region, time: burstStart, minutes: 3, perMinute: 30, eventSource: 'ssm.amazonaws.com', eventName: 'SendCommand', errorCode: 'AccessDenied' }),
    generator.rootConsoleLogin({ account, region, time: end - 2 * 3_600_000 }),
  ].map(convert);
}

test('the answer is what the CLI computes over the window, anchored at the newest stored event', async () => {
  const service = openService();
  const events = scenario();
  service.ingest(events);
  const findings = await new AuditFindingsCache(service).findings(now);

  const newest = Math.max(...events.map((e) => e.time));
  const from = newest - (newest % DAY) - (findingsWindowDays - 1) * DAY;
  assert.deepEqual([findings.from, findings.to, findings.storedEvents], [from, newest, events.length]);
  assert.equal(findings.events, events.filter((e) => e.time >= from).length);
  assert.equal(findings.historyFrom, Math.min(...events.filter((e) => e.time >= from - 7 * DAY).map((e) => e.time)));

  const expectedInsights = detectInsights(service.between(from - 7 * DAY, newest), { now }).filter((i) => i.end >= from);
  assert.deepEqual(findings.insights.map((i) => i.id), expectedInsights.map((i) => i.id));
  assert.ok(findings.insights.some((i) => i.type === 'ApiErrorRateInsight' && i.eventName === 'SendCommand' && i.errorCode === 'AccessDenied'));
  const burst = findings.insights.find((i) => i.type === 'ApiErrorRateInsight' && i.eventName === 'SendCommand')!;
  const expected = expectedInsights.find((i) => i.id === burst.id)!;
  assert.deepEqual(burst.identities, expected.attributions.identities.map((a) => ({ value: a.value, insightAverage: a.insight.average, baselineAverage: a.baseline.average, insightShare: a.insight.share })));

  const hits = runDetections(events.filter((e) => e.time >= from));
  const counts = new Map<string, number>();
  for (const hit of hits) counts.set(hit.detectionId, (counts.get(hit.detectionId) ?? 0) + 1);
  assert.deepEqual(new Map(findings.detections.map((d) => [d.id, d.count])), counts);
  for (const d of findings.detections) {
    const mine = hits.filter((h) => h.detectionId === d.id).sort((a, b) => b.time - a.time);
    assert.deepEqual(d.samples.map((s) => s.time), mine.slice(0, 5).map((h) => h.time), d.id);
    assert.deepEqual([d.firstSeen, d.lastSeen], [mine.at(-1)!.time, mine[0].time], d.id);
  }
  assert.equal(findings.detections.find((d) => d.id === 'cis-4.3-root-account-usage')?.samples[0].summary.startsWith('ConsoleLogin by the root user'), true);
});

test('a day is read again only when its events change; an unchanged store is not read at all', async () => {
  const service = openService();
  const events = scenario();
  service.ingest(events);
  const cache = new AuditFindingsCache(service);
  const first = await cache.findings(now);
  const window = events.filter((e) => e.time >= first.from - 7 * DAY).length;
  assert.equal(cache.lastRead, window, 'the first answer reads the window and its baseline week');

  assert.equal(await cache.findings(now), first, 'nothing changed: the same answer');
  assert.equal(cache.lastRead, 0);

  // A re-import of the same events stores nothing, so nothing is read.
  service.ingest(events.slice(0, 500));
  await cache.findings(now);
  assert.equal(cache.lastRead, 0);

  // One more root sign-in, five days before the newest event: that day alone is read.
  const day = first.to - (first.to % DAY) - 5 * DAY;
  const login = convert(new CloudTrailGenerator(99).rootConsoleLogin({ account, region, time: day + 3_600_000 }));
  service.ingest([login]);
  const next = await cache.findings(now);
  assert.equal(cache.lastRead, events.filter((e) => e.time >= day && e.time < day + DAY).length + 1);
  const before = first.detections.find((d) => d.id === 'cis-4.3-root-account-usage')!.count;
  assert.equal(next.detections.find((d) => d.id === 'cis-4.3-root-account-usage')!.count, before + 1);
  assert.equal(next.events, first.events + 1);
});

test('requests that overlap share one reading and agree', async () => {
  const service = openService();
  service.ingest(scenario());
  const cache = new AuditFindingsCache(service);
  const [a, b] = await Promise.all([cache.findings(now), cache.findings(now)]);
  assert.equal(b, a);
  assert.equal(cache.lastRead, 0, 'the second waited for the first and found nothing to read');
});

test('an empty store has nothing to report', async () => {
  const findings = await new AuditFindingsCache(openService()).findings(now);
  assert.deepEqual({ ...findings, detectionsChecked: 0 }, { storedEvents: 0, from: now, to: now, events: 0, detectionsChecked: 0, detections: [], insights: [] });
  assert.ok(findings.detectionsChecked > 0);
});
