import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { detections, runDetections, type Detection } from '../../../server/audit/detections';
import { compileFilterPattern, FilterPatternError } from '../../../server/audit/detectionsFilterPattern';
import { toAuditEvent, type AuditEvent } from '../../../server/audit/model';
import { auditFixturesDir } from '../../support/paths';
import { CloudTrailGenerator } from '../../support/cloudTrailGenerator';

type Json = Record<string, unknown>;

const ACCOUNT = '123456789012';
const CLI = 'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off';

/** A record from the CloudTrail User Guide examples kept in test/fixtures/audit/docs. */
function documented(file: string): Json {
  return (JSON.parse(readFileSync(join(auditFixturesDir, 'docs', file), 'utf8')) as { Records: Json[] }).Records[0];
}

function iamUser(name = 'Mary_Major'): Json {
  return { type: 'IAMUser', principalId: 'AIDAJDPLRKLG7UEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, accountId: ACCOUNT, accessKeyId: 'AKIAIOSFODNN7EXAMPLE', userName: name };
}

function rootUser(extra: Json = {}): Json {
  return { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: 'ASIAIOSFODNN7EXAMPLE', ...extra };
}

let serial = 0;

/** A management API call shaped like the User Guide's examples; `fields` overrides any of it. */
function call(eventSource: string, eventName: string, fields: Json = {}): Json {
  serial++;
  return {
    eventVersion: '1.09',
    userIdentity: iamUser(),
    eventTime: '2024-05-01T12:34:56Z',
    eventSource,
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.10',
    userAgent: CLI,
    requestParameters: null,
    responseElements: null,
    requestID: `req-${serial}`,
    eventID: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    ...fields,
  };
}

/** A ConsoleLogin record shaped like the User Guide's sign-in examples. */
function consoleLogin(identity: Json, outcome: { success: boolean; mfa: boolean; errorMessage?: string }): Json {
  return call('signin.amazonaws.com', 'ConsoleLogin', {
    userIdentity: { ...identity, accessKeyId: '' },
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
    eventType: 'AwsConsoleSignIn',
    responseElements: { ConsoleLogin: outcome.success ? 'Success' : 'Failure' },
    additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: outcome.mfa ? 'Yes' : 'No' },
    ...(outcome.success ? {} : { errorMessage: outcome.errorMessage ?? 'Failed authentication' }),
  });
}

function ingress(groupId: string, permissions: Json[], fields: Json = {}): Json {
  return call('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', {
    userIdentity: iamUser('alice'),
    requestParameters: { groupId, ipPermissions: { items: permissions } },
    responseElements: { requestId: 'c2f0a1b3-EXAMPLE', _return: true },
    ...fields,
  });
}

function permission(protocol: string, fromPort: number, toPort: number, v4: string[], v6: string[] = []): Json {
  return {
    ipProtocol: protocol, fromPort, toPort, groups: {},
    ipRanges: v4.length ? { items: v4.map((cidrIp) => ({ cidrIp })) } : {},
    ipv6Ranges: v6.length ? { items: v6.map((cidrIpv6) => ({ cidrIpv6 })) } : {},
    prefixListIds: {},
  };
}

function publicAccessBlock(eventName: string, settings: Json | undefined, fields: Json = {}): Json {
  return call('s3.amazonaws.com', eventName, {
    requestParameters: {
      bucketName: 'orders-archive', Host: 'orders-archive.s3.us-east-1.amazonaws.com', publicAccessBlock: '',
      ...(settings ? { PublicAccessBlock: { PublicAccessBlockConfiguration: { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/', ...settings } } } : {}),
    },
    ...fields,
  });
}

const ALL_BLOCKED = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

function event(record: Json): AuditEvent {
  const result = toAuditEvent(record);
  assert.equal(result.problem, undefined, result.problem);
  return result.event!;
}

function detection(id: string): Detection {
  const found = detections.find((d) => d.id === id);
  assert.ok(found, `no detection ${id}`);
  return found;
}

/** For every detection: records it must match, and look-alikes it must not. */
const cases: Record<string, { matches: Json[]; nearMisses: Json[] }> = {
  'cis-4.1-unauthorized-api-calls': {
    matches: [
      documented('error-access-denied.json'),
      call('ec2.amazonaws.com', 'RunInstances', { errorCode: 'Client.UnauthorizedOperation', errorMessage: 'You are not authorized to perform this operation.' }),
      call('s3.amazonaws.com', 'PutBucketPolicy', { errorCode: 'AccessDenied', errorMessage: 'Access Denied' }),
    ],
    nearMisses: [
      call('s3.amazonaws.com', 'HeadBucket', { errorCode: 'AccessDenied', readOnly: true }),
      call('s3.amazonaws.com', 'PutObject', { userIdentity: { type: 'AWSService', invokedBy: 'delivery.logs.amazonaws.com' }, sourceIPAddress: 'delivery.logs.amazonaws.com', errorCode: 'AccessDenied' }),
      call('dynamodb.amazonaws.com', 'PutItem', { errorCode: 'ThrottlingException' }),
      call('ec2.amazonaws.com', 'RunInstances', { errorCode: 'client.unauthorizedoperation' }),
    ],
  },
  'cis-4.2-console-sign-in-without-mfa': {
    matches: [
      consoleLogin(iamUser('Mateo'), { success: true, mfa: false }),
      consoleLogin(iamUser('Mateo'), { success: false, mfa: false }),
    ],
    nearMisses: [
      documented('console-sign-in-root-mfa.json'),
      consoleLogin(iamUser('Mateo'), { success: true, mfa: true }),
      call('iam.amazonaws.com', 'ListUsers', { readOnly: true }),
    ],
  },
  'cis-4.3-root-account-usage': {
    matches: [
      documented('console-sign-in-root-mfa.json'),
      call('iam.amazonaws.com', 'CreateAccessKey', { userIdentity: rootUser() }),
    ],
    nearMisses: [
      call('iam.amazonaws.com', 'GetAccountSummary', { userIdentity: rootUser({ invokedBy: 'support.amazonaws.com' }), readOnly: true }),
      call('kms.amazonaws.com', 'RotateKey', { userIdentity: rootUser(), eventType: 'AwsServiceEvent' }),
      documented('aws-service-event-kms-rotate.json'),
      call('iam.amazonaws.com', 'CreateAccessKey'),
    ],
  },
  'cis-4.4-iam-policy-changes': {
    matches: [
      call('iam.amazonaws.com', 'PutUserPolicy', { requestParameters: { userName: 'bob', policyName: 'inline-s3', policyDocument: '{"Version":"2012-10-17","Statement":[]}' } }),
      call('iam.amazonaws.com', 'AttachRolePolicy', { requestParameters: { roleName: 'deploy-role', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }),
      call('iam.amazonaws.com', 'CreatePolicyVersion', { requestParameters: { policyArn: `arn:aws:iam::${ACCOUNT}:policy/deploy`, setAsDefault: true } }),
    ],
    nearMisses: [
      documented('iam-create-user-assumed-role.json'),
      call('iam.amazonaws.com', 'SetDefaultPolicyVersion', { requestParameters: { policyArn: `arn:aws:iam::${ACCOUNT}:policy/deploy`, versionId: 'v2' } }),
      call('iam.amazonaws.com', 'GetPolicy', { readOnly: true }),
    ],
  },
  'cis-4.5-cloudtrail-configuration-changes': {
    matches: [
      call('cloudtrail.amazonaws.com', 'StopLogging', { requestParameters: { name: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/management-events` } }),
      call('cloudtrail.amazonaws.com', 'StartLogging', { userIdentity: { ...iamUser(), invokedBy: 'signin.amazonaws.com' }, userAgent: 'signin.amazonaws.com', requestParameters: { name: `arn:aws:cloudtrail:us-east-2:${ACCOUNT}:trail/My-First-Trail` } }),
      documented('error-access-denied.json'),
    ],
    nearMisses: [
      call('cloudtrail.amazonaws.com', 'GetTrailStatus', { readOnly: true }),
      call('cloudtrail.amazonaws.com', 'PutEventSelectors', { requestParameters: { trailName: 'management-events', eventSelectors: [] } }),
    ],
  },
  'cis-4.6-console-authentication-failures': {
    matches: [documented('console-sign-in-failure.json')],
    nearMisses: [
      consoleLogin(iamUser('Mateo'), { success: true, mfa: true }),
      consoleLogin(iamUser('Mateo'), { success: false, mfa: false, errorMessage: 'No username found in supplied account' }),
    ],
  },
  'cis-4.7-kms-key-disabled-or-scheduled-deletion': {
    matches: [
      call('kms.amazonaws.com', 'DisableKey', { requestParameters: { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' } }),
      call('kms.amazonaws.com', 'ScheduleKeyDeletion', { requestParameters: { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', pendingWindowInDays: 7 } }),
    ],
    nearMisses: [
      call('kms.amazonaws.com', 'DisableKeyRotation', { requestParameters: { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' } }),
      call('kms.amazonaws.com', 'CancelKeyDeletion', { requestParameters: { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' } }),
    ],
  },
  'cis-4.8-s3-bucket-policy-changes': {
    matches: [
      call('s3.amazonaws.com', 'PutBucketPolicy', { requestParameters: { bucketName: 'orders-archive', policy: '' } }),
      call('s3.amazonaws.com', 'DeleteBucketCors', { requestParameters: { bucketName: 'orders-archive', cors: '' } }),
    ],
    nearMisses: [
      call('s3.amazonaws.com', 'GetBucketPolicy', { readOnly: true, requestParameters: { bucketName: 'orders-archive', policy: '' } }),
      publicAccessBlock('PutBucketPublicAccessBlock', ALL_BLOCKED),
    ],
  },
  'cis-4.9-aws-config-changes': {
    matches: [call('config.amazonaws.com', 'StopConfigurationRecorder', { requestParameters: { configurationRecorderName: 'default' } })],
    nearMisses: [call('config.amazonaws.com', 'StartConfigurationRecorder', { requestParameters: { configurationRecorderName: 'default' } })],
  },
  'cis-4.10-security-group-changes': {
    matches: [
      ingress('sg-0123', [permission('tcp', 443, 443, ['10.0.0.0/8'])]),
      call('ec2.amazonaws.com', 'CreateSecurityGroup', { requestParameters: { groupName: 'web', groupDescription: 'web tier', vpcId: 'vpc-0abc' } }),
    ],
    nearMisses: [
      call('ec2.amazonaws.com', 'DescribeSecurityGroups', { readOnly: true }),
      call('ec2.amazonaws.com', 'ModifySecurityGroupRules', { requestParameters: { ModifySecurityGroupRulesRequest: { GroupId: 'sg-0123' } } }),
    ],
  },
  'cis-4.11-nacl-changes': {
    matches: [call('ec2.amazonaws.com', 'CreateNetworkAclEntry', { requestParameters: { networkAclId: 'acl-0abc', ruleNumber: 100, egress: false, ruleAction: 'allow', cidrBlock: '0.0.0.0/0' } })],
    nearMisses: [call('ec2.amazonaws.com', 'DescribeNetworkAcls', { readOnly: true })],
  },
  'cis-4.12-network-gateway-changes': {
    matches: [call('ec2.amazonaws.com', 'AttachInternetGateway', { requestParameters: { internetGatewayId: 'igw-0abc', vpcId: 'vpc-0abc' } })],
    nearMisses: [call('ec2.amazonaws.com', 'CreateNatGateway', { requestParameters: { subnetId: 'subnet-0abc', allocationId: 'eipalloc-0abc' } })],
  },
  'cis-4.13-route-table-changes': {
    matches: [call('ec2.amazonaws.com', 'CreateRoute', { requestParameters: { routeTableId: 'rtb-0abc', destinationCidrBlock: '0.0.0.0/0', gatewayId: 'igw-0abc' } })],
    nearMisses: [call('ec2.amazonaws.com', 'AssociateRouteTable', { requestParameters: { routeTableId: 'rtb-0abc', subnetId: 'subnet-0abc' } })],
  },
  'cis-4.14-vpc-changes': {
    matches: [
      call('ec2.amazonaws.com', 'CreateVpcPeeringConnection', { requestParameters: { vpcId: 'vpc-0abc', peerVpcId: 'vpc-0def' } }),
      call('ec2.amazonaws.com', 'ModifyVpcAttribute', { requestParameters: { vpcId: 'vpc-0abc', enableDnsHostnames: { value: true } } }),
    ],
    nearMisses: [call('ec2.amazonaws.com', 'CreateSubnet', { requestParameters: { vpcId: 'vpc-0abc', cidrBlock: '10.0.1.0/24' } })],
  },
  'cis-4.15-organizations-changes': {
    matches: [
      call('organizations.amazonaws.com', 'LeaveOrganization'),
      call('organizations.amazonaws.com', 'AttachPolicy', { requestParameters: { policyId: 'p-examplepolicyid111', targetId: 'ou-examplerootid111-exampleouid111' } }),
    ],
    nearMisses: [
      call('iot.amazonaws.com', 'AttachPolicy', { requestParameters: { policyName: 'thing-policy', target: 'arn:aws:iot:us-east-1:123456789012:cert/abc' } }),
      call('organizations.amazonaws.com', 'DescribeOrganization', { readOnly: true }),
    ],
  },
  'ec2-security-group-open-to-world': {
    matches: [
      ingress('sg-0123', [permission('tcp', 22, 22, ['0.0.0.0/0'])]),
      ingress('sg-0456', [permission('tcp', 443, 443, ['10.0.0.0/8'], ['::/0'])]),
      call('ec2.amazonaws.com', 'ModifySecurityGroupRules', {
        requestParameters: { ModifySecurityGroupRulesRequest: { GroupId: 'sg-0789', SecurityGroupRule: { tag: 1, SecurityGroupRuleId: 'sgr-0abc', SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, CidrIpv4: '0.0.0.0/0' } } } },
        responseElements: { ModifySecurityGroupRulesResponse: { return: true } },
      }),
    ],
    nearMisses: [
      ingress('sg-0123', [permission('tcp', 22, 22, ['10.0.0.0/8'])]),
      ingress('sg-0123', [permission('tcp', 22, 22, ['0.0.0.0/0'])], { errorCode: 'Client.UnauthorizedOperation', responseElements: null }),
      call('ec2.amazonaws.com', 'AuthorizeSecurityGroupEgress', { requestParameters: { groupId: 'sg-0123', ipPermissions: { items: [permission('-1', 0, 0, ['0.0.0.0/0'])] } } }),
    ],
  },
  's3-public-access-block-weakened': {
    matches: [
      publicAccessBlock('PutBucketPublicAccessBlock', { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false }),
      publicAccessBlock('DeleteBucketPublicAccessBlock', undefined),
      call('s3.amazonaws.com', 'PutAccountPublicAccessBlock', { requestParameters: { PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } } }),
    ],
    nearMisses: [
      publicAccessBlock('PutBucketPublicAccessBlock', ALL_BLOCKED),
      publicAccessBlock('PutBucketPublicAccessBlock', { ...ALL_BLOCKED, RestrictPublicBuckets: false }, { errorCode: 'AccessDenied', errorMessage: 'Access Denied' }),
      publicAccessBlock('GetBucketPublicAccessBlock', undefined, { readOnly: true }),
    ],
  },
  'iam-access-key-created': {
    matches: [
      call('iam.amazonaws.com', 'CreateAccessKey', {
        requestParameters: { userName: 'bob' },
        responseElements: { accessKey: { userName: 'bob', accessKeyId: 'AKIAI44QH8DHBEXAMPLE', status: 'Active', createDate: 'May 1, 2024 12:34:56 PM' } },
      }),
    ],
    nearMisses: [
      call('iam.amazonaws.com', 'CreateAccessKey', { requestParameters: { userName: 'bob' }, errorCode: 'AccessDenied', errorMessage: 'User is not authorized to perform: iam:CreateAccessKey' }),
      call('iam.amazonaws.com', 'UpdateAccessKey', { requestParameters: { userName: 'bob', accessKeyId: 'AKIAI44QH8DHBEXAMPLE', status: 'Inactive' } }),
    ],
  },
};

describe('the detection table', () => {
  test('every detection has a unique id, a title, a reference and a rationale', () => {
    assert.equal(new Set(detections.map((d) => d.id)).size, detections.length);
    for (const d of detections) {
      assert.ok(d.title && d.reference && d.rationale.length > 80, d.id);
      assert.ok(['high', 'medium', 'low'].includes(d.severity), d.id);
    }
  });

  test('the CIS v3.0.0 monitoring controls 4.1–4.15, in order, each running its published filter pattern', () => {
    const cis = detections.filter((d) => d.id.startsWith('cis-'));
    assert.deepEqual(cis.map((d) => d.id.split('-')[1]), Array.from({ length: 15 }, (_, i) => `4.${i + 1}`));
    for (const d of cis) {
      assert.match(d.reference, /^CIS AWS Foundations Benchmark v3\.0\.0, control 4\.\d+$/);
      assert.match(d.filterPattern ?? '', /^\{.*\}$/);
    }
  });

  test('the IAM policy filter lists the 16 policy APIs', () => {
    assert.equal(detection('cis-4.4-iam-policy-changes').filterPattern!.match(/\$\.eventName=/g)!.length, 16);
    assert.equal(detection('cis-4.4-iam-policy-changes').eventNames?.size, 16);
  });

  test('the eventNames each detection can match, read from its pattern', () => {
    const names = (id: string) => (detection(id).eventNames ? [...detection(id).eventNames!].sort() : undefined);
    assert.equal(names('cis-4.1-unauthorized-api-calls'), undefined);
    assert.equal(names('cis-4.3-root-account-usage'), undefined);
    assert.deepEqual(names('cis-4.2-console-sign-in-without-mfa'), ['ConsoleLogin']);
    assert.deepEqual(names('cis-4.7-kms-key-disabled-or-scheduled-deletion'), ['DisableKey', 'ScheduleKeyDeletion']);
    assert.equal(names('cis-4.15-organizations-changes')?.length, 18);
    assert.deepEqual(names('iam-access-key-created'), ['CreateAccessKey']);
  });

  test('every detection has matching records and look-alikes in this file', () => {
    assert.deepEqual(Object.keys(cases).sort(), detections.map((d) => d.id).sort());
  });
});

describe('each detection against matching records and near misses', () => {
  for (const [id, { matches, nearMisses }] of Object.entries(cases)) {
    test(id, () => {
      const d = detection(id);
      assert.ok(matches.length > 0 && nearMisses.length > 0);
      for (const record of matches) assert.equal(d.matches(event(record)), true, `should match ${String(record.eventName)} ${JSON.stringify(record.requestParameters ?? null)}`);
      for (const record of nearMisses) assert.equal(d.matches(event(record)), false, `should not match ${String(record.eventName)} ${JSON.stringify(record.requestParameters ?? null)}`);
    });
  }
});

describe('the benchmark patterns read as CloudWatch reads them', () => {
  test('4.1: && binds tighter than ||, so the HeadBucket and log-delivery exclusions cover AccessDenied* only', () => {
    const d = detection('cis-4.1-unauthorized-api-calls');
    assert.equal(d.matches(event(call('s3.amazonaws.com', 'HeadBucket', { errorCode: 'Client.UnauthorizedOperation' }))), true);
    assert.equal(d.matches(event(call('s3.amazonaws.com', 'HeadBucket', { errorCode: 'AccessDenied' }))), false);
  });

  test('4.4 does not check eventSource: Organizations CreatePolicy counts as an IAM policy change', () => {
    assert.equal(detection('cis-4.4-iam-policy-changes').matches(event(call('organizations.amazonaws.com', 'CreatePolicy'))), true);
  });

  test('4.3: invokedBy set to null still exists, so NOT EXISTS is false', () => {
    assert.equal(detection('cis-4.3-root-account-usage').matches(event(call('iam.amazonaws.com', 'ListUsers', { userIdentity: rootUser({ invokedBy: null }) }))), false);
  });
});

describe('hits', () => {
  test('a security group opened to the world, in one line', () => {
    const record = ingress('sg-0123', [permission('tcp', 22, 22, ['0.0.0.0/0'])]);
    const e = event(record);
    const hits = runDetections([e]);
    assert.deepEqual(hits.map((h) => h.detectionId), ['cis-4.10-security-group-changes', 'ec2-security-group-open-to-world']);
    assert.deepEqual(hits[1], {
      detectionId: 'ec2-security-group-open-to-world',
      severity: 'high',
      eventId: e.id,
      time: Date.parse('2024-05-01T12:34:56Z'),
      who: 'alice',
      what: 'ec2:AuthorizeSecurityGroupIngress',
      resource: 'sg-0123',
      summary: 'AuthorizeSecurityGroupIngress by alice opened sg-0123 to 0.0.0.0/0 on tcp/22',
    });
  });

  test('several world-open rules, IPv6 and all traffic', () => {
    const hits = runDetections([
      event(ingress('sg-0123', [permission('tcp', 22, 22, ['0.0.0.0/0'], ['::/0']), permission('tcp', 8000, 8080, ['0.0.0.0/0'])])),
      event(ingress('sg-0456', [permission('-1', 0, 0, ['0.0.0.0/0'])])),
    ], [detection('ec2-security-group-open-to-world')]);
    assert.deepEqual(hits.map((h) => h.summary), [
      'AuthorizeSecurityGroupIngress by alice opened sg-0123 to 0.0.0.0/0 and ::/0 on tcp/22, tcp/8000-8080',
      'AuthorizeSecurityGroupIngress by alice opened sg-0456 to 0.0.0.0/0 on all traffic',
    ]);
  });

  test('summaries say what happened, to what, by whom', () => {
    const summary = (id: string, record: Json) => runDetections([event(record)], [detection(id)])[0]?.summary;
    assert.equal(summary('cis-4.3-root-account-usage', documented('console-sign-in-root-mfa.json')), 'ConsoleLogin by the root user from 192.0.2.0');
    assert.equal(summary('cis-4.1-unauthorized-api-calls', documented('error-access-denied.json')), 'CreateTrail by Mary_Major was refused: AccessDeniedException');
    assert.equal(summary('cis-4.6-console-authentication-failures', documented('console-sign-in-failure.json')), 'ConsoleLogin failed for Mary_Major from 192.0.2.0');
    assert.equal(summary('cis-4.2-console-sign-in-without-mfa', consoleLogin(iamUser('Mateo'), { success: true, mfa: false })), 'ConsoleLogin by Mateo without MFA from 192.0.2.10');
    assert.equal(summary('cis-4.7-kms-key-disabled-or-scheduled-deletion', call('kms.amazonaws.com', 'DisableKey', {
      requestParameters: { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' },
      resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` }],
    })), 'DisableKey by Mary_Major on 1234abcd-12ab-34cd-56ef-1234567890ab');
    assert.equal(summary('s3-public-access-block-weakened', publicAccessBlock('PutBucketPublicAccessBlock', { ...ALL_BLOCKED, BlockPublicPolicy: 'false', RestrictPublicBuckets: false })),
      'PutBucketPublicAccessBlock by Mary_Major left BlockPublicPolicy, RestrictPublicBuckets off for orders-archive');
    assert.equal(summary('s3-public-access-block-weakened', publicAccessBlock('DeleteBucketPublicAccessBlock', undefined)),
      'DeleteBucketPublicAccessBlock by Mary_Major removed the public access block of orders-archive');
    assert.equal(summary('s3-public-access-block-weakened', call('s3.amazonaws.com', 'PutAccountPublicAccessBlock', { requestParameters: { PublicAccessBlockConfiguration: { ...ALL_BLOCKED, IgnorePublicAcls: false } } })),
      `PutAccountPublicAccessBlock by Mary_Major left IgnorePublicAcls off for account ${ACCOUNT}`);
    assert.equal(summary('iam-access-key-created', cases['iam-access-key-created'].matches[0]), 'CreateAccessKey by Mary_Major created AKIAI44QH8DHBEXAMPLE for bob');
    assert.equal(summary('iam-access-key-created', call('iam.amazonaws.com', 'CreateAccessKey', { userIdentity: rootUser(), requestParameters: null, responseElements: { accessKey: { accessKeyId: 'AKIAROOTKEYEXAMPLE00', status: 'Active' } } })),
      'CreateAccessKey by root created AKIAROOTKEYEXAMPLE00 for the root user');
  });

  test('hits come in event order, each event through the table in order', () => {
    const records = [documented('console-sign-in-root-mfa.json'), documented('error-access-denied.json'), documented('iam-create-user-assumed-role.json')];
    const hits = runDetections(records.map(event));
    assert.deepEqual(hits.map((h) => [h.eventId, h.detectionId]), [
      ['deb1e1f9-c99b-4612-8e9f-EXAMPLE2cb1d', 'cis-4.3-root-account-usage'],
      ['4c8a1b7e-3f2d-4e6c-9a0b-EXAMPLE1d2c3', 'cis-4.1-unauthorized-api-calls'],
      ['4c8a1b7e-3f2d-4e6c-9a0b-EXAMPLE1d2c3', 'cis-4.5-cloudtrail-configuration-changes'],
    ]);
  });

  test('over generated traffic, the rare risky calls the generator plants are found', () => {
    const start = Date.parse('2026-01-05T00:00:00Z');
    const records = new CloudTrailGenerator(11).records(20_000, { account: '111122223333', region: 'us-east-1', start, end: start + 2 * 86_400_000 });
    const events = records.map(event);
    const hits = runDetections(events);
    const found = new Set(hits.map((h) => h.detectionId));
    for (const id of [
      'cis-4.1-unauthorized-api-calls', 'cis-4.2-console-sign-in-without-mfa', 'cis-4.3-root-account-usage', 'cis-4.4-iam-policy-changes',
      'cis-4.5-cloudtrail-configuration-changes', 'cis-4.6-console-authentication-failures', 'cis-4.7-kms-key-disabled-or-scheduled-deletion',
      'cis-4.8-s3-bucket-policy-changes', 'cis-4.9-aws-config-changes', 'cis-4.10-security-group-changes', 'cis-4.13-route-table-changes',
      'cis-4.15-organizations-changes', 'ec2-security-group-open-to-world', 's3-public-access-block-weakened', 'iam-access-key-created',
    ]) assert.ok(found.has(id), `no ${id} hit in generated traffic`);
    const byId = new Map(events.map((e) => [e.id, e]));
    for (const hit of hits) {
      assert.ok(!/[\r\n]/.test(hit.summary), hit.summary);
      assert.equal(byId.get(hit.eventId)?.time, hit.time);
    }
    // Each generated security-group opening to the world is on SSH.
    for (const hit of hits.filter((h) => h.detectionId === 'ec2-security-group-open-to-world')) assert.match(hit.summary, / to 0\.0\.0\.0\/0( and ::\/0)? on tcp\/22$/);
    // Putting each event only to the detections its eventName allows loses nothing.
    const everyDetection = events.flatMap((e) => detections.filter((d) => d.matches(e)).map((d) => `${e.id} ${d.id}`));
    assert.deepEqual(hits.map((h) => `${h.eventId} ${h.detectionId}`), everyDetection);
  });
});

describe('the filter pattern compiler', () => {
  const matches = (pattern: string, record: Json) => compileFilterPattern(pattern).matches(record);

  test('wildcards only at the start and end of a value; case-sensitive', () => {
    assert.equal(matches('{ $.errorCode = "*Operation" }', { errorCode: 'Client.UnauthorizedOperation' }), true);
    assert.equal(matches('{ $.errorCode = "Access*" }', { errorCode: 'AccessDeniedException' }), true);
    assert.equal(matches('{ $.errorCode = "*Denied*" }', { errorCode: 'AccessDeniedException' }), true);
    assert.equal(matches('{ $.errorCode = "Access*Exception" }', { errorCode: 'AccessDeniedException' }), false);
    assert.equal(matches('{ $.errorCode = "Access*Exception" }', { errorCode: 'Access*Exception' }), true);
    assert.equal(matches('{ $.errorCode = AccessDenied }', { errorCode: 'accessdenied' }), false);
    assert.equal(matches('{ $.errorCode = * }', { errorCode: '' }), true);
  });

  test('a comparison needs a value node: missing, null, object and array fields make = and != false', () => {
    for (const record of [{}, { a: null }, { a: { b: 1 } }, { a: ['x'] }]) {
      assert.equal(matches('{ $.a = "x" }', record), false, JSON.stringify(record));
      assert.equal(matches('{ $.a != "x" }', record), false, JSON.stringify(record));
    }
    assert.equal(matches('{ $.a != "x" }', { a: 'y' }), true);
    assert.equal(matches('{ $.a = 5 }', { a: 5 }), true);
    assert.equal(matches('{ $.a.b = 5 }', { a: 'not an object' }), false);
  });

  test('NOT EXISTS: absent only, not null', () => {
    assert.equal(matches('{ $.a.b NOT EXISTS }', { a: {} }), true);
    assert.equal(matches('{ $.a.b NOT EXISTS }', {}), true);
    assert.equal(matches('{ $.a.b NOT EXISTS }', { a: { b: null } }), false);
    assert.equal(matches('{ $.a.b NOT EXISTS }', { a: { b: 'x' } }), false);
  });

  test('() > && > ||', () => {
    const record = { a: '1', b: '2', c: '3' };
    assert.equal(matches('{ $.a = 1 || $.b = 0 && $.c = 0 }', record), true);
    assert.equal(matches('{ ($.a = 1 || $.b = 0) && $.c = 0 }', record), false);
    assert.equal(matches('{ $.a = 0 || $.b = 2 && $.c = 3 }', record), true);
  });

  test('which eventNames a pattern allows', () => {
    const names = (pattern: string) => {
      const eventNames = compileFilterPattern(pattern).eventNames;
      return eventNames && [...eventNames].sort();
    };
    assert.deepEqual(names('{ $.eventName = A && $.x = 1 || $.eventName = B }'), ['A', 'B']);
    assert.deepEqual(names('{ ($.eventName = A || $.eventName = B) && ($.eventName = B || $.eventName = C) }'), ['B']);
    assert.equal(names('{ $.eventName = A || $.x = 1 }'), undefined);
    assert.equal(names('{ $.eventName = "A*" }'), undefined);
    assert.equal(names('{ $.eventName != A }'), undefined);
    assert.equal(names('{ $.requestParameters.eventName = A }'), undefined);
  });

  test('text outside the supported subset is refused, with where', () => {
    for (const bad of ['$.a = 1', '{ $.a = 1', '{ $.a > 1 }', '{ $.a = "x }', '{ a = 1 }', '{ $.a = 1 } extra', '{ ($.a = 1 }', '{ $.a IS NULL }']) {
      assert.throws(() => compileFilterPattern(bad), FilterPatternError, bad);
    }
  });
});
