// AuditService over a real store: lookups by several attributes at once, who-changed, and the
// events of a code reference with its recent failures.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AuditService, auditTerm, describeChange } from '../../../server/audit/auditService';
import { toAuditEvent, type AuditEvent } from '../../../server/audit/model';
import { Store } from '../../../server/store/store';

const now = Date.parse('2026-11-20T12:00:00Z');

function record(i: number, fields: Record<string, unknown>): AuditEvent {
  const conversion = toAuditEvent({
    eventVersion: '1.09',
    eventID: `e-${i}`,
    eventTime: new Date(now - (100 - i) * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    awsRegion: 'eu-west-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15',
    readOnly: false,
    managementEvent: true,
    eventCategory: 'Management',
    eventType: 'AwsApiCall',
    recipientAccountId: '123456789012',
    userIdentity: {
      type: 'AssumedRole', principalId: 'AROAEXAMPLE:alice', arn: 'arn:aws:sts::123456789012:assumed-role/deploy-role/alice', accountId: '123456789012', accessKeyId: 'ASIAEXAMPLEKEY000001',
      sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: 'arn:aws:iam::123456789012:role/deploy-role', accountId: '123456789012', userName: 'deploy-role' }, attributes: { mfaAuthenticated: 'false', creationDate: '2026-11-20T10:00:00Z' } },
    },
    ...fields,
  });
  assert.ok(conversion.event, conversion.problem);
  return conversion.event;
}

test('lookups combine attributes, newest first; who-changed finds the writes; failures are counted', () => {
  const store = Store.open(mkdtempSync(join(tmpdir(), 'sightline-audit-')), { name: 'audit', durable: false, now: () => now });
  const audit = new AuditService(store);
  const events = [
    record(1, { eventSource: 's3.amazonaws.com', eventName: 'CreateBucket', requestParameters: { bucketName: 'demo-orders-archive' } }),
    record(2, { eventSource: 's3.amazonaws.com', eventName: 'GetBucketPolicy', readOnly: true, requestParameters: { bucketName: 'demo-orders-archive' } }),
    record(3, { eventSource: 's3.amazonaws.com', eventName: 'PutObject', managementEvent: false, eventCategory: 'Data', errorCode: 'AccessDenied', errorMessage: 'Access Denied', requestParameters: { bucketName: 'demo-orders-archive', key: 'a.json' } }),
    record(4, { eventSource: 's3.amazonaws.com', eventName: 'PutObject', managementEvent: false, eventCategory: 'Data', errorCode: 'AccessDenied', requestParameters: { bucketName: 'demo-orders-archive', key: 'b.json' } }),
    record(5, { eventSource: 's3.amazonaws.com', eventName: 'DeleteBucket', requestParameters: { bucketName: 'demo-orders-archive' } }),
    record(6, { eventSource: 'dynamodb.amazonaws.com', eventName: 'DeleteTable', requestParameters: { tableName: 'orders' }, userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::123456789012:user/bob', accountId: '123456789012', userName: 'bob', accessKeyId: 'AKIAEXAMPLEKEY000002' } }),
  ];
  assert.equal(audit.ingest(events).inserted, 6);
  assert.equal(audit.ingest(events.slice(0, 2)).duplicates, 2, 'eventID deduplicates');

  const ids = (q: Parameters<AuditService['lookup']>[0]) => audit.lookup(q).map((e) => e.id);
  assert.deepEqual(ids({ eventSource: 's3.amazonaws.com', user: 'alice', errorsOnly: true }), ['e-4', 'e-3']);
  assert.deepEqual(ids({ resource: 'demo-orders-archive', readOnly: true }), ['e-2']);
  assert.deepEqual(ids({ user: 'deploy-role', category: 'data' }), ['e-4', 'e-3']);
  assert.deepEqual(ids({ accessKey: 'AKIAEXAMPLEKEY000002' }), ['e-6']);
  assert.deepEqual(ids({ eventId: 'e-5' }), ['e-5']);
  assert.deepEqual(ids({ resource: 'orders', from: now - 95 * 60_000, to: now }), ['e-6']);
  assert.deepEqual(ids({ eventSource: 's3.amazonaws.com', limit: 2 }), ['e-5', 'e-4']);

  const [latest] = audit.whoChanged('demo-orders-archive');
  assert.equal(describeChange(latest), `DeleteBucket by alice (AssumedRole deploy-role) from 203.0.113.7 at ${new Date(now - 95 * 60_000).toISOString()}`);

  const put = audit.eventsFor({ all: [auditTerm.eventSource('s3.amazonaws.com'), auditTerm.eventName('PutObject')] }, 10, now - 86_400_000);
  assert.deepEqual([put.events.length, put.failures, [...put.failureCodes]], [2, 2, [['AccessDenied', 2]]]);
  store.close();
});
