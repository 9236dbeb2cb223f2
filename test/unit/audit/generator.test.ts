import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { toAuditEvent } from '../../../server/audit/model';
import { CloudTrailGenerator, writeLogTree } from '../../support/cloudTrailGenerator';

type Json = Record<string, unknown>;

const scratch = mkdtempSync(join(tmpdir(), 'sightline-audit-generator-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const start = Date.parse('2026-01-05T00:00:00Z');
const sample = new CloudTrailGenerator(3).records(40_000, { account: '111122223333', region: 'us-east-1', start, end: start + 7 * 86_400_000 });

function share(predicate: (r: Json) => boolean): number {
  return sample.filter(predicate).length / sample.length;
}

describe('generated records', () => {
  test('every record is a valid CloudTrail record of a known version', () => {
    for (const record of sample) {
      const result = toAuditEvent(record);
      assert.equal(result.problem, undefined, result.problem);
      assert.equal(result.remark, undefined, result.remark);
    }
    assert.equal(new Set(sample.map((r) => r.eventID)).size, sample.length, 'eventIDs are unique');
  });

  test('the five identity types, with their documented shapes', () => {
    const byType = new Map<string, Json[]>();
    for (const r of sample) {
      const type = String((r.userIdentity as Json).type);
      byType.set(type, [...(byType.get(type) ?? []), r]);
    }
    assert.deepEqual([...byType.keys()].sort(), ['AWSService', 'AssumedRole', 'FederatedUser', 'IAMUser', 'Root']);
    const assumed = byType.get('AssumedRole')![0].userIdentity as Json;
    assert.match(String(assumed.arn), /^arn:aws:sts::111122223333:assumed-role\/[^/]+\/[^/]+$/);
    assert.equal(((assumed.sessionContext as Json).sessionIssuer as Json).type, 'Role');
    const service = byType.get('AWSService')![0];
    assert.deepEqual(Object.keys(service.userIdentity as Json), ['type', 'invokedBy']);
    assert.equal(service.sourceIPAddress, (service.userIdentity as Json).invokedBy);
    const federated = byType.get('FederatedUser')![0].userIdentity as Json;
    assert.match(String(federated.arn), /:federated-user\//);
    assert.equal(((federated.sessionContext as Json).sessionIssuer as Json).type, 'IAMUser');
    assert.ok(share((r) => (r.userIdentity as Json).type === 'AssumedRole') > 0.4);
    assert.ok(share((r) => (r.userIdentity as Json).type === 'Root') < 0.05);
  });

  test('the events the detections and lookups need, at realistic rates', () => {
    const names = new Set(sample.map((r) => `${String(r.eventSource).split('.')[0]}:${String(r.eventName)}`));
    for (const name of [
      's3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:DeleteBucket', 's3:PutBucketPolicy', 's3:PutBucketPublicAccessBlock',
      'dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:DeleteTable', 'lambda:Invoke', 'lambda:UpdateFunctionCode20150331v2',
      'iam:CreateAccessKey', 'iam:AttachRolePolicy', 'iam:PutUserPolicy', 'iam:DeleteRole', 'ec2:RunInstances', 'ec2:AuthorizeSecurityGroupIngress',
      'ec2:CreateRoute', 'kms:DisableKey', 'kms:ScheduleKeyDeletion', 'sts:AssumeRole', 'signin:ConsoleLogin', 'cloudtrail:StopLogging',
      'cloudtrail:UpdateTrail', 'config:StopConfigurationRecorder',
    ]) assert.ok(names.has(name), name);
    assert.ok([...names].some((n) => n.startsWith('organizations:')));
    const data = sample.filter((r) => r.eventCategory === 'Data');
    assert.ok(data.length / sample.length > 0.3, 'data events are the bulk, as in real accounts');
    assert.ok(data.every((r) => r.managementEvent === false && Array.isArray(r.resources)));
    assert.ok(sample.some((r) => r.eventName === 'AuthorizeSecurityGroupIngress' && JSON.stringify(r.requestParameters).includes('"cidrIp":"0.0.0.0/0"')));
    const logins = sample.filter((r) => r.eventName === 'ConsoleLogin');
    assert.ok(logins.some((r) => (r.additionalEventData as Json).MFAUsed === 'No') && logins.some((r) => (r.additionalEventData as Json).MFAUsed === 'Yes'));
    assert.ok(logins.some((r) => r.errorMessage === 'Failed authentication' && (r.responseElements as Json).ConsoleLogin === 'Failure'));
    const denied = share((r) => typeof r.errorCode === 'string' && /AccessDenied|UnauthorizedOperation/.test(r.errorCode));
    assert.ok(denied > 0.01 && denied < 0.03, `access denied ${denied}`);
    assert.ok(share((r) => r.errorCode === 'ThrottlingException') > 0.001);
    assert.ok(sample.some((r) => r.errorCode === 'NoSuchBucket'));
    assert.ok(sample.filter((r) => r.errorCode).every((r) => r.responseElements === null));
  });

  test('global services only in us-east-1', () => {
    const west = new CloudTrailGenerator(4).records(5_000, { account: '111122223333', region: 'eu-west-1', start, end: start + 86_400_000 });
    assert.ok(west.every((r) => !['iam.amazonaws.com', 'signin.amazonaws.com', 'organizations.amazonaws.com'].includes(String(r.eventSource)) && r.awsRegion === 'eu-west-1'));
  });

  test('Insights pairs: Start and End sharing a sharedEventID, statistics and attributions on End', () => {
    const [begin, end] = new CloudTrailGenerator(5).insightPair({ account: '111122223333', region: 'us-east-1', time: start, durationMinutes: 7 });
    assert.equal(begin.sharedEventID, end.sharedEventID);
    assert.deepEqual([(begin.insightDetails as Json).state, (end.insightDetails as Json).state], ['Start', 'End']);
    assert.equal(Date.parse(String(end.eventTime)) - Date.parse(String(begin.eventTime)), 7 * 60_000);
    const context = (end.insightDetails as Json).insightContext as Json;
    assert.equal((context.statistics as Json).insightDuration, 7);
    assert.equal((context.attributions as Json[]).length, 3);
    assert.equal(toAuditEvent(end).event?.category, 'Insight');
  });
});

describe('log trees', () => {
  test('the same seed writes the same bytes; another seed does not', async () => {
    const digest = async (dir: string, seed: number) => {
      const tree = await writeLogTree(dir, { accounts: 2, regions: 2, days: 1, filesPerDay: 4, recordsPerFile: 30, seed, insights: true, digests: true, concurrency: 3 });
      const hash = createHash('sha256');
      for (const path of [...tree.files, ...tree.digests].sort()) hash.update(relative(dir, path)).update(readFileSync(path));
      return { hash: hash.digest('hex'), tree };
    };
    const a = await digest(join(scratch, 'a'), 7);
    const b = await digest(join(scratch, 'b'), 7);
    const c = await digest(join(scratch, 'c'), 8);
    assert.equal(a.hash, b.hash);
    assert.notEqual(a.hash, c.hash);
    assert.equal(a.tree.files.length, 2 * 2 * (4 + 1));
    assert.equal(a.tree.digests.length, 2 * 2);
    assert.equal(a.tree.records, 2 * 2 * (4 * 30 + 2));
    const name = relative(join(scratch, 'a'), a.tree.files.find((f) => f.includes('/CloudTrail/'))!);
    assert.match(name, /^AWSLogs\/111122223333\/CloudTrail\/(eu-west-1|us-east-1)\/2026\/01\/05\/111122223333_CloudTrail_\1_20260105T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/);
    const first = JSON.parse(gunzipSync(readFileSync(a.tree.files[0])).toString('utf8')) as { Records: Json[] };
    assert.ok(Array.isArray(first.Records) && first.Records.length > 0);
  });
});
