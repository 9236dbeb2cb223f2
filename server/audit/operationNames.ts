// From the name an SDK gives an operation back to the API name, which is CloudTrail's eventName.
// awsOperations.ts explains the forward direction; going back, boto3's snake_case loses the
// acronyms some services keep upper case (`create_db_instance` is `CreateDBInstance`), so the review
// table's stored names come first and a short list of acronyms per service fixes the rest.
import type { CloudTrailService } from './cloudTrailServices';

/** Words an API name spells in capitals, per endpoint prefix. */
const acronyms: Record<string, ReadonlySet<string>> = {
  rds: new Set(['db']),
  iam: new Set(['mfa', 'saml', 'ssh', 'id']),
  sts: new Set(['saml']),
  sns: new Set(['sms']),
  route53: new Set(['vpc']),
};

/** Client methods that send no request of their own, per SDK. */
const notOperations = {
  boto3: new Set(['get_paginator', 'get_waiter', 'can_paginate', 'close', 'generate_presigned_url', 'generate_presigned_post']),
  js: new Set(['send', 'destroy', 'promise', 'then', 'catch', 'on', 'makeRequest', 'makeUnauthenticatedRequest', 'getSignedUrl', 'getSignedUrlPromise', 'createPresignedPost', 'waitFor', 'setupRequestListeners', 'middlewareStack', 'config']),
  java: new Set(['close', 'serviceName', 'utilities', 'waiter', 'builder', 'create', 'serviceClientConfiguration']),
};

/** Convenience methods that send a known request: boto3's managed transfers, JS v2's managed upload. */
const convenience: Record<string, Record<string, string>> = {
  s3: {
    upload_file: 'PutObject',
    upload_fileobj: 'PutObject',
    download_file: 'GetObject',
    download_fileobj: 'GetObject',
    copy: 'CopyObject',
    upload: 'PutObject',
  },
};

/** The DynamoDB document clients' methods (JS v2 DocumentClient) and command stems (JS v3 lib-dynamodb). */
const documentClient: Record<string, string> = {
  Put: 'PutItem',
  Get: 'GetItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
  BatchWrite: 'BatchWriteItem',
  BatchGet: 'BatchGetItem',
  TransactWrite: 'TransactWriteItems',
  TransactGet: 'TransactGetItems',
};

const boto3Index = new Map<CloudTrailService, Map<string, string>>();

function storedBoto3Names(service: CloudTrailService): Map<string, string> {
  let names = boto3Index.get(service);
  if (!names) {
    names = new Map((service.review?.operations ?? []).flatMap((o) => [[o.boto3, o.api], ...(o.boto3Resource ? [[o.boto3Resource, o.api] as const] : [])]));
    boto3Index.set(service, names);
  }
  return names;
}

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const CAMEL = /^[a-z][A-Za-z0-9]*$/;

/** `delete_object` → `DeleteObject`; undefined for names that are not operations. */
export function apiFromBoto3(service: CloudTrailService, method: string): string | undefined {
  if (notOperations.boto3.has(method) || !SNAKE.test(method)) return undefined;
  const stored = storedBoto3Names(service).get(method) ?? convenience[service.endpointPrefix]?.[method];
  if (stored) return stored;
  const upper = acronyms[service.endpointPrefix];
  return method.split('_').map((word) => (upper?.has(word) ? word.toUpperCase() : word.charAt(0).toUpperCase() + word.slice(1))).join('');
}

/** JS v2, JS v3 aggregated clients, Java v1 and v2: `deleteObject` → `DeleteObject`; Java `listObjectsV2Paginator` → `ListObjectsV2`. */
export function apiFromCamel(service: CloudTrailService, method: string, sdk: 'js' | 'java', documentClientMethods = false): string | undefined {
  if (notOperations[sdk].has(method) || !CAMEL.test(method)) return undefined;
  const name = sdk === 'java' && method.endsWith('Paginator') ? method.slice(0, -'Paginator'.length) : method;
  const upper = name.charAt(0).toUpperCase() + name.slice(1);
  if (documentClientMethods && documentClient[upper]) return documentClient[upper];
  return convenience[service.endpointPrefix]?.[method] ?? upper;
}

/** `DeleteObjectCommand` → `DeleteObject`; lib-dynamodb's `PutCommand` → `PutItem`. */
export function apiFromCommand(className: string, fromDocumentClient: boolean): string | undefined {
  if (!/^[A-Z][A-Za-z0-9]*Command$/.test(className)) return undefined;
  const stem = className.slice(0, -'Command'.length);
  if (fromDocumentClient) return documentClient[stem];
  return stem || undefined;
}

/** boto3 `get_paginator("list_objects_v2")`, JS v3 `paginateListObjectsV2`: the operation paginated. */
export function apiFromPaginator(service: CloudTrailService, name: string, sdk: 'boto3' | 'js'): string | undefined {
  if (sdk === 'boto3') return apiFromBoto3(service, name);
  return /^paginate[A-Z]/.test(name) ? name.slice('paginate'.length) : undefined;
}

/** boto3 `get_waiter("bucket_exists")`: the operation the waiter polls, where the review table knows the waiter. */
export function apiFromWaiter(service: CloudTrailService, boto3Name: string): string | undefined {
  return service.review?.waiters?.find((w) => w.boto3 === boto3Name)?.operation;
}

/**
 * API verbs: a method found only through a variable's name (`s3.deleteObject(...)` on an `s3`
 * parameter) must also begin with one of these to count as an AWS call.
 */
const verbs = new Set([
  'abort', 'accept', 'activate', 'add', 'admin', 'analyze', 'apply', 'assign', 'associate', 'assume', 'attach', 'authorize', 'batch', 'cancel',
  'change', 'check', 'complete', 'confirm', 'converse', 'copy', 'create', 'deactivate', 'decrypt', 'delete', 'deregister', 'describe', 'detach',
  'detect', 'disable', 'disassociate', 'download', 'enable', 'encrypt', 'execute', 'export', 'filter', 'generate', 'get', 'head', 'import', 'initiate',
  'invoke', 'list', 'lookup', 'modify', 'publish', 'purge', 'put', 'query', 'reboot', 'receive', 'register', 'reject', 'remove', 'replace', 'request',
  'reset', 'restore', 'retrieve', 'revoke', 'rotate', 'run', 'scan', 'schedule', 'search', 'select', 'send', 'set', 'sign', 'start', 'stop',
  'subscribe', 'synthesize', 'tag', 'terminate', 'test', 'transact', 'translate', 'unsubscribe', 'untag', 'update', 'upload', 'validate', 'verify',
]);

export function startsWithApiVerb(api: string): boolean {
  const first = /^[A-Z][a-z]+/.exec(api)?.[0];
  return !!first && verbs.has(first.toLowerCase());
}
