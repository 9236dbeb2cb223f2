// Request parameters that name a resource, and the resource each value stands for. One table
// serves every SDK: boto3 keywords and JS request keys spell them `Bucket`, `TableName`,
// `logGroupName`, Java builders `bucket`, `tableName`, `dbInstanceIdentifier` — the same words
// once lower-cased. Parameters that mean different things per service (`Name`, `GroupName`) say
// which services they apply to.
import { arnResource } from './arns';
import type { AuditResource } from './resources';

interface ParameterRule {
  type: string;
  /** Endpoint prefixes the rule applies to; every service when absent. */
  services?: readonly string[];
  /** The raw value → the resource name (QueueUrl → queue name). */
  parse?: (value: string) => string | undefined;
}

/** `https://sqs.us-east-1.amazonaws.com/123456789012/orders` → `orders`, as CloudTrail's queueUrl is read (resources.ts). */
export function queueNameFromUrl(url: string): string | undefined {
  if (!/^https?:\/\//.test(url)) return undefined;
  const name = url.split('/').filter(Boolean).pop();
  return name && !name.includes('.') ? name : undefined;
}

const rules: Record<string, ParameterRule[]> = {
  bucket: [{ type: 'AWS::S3::Bucket' }],
  tablename: [{ type: 'AWS::DynamoDB::Table' }],
  functionname: [{ type: 'AWS::Lambda::Function' }],
  queueurl: [{ type: 'AWS::SQS::Queue', parse: queueNameFromUrl }],
  queuename: [{ type: 'AWS::SQS::Queue' }],
  topicarn: [{ type: 'AWS::SNS::Topic' }],
  targetarn: [{ type: 'AWS::SNS::Topic', services: ['sns'] }],
  rolename: [{ type: 'AWS::IAM::Role' }],
  rolearn: [{ type: 'AWS::IAM::Role' }],
  policyarn: [{ type: 'AWS::IAM::ManagedPolicy' }],
  username: [{ type: 'AWS::IAM::User', services: ['iam'] }],
  groupname: [
    { type: 'AWS::IAM::Group', services: ['iam'] },
    { type: 'AWS::EC2::SecurityGroup', services: ['ec2'] },
  ],
  instanceprofilename: [{ type: 'AWS::IAM::InstanceProfile' }],
  keyid: [{ type: 'AWS::KMS::Key' }],
  aliasname: [{ type: 'AWS::KMS::Alias' }],
  secretid: [{ type: 'AWS::SecretsManager::Secret' }],
  statemachinearn: [{ type: 'AWS::StepFunctions::StateMachine' }],
  streamname: [{ type: 'AWS::Kinesis::Stream', services: ['kinesis'] }],
  streamarn: [{ type: 'AWS::Kinesis::Stream', services: ['kinesis'] }],
  deliverystreamname: [{ type: 'AWS::KinesisFirehose::DeliveryStream' }],
  loggroupname: [{ type: 'AWS::Logs::LogGroup' }],
  instanceids: [{ type: 'AWS::EC2::Instance' }],
  instanceid: [{ type: 'AWS::EC2::Instance' }],
  groupid: [{ type: 'AWS::EC2::SecurityGroup', services: ['ec2'] }],
  groupids: [{ type: 'AWS::EC2::SecurityGroup', services: ['ec2'] }],
  stackname: [{ type: 'AWS::CloudFormation::Stack' }],
  repositoryname: [{ type: 'AWS::ECR::Repository', services: ['api.ecr'] }],
  dbinstanceidentifier: [{ type: 'AWS::RDS::DBInstance' }],
  dbclusteridentifier: [{ type: 'AWS::RDS::DBCluster' }],
  eventbusname: [{ type: 'AWS::Events::EventBus' }],
  trailname: [{ type: 'AWS::CloudTrail::Trail' }],
  workgroup: [{ type: 'AWS::Athena::WorkGroup', services: ['athena'] }],
  cluster: [{ type: 'AWS::ECS::Cluster', services: ['ecs'] }],
  name: [
    { type: 'AWS::SSM::Parameter', services: ['ssm'] },
    { type: 'AWS::SecretsManager::Secret', services: ['secretsmanager'] },
    { type: 'AWS::SNS::Topic', services: ['sns'] },
    { type: 'AWS::Events::Rule', services: ['events'] },
    { type: 'AWS::CloudTrail::Trail', services: ['cloudtrail'] },
  ],
  names: [{ type: 'AWS::SSM::Parameter', services: ['ssm'] }],
};

/** Whether a parameter of this name can name a resource of the service (or hold an ARN). */
export function isResourceParameter(parameter: string, endpointPrefix: string): boolean {
  return ruleFor(parameter, endpointPrefix) !== undefined || /arn$/i.test(parameter);
}

function ruleFor(parameter: string, endpointPrefix: string): ParameterRule | undefined {
  return rules[parameter.toLowerCase()]?.find((r) => !r.services || r.services.includes(endpointPrefix));
}

/**
 * The resource a parameter's constant value names: an ARN as itself (typed from the ARN, else
 * from the parameter), `alias/x` as a KMS alias, a queue URL as its queue's name, else the name.
 */
export function parameterResource(parameter: string, endpointPrefix: string, value: string): AuditResource | undefined {
  const rule = ruleFor(parameter, endpointPrefix);
  if (value.startsWith('arn:')) {
    const resource = arnResource(value);
    if (!resource) return undefined;
    if (!resource.type && rule) resource.type = rule.type;
    return resource;
  }
  if (!rule || value === '') return undefined;
  if (rule.type === 'AWS::KMS::Key' && value.startsWith('alias/')) return { name: value, type: 'AWS::KMS::Alias' };
  const name = rule.parse ? rule.parse(value) : value;
  return name ? { name, type: rule.type } : undefined;
}
