// Recognises AWS SDK calls — boto3, the JavaScript SDK v2 and v3, the Java SDK v1 and v2 — against
// the operation table in awsOperations.ts, and answers the questions the AWS best-practice rules
// share: which operation a call sends, whether the function reads a response field, where the
// response goes. A method name alone (`scan`, `query`, `list_users`) is not enough to call something
// an AWS call: it also needs a client behind the receiver, a name that suggests one (`ddb`, `s3`), or
// a request in AWS's shape (PascalCase keys, a `<Api>Request` object, a `.promise()` call).
//
// Only the unit and module-level code are consulted (imports, globals, Java fields): the engine
// reuses a function's findings until its own text or the module's changes, so reading other
// functions here would leave stale findings behind.
import { awsServices, type AwsOperation, type AwsService } from './awsOperations';
import { callSite, compact, type CallSite } from './calls';
import type { ReviewLanguage } from './languages';
import type { Node, Tree } from './parser';
import type { RuleContext } from './rule';
import { isStringLiteral, stringValue } from './syntax';
import { isFunctionNode } from './units';

export interface SdkCall {
  service: AwsService;
  operation: AwsOperation;
  /** The call that sends the request; findings are reported here. */
  node: Node;
  /** The expression whose value is the response, when known (not for JS v2 callbacks or unsent commands). */
  response: Node | undefined;
  /** The request argument: an object literal or variable (JS), a request expression (Java); Python uses keywords. */
  request: Node | undefined;
  site: CallSite;
}

export interface ClientCreation {
  /** Where the client is created: `boto3.client(...)`, `new S3Client(...)`, `S3Client.builder()`. */
  node: Node;
  /** The whole expression that yields the client, including a Java builder chain. */
  expression: Node;
  service: AwsService | undefined;
}

interface OperationRef {
  service: AwsService;
  operation: AwsOperation;
}

export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function indexOperations(namesOf: (operation: AwsOperation) => (string | undefined)[]): Map<string, OperationRef[]> {
  const index = new Map<string, OperationRef[]>();
  for (const service of awsServices) {
    for (const operation of service.operations) {
      for (const name of new Set(namesOf(operation))) {
        if (!name) continue;
        const refs = index.get(name) ?? [];
        refs.push({ service, operation });
        index.set(name, refs);
      }
    }
  }
  return index;
}

const byBoto3Method = indexOperations((o) => [o.boto3, o.boto3Resource]);
const byCamelMethod = indexOperations((o) => [lowerFirst(o.api), o.documentClient && lowerFirst(o.documentClient)]);
const byCommand = indexOperations((o) => [`${o.api}Command`, o.documentClient && `${o.documentClient}Command`]);

const serviceByBoto3 = new Map(awsServices.map((s) => [s.boto3, s]));
const serviceByJsClass = new Map<string, AwsService>(awsServices.flatMap((s) => [[s.jsV3Client, s], [s.jsV2Class, s]] as const));
const serviceByJsPackage = new Map(awsServices.map((s) => [s.jsV3Package, s]));
const serviceByJavaClient = new Map<string, AwsService>(
  awsServices.flatMap((s) => [
    [s.javaV2Client, s],
    [s.javaV2Client.replace(/Client$/, 'AsyncClient'), s],
    [s.javaV1Client, s],
    [`${s.javaV1Client}Async`, s],
    [`${s.javaV1Client}Client`, s],
  ] as const),
);
const serviceByJavaV1Builder = new Map<string, AwsService>(awsServices.flatMap((s) => [[`${s.javaV1Client}ClientBuilder`, s], [`${s.javaV1Client}AsyncClientBuilder`, s]] as const));
const dynamodb = serviceByBoto3.get('dynamodb')!;
const documentClientPackage = '@aws-sdk/lib-dynamodb';

/** What module-level code says about names: imports, globals, Java fields. */
interface ModuleFacts {
  /** Top-level `name = value` (Python, JavaScript). */
  bindings: Map<string, Node>;
  /** Imported local name → module (JavaScript) or fully qualified name (Java). */
  imports: Map<string, string>;
  /** Java `import a.b.*;` packages. */
  wildcardImports: string[];
  /** Java field name → declared type. */
  fieldTypes: Map<string, string>;
}

const moduleFactsCache = new WeakMap<Tree, ModuleFacts>();

function moduleFacts(language: ReviewLanguage, tree: Tree): ModuleFacts {
  let facts = moduleFactsCache.get(tree);
  if (facts) return facts;
  facts = { bindings: new Map(), imports: new Map(), wildcardImports: [], fieldTypes: new Map() };
  const root = tree.rootNode;
  if (language === 'java') {
    for (const node of root.descendantsOfType(['import_declaration', 'field_declaration'])) {
      if (!node) continue;
      if (node.type === 'import_declaration') {
        const path = node.text.replace(/^import\s+(static\s+)?/, '').replace(/\s|;/g, '');
        if (path.endsWith('.*')) facts.wildcardImports.push(path.slice(0, -2));
        else facts.imports.set(path.slice(path.lastIndexOf('.') + 1), path);
      } else {
        const type = node.childForFieldName('type')?.text;
        for (const declarator of node.childrenForFieldName('declarator')) {
          const name = declarator?.childForFieldName('name')?.text;
          if (type && name) facts.fieldTypes.set(name, type);
        }
      }
    }
    moduleFactsCache.set(tree, facts);
    return facts;
  }
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    const declaration = statement.type === 'export_statement' ? statement.childForFieldName('declaration') : statement;
    if (!declaration) continue;
    switch (declaration.type) {
      case 'import_statement':
        recordJsImport(declaration, facts.imports);
        break;
      case 'lexical_declaration':
      case 'variable_declaration':
        for (const declarator of declaration.namedChildren) {
          if (declarator?.type !== 'variable_declarator') continue;
          const name = declarator.childForFieldName('name');
          const value = declarator.childForFieldName('value');
          if (!name || !value) continue;
          const required = requiredModule(value);
          if (required) bindPattern(name, required, facts.imports);
          else if (name.type === 'identifier') facts.bindings.set(name.text, value);
        }
        break;
      case 'expression_statement': {
        const assignment = declaration.namedChildren[0];
        if (assignment?.type !== 'assignment' && assignment?.type !== 'assignment_expression') break;
        const left = assignment.childForFieldName('left');
        const right = assignment.childForFieldName('right');
        if (left && right) facts.bindings.set(compact(left.text), right);
        break;
      }
    }
  }
  moduleFactsCache.set(tree, facts);
  return facts;
}

function recordJsImport(statement: Node, imports: Map<string, string>): void {
  const source = statement.childForFieldName('source');
  if (!source) return;
  const from = stringValue(source).value;
  for (const node of statement.descendantsOfType(['import_specifier', 'namespace_import', 'import_clause'])) {
    if (!node) continue;
    if (node.type === 'import_specifier') {
      const local = node.childForFieldName('alias') ?? node.childForFieldName('name');
      if (local) imports.set(local.text, from);
    } else {
      const local = node.namedChildren.find((c) => c?.type === 'identifier');
      if (local) imports.set(local.text, from);
    }
  }
}

/** `require('@aws-sdk/client-s3')` → the module name. */
function requiredModule(value: Node): string | undefined {
  const call = value.type === 'member_expression' ? value.childForFieldName('object') : value;
  if (call?.type !== 'call_expression' || call.childForFieldName('function')?.text !== 'require') return undefined;
  const arg = call.childForFieldName('arguments')?.namedChildren[0];
  return arg && arg.type === 'string' ? stringValue(arg).value : undefined;
}

function bindPattern(pattern: Node, from: string, imports: Map<string, string>): void {
  if (pattern.type === 'identifier') imports.set(pattern.text, from);
  for (const node of pattern.descendantsOfType(['shorthand_property_identifier_pattern', 'pair_pattern'])) {
    if (node?.type === 'shorthand_property_identifier_pattern') imports.set(node.text, from);
    else if (node) {
      const local = node.childForFieldName('value');
      if (local?.type === 'identifier') imports.set(local.text, from);
    }
  }
}

function isAwsJsModule(name: string | undefined): boolean {
  return !!name && (name.startsWith('@aws-sdk/') || name === 'aws-sdk' || name.startsWith('aws-sdk/'));
}

function javaImportedFrom(facts: ModuleFacts, simpleName: string, prefix: string): boolean {
  return facts.imports.get(simpleName)?.startsWith(prefix) === true || facts.wildcardImports.some((p) => p.startsWith(prefix));
}

/** Strips what does not change a value: `await`, parentheses, TypeScript assertions. */
function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    if (['await', 'await_expression', 'parenthesized_expression', 'as_expression', 'non_null_expression', 'satisfies_expression'].includes(current.type)) {
      const inner = current.namedChildren.find((c) => c && c.type !== 'comment' && !c.type.includes('type'));
      if (!inner) return current;
      current = inner;
    } else {
      return current;
    }
  }
}

/**
 * The client a creation expression makes, if `node` is one: `boto3.client("s3")`, `session.resource("dynamodb")`,
 * `new S3Client({})`, `new AWS.DynamoDB.DocumentClient()`, `S3Client.create()`, `S3Client.builder()`,
 * `AmazonS3ClientBuilder.defaultClient()`. Builder chains are recognised at their base call only.
 */
function creationAt(language: ReviewLanguage, node: Node, facts: ModuleFacts): { service: AwsService | undefined } | undefined {
  const site = callSite(node);
  if (!site) return undefined;
  switch (language) {
    case 'python': {
      if (site.name !== 'client' && site.name !== 'resource') return undefined;
      const first = site.args[0] ?? site.keywords.get('service_name');
      if (!first) return undefined;
      const receiver = site.receiver ? compact(site.receiver.text) : '';
      if (!(receiver === 'boto3' || /^boto3\.(session\.)?Session\(/.test(receiver) || /session/i.test(receiver))) return undefined;
      return { service: isStringLiteral(language, first) ? serviceByBoto3.get(stringValue(first).value) : undefined };
    }
    case 'javascript':
    case 'typescript': {
      if (!site.isConstructor) return undefined;
      const parts = site.callee.split('.');
      const base = parts[0];
      const from = facts.imports.get(base);
      if (from && !isAwsJsModule(from)) return undefined;
      if (parts.length === 1) {
        if (site.name.endsWith('Command')) return undefined;
        const service = serviceByJsClass.get(site.name) ?? (from ? serviceByJsPackage.get(from) : undefined);
        return service || isAwsJsModule(from) ? { service } : undefined;
      }
      // `new AWS.S3()`, `new AWS.DynamoDB.DocumentClient()`, `new DynamoDB.DocumentClient()`.
      if (base === 'AWS' || isAwsJsModule(from)) {
        const service = serviceByJsClass.get(base === 'AWS' ? parts[1] : base);
        return { service };
      }
      return undefined;
    }
    case 'java': {
      if (site.isConstructor) {
        const service = serviceByJavaClient.get(site.name);
        return service && site.name.endsWith('Client') ? { service } : undefined;
      }
      const object = site.receiver;
      if (object?.type !== 'identifier') return undefined;
      const type = object.text;
      if (site.name === 'create' || site.name === 'builder') {
        const service = serviceByJavaClient.get(type);
        if (service) return { service };
        return /Client$/.test(type) && javaImportedFrom(facts, type, 'software.amazon.awssdk.') ? { service: undefined } : undefined;
      }
      if (site.name === 'defaultClient' || site.name === 'standard') {
        const service = serviceByJavaV1Builder.get(type);
        if (service) return { service };
        return /ClientBuilder$/.test(type) && javaImportedFrom(facts, type, 'com.amazonaws.') ? { service: undefined } : undefined;
      }
      return undefined;
    }
  }
}

/** Every client created in the unit, once each (a Java builder chain at its base). */
export function clientCreations(context: RuleContext): ClientCreation[] {
  const facts = moduleFacts(context.language, context.tree);
  return context.calls().flatMap((site) => {
    const created = creationAt(context.language, site.node, facts);
    if (!created) return [];
    let expression = site.node;
    // A Java builder chain (`S3Client.builder().region(r).build()`) yields the client at its end.
    while (context.language === 'java' && expression.parent?.type === 'method_invocation' && expression.parent.childForFieldName('object')?.id === expression.id) {
      expression = expression.parent;
    }
    return [{ node: site.node, expression, service: created.service }];
  });
}

/** The client a value holds, if it evidently holds one: a creation, a builder chain, a DynamoDB Table or document client. */
function clientOf(language: ReviewLanguage, value: Node, facts: ModuleFacts): { service: AwsService | undefined } | undefined {
  let node = unwrap(value);
  if (language === 'java') {
    while (node.type === 'method_invocation') {
      const created = creationAt(language, node, facts);
      if (created) return created;
      const object = node.childForFieldName('object');
      if (!object) return undefined;
      node = object;
    }
    return node.type === 'object_creation_expression' ? creationAt(language, node, facts) : undefined;
  }
  const created = creationAt(language, node, facts);
  if (created) return created;
  const site = callSite(node);
  if (!site) return undefined;
  if (language === 'python' && site.name === 'Table' && site.receiver) return { service: dynamodb };
  if (language !== 'python' && /^DynamoDB(Document|DocumentClient)\.from$/.test(site.callee)) return { service: dynamodb };
  return undefined;
}

/** What the receiver of a call is known to be: a client of a service, an AWS client of some service, something else, or unknown. */
type Owner = AwsService | 'aws' | 'other' | undefined;

function ownerOf(context: RuleContext, receiver: Node, facts: ModuleFacts): Owner {
  const fromClient = (value: Node): Owner => {
    const client = clientOf(context.language, value, facts);
    return client ? (client.service ?? 'aws') : undefined;
  };
  const direct = fromClient(receiver);
  if (direct) return direct;
  const key = compact(receiver.text);
  if (context.language === 'java') {
    const name = key.replace(/^this\./, '');
    const type = javaDeclaredType(context, name, facts);
    if (!type) return undefined;
    if (type === 'var') {
      const value = javaLocalValue(context, name);
      return value ? fromClient(value) : undefined;
    }
    const simple = type.replace(/<.*$/, '');
    const service = serviceByJavaClient.get(simple);
    if (service) return service;
    return /Client$/.test(simple) && javaImportedFrom(facts, simple, 'software.amazon.awssdk.services.') ? 'aws' : 'other';
  }
  const local = localBindings(context).get(key);
  if (local) return fromClient(local);
  const global = facts.bindings.get(key);
  return global ? fromClient(global) : undefined;
}

const localBindingsCache = new WeakMap<CallSite[], Map<string, Node>>();

/** `name = value` in the unit, last one wins: Python assignments, JavaScript declarations and assignments. */
function localBindings(context: RuleContext): Map<string, Node> {
  const cached = localBindingsCache.get(context.calls());
  if (cached) return cached;
  const bindings = new Map<string, Node>();
  localBindingsCache.set(context.calls(), bindings);
  for (const node of context.find('assignment', 'variable_declarator', 'assignment_expression')) {
    const target = node.childForFieldName('left') ?? node.childForFieldName('name');
    const value = node.childForFieldName('right') ?? node.childForFieldName('value');
    if (target && value) bindings.set(compact(target.text), value);
  }
  return bindings;
}

/** The declared type of a Java local, parameter or field. */
function javaDeclaredType(context: RuleContext, name: string, facts: ModuleFacts): string | undefined {
  for (const node of context.find('local_variable_declaration', 'formal_parameter')) {
    const type = node.childForFieldName('type')?.text;
    if (node.type === 'formal_parameter') {
      if (node.childForFieldName('name')?.text === name) return type;
      continue;
    }
    for (const declarator of node.childrenForFieldName('declarator')) {
      if (declarator?.childForFieldName('name')?.text === name) return type;
    }
  }
  return facts.fieldTypes.get(name);
}

function javaLocalValue(context: RuleContext, name: string): Node | undefined {
  for (const declarator of context.find('variable_declarator')) {
    if (declarator.childForFieldName('name')?.text === name) return declarator.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/** `this.dynamoDbClient` → dynamo, db, client, dynamodb, dbclient: words to match against a service's name hints. */
function nameWords(receiver: Node): string[] {
  const last = compact(receiver.text).split('.').pop() ?? '';
  if (!/^[A-Za-z_$][\w$]*$/.test(last)) return [];
  const words = last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const pairs = words.slice(1).map((w, i) => words[i] + w);
  return [...words, ...pairs];
}

function choose(refs: OperationRef[], owner: Owner, receiver: Node, styled: boolean): OperationRef | undefined {
  if (owner === 'other') return undefined;
  if (owner === 'aws') return refs[0];
  if (owner) return refs.find((r) => r.service === owner);
  // The longest matching hint is the most specific: `personalize_events` is Personalize, not EventBridge's `events`.
  const words = nameWords(receiver);
  const hintLength = (r: OperationRef) => Math.max(0, ...r.service.nameHints.filter((h) => words.includes(h)).map((h) => h.length));
  const hinted = refs.reduce<OperationRef | undefined>((best, r) => (hintLength(r) > (best ? hintLength(best) : 0) ? r : best), undefined);
  return hinted ?? (styled ? refs[0] : undefined);
}

/** Python keywords in AWS's casing (`Bucket=`, `TableName=`, `logGroupName=`), never snake_case. */
export function awsStyleKeywords(site: CallSite): boolean {
  const names = [...site.keywords.keys()];
  return names.length > 0 && names.every((n) => !n.includes('_')) && names.some((n) => /[A-Z]/.test(n));
}

/** A JavaScript object literal whose keys are all PascalCase, as AWS request parameters are. */
export function awsStyleObject(node: Node | undefined): boolean {
  if (node?.type !== 'object') return false;
  const keys = node.namedChildren.flatMap((child) => {
    if (child?.type === 'pair') return [child.childForFieldName('key')?.text.replace(/^['"]|['"]$/g, '') ?? ''];
    if (child?.type === 'shorthand_property_identifier') return [child.text];
    return child?.type === 'spread_element' || child?.type === 'comment' ? [] : ['?'];
  });
  return keys.length > 0 && keys.every((k) => /^[A-Z][A-Za-z0-9]*$/.test(k));
}

/** `new ScanRequest()`, `ScanRequest.builder()…build()`, or a variable declared `ScanRequest` → `ScanRequest`. */
function javaRequestType(context: RuleContext, argument: Node | undefined, facts: ModuleFacts): string | undefined {
  if (!argument) return undefined;
  let node = argument;
  while (node.type === 'method_invocation') {
    const object = node.childForFieldName('object');
    if (!object) return undefined;
    node = object;
  }
  if (node.type === 'object_creation_expression') return node.childForFieldName('type')?.text;
  if (node.type === 'identifier') return /Request$/.test(node.text) ? node.text : javaDeclaredType(context, node.text, facts);
  return undefined;
}

const sdkCallsCache = new WeakMap<CallSite[], SdkCall[]>();

/** The AWS SDK calls of the unit, each with the operation it sends. */
export function sdkCalls(context: RuleContext): SdkCall[] {
  const sites = context.calls();
  const cached = sdkCallsCache.get(sites);
  if (cached) return cached;
  const facts = moduleFacts(context.language, context.tree);
  const found = sites.flatMap((site) => {
    const call = recognise(context, site, facts);
    return call ? [call] : [];
  });
  sdkCallsCache.set(sites, found);
  return found;
}

function recognise(context: RuleContext, site: CallSite, facts: ModuleFacts): SdkCall | undefined {
  switch (context.language) {
    case 'python': {
      const refs = byBoto3Method.get(site.name);
      // boto3 client methods take keyword arguments only.
      if (!refs || !site.receiver || site.isConstructor || site.args.some((a) => a.type !== 'dictionary_splat' && a.type !== 'list_splat')) return undefined;
      const ref = choose(refs, ownerOf(context, site.receiver, facts), site.receiver, awsStyleKeywords(site));
      return ref && { ...ref, node: site.node, response: site.node, request: undefined, site };
    }
    case 'javascript':
    case 'typescript':
      return site.isConstructor ? recogniseCommand(context, site, facts) : recogniseJsMethod(context, site, facts);
    case 'java': {
      const refs = byCamelMethod.get(site.name);
      if (!refs || !site.receiver || site.isConstructor) return undefined;
      const owner = ownerOf(context, site.receiver, facts);
      const requestType = javaRequestType(context, site.args[0], facts);
      const byRequest = owner === undefined && requestType ? refs.find((r) => requestType === `${r.operation.api}Request`) : undefined;
      const ref = byRequest ?? choose(refs, owner, site.receiver, false);
      return ref && { ...ref, node: site.node, response: site.node, request: site.args[0], site };
    }
  }
}

/** `client.send(new ListObjectsV2Command({...}))`, or a command built first and sent later. */
function recogniseCommand(context: RuleContext, site: CallSite, facts: ModuleFacts): SdkCall | undefined {
  const refs = byCommand.get(site.callee);
  if (!refs) return undefined;
  const from = facts.imports.get(site.callee);
  const ref = from ? refs.find((r) => r.service.jsV3Package === from || (from === documentClientPackage && r.operation.documentClient)) : refs[0];
  if (!ref) return undefined;
  const request = site.args[0];
  const parent = site.node.parent;
  const sender = parent?.type === 'arguments' ? parent.parent : undefined;
  if (sender?.type === 'call_expression' && callSite(sender)?.name === 'send') {
    return { ...ref, node: sender, response: sender, request, site };
  }
  const declarator = parent?.type === 'variable_declarator' ? parent.childForFieldName('name') : undefined;
  if (declarator?.type === 'identifier') {
    const send = context.calls().find((s) => s.name === 'send' && s.args[0]?.type === 'identifier' && s.args[0].text === declarator.text);
    if (send) return { ...ref, node: send.node, response: send.node, request, site };
  }
  return { ...ref, node: site.node, response: undefined, request, site };
}

/** `s3.listObjectsV2(params).promise()` (v2), `await s3.listObjectsV2(params)` (v3 aggregated client), `docClient.batchWrite(params)`. */
function recogniseJsMethod(context: RuleContext, site: CallSite, facts: ModuleFacts): SdkCall | undefined {
  const refs = byCamelMethod.get(site.name);
  if (!refs || !site.receiver) return undefined;
  const member = site.node.parent;
  const promised = member?.type === 'member_expression' && member.childForFieldName('property')?.text === 'promise' && member.parent?.type === 'call_expression' ? member.parent : undefined;
  const callback = site.args.some((a) => a.type === 'arrow_function' || a.type === 'function_expression');
  const ref = choose(refs, ownerOf(context, site.receiver, facts), site.receiver, !!promised || awsStyleObject(site.args[0]));
  if (!ref) return undefined;
  return { ...ref, node: site.node, response: callback ? undefined : (promised ?? site.node), request: site.args[0], site };
}

/** Names the unit mentions: identifiers, property names and string literal values. */
const mentionsCache = new WeakMap<CallSite[], Set<string>>();

const mentionTypes: Record<ReviewLanguage, readonly string[]> = {
  python: ['identifier', 'string'],
  java: ['identifier'],
  javascript: ['identifier', 'property_identifier', 'shorthand_property_identifier', 'shorthand_property_identifier_pattern', 'string'],
  typescript: ['identifier', 'property_identifier', 'shorthand_property_identifier', 'shorthand_property_identifier_pattern', 'string'],
};

function mentionedNames(context: RuleContext): Set<string> {
  const key = context.calls();
  let names = mentionsCache.get(key);
  if (names) return names;
  names = new Set(context.find(...mentionTypes[context.language]).map((n) => (n.type === 'string' ? stringValue(n).value : n.text)));
  mentionsCache.set(key, names);
  return names;
}

/**
 * Whether the unit reads or writes an API field anywhere: `resp["NextToken"]`, `NextToken=token`
 * (Python), `resp.NextToken`, `{ NextToken }` (JavaScript), `resp.nextToken()`, `.nextToken(t)`,
 * `getNextToken()`, `withNextToken(t)`, `hasFailed()` (Java).
 */
export function mentionsField(context: RuleContext, field: string): boolean {
  const names = mentionedNames(context);
  if (context.language !== 'java') return names.has(field);
  return [lowerFirst(field), `get${field}`, `set${field}`, `with${field}`, `is${field}`, `has${field}`].some((n) => names.has(n));
}

export function mentionsName(context: RuleContext, name: string): boolean {
  return mentionedNames(context).has(name);
}

const functionLike = new Set(['lambda', 'lambda_expression']);

/** The function a node belongs to: the nearest enclosing function, method or lambda. */
function enclosingFunction(language: ReviewLanguage, node: Node): Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunctionNode(language, current) || functionLike.has(current.type)) return current;
  }
  return undefined;
}

export type ResponseUse =
  /** The statement discards it. */
  | { kind: 'ignored' }
  /** The unit's own function returns or yields it: its caller decides. */
  | { kind: 'returned' }
  /** A nested function returns it, e.g. a callback to `map`. */
  | { kind: 'escapes' }
  /** Assigned to these names (destructured names included). */
  | { kind: 'bound'; names: string[] }
  /** An argument of another call. */
  | { kind: 'passed'; callee: string }
  /** Read in place: `client.scan()["Items"]`, `for page in …`. */
  | { kind: 'used' };

export function responseUse(context: RuleContext, response: Node): ResponseUse {
  let node = response;
  while (node.parent && unwrap(node.parent).id === node.id) node = node.parent;
  const parent = node.parent;
  if (!parent) return { kind: 'used' };
  const ownerIsUnit = () => enclosingFunction(context.language, node)?.id === context.unit.root.id;
  switch (parent.type) {
    case 'expression_statement':
      return { kind: 'ignored' };
    case 'return_statement':
    case 'yield':
      return ownerIsUnit() ? { kind: 'returned' } : { kind: 'escapes' };
    case 'arrow_function':
    case 'lambda':
    case 'lambda_expression':
      return parent.childForFieldName('body')?.id === node.id ? (parent.id === context.unit.root.id ? { kind: 'returned' } : { kind: 'escapes' }) : { kind: 'used' };
    case 'assignment':
    case 'assignment_expression':
    case 'variable_declarator': {
      const target = parent.childForFieldName('left') ?? parent.childForFieldName('name');
      const value = parent.childForFieldName('right') ?? parent.childForFieldName('value');
      if (!target || value?.id !== node.id) return { kind: 'used' };
      const names = target.type === 'identifier' || target.type.includes('attribute') || target.type.includes('member') ? [compact(target.text)] : target.descendantsOfType(['identifier', 'shorthand_property_identifier_pattern']).flatMap((n) => (n ? [n.text] : []));
      return { kind: 'bound', names };
    }
    case 'argument_list':
    case 'arguments': {
      const call = parent.parent ? callSite(parent.parent) : undefined;
      return call ? { kind: 'passed', callee: call.callee } : { kind: 'used' };
    }
    default:
      return { kind: 'used' };
  }
}

/** Whether the unit's own function returns one of `names` (`return resp`), handing the response to its caller. */
export function returnsName(context: RuleContext, names: readonly string[]): boolean {
  return context.find('return_statement', 'yield').some((ret) => {
    const value = ret.namedChildren.find((c) => c && c.type !== 'comment');
    return !!value && names.includes(compact(unwrap(value).text)) && enclosingFunction(context.language, ret)?.id === context.unit.root.id;
  });
}

/** Printing, logging and serialising a value is not checking it. */
const lookingOnly = /(^|\.)(print|println|printf|len|str|repr|dumps|stringify|valueOf|format|debug|info|warn|warning|error|log|trace|exception|critical|fatal)$/;

/** Whether one of `names` is handed to another call that may check it: `raise_on_failures(resp)`. */
export function passesName(context: RuleContext, names: readonly string[]): boolean {
  return context.calls().some((site) => !lookingOnly.test(site.callee) && site.args.some((a) => names.includes(compact(a.text))));
}

export function isHandedOver(use: ResponseUse): boolean {
  return use.kind === 'returned' || (use.kind === 'passed' && !lookingOnly.test(use.callee));
}

/** The parameter names of the unit's function (none for the module unit). */
export function unitParameters(context: RuleContext): Set<string> {
  const names = new Set<string>();
  if (context.unit.isModule) return names;
  const list = context.unit.root.childForFieldName('parameters') ?? context.unit.root.childForFieldName('parameter');
  if (!list) return names;
  if (list.type === 'identifier') return names.add(list.text);
  for (const param of list.namedChildren) {
    if (!param) continue;
    const name =
      param.type === 'identifier'
        ? param
        : (param.childForFieldName('name') ?? param.childForFieldName('pattern') ?? param.childForFieldName('left') ?? param.namedChildren.find((c) => c?.type === 'identifier'));
    if (name?.type === 'identifier') names.add(name.text);
  }
  return names;
}
