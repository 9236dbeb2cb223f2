// Deterministic (seeded) CloudTrail records with the documented fields and shapes, and log trees in
// the layout CloudTrail delivers to S3. The same seed and options always give the same bytes.
//
// Identities: IAMUser, AssumedRole (with sessionContext and sessionIssuer), Root, AWSService
// (invokedBy), FederatedUser. Events: a weighted mix of what accounts really log — lots of S3 and
// DynamoDB data events, KMS Decrypt, AssumeRole and Describe calls; rarely the writes detections
// look for (DeleteBucket, PutBucketPolicy, security groups opened to 0.0.0.0/0, StopLogging,
// ScheduleKeyDeletion, console logins without MFA…). Errors at realistic rates: AccessDenied about
// 2 %, throttling 0.5 %, NoSuchBucket 1 % of S3 calls, console login failures 8 %. Global services
// (IAM, sign-in, Organizations) appear only in us-east-1, as CloudTrail delivers them.

import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzip as gzipCallback } from 'node:zlib';

type Json = Record<string, unknown>;

/** mulberry32: small, fast, and good enough for test data. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chars(alphabet: string, length: number): string {
    const codes = new Array<number>(length);
    for (let i = 0; i < length; i++) codes[i] = alphabet.charCodeAt(Math.floor(this.next() * alphabet.length));
    return String.fromCharCode(...codes);
  }

  /** 8 hex digits from one draw. */
  private hex8(): string {
    return Math.floor(this.next() * 4294967296).toString(16).padStart(8, '0');
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.hex8();
    return out.slice(0, length);
  }

  uuid(): string {
    const a = this.hex8();
    const b = this.hex8();
    const c = this.hex8();
    const d = this.hex8();
    return `${a}-${b.slice(0, 4)}-4${b.slice(5)}-${'89ab'[this.int(4)]}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }
}

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function weighted<T>(rng: Rng, items: readonly (readonly [T, number])[], total: number): T {
  let x = rng.next() * total;
  for (const [item, weight] of items) {
    x -= weight;
    if (x < 0) return item;
  }
  return items[items.length - 1][0];
}

function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

// ── Identities ──────────────────────────────────────────────────────────────────────────────────

type IdentityKind = 'IAMUser' | 'AssumedRole' | 'Root' | 'AWSService' | 'FederatedUser';

interface Caller {
  userIdentity: Json;
  sourceIPAddress: string;
  userAgent: string;
  console: boolean;
  service?: string;
}

interface AccountActors {
  users: { name: string; id: string; key: string }[];
  roles: { name: string; id: string; path: string; sessions: string[] }[];
  rootId: string;
}

const USER_NAMES = ['alice', 'bob', 'carol', 'dave', 'ci-deployer', 'terraform'];
const ROLES = [
  { name: 'deploy-role', path: '/', sessions: ['github-actions-8123', 'alice', 'codepipeline-4411'] },
  { name: 'lambda-exec-role', path: '/service-role/', sessions: ['orders-api', 'thumbnailer', 'nightly-report'] },
  { name: 'ReadOnlyAuditor', path: '/', sessions: ['audit-session', 'bob'] },
  { name: 'AWSReservedSSO_AdministratorAccess_4f2d9c1e7a6b5d3c', path: '/aws-reserved/sso.amazonaws.com/', sessions: ['alice@example.com', 'carol@example.com'] },
];
const SERVICES = ['ec2.amazonaws.com', 'lambda.amazonaws.com', 'cloudformation.amazonaws.com', 'autoscaling.amazonaws.com', 'config.amazonaws.com'];
const IPS = ['192.0.2.10', '192.0.2.77', '198.51.100.23', '198.51.100.200', '203.0.113.7', '203.0.113.54'];
const AGENTS = [
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off command/s3.cp',
  'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69',
  'aws-sdk-js/3.540.0 ua/2.1 os/linux#5.10.213 lang/js md/nodejs#20.11.1 api/s3#3.540.0',
  'aws-sdk-java/2.25.16 Linux/5.10.213 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy',
  'Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.43.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.1',
];
const CONSOLE_AGENT = 'AWS Internal';
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36';

// ── Events ──────────────────────────────────────────────────────────────────────────────────────

interface Context {
  rng: Rng;
  account: string;
  region: string;
  partition: string;
}

interface EventShape {
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  data?: boolean;
  eventType?: string;
  requestParameters: Json | null;
  responseElements?: Json | null;
  additionalEventData?: Json;
  resources?: Json[];
  /** Which error codes this call may fail with (from the AccessDenied / throttling / not-found families). */
  errors?: 'access' | 'ec2' | 's3' | 'none';
  /** Fixed kinds of caller; otherwise the usual mix. */
  callers?: IdentityKind[];
  /** A global service's event: CloudTrail delivers it in us-east-1. */
  global?: boolean;
  /** A console sign-in that failed. */
  failed?: boolean;
}

type Template = (c: Context) => EventShape;

const BUCKETS = ['orders-archive', 'app-assets-prod', 'data-lake-raw', 'cloudtrail-logs-central', 'build-artifacts'];
const KEYS = ['2026/01/05/orders-000123.json', 'images/logo.png', 'reports/q4/summary.csv', 'releases/app-1.4.2.zip', 'tmp/upload-7781.bin'];
const TABLES = ['Orders', 'Customers', 'Sessions', 'FeatureFlags'];
const FUNCTIONS = ['orders-api', 'thumbnailer', 'nightly-report', 'payment-webhook'];
const KEY_IDS = ['1234abcd-12ab-34cd-56ef-1234567890ab', '0987dcba-09fe-87dc-65ba-ab0987654321', 'c1d2e3f4-5a6b-4c7d-8e9f-0a1b2c3d4e5f'];

function s3Data(eventName: string, readOnly: boolean): Template {
  return ({ rng, account, region, partition }) => {
    const bucket = rng.pick(BUCKETS);
    const key = rng.pick(KEYS);
    return {
      eventSource: 's3.amazonaws.com', eventName, readOnly, data: true, errors: 's3',
      requestParameters: { bucketName: bucket, Host: `${bucket}.s3.${region}.amazonaws.com`, key },
      responseElements: readOnly ? null : { 'x-amz-server-side-encryption': 'AES256' },
      additionalEventData: {
        SignatureVersion: 'SigV4', CipherSuite: 'TLS_AES_128_GCM_SHA256', bytesTransferredIn: readOnly ? 0 : 1024 + rng.int(1_000_000),
        AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 56), bytesTransferredOut: readOnly ? 1024 + rng.int(1_000_000) : 0,
      },
      resources: [
        { type: 'AWS::S3::Object', ARN: `arn:${partition}:s3:::${bucket}/${key}` },
        { accountId: account, type: 'AWS::S3::Bucket', ARN: `arn:${partition}:s3:::${bucket}` },
      ],
    };
  };
}

function s3Bucket(eventName: string, readOnly: boolean, extra: (c: Context, bucket: string) => Json = () => ({})): Template {
  return (c) => {
    const bucket = c.rng.pick(BUCKETS);
    return {
      eventSource: 's3.amazonaws.com', eventName, readOnly, errors: 's3',
      requestParameters: { bucketName: bucket, Host: `${bucket}.s3.${c.region}.amazonaws.com`, ...extra(c, bucket) },
      responseElements: null,
      additionalEventData: { SignatureVersion: 'SigV4', CipherSuite: 'TLS_AES_128_GCM_SHA256', bytesTransferredIn: 0, AuthenticationMethod: 'AuthHeader', bytesTransferredOut: 0 },
      resources: [{ accountId: c.account, type: 'AWS::S3::Bucket', ARN: `arn:${c.partition}:s3:::${bucket}` }],
    };
  };
}

const TEMPLATES: readonly (readonly [Template, number])[] = [
  [s3Data('GetObject', true), 220],
  [s3Data('PutObject', false), 90],
  [s3Data('DeleteObject', false), 12],
  [s3Bucket('ListObjects', true, () => ({ 'list-type': '2', prefix: '' })), 30],
  [s3Bucket('GetBucketAcl', true, () => ({ acl: '' })), 10],
  [s3Bucket('DeleteBucket', false), 1],
  [s3Bucket('PutBucketPolicy', false, ({ partition }, bucket) => ({
    bucketPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:${partition}:s3:::${bucket}/*` }] },
    policy: '',
  })), 1],
  [s3Bucket('PutBucketPublicAccessBlock', false, ({ rng }) => ({
    PublicAccessBlock: { PublicAccessBlockConfiguration: { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/', RestrictPublicBuckets: rng.chance(0.5), BlockPublicPolicy: rng.chance(0.5), BlockPublicAcls: rng.chance(0.5), IgnorePublicAcls: rng.chance(0.5) } },
    publicAccessBlock: '',
  })), 1],
  [({ rng, account, region, partition }) => {
    const table = rng.pick(TABLES);
    return {
      eventSource: 'dynamodb.amazonaws.com', eventName: 'PutItem', readOnly: false, data: true, errors: 'access',
      requestParameters: { tableName: table, key: { pk: `order#${rng.int(100000)}` }, returnValues: 'NONE' },
      responseElements: null,
      resources: [{ accountId: account, type: 'AWS::DynamoDB::Table', ARN: `arn:${partition}:dynamodb:${region}:${account}:table/${table}` }],
    };
  }, 70],
  [({ rng, account, region, partition }) => {
    const table = rng.pick(TABLES);
    return {
      eventSource: 'dynamodb.amazonaws.com', eventName: 'Scan', readOnly: true, data: true, errors: 'access',
      requestParameters: { tableName: table, limit: 100 },
      responseElements: null,
      resources: [{ accountId: account, type: 'AWS::DynamoDB::Table', ARN: `arn:${partition}:dynamodb:${region}:${account}:table/${table}` }],
    };
  }, 15],
  [({ rng }) => ({ eventSource: 'dynamodb.amazonaws.com', eventName: 'DescribeTable', readOnly: true, errors: 'access', requestParameters: { tableName: rng.pick(TABLES) }, responseElements: null }), 25],
  [({ rng }) => ({ eventSource: 'dynamodb.amazonaws.com', eventName: 'DeleteTable', readOnly: false, errors: 'access', requestParameters: { tableName: rng.pick(TABLES) }, responseElements: { tableDescription: { tableStatus: 'DELETING' } } }), 1],
  [({ rng, account, region, partition }) => {
    const arn = `arn:${partition}:lambda:${region}:${account}:function:${rng.pick(FUNCTIONS)}`;
    return {
      eventSource: 'lambda.amazonaws.com', eventName: 'Invoke', readOnly: false, data: true, errors: 'access',
      requestParameters: { functionName: arn, invocationType: 'RequestResponse', sourceArn: `arn:${partition}:execute-api:${region}:${account}:a1b2c3d4e5/prod/POST/orders` },
      responseElements: null,
      additionalEventData: { functionVersion: `${arn}:$LATEST` },
      resources: [{ accountId: account, type: 'AWS::Lambda::Function', ARN: arn }],
    };
  }, 60],
  [({ rng }) => ({
    eventSource: 'lambda.amazonaws.com', eventName: 'UpdateFunctionCode20150331v2', readOnly: false, errors: 'access',
    requestParameters: { functionName: rng.pick(FUNCTIONS), publish: true, dryRun: false },
    responseElements: { codeSize: 1024 * (100 + rng.int(5000)), lastUpdateStatus: 'InProgress' },
  }), 3],
  [({ rng }) => {
    const user = rng.pick(USER_NAMES);
    const key = `AKIA${rng.chars(UPPER_DIGITS, 16)}`;
    return {
      eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', readOnly: false, errors: 'access', global: true,
      requestParameters: { userName: user },
      responseElements: { accessKey: { userName: user, accessKeyId: key, status: 'Active', createDate: 'Jan 5, 2026 10:01:02 AM' } },
      callers: ['IAMUser', 'AssumedRole', 'Root'],
    };
  }, 1],
  [({ rng, partition }) => ({
    eventSource: 'iam.amazonaws.com', eventName: 'AttachRolePolicy', readOnly: false, errors: 'access', global: true,
    requestParameters: { roleName: rng.pick(ROLES).name, policyArn: `arn:${partition}:iam::aws:policy/${rng.pick(['AdministratorAccess', 'AmazonS3ReadOnlyAccess', 'AWSLambdaBasicExecutionRole'])}` },
    responseElements: null,
  }), 1],
  [({ rng }) => ({
    eventSource: 'iam.amazonaws.com', eventName: 'PutUserPolicy', readOnly: false, errors: 'access', global: true,
    requestParameters: { userName: rng.pick(USER_NAMES), policyName: 'inline-s3', policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' },
    responseElements: null,
  }), 1],
  [({ rng }) => ({ eventSource: 'iam.amazonaws.com', eventName: 'DeleteRole', readOnly: false, errors: 'access', global: true, requestParameters: { roleName: rng.pick(ROLES).name }, responseElements: null }), 1],
  [({ rng }) => ({ eventSource: 'iam.amazonaws.com', eventName: 'GetRole', readOnly: true, errors: 'access', global: true, requestParameters: { roleName: rng.pick(ROLES).name }, responseElements: null }), 12],
  [({ rng, account, region }) => {
    const instanceId = `i-${rng.hex(17)}`;
    return {
      eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', readOnly: false, errors: 'ec2',
      requestParameters: { instancesSet: { items: [{ imageId: `ami-${rng.hex(17)}`, minCount: 1, maxCount: 1 }] }, instanceType: rng.pick(['t3.micro', 'm7g.large', 'c7i.xlarge']), blockDeviceMapping: {}, monitoring: { enabled: false }, disableApiTermination: false, disableApiStop: false, clientToken: rng.uuid() },
      responseElements: {
        requestId: rng.uuid(), reservationId: `r-${rng.hex(17)}`, ownerId: account,
        groupSet: {}, instancesSet: { items: [{ instanceId, instanceState: { code: 0, name: 'pending' }, placement: { availabilityZone: `${region}a`, tenancy: 'default' } }] },
      },
    };
  }, 2],
  [({ rng }) => ({
    eventSource: 'ec2.amazonaws.com', eventName: 'StopInstances', readOnly: false, errors: 'ec2',
    requestParameters: { instancesSet: { items: [{ instanceId: `i-${rng.hex(17)}` }] }, force: false },
    responseElements: null,
  }), 2],
  [({ rng }) => {
    const open = rng.chance(0.3);
    return {
      eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress', readOnly: false, errors: 'ec2',
      requestParameters: {
        groupId: `sg-${rng.hex(17)}`,
        ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: open ? 22 : 443, toPort: open ? 22 : 443, groups: {}, ipRanges: { items: [{ cidrIp: open ? '0.0.0.0/0' : '10.0.0.0/16' }] }, ipv6Ranges: open && rng.chance(0.5) ? { items: [{ cidrIpv6: '::/0' }] } : {}, prefixListIds: {} }] },
      },
      responseElements: { requestId: rng.uuid(), _return: true, securityGroupRuleSet: { items: [{ groupOwnerId: '', groupId: '', securityGroupRuleId: `sgr-${rng.hex(17)}`, isEgress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22 }] } },
    };
  }, 1],
  [({ rng }) => ({
    eventSource: 'ec2.amazonaws.com', eventName: 'CreateRoute', readOnly: false, errors: 'ec2',
    requestParameters: { routeTableId: `rtb-${rng.hex(17)}`, destinationCidrBlock: '0.0.0.0/0', gatewayId: `igw-${rng.hex(17)}` },
    responseElements: { requestId: rng.uuid(), _return: true },
  }), 1],
  [({ rng }) => ({ eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', readOnly: true, errors: 'ec2', requestParameters: { instancesSet: {}, filterSet: {}, maxResults: 1000 + rng.int(2) }, responseElements: null }), 40],
  [({ rng, account, region, partition }) => {
    const id = rng.pick(KEY_IDS);
    return {
      eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', readOnly: true, errors: 'access',
      requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { 'aws:lambda:FunctionArn': `arn:${partition}:lambda:${region}:${account}:function:${rng.pick(FUNCTIONS)}` } },
      responseElements: null,
      resources: [{ accountId: account, type: 'AWS::KMS::Key', ARN: `arn:${partition}:kms:${region}:${account}:key/${id}` }],
    };
  }, 80],
  [({ rng, account, region, partition }) => {
    const id = rng.pick(KEY_IDS);
    return {
      eventSource: 'kms.amazonaws.com', eventName: 'DisableKey', readOnly: false, errors: 'access',
      requestParameters: { keyId: id }, responseElements: null,
      resources: [{ accountId: account, type: 'AWS::KMS::Key', ARN: `arn:${partition}:kms:${region}:${account}:key/${id}` }],
    };
  }, 1],
  [({ rng, account, region, partition }) => {
    const arn = `arn:${partition}:kms:${region}:${account}:key/${rng.pick(KEY_IDS)}`;
    return {
      eventSource: 'kms.amazonaws.com', eventName: 'ScheduleKeyDeletion', readOnly: false, errors: 'access',
      requestParameters: { keyId: arn, pendingWindowInDays: 7 },
      responseElements: { keyId: arn, deletionDate: 'Jan 12, 2026, 12:00:00 AM', keyState: 'PendingDeletion', pendingWindowInDays: 7 },
      resources: [{ accountId: account, type: 'AWS::KMS::Key', ARN: arn }],
    };
  }, 1],
  [({ rng, account, partition }) => {
    const role = rng.pick(ROLES);
    const session = rng.pick(role.sessions);
    const key = `ASIA${rng.chars(UPPER_DIGITS, 16)}`;
    const roleArn = `arn:${partition}:iam::${account}:role${role.path}${role.name}`;
    return {
      eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', readOnly: true, errors: 'access',
      requestParameters: { roleArn, roleSessionName: session, durationSeconds: 3600 },
      responseElements: {
        credentials: { accessKeyId: key, sessionToken: `IQoJb3JpZ2luX2VjE${rng.chars(UPPER_DIGITS, 40)}`, expiration: 'Jan 5, 2026, 11:00:00 AM' },
        assumedRoleUser: { assumedRoleId: `AROA${rng.chars(UPPER_DIGITS, 17)}:${session}`, arn: `arn:${partition}:sts::${account}:assumed-role/${role.name}/${session}` },
      },
      resources: [
        { accountId: account, type: 'AWS::IAM::Role', ARN: roleArn },
      ],
      callers: ['AWSService', 'IAMUser', 'AssumedRole'],
    };
  }, 60],
  [() => ({ eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', readOnly: true, errors: 'none', requestParameters: null, responseElements: null }), 20],
  [({ rng, account }) => {
    const failed = rng.chance(0.08);
    const mfa = rng.chance(0.7);
    return {
      eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', readOnly: false, eventType: 'AwsConsoleSignIn', errors: 'none', global: true,
      requestParameters: null,
      responseElements: { ConsoleLogin: failed ? 'Failure' : 'Success' },
      additionalEventData: {
        LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true', MobileVersion: 'No', MFAUsed: mfa ? 'Yes' : 'No',
        ...(mfa ? { MFAIdentifier: `arn:aws:iam::${account}:mfa/${rng.pick(USER_NAMES)}` } : {}),
      },
      callers: ['IAMUser', 'Root'],
      failed,
    };
  }, 4],
  [({ rng, account, region, partition }) => ({
    eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', readOnly: false, errors: 'access',
    requestParameters: { name: `arn:${partition}:cloudtrail:${region}:${account}:trail/${rng.pick(['management-events', 'org-trail'])}` }, responseElements: null,
  }), 1],
  [({ rng, account, region, partition }) => ({
    eventSource: 'cloudtrail.amazonaws.com', eventName: 'UpdateTrail', readOnly: false, errors: 'access',
    requestParameters: { name: 'management-events', s3BucketName: rng.pick(BUCKETS), isMultiRegionTrail: rng.chance(0.5), enableLogFileValidation: rng.chance(0.5) },
    responseElements: { name: 'management-events', trailARN: `arn:${partition}:cloudtrail:${region}:${account}:trail/management-events`, logFileValidationEnabled: false },
  }), 1],
  [() => ({ eventSource: 'config.amazonaws.com', eventName: 'StopConfigurationRecorder', readOnly: false, errors: 'access', requestParameters: { configurationRecorderName: 'default' }, responseElements: null }), 1],
  [({ rng }) => ({
    eventSource: 'organizations.amazonaws.com', eventName: rng.pick(['AttachPolicy', 'DetachPolicy', 'CreateAccount', 'LeaveOrganization']), readOnly: false, errors: 'access', global: true,
    requestParameters: { policyId: `p-${rng.hex(8)}`, targetId: `ou-${rng.hex(4)}-${rng.hex(8)}` }, responseElements: null,
  }), 1],
  [({ rng, account, region, partition }) => ({
    eventSource: 'secretsmanager.amazonaws.com', eventName: 'GetSecretValue', readOnly: true, errors: 'access',
    requestParameters: { secretId: `arn:${partition}:secretsmanager:${region}:${account}:secret:prod/db-${rng.chars('abcdefghij', 6)}` }, responseElements: null,
  }), 25],
  [({ rng }) => ({ eventSource: 'logs.amazonaws.com', eventName: 'CreateLogStream', readOnly: false, errors: 'access', requestParameters: { logGroupName: `/aws/lambda/${rng.pick(FUNCTIONS)}`, logStreamName: `2026/01/05/[$LATEST]${rng.hex(32)}` }, responseElements: null }), 30],
];

const TOTAL_WEIGHT = TEMPLATES.reduce((s, [, w]) => s + w, 0);

const ACCESS_DENIED: Record<string, string> = {
  's3.amazonaws.com': 'AccessDenied', 'iam.amazonaws.com': 'AccessDenied', 'sts.amazonaws.com': 'AccessDenied',
  'ec2.amazonaws.com': 'Client.UnauthorizedOperation',
};

// ── Records ─────────────────────────────────────────────────────────────────────────────────────

export interface RecordContext {
  account: string;
  region: string;
  /** eventTime, in ms. */
  time: number;
}

export class CloudTrailGenerator {
  readonly rng: Rng;
  private readonly actors = new Map<string, AccountActors>();

  constructor(seed = 1) {
    this.rng = new Rng(seed);
  }

  private actorsOf(account: string): AccountActors {
    let actors = this.actors.get(account);
    if (!actors) {
      // Drawn from their own generator, so an account's principals do not depend on what came before.
      const rng = new Rng(Number(account.slice(-9)) ^ 0x5bd1e995);
      actors = {
        users: USER_NAMES.map((name) => ({ name, id: `AIDA${rng.chars(UPPER_DIGITS, 17)}`, key: `AKIA${rng.chars(UPPER_DIGITS, 16)}` })),
        roles: ROLES.map((role) => ({ ...role, id: `AROA${rng.chars(UPPER_DIGITS, 17)}` })),
        rootId: account,
      };
      this.actors.set(account, actors);
    }
    return actors;
  }

  private caller(kind: IdentityKind, c: Context, time: number, consoleSession: boolean): Caller {
    const { rng, account, partition } = c;
    const actors = this.actorsOf(account);
    const ip = rng.pick(IPS);
    const agent = consoleSession ? CONSOLE_AGENT : rng.pick(AGENTS);
    const created = iso(time - 60_000 * (1 + rng.int(600)));
    switch (kind) {
      case 'IAMUser': {
        const user = rng.pick(actors.users);
        return {
          userIdentity: {
            type: 'IAMUser', principalId: user.id, arn: `arn:${partition}:iam::${account}:user/${user.name}`, accountId: account,
            accessKeyId: consoleSession ? `ASIA${rng.chars(UPPER_DIGITS, 16)}` : user.key, userName: user.name,
            ...(consoleSession ? { sessionContext: { attributes: { creationDate: created, mfaAuthenticated: rng.chance(0.7) ? 'true' : 'false' } } } : {}),
          },
          sourceIPAddress: ip, userAgent: agent, console: consoleSession,
        };
      }
      case 'AssumedRole': {
        const role = rng.pick(actors.roles);
        const session = rng.pick(role.sessions);
        return {
          userIdentity: {
            type: 'AssumedRole', principalId: `${role.id}:${session}`, arn: `arn:${partition}:sts::${account}:assumed-role/${role.name}/${session}`, accountId: account,
            accessKeyId: `ASIA${rng.chars(UPPER_DIGITS, 16)}`,
            sessionContext: {
              sessionIssuer: { type: 'Role', principalId: role.id, arn: `arn:${partition}:iam::${account}:role${role.path}${role.name}`, accountId: account, userName: role.name },
              attributes: { creationDate: created, mfaAuthenticated: consoleSession && rng.chance(0.5) ? 'true' : 'false' },
            },
          },
          sourceIPAddress: ip, userAgent: agent, console: consoleSession,
        };
      }
      case 'Root':
        return {
          userIdentity: {
            type: 'Root', principalId: actors.rootId, arn: `arn:${partition}:iam::${account}:root`, accountId: account,
            accessKeyId: consoleSession ? `ASIA${rng.chars(UPPER_DIGITS, 16)}` : '',
            ...(consoleSession ? { sessionContext: { attributes: { creationDate: created, mfaAuthenticated: rng.chance(0.6) ? 'true' : 'false' } } } : {}),
          },
          sourceIPAddress: ip, userAgent: consoleSession ? CONSOLE_AGENT : rng.pick(AGENTS), console: consoleSession,
        };
      case 'AWSService': {
        const service = rng.pick(SERVICES);
        return { userIdentity: { type: 'AWSService', invokedBy: service }, sourceIPAddress: service, userAgent: service, console: false, service };
      }
      case 'FederatedUser': {
        const name = rng.pick(['Bob', 'Martha', 'build-broker-7']);
        const broker = actors.users[4];
        return {
          userIdentity: {
            type: 'FederatedUser', principalId: `${account}:${name}`, arn: `arn:${partition}:sts::${account}:federated-user/${name}`, accountId: account,
            accessKeyId: `ASIA${rng.chars(UPPER_DIGITS, 16)}`,
            sessionContext: {
              sessionIssuer: { type: 'IAMUser', principalId: broker.id, arn: `arn:${partition}:iam::${account}:user/${broker.name}`, accountId: account, userName: broker.name },
              attributes: { creationDate: created, mfaAuthenticated: 'false' },
            },
          },
          sourceIPAddress: ip, userAgent: agent, console: false,
        };
      }
    }
  }

  /** One record of the usual mix, at `time`. */
  record(at: RecordContext): Json {
    const { rng } = this;
    const partition = at.region.startsWith('cn-') ? 'aws-cn' : at.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
    const c: Context = { rng, account: at.account, region: at.region, partition };
    let shape: EventShape;
    do shape = weighted(rng, TEMPLATES, TOTAL_WEIGHT)(c);
    while (shape.global && at.region !== 'us-east-1');

    const kind: IdentityKind = shape.callers
      ? rng.pick(shape.callers)
      : weighted<IdentityKind>(rng, [['AssumedRole', 55], ['IAMUser', 25], ['AWSService', shape.data ? 0 : 12], ['FederatedUser', 5], ['Root', 3]], shape.data ? 88 : 100);
    const consoleSession = shape.eventType === 'AwsConsoleSignIn' || (!shape.data && kind !== 'AWSService' && rng.chance(0.15));
    const caller = this.caller(kind, c, at.time, consoleSession);
    if (shape.eventType === 'AwsConsoleSignIn') {
      caller.userAgent = BROWSER;
      const identity = caller.userIdentity;
      delete identity.sessionContext;
      identity.accessKeyId = '';
      if (shape.failed && kind === 'IAMUser' && rng.chance(0.4)) {
        identity.userName = 'HIDDEN_DUE_TO_SECURITY_REASONS';
        delete identity.arn;
        delete identity.principalId;
      }
    }

    let errorCode: string | undefined;
    let errorMessage: string | undefined;
    const x = rng.next();
    if (shape.eventType === 'AwsConsoleSignIn') {
      if (shape.failed) errorMessage = 'Failed authentication';
    } else if (shape.errors !== 'none') {
      const arn = String(caller.userIdentity.arn ?? caller.userIdentity.invokedBy ?? '');
      const action = `${shape.eventSource.split('.')[0]}:${shape.eventName.replace(/\d{8}v?\d*$/, '')}`;
      if (x < 0.02) {
        errorCode = ACCESS_DENIED[shape.eventSource] ?? 'AccessDeniedException';
        errorMessage = `User: ${arn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
      } else if (x < 0.025) {
        errorCode = shape.errors === 'ec2' ? 'Client.RequestLimitExceeded' : shape.eventSource === 's3.amazonaws.com' ? 'SlowDown' : 'ThrottlingException';
        errorMessage = 'Rate exceeded';
      } else if (shape.errors === 's3' && x < 0.035) {
        errorCode = 'NoSuchBucket';
        errorMessage = 'The specified bucket does not exist';
      }
    }

    const record: Json = {
      eventVersion: shape.data ? '1.10' : rng.pick(['1.08', '1.09', '1.10', '1.11']),
      userIdentity: caller.userIdentity,
      eventTime: iso(at.time),
      eventSource: shape.eventSource,
      eventName: shape.eventName,
      awsRegion: shape.global ? 'us-east-1' : at.region,
      sourceIPAddress: caller.sourceIPAddress,
      userAgent: caller.userAgent,
    };
    if (errorCode) record.errorCode = errorCode;
    if (errorMessage) record.errorMessage = errorMessage;
    record.requestParameters = shape.requestParameters;
    record.responseElements = errorCode ? null : shape.responseElements ?? null;
    if (shape.additionalEventData) record.additionalEventData = shape.additionalEventData;
    record.requestID = shape.eventSource === 's3.amazonaws.com' ? rng.chars('0123456789ABCDEF', 16) : rng.uuid();
    record.eventID = rng.uuid();
    record.readOnly = shape.readOnly;
    if (shape.resources) record.resources = shape.resources;
    record.eventType = shape.eventType ?? 'AwsApiCall';
    record.managementEvent = !shape.data;
    record.recipientAccountId = at.account;
    if (kind === 'AWSService' && shape.eventName === 'AssumeRole') record.sharedEventID = rng.uuid();
    if (shape.data && rng.chance(0.1)) record.vpcEndpointId = `vpce-${rng.hex(17)}`;
    record.eventCategory = shape.data ? 'Data' : 'Management';
    if (kind !== 'AWSService') {
      record.tlsDetails = { tlsVersion: rng.chance(0.8) ? 'TLSv1.3' : 'TLSv1.2', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${shape.eventSource.split('.')[0]}.${record.awsRegion}.amazonaws.com` };
    }
    if (caller.console && shape.eventType !== 'AwsConsoleSignIn') record.sessionCredentialFromConsole = 'true';
    return record;
  }

  /** `count` records spread over [start, end). */
  records(count: number, at: { account: string; region: string; start: number; end: number }): Json[] {
    const out: Json[] = [];
    for (let i = 0; i < count; i++) out.push(this.record({ account: at.account, region: at.region, time: at.start + this.rng.int(Math.max(1, at.end - at.start)) }));
    return out;
  }

  /** An Insights Start/End pair sharing a sharedEventID, as in CloudTrail-Insight files. */
  insightPair(at: RecordContext & { durationMinutes?: number }): [Json, Json] {
    const { rng } = this;
    const errorRate = rng.chance(0.3);
    const eventSource = errorRate ? 'iam.amazonaws.com' : rng.pick(['ec2.amazonaws.com', 'ssm.amazonaws.com', 'kms.amazonaws.com']);
    const eventName = errorRate ? 'GetRole' : eventSource === 'ec2.amazonaws.com' ? 'RunInstances' : eventSource === 'ssm.amazonaws.com' ? 'UpdateInstanceAssociationStatus' : 'CreateGrant';
    const shared = rng.uuid();
    const baseline = Math.round(rng.next() * 300) / 100 + 0.1;
    const insight = Math.round(baseline * (10 + rng.int(40)) * 100) / 100;
    const duration = at.durationMinutes ?? 1 + rng.int(30);
    const role = this.actorsOf(at.account).roles[0];
    const attributions = [
      { attribute: 'userIdentityArn', insight: [{ value: `arn:aws:sts::${at.account}:assumed-role/${role.name}/${role.sessions[0]}`, average: insight }], baseline: [{ value: `arn:aws:sts::${at.account}:assumed-role/${role.name}/${role.sessions[0]}`, average: baseline }] },
      { attribute: 'userAgent', insight: [{ value: AGENTS[1], average: insight }], baseline: [{ value: AGENTS[1], average: baseline }] },
      { attribute: 'errorCode', insight: [{ value: errorRate ? 'AccessDenied' : 'null', average: insight }], baseline: [{ value: 'null', average: baseline }] },
    ];
    const make = (state: 'Start' | 'End', time: number): Json => ({
      eventVersion: '1.08',
      eventTime: iso(time),
      awsRegion: at.region,
      eventID: rng.uuid(),
      eventType: 'AwsCloudTrailInsight',
      recipientAccountId: at.account,
      sharedEventID: shared,
      insightDetails: {
        state, eventSource, eventName, insightType: errorRate ? 'ApiErrorRateInsight' : 'ApiCallRateInsight',
        ...(errorRate ? { errorCode: 'AccessDenied' } : {}),
        insightContext: {
          statistics: { baseline: { average: baseline }, insight: { average: insight }, ...(state === 'End' ? { insightDuration: duration, baselineDuration: 10_079 } : {}) },
          attributions: state === 'End' ? attributions : attributions.slice(0, 0),
        },
      },
      eventCategory: 'Insight',
    });
    return [make('Start', at.time), make('End', at.time + duration * 60_000)];
  }

  // ── Planted incidents: records the detections and Insights must find, whatever the mix drew ──

  /** A record by `caller` with the fields every management API call has, and `fields` on top. */
  private planted(at: RecordContext, caller: Caller, fields: Json): Json {
    return {
      eventVersion: '1.09', userIdentity: caller.userIdentity, eventTime: iso(at.time), eventSource: fields.eventSource, eventName: fields.eventName,
      awsRegion: at.region, sourceIPAddress: caller.sourceIPAddress, userAgent: caller.userAgent,
      requestParameters: null, responseElements: null, requestID: this.rng.uuid(), eventID: this.rng.uuid(), readOnly: false,
      eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: at.account, eventCategory: 'Management',
      ...fields,
    };
  }

  private context(at: RecordContext): Context {
    return { rng: this.rng, account: at.account, region: at.region, partition: 'aws' };
  }

  /** A successful console sign-in by the root user without MFA (CIS 4.2 and 4.3), from us-east-1 as CloudTrail records it. */
  rootConsoleLogin(at: RecordContext): Json {
    const caller = this.caller('Root', this.context(at), at.time, true);
    delete caller.userIdentity.sessionContext;
    caller.userIdentity.accessKeyId = '';
    caller.userAgent = BROWSER;
    return this.planted({ ...at, region: 'us-east-1' }, caller, {
      eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn',
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true', MobileVersion: 'No', MFAUsed: 'No' },
    });
  }

  /** A successful AuthorizeSecurityGroupIngress that lets 0.0.0.0/0 in on a TCP port (22 unless told). */
  securityGroupOpenedToWorld(at: RecordContext & { port?: number; groupId?: string }): Json {
    const port = at.port ?? 22;
    const caller = this.caller('AssumedRole', this.context(at), at.time, false);
    return this.planted(at, caller, {
      eventSource: 'ec2.amazonaws.com', eventName: 'AuthorizeSecurityGroupIngress',
      requestParameters: {
        groupId: at.groupId ?? `sg-${this.rng.hex(17)}`,
        ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: port, toPort: port, groups: {}, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] }, ipv6Ranges: {}, prefixListIds: {} }] },
      },
      responseElements: { requestId: this.rng.uuid(), _return: true },
    });
  }

  /**
   * `perMinute` calls a minute for `minutes` minutes from `time`, each failing with `errorCode`, all
   * by one caller: the error-rate burst an ApiErrorRateInsight reports (and, for a write, a call-rate one).
   */
  errorBurst(at: RecordContext & { minutes: number; perMinute: number; eventSource: string; eventName: string; errorCode: string; readOnly?: boolean }): Json[] {
    const caller = this.caller('AssumedRole', this.context(at), at.time, false);
    const action = `${at.eventSource.split('.')[0]}:${at.eventName}`;
    const records: Json[] = [];
    for (let minute = 0; minute < at.minutes; minute++) {
      for (let i = 0; i < at.perMinute; i++) {
        const time = at.time + minute * 60_000 + Math.floor((i * 60_000) / at.perMinute);
        records.push(this.planted({ ...at, time }, caller, {
          eventSource: at.eventSource, eventName: at.eventName, readOnly: at.readOnly ?? false,
          errorCode: at.errorCode, errorMessage: `User: ${String(caller.userIdentity.arn)} is not authorized to perform: ${action}`,
        }));
      }
    }
    return records;
  }
}

// ── Log trees ───────────────────────────────────────────────────────────────────────────────────

export interface LogTreeOptions {
  /** Account IDs, or how many to make up (default 1). */
  accounts?: number | readonly string[];
  /** Regions, or how many of a fixed list (default ['us-east-1']). */
  regions?: number | readonly string[];
  days?: number;
  filesPerDay?: number;
  recordsPerFile?: number;
  /** Write .json.gz (default) or plain .json. */
  gzip?: boolean;
  seed?: number;
  /** First day, in ms or an ISO date (default 2026-01-05). */
  start?: number | string;
  /** Organisation trail layout: AWSLogs/<o-…>/<account>/… */
  organizationId?: string;
  /** Also write one CloudTrail-Insight file (a Start/End pair) per account, Region and day. */
  insights?: boolean;
  /** Also write one CloudTrail-Digest file per account, Region and day (readers must skip them). */
  digests?: boolean;
  /** Share of records written again in the next file (CloudTrail repeats records; default 0). */
  repeatRate?: number;
  /** Files written at once (default 4). */
  concurrency?: number;
}

export interface LogTree {
  root: string;
  /** Event log files (CloudTrail and CloudTrail-Insight), not digests. */
  files: string[];
  digests: string[];
  /** Records written, repeats included. */
  records: number;
  /** Distinct eventIDs written. */
  distinct: number;
  bytes: number;
}

const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2', 'eu-central-1', 'ap-northeast-1', 'sa-east-1', 'ca-central-1'];

function compact(ms: number, seconds = false): string {
  const s = new Date(ms).toISOString();
  return `${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)}T${s.slice(11, 13)}${s.slice(14, 16)}${seconds ? s.slice(17, 19) : ''}Z`;
}

function gzip(data: string): Promise<Buffer> {
  return new Promise((resolve, reject) => gzipCallback(data, (error, result) => (error ? reject(error) : resolve(result))));
}

/**
 * Writes `AWSLogs/[<org>/]<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz`
 * files under `dir`, each `{"Records":[…]}` with recordsPerFile records from the 24 h / filesPerDay
 * before its delivery time, plus Insight and digest files when asked.
 */
export async function writeLogTree(dir: string, options: LogTreeOptions = {}): Promise<LogTree> {
  const rng = new Rng((options.seed ?? 1) ^ 0x2545f491);
  const generator = new CloudTrailGenerator(options.seed ?? 1);
  const accounts = typeof options.accounts === 'number' || options.accounts === undefined
    ? Array.from({ length: options.accounts ?? 1 }, (_, i) => (i === 0 ? '111122223333' : String(100000000000 + rng.int(899999999999)).padStart(12, '0')))
    : [...options.accounts];
  const regions = typeof options.regions === 'number' ? REGIONS.slice(0, options.regions) : [...(options.regions ?? ['us-east-1'])];
  const days = options.days ?? 1;
  const filesPerDay = options.filesPerDay ?? 24;
  const perFile = options.recordsPerFile ?? 100;
  const compress = options.gzip ?? true;
  const start = typeof options.start === 'string' ? Date.parse(options.start) : options.start ?? Date.parse('2026-01-05T00:00:00Z');
  const dayStart = start - (start % 86_400_000);
  const ext = compress ? '.json.gz' : '.json';
  const tree: LogTree = { root: dir, files: [], digests: [], records: 0, distinct: 0, bytes: 0 };
  const slot = 86_400_000 / filesPerDay;

  // Files are generated one after another in this order, each when a writer picks it up, so the
  // output is the same however the writes interleave and only the files being written are in memory.
  type Job = { kind: 'log' | 'insight' | 'digest'; account: string; region: string; day: number; slot: number; base: string };
  const jobs: Job[] = [];
  for (const account of accounts) {
    const base = join(dir, 'AWSLogs', ...(options.organizationId ? [options.organizationId] : []), account);
    for (const region of regions) {
      for (let d = 0; d < days; d++) {
        const day = dayStart + d * 86_400_000;
        for (let f = 0; f < filesPerDay; f++) jobs.push({ kind: 'log', account, region, day, slot: f, base });
        if (options.insights) jobs.push({ kind: 'insight', account, region, day, slot: 0, base });
        if (options.digests) jobs.push({ kind: 'digest', account, region, day, slot: 0, base });
      }
    }
  }

  const carried = new Map<string, Json[]>();
  const generate = (job: Job): { path: string; text: string } => {
    const { account, region, day, base } = job;
    const ymd = new Date(day).toISOString().slice(0, 10).split('-');
    if (job.kind === 'log') {
      const delivered = day + (job.slot + 1) * slot - 60_000;
      const name = `${account}_CloudTrail_${region}_${compact(delivered)}_${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 16)}${ext}`;
      const records = generator.records(perFile, { account, region, start: delivered - slot, end: delivered - 30_000 });
      const key = `${account}/${region}`;
      const repeated = carried.get(key) ?? [];
      carried.set(key, options.repeatRate ? records.filter(() => rng.chance(options.repeatRate!)) : []);
      tree.records += records.length + repeated.length;
      tree.distinct += records.length;
      return { path: join(base, 'CloudTrail', region, ...ymd, name), text: JSON.stringify({ Records: repeated.length ? [...records, ...repeated] : records }) };
    }
    if (job.kind === 'insight') {
      const [begin, end] = generator.insightPair({ account, region, time: day + 3_600_000 * (1 + rng.int(20)) });
      const name = `${account}_CloudTrail-Insight_${region}_${compact(day + 86_000_000)}_${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 16)}${ext}`;
      tree.records += 2;
      tree.distinct += 2;
      return { path: join(base, 'CloudTrail-Insight', region, ...ymd, name), text: JSON.stringify({ Records: [begin, end] }) };
    }
    const name = `${account}_CloudTrail-Digest_${region}_management-events_${region}_${compact(day + 3_600_000, true)}${ext}`;
    const digest = {
      awsAccountId: account, digestStartTime: iso(day), digestEndTime: iso(day + 3_600_000), digestS3Bucket: 'cloudtrail-logs-central',
      digestS3Object: `AWSLogs/${account}/CloudTrail-Digest/${region}/${ymd.join('/')}/${name}`, digestPublicKeyFingerprint: rng.hex(32),
      digestSignatureAlgorithm: 'SHA256withRSA', newestEventTime: iso(day + 3_500_000), oldestEventTime: iso(day + 10_000),
      previousDigestS3Bucket: null, previousDigestS3Object: null, previousDigestHashValue: null, previousDigestHashAlgorithm: null, previousDigestSignature: null,
      logFiles: [{ s3Bucket: 'cloudtrail-logs-central', s3Object: `AWSLogs/${account}/CloudTrail/${region}/${ymd.join('/')}/log.json.gz`, hashValue: rng.hex(64), hashAlgorithm: 'SHA-256', newestEventTime: iso(day + 3_500_000), oldestEventTime: iso(day + 10_000) }],
    };
    return { path: join(base, 'CloudTrail-Digest', region, ...ymd, name), text: JSON.stringify(digest) };
  };

  const folders = new Map<string, Promise<unknown>>();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const { path, text } = generate(job);
      const folder = dirname(path);
      let made = folders.get(folder);
      if (!made) folders.set(folder, (made = fs.mkdir(folder, { recursive: true })));
      const bytes = compress ? await gzip(text) : Buffer.from(text);
      await made;
      await fs.writeFile(path, bytes);
      tree.bytes += bytes.length;
      (job.kind === 'digest' ? tree.digests : tree.files).push(path);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  tree.files.sort();
  tree.digests.sort();
  return tree;
}
