import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { toAuditEvent, type AuditEvent, type CloudTrailRecord } from '../../../server/audit/model';
import { deriveResources, nameFromArn, resourceRuleTable } from '../../../server/audit/resources';
import { auditFixturesDir } from '../../support/paths';

const docs = join(auditFixturesDir, 'docs');

function recordsOf(file: string): CloudTrailRecord[] {
  return (JSON.parse(readFileSync(join(docs, file), 'utf8')) as { Records: CloudTrailRecord[] }).Records;
}

function convert(record: unknown, where?: string): AuditEvent {
  const result = toAuditEvent(record, where);
  assert.equal(result.problem, undefined, result.problem);
  return result.event!;
}

function base(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.09', eventTime: '2024-05-01T12:34:56Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject',
    eventID: '11111111-2222-4333-8444-555555555555', awsRegion: 'us-east-1', ...extra,
  };
}

describe('the documentation example records', () => {
  test('an IAM user starting two EC2 instances', () => {
    const [record] = recordsOf('ec2-start-instances-iam-user.json');
    const e = convert(record);
    assert.equal(e.id, 'e755e09c-42f9-4c5c-9064-EXAMPLE228c7');
    assert.equal(e.time, Date.UTC(2023, 6, 19, 21, 17, 28));
    assert.equal(e.eventName, 'StartInstances');
    assert.equal(e.eventSource, 'ec2.amazonaws.com');
    assert.equal(e.region, 'us-east-1');
    assert.equal(e.account, '123456789012');
    assert.deepEqual(e.identity, {
      type: 'IAMUser', name: 'Mateo', arn: 'arn:aws:iam::123456789012:user/Mateo', principalId: 'EXAMPLE6E4XEGITWATV6R',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE', accountId: '123456789012', mfa: false,
    });
    assert.equal(e.readOnly, false);
    assert.equal(e.management, true);
    assert.equal(e.category, 'Management');
    assert.equal(e.eventType, 'AwsApiCall');
    assert.equal(e.sourceIp, '192.0.2.0');
    assert.match(e.userAgent, /^aws-cli\/2\.13\.5 /);
    assert.equal(e.errorCode, undefined);
    // Both instances, from requestParameters (responseElements of StartInstances name the same ones).
    assert.deepEqual(e.resources, [
      { name: 'i-EXAMPLE56126103cb', type: 'AWS::EC2::Instance', arn: 'arn:aws:ec2:us-east-1:123456789012:instance/i-EXAMPLE56126103cb' },
      { name: 'i-EXAMPLEaff4840c22', type: 'AWS::EC2::Instance', arn: 'arn:aws:ec2:us-east-1:123456789012:instance/i-EXAMPLEaff4840c22' },
    ]);
    assert.equal(e.record, record, 'the record is the object read, not a copy');
  });

  test('an assumed role: session name, role, role ARN with its path, MFA', () => {
    const e = convert(recordsOf('iam-create-user-assumed-role.json')[0]);
    assert.equal(e.identity.type, 'AssumedRole');
    assert.equal(e.identity.name, 'paulo');
    assert.equal(e.identity.sessionName, 'paulo');
    assert.equal(e.identity.roleName, 'Admin');
    assert.equal(e.identity.roleArn, 'arn:aws:iam::123456789012:role/ops/Admin');
    assert.equal(e.identity.mfa, true);
    assert.equal(e.identity.accessKeyId, 'ASIAIOSFODNN7EXAMPLE');
    assert.deepEqual(e.resources, [{ name: 'Jane', type: 'AWS::IAM::User' }], 'no IAM ARN is guessed: users can have paths');
  });

  test('an AWS service event (no userIdentity.type) and an AWS service as the caller', () => {
    const rotate = convert(recordsOf('aws-service-event-kms-rotate.json')[0]);
    assert.equal(rotate.eventType, 'AwsServiceEvent');
    assert.equal(rotate.identity.type, '');
    assert.equal(rotate.identity.name, 'AWS Internal');
    assert.deepEqual(rotate.resources, [{ arn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-123456SAMPLE', name: '1234abcd-12ab-34cd-56ef-123456SAMPLE', type: 'AWS::KMS::Key' }]);

    const assume = convert(recordsOf('aws-service-caller-assume-role.json')[0]);
    assert.equal(assume.identity.type, 'AWSService');
    assert.equal(assume.identity.name, 'lambda.amazonaws.com');
    assert.equal(assume.identity.invokedBy, 'lambda.amazonaws.com');
    assert.equal(assume.identity.arn, '');
    assert.equal(assume.sourceIp, 'lambda.amazonaws.com');
    assert.deepEqual(assume.resources, [{ arn: 'arn:aws:iam::123456789012:role/service-role/orders-api-role', name: 'orders-api-role', type: 'AWS::IAM::Role' }]);
  });

  test('console sign-in: a failure without MFA and a root sign-in with MFA', () => {
    const failed = convert(recordsOf('console-sign-in-failure.json')[0]);
    assert.equal(failed.eventType, 'AwsConsoleSignIn');
    assert.equal(failed.identity.name, 'Mary_Major');
    assert.equal(failed.identity.arn, '');
    assert.equal(failed.identity.mfa, false);
    assert.equal(failed.errorMessage, 'Failed authentication');
    assert.equal(failed.errorCode, undefined, 'CloudTrail writes no errorCode for a failed sign-in; it is not made up');
    assert.deepEqual(failed.record.responseElements, { ConsoleLogin: 'Failure' });

    const root = convert(recordsOf('console-sign-in-root-mfa.json')[0]);
    assert.equal(root.identity.type, 'Root');
    assert.equal(root.identity.name, 'root');
    assert.equal(root.identity.mfa, true);
  });

  test('an error record keeps errorCode and errorMessage', () => {
    const e = convert(recordsOf('error-access-denied.json')[0]);
    assert.equal(e.errorCode, 'AccessDeniedException');
    assert.match(e.errorMessage!, /is not authorized to perform: cloudtrail:CreateTrail/);
    assert.deepEqual(e.resources, [{ name: 'myTrail', type: 'AWS::CloudTrail::Trail', arn: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/myTrail' }]);
  });

  test('Insights records: eventName/eventSource from insightDetails, category Insight, not management', () => {
    const [start, end] = recordsOf('insights-api-call-rate.json').map((r) => convert(r));
    for (const e of [start, end]) {
      assert.equal(e.eventName, 'UpdateInstanceAssociationStatus');
      assert.equal(e.eventSource, 'ssm.amazonaws.com');
      assert.equal(e.category, 'Insight');
      assert.equal(e.management, false);
      assert.equal(e.eventType, 'AwsCloudTrailInsight');
      assert.equal(e.identity.name, '');
      assert.equal(e.record.sharedEventID, 'EXAMPLE2-1729-42f1-b735-5d8c0EXAMPLE');
    }
    assert.equal(end.record.insightDetails?.state, 'End');
    assert.equal(end.record.insightDetails?.insightContext?.attributions?.length, 3);
  });
});

describe('identities', () => {
  test('a federated user is named by its ARN; its issuer is kept in the record', () => {
    const e = convert(base({
      userIdentity: {
        type: 'FederatedUser', principalId: '123456789012:Bob', arn: 'arn:aws:sts::123456789012:federated-user/Bob', accountId: '123456789012', accessKeyId: 'ASIAEXAMPLE',
        sessionContext: { sessionIssuer: { type: 'IAMUser', userName: 'broker', arn: 'arn:aws:iam::123456789012:user/broker' }, attributes: { mfaAuthenticated: 'false' } },
      },
    }));
    assert.equal(e.identity.type, 'FederatedUser');
    assert.equal(e.identity.name, 'Bob');
    assert.equal(e.identity.mfa, false);
  });

  test('an assumed role without a session issuer takes role and session from the ARN, else the principal id', () => {
    const fromArn = convert(base({ userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/deploy/gh-run-7', principalId: 'AROAX:gh-run-7' } }));
    assert.deepEqual([fromArn.identity.name, fromArn.identity.roleName, fromArn.identity.sessionName, fromArn.identity.roleArn], ['gh-run-7', 'deploy', 'gh-run-7', undefined]);
    const fromPrincipal = convert(base({ userIdentity: { type: 'AssumedRole', principalId: 'AROAX:only-session' } }));
    assert.equal(fromPrincipal.identity.name, 'only-session');
  });

  test('AWSAccount, IdentityCenterUser and unknown types get the most telling name', () => {
    assert.equal(convert(base({ userIdentity: { type: 'AWSAccount', principalId: 'AIDAX', accountId: '999988887777' } })).identity.name, '999988887777');
    assert.equal(convert(base({ userIdentity: { type: 'IdentityCenterUser', accountId: '1', onBehalfOf: { userId: 'u-123', identityStoreArn: 'arn:x' } } })).identity.name, 'u-123');
    assert.equal(convert(base({ userIdentity: { type: 'SAMLUser', principalId: 'SAMLX', userName: 'jane@example.com' } })).identity.name, 'jane@example.com');
    assert.equal(convert(base({ userIdentity: { type: 'Unknown', principalId: 'only-principal' } })).identity.name, 'only-principal');
  });

  test('account: recipientAccountId first, else the caller\'s', () => {
    assert.equal(convert(base({ recipientAccountId: '111122223333', userIdentity: { type: 'IAMUser', accountId: '444455556666', userName: 'a' } })).account, '111122223333');
    assert.equal(convert(base({ userIdentity: { type: 'IAMUser', accountId: '444455556666', userName: 'a' } })).account, '444455556666');
    assert.equal(convert(base()).account, '');
  });
});

describe('validation', () => {
  test('a record missing eventID, eventTime, eventName or eventSource is skipped with a problem naming the fields and where', () => {
    const result = toAuditEvent({ eventVersion: '1.08', eventSource: 's3.amazonaws.com' }, 'trail.json.gz: Records[3]');
    assert.equal(result.event, undefined);
    assert.equal(result.problem, 'trail.json.gz: Records[3]: missing eventID, eventTime, eventName; skipped');
    const one = toAuditEvent(base({ eventName: undefined }), 'f.json: Records[0]');
    assert.equal(one.problem, 'f.json: Records[0]: missing eventName (eventID "11111111-2222-4333-8444-555555555555"); skipped');
  });

  test('wrong types and unreadable times are problems too', () => {
    assert.equal(toAuditEvent(base({ eventID: 42 }), 'r').problem, 'r: eventID is a number, not a string; skipped');
    assert.match(toAuditEvent(base({ eventTime: 'yesterday' }), 'r').problem!, /^r: eventTime "yesterday" is not an ISO 8601 time with a zone/);
    // Without a zone, Date.parse would read local time: refused rather than shifted.
    assert.match(toAuditEvent(base({ eventTime: '2024-05-01T12:34:56' }), 'r').problem!, /not an ISO 8601 time with a zone/);
    assert.equal(toAuditEvent('a string', 'r').problem, 'r: not a CloudTrail record: a string, not an object');
    assert.equal(toAuditEvent(null, 'r').problem, 'r: not a CloudTrail record: null, not an object');
    assert.equal(toAuditEvent([1], 'r').problem, 'r: not a CloudTrail record: an array, not an object');
  });

  test('times with offsets and fractions are read', () => {
    assert.equal(convert(base({ eventTime: '2024-05-01T14:34:56+02:00' })).time, Date.UTC(2024, 4, 1, 12, 34, 56));
    assert.equal(convert(base({ eventTime: '2024-05-01T12:34:56.789Z' })).time, Date.UTC(2024, 4, 1, 12, 34, 56, 789));
  });

  test('eventVersion 1.0–1.11 is read quietly; others are read with a remark', () => {
    for (const version of ['1.0', '1.01', '1.02', '1.05', '1.08', '1.09', '1.10', '1.11']) {
      const result = toAuditEvent(base({ eventVersion: version }));
      assert.ok(result.event, version);
      assert.equal(result.remark, undefined, version);
    }
    for (const [version, shown] of [['1.12', 'eventVersion "1.12"'], ['2.0', 'eventVersion "2.0"'], [undefined, 'no eventVersion'], [1.08, 'eventVersion 1.08']] as const) {
      const result = toAuditEvent(base({ eventVersion: version }), 'f: Records[0]');
      assert.ok(result.event, String(version));
      assert.equal(result.remark, `f: Records[0]: ${shown}, outside the 1.0–1.11 Sightline knows; read anyway`);
    }
  });

  test('readOnly and managementEvent as booleans or strings; category derived when missing', () => {
    assert.equal(convert(base({ readOnly: 'true' })).readOnly, true);
    assert.equal(convert(base({ readOnly: true })).readOnly, true);
    assert.equal(convert(base()).readOnly, false);
    const data = convert(base({ managementEvent: false }));
    assert.deepEqual([data.management, data.category], [false, 'Data']);
    const old = convert(base({ eventVersion: '1.05' }));
    assert.deepEqual([old.management, old.category], [true, 'Management']);
    const network = convert(base({ eventCategory: 'NetworkActivity', managementEvent: false }));
    assert.deepEqual([network.management, network.category], [false, 'NetworkActivity']);
  });
});

describe('hostile strings', () => {
  test('HTML, script, bidi controls and prototype keys are kept exactly and execute nothing', () => {
    const text = readFileSync(join(auditFixturesDir, 'hostile-strings.json'), 'utf8');
    const [record] = (JSON.parse(text) as { Records: CloudTrailRecord[] }).Records;
    const pristine = JSON.parse(text) as { Records: CloudTrailRecord[] };
    const e = convert(record);
    assert.equal(e.userAgent, "<script>alert('ua')</script><img src=x onerror=alert(1)> \u202egnp.exe ${7*7} {{constructor.constructor('alert(2)')()}}");
    assert.equal(e.identity.name, '<b>mallory</b>');
    const params = e.record.requestParameters as Record<string, unknown>;
    assert.equal(params.bucketName, 'orders"><svg onload=alert(3)>');
    assert.equal(params.key, '../../etc/passwd\u0000.json');
    assert.equal(params.note, '</script><!-- --> \u2028\u2029 \u{1F600} \\u003cscript\\u003e');
    assert.ok(Object.prototype.hasOwnProperty.call(params, '__proto__'), '__proto__ stays an own key');
    assert.deepEqual(Object.getOwnPropertyDescriptor(params, '__proto__')?.value, { polluted: 'yes' });
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted');
    assert.deepEqual(e.record, pristine.Records[0], 'the record is unchanged');
    assert.deepEqual(e.resources, [
      { name: 'orders"><svg onload=alert(3)>', type: 'AWS::S3::Bucket', arn: 'arn:aws:s3:::orders"><svg onload=alert(3)>' },
      { name: '../../etc/passwd\u0000.json', type: 'AWS::S3::Object', arn: 'arn:aws:s3:::orders"><svg onload=alert(3)>/../../etc/passwd\u0000.json' },
    ]);
  });
});

describe('resources', () => {
  const derive = (eventSource: string, requestParameters: unknown, extra: Record<string, unknown> = {}) =>
    deriveResources({ requestParameters, ...extra }, eventSource, 'eu-west-1', '123456789012');

  test('from the table of request parameters, with ARNs where the name fixes them', () => {
    assert.deepEqual(derive('dynamodb.amazonaws.com', { tableName: 'Orders' }), [{ name: 'Orders', type: 'AWS::DynamoDB::Table', arn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/Orders' }]);
    assert.deepEqual(derive('lambda.amazonaws.com', { functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:thumbs' }), [{ arn: 'arn:aws:lambda:eu-west-1:123456789012:function:thumbs', name: 'thumbs', type: 'AWS::Lambda::Function' }]);
    assert.deepEqual(derive('sqs.amazonaws.com', { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/210987654321/jobs' }), [{ name: 'jobs', type: 'AWS::SQS::Queue', arn: 'arn:aws:sqs:eu-west-1:210987654321:jobs' }]);
    assert.deepEqual(derive('sns.amazonaws.com', { topicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts', message: 'x' }), [{ arn: 'arn:aws:sns:eu-west-1:123456789012:alerts', name: 'alerts', type: 'AWS::SNS::Topic' }]);
    assert.deepEqual(derive('iam.amazonaws.com', { roleName: 'deploy', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }), [
      { name: 'deploy', type: 'AWS::IAM::Role' },
      { arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess', type: 'AWS::IAM::ManagedPolicy' },
    ]);
    assert.deepEqual(derive('kms.amazonaws.com', { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }), [{ name: '1234abcd-12ab-34cd-56ef-1234567890ab', type: 'AWS::KMS::Key', arn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' }]);
    assert.deepEqual(derive('secretsmanager.amazonaws.com', { secretId: 'prod/db' }), [{ name: 'prod/db', type: 'AWS::SecretsManager::Secret' }]);
    assert.deepEqual(derive('ec2.amazonaws.com', { groupId: 'sg-1', ipPermissions: {} }), [{ name: 'sg-1', type: 'AWS::EC2::SecurityGroup', arn: 'arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1' }]);
    assert.deepEqual(derive('logs.amazonaws.com', { logGroupName: '/aws/lambda/thumbs' }), [{ name: '/aws/lambda/thumbs', type: 'AWS::Logs::LogGroup', arn: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/thumbs' }]);
    assert.deepEqual(derive('cloudformation.amazonaws.com', { stackName: 'app' }), [{ name: 'app', type: 'AWS::CloudFormation::Stack' }]);
  });

  test('created resources from responseElements: RunInstances and CreateAccessKey', () => {
    assert.deepEqual(derive('ec2.amazonaws.com', { instancesSet: { items: [{ imageId: 'ami-1' }] } }, { responseElements: { instancesSet: { items: [{ instanceId: 'i-new' }] } } }),
      [{ name: 'i-new', type: 'AWS::EC2::Instance', arn: 'arn:aws:ec2:eu-west-1:123456789012:instance/i-new' }]);
    assert.deepEqual(derive('iam.amazonaws.com', { userName: 'bob' }, { responseElements: { accessKey: { accessKeyId: 'AKIANEW' } } }),
      [{ name: 'bob', type: 'AWS::IAM::User' }, { name: 'AKIANEW', type: 'AWS::IAM::AccessKey' }]);
  });

  test('resources[] and derived ones are merged by ARN; any …Arn parameter holding an ARN counts', () => {
    const merged = derive('s3.amazonaws.com', { bucketName: 'b', key: 'k/1.json' }, {
      resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::b/k/1.json' }, { accountId: '1', type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::b' }],
    });
    assert.deepEqual(merged, [
      { arn: 'arn:aws:s3:::b/k/1.json', name: 'k/1.json', type: 'AWS::S3::Object' },
      { arn: 'arn:aws:s3:::b', name: 'b', type: 'AWS::S3::Bucket' },
    ]);
    assert.deepEqual(derive('states.amazonaws.com', { executionArn: 'arn:aws:states:eu-west-1:1:execution:sm:run1', input: 'arn:not-a-key' }),
      [{ arn: 'arn:aws:states:eu-west-1:1:execution:sm:run1', name: 'sm' }]);
    assert.deepEqual(derive('unknown.amazonaws.com', { bucketName: 'not-s3' }), [], 'the table is per eventSource');
    assert.deepEqual(derive('s3.amazonaws.com', null), []);
    assert.deepEqual(deriveResources({ requestParameters: { bucketName: 'b' } }, 's3.amazonaws.com', 'cn-north-1', '1'), [{ name: 'b', type: 'AWS::S3::Bucket', arn: 'arn:aws-cn:s3:::b' }]);
  });

  test('names from ARNs', () => {
    assert.equal(nameFromArn('arn:aws:s3:::bucket'), 'bucket');
    assert.equal(nameFromArn('arn:aws:s3:::bucket/a/b.txt'), 'a/b.txt');
    assert.equal(nameFromArn('arn:aws:dynamodb:us-east-1:1:table/Orders'), 'Orders');
    assert.equal(nameFromArn('arn:aws:lambda:us-east-1:1:function:fn:prod'), 'fn');
    assert.equal(nameFromArn('arn:aws:iam::1:role/service-role/r'), 'r');
    assert.equal(nameFromArn('arn:aws:sns:us-east-1:1:topic'), 'topic');
    assert.equal(nameFromArn('not-an-arn'), undefined);
    assert.equal(nameFromArn('arn:aws:s3'), undefined);
  });

  test('the table covers the common services', () => {
    const sources = new Set(resourceRuleTable().map((r) => r.eventSource));
    for (const source of ['s3', 'dynamodb', 'lambda', 'sqs', 'sns', 'iam', 'kms', 'secretsmanager', 'ec2', 'logs', 'cloudformation', 'cloudtrail', 'config', 'sts']) {
      assert.ok(sources.has(`${source}.amazonaws.com`), source);
    }
  });
});
