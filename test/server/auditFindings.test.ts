// The Audit view's Insights & detections over LSP: generated CloudTrail logs with a root console
// sign-in, a security group opened to the internet and a burst of AccessDenied are imported into the
// real server, and sightline/auditFindings names them, with samples that open as full records; a
// later import shows up in the next answer.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { auditChangedNotification, auditFindingsRequest, auditRecordRequest, importAuditRequest, type AuditFindings } from '../../server/protocol';
import { CloudTrailGenerator } from '../support/cloudTrailGenerator';
import { LspClient } from '../support/lspClient';

type Json = Record<string, unknown>;

const account = '111122223333';
const region = 'us-east-1';
const now = Date.now();
const minute = 60_000;
const burstStart = now - (now % minute) - 90 * minute;

const generator = new CloudTrailGenerator(11);
const background = generator.records(4000, { account, region, start: now - 3 * 86_400_000, end: now - 2 * 3_600_000 });
// After the background events, so they are the newest samples of their detections.
const rootLogin = generator.rootConsoleLogin({ account, region, time: now - 100 * minute });
const openGroup = generator.securityGroupOpenedToWorld({ account, region, time: now - 95 * minute, groupId: 'sg-0a1b2c3d4e5f60718' });
const burst = generator.errorBurst({ account, region, time: burstStart, minutes: 4, perMinute: 25, eventSource: 'ssm.amazonaws.com', eventName: 'SendCommand', errorCode: 'AccessDenied' });
const burstCaller = String((burst[0].userIdentity as Json).arn);

let client: LspClient;
let root: string;
let first: AuditFindings;

async function importRecords(name: string, records: Json[]): Promise<void> {
  const path = join(root, name);
  writeFileSync(path, JSON.stringify({ Records: records }));
  const imported = await client.connection.sendRequest(importAuditRequest, { paths: [path] });
  assert.equal(imported.inserted, records.length, imported.problems.join('\n'));
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'sightline-audit-findings-'));
  client = await LspClient.start({ rootPath: root });
  await importRecords('trail.json', [...background, rootLogin, openGroup, ...burst]);
  first = await client.connection.sendRequest(auditFindingsRequest);
});

after(async () => {
  await client.stop();
});

test('detections name the root sign-in and the security group opened to the internet, with samples that open as records', async () => {
  const total = background.length + 2 + burst.length;
  assert.equal(first.storedEvents, total);
  assert.equal(first.events, total, 'every event is inside the two-week window');
  assert.ok(first.detectionsChecked >= 18);
  const severities = first.detections.map((d) => ['high', 'medium', 'low'].indexOf(d.severity));
  assert.deepEqual(severities, [...severities].sort((a, b) => a - b), 'most severe first');

  const rootUsage = first.detections.find((d) => d.id === 'cis-4.3-root-account-usage');
  assert.ok(rootUsage, JSON.stringify(first.detections.map((d) => d.id)));
  assert.equal(rootUsage.severity, 'high');
  assert.match(rootUsage.reference, /CIS AWS Foundations Benchmark v3\.0\.0, control 4\.3/);
  assert.match(rootUsage.rationale, /root user/);
  const login = rootUsage.samples.find((s) => s.eventId === rootLogin.eventID);
  assert.ok(login, 'the planted sign-in is among the newest samples');
  assert.match(login.summary, /^ConsoleLogin by the root user from /);
  assert.equal(login.eventName, 'ConsoleLogin');
  assert.ok(rootUsage.firstSeen <= login.time && login.time <= rootUsage.lastSeen);
  assert.ok(first.detections.find((d) => d.id === 'cis-4.2-console-sign-in-without-mfa')?.samples.some((s) => s.eventId === rootLogin.eventID));

  const open = first.detections.find((d) => d.id === 'ec2-security-group-open-to-world');
  const opened = open?.samples.find((s) => s.eventId === openGroup.eventID);
  assert.ok(opened, JSON.stringify(open));
  assert.equal(opened.resource, 'sg-0a1b2c3d4e5f60718');
  assert.match(opened.summary, /opened sg-0a1b2c3d4e5f60718 to 0\.0\.0\.0\/0 on tcp\/22$/);

  for (const d of first.detections) {
    assert.ok(d.samples.length > 0 && d.samples.length <= Math.min(5, d.count), d.id);
    const times = d.samples.map((s) => s.time);
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'samples newest first');
  }

  const record = (await client.connection.sendRequest(auditRecordRequest, { eventId: opened.eventId })) as Json;
  assert.equal(record.eventID, openGroup.eventID);
  assert.deepEqual(record.requestParameters, openGroup.requestParameters);
});

test('an error-rate insight names the burst: when, how far above its baseline, who, with what and which error', () => {
  const errors = first.insights.find((i) => i.type === 'ApiErrorRateInsight' && i.eventSource === 'ssm.amazonaws.com' && i.eventName === 'SendCommand');
  assert.ok(errors, JSON.stringify(first.insights.map((i) => i.id)));
  assert.deepEqual(
    { origin: errors.origin, errorCode: errors.errorCode, account: errors.account, region: errors.region, start: errors.start, end: errors.end, ongoing: errors.ongoing, insightAverage: errors.insightAverage, baselineAverage: errors.baselineAverage },
    { origin: 'detected', errorCode: 'AccessDenied', account, region, start: burstStart, end: burstStart + 4 * minute, ongoing: false, insightAverage: 25, baselineAverage: 0 },
  );
  assert.equal(errors.bucketMs, minute);
  assert.equal(errors.unusualFrom, 10, 'against a baseline of nothing, the least count that is ever unusual');
  assert.deepEqual(errors.identities.map((a) => [a.value, a.insightShare]), [[burstCaller, 1]]);
  assert.deepEqual(errors.errorCodes.map((a) => a.value), ['AccessDenied']);
  assert.deepEqual(errors.userAgents.map((a) => a.value), [burst[0].userAgent]);
  assert.ok(first.insights.some((i) => i.type === 'ApiCallRateInsight' && i.eventName === 'SendCommand'), 'failed writes are calls too');
  const starts = first.insights.map((i) => i.start);
  assert.deepEqual(starts, [...starts].sort((a, b) => a - b), 'oldest first');
});

test('events imported later are in the next answer, after the audit-changed notification', async () => {
  const changed = new Promise<{ events: number }>((resolve) => client.connection.onNotification(auditChangedNotification, resolve));
  const again = generator.rootConsoleLogin({ account, region, time: now - 30 * minute });
  await importRecords('later.json', [again]);
  assert.equal((await changed).events, first.storedEvents + 1);
  const next = await client.connection.sendRequest(auditFindingsRequest);
  const before = first.detections.find((d) => d.id === 'cis-4.3-root-account-usage')!;
  const after = next.detections.find((d) => d.id === 'cis-4.3-root-account-usage')!;
  assert.equal(after.count, before.count + 1);
  assert.equal(after.samples[0].eventId, again.eventID);
  assert.equal(after.lastSeen, Date.parse(String(again.eventTime)));
  assert.equal(next.events, first.events + 1);
});
