// Terraform files: each `resource "aws_*"` and `data "aws_*"` block of a type CloudTrail records
// resources of, with its address (`aws_s3_bucket.archive`), that CloudFormation-style type, and its
// name where the configuration fixes it — a string, `var.x` with a string default, `local.x`, or a
// template made only of those; plus the ARNs in any string or heredoc. The reference's range is the
// block's header, `resource "aws_s3_bucket" "archive"`.
import { arnResource, findArns } from './arns';
import type { FoundReference } from './codeReferences';
import { parseHcl, type HclBlock, type HclFile, type HclValue } from './hcl';
import type { AuditResource } from './resources';

/** Terraform resource type → the type CloudTrail records and the attribute holding the name. */
const terraformTypes: Record<string, { type: string; name?: string }> = {
  aws_s3_bucket: { type: 'AWS::S3::Bucket', name: 'bucket' },
  aws_dynamodb_table: { type: 'AWS::DynamoDB::Table', name: 'name' },
  aws_lambda_function: { type: 'AWS::Lambda::Function', name: 'function_name' },
  aws_lambda_layer_version: { type: 'AWS::Lambda::LayerVersion', name: 'layer_name' },
  aws_sqs_queue: { type: 'AWS::SQS::Queue', name: 'name' },
  aws_sns_topic: { type: 'AWS::SNS::Topic', name: 'name' },
  aws_iam_role: { type: 'AWS::IAM::Role', name: 'name' },
  aws_iam_user: { type: 'AWS::IAM::User', name: 'name' },
  aws_iam_group: { type: 'AWS::IAM::Group', name: 'name' },
  aws_iam_policy: { type: 'AWS::IAM::ManagedPolicy', name: 'name' },
  aws_iam_instance_profile: { type: 'AWS::IAM::InstanceProfile', name: 'name' },
  aws_kms_key: { type: 'AWS::KMS::Key' },
  aws_kms_alias: { type: 'AWS::KMS::Alias', name: 'name' },
  aws_secretsmanager_secret: { type: 'AWS::SecretsManager::Secret', name: 'name' },
  aws_ssm_parameter: { type: 'AWS::SSM::Parameter', name: 'name' },
  aws_sfn_state_machine: { type: 'AWS::StepFunctions::StateMachine', name: 'name' },
  aws_kinesis_stream: { type: 'AWS::Kinesis::Stream', name: 'name' },
  aws_kinesis_firehose_delivery_stream: { type: 'AWS::KinesisFirehose::DeliveryStream', name: 'name' },
  aws_cloudwatch_log_group: { type: 'AWS::Logs::LogGroup', name: 'name' },
  aws_cloudwatch_event_rule: { type: 'AWS::Events::Rule', name: 'name' },
  aws_cloudwatch_event_bus: { type: 'AWS::Events::EventBus', name: 'name' },
  aws_cloudwatch_metric_alarm: { type: 'AWS::CloudWatch::Alarm', name: 'alarm_name' },
  aws_ecr_repository: { type: 'AWS::ECR::Repository', name: 'name' },
  aws_ecs_cluster: { type: 'AWS::ECS::Cluster', name: 'name' },
  aws_ecs_service: { type: 'AWS::ECS::Service', name: 'name' },
  aws_db_instance: { type: 'AWS::RDS::DBInstance', name: 'identifier' },
  aws_rds_cluster: { type: 'AWS::RDS::DBCluster', name: 'cluster_identifier' },
  aws_security_group: { type: 'AWS::EC2::SecurityGroup', name: 'name' },
  aws_instance: { type: 'AWS::EC2::Instance' },
  aws_vpc: { type: 'AWS::EC2::VPC' },
  aws_subnet: { type: 'AWS::EC2::Subnet' },
  aws_cloudtrail: { type: 'AWS::CloudTrail::Trail', name: 'name' },
  aws_api_gateway_rest_api: { type: 'AWS::ApiGateway::RestApi', name: 'name' },
  aws_cognito_user_pool: { type: 'AWS::Cognito::UserPool', name: 'name' },
  aws_eks_cluster: { type: 'AWS::EKS::Cluster', name: 'name' },
  aws_athena_workgroup: { type: 'AWS::Athena::WorkGroup', name: 'name' },
};

/** `aws_s3_bucket_policy`, `aws_s3_bucket_versioning`…: settings of the bucket their `bucket` names. */
const bucketSetting = { type: 'AWS::S3::Bucket', name: 'bucket' };

/** What `var.x` and `local.x` stand for when the file fixes it. */
interface Constants {
  variables: Map<string, string>;
  locals: Map<string, string>;
}

function constantsOf(file: HclFile): Constants {
  const constants: Constants = { variables: new Map(), locals: new Map() };
  for (const block of file.blocks) {
    if (block.type === 'variable' && block.labels.length === 1) {
      const value = block.attributes.get('default')?.value;
      if (value?.kind === 'string' && !value.string.template) constants.variables.set(block.labels[0].value, value.string.value);
    } else if (block.type === 'locals') {
      for (const [name, attribute] of block.attributes) {
        const value = attribute.value;
        if (value.kind === 'string' && !value.string.template) constants.locals.set(name, value.string.value);
      }
    }
  }
  return constants;
}

function referenceValue(path: readonly string[], constants: Constants): string | undefined {
  if (path.length !== 2) return undefined;
  if (path[0] === 'var') return constants.variables.get(path[1]);
  if (path[0] === 'local') return constants.locals.get(path[1]);
  return undefined;
}

/** The constant a value stands for: a string, a `var`/`local` reference, or a template interpolating only those. */
function constantOf(value: HclValue | undefined, constants: Constants): string | undefined {
  if (!value || value.kind === 'other') return undefined;
  if (value.kind === 'reference') return referenceValue(value.path, constants);
  if (!value.string.template) return value.string.value;
  let unresolved = false;
  const text = value.string.value.replace(/\$\{\s*([^}]*?)\s*\}/g, (_whole, expression: string) => {
    const resolved = /^(var|local)\.[A-Za-z_][\w-]*$/.test(expression) ? referenceValue(expression.split('.'), constants) : undefined;
    if (resolved === undefined) unresolved = true;
    return resolved ?? '';
  });
  return unresolved || text.includes('%{') ? undefined : text;
}

function declared(block: HclBlock, constants: Constants): FoundReference | undefined {
  if ((block.type !== 'resource' && block.type !== 'data') || block.labels.length !== 2) return undefined;
  const [kind, label] = block.labels.map((l) => l.value);
  if (!kind.startsWith('aws_')) return undefined;
  // Types without a counterpart in CloudTrail's resources (inline policies, attachments…) are left out.
  const known = terraformTypes[kind] ?? (kind.startsWith('aws_s3_bucket_') ? bucketSetting : undefined);
  if (!known) return undefined;
  const name = known.name ? constantOf(block.attributes.get(known.name)?.value, constants) : undefined;
  // A bucket setting is about the bucket it names; without the name it says nothing about one.
  if (known === bucketSetting && !name) return undefined;
  const resource: AuditResource = { type: known.type };
  if (name) resource.name = name;
  const address = `${block.type === 'data' ? 'data.' : ''}${kind}.${label}`;
  return { kind: 'resource', start: block.start, end: block.headerEnd, resource, declaredAs: address, text: name ?? address };
}

export function terraformReferences(text: string): FoundReference[] {
  const file = parseHcl(text);
  const constants = constantsOf(file);
  const found: FoundReference[] = [];
  for (const block of file.blocks) {
    const reference = declared(block, constants);
    if (reference) found.push(reference);
  }
  for (const string of file.strings) {
    if (!string.value.includes('arn:')) continue;
    for (const match of findArns(text, string.start, string.end)) {
      const resource = arnResource(match.arn);
      if (resource) found.push({ kind: 'resource', start: match.start, end: match.end, resource, text: match.arn });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
