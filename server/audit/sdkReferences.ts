// What a Python, JavaScript/TypeScript or Java file touches in AWS, read from the syntax tree the
// server already holds: the API calls it makes through an SDK (boto3, JS v2 and v3, Java v1 and v2),
// each as CloudTrail's eventSource and eventName, and the resources named in those calls' requests.
//
// The review rules' recogniser (awsSdkCalls.ts) finds where clients are created; a call is then read
// from what its receiver is: such a client (through the names it is bound to in the same function
// or the module), a boto3 resource (`Table("orders")`), or a declared client type (Java,
// TypeScript). Any method of a client is an operation, named from the method. Where the file does
// not say what the receiver is, the recogniser's own verdict on the operations in its table is
// taken, and last a variable whose name says which service it is (`s3`, `ddb`) — only with more
// evidence: AWS-style request keys (or a request builder, a `.promise()`) and an API verb.
import { awsStyleKeywords, awsStyleObject, clientCreations, sdkCalls, type SdkCall } from '../review/awsSdkCalls';
import { callSite, callsIn, compact, type CallSite } from '../review/calls';
import { Taint } from '../review/dataflow/taint';
import type { ReviewLanguage } from '../review/languages';
import { moduleImports, nameWords, qualify } from '../review/names';
import type { Node, Tree } from '../review/parser';
import type { RuleContext } from '../review/rule';
import { isStringLiteral, stringValue } from '../review/syntax';
import { NodeDemand, NodeIndex, type ReviewUnit } from '../review/units';
import { defaultSettings } from '../settings';
import { arnResource, findArns } from './arns';
import {
  cloudTrailServices, serviceForBoto3, serviceForJavaClient, serviceForJavaName, serviceForJsClass, serviceForJsPackage, serviceForReview,
  type CloudTrailService,
} from './cloudTrailServices';
import type { FoundReference } from './codeReferences';
import { ConstantResolver } from './constantValues';
import { apiFromBoto3, apiFromCamel, apiFromCommand, apiFromPaginator, apiFromWaiter, startsWithApiVerb } from './operationNames';
import { isResourceParameter, parameterResource, queueNameFromUrl } from './resourceParameters';
import type { AuditResource } from './resources';

/** What the receiver of a call is. */
type Owner =
  | { kind: 'client'; service: CloudTrailService; documentClient: boolean }
  /** `boto3.resource("s3")`: its methods are the service's operations, its capitalised ones make objects. */
  | { kind: 'serviceResource'; service: CloudTrailService }
  /** `dynamodb.Table("orders")`, `s3.Bucket("b")`. */
  | { kind: 'resourceObject'; service: CloudTrailService; object: ResourceObject }
  /** `s3.get_paginator("list_objects_v2")`: its `paginate(...)` takes the operation's request. */
  | { kind: 'paginator'; service: CloudTrailService }
  /** A client of a service not in the tables, or a value known not to be a client. */
  | { kind: 'unknownService' }
  | { kind: 'other' };

/** boto3 resource objects: the service, what their first argument names, and actions whose API name is not the method's. */
interface ResourceObject {
  boto3: string;
  type: string;
  parse?: (value: string) => string | undefined;
  actions: Record<string, string>;
}

const resourceObjects: Record<string, ResourceObject> = {
  Table: { boto3: 'dynamodb', type: 'AWS::DynamoDB::Table', actions: { delete: 'DeleteTable', load: 'DescribeTable', reload: 'DescribeTable', update: 'UpdateTable', batch_writer: 'BatchWriteItem' } },
  Bucket: { boto3: 's3', type: 'AWS::S3::Bucket', actions: { delete: 'DeleteBucket', create: 'CreateBucket', upload_file: 'PutObject', upload_fileobj: 'PutObject', download_file: 'GetObject', download_fileobj: 'GetObject' } },
  Object: { boto3: 's3', type: 'AWS::S3::Bucket', actions: { delete: 'DeleteObject', get: 'GetObject', put: 'PutObject', load: 'HeadObject', reload: 'HeadObject', copy_from: 'CopyObject', upload_file: 'PutObject', download_file: 'GetObject' } },
  Queue: { boto3: 'sqs', type: 'AWS::SQS::Queue', parse: queueNameFromUrl, actions: { delete: 'DeleteQueue', purge: 'PurgeQueue', load: 'GetQueueAttributes', reload: 'GetQueueAttributes', receive_messages: 'ReceiveMessage' } },
  Topic: { boto3: 'sns', type: 'AWS::SNS::Topic', actions: { delete: 'DeleteTopic', load: 'GetTopicAttributes', reload: 'GetTopicAttributes' } },
  Instance: { boto3: 'ec2', type: 'AWS::EC2::Instance', actions: { start: 'StartInstances', stop: 'StopInstances', terminate: 'TerminateInstances', reboot: 'RebootInstances', load: 'DescribeInstances', reload: 'DescribeInstances' } },
};

/** boto3 service-resource methods whose API name is not the method's. */
const serviceResourceActions: Record<string, string> = { get_queue_by_name: 'GetQueueUrl' };

const dynamodb = serviceForBoto3('dynamodb')!;
const documentClientPackage = '@aws-sdk/lib-dynamodb';

/** An outermost function, or the module outside them: where names are looked up first. */
interface Scope {
  start: number;
  end: number;
  /** `name = value` in the scope by the assigned expression's text, last one wins. */
  bindings: Map<string, Node>;
  /** Declared types of locals, parameters and fields (Java; TypeScript annotations). */
  types: Map<string, string>;
  /** What each receiver name read in the scope is, once worked out. */
  owners: Map<string, Owner | undefined>;
}

function emptyScope(start: number, end: number): Scope {
  return { start, end, bindings: new Map(), types: new Map(), owners: new Map() };
}

/** Node-type demand learned per grammar, as the review engine does. */
const demands = new WeakMap<object, NodeDemand>();

/**
 * The whole document as one review unit: one walk of the tree collects every node type asked for
 * (the review engine's per-function units would walk it twice and split it once more), and the
 * review recogniser sees every call at once.
 */
function documentContext(language: ReviewLanguage, tree: Tree, text: string): RuleContext {
  let demand = demands.get(tree.language);
  if (!demand) demands.set(tree.language, (demand = new NodeDemand()));
  const unit: ReviewUnit = { root: tree.rootNode, isModule: true, holes: [], key: '' };
  const index = new NodeIndex(unit, demand);
  let calls: CallSite[] | undefined;
  let taint: Taint | undefined;
  return {
    language,
    unit,
    tree,
    text,
    settings: defaultSettings,
    find: (...types) => index.find(...types),
    calls: () => (calls ??= callsIn(language, index)),
    taint: (sanitizes) => (sanitizes ? new Taint(language, unit, index, sanitizes) : (taint ??= new Taint(language, unit, index))),
    report: () => undefined,
  };
}

/** Calls that may create a client (awsSdkCalls.ts `creationAt` decides): a cheap test on the call site. */
const mayCreateClient: Record<ReviewLanguage, (site: CallSite) => boolean> = {
  python: (site) => site.name === 'client' || site.name === 'resource',
  javascript: (site) => site.isConstructor,
  typescript: (site) => site.isConstructor,
  java: (site) => site.isConstructor || site.name === 'create' || site.name === 'builder' || site.name === 'defaultClient' || site.name === 'standard',
};

/** Function nodes per grammar, as the review's units split them (units.ts). */
const functionTypes: Record<ReviewLanguage, readonly string[]> = {
  python: ['function_definition'],
  java: ['method_declaration', 'constructor_declaration', 'compact_constructor_declaration'],
  javascript: ['function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function'],
  typescript: ['function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function'],
};

const bindingTypes: Record<ReviewLanguage, readonly string[]> = {
  python: ['assignment'],
  javascript: ['variable_declarator', 'assignment_expression', 'public_field_definition', 'field_definition'],
  typescript: ['variable_declarator', 'assignment_expression', 'public_field_definition'],
  java: ['variable_declarator'],
};

const typedTypes: Record<ReviewLanguage, readonly string[]> = {
  python: [],
  javascript: [],
  typescript: ['required_parameter', 'optional_parameter', 'public_field_definition'],
  java: ['local_variable_declaration', 'formal_parameter', 'field_declaration'],
};

function addBinding(scope: Scope, node: Node): void {
  const target = node.childForFieldName('left') ?? node.childForFieldName('name') ?? node.childForFieldName('property');
  const value = node.childForFieldName('right') ?? node.childForFieldName('value');
  if (!target || !value) return;
  if (!['identifier', 'attribute', 'member_expression', 'property_identifier', 'field_access'].includes(target.type)) return;
  // A JavaScript class field is read as `this.name`.
  scope.bindings.set(node.type.endsWith('field_definition') ? `this.${target.text}` : compact(target.text), value);
}

function addTypes(language: ReviewLanguage, scope: Scope, node: Node): void {
  const type = node.childForFieldName('type');
  if (!type) return;
  const typeName = (type.type === 'type_annotation' ? type.namedChildren[0]?.text : type.text)?.replace(/<.*$/s, '');
  if (!typeName) return;
  if (language === 'java') {
    if (node.type === 'formal_parameter') {
      const name = node.childForFieldName('name')?.text;
      if (name) scope.types.set(name, typeName);
    } else {
      for (const declarator of node.childrenForFieldName('declarator')) {
        const name = declarator?.childForFieldName('name')?.text;
        if (name) scope.types.set(name, typeName);
      }
    }
    return;
  }
  const name = (node.childForFieldName('pattern') ?? node.childForFieldName('name'))?.text;
  if (!name) return;
  // A constructor parameter property (`private readonly s3: S3Client`) is also `this.s3`.
  const isProperty = node.type === 'public_field_definition' || node.namedChildren.some((c) => c?.type === 'accessibility_modifier' || c?.text === 'readonly');
  if (node.type !== 'public_field_definition') scope.types.set(name, typeName);
  if (isProperty) scope.types.set(`this.${name}`, typeName);
}

/** Strips what does not change a value: `await`, parentheses, TypeScript assertions. */
function unwrap(node: Node): Node {
  let current = node;
  while (['await', 'await_expression', 'parenthesized_expression', 'as_expression', 'non_null_expression', 'satisfies_expression'].includes(current.type)) {
    const inner = current.namedChildren.find((c) => c && c.type !== 'comment' && !c.type.includes('type'));
    if (!inner) break;
    current = inner;
  }
  return current;
}

/** `this.dynamoDbClient` → dynamo, db, client, and the pairs dynamodb, dbclient. */
function receiverWords(receiverKey: string): string[] {
  const last = receiverKey.slice(receiverKey.lastIndexOf('.') + 1);
  if (!/^[A-Za-z_$][\w$]*$/.test(last)) return [];
  const words = nameWords(last);
  return [...words, ...words.slice(1).map((w, i) => words[i] + w)];
}

const hints = new Map<string, CloudTrailService | null>();

/** The service a receiver's name suggests; the longest hint is the most specific (`personalize_events` over `events`). */
function hintedService(receiverKey: string): CloudTrailService | undefined {
  const last = receiverKey.slice(receiverKey.lastIndexOf('.') + 1);
  const cached = hints.get(last);
  if (cached !== undefined) return cached ?? undefined;
  const words = receiverWords(last);
  let best: CloudTrailService | undefined;
  let bestLength = 0;
  for (const service of cloudTrailServices) {
    for (const hint of service.nameHints) {
      if (hint.length > bestLength && words.includes(hint)) {
        best = service;
        bestLength = hint.length;
      }
    }
  }
  if (hints.size > 10_000) hints.clear();
  hints.set(last, best ?? null);
  return best;
}

/** A receiver read by name: `s3`, `self.s3`, `this.client`. */
const plainName = /^[\w$.]+$/;

/**
 * The receiver's text, from the callee the call site already holds (`self.s3` of `self.s3.put_object`):
 * no trip into the tree for the thousands of calls that are not AWS calls.
 */
function receiverKey(site: CallSite): string | undefined {
  if (!site.receiver || site.callee.startsWith('…')) return undefined;
  const suffix = `.${site.name}`;
  return site.callee.endsWith(suffix) ? site.callee.slice(0, -suffix.length) : undefined;
}

/** The text range of a call's operation name: the method, or the command class. */
function nameNode(site: CallSite): Node {
  const node = site.node;
  switch (node.type) {
    case 'call': {
      const fn = node.childForFieldName('function');
      return (fn?.type === 'attribute' ? fn.childForFieldName('attribute') : fn) ?? node;
    }
    case 'call_expression': {
      const fn = node.childForFieldName('function');
      return (fn?.type === 'member_expression' ? fn.childForFieldName('property') : fn) ?? node;
    }
    case 'new_expression': {
      const ctor = node.childForFieldName('constructor');
      return (ctor?.type === 'member_expression' ? ctor.childForFieldName('property') : ctor) ?? node;
    }
    default:
      return node.childForFieldName('name') ?? node;
  }
}

/** One document's analysis: its scopes and bindings, and the SDK facts the review recogniser finds. */
class FileReader {
  /** Outermost functions in document order; the module scope is kept apart. */
  private readonly scopes: Scope[] = [];
  private readonly moduleScope: Scope;
  private readonly context: RuleContext;
  private readonly creations = new Map<number, Owner>();
  private readonly known = new Map<number, SdkCall>();
  private readonly imports: ReadonlyMap<string, string>;
  private readonly constants: ConstantResolver;
  readonly found: FoundReference[] = [];

  constructor(private readonly language: ReviewLanguage, tree: Tree, text: string) {
    this.context = documentContext(language, tree, text);
    this.constants = new ConstantResolver(language, text);
    this.imports = moduleImports(tree.rootNode);
    this.moduleScope = emptyScope(0, text.length);
    let end = -1;
    for (const fn of this.context.find(...functionTypes[language])) {
      if (fn.startIndex < end) continue;
      end = fn.endIndex;
      this.scopes.push(emptyScope(fn.startIndex, end));
    }
    for (const node of this.context.find(...bindingTypes[language])) addBinding(this.scopeAt(node), node);
    for (const node of this.context.find(...typedTypes[language])) addTypes(language, this.scopeAt(node), node);
    // Only calls that can create a client are handed to the recogniser, which builds each call again.
    const creationSites = this.context.calls().filter((site) => mayCreateClient[language](site));
    for (const creation of clientCreations({ ...this.context, calls: () => creationSites })) {
      const owner = this.creationOwner(creation.node, creation.service ? serviceForReview(creation.service) : undefined);
      // A Java builder chain yields the client at its end; the calls along it configure the builder.
      this.creations.set(creation.expression.id, owner);
    }
    for (const call of sdkCalls(this.context)) this.known.set(call.site.node.id, call);
  }

  read(): FoundReference[] {
    for (const site of this.context.calls()) this.readCall(site, this.scopeAt(site.node));
    return this.found;
  }

  /** The outermost function a node is in, else the module. */
  private scopeAt(node: Node): Scope {
    const scopes = this.scopes;
    const at = node.startIndex;
    let low = 0;
    let high = scopes.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (scopes[mid].start <= at) low = mid + 1;
      else high = mid - 1;
    }
    return high >= 0 && at < scopes[high].end ? scopes[high] : this.moduleScope;
  }

  /** The service of a client creation the review recogniser found, where its table does not say. */
  private creationOwner(node: Node, known: CloudTrailService | undefined): Owner {
    const site = callSite(node);
    const isResource = this.language === 'python' && site?.name === 'resource';
    let service = known;
    if (!service && site) {
      switch (this.language) {
        case 'python': {
          const first = site.args[0] ?? site.keywords.get('service_name');
          service = first && isStringLiteral('python', first) ? serviceForBoto3(stringValue(first).value) : undefined;
          break;
        }
        case 'javascript':
        case 'typescript': {
          const parts = site.callee.split('.');
          const className = parts[0] === 'AWS' ? parts[1] : site.name;
          service = serviceForJsClass(className) ?? serviceForJsPackage(this.packageOf(site.callee, site.name) ?? '');
          break;
        }
        case 'java': {
          const type = site.isConstructor ? site.name : site.receiver?.text ?? '';
          service = serviceForJavaClient(type) ?? serviceForJavaName(this.imports.get(type) ?? '');
          break;
        }
      }
    }
    if (!service) return { kind: 'unknownService' };
    if (isResource) return { kind: 'serviceResource', service };
    const documentClient = service === dynamodb && /DocumentClient|DynamoDBDocument/.test(node.text.slice(0, 200));
    return { kind: 'client', service, documentClient };
  }

  /** The module a name was imported from (JavaScript): `@aws-sdk/client-s3` for `DeleteObjectCommand` or `s3.DeleteObjectCommand`. */
  private packageOf(callee: string, name: string): string | undefined {
    const qualified = qualify(this.imports, callee);
    if (qualified === callee) return undefined;
    return qualified.endsWith(`.${name}`) ? qualified.slice(0, -name.length - 1) : qualified;
  }

  /**
   * What a receiver is. A plain name (`s3`, `self.s3`, `this.client`) is looked up by its text in the
   * declared types and bindings, once per unit; anything else (`boto3.client("s3")`, a chain) by its node.
   */
  private ownerOf(receiver: Node, scope: Scope, key?: string, depth = 0): Owner | undefined {
    if (key !== undefined && plainName.test(key)) {
      if (scope.owners.has(key)) return scope.owners.get(key);
      // A name bound to itself (`x = x.y`) must not recurse: it is unknown while it is being read.
      scope.owners.set(key, undefined);
      const owner = depth > 4 ? undefined : this.ownerOfName(key, scope, depth);
      scope.owners.set(key, owner);
      return owner;
    }
    const node = unwrap(receiver);
    const created = this.creations.get(node.id);
    if (created) return created;
    if (depth > 4) return undefined;
    const site = callSite(node);
    if (site) return this.ownerOfCall(site, scope, depth);
    if (!['identifier', 'attribute', 'member_expression', 'field_access'].includes(node.type)) return undefined;
    const name = compact(node.text);
    return plainName.test(name) ? this.ownerOf(node, scope, name, depth) : undefined;
  }

  private ownerOfName(key: string, scope: Scope, depth: number): Owner | undefined {
    const bare = key.replace(/^this\./, '');
    const typeName = scope.types.get(key) ?? scope.types.get(bare) ?? this.moduleScope.types.get(bare) ?? this.anyType(key);
    if (typeName && typeName !== 'var') {
      const service = this.language === 'java' ? serviceForJavaClient(typeName) : serviceForJsClass(typeName);
      if (service) return { kind: 'client', service, documentClient: service === dynamodb && /Document/.test(typeName) };
      if (this.language === 'java') return /Client$/.test(typeName) && (this.imports.get(typeName) ?? '').startsWith('software.amazon.awssdk.') ? { kind: 'unknownService' } : { kind: 'other' };
    }
    const bound = scope.bindings.get(key) ?? this.moduleScope.bindings.get(key) ?? (/^(self|this)\./.test(key) ? this.anyBinding(key) : undefined);
    return bound ? this.ownerOf(bound, this.scopeAt(bound), undefined, depth + 1) : undefined;
  }

  private ownerOfCall(site: CallSite, scope: Scope, depth: number): Owner | undefined {
    const receiver = site.receiver;
    if (this.language === 'python' && receiver) {
      const object = resourceObjects[site.name];
      if (object) {
        const owner = this.ownerOf(receiver, scope, undefined, depth + 1);
        if (owner?.kind === 'serviceResource' && owner.service.boto3 === object.boto3) return { kind: 'resourceObject', service: owner.service, object };
        return undefined;
      }
      if (site.name === 'get_paginator' || site.name === 'get_waiter') {
        const owner = this.ownerOf(receiver, scope, undefined, depth + 1);
        return owner?.kind === 'client' ? { kind: 'paginator', service: owner.service } : undefined;
      }
    }
    if (this.language !== 'python' && /^DynamoDB(Document|DocumentClient)\.from$/.test(site.callee)) return { kind: 'client', service: dynamodb, documentClient: true };
    return undefined;
  }

  private anyBinding(key: string): Node | undefined {
    for (const scope of this.scopes) {
      const bound = scope.bindings.get(key);
      if (bound) return bound;
    }
    return undefined;
  }

  private anyType(key: string): string | undefined {
    if (!key.startsWith('this.')) return undefined;
    for (const scope of this.scopes) {
      const type = scope.types.get(key);
      if (type) return type;
    }
    return undefined;
  }

  private readCall(site: CallSite, scope: Scope): void {
    switch (this.language) {
      case 'python':
        return this.readPythonCall(site, scope);
      case 'javascript':
      case 'typescript':
        return this.readJsCall(site, scope);
      case 'java':
        return this.readJavaCall(site, scope);
    }
  }

  private readPythonCall(site: CallSite, scope: Scope): void {
    const receiver = site.receiver;
    if (!receiver) return;
    const object = resourceObjects[site.name];
    const key = receiverKey(site);
    const owner = this.ownerOf(receiver, scope, key);
    let service: CloudTrailService | undefined;
    let api: string | undefined;
    {
      const positional = site.args.some((a) => a.type !== 'dictionary_splat' && a.type !== 'list_splat');
      switch (owner?.kind) {
        case 'client':
          service = owner.service;
          if (site.name === 'get_paginator' || site.name === 'get_waiter') {
            const name = this.constants.value(site.args[0]);
            api = name === undefined ? undefined : site.name === 'get_paginator' ? apiFromPaginator(service, name, 'boto3') : apiFromWaiter(service, name);
          } else if (!positional || service.endpointPrefix === 's3') {
            // boto3 client methods take keywords only; S3's managed transfers (`upload_file`) take positions.
            api = apiFromBoto3(service, site.name);
          }
          break;
        case 'serviceResource':
          if (object) {
            if (owner.service.boto3 === object.boto3) this.addResourceObject(site, object);
            return;
          }
          service = owner.service;
          api = serviceResourceActions[site.name] ?? apiFromBoto3(service, site.name);
          break;
        case 'resourceObject':
          service = owner.service;
          api = owner.object.actions[site.name] ?? apiFromBoto3(service, site.name);
          break;
        case 'paginator':
          // `paginate(Bucket=…)` / `wait(Bucket=…)` send the request get_paginator named.
          if (site.name === 'paginate' || site.name === 'wait') this.addParameters(owner.service, this.pythonParameters(site));
          return;
        case undefined: {
          // Nothing in the file says what the receiver is: the review recogniser's table and name hints may.
          const known = this.known.get(site.node.id);
          if (known) {
            service = serviceForReview(known.service);
            api = known.operation.api;
            break;
          }
          const hinted = key === undefined ? undefined : hintedService(key);
          if (!hinted || positional || !awsStyleKeywords(site)) return;
          const candidate = apiFromBoto3(hinted, site.name);
          if (!candidate || !startsWithApiVerb(candidate)) return;
          service = hinted;
          api = candidate;
          break;
        }
        default:
          return;
      }
    }
    if (!service || !api) return;
    this.addCall(site, service, api);
    this.addParameters(service, this.pythonParameters(site));
  }

  /** `dynamodb.Table("orders")`, `s3.Bucket(BUCKET)`, `s3.Object("bucket", key)`: the resource the object stands for. */
  private addResourceObject(site: CallSite, object: ResourceObject): void {
    const argument = site.args[0] ?? site.keywords.get('name') ?? site.keywords.get('bucket_name') ?? site.keywords.get('url') ?? site.keywords.get('arn') ?? site.keywords.get('id');
    const value = this.constants.value(argument);
    if (!argument || value === undefined) return;
    const name = object.parse ? object.parse(value) : value;
    if (!name) return;
    const resource = value.startsWith('arn:') ? arnResource(value) : { name, type: object.type };
    if (resource) this.addResource(argument, resource);
  }

  private pythonParameters(site: CallSite): [string, Node][] {
    const parameters: [string, Node][] = [...site.keywords];
    for (const argument of site.args) {
      if (argument.type !== 'dictionary_splat') continue;
      const inner = argument.namedChildren[0];
      const dictionary = inner?.type === 'identifier' ? this.constants.declaration(inner) : inner;
      if (dictionary?.type === 'dictionary') parameters.push(...this.pairs(dictionary));
    }
    return parameters;
  }

  /** String-keyed entries of a Python dictionary or a JavaScript object literal. */
  private pairs(node: Node): [string, Node][] {
    return node.namedChildren.flatMap((pair): [string, Node][] => {
      if (pair?.type !== 'pair') return [];
      const key = pair.childForFieldName('key');
      const value = pair.childForFieldName('value');
      if (!key || !value) return [];
      const name = key.type === 'string' ? stringValue(key).value : key.type === 'property_identifier' || key.type === 'identifier' ? key.text : undefined;
      return name ? [[name, value]] : [];
    });
  }

  private readJsCall(site: CallSite, scope: Scope): void {
    if (site.isConstructor) return this.readJsCommand(site, scope);
    const paginated = /^paginate[A-Z]/.test(site.name) && !site.receiver ? this.packageOf(site.callee, site.name) : undefined;
    if (paginated) {
      const service = serviceForJsPackage(paginated);
      const api = service && apiFromPaginator(service, site.name, 'js');
      if (!service || !api) return;
      this.addCall(site, service, api);
      this.addParameters(service, this.objectParameters(site.args[1]));
      return;
    }
    const receiver = site.receiver;
    if (!receiver) return;
    const key = receiverKey(site);
    const owner = this.ownerOf(receiver, scope, key);
    let service: CloudTrailService | undefined;
    let api: string | undefined;
    if (owner?.kind === 'client') {
      service = owner.service;
      api = apiFromCamel(service, site.name, 'js', owner.documentClient);
    } else if (owner === undefined) {
      const known = this.known.get(site.node.id);
      const hinted = known ? undefined : key === undefined ? undefined : hintedService(key);
      if (known) {
        service = serviceForReview(known.service);
        api = known.operation.api;
      } else if (hinted) {
        const member = site.node.parent;
        const promised = member?.type === 'member_expression' && member.childForFieldName('property')?.text === 'promise';
        const callback = site.args.some((a) => a.type === 'arrow_function' || a.type === 'function_expression' || a.type === 'function');
        if (!(promised || callback || awsStyleObject(site.args[0]))) return;
        const candidate = apiFromCamel(hinted, site.name, 'js', hinted === dynamodb && /doc/i.test(key ?? ''));
        if (!candidate || !startsWithApiVerb(candidate)) return;
        service = hinted;
        api = candidate;
      }
    }
    if (!service || !api) return;
    this.addCall(site, service, api);
    this.addParameters(service, this.objectParameters(site.args[0]));
  }

  /** `new DeleteObjectCommand({...})`, `new s3.DeleteObjectCommand(...)`, lib-dynamodb's `new PutCommand(...)`. */
  private readJsCommand(site: CallSite, scope: Scope): void {
    if (!site.name.endsWith('Command')) return;
    const from = this.packageOf(site.callee, site.name);
    if (from !== undefined && !from.startsWith('@aws-sdk/')) return;
    const fromDocumentClient = from === documentClientPackage;
    let service = fromDocumentClient ? dynamodb : from ? serviceForJsPackage(from) : undefined;
    if (!service && !from) {
      // Not imported here: the client that sends it says which service it is.
      const known = this.known.get(site.node.id);
      service = known ? serviceForReview(known.service) : undefined;
      const sender = site.node.parent?.type === 'arguments' ? site.node.parent.parent : undefined;
      const sendSite = sender ? callSite(sender) : undefined;
      if (!service && sendSite?.name === 'send' && sendSite.receiver) {
        const owner = this.ownerOf(sendSite.receiver, scope, receiverKey(sendSite));
        if (owner?.kind === 'client') service = owner.service;
      }
    }
    const api = service && apiFromCommand(site.name, fromDocumentClient);
    if (!service || !api) return;
    this.addCall(site, service, api);
    this.addParameters(service, this.objectParameters(site.args[0]));
  }

  private objectParameters(request: Node | undefined): [string, Node][] {
    if (!request) return [];
    const node = request.type === 'identifier' ? this.constants.declaration(request) : request;
    return node?.type === 'object' ? this.pairs(node) : [];
  }

  private readJavaCall(site: CallSite, scope: Scope): void {
    const receiver = site.receiver;
    if (site.isConstructor || !receiver) return;
    const request = site.args[0];
    const key = receiverKey(site);
    const owner = this.ownerOf(receiver, scope, key?.replace(/^this\./, ''));
    let service: CloudTrailService | undefined;
    let api: string | undefined;
    if (owner?.kind === 'client') {
      service = owner.service;
      api = apiFromCamel(service, site.name, 'java');
    } else if (owner === undefined) {
      const known = this.known.get(site.node.id);
      const candidate = site.name.charAt(0).toUpperCase() + site.name.slice(1);
      if (known) {
        service = serviceForReview(known.service);
        api = known.operation.api;
      } else if (request && startsWithApiVerb(candidate)) {
        // `s3.deleteObject(DeleteObjectRequest.builder()…build())`: the request's class names the
        // operation and, through its import, the service; a consumer lambda needs the receiver's name.
        const hinted = key === undefined ? undefined : hintedService(key);
        if (request.type === 'lambda_expression') service = hinted;
        else if (this.javaRequestClass(request) === `${candidate}Request`) service = serviceForJavaName(this.imports.get(`${candidate}Request`) ?? '') ?? hinted;
        api = service && apiFromCamel(service, site.name, 'java');
      }
    }
    if (!service || !api) return;
    this.addCall(site, service, api);
    this.addParameters(service, this.builderParameters(request));
  }

  /** `DeleteObjectRequest.builder()…build()`, or a variable holding one, → `DeleteObjectRequest`. */
  private javaRequestClass(request: Node | undefined): string | undefined {
    let node = request?.type === 'identifier' ? this.constants.declaration(request) : request;
    while (node?.type === 'method_invocation') {
      const object: Node | null = node.childForFieldName('object');
      if (!object) return undefined;
      if (object.type === 'identifier' && node.childForFieldName('name')?.text === 'builder') return object.text;
      node = object;
    }
    return undefined;
  }

  /** The setter calls of a Java request: a builder chain, a variable holding one, or a consumer lambda's chain. */
  private builderParameters(request: Node | undefined): [string, Node][] {
    let node: Node | null | undefined = request?.type === 'identifier' ? this.constants.declaration(request) : request;
    if (node?.type === 'lambda_expression') node = node.childForFieldName('body');
    const parameters: [string, Node][] = [];
    while (node?.type === 'method_invocation') {
      const name = node.childForFieldName('name')?.text;
      const args = node.childForFieldName('arguments')?.namedChildren ?? [];
      if (name) for (const arg of args) if (arg && arg.type !== 'comment') parameters.push([name, arg]);
      node = node.childForFieldName('object');
    }
    return parameters.reverse();
  }

  private addParameters(service: CloudTrailService, parameters: [string, Node][]): void {
    for (const [parameter, value] of parameters) {
      if (!isResourceParameter(parameter, service.endpointPrefix)) continue;
      for (const element of this.elements(value)) {
        const constant = this.constants.value(element);
        const resource = constant === undefined ? undefined : parameterResource(parameter, service.endpointPrefix, constant);
        if (resource) this.addResource(element, resource);
      }
    }
  }

  /** The elements of a list argument (`InstanceIds=["i-1"]`, `List.of("i-1")`), else the value itself. */
  private elements(value: Node): Node[] {
    if (value.type === 'list' || value.type === 'tuple' || value.type === 'array') return value.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    if (value.type === 'method_invocation' && /^(List\.of|Arrays\.asList|Set\.of)$/.test(callSite(value)?.callee ?? '')) {
      return (value.childForFieldName('arguments')?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'comment');
    }
    return [value];
  }

  private addCall(site: CallSite, service: CloudTrailService, api: string): void {
    const at = nameNode(site);
    this.found.push({ kind: 'call', start: at.startIndex, end: at.endIndex, eventSource: service.eventSource, eventName: api, text: `${api} (${service.eventSource})` });
  }

  private addResource(at: Node, resource: AuditResource): void {
    this.found.push({ kind: 'resource', start: at.startIndex, end: at.endIndex, resource, text: resource.arn ?? resource.name ?? '' });
  }
}

const commentTypes = new Set(['comment', 'line_comment', 'block_comment']);

/**
 * ARNs in string literals. Comments are not read: an ARN in a comment documents a resource, the
 * code does not touch it, and a commented-out call is not made.
 */
function arnReferences(language: ReviewLanguage, tree: Tree, text: string): FoundReference[] {
  const found: FoundReference[] = [];
  const root = tree.rootNode;
  for (const match of findArns(text)) {
    let node: Node | null = root.descendantForIndex(match.start, match.end);
    while (node && !isStringLiteral(language, node) && !commentTypes.has(node.type) && node.id !== root.id) node = node.parent;
    if (!node || !isStringLiteral(language, node)) continue;
    const resource = arnResource(match.arn);
    if (resource) found.push({ kind: 'resource', start: match.start, end: match.end, resource, text: match.arn });
  }
  return found;
}

/**
 * Text every document that makes AWS calls contains: an SDK's name, or — for a client handed in
 * from elsewhere — a request in AWS's casing (`Bucket=`, `{ Bucket: … }`). Other documents skip
 * the call analysis and are only searched for ARNs.
 */
const awsMarkers: Record<ReviewLanguage, RegExp> = {
  python: /boto3|botocore|\b[A-Z][A-Za-z0-9]*=[^=]/,
  javascript: /aws-sdk|\b[A-Z][A-Za-z0-9]*['"]?\s*:/,
  typescript: /aws-sdk|\b[A-Z][A-Za-z0-9]*['"]?\s*:/,
  java: /software\.amazon\.awssdk|com\.amazonaws/,
};

/** The AWS calls, request resources and ARNs of a parsed Python, JavaScript/TypeScript or Java document. */
export function sdkReferences(language: ReviewLanguage, tree: Tree, text: string): FoundReference[] {
  const calls = awsMarkers[language].test(text) ? new FileReader(language, tree, text).read() : [];
  const arns = arnReferences(language, tree, text);
  // A request parameter that is an ARN literal is found twice; the parameter's typed reference stays.
  const kept = arns.filter((a) => !calls.some((c) => c.resource?.arn === a.resource?.arn && c.start <= a.start && a.end <= c.end));
  return [...calls, ...kept].sort((a, b) => a.start - b.start || a.end - b.end);
}
