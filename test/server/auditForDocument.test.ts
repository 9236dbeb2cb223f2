// The Audit view's question over LSP: the events of the resources and calls in the open file.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { auditForDocumentRequest, importAuditRequest, lookupAuditRequest, whoChangedRequest } from '../../server/protocol';
import { LspClient } from '../support/lspClient';

const source = [
  'import boto3',
  '',
  's3 = boto3.client("s3")',
  '',
  '',
  'def archive(order):',
  '    s3.put_object(Bucket="demo-orders-archive", Key=order["id"], Body=b"{}")',
  '',
  '',
  'def purge():',
  '    s3.delete_bucket(Bucket="demo-orders-archive")',
  '',
].join('\n');

function record(i: number, eventName: string, extra: object = {}) {
  return {
    eventVersion: '1.09', eventID: `e-${i}`, eventTime: new Date(Date.now() - (10 - i) * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    eventSource: 's3.amazonaws.com', eventName, awsRegion: 'eu-west-1', sourceIPAddress: '203.0.113.7', userAgent: '<img src=x onerror=alert(1)>',
    readOnly: false, managementEvent: eventName !== 'PutObject', eventType: 'AwsApiCall', recipientAccountId: '123456789012',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012', userName: 'alice' },
    requestParameters: { bucketName: 'demo-orders-archive' },
    ...extra,
  };
}

let client: LspClient;
let uri: string;
before(async () => {
  const root = mkdtempSync(join(tmpdir(), 'sightline-audit-doc-'));
  writeFileSync(join(root, 'trail.json'), JSON.stringify({ Records: [
    record(1, 'PutObject', { errorCode: 'AccessDenied', errorMessage: 'Access Denied' }),
    record(2, 'PutObject', { errorCode: 'AccessDenied', errorMessage: 'Access Denied' }),
    record(3, 'PutObject'),
    record(4, 'DeleteBucket'),
  ] }));
  client = await LspClient.start({ rootPath: root });
  const imported = await client.connection.sendRequest(importAuditRequest, { paths: [join(root, 'trail.json')] });
  assert.equal(imported.inserted, 4, imported.problems.join('\n'));
  uri = join(root, 'app.py');
  uri = `file://${uri}`;
  await client.open(uri, 'python', source);
});
after(async () => {
  await client.stop();
});

test('the events of each call and resource in the file, with recent failures', async () => {
  const result = await client.connection.sendRequest(auditForDocumentRequest, { uri });
  assert.equal(result.storedEvents, 4);
  const byTitle = Object.fromEntries(result.groups.map((g) => [g.title, g]));
  const bucket = Object.values(byTitle).find((g) => g.kind === 'resource' && g.title.includes('demo-orders-archive'))!;
  assert.deepEqual(bucket.lines, [6, 10]);
  assert.deepEqual(bucket.events.map((e) => e.id), ['e-4', 'e-3', 'e-2', 'e-1']);
  const put = result.groups.find((g) => g.kind === 'call' && g.title.startsWith('PutObject'))!;
  assert.deepEqual([put.events.length, put.failures, put.failureCodes], [3, 2, [{ code: 'AccessDenied', count: 2 }]]);
  assert.equal(put.events[0].userAgent, '<img src=x onerror=alert(1)>', 'kept verbatim for the client to render as text');
});

test('hover on an AWS call shows its last events and failures; lookups and who-changed answer too', async () => {
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 6, character: 8 } });
  const value = (hover?.contents as MarkupContent).value;
  assert.match(value, /CloudTrail events for PutObject/);
  assert.match(value, /2 failed in the last 24 h: AccessDenied ×2/);
  const errors = await client.connection.sendRequest(lookupAuditRequest, { eventSource: 's3.amazonaws.com', user: 'alice', errorsOnly: true });
  assert.deepEqual(errors.map((e) => e.id), ['e-2', 'e-1']);
  const changed = await client.connection.sendRequest(whoChangedRequest, { resource: 'demo-orders-archive' });
  assert.match(changed.lines[0], /^DeleteBucket by alice from 203\.0\.113\.7 at /);
});
