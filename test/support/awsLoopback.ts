// A loopback stand-in for CloudTrail and Athena that speaks their documented AWS JSON 1.1 protocol
// (POST /, X-Amz-Target, application/x-amz-json-1.1, errors as HTTP 400 with `__type`), so tests
// drive the real AWS SDK — signing, retries, serialisation — against it, not mocks of our code.
// It verifies every request's SigV4 signature with the known test credentials, serves LookupEvents
// pages with NextToken (and rejects a next page whose other parameters changed), throttles on
// demand or above 2 LookupEvents requests a second, runs Athena queries through QUEUED → RUNNING →
// SUCCEEDED/FAILED, and records every request with its arrival time.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** AWS's documented example key pair: never valid anywhere. */
export const TEST_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } as const;

// The API reference writes CloudTrail's target with its namespace; the SDK sends the service shape's
// name alone. AWS takes both, and so does this server.
const CLOUDTRAIL_TARGETS = ['com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.', 'CloudTrail_20131101.'];
const ATHENA_TARGET = 'AmazonAthena.';

export interface RecordedRequest {
  service: 'cloudtrail' | 'athena';
  operation: string;
  body: Record<string, unknown>;
  /** performance.now() when the request arrived. */
  at: number;
  /** The Authorization header's credential scope, e.g. AKIA…/20260105/us-east-1/cloudtrail/aws4_request. */
  credential: string;
  /** HTTP status answered. */
  status: number;
}

type Json = Record<string, unknown>;

// ── SigV4 ───────────────────────────────────────────────────────────────────────────────────────

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * Checks a request's AWS Signature Version 4 (the `Authorization: AWS4-HMAC-SHA256 …` header form)
 * for `service` in `region` with `secrets` (access key id → secret). Returns what is wrong, or
 * undefined when the signature is right.
 */
export function verifySigV4(
  request: { method: string; url: string; headers: IncomingHttpHeaders },
  body: Buffer,
  expected: { region: string; service: string; secrets: ReadonlyMap<string, string>; now?: number },
): string | undefined {
  const authorization = headerValue(request.headers, 'authorization');
  if (!authorization) return 'no Authorization header';
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
  if (!match) return `Authorization is not an AWS4-HMAC-SHA256 header: ${authorization.slice(0, 80)}`;
  const [, keyId, day, region, service, signedHeaderList, signature] = match;
  const secret = expected.secrets.get(keyId);
  if (!secret) return `unknown access key ${keyId}`;
  if (region !== expected.region) return `credential scope Region ${region}, expected ${expected.region}`;
  if (service !== expected.service) return `credential scope service ${service}, expected ${expected.service}`;
  const amzDate = headerValue(request.headers, 'x-amz-date');
  if (!amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate)) return 'no valid X-Amz-Date header';
  if (amzDate.slice(0, 8) !== day) return `X-Amz-Date ${amzDate} is not on the credential scope's day ${day}`;
  const signedAt = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
  if (Math.abs((expected.now ?? Date.now()) - signedAt) > 15 * 60_000) return `X-Amz-Date ${amzDate} is more than 15 minutes off`;
  const signedHeaders = signedHeaderList.split(';');
  for (const required of ['host', 'x-amz-date']) if (!signedHeaders.includes(required)) return `${required} is not signed`;
  if ([...signedHeaders].sort().join(';') !== signedHeaderList) return 'SignedHeaders are not sorted';
  let canonicalHeaders = '';
  for (const name of signedHeaders) {
    const value = headerValue(request.headers, name);
    if (value === undefined) return `signed header ${name} is missing`;
    canonicalHeaders += `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;
  }
  const payloadHash = sha256(body);
  const declared = headerValue(request.headers, 'x-amz-content-sha256');
  if (declared && /^[0-9a-f]{64}$/.test(declared) && declared !== payloadHash) return 'X-Amz-Content-Sha256 does not match the body';
  const url = new URL(request.url, 'http://loopback');
  const query = [...url.searchParams].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).sort().join('&');
  const canonicalRequest = [request.method, url.pathname || '/', query, canonicalHeaders, signedHeaderList, payloadHash].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
  const computed = createHmac('sha256', key).update(stringToSign).digest();
  if (!timingSafeEqual(computed, Buffer.from(signature, 'hex'))) return 'signature does not match';
  return undefined;
}

// ── CloudTrail ──────────────────────────────────────────────────────────────────────────────────

interface PageToken {
  parameters: string;
  offset: number;
}

/** Server-side matching of LookupEvents attributes, written apart from Sightline's own. */
function matchesAttribute(record: Json, key: string, value: string): boolean {
  const identity = (record.userIdentity ?? {}) as Json;
  const resources = Array.isArray(record.resources) ? (record.resources as Json[]) : [];
  switch (key) {
    case 'EventId': return record.eventID === value;
    case 'EventName': return record.eventName === value;
    case 'EventSource': return record.eventSource === value;
    case 'ReadOnly': return String(record.readOnly) === value;
    case 'AccessKeyId': return identity.accessKeyId === value;
    case 'Username': {
      const arn = typeof identity.arn === 'string' ? identity.arn : '';
      return identity.userName === value || arn.endsWith(`/${value}`);
    }
    case 'ResourceType': return resources.some((r) => r.type === value);
    case 'ResourceName': return resources.some((r) => r.ARN === value) || JSON.stringify(record.requestParameters ?? {}).includes(JSON.stringify(value));
    default: return false;
  }
}

function eventSummary(record: Json): Json {
  const identity = (record.userIdentity ?? {}) as Json;
  const arn = typeof identity.arn === 'string' ? identity.arn : '';
  const resources = Array.isArray(record.resources) ? (record.resources as Json[]) : [];
  return {
    EventId: record.eventID,
    EventName: record.eventName,
    ReadOnly: record.readOnly === undefined ? undefined : String(record.readOnly),
    AccessKeyId: identity.accessKeyId,
    EventTime: Date.parse(String(record.eventTime)) / 1000,
    EventSource: record.eventSource,
    Username: identity.userName ?? (arn.includes('/') ? arn.slice(arn.lastIndexOf('/') + 1) : undefined),
    Resources: resources.map((r) => ({ ResourceType: r.type, ResourceName: r.ARN })),
    CloudTrailEvent: JSON.stringify(record),
  };
}

export class CloudTrailBehaviour {
  /** The account's events (any order); LookupEvents serves them newest first. */
  records: Json[] = [];
  /** Answer this many of the next LookupEvents requests with ThrottlingException. */
  throttleNext = 0;
  /** Throttle, as CloudTrail does, above this many LookupEvents requests in any second (0: never). */
  quotaPerSecond = 2;
  /** Override an answer's page size below the MaxResults asked for (0: as asked). */
  pageSize = 0;
  /** Changes each Events[] item before it is sent (to serve broken CloudTrailEvent strings). */
  mangle?: (item: Json) => Json;
  readonly tokens = new Map<string, PageToken>();
  readonly arrivals: number[] = [];
}

// ── Athena ──────────────────────────────────────────────────────────────────────────────────────

export interface AthenaPlan {
  /** GetQueryExecution answers QUEUED this many times, then RUNNING this many times, then the outcome. */
  queuedPolls?: number;
  runningPolls?: number;
  outcome?: 'SUCCEEDED' | 'FAILED';
  failureReason?: string;
  /** The table's records: answered as rows of whatever columns the SELECT names. */
  records?: Json[];
  /** Rows per GetQueryResults page (Athena may answer fewer than MaxResults). */
  pageSize?: number;
}

export interface AthenaQuery {
  id: string;
  sql: string;
  database?: string;
  workgroup?: string;
  outputLocation?: string;
  polls: number;
  stopped: boolean;
  plan: AthenaPlan;
}

/** What an Athena CloudTrail table's column (by the alias Sightline selects it as) holds for a record. */
const TABLE_COLUMNS: Record<string, (r: Json) => unknown> = {
  eventversion: (r) => r.eventVersion,
  eventid: (r) => r.eventID,
  eventtime: (r) => r.eventTime,
  eventsource: (r) => r.eventSource,
  eventname: (r) => r.eventName,
  awsregion: (r) => r.awsRegion,
  sourceipaddress: (r) => r.sourceIPAddress,
  useragent: (r) => r.userAgent,
  errorcode: (r) => r.errorCode,
  errormessage: (r) => r.errorMessage,
  readonly: (r) => (r.readOnly === undefined ? undefined : String(r.readOnly)),
  eventtype: (r) => r.eventType,
  eventcategory: (r) => r.eventCategory,
  recipientaccountid: (r) => r.recipientAccountId,
  sharedeventid: (r) => r.sharedEventID,
  vpcendpointid: (r) => r.vpcEndpointId,
  requestid: (r) => r.requestID,
  apiversion: (r) => r.apiVersion,
  useridentity_type: (r) => (r.userIdentity as Json | undefined)?.type,
  useridentity_principalid: (r) => (r.userIdentity as Json | undefined)?.principalId,
  useridentity_arn: (r) => (r.userIdentity as Json | undefined)?.arn,
  useridentity_accountid: (r) => (r.userIdentity as Json | undefined)?.accountId,
  useridentity_accesskeyid: (r) => (r.userIdentity as Json | undefined)?.accessKeyId,
  useridentity_username: (r) => (r.userIdentity as Json | undefined)?.userName,
  useridentity_invokedby: (r) => (r.userIdentity as Json | undefined)?.invokedBy,
  session_mfaauthenticated: (r) => session(r)?.attributes?.mfaAuthenticated,
  session_creationdate: (r) => session(r)?.attributes?.creationDate,
  issuer_type: (r) => session(r)?.sessionIssuer?.type,
  issuer_principalid: (r) => session(r)?.sessionIssuer?.principalId,
  issuer_arn: (r) => session(r)?.sessionIssuer?.arn,
  issuer_accountid: (r) => session(r)?.sessionIssuer?.accountId,
  issuer_username: (r) => session(r)?.sessionIssuer?.userName,
  // The CloudTrail SerDe hands nested JSON objects to STRING columns as their JSON text.
  requestparameters: (r) => (r.requestParameters == null ? undefined : JSON.stringify(r.requestParameters)),
  responseelements: (r) => (r.responseElements == null ? undefined : JSON.stringify(r.responseElements)),
  additionaleventdata: (r) => (r.additionalEventData == null ? undefined : JSON.stringify(r.additionalEventData)),
  resources_json: (r) => (Array.isArray(r.resources)
    ? JSON.stringify((r.resources as Json[]).map((x) => ({ ARN: x.ARN ?? null, accountId: x.accountId ?? null, type: x.type ?? null })))
    : undefined),
  tls_version: (r) => (r.tlsDetails as Json | undefined)?.tlsVersion,
  tls_ciphersuite: (r) => (r.tlsDetails as Json | undefined)?.cipherSuite,
  tls_host: (r) => (r.tlsDetails as Json | undefined)?.clientProvidedHostHeader,
};

function session(r: Json): { attributes?: Json; sessionIssuer?: Json } | undefined {
  return ((r.userIdentity as Json | undefined)?.sessionContext as { attributes?: Json; sessionIssuer?: Json } | undefined);
}

/** The output names of a SELECT list: `expr AS alias` or a bare column, split at top-level commas. */
export function selectAliases(sql: string): string[] {
  const match = /^\s*SELECT\s+([\s\S]*?)\s+FROM\s/i.exec(sql);
  if (!match) return [];
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const c of match[1]) {
    if (c === "'") quoted = !quoted;
    if (!quoted) {
      if (c === '(' || c === '[') depth++;
      if (c === ')' || c === ']') depth--;
      if (c === ',' && depth === 0) {
        items.push(current.trim());
        current = '';
        continue;
      }
    }
    current += c;
  }
  if (current.trim()) items.push(current.trim());
  return items.map((item) => /\bAS\s+(\w+)$/i.exec(item)?.[1] ?? item);
}

export class AthenaBehaviour {
  /** Used for each query started from now on. */
  plan: AthenaPlan = {};
  readonly queries = new Map<string, AthenaQuery>();
  private readonly byToken = new Map<string, string>();
  private count = 0;

  start(body: Json): AthenaQuery {
    const token = typeof body.ClientRequestToken === 'string' ? body.ClientRequestToken : undefined;
    const existing = token ? this.byToken.get(token) : undefined;
    if (existing) return this.queries.get(existing)!;
    const id = `00000000-0000-4000-8000-${String(++this.count).padStart(12, '0')}`;
    const context = (body.QueryExecutionContext ?? {}) as Json;
    const result = (body.ResultConfiguration ?? {}) as Json;
    const query: AthenaQuery = {
      id, sql: String(body.QueryString), database: context.Database as string | undefined,
      workgroup: body.WorkGroup as string | undefined, outputLocation: result.OutputLocation as string | undefined,
      polls: 0, stopped: false, plan: { ...this.plan },
    };
    this.queries.set(id, query);
    if (token) this.byToken.set(token, id);
    return query;
  }

  state(query: AthenaQuery): string {
    if (query.stopped) return 'CANCELLED';
    const queued = query.plan.queuedPolls ?? 1;
    const running = query.plan.runningPolls ?? 1;
    if (query.polls <= queued) return 'QUEUED';
    if (query.polls <= queued + running) return 'RUNNING';
    return query.plan.outcome ?? 'SUCCEEDED';
  }
}

// ── The server ──────────────────────────────────────────────────────────────────────────────────

export class AwsLoopback {
  readonly requests: RecordedRequest[] = [];
  /** Protocol rules a client broke (bad signature, changed parameters between pages, over the rate). */
  readonly violations: string[] = [];
  readonly cloudTrail = new CloudTrailBehaviour();
  readonly athena = new AthenaBehaviour();
  readonly region: string;
  private readonly secrets: Map<string, string>;

  private constructor(private readonly server: Server, region: string) {
    this.region = region;
    this.secrets = new Map([[TEST_CREDENTIALS.accessKeyId, TEST_CREDENTIALS.secretAccessKey]]);
  }

  static async start(options: { region?: string } = {}): Promise<AwsLoopback> {
    let loopback: AwsLoopback | undefined;
    const server = createServer((req, res) => void loopback!.handle(req, res));
    loopback = new AwsLoopback(server, options.region ?? 'us-east-1');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return loopback;
  }

  get endpoint(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Requests to one operation, e.g. 'LookupEvents'. */
  calls(operation: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const target = headerValue(req.headers, 'x-amz-target') ?? '';
    const cloudTrailPrefix = CLOUDTRAIL_TARGETS.find((prefix) => target.startsWith(prefix));
    const service = cloudTrailPrefix ? 'cloudtrail' : target.startsWith(ATHENA_TARGET) ? 'athena' : undefined;
    const operation = cloudTrailPrefix ? target.slice(cloudTrailPrefix.length) : service === 'athena' ? target.slice(ATHENA_TARGET.length) : target;
    const credential = /Credential=([^,]+)/.exec(headerValue(req.headers, 'authorization') ?? '')?.[1] ?? '';
    const record: RecordedRequest = { service: service ?? 'cloudtrail', operation, body: {}, at, credential, status: 200 };
    this.requests.push(record);

    const reply = (status: number, body: Json) => {
      record.status = status;
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': `req-${this.requests.length}`,
        ...(status >= 400 && typeof body.__type === 'string' ? { 'x-amzn-errortype': body.__type } : {}),
      });
      res.end(text);
    };
    const fail = (status: number, type: string, message: string) => reply(status, { __type: type, message });

    if (req.method !== 'POST' || !service) return fail(400, 'UnknownOperationException', `unexpected ${req.method} with X-Amz-Target ${target}`);
    const contentType = headerValue(req.headers, 'content-type') ?? '';
    if (contentType !== 'application/x-amz-json-1.1') {
      this.violations.push(`${operation}: content-type ${contentType}`);
      return fail(400, 'SerializationException', `content-type must be application/x-amz-json-1.1, not ${contentType}`);
    }
    const signatureProblem = verifySigV4({ method: req.method, url: req.url ?? '/', headers: req.headers }, raw, { region: this.region, service, secrets: this.secrets });
    if (signatureProblem) {
      this.violations.push(`${operation}: ${signatureProblem}`);
      return fail(403, 'InvalidSignatureException', signatureProblem);
    }
    let body: Json;
    try {
      body = raw.length ? (JSON.parse(raw.toString('utf8')) as Json) : {};
    } catch {
      return fail(400, 'SerializationException', 'the body is not JSON');
    }
    record.body = body;
    if (service === 'cloudtrail') {
      if (operation !== 'LookupEvents') return fail(400, 'UnknownOperationException', operation);
      return this.lookupEvents(body, at, reply, fail);
    }
    return this.athenaOperation(operation, body, reply, fail);
  }

  private lookupEvents(body: Json, at: number, reply: (status: number, body: Json) => void, fail: (status: number, type: string, message: string) => void): void {
    const ct = this.cloudTrail;
    ct.arrivals.push(at);
    if (ct.throttleNext > 0) {
      ct.throttleNext--;
      return fail(400, 'ThrottlingException', 'Rate exceeded');
    }
    if (ct.quotaPerSecond > 0) {
      // Arrival times jitter by a few milliseconds against the client's send times; 25 ms of slack.
      const recent = ct.arrivals.filter((t) => t > at - 1000 + 25 && t <= at);
      if (recent.length > ct.quotaPerSecond) {
        this.violations.push(`LookupEvents: ${recent.length} requests within one second`);
        return fail(400, 'ThrottlingException', 'Rate exceeded');
      }
    }
    const attributes = Array.isArray(body.LookupAttributes) ? (body.LookupAttributes as Json[]) : [];
    if (attributes.length > 1) return fail(400, 'InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
    const maxResults = body.MaxResults === undefined ? 50 : Number(body.MaxResults);
    if (!(maxResults >= 1 && maxResults <= 50)) return fail(400, 'InvalidMaxResultsException', 'MaxResults must be 1–50');
    const start = typeof body.StartTime === 'number' ? body.StartTime * 1000 : -Infinity;
    const end = typeof body.EndTime === 'number' ? body.EndTime * 1000 : Infinity;
    if (start > end) return fail(400, 'InvalidTimeRangeException', 'StartTime is after EndTime');
    const { NextToken: token, ...rest } = body;
    const parameters = JSON.stringify(Object.keys(rest).sort().map((k) => [k, rest[k]]));
    let offset = 0;
    if (token !== undefined) {
      const known = ct.tokens.get(String(token));
      if (!known) return fail(400, 'InvalidNextTokenException', 'unknown NextToken');
      if (known.parameters !== parameters) {
        this.violations.push(`LookupEvents: parameters changed with NextToken: ${known.parameters} → ${parameters}`);
        return fail(400, 'InvalidNextTokenException', 'A token was used with different parameters');
      }
      offset = known.offset;
    }
    const insight = body.EventCategory === 'insight';
    const matching = ct.records
      .filter((r) => (r.eventType === 'AwsCloudTrailInsight') === insight && r.managementEvent !== false)
      .filter((r) => {
        const t = Date.parse(String(r.eventTime));
        return t >= start && t <= end;
      })
      .filter((r) => attributes.every((a) => matchesAttribute(r, String(a.AttributeKey), String(a.AttributeValue))))
      .sort((a, b) => Date.parse(String(b.eventTime)) - Date.parse(String(a.eventTime)));
    const size = ct.pageSize > 0 ? Math.min(ct.pageSize, maxResults) : maxResults;
    const page = matching.slice(offset, offset + size);
    const answer: Json = { Events: page.map((r) => (ct.mangle ? ct.mangle(eventSummary(r)) : eventSummary(r))) };
    if (offset + size < matching.length) {
      const next = `token-${ct.tokens.size + 1}-${Math.random().toString(36).slice(2)}`;
      ct.tokens.set(next, { parameters, offset: offset + size });
      answer.NextToken = next;
    }
    reply(200, answer);
  }

  private athenaOperation(operation: string, body: Json, reply: (status: number, body: Json) => void, fail: (status: number, type: string, message: string) => void): void {
    const athena = this.athena;
    const find = () => athena.queries.get(String(body.QueryExecutionId));
    switch (operation) {
      case 'StartQueryExecution': {
        if (typeof body.QueryString !== 'string' || !body.QueryString) return fail(400, 'InvalidRequestException', 'QueryString is required');
        const context = (body.QueryExecutionContext ?? {}) as Json;
        if (!context.Database) return fail(400, 'InvalidRequestException', 'no database');
        const output = (body.ResultConfiguration as Json | undefined)?.OutputLocation;
        if (!output && !body.WorkGroup) return fail(400, 'InvalidRequestException', 'No output location provided');
        return reply(200, { QueryExecutionId: athena.start(body).id });
      }
      case 'GetQueryExecution': {
        const query = find();
        if (!query) return fail(400, 'InvalidRequestException', 'QueryExecution not found');
        query.polls++;
        const state = athena.state(query);
        const status: Json = { State: state, SubmissionDateTime: Date.now() / 1000 };
        if (state === 'FAILED') {
          status.StateChangeReason = query.plan.failureReason ?? 'FAILED';
          status.AthenaError = { ErrorCategory: 2, ErrorType: 1301, Retryable: false, ErrorMessage: query.plan.failureReason ?? 'FAILED' };
        }
        if (state === 'CANCELLED') status.StateChangeReason = 'Query cancelled by user';
        return reply(200, {
          QueryExecution: {
            QueryExecutionId: query.id, Query: query.sql, StatementType: 'DML', Status: status,
            QueryExecutionContext: { Database: query.database },
            ResultConfiguration: query.outputLocation ? { OutputLocation: `${query.outputLocation}${query.id}.csv` } : undefined,
            Statistics: { DataScannedInBytes: 123_456, EngineExecutionTimeInMillis: 1_234 },
            WorkGroup: query.workgroup ?? 'primary',
          },
        });
      }
      case 'GetQueryResults': {
        const query = find();
        if (!query) return fail(400, 'InvalidRequestException', 'QueryExecution not found');
        const state = athena.state(query);
        if (state !== 'SUCCEEDED') return fail(400, 'InvalidRequestException', `Query has not yet finished. Current state: ${state}`);
        const columns = selectAliases(query.sql);
        for (const column of columns) if (!(column in TABLE_COLUMNS)) this.violations.push(`Athena: unknown column ${column}`);
        const header = { Data: columns.map((c) => ({ VarCharValue: c })) };
        const rows = (query.plan.records ?? []).map((r) => ({
          Data: columns.map((c) => {
            const value = TABLE_COLUMNS[c]?.(r);
            return value === undefined || value === null ? {} : { VarCharValue: String(value) };
          }),
        }));
        const all = [header, ...rows];
        const maxResults = body.MaxResults === undefined ? 1000 : Number(body.MaxResults);
        if (!(maxResults >= 1 && maxResults <= 1000)) return fail(400, 'InvalidRequestException', 'MaxResults must be 1–1000');
        const size = Math.min(maxResults, query.plan.pageSize ?? maxResults);
        const offset = body.NextToken === undefined ? 0 : Number(String(body.NextToken).replace(/^page-/, ''));
        const page = all.slice(offset, offset + size);
        return reply(200, {
          ResultSet: {
            Rows: page,
            ResultSetMetadata: { ColumnInfo: columns.map((c) => ({ CatalogName: 'hive', Name: c, Label: c, Type: 'varchar', Nullable: 'UNKNOWN', CaseSensitive: true })) },
          },
          UpdateCount: 0,
          ...(offset + size < all.length ? { NextToken: `page-${offset + size}` } : {}),
        });
      }
      case 'StopQueryExecution': {
        const query = find();
        if (!query) return fail(400, 'InvalidRequestException', 'QueryExecution not found');
        query.stopped = true;
        return reply(200, {});
      }
      default:
        return fail(400, 'UnknownOperationException', operation);
    }
  }
}
