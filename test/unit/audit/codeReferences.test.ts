// What a file touches in AWS: API calls as CloudTrail eventSource/eventName, resources named in
// requests, ARNs, CloudFormation/SAM and Terraform declarations — each with its range — and how
// those references meet the events in the store.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AuditService } from '../../../server/audit/auditService';
import { eventSourceOf, serviceForBoto3 } from '../../../server/audit/cloudTrailServices';
import { auditTerms, eventMatches, referencesFor, type CodeReference } from '../../../server/audit/codeReferences';
import { parseHcl } from '../../../server/audit/hcl';
import { toAuditEvent, type AuditEvent } from '../../../server/audit/model';
import { apiFromBoto3 } from '../../../server/audit/operationNames';
import { languageForId } from '../../../server/review/languages';
import { Parsers, type Tree } from '../../../server/review/parser';
import { Store } from '../../../server/store/store';
import { fixturesDir, grammarDir, repoRoot } from '../../support/paths';

let parsers: Parsers;
const trees: Tree[] = [];

before(async () => {
  parsers = await Parsers.load(grammarDir);
});

after(() => {
  for (const tree of trees) tree.delete();
});

const codeDir = join(fixturesDir, 'audit', 'code');

function fixture(name: string): string {
  return readFileSync(join(codeDir, name), 'utf8');
}

function referencesOf(languageId: string, text: string, uri?: string): readonly CodeReference[] {
  const info = languageForId(languageId);
  const tree = info ? parsers.parse(info.grammar, text) : undefined;
  if (tree) trees.push(tree);
  return referencesFor({ languageId, text, tree, uri });
}

/** `line:character kind what`: one line per reference, in document order. */
function summary(references: readonly CodeReference[]): string[] {
  return references.map((r) => {
    const at = `${r.range.start.line}:${r.range.start.character}`;
    if (r.kind === 'call') return `${at} call ${r.eventSource} ${r.eventName}`;
    const what = r.resource?.arn ?? r.resource?.name ?? '-';
    return `${at} resource ${r.resource?.type ?? '?'} ${what}${r.declaredAs ? ` (${r.declaredAs})` : ''}`;
  });
}

/** The text a reference's range covers. */
function covered(text: string, reference: CodeReference): string {
  const lines = text.split('\n');
  const { start, end } = reference.range;
  assert.equal(start.line, end.line, 'single-line range');
  return lines[start.line].slice(start.character, end.character);
}

describe('boto3', () => {
  test('client, resource and paginator calls, with the resources their requests name', () => {
    const text = fixture('orders.py');
    const references = referencesOf('python', text);
    assert.deepEqual(summary(references), [
      '6:9 resource AWS::SNS::Topic arn:aws:sns:us-east-1:123456789012:order-events',
      '12:23 resource AWS::DynamoDB::Table orders',
      '21:14 call dynamodb.amazonaws.com PutItem',
      '22:11 call s3.amazonaws.com PutObject',
      '22:29 resource AWS::S3::Bucket demo-orders-archive',
      '23:17 call sns.amazonaws.com Publish',
      '23:34 resource AWS::SNS::Topic arn:aws:sns:us-east-1:123456789012:order-events',
      '24:17 call states.amazonaws.com StartExecution',
      '25:28 resource AWS::StepFunctions::StateMachine arn:aws:states:us-east-1:123456789012:stateMachine:fulfil',
      '30:11 call s3.amazonaws.com DeleteObject',
      '30:32 resource AWS::S3::Bucket demo-orders-archive',
      '31:12 call sqs.amazonaws.com DeleteMessage',
      '31:36 resource AWS::SQS::Queue orders-dlq',
      '32:23 call s3.amazonaws.com ListObjectsV2',
      '32:72 resource AWS::S3::Bucket demo-orders-staging',
      '38:8 call ec2.amazonaws.com StopInstances',
      '38:36 resource AWS::EC2::Instance i-0abc1234def567890',
      '38:59 resource AWS::EC2::Instance i-0fed9876cba543210',
      '40:15 call monitoring.amazonaws.com PutMetricData',
      '42:8 call iam.amazonaws.com AttachRolePolicy',
      '42:36 resource AWS::IAM::Role orders-worker',
      '42:63 resource AWS::IAM::ManagedPolicy arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      '47:14 call s3.amazonaws.com DeleteBucketPolicy',
      '47:42 resource AWS::S3::Bucket demo-orders-archive',
    ]);
    // A call's range is its method name; a resource's is the argument that names it.
    assert.equal(covered(text, references[9]), 'delete_object');
    assert.equal(covered(text, references[10]), 'ARCHIVE_BUCKET');
    assert.equal(covered(text, references[1]), 'os.environ.get("ORDERS_TABLE", "orders")');
    assert.equal(covered(text, references[0]), 'arn:aws:sns:us-east-1:123456789012:order-events', 'an ARN literal without its quotes');
    assert.equal(references[9].text, 'DeleteObject (s3.amazonaws.com)');
    assert.equal(references[10].text, 'demo-orders-archive');
  });

  test('a delete_object on something that is not an AWS client is not a call', () => {
    assert.deepEqual(referencesOf('python', fixture('not_aws.py')), []);
  });

  test('inline clients, sessions, boto3 resources and dictionaries of parameters', () => {
    const text = [
      'import boto3',
      'session = boto3.session.Session(profile_name="ops")',
      'boto3.client("s3").delete_bucket(Bucket="old-bucket")',
      'lam = session.client("lambda")',
      'params = {"FunctionName": "orders-handler", "Payload": b"{}"}',
      'lam.invoke(**params)',
      's3r = boto3.resource("s3")',
      's3r.Bucket("demo-orders-archive").delete()',
      'sqs = boto3.resource("sqs")',
      'queue = sqs.get_queue_by_name(QueueName="orders")',
      'rds = boto3.client("rds")',
      'rds.create_db_instance(DBInstanceIdentifier="orders-db", Engine="postgres")',
    ].join('\n');
    assert.deepEqual(summary(referencesOf('python', text)), [
      '2:19 call s3.amazonaws.com DeleteBucket',
      '2:40 resource AWS::S3::Bucket old-bucket',
      '5:4 call lambda.amazonaws.com Invoke',
      '4:26 resource AWS::Lambda::Function orders-handler',
      '7:11 resource AWS::S3::Bucket demo-orders-archive',
      '7:34 call s3.amazonaws.com DeleteBucket',
      '9:12 call sqs.amazonaws.com GetQueueUrl',
      '9:40 resource AWS::SQS::Queue orders',
      '11:4 call rds.amazonaws.com CreateDBInstance',
      '11:44 resource AWS::RDS::DBInstance orders-db',
    ].sort(byPosition));
  });

  test('a client handed in counts only with AWS-style keywords and an API verb', () => {
    const text = [
      'def f(s3, ddb, cache):',
      '    s3.delete_object(Bucket="b", Key="k")',
      '    s3.delete_object("b", "k")',
      '    ddb.describe_table(TableName="orders")',
      '    cache.delete_object(Bucket="b")',
      '    s3.frobnicate(Bucket="b")',
    ].join('\n');
    assert.deepEqual(summary(referencesOf('python', text)), [
      '1:7 call s3.amazonaws.com DeleteObject',
      '1:28 resource AWS::S3::Bucket b',
      '3:8 call dynamodb.amazonaws.com DescribeTable',
      '3:33 resource AWS::DynamoDB::Table orders',
    ]);
  });
});

function byPosition(a: string, b: string): number {
  const [al, ac] = a.split(' ')[0].split(':').map(Number);
  const [bl, bc] = b.split(' ')[0].split(':').map(Number);
  return al - bl || ac - bc;
}

describe('AWS SDK for JavaScript', () => {
  test('v3: commands, lib-dynamodb, namespace imports and paginators', () => {
    const text = fixture('invoices.ts');
    const references = referencesOf('typescript', text);
    assert.deepEqual(summary(references), [
      '12:36 call s3.amazonaws.com GetObject',
      '12:63 resource AWS::S3::Bucket demo-invoices',
      '13:21 call dynamodb.amazonaws.com PutItem',
      '13:45 resource AWS::DynamoDB::Table invoices',
      '18:22 call s3.amazonaws.com DeleteObject',
      '18:52 resource AWS::S3::Bucket demo-invoices',
      '20:27 call s3.amazonaws.com ListObjectsV2',
      '20:71 resource AWS::S3::Bucket demo-invoices',
      '21:43 call states.amazonaws.com StartExecution',
      '21:84 resource AWS::StepFunctions::StateMachine arn:aws:states:eu-west-1:123456789012:stateMachine:billing',
    ]);
    assert.equal(covered(text, references[4]), 'DeleteObjectCommand');
    assert.equal(covered(text, references[5]), 'BUCKET');
  });

  test('v2: clients, the DocumentClient, callbacks and a client handed in', () => {
    assert.deepEqual(summary(referencesOf('javascript', fixture('legacy.js'))), [
      '8:11 call s3.amazonaws.com DeleteObject',
      '8:34 resource AWS::S3::Bucket demo-legacy-uploads',
      '9:18 call dynamodb.amazonaws.com UpdateItem',
      '9:38 resource AWS::DynamoDB::Table sessions',
      '10:15 call lambda.amazonaws.com Invoke',
      '10:38 resource AWS::Lambda::Function arn:aws:lambda:us-east-1:123456789012:function:orders',
      '12:8 call sqs.amazonaws.com SendMessage',
      '12:32 resource AWS::SQS::Queue orders',
      '16:13 call sns.amazonaws.com Publish',
      '16:33 resource AWS::SNS::Topic arn:aws:sns:us-east-1:123456789012:alerts',
    ]);
  });

  test('v3 aggregated clients, typed constructor properties and commands sent by a known client', () => {
    const text = [
      "import { S3 } from '@aws-sdk/client-s3';",
      "import { SQSClient } from '@aws-sdk/client-sqs';",
      'const s3 = new S3({});',
      'export class Jobs {',
      '  constructor(private readonly sqs: SQSClient) {}',
      '  async run(): Promise<void> {',
      "    await s3.deleteBucket({ Bucket: 'old-bucket' });",
      "    await this.sqs.purgeQueue({ QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs' });",
      '  }',
      '}',
    ].join('\n');
    assert.deepEqual(summary(referencesOf('typescript', text)), [
      '6:13 call s3.amazonaws.com DeleteBucket',
      '6:36 resource AWS::S3::Bucket old-bucket',
      '7:19 call sqs.amazonaws.com PurgeQueue',
      '7:42 resource AWS::SQS::Queue jobs',
    ]);
  });

  test('a command of a package that is not the AWS SDK is not a call', () => {
    const text = "import { DeleteObjectCommand } from './commands';\nbus.dispatch(new DeleteObjectCommand({ Bucket: 'b' }));\n";
    assert.deepEqual(referencesOf('typescript', text), []);
  });
});

describe('AWS SDK for Java', () => {
  test('v2: request builders, consumer builders, a request variable and declared client types', () => {
    const text = fixture('Inventory.java');
    const references = referencesOf('java', text);
    assert.deepEqual(summary(references), [
      '19:11 call s3.amazonaws.com DeleteObject',
      '19:61 resource AWS::S3::Bucket demo-inventory',
      '20:11 call s3.amazonaws.com PutObject',
      '20:35 resource AWS::S3::Bucket demo-inventory-archive',
      '24:68 resource AWS::DynamoDB::Table inventory',
      '25:15 call dynamodb.amazonaws.com GetItem',
      '27:12 call sqs.amazonaws.com PurgeQueue',
      '27:39 resource AWS::SQS::Queue inventory-events',
      '31:22 resource AWS::DynamoDB::Table arn:aws:dynamodb:eu-west-1:123456789012:table/inventory',
    ]);
    assert.equal(covered(text, references[0]), 'deleteObject');
    assert.equal(covered(text, references[1]), 'BUCKET');
  });

  test('a builder chain configures a client; it sends no request', () => {
    const text = [
      'import software.amazon.awssdk.regions.Region;',
      'import software.amazon.awssdk.services.sts.StsClient;',
      'class A {',
      '  void f() {',
      '    StsClient sts = StsClient.builder().region(Region.EU_WEST_1).build();',
      '    sts.getCallerIdentity();',
      '  }',
      '}',
    ].join('\n');
    assert.deepEqual(summary(referencesOf('java', text)), ['5:8 call sts.amazonaws.com GetCallerIdentity']);
  });
});

describe('ARNs and constants in code', () => {
  test('ARNs in string literals count; in comments, with wildcards or interpolation they do not', () => {
    const text = [
      '# arn:aws:s3:::in-a-comment',
      'ROLE = "arn:aws:iam::123456789012:role/deploy"',
      'POLICY = "arn:aws:s3:::logs/*"',
      'QUEUE = f"arn:aws:sqs:us-east-1:{account}:jobs"',
      'TEXT = "see arn:aws:sns:eu-west-1:123456789012:alerts."',
      'NOT = "warn:aws:s3:::x"',
    ].join('\n');
    const references = referencesOf('python', text);
    assert.deepEqual(summary(references), [
      '1:8 resource AWS::IAM::Role arn:aws:iam::123456789012:role/deploy',
      '4:12 resource AWS::SNS::Topic arn:aws:sns:eu-west-1:123456789012:alerts',
    ]);
    assert.equal(references[0].resource?.name, 'deploy');
  });

  test('ARNs in JavaScript templates and Java text blocks', () => {
    const js = "const a = `arn:aws:lambda:us-east-1:123456789012:function:orders`; // arn:aws:s3:::nope\nconst b = `arn:aws:s3:::${bucket}`;\n";
    assert.deepEqual(summary(referencesOf('javascript', js)), ['0:11 resource AWS::Lambda::Function arn:aws:lambda:us-east-1:123456789012:function:orders']);
    const java = 'class A {\n  String p = """\n    arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\n    """;\n  /* arn:aws:s3:::nope */\n}\n';
    assert.deepEqual(summary(referencesOf('java', java)), ['2:4 resource AWS::KMS::Key arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab']);
  });

  test('a name is resolved one level, in its own scope, and only when bound once', () => {
    const text = [
      'import boto3',
      's3 = boto3.client("s3")',
      'BUCKET = "orders"',
      'OTHER = BUCKET',
      'TWICE = "a"',
      'TWICE = "b"',
      'def f(BUCKET):',
      '    s3.head_bucket(Bucket=BUCKET)',
      'def g():',
      '    s3.head_bucket(Bucket=BUCKET)',
      '    s3.head_bucket(Bucket=OTHER)',
      '    s3.head_bucket(Bucket=TWICE)',
      '    local = "scratch"',
      '    s3.head_bucket(Bucket=local)',
      '    s3.head_bucket(Bucket=f"{BUCKET}-x")',
    ].join('\n');
    assert.deepEqual(
      summary(referencesOf('python', text)).filter((line) => line.includes('resource')),
      ['9:26 resource AWS::S3::Bucket orders', '13:26 resource AWS::S3::Bucket scratch'],
    );
  });

  test('Java constants and environment defaults', () => {
    const text = [
      'import software.amazon.awssdk.services.dynamodb.DynamoDbClient;',
      'class Orders {',
      '  private static final String TABLE = System.getenv().getOrDefault("ORDERS_TABLE", "orders");',
      '  private final DynamoDbClient ddb = DynamoDbClient.create();',
      '  void f() { ddb.deleteTable(b -> b.tableName(TABLE)); }',
      '}',
    ].join('\n');
    assert.deepEqual(summary(referencesOf('java', text)), ['4:17 call dynamodb.amazonaws.com DeleteTable', '4:46 resource AWS::DynamoDB::Table orders']);
  });
});

describe('CloudFormation and SAM templates', () => {
  test('YAML with intrinsic tags: logical ids, types, constant names, ARNs in values', () => {
    const text = fixture('template.yaml');
    const references = referencesOf('yaml', text);
    assert.deepEqual(summary(references), [
      '18:2 resource AWS::S3::Bucket demo-orders-archive-prod (ArchiveBucket)',
      '26:2 resource AWS::DynamoDB::Table orders (OrdersTable)',
      '38:2 resource AWS::Lambda::Function orders-handler (OrdersFunction)',
      '57:24 resource AWS::SNS::Topic arn:aws:sns:us-east-1:123456789012:order-events',
      '59:2 resource AWS::SQS::Queue orders-prod-dlq (DeadLetters)',
      '64:2 resource AWS::SNS::Topic - (Alarms)',
      '69:2 resource AWS::IAM::ManagedPolicy - (ReadOnlyPolicy)',
    ]);
    assert.equal(covered(text, references[0]), 'ArchiveBucket');
    assert.equal(references[5].text, 'Alarms (AWS::SNS::Topic)', 'a name CloudFormation generates is not known');
    assert.deepEqual(auditTerms(references[5]), []);
  });

  test('JSON: Fn::Sub, Fn::Join and Ref of parameters; resources without a name', () => {
    const text = fixture('template.json');
    const references = referencesOf('json', text);
    assert.deepEqual(summary(references), [
      '6:5 resource AWS::S3::Bucket uploads-dev (Uploads)',
      '10:5 resource AWS::Lambda::Function upload-worker (Worker)',
      '14:17 resource AWS::IAM::Role arn:aws:iam::123456789012:role/upload-worker',
      '20:5 resource AWS::SQS::Queue jobs-dev (Jobs)',
      '24:5 resource AWS::KMS::Key - (Key)',
    ]);
    assert.equal(covered(text, references[0]), 'Uploads');
  });

  test('JSON that is not a template has no references, ARNs or not; other YAML is read for ARNs', () => {
    const cloudTrailLog = JSON.stringify({ Records: [{ eventName: 'GetObject', resources: [{ ARN: 'arn:aws:s3:::bucket' }] }] });
    assert.deepEqual(referencesOf('json', cloudTrailLog), []);
    const workflow = 'jobs:\n  deploy:\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:aws:iam::123456789012:role/deploy # arn:aws:iam::123456789012:role/comment\n';
    assert.deepEqual(summary(referencesOf('yaml', workflow)), ['5:26 resource AWS::IAM::Role arn:aws:iam::123456789012:role/deploy']);
  });

  test('a broken template yields what it can and never throws', () => {
    const text = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: "unclosed\n  Table: [\n';
    assert.doesNotThrow(() => referencesOf('yaml', text));
  });
});

describe('Terraform', () => {
  test('resource and data blocks, variables and locals, nested blocks, heredocs and comments', () => {
    const text = fixture('main.tf');
    const references = referencesOf('terraform', text);
    assert.deepEqual(summary(references), [
      '21:0 resource AWS::S3::Bucket demo-orders-archive (aws_s3_bucket.archive)',
      '37:0 resource AWS::DynamoDB::Table orders (aws_dynamodb_table.orders)',
      '55:0 resource AWS::IAM::Role orders-worker-prod (aws_iam_role.worker)',
      '75:18 resource AWS::SNS::Topic arn:aws:sns:us-east-1:123456789012:order-events',
      '80:0 resource AWS::Lambda::Function - (aws_lambda_function.orders)',
      '88:0 resource AWS::SQS::Queue orders-dlq (data.aws_sqs_queue.dlq)',
    ]);
    assert.equal(covered(text, references[0]), 'resource "aws_s3_bucket" "archive"');
  });

  test('.tf files are Terraform whatever their language id', () => {
    const text = 'resource "aws_sqs_queue" "jobs" { name = "jobs" }\n';
    assert.deepEqual(summary(referencesOf('plaintext', text, 'file:///infra/main.tf')), ['0:0 resource AWS::SQS::Queue jobs (aws_sqs_queue.jobs)']);
  });

  test('the HCL reader survives what would derail a naive one', () => {
    const text = [
      '# resource "aws_s3_bucket" "commented" { bucket = "x" }',
      'locals {',
      '  braces = "a } { b ${jsonencode({ k = "v}" })} \\" }"',
      '  escaped = "$${not.interpolated}"',
      '}',
      'resource "aws_iam_policy" "p" {',
      '  name   = "p"',
      '  policy = <<POLICY',
      '{ "Statement": [ { "Resource": "arn:aws:s3:::reports" } ] }',
      'resource "aws_s3_bucket" "fake" {',
      'POLICY',
      '  tags = { a = "b", c = ["d", { e = "}" }] }',
      '}',
      'resource "aws_s3_bucket" "after" {',
      '  bucket = "after-all"',
      '  /* } */',
      '  // }',
      '}',
    ].join('\n');
    const file = parseHcl(text);
    assert.deepEqual(file.blocks.map((b) => [b.type, ...b.labels.map((l) => l.value)].join(' ')), ['locals', 'resource aws_iam_policy p', 'resource aws_s3_bucket after']);
    const locals = file.blocks[0].attributes;
    const braces = locals.get('braces')?.value;
    assert.ok(braces?.kind === 'string' && braces.string.template);
    const escaped = locals.get('escaped')?.value;
    assert.ok(escaped?.kind === 'string' && !escaped.string.template && escaped.string.value === '${not.interpolated}');
    assert.deepEqual(summary(referencesOf('terraform', text)), [
      '5:0 resource AWS::IAM::ManagedPolicy p (aws_iam_policy.p)',
      '8:32 resource AWS::S3::Bucket arn:aws:s3:::reports',
      '13:0 resource AWS::S3::Bucket after-all (aws_s3_bucket.after)',
    ]);
  });
});

describe('service and operation names', () => {
  test('eventSource is the endpoint prefix, except where CloudTrail records another', () => {
    const sourceOf = (boto3: string) => serviceForBoto3(boto3)?.eventSource;
    assert.equal(sourceOf('s3'), 's3.amazonaws.com');
    assert.equal(sourceOf('cloudwatch'), 'monitoring.amazonaws.com');
    assert.equal(sourceOf('logs'), 'logs.amazonaws.com');
    assert.equal(sourceOf('stepfunctions'), 'states.amazonaws.com');
    assert.equal(sourceOf('sts'), 'sts.amazonaws.com');
    assert.equal(sourceOf('iam'), 'iam.amazonaws.com');
    assert.equal(sourceOf('apigatewaymanagementapi'), 'execute-api.amazonaws.com');
    assert.equal(sourceOf('ses'), 'ses.amazonaws.com');
    assert.equal(sourceOf('ecr'), 'ecr.amazonaws.com');
    assert.equal(sourceOf('s3control'), 's3.amazonaws.com');
    assert.equal(sourceOf('emr'), 'elasticmapreduce.amazonaws.com');
    assert.equal(eventSourceOf('bedrock-runtime'), 'bedrock.amazonaws.com');
  });

  test('boto3 names back to API names, acronyms included', () => {
    const api = (service: string, method: string) => apiFromBoto3(serviceForBoto3(service)!, method);
    assert.equal(api('s3', 'list_objects_v2'), 'ListObjectsV2');
    assert.equal(api('s3', 'upload_file'), 'PutObject');
    assert.equal(api('rds', 'describe_db_instances'), 'DescribeDBInstances');
    assert.equal(api('iam', 'create_virtual_mfa_device'), 'CreateVirtualMFADevice');
    assert.equal(api('iam', 'list_open_id_connect_providers'), 'ListOpenIDConnectProviders');
    assert.equal(api('sqs', 'send_message_batch'), 'SendMessageBatch');
    assert.equal(api('s3', 'get_paginator'), undefined);
  });
});

/** A CloudTrail record as the audit model reads it. */
function event(fields: Record<string, unknown>): AuditEvent {
  const conversion = toAuditEvent({
    eventVersion: '1.09',
    eventID: `e-${Math.random()}`,
    eventTime: '2026-11-20T12:00:00Z',
    awsRegion: 'us-east-1',
    recipientAccountId: '123456789012',
    userIdentity: { type: 'IAMUser', userName: 'alice', arn: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012' },
    sourceIPAddress: '203.0.113.7',
    readOnly: false,
    ...fields,
  });
  assert.ok(conversion.event, conversion.problem);
  return conversion.event;
}

function reference(kind: 'call' | 'resource', fields: Partial<CodeReference>): CodeReference {
  return { kind, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, text: '', ...fields };
}

describe('matching events', () => {
  const deleteObject = event({ eventSource: 's3.amazonaws.com', eventName: 'DeleteObject', requestParameters: { bucketName: 'demo-orders-archive', key: 'orders/1.json' } });
  const deleteBucket = event({ eventSource: 's3.amazonaws.com', eventName: 'DeleteBucket', resources: [{ ARN: 'arn:aws:s3:::demo-orders-archive', type: 'AWS::S3::Bucket' }] });
  const sendMessage = event({ eventSource: 'sqs.amazonaws.com', eventName: 'SendMessage', requestParameters: { queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-dlq' } });
  const invoke = event({ eventSource: 'lambda.amazonaws.com', eventName: 'Invoke', requestParameters: { functionName: 'orders' } });

  test('a call matches its eventSource and eventName', () => {
    const call = reference('call', { eventSource: 's3.amazonaws.com', eventName: 'DeleteObject' });
    assert.equal(eventMatches(call, deleteObject), true);
    assert.equal(eventMatches(call, deleteBucket), false);
    assert.equal(eventMatches(reference('call', { eventSource: 'sqs.amazonaws.com', eventName: 'DeleteObject' }), deleteObject), false);
    assert.deepEqual(auditTerms(call), ['es=s3.amazonaws.com', 'en=DeleteObject']);
  });

  test('a resource matches by ARN exactly, by name case-sensitively, a bucket by its ARN, a queue by its URL', () => {
    const bucket = reference('resource', { resource: { name: 'demo-orders-archive', type: 'AWS::S3::Bucket' } });
    assert.equal(eventMatches(bucket, deleteObject), true);
    assert.equal(eventMatches(bucket, deleteBucket), true);
    assert.equal(eventMatches(reference('resource', { resource: { name: 'Demo-Orders-Archive', type: 'AWS::S3::Bucket' } }), deleteObject), false);
    assert.equal(eventMatches(reference('resource', { resource: { name: 'demo-orders-archive', type: 'AWS::S3::Bucket' } }), { ...deleteBucket, resources: [{ arn: 'arn:aws:s3:::demo-orders-archive' }] }), true);
    const bucketArn = reference('resource', { resource: { arn: 'arn:aws:s3:::demo-orders-archive', type: 'AWS::S3::Bucket' } });
    assert.equal(eventMatches(bucketArn, deleteBucket), true);
    assert.equal(eventMatches(bucketArn, { ...deleteBucket, resources: [{ name: 'demo-orders-archive', type: 'AWS::S3::Bucket' }] }), true);
    const queue = reference('resource', { resource: { name: 'orders-dlq', type: 'AWS::SQS::Queue' } });
    assert.equal(eventMatches(queue, sendMessage), true);
    assert.equal(eventMatches(queue, { ...sendMessage, resources: [{ name: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-dlq' }] }), true);
    const functionArn = reference('resource', { resource: { arn: 'arn:aws:lambda:us-east-1:123456789012:function:orders' } });
    assert.equal(eventMatches(functionArn, invoke), true);
    assert.equal(eventMatches(reference('resource', { resource: { arn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:prod' } }), invoke), false);
    assert.equal(eventMatches(reference('resource', { resource: { arn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders' } }), invoke), false, 'another region is another function');
    assert.deepEqual(auditTerms(bucket), ['rn=demo-orders-archive']);
    assert.deepEqual(auditTerms(functionArn), ['ra=arn:aws:lambda:us-east-1:123456789012:function:orders']);
  });

  test("a file's references find their events in the AuditService's store by their terms", () => {
    const dir = mkdtempSync(join(tmpdir(), 'sightline-refs-'));
    const store = Store.open(dir, { name: 'audit', durable: false });
    try {
      const audit = new AuditService(store);
      audit.ingest([deleteObject, deleteBucket, sendMessage, invoke]);
      const references = referencesOf('python', fixture('orders.py'));
      const found = (r: CodeReference) => {
        const terms = auditTerms(r);
        const events = audit.eventsFor(r.kind === 'call' ? { all: terms } : { any: terms }, 10, 0).events;
        for (const e of events) assert.ok(eventMatches(r, e), `${r.text} matches ${e.eventName}`);
        return events.map((e) => e.eventName).sort();
      };
      const deleteCall = references.find((r) => r.eventName === 'DeleteObject')!;
      assert.deepEqual(found(deleteCall), ['DeleteObject']);
      const bucket = references.find((r) => r.resource?.name === 'demo-orders-archive')!;
      assert.deepEqual(found(bucket), ['DeleteBucket', 'DeleteObject']);
      const queue = references.find((r) => r.resource?.name === 'orders-dlq')!;
      assert.deepEqual(found(queue), ['SendMessage']);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the document in the editor', () => {
  test('the tree the server holds is read, not parsed again, and the answer is kept per tree', () => {
    const text = fixture('orders.py');
    const tree = parsers.parse('python', text);
    trees.push(tree);
    const first = referencesFor({ languageId: 'python', text, tree });
    assert.equal(referencesFor({ languageId: 'python', text, tree }), first);
    assert.deepEqual(referencesFor({ languageId: 'python', text }), [], 'code without its tree');
  });

  test('the demo project: its code, its SAM template and its Terraform name the same resources', () => {
    const demo = join(repoRoot, 'examples', 'demo');
    const names = (languageId: string, path: string) =>
      new Set(referencesOf(languageId, readFileSync(join(demo, path), 'utf8'), path).flatMap((r) => (r.resource?.name ? [r.resource.name] : [])));
    const app = names('python', 'app.py');
    const billing = names('typescript', 'src/billing.ts');
    const template = names('yaml', 'template.yaml');
    const terraform = names('terraform', 'main.tf');
    for (const name of ['demo-orders-archive', 'orders']) {
      assert.ok(app.has(name), `app.py names ${name}`);
      assert.ok(template.has(name), `template.yaml declares ${name}`);
      assert.ok(terraform.has(name), `main.tf declares ${name}`);
    }
    assert.ok(billing.has('demo-invoices'));
    assert.ok(template.has('demo-invoices') && terraform.has('demo-invoices'));
  });
});
