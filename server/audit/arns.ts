// Amazon Resource Names found in text: where each one is, its parts, and the CloudFormation-style
// resource type it names. `arn:partition:service:region:account-id:resource`, where the resource
// is `id`, `type/id` or `type:id` and may itself contain `/` and `:`.
import { nameFromArn } from './resources';

export interface ParsedArn {
  partition: string;
  service: string;
  /** '' for global services (IAM, S3 buckets). */
  region: string;
  /** '' for S3 buckets; `aws` for AWS managed IAM policies. */
  account: string;
  /** Everything after the fifth colon: `function:orders`, `table/orders`, `my-bucket/key`. */
  resource: string;
}

export interface ArnMatch {
  arn: string;
  /** Offsets into the scanned text. */
  start: number;
  end: number;
}

const PARTITION = /^aws(-cn|-us-gov|-iso|-iso-[a-z]|-eusc)?$/;

export function parseArn(text: string): ParsedArn | undefined {
  if (!text.startsWith('arn:')) return undefined;
  const parts = text.split(':');
  if (parts.length < 6) return undefined;
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  if (!PARTITION.test(partition) || !/^[a-z0-9-]+$/.test(service) || !/^[a-z0-9-]*$/.test(region)) return undefined;
  if (!/^(\d{12}|aws|)$/.test(account) || resource === '') return undefined;
  return { partition, service, region, account, resource };
}

/**
 * A candidate: `arn:` not inside a word, then characters ARNs are made of. Interpolation (`${`,
 * `{`), quotes, whitespace and brackets end it, so `f"arn:aws:s3:::{bucket}"` yields no ARN.
 */
const CANDIDATE = /(?<![A-Za-z0-9_-])arn:[A-Za-z0-9_+=,.@\-/:*?]+/g;

/**
 * The ARNs in `text` between `from` and `to`. Wildcard ARNs (`arn:aws:s3:::bucket/*`) are left out:
 * they are patterns in a policy, not a resource, and no event carries them.
 */
export function findArns(text: string, from = 0, to = text.length): ArnMatch[] {
  const found: ArnMatch[] = [];
  const span = from === 0 && to === text.length ? text : text.slice(from, to);
  if (!span.includes('arn:')) return found;
  for (const match of span.matchAll(CANDIDATE)) {
    let arn = match[0];
    // A sentence may end right after an ARN: "… see arn:aws:sns:…:alerts."
    while (arn.endsWith('.') || arn.endsWith(',') || arn.endsWith(':')) arn = arn.slice(0, -1);
    const next = span.charAt(match.index + match[0].length);
    if (next === '{' || next === '$' || arn.includes('*') || arn.includes('?')) continue;
    if (!parseArn(arn)) continue;
    found.push({ arn, start: from + match.index, end: from + match.index + arn.length });
  }
  return found;
}

/** `service:resource-type` → CloudFormation type; the resource type is the ARN's `type/` or `type:` prefix. */
const TYPES: Record<string, string> = {
  'dynamodb:table': 'AWS::DynamoDB::Table',
  'lambda:function': 'AWS::Lambda::Function',
  'lambda:layer': 'AWS::Lambda::LayerVersion',
  'lambda:event-source-mapping': 'AWS::Lambda::EventSourceMapping',
  'iam:role': 'AWS::IAM::Role',
  'iam:user': 'AWS::IAM::User',
  'iam:group': 'AWS::IAM::Group',
  'iam:policy': 'AWS::IAM::ManagedPolicy',
  'iam:instance-profile': 'AWS::IAM::InstanceProfile',
  'iam:oidc-provider': 'AWS::IAM::OIDCProvider',
  'iam:saml-provider': 'AWS::IAM::SAMLProvider',
  'kms:key': 'AWS::KMS::Key',
  'kms:alias': 'AWS::KMS::Alias',
  'secretsmanager:secret': 'AWS::SecretsManager::Secret',
  'ssm:parameter': 'AWS::SSM::Parameter',
  'states:stateMachine': 'AWS::StepFunctions::StateMachine',
  'states:activity': 'AWS::StepFunctions::Activity',
  'kinesis:stream': 'AWS::Kinesis::Stream',
  'firehose:deliverystream': 'AWS::KinesisFirehose::DeliveryStream',
  'logs:log-group': 'AWS::Logs::LogGroup',
  'ec2:instance': 'AWS::EC2::Instance',
  'ec2:security-group': 'AWS::EC2::SecurityGroup',
  'ec2:vpc': 'AWS::EC2::VPC',
  'ec2:subnet': 'AWS::EC2::Subnet',
  'ec2:volume': 'AWS::EC2::Volume',
  'ec2:route-table': 'AWS::EC2::RouteTable',
  'ec2:network-acl': 'AWS::EC2::NetworkAcl',
  'ec2:internet-gateway': 'AWS::EC2::InternetGateway',
  'ec2:natgateway': 'AWS::EC2::NatGateway',
  'events:rule': 'AWS::Events::Rule',
  'events:event-bus': 'AWS::Events::EventBus',
  'ecr:repository': 'AWS::ECR::Repository',
  'ecs:cluster': 'AWS::ECS::Cluster',
  'ecs:service': 'AWS::ECS::Service',
  'ecs:task-definition': 'AWS::ECS::TaskDefinition',
  'rds:db': 'AWS::RDS::DBInstance',
  'rds:cluster': 'AWS::RDS::DBCluster',
  'cloudformation:stack': 'AWS::CloudFormation::Stack',
  'cloudtrail:trail': 'AWS::CloudTrail::Trail',
  'cognito-idp:userpool': 'AWS::Cognito::UserPool',
  'eks:cluster': 'AWS::EKS::Cluster',
  'athena:workgroup': 'AWS::Athena::WorkGroup',
  'elasticloadbalancing:loadbalancer': 'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'elasticloadbalancing:targetgroup': 'AWS::ElasticLoadBalancingV2::TargetGroup',
  'acm:certificate': 'AWS::CertificateManager::Certificate',
  'route53:hostedzone': 'AWS::Route53::HostedZone',
  's3:accesspoint': 'AWS::S3::AccessPoint',
  'sagemaker:endpoint': 'AWS::SageMaker::Endpoint',
  'glue:table': 'AWS::Glue::Table',
  'glue:database': 'AWS::Glue::Database',
  'scheduler:schedule': 'AWS::Scheduler::Schedule',
};

/** The resource type an ARN names, where Sightline knows it. */
export function arnResourceType(arn: ParsedArn): string | undefined {
  const { service, resource } = arn;
  // Services whose ARNs have no resource-type prefix.
  if (service === 's3' && arn.region === '' && arn.account === '') return resource.includes('/') ? 'AWS::S3::Object' : 'AWS::S3::Bucket';
  if (service === 'sqs') return 'AWS::SQS::Queue';
  if (service === 'sns') return resource.includes(':') ? 'AWS::SNS::Subscription' : 'AWS::SNS::Topic';
  if (service === 'dynamodb' && /^table\/[^/]+\/stream\//.test(resource)) return 'AWS::DynamoDB::Stream';
  const prefix = /^[A-Za-z-]+(?=[/:])/.exec(resource)?.[0];
  return prefix ? TYPES[`${service}:${prefix}`] : undefined;
}

/** The resource an ARN names: the ARN, the name CloudTrail's resources carry for it, and its type. */
export function arnResource(text: string): { arn: string; name?: string; type?: string } | undefined {
  const parsed = parseArn(text);
  if (!parsed) return undefined;
  const resource: { arn: string; name?: string; type?: string } = { arn: text };
  const name = nameFromArn(text);
  if (name) resource.name = name;
  const type = arnResourceType(parsed);
  if (type) resource.type = type;
  return resource;
}
