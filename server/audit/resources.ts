// Which resources a CloudTrail record touches: its own `resources[]` (CloudTrail fills it for data
// events and some management events), plus what the request names — `bucketName`, `tableName`,
// `functionName`… — read through a table per eventSource, because most management events leave
// `resources[]` out. ARNs are built only where the name fixes the ARN (no IAM paths are guessed).

export interface AuditResource {
  arn?: string;
  name?: string;
  type?: string;
}

interface RecordLike {
  resources?: unknown;
  requestParameters?: unknown;
  responseElements?: unknown;
}

/** What the ARN template may use besides the value: `{partition}`, `{region}`, `{account}`, `{param:<name>}`. */
interface Rule {
  /** Dotted path into requestParameters; `[]` walks an array, e.g. `instancesSet.items[].instanceId`. */
  path: string;
  type: string;
  /** Template with `{value}`; left out where the ARN would need more than the request says. */
  arn?: string;
  /** Turns the raw value into the name (and, where it carries one, the account). */
  parse?: (value: string) => { name: string; account?: string } | undefined;
  /** Read responseElements instead of requestParameters (resources created by the call). */
  response?: boolean;
}

const sqsQueueUrl = (url: string) => {
  // https://sqs.us-east-1.amazonaws.com/123456789012/queue-name
  const parts = url.split('/').filter(Boolean);
  const name = parts[parts.length - 1];
  const account = parts[parts.length - 2];
  return name ? { name, account: account && /^\d{12}$/.test(account) ? account : undefined } : undefined;
};

const RULES: Record<string, Rule[]> = {
  's3.amazonaws.com': [
    { path: 'bucketName', type: 'AWS::S3::Bucket', arn: 'arn:{partition}:s3:::{value}' },
    { path: 'key', type: 'AWS::S3::Object', arn: 'arn:{partition}:s3:::{param:bucketName}/{value}' },
  ],
  'dynamodb.amazonaws.com': [
    { path: 'tableName', type: 'AWS::DynamoDB::Table', arn: 'arn:{partition}:dynamodb:{region}:{account}:table/{value}' },
    { path: 'backupArn', type: 'AWS::DynamoDB::Backup' },
  ],
  'lambda.amazonaws.com': [
    { path: 'functionName', type: 'AWS::Lambda::Function', arn: 'arn:{partition}:lambda:{region}:{account}:function:{value}' },
    { path: 'layerName', type: 'AWS::Lambda::LayerVersion' },
  ],
  'sqs.amazonaws.com': [
    { path: 'queueUrl', type: 'AWS::SQS::Queue', arn: 'arn:{partition}:sqs:{region}:{account}:{value}', parse: sqsQueueUrl },
    { path: 'queueName', type: 'AWS::SQS::Queue', arn: 'arn:{partition}:sqs:{region}:{account}:{value}' },
  ],
  'sns.amazonaws.com': [
    { path: 'topicArn', type: 'AWS::SNS::Topic' },
    { path: 'name', type: 'AWS::SNS::Topic', arn: 'arn:{partition}:sns:{region}:{account}:{value}' },
  ],
  'iam.amazonaws.com': [
    { path: 'roleName', type: 'AWS::IAM::Role' },
    { path: 'userName', type: 'AWS::IAM::User' },
    { path: 'groupName', type: 'AWS::IAM::Group' },
    { path: 'policyArn', type: 'AWS::IAM::ManagedPolicy' },
    { path: 'instanceProfileName', type: 'AWS::IAM::InstanceProfile' },
    { path: 'accessKeyId', type: 'AWS::IAM::AccessKey' },
    { path: 'accessKey.accessKeyId', type: 'AWS::IAM::AccessKey', response: true },
  ],
  'sts.amazonaws.com': [
    { path: 'roleArn', type: 'AWS::IAM::Role' },
  ],
  'kms.amazonaws.com': [
    { path: 'keyId', type: 'AWS::KMS::Key', arn: 'arn:{partition}:kms:{region}:{account}:key/{value}' },
    { path: 'aliasName', type: 'AWS::KMS::Alias', arn: 'arn:{partition}:kms:{region}:{account}:{value}' },
  ],
  'secretsmanager.amazonaws.com': [
    { path: 'secretId', type: 'AWS::SecretsManager::Secret' },
    { path: 'name', type: 'AWS::SecretsManager::Secret' },
  ],
  'ssm.amazonaws.com': [
    { path: 'name', type: 'AWS::SSM::Parameter', arn: 'arn:{partition}:ssm:{region}:{account}:parameter/{value}' },
  ],
  'ec2.amazonaws.com': [
    { path: 'instancesSet.items[].instanceId', type: 'AWS::EC2::Instance', arn: 'arn:{partition}:ec2:{region}:{account}:instance/{value}' },
    { path: 'instancesSet.items[].instanceId', type: 'AWS::EC2::Instance', arn: 'arn:{partition}:ec2:{region}:{account}:instance/{value}', response: true },
    { path: 'instanceId', type: 'AWS::EC2::Instance', arn: 'arn:{partition}:ec2:{region}:{account}:instance/{value}' },
    { path: 'groupId', type: 'AWS::EC2::SecurityGroup', arn: 'arn:{partition}:ec2:{region}:{account}:security-group/{value}' },
    { path: 'groupName', type: 'AWS::EC2::SecurityGroup' },
    { path: 'vpcId', type: 'AWS::EC2::VPC', arn: 'arn:{partition}:ec2:{region}:{account}:vpc/{value}' },
    { path: 'subnetId', type: 'AWS::EC2::Subnet', arn: 'arn:{partition}:ec2:{region}:{account}:subnet/{value}' },
    { path: 'routeTableId', type: 'AWS::EC2::RouteTable', arn: 'arn:{partition}:ec2:{region}:{account}:route-table/{value}' },
    { path: 'networkAclId', type: 'AWS::EC2::NetworkAcl', arn: 'arn:{partition}:ec2:{region}:{account}:network-acl/{value}' },
    { path: 'internetGatewayId', type: 'AWS::EC2::InternetGateway', arn: 'arn:{partition}:ec2:{region}:{account}:internet-gateway/{value}' },
    { path: 'volumeId', type: 'AWS::EC2::Volume', arn: 'arn:{partition}:ec2:{region}:{account}:volume/{value}' },
  ],
  'logs.amazonaws.com': [
    { path: 'logGroupName', type: 'AWS::Logs::LogGroup', arn: 'arn:{partition}:logs:{region}:{account}:log-group:{value}' },
  ],
  'cloudformation.amazonaws.com': [
    { path: 'stackName', type: 'AWS::CloudFormation::Stack' },
  ],
  'cloudtrail.amazonaws.com': [
    { path: 'name', type: 'AWS::CloudTrail::Trail', arn: 'arn:{partition}:cloudtrail:{region}:{account}:trail/{value}' },
    { path: 'trailName', type: 'AWS::CloudTrail::Trail', arn: 'arn:{partition}:cloudtrail:{region}:{account}:trail/{value}' },
  ],
  'config.amazonaws.com': [
    { path: 'configurationRecorderName', type: 'AWS::Config::ConfigurationRecorder' },
    { path: 'deliveryChannelName', type: 'AWS::Config::DeliveryChannel' },
    { path: 'configRuleName', type: 'AWS::Config::ConfigRule' },
  ],
  'ecr.amazonaws.com': [
    { path: 'repositoryName', type: 'AWS::ECR::Repository', arn: 'arn:{partition}:ecr:{region}:{account}:repository/{value}' },
  ],
  'ecs.amazonaws.com': [
    { path: 'cluster', type: 'AWS::ECS::Cluster' },
    { path: 'service', type: 'AWS::ECS::Service' },
  ],
  'kinesis.amazonaws.com': [
    { path: 'streamName', type: 'AWS::Kinesis::Stream', arn: 'arn:{partition}:kinesis:{region}:{account}:stream/{value}' },
  ],
  'rds.amazonaws.com': [
    { path: 'dBInstanceIdentifier', type: 'AWS::RDS::DBInstance', arn: 'arn:{partition}:rds:{region}:{account}:db:{value}' },
    { path: 'dBClusterIdentifier', type: 'AWS::RDS::DBCluster', arn: 'arn:{partition}:rds:{region}:{account}:cluster:{value}' },
  ],
  'events.amazonaws.com': [
    { path: 'name', type: 'AWS::Events::Rule' },
  ],
  'states.amazonaws.com': [
    { path: 'stateMachineArn', type: 'AWS::StepFunctions::StateMachine' },
  ],
  'apigateway.amazonaws.com': [
    { path: 'restApiId', type: 'AWS::ApiGateway::RestApi' },
  ],
  'elasticloadbalancing.amazonaws.com': [
    { path: 'loadBalancerArn', type: 'AWS::ElasticLoadBalancingV2::LoadBalancer' },
    { path: 'loadBalancerName', type: 'AWS::ElasticLoadBalancing::LoadBalancer' },
  ],
  'organizations.amazonaws.com': [
    { path: 'accountId', type: 'AWS::Organizations::Account' },
    { path: 'policyId', type: 'AWS::Organizations::Policy' },
  ],
};

type TemplatePart = string | { key: 'value' | 'partition' | 'region' | 'account' } | { param: string };

interface CompiledRule extends Rule {
  segments: string[];
  template?: TemplatePart[];
}

/** `arn:{partition}:s3:::{param:bucketName}/{value}` → literal strings and placeholders, once at load. */
function compileTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of template.matchAll(/\{([a-z]+)(?::([A-Za-z]+))?\}/g)) {
    if (match.index > last) parts.push(template.slice(last, match.index));
    const key = match[1];
    if (key === 'param') parts.push({ param: match[2] ?? '' });
    else if (key === 'value' || key === 'partition' || key === 'region' || key === 'account') parts.push({ key });
    else throw new Error(`unknown placeholder {${key}} in ${template}`);
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return parts;
}

const COMPILED = new Map<string, CompiledRule[]>(
  Object.entries(RULES).map(([source, rules]) => [source, rules.map((rule) => ({
    ...rule, segments: rule.path.split('.'), template: rule.arn ? compileTemplate(rule.arn) : undefined,
  }))]),
);

/** The sources and request parameters the table reads, for documentation and tests. */
export function resourceRuleTable(): { eventSource: string; path: string; type: string; response: boolean }[] {
  return Object.entries(RULES).flatMap(([eventSource, rules]) => rules.map((r) => ({ eventSource, path: r.path, type: r.type, response: !!r.response })));
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

/**
 * The resource part of an ARN as a name: the object key for S3 objects (`arn:aws:s3:::bucket/key`
 * → `key`), the bucket for buckets, otherwise the last `/` segment (`table/orders` → `orders`) or
 * the part after the resource type (`function:name` → `name`).
 */
export function nameFromArn(arn: string): string | undefined {
  // arn:partition:service:region:account:resource — the resource starts after the fifth colon.
  if (!arn.startsWith('arn:')) return undefined;
  const afterPartition = arn.indexOf(':', 4);
  const afterService = afterPartition < 0 ? -1 : arn.indexOf(':', afterPartition + 1);
  const afterRegion = afterService < 0 ? -1 : arn.indexOf(':', afterService + 1);
  const at = afterRegion < 0 ? -1 : arn.indexOf(':', afterRegion + 1);
  if (at < 0) return undefined;
  const serviceStart = afterPartition + 1;
  const serviceEnd = afterService;
  const start = at + 1;
  if (start >= arn.length) return undefined;
  if (serviceEnd - serviceStart === 2 && arn.startsWith('s3', serviceStart)) {
    const slash = arn.indexOf('/', start);
    return slash >= 0 ? arn.slice(slash + 1) || undefined : arn.slice(start);
  }
  const slash = arn.lastIndexOf('/');
  if (slash >= start) return arn.slice(slash + 1) || undefined;
  const colon = arn.indexOf(':', start);
  if (colon >= 0) {
    const end = arn.indexOf(':', colon + 1);
    return (end >= 0 ? arn.slice(colon + 1, end) : arn.slice(colon + 1)) || undefined;
  }
  return arn.slice(start);
}

function collect(root: unknown, segments: string[], index: number, out: string[]): void {
  if (root === null || typeof root !== 'object') return;
  let segment = segments[index];
  const many = segment.endsWith('[]');
  if (many) segment = segment.slice(0, -2);
  const value = (root as Record<string, unknown>)[segment];
  const last = index === segments.length - 1;
  const values = many ? (Array.isArray(value) ? value : []) : [value];
  for (const v of values) {
    if (last) {
      if (typeof v === 'string' && v !== '') out.push(v);
    } else {
      collect(v, segments, index + 1, out);
    }
  }
}

function fillTemplate(parts: TemplatePart[], value: string, params: Record<string, unknown>, region: string, account: string): string | undefined {
  let arn = '';
  for (const part of parts) {
    let piece: unknown;
    if (typeof part === 'string') piece = part;
    else if ('param' in part) piece = params[part.param];
    else if (part.key === 'value') piece = value;
    else if (part.key === 'partition') piece = partitionOf(region);
    else if (part.key === 'region') piece = region;
    else piece = account;
    if (typeof piece !== 'string' || piece === '') return undefined;
    arn += piece;
  }
  return arn;
}

/**
 * Resources merged by ARN, or by type and name when one side has no ARN (LookupEvents names a
 * bucket that resources[] gives by ARN). Records touch few resources, so a list search is enough.
 */
function addResource(list: AuditResource[], resource: AuditResource): void {
  for (const existing of list) {
    const same = resource.arn !== undefined && existing.arn !== undefined
      ? existing.arn === resource.arn
      : resource.name !== undefined && existing.name === resource.name && existing.type === resource.type;
    if (same) {
      existing.arn ??= resource.arn;
      existing.name ??= resource.name;
      existing.type ??= resource.type;
      return;
    }
  }
  list.push(resource);
}

/**
 * The resources of one record: `resources[]`, then `extra` (e.g. LookupEvents' Resources), then
 * the request parameters the table knows for its eventSource, then any top-level request parameter
 * named `…Arn`/`…ARN` holding an ARN. Merged by ARN, else by type and name.
 */
export function deriveResources(record: RecordLike, eventSource: string, region: string, account: string, extra?: readonly AuditResource[]): AuditResource[] {
  const list: AuditResource[] = [];
  if (Array.isArray(record.resources)) {
    for (const item of record.resources) {
      if (item === null || typeof item !== 'object') continue;
      const r = item as Record<string, unknown>;
      const arn = typeof r.ARN === 'string' && r.ARN ? r.ARN : undefined;
      const type = typeof r.type === 'string' && r.type ? r.type : undefined;
      if (!arn && !type) continue;
      const resource: AuditResource = {};
      if (arn) {
        resource.arn = arn;
        const name = nameFromArn(arn);
        if (name) resource.name = name;
      }
      if (type) resource.type = type;
      addResource(list, resource);
    }
  }
  if (extra) for (const resource of extra) addResource(list, { ...resource });

  const params = record.requestParameters !== null && typeof record.requestParameters === 'object' && !Array.isArray(record.requestParameters)
    ? (record.requestParameters as Record<string, unknown>)
    : undefined;
  const response = record.responseElements !== null && typeof record.responseElements === 'object'
    ? (record.responseElements as Record<string, unknown>)
    : undefined;
  const rules = COMPILED.get(eventSource);
  if (rules && (params || response)) {
    const add = (rule: CompiledRule, raw: string) => {
      if (raw.startsWith('arn:')) {
        const name = nameFromArn(raw);
        addResource(list, name ? { arn: raw, name, type: rule.type } : { arn: raw, type: rule.type });
        return;
      }
      const parsed = rule.parse ? rule.parse(raw) : undefined;
      if (rule.parse && !parsed) return;
      const name = parsed ? parsed.name : raw;
      const resource: AuditResource = { name, type: rule.type };
      if (rule.template) {
        const arn = fillTemplate(rule.template, name, params ?? {}, region, parsed?.account ?? account);
        if (arn) resource.arn = arn;
      }
      addResource(list, resource);
    };
    for (const rule of rules) {
      const root = rule.response ? response : params;
      if (!root) continue;
      if (rule.segments.length === 1) {
        // Most rules name one top-level parameter.
        const value = root[rule.path];
        if (typeof value === 'string' && value !== '') add(rule, value);
        continue;
      }
      const values: string[] = [];
      collect(root, rule.segments, 0, values);
      for (const value of values) add(rule, value);
    }
  }
  if (params) {
    for (const key in params) {
      if (!Object.prototype.hasOwnProperty.call(params, key)) continue;
      const last3 = key.slice(-3);
      if (last3 !== 'Arn' && last3 !== 'ARN' && last3 !== 'arn') continue;
      const value = params[key];
      if (typeof value !== 'string' || !value.startsWith('arn:')) continue;
      const name = nameFromArn(value);
      addResource(list, name ? { arn: value, name } : { arn: value });
    }
  }
  return list;
}
