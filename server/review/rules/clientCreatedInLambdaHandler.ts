// An AWS SDK client created inside a Lambda handler. Lambda keeps the execution environment, and
// with it everything created at module level, across warm invocations; a client created in the
// handler is built again on every one, resolving credentials and opening new TLS connections.
//
// Not reported: clients built with per-invocation credentials (an assumed role's session), which
// cannot be shared, and lazy initialisation of a global — `if s3 is None: s3 = boto3.client("s3")`
// under `global s3`, `client ??= new S3Client({})`, `if (s3 == null) s3 = S3Client.create();` on a
// field — which creates the client once per execution environment, as intended.
import { clientCreations, type ClientCreation } from '../awsSdkCalls';
import { compact, objectProperty } from '../calls';
import type { ReviewLanguage } from '../languages';
import type { Node } from '../parser';
import type { Rule, RuleContext } from '../rule';

const eventNames = new Set(['event', 'evt', '_event', 'lambdaEvent', 'lambda_event']);
const contextNames = new Set(['context', 'ctx', '_context', '_ctx', 'lambdaContext', 'lambda_context']);

export const clientCreatedInLambdaHandler: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'client-created-in-lambda-handler',
    title: 'AWS SDK client created inside a Lambda handler',
    category: 'aws-best-practice',
    severity: 'warning',
    why:
      'Lambda reuses an execution environment for many invocations, and anything created outside the handler ' +
      '(module level, a static field, a constructor) survives between them. A client created inside the handler is ' +
      'rebuilt on every invocation: credentials are resolved again and new TLS connections are opened, adding ' +
      'latency and cost to every request. Create the client once, outside the handler, and reuse it.',
    examples: {
      python: {
        noncompliant: 'def handler(event, context):\n    s3 = boto3.client("s3")\n    return s3.get_object(Bucket=BUCKET, Key=event["key"])["ContentLength"]',
        compliant: 's3 = boto3.client("s3")\n\ndef handler(event, context):\n    return s3.get_object(Bucket=BUCKET, Key=event["key"])["ContentLength"]',
      },
      java: {
        noncompliant: 'public String handleRequest(Map<String, String> input, Context context) {\n    S3Client s3 = S3Client.create();\n    return s3.headObject(b -> b.bucket(BUCKET).key(input.get("key"))).eTag();\n}',
        compliant: 'private static final S3Client S3 = S3Client.create();\n\npublic String handleRequest(Map<String, String> input, Context context) {\n    return S3.headObject(b -> b.bucket(BUCKET).key(input.get("key"))).eTag();\n}',
      },
      javascript: {
        noncompliant: 'exports.handler = async (event) => {\n  const ddb = new DynamoDBClient({});\n  return ddb.send(new GetItemCommand({ TableName, Key: { pk: { S: event.id } } }));\n};',
        compliant: 'const ddb = new DynamoDBClient({});\n\nexports.handler = async (event) => ddb.send(new GetItemCommand({ TableName, Key: { pk: { S: event.id } } }));',
      },
      typescript: {
        noncompliant: 'export const handler = async (event: SQSEvent): Promise<void> => {\n  const sns = new SNSClient({});\n  await sns.send(new PublishCommand({ TopicArn, Message: event.Records[0].body }));\n};',
        compliant: 'const sns = new SNSClient({});\n\nexport const handler = async (event: SQSEvent): Promise<void> => {\n  await sns.send(new PublishCommand({ TopicArn, Message: event.Records[0].body }));\n};',
      },
    },
  },
  check(context: RuleContext) {
    if (context.unit.isModule || !isLambdaHandler(context.language, context.unit.root)) return;
    for (const creation of clientCreations(context)) {
      if (hasOwnCredentials(context, creation) || isLazyGlobal(context, creation)) continue;
      const what = creation.service ? `${creation.service.endpointPrefix} client` : 'AWS SDK client';
      context.report(creation.node, `A new ${what} is created on every invocation of this Lambda handler; create it once outside the handler so warm invocations reuse it and its connections.`);
    }
  },
};

/**
 * Python `def handler(event, context)` / `lambda_handler`, JavaScript `exports.handler = async (event) => …`,
 * `export const handler = …`, `export async function handler(event)`, Java `handleRequest(…, Context context)`.
 */
export function isLambdaHandler(language: ReviewLanguage, fn: Node): boolean {
  const params = parameterNames(fn);
  switch (language) {
    case 'python': {
      const owner = fn.parent?.type === 'decorated_definition' ? fn.parent.parent : fn.parent;
      if (owner?.type !== 'module' || params.length !== 2) return false;
      const name = fn.childForFieldName('name')?.text ?? '';
      return /handler$/i.test(name) || (eventNames.has(params[0]) && contextNames.has(params[1]));
    }
    case 'java': {
      if (fn.childForFieldName('name')?.text !== 'handleRequest') return false;
      const formals = fn.childForFieldName('parameters')?.namedChildren.filter((p) => p?.type === 'formal_parameter') ?? [];
      return formals.length >= 2 && /(^|\.)Context$/.test(formals[formals.length - 1]?.childForFieldName('type')?.text ?? '');
    }
    default: {
      // `(event)` alone is also every DOM listener's signature: a Lambda handler is exported or named `handler`.
      if (params.length === 0 || !eventNames.has(params[0])) return false;
      return contextNames.has(params[1] ?? '') || jsFunctionName(fn) === 'handler' || isExported(fn);
    }
  }
}

function parameterNames(fn: Node): string[] {
  const list = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  if (!list) return [];
  if (list.type === 'identifier') return [list.text];
  return list.namedChildren.flatMap((param) => {
    if (!param || param.type === 'comment') return [];
    if (param.type === 'identifier') return [param.text];
    const name = param.childForFieldName('pattern') ?? param.childForFieldName('name') ?? param.childForFieldName('left');
    return [name?.type === 'identifier' ? name.text : ''];
  });
}

/** `export function f`, `export const f = …`, `exports.f = …`, `module.exports.f = …`, through wrappers like `middy(…)`. */
function isExported(fn: Node): boolean {
  let node = fn;
  while (node.parent?.type === 'arguments' && node.parent.parent?.type === 'call_expression') node = node.parent.parent;
  const parent = node.parent;
  if (parent?.type === 'export_statement') return true;
  if (parent?.type === 'variable_declarator') return parent.parent?.parent?.type === 'export_statement';
  if (parent?.type === 'assignment_expression') return /^(module\.)?exports\b/.test(compact(parent.childForFieldName('left')?.text ?? ''));
  return false;
}

/** The name a JavaScript function is known by, looking through wrappers: `exports.handler = middy(async (event) => …)`. */
function jsFunctionName(fn: Node): string | undefined {
  const own = fn.childForFieldName('name')?.text;
  if (own) return own;
  let node = fn;
  while (node.parent?.type === 'arguments' && node.parent.parent?.type === 'call_expression') node = node.parent.parent;
  const parent = node.parent;
  if (parent?.type === 'variable_declarator') return parent.childForFieldName('name')?.text;
  if (parent?.type === 'assignment_expression') return compact(parent.childForFieldName('left')?.text ?? '').split('.').pop();
  if (parent?.type === 'pair') return parent.childForFieldName('key')?.text;
  return undefined;
}

/** A client built with credentials of its own (an assumed role's session) belongs to this invocation. */
function hasOwnCredentials(context: RuleContext, creation: ClientCreation): boolean {
  switch (context.language) {
    case 'python': {
      const credentialed = (text: string) => /\baws_(session_token|access_key_id|secret_access_key)\s*=/.test(text);
      if (credentialed(creation.node.text)) return true;
      const receiver = creation.node.childForFieldName('function')?.childForFieldName('object');
      if (!receiver) return false;
      if (credentialed(receiver.text)) return true;
      return context.find('assignment').some((a) => a.childForFieldName('left')?.text === receiver.text && credentialed(a.childForFieldName('right')?.text ?? ''));
    }
    case 'java':
      return /\.credentialsProvider\((?!(Default|EnvironmentVariable|Profile|Container|InstanceProfile)CredentialsProvider)/.test(compact(creation.expression.text));
    default: {
      const config = creation.node.childForFieldName('arguments')?.namedChildren[0] ?? undefined;
      return !!objectProperty(config, 'credentials');
    }
  }
}

/** Assigned to a global, module variable or field, and only when it is not there yet. */
function isLazyGlobal(context: RuleContext, creation: ClientCreation): boolean {
  let value = creation.expression;
  while (value.parent && ['await', 'await_expression', 'parenthesized_expression', 'as_expression', 'non_null_expression', 'boolean_operator', 'binary_expression'].includes(value.parent.type)) {
    value = value.parent;
  }
  const assignment = value.parent;
  if (!assignment || !['assignment', 'assignment_expression', 'augmented_assignment_expression'].includes(assignment.type)) return false;
  const target = assignment.childForFieldName('left');
  if (!target || !isNonLocal(context, target)) return false;
  if (assignment.type === 'augmented_assignment_expression') return /\?\?=|\|\|=/.test(assignment.text.slice(target.endIndex - assignment.startIndex));
  // `s3 = s3 or boto3.client("s3")`, `client = client ?? new S3Client({})`
  if (value.type === 'boolean_operator' || value.type === 'binary_expression') return compact(value.childForFieldName('left')?.text ?? '') === compact(target.text);
  // `cache.s3 || (cache.s3 = new S3Client({}))`
  let outer = assignment;
  while (outer.parent?.type === 'parenthesized_expression') outer = outer.parent;
  if (outer.parent?.type === 'binary_expression' && compact(outer.parent.childForFieldName('left')?.text ?? '') === compact(target.text)) return true;
  const name = compact(target.text);
  const root = rootName(target);
  for (let current = assignment.parent; current && current.id !== context.unit.root.id; current = current.parent) {
    if (current.type !== 'if_statement') continue;
    const condition = current.childForFieldName('condition')?.text ?? '';
    if (compact(condition).includes(name) || (root && new RegExp(`(^|[^\\w$])${escapeRegExp(root)}($|[^\\w$])`).test(condition))) return true;
  }
  return false;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `clients[region]` → clients; `this.s3` → this; `s3` → s3. */
function rootName(target: Node): string | undefined {
  let node: Node | null = target;
  while (node && node.type !== 'identifier' && node.type !== 'this') node = node.childForFieldName('object') ?? node.childForFieldName('value') ?? node.namedChildren[0];
  return node?.text;
}

/** Whether assigning `target` outlives the invocation: a `global` name, a module variable, a field, a module-level dict. */
function isNonLocal(context: RuleContext, target: Node): boolean {
  const root = rootName(target);
  if (!root) return false;
  if (root === 'this' || root === 'self' || root === 'cls') return true;
  if (parameterNames(context.unit.root).includes(root)) return false;
  switch (context.language) {
    case 'python':
      // A plain name is local unless declared `global`; a module-level dict or object is mutated in place.
      return target.type === 'identifier'
        ? context.find('global_statement').some((g) => g.namedChildren.some((n) => n?.text === root))
        : !context.find('assignment').some((a) => a.childForFieldName('left')?.text === root);
    default:
      return !context.find('variable_declarator').some((d) => d.childForFieldName('name')?.text === root);
  }
}

