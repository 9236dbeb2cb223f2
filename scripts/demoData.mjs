// Writes the demo workspace's trace and CloudTrail files (examples/demo/traces, examples/demo/cloudtrail):
// deterministic, dated relative to today so the CodeLens window and "recent events" show them.
// Run `node scripts/demoData.mjs` to refresh them; npm start and the tests import these files.
// `node scripts/demoData.mjs DIR` writes them into DIR/traces and DIR/cloudtrail instead: the tests
// generate them into their copy of the demo, so a run never depends on when they were last made.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const target = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'demo'));

let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const hex = (n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
const now = Date.now();
const attr = (key, value) => ({ key, value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value } });

const spans = [];
for (let i = 0; i < 60; i++) {
  const traceId = hex(32);
  const root = hex(16);
  const start = BigInt(now - (60 - i) * 60_000) * 1_000_000n;
  const slow = i % 17 === 0;
  const failed = i % 20 === 7;
  const handlerMs = 20 + Math.floor(random() * 30) + (slow ? 400 : 0);
  const dynamoMs = 6 + Math.floor(random() * 8);
  const s3Ms = 10 + Math.floor(random() * 15) + (slow ? 350 : 0);
  const ns = (ms) => BigInt(Math.round(ms * 1e6));
  spans.push({
    traceId, spanId: root, name: 'handler', kind: 2,
    startTimeUnixNano: String(start), endTimeUnixNano: String(start + ns(handlerMs)),
    status: failed ? { code: 2, message: 'AccessDenied: s3:PutObject' } : { code: 1 },
    attributes: [attr('code.filepath', '/var/task/app.py'), attr('code.function', 'handler'), attr('code.lineno', 14), attr('faas.trigger', 'http'), attr('http.route', '/orders')],
    events: failed ? [{ name: 'exception', timeUnixNano: String(start + ns(handlerMs - 1)), attributes: [attr('exception.type', 'botocore.exceptions.ClientError'), attr('exception.message', 'An error occurred (AccessDenied) when calling the PutObject operation'), attr('exception.stacktrace', 'Traceback (most recent call last):\n  File "/var/task/app.py", line 17, in handler\n    s3.put_object(Bucket="demo-orders-archive", Key=key, Body=body)\nbotocore.exceptions.ClientError: An error occurred (AccessDenied)')] }] : [],
  }, {
    traceId, spanId: hex(16), parentSpanId: root, name: 'DynamoDB.PutItem', kind: 3,
    startTimeUnixNano: String(start + ns(2)), endTimeUnixNano: String(start + ns(2 + dynamoMs)), status: { code: 0 },
    attributes: [attr('rpc.system', 'aws-api'), attr('rpc.service', 'DynamoDB'), attr('rpc.method', 'PutItem'), attr('aws.dynamodb.table_names', 'orders'), attr('code.filepath', '/var/task/app.py'), attr('code.function', 'handler'), attr('code.lineno', 16)],
  }, {
    traceId, spanId: hex(16), parentSpanId: root, name: 'S3.PutObject', kind: 3,
    startTimeUnixNano: String(start + ns(3 + dynamoMs)), endTimeUnixNano: String(start + ns(3 + dynamoMs + s3Ms)),
    status: failed ? { code: 2, message: 'AccessDenied' } : { code: 0 },
    attributes: [attr('rpc.system', 'aws-api'), attr('rpc.service', 'S3'), attr('rpc.method', 'PutObject'), attr('aws.s3.bucket', 'demo-orders-archive'), attr('http.response.status_code', failed ? 403 : 200)],
  });
}
mkdirSync(join(target, 'traces'), { recursive: true });
writeFileSync(join(target, 'traces', 'orders-otlp.json'), JSON.stringify({
  resourceSpans: [{ resource: { attributes: [attr('service.name', 'orders-api'), attr('cloud.provider', 'aws'), attr('faas.name', 'orders-handler')] }, scopeSpans: [{ scope: { name: 'opentelemetry.instrumentation.aws_lambda' }, spans }] }],
}, null, 1));

const identity = {
  type: 'AssumedRole', principalId: 'AROAEXAMPLEROLE:deploy', arn: 'arn:aws:sts::123456789012:assumed-role/deploy-role/alice', accountId: '123456789012', accessKeyId: 'ASIAEXAMPLEDEMO00001',
  sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEROLE', arn: 'arn:aws:iam::123456789012:role/deploy-role', accountId: '123456789012', userName: 'deploy-role' }, attributes: { creationDate: new Date(now - 7_200_000).toISOString().replace(/\.\d+Z$/, 'Z'), mfaAuthenticated: 'false' } },
};
const lambda = { type: 'AssumedRole', principalId: 'AROAEXAMPLELAMBDA:orders-handler', arn: 'arn:aws:sts::123456789012:assumed-role/orders-handler-role/orders-handler', accountId: '123456789012', accessKeyId: 'ASIAEXAMPLEDEMO00002', sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLELAMBDA', arn: 'arn:aws:iam::123456789012:role/orders-handler-role', accountId: '123456789012', userName: 'orders-handler-role' } } };
const records = [];
const push = (minutesAgo, fields) => records.push({
  eventVersion: '1.09', eventID: `demo-${String(records.length).padStart(4, '0')}-${hex(8)}`, eventTime: new Date(now - minutesAgo * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
  awsRegion: 'eu-west-1', sourceIPAddress: '203.0.113.7', userAgent: 'aws-cli/2.15.30 Python/3.11.8', readOnly: false, managementEvent: true, eventCategory: 'Management', eventType: 'AwsApiCall',
  recipientAccountId: '123456789012', requestID: hex(16), userIdentity: identity, ...fields,
});
push(600, { eventSource: 's3.amazonaws.com', eventName: 'CreateBucket', requestParameters: { bucketName: 'demo-orders-archive' } });
push(590, { eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', requestParameters: { bucketName: 'demo-orders-archive', bucketPolicy: { Version: '2012-10-17' } } });
for (let i = 0; i < 14; i++) {
  push(240 - i * 12, {
    eventSource: 's3.amazonaws.com', eventName: 'PutObject', readOnly: false, managementEvent: false, eventCategory: 'Data', userIdentity: lambda, sourceIPAddress: 'lambda.amazonaws.com', userAgent: 'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux lang/python#3.12',
    requestParameters: { bucketName: 'demo-orders-archive', key: `orders/${1000 + i}.json` },
    resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::demo-orders-archive/orders/${1000 + i}.json` }, { accountId: '123456789012', type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::demo-orders-archive' }],
    ...(i % 3 === 0 ? { errorCode: 'AccessDenied', errorMessage: 'Access Denied' } : {}),
  });
}
push(45, { eventSource: 's3.amazonaws.com', eventName: 'PutBucketPublicAccessBlock', requestParameters: { bucketName: 'demo-orders-archive', PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false } } });
push(30, { eventSource: 's3.amazonaws.com', eventName: 'GetObject', readOnly: true, managementEvent: false, eventCategory: 'Data', userAgent: '<script>alert("ua")</script>', requestParameters: { bucketName: 'demo-invoices', key: 'inv-1.json' } });
push(20, { eventSource: 'dynamodb.amazonaws.com', eventName: 'PutItem', managementEvent: false, eventCategory: 'Data', userIdentity: lambda, requestParameters: { tableName: 'orders' } });
push(10, { eventSource: 's3.amazonaws.com', eventName: 'DeleteBucket', requestParameters: { bucketName: 'demo-orders-archive' }, errorCode: 'BucketNotEmpty', errorMessage: 'The bucket you tried to delete is not empty' });
mkdirSync(join(target, 'cloudtrail'), { recursive: true });
writeFileSync(join(target, 'cloudtrail', '123456789012_CloudTrail_eu-west-1_demo.json.gz'), gzipSync(JSON.stringify({ Records: records })));
console.log(`Wrote ${spans.length} spans and ${records.length} CloudTrail records into ${target}.`);
