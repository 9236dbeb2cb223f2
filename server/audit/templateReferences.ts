// CloudFormation and SAM templates, YAML (with the intrinsic function tags `!Ref`, `!Sub`,
// `!GetAtt`…) and JSON: each resource with its logical id, its type and — where the template fixes
// it — its physical name, plus the ARNs in any value. JSON is parsed as the YAML it also is, so one
// walk over one syntax tree with source ranges serves both.
//
// A physical name counts when it is a constant: a string, `!Ref` of a parameter with a string
// Default, or `!Sub`/`!Join` whose parts are such. Pseudo parameters (`${AWS::StackName}`) and
// other resources' attributes are known only after deployment, so such a name is left out.
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode, type Scalar, type YAMLMap } from 'yaml';
import { arnResource, findArns } from './arns';
import type { FoundReference } from './codeReferences';
import type { AuditResource } from './resources';

/** Where a declared type keeps its physical name, and the type its resources have in CloudTrail (SAM's differ). */
const declaredTypes: Record<string, { name?: string; deployedAs?: string }> = {
  'AWS::S3::Bucket': { name: 'BucketName' },
  'AWS::DynamoDB::Table': { name: 'TableName' },
  'AWS::DynamoDB::GlobalTable': { name: 'TableName', deployedAs: 'AWS::DynamoDB::Table' },
  'AWS::Lambda::Function': { name: 'FunctionName' },
  'AWS::Lambda::LayerVersion': { name: 'LayerName' },
  'AWS::SQS::Queue': { name: 'QueueName' },
  'AWS::SNS::Topic': { name: 'TopicName' },
  'AWS::IAM::Role': { name: 'RoleName' },
  'AWS::IAM::User': { name: 'UserName' },
  'AWS::IAM::Group': { name: 'GroupName' },
  'AWS::IAM::ManagedPolicy': { name: 'ManagedPolicyName' },
  'AWS::IAM::InstanceProfile': { name: 'InstanceProfileName' },
  'AWS::KMS::Alias': { name: 'AliasName' },
  'AWS::SecretsManager::Secret': { name: 'Name' },
  'AWS::SSM::Parameter': { name: 'Name' },
  'AWS::StepFunctions::StateMachine': { name: 'StateMachineName' },
  'AWS::Kinesis::Stream': { name: 'Name' },
  'AWS::KinesisFirehose::DeliveryStream': { name: 'DeliveryStreamName' },
  'AWS::Logs::LogGroup': { name: 'LogGroupName' },
  'AWS::Events::Rule': { name: 'Name' },
  'AWS::Events::EventBus': { name: 'Name' },
  'AWS::ECR::Repository': { name: 'RepositoryName' },
  'AWS::ECS::Cluster': { name: 'ClusterName' },
  'AWS::ECS::Service': { name: 'ServiceName' },
  'AWS::RDS::DBInstance': { name: 'DBInstanceIdentifier' },
  'AWS::RDS::DBCluster': { name: 'DBClusterIdentifier' },
  'AWS::EC2::SecurityGroup': { name: 'GroupName' },
  'AWS::CloudTrail::Trail': { name: 'TrailName' },
  'AWS::ApiGateway::RestApi': { name: 'Name' },
  'AWS::Cognito::UserPool': { name: 'UserPoolName' },
  'AWS::EKS::Cluster': { name: 'Name' },
  'AWS::Athena::WorkGroup': { name: 'Name' },
  'AWS::CloudWatch::Alarm': { name: 'AlarmName' },
  'AWS::Serverless::Function': { name: 'FunctionName', deployedAs: 'AWS::Lambda::Function' },
  'AWS::Serverless::SimpleTable': { name: 'TableName', deployedAs: 'AWS::DynamoDB::Table' },
  'AWS::Serverless::StateMachine': { name: 'Name', deployedAs: 'AWS::StepFunctions::StateMachine' },
  'AWS::Serverless::LayerVersion': { name: 'LayerName', deployedAs: 'AWS::Lambda::LayerVersion' },
  'AWS::Serverless::Api': { name: 'Name', deployedAs: 'AWS::ApiGateway::RestApi' },
  'AWS::Serverless::HttpApi': { deployedAs: 'AWS::ApiGatewayV2::Api' },
};

/** The short-form intrinsic functions; each may tag a scalar, a sequence or a mapping. */
const intrinsics = ['Ref', 'Sub', 'GetAtt', 'Join', 'Select', 'Split', 'If', 'Equals', 'Not', 'And', 'Or', 'FindInMap', 'Base64', 'Cidr', 'ImportValue', 'GetAZs', 'Condition', 'Transform', 'ToJsonString', 'Length'];

const customTags = intrinsics.flatMap((name) => {
  const tag = `!${name}`;
  return [
    { tag, resolve: (value: string) => value },
    { tag, collection: 'seq' as const, resolve: (value: unknown) => value },
    { tag, collection: 'map' as const, resolve: (value: unknown) => value },
  ];
});

/** Cheap tests on the text before anything is parsed: most JSON and YAML files are not templates. */
function mayBeTemplate(text: string, format: 'yaml' | 'json'): boolean {
  if (text.includes('AWSTemplateFormatVersion')) return true;
  return format === 'json' ? text.includes('"Resources"') && text.includes('"AWS::') : text.includes('Resources') && text.includes('AWS::');
}

/**
 * The references of a template. JSON counts only when it is a CloudFormation template (CloudTrail
 * log files, policies and package manifests are JSON too); any YAML file is read for ARNs.
 */
export function templateReferences(text: string, format: 'yaml' | 'json'): FoundReference[] {
  const template = mayBeTemplate(text, format);
  if (!template && (format === 'json' || !text.includes('arn:'))) return [];
  const found: FoundReference[] = [];
  const documents = parseAllDocuments(text, { customTags, uniqueKeys: false, strict: false, prettyErrors: false });
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    const declared = template && isTemplate(document) ? declaredResources(document) : [];
    if (format === 'json' && declared.length === 0 && !isTemplate(document)) continue;
    found.push(...declared, ...arnsIn(document.contents, text));
  }
  return found.sort((a, b) => a.start - b.start);
}

function isTemplate(document: Document): boolean {
  const root = document.contents;
  if (!isMap(root)) return false;
  if (root.has('AWSTemplateFormatVersion')) return true;
  const transform = root.get('Transform', true);
  if (isScalar(transform) && String(transform.value).startsWith('AWS::Serverless')) return true;
  const resources = root.get('Resources', true);
  return isMap(resources) && resources.items.some((pair) => isMap(pair.value) && /^AWS::/.test(String(scalarValue(pair.value.get('Type', true)) ?? '')));
}

function scalarValue(node: unknown): string | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined;
}

function declaredResources(document: Document): FoundReference[] {
  const root = document.contents as YAMLMap;
  const resources = root.get('Resources', true);
  if (!isMap(resources)) return [];
  const defaults = parameterDefaults(root.get('Parameters', true));
  const found: FoundReference[] = [];
  for (const pair of resources.items) {
    const key = pair.key as YamlNode | null;
    if (!isScalar(key) || !key.range || !isMap(pair.value)) continue;
    const logicalId = String(key.value);
    const declaredType = scalarValue(pair.value.get('Type', true));
    if (!declaredType || !/^(AWS|Custom|Alexa)::/.test(declaredType)) continue;
    const known = declaredTypes[declaredType];
    const properties = pair.value.get('Properties', true);
    const name = known?.name && isMap(properties) ? constantOf(properties.get(known.name, true) as YamlNode | undefined, defaults) : undefined;
    const resource: AuditResource = { type: known?.deployedAs ?? declaredType };
    if (name) resource.name = name;
    // A JSON key's range includes its quotes; the logical id is what lies between them.
    const quoted = key.type === 'QUOTE_DOUBLE' || key.type === 'QUOTE_SINGLE';
    found.push({
      kind: 'resource',
      start: key.range[0] + (quoted ? 1 : 0),
      end: key.range[1] - (quoted ? 1 : 0),
      resource,
      declaredAs: logicalId,
      text: name ?? `${logicalId} (${declaredType})`,
    });
  }
  return found;
}

/** Parameters whose Default is a string: what `!Ref Param` stands for when nothing overrides it. */
function parameterDefaults(parameters: unknown): Map<string, string> {
  const defaults = new Map<string, string>();
  if (!isMap(parameters)) return defaults;
  for (const pair of parameters.items) {
    const name = scalarValue(pair.key);
    const value = isMap(pair.value) ? scalarValue(pair.value.get('Default', true)) : undefined;
    if (name !== undefined && value !== undefined) defaults.set(name, value);
  }
  return defaults;
}

/** The long form of an intrinsic: `{ "Ref": "Env" }`, `{ "Fn::Sub": "…" }` → its name and argument. */
function intrinsic(node: YamlNode | undefined): { name: string; argument: YamlNode | undefined } | undefined {
  if (!node) return undefined;
  if (node.tag?.startsWith('!') && node.tag !== '!!str') return { name: node.tag.slice(1), argument: node };
  if (isMap(node) && node.items.length === 1) {
    const key = scalarValue(node.items[0].key);
    if (key === 'Ref') return { name: 'Ref', argument: node.items[0].value as YamlNode | undefined };
    if (key?.startsWith('Fn::')) return { name: key.slice(4), argument: node.items[0].value as YamlNode | undefined };
  }
  return undefined;
}

/** The constant string a property value stands for, one level deep (see the module comment). */
function constantOf(node: YamlNode | undefined, defaults: Map<string, string>, variables?: Map<string, string | undefined>): string | undefined {
  const call = intrinsic(node);
  if (!call) return scalarValue(node);
  const argument = call.argument;
  switch (call.name) {
    case 'Ref': {
      const name = isScalar(argument) ? String(argument.value) : undefined;
      return name === undefined ? undefined : (variables?.get(name) ?? defaults.get(name));
    }
    case 'Sub': {
      if (isScalar(argument)) return substitute(String(argument.value), defaults, variables);
      if (!isSeq(argument)) return undefined;
      const [template, values] = argument.items as (YamlNode | undefined)[];
      const local = new Map<string, string | undefined>();
      if (isMap(values)) for (const pair of values.items) {
        const key = scalarValue(pair.key);
        if (key !== undefined) local.set(key, constantOf(pair.value as YamlNode | undefined, defaults));
      }
      return isScalar(template) ? substitute(String(template.value), defaults, local) : undefined;
    }
    case 'Join': {
      if (!isSeq(argument)) return undefined;
      const [delimiter, list] = argument.items as (YamlNode | undefined)[];
      if (!isScalar(delimiter) || !isSeq(list)) return undefined;
      const parts = (list.items as YamlNode[]).map((item) => constantOf(item, defaults, variables));
      return parts.every((p) => p !== undefined) ? parts.join(String(delimiter.value ?? '')) : undefined;
    }
    default:
      return undefined;
  }
}

/** `${Env}-orders` with Env's default; `${!Literal}` stays literal; undefined when a variable has no constant value. */
function substitute(template: string, defaults: Map<string, string>, variables?: Map<string, string | undefined>): string | undefined {
  let unresolved = false;
  const value = template.replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    const known = variables?.has(name) ? variables.get(name) : defaults.get(name);
    if (known === undefined) unresolved = true;
    return known ?? '';
  });
  return unresolved ? undefined : value;
}

/** ARNs in every scalar value, found in the source text so each has its exact place. */
function arnsIn(root: unknown, text: string): FoundReference[] {
  const found: FoundReference[] = [];
  const visit = (node: unknown): void => {
    if (isMap(node)) {
      for (const pair of node.items) visit(pair.value);
    } else if (isSeq(node)) {
      for (const item of node.items) visit(item);
    } else if (isScalar(node)) {
      const scalar = node as Scalar;
      if (typeof scalar.value !== 'string' || !scalar.range || !scalar.value.includes('arn:')) return;
      for (const match of findArns(text, scalar.range[0], scalar.range[1])) {
        const resource = arnResource(match.arn);
        if (resource) found.push({ kind: 'resource', start: match.start, end: match.end, resource, text: match.arn });
      }
    }
  };
  visit(root);
  return found;
}
