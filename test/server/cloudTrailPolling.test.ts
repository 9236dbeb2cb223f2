// sightline.audit.lookupEvents: the server polls CloudTrail LookupEvents (here a loopback server
// that speaks the service's protocol and checks SigV4) and stores what it finds.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { auditChangedNotification, lookupAuditRequest } from '../../server/protocol';
import { AwsLoopback, TEST_CREDENTIALS } from '../support/awsLoopback';
import { LspClient } from '../support/lspClient';

let loopback: AwsLoopback;
let client: LspClient;

function record(i: number) {
  return {
    eventVersion: '1.09', eventID: `poll-${i}`, eventTime: new Date(Date.now() - (5 - i) * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    eventSource: 'dynamodb.amazonaws.com', eventName: i === 2 ? 'DeleteTable' : 'DescribeTable', awsRegion: 'eu-west-1', sourceIPAddress: '198.51.100.4',
    userAgent: 'aws-cli/2.15', readOnly: i !== 2, managementEvent: true, eventType: 'AwsApiCall', recipientAccountId: '123456789012',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::123456789012:user/carol', accountId: '123456789012', userName: 'carol' },
    requestParameters: { tableName: 'orders' },
  };
}

before(async () => {
  loopback = await AwsLoopback.start({ region: 'eu-west-1' });
  loopback.cloudTrail.records = [record(0), record(1), record(2)];
  // The server finds credentials through the SDK's provider chain, here its environment.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_EC2_METADATA_DISABLED: 'true' });
});
after(async () => {
  await client?.stop();
  await loopback.close();
});

test('enabled polling stores new CloudTrail events and tells the client', async () => {
  let resolveChanged!: () => void;
  const changed = new Promise<void>((resolve) => (resolveChanged = resolve));
  client = await LspClient.start({ settings: { audit: { lookupEvents: { enabled: true, region: 'eu-west-1', endpoint: loopback.endpoint, intervalMinutes: 0.05 } } } });
  client.connection.onNotification(auditChangedNotification, () => resolveChanged());
  await changed;
  const events = await client.connection.sendRequest(lookupAuditRequest, { resource: 'orders' });
  assert.deepEqual(events.map((e) => e.id), ['poll-2', 'poll-1', 'poll-0']);
  assert.ok(loopback.calls('LookupEvents').length >= 1);
  assert.deepEqual(loopback.violations, []);
});
