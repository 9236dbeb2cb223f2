// The long-term path: SQL over the trail's S3 archive with Amazon Athena (@aws-sdk/client-athena),
// against the table AWS documents for CloudTrail logs with partition projection by date
// (cloudTrailTableDdl below). A query is StartQueryExecution → GetQueryExecution until it ends
// (polled with a growing delay; StopQueryExecution when the caller's AbortSignal fires) →
// GetQueryResults page by page. Sightline writes the SQL itself, selecting fields one by one
// (Athena renders a struct column as `{type=IAMUser, arn=…}` text, which cannot be read back
// reliably), with every literal escaped, and rebuilds a CloudTrail record from each row.

import {
  AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand,
  type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-athena';
import { clientConfig, describeAwsError, type AwsConnection } from './awsConnection';
import { convertRecord, type AuditEvent, type CloudTrailRecord } from './model';
import { systemClock, type Clock } from './rateLimiter';

// ── The table ───────────────────────────────────────────────────────────────────────────────────

export interface CloudTrailTableOptions {
  /** Default cloudtrail_logs_pp. */
  table?: string;
  /** The trail's S3 bucket. */
  bucket: string;
  /** The trail's key prefix before AWSLogs/, if it has one. */
  prefix?: string;
  accountId: string;
  region: string;
  /** For an organisation trail: AWSLogs/o-…/<account>/… */
  organizationId?: string;
  /** First day the projection covers, YYYY/MM/DD (default 2020/01/01). */
  startDay?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

function checked(value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value)) throw new RangeError(`${what} ${JSON.stringify(value)} is not valid`);
  return value;
}

/**
 * The CREATE TABLE statement AWS documents for CloudTrail logs in Athena with partition projection
 * ("Create the table for CloudTrail logs in Athena using partition projection"): one table per
 * account and Region, partitioned by the `timestamp` of the S3 path (YYYY/MM/DD), projected from
 * startDay to NOW so no partitions ever need adding.
 */
export function cloudTrailTableDdl(options: CloudTrailTableOptions): string {
  const table = checked(options.table ?? 'cloudtrail_logs_pp', IDENTIFIER, 'Table name');
  const bucket = checked(options.bucket, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'Bucket name');
  const prefix = options.prefix ? `${checked(options.prefix.replace(/^\/+|\/+$/g, ''), /^[A-Za-z0-9!_.*()\-/]+$/, 'Prefix')}/` : '';
  const account = checked(options.accountId, /^\d{12}$/, 'Account ID');
  const region = checked(options.region, /^[a-z]{2}(-[a-z]+)+-\d+$/, 'Region');
  const org = options.organizationId ? `${checked(options.organizationId, /^o-[a-z0-9]{10,32}$/, 'Organization ID')}/` : '';
  const startDay = checked(options.startDay ?? '2020/01/01', /^\d{4}\/\d{2}\/\d{2}$/, 'Start day');
  const location = `s3://${bucket}/${prefix}AWSLogs/${org}${account}/CloudTrail/${region}/`;
  return `CREATE EXTERNAL TABLE ${table}(
    eventversion STRING,
    useridentity STRUCT<
        type: STRING,
        principalid: STRING,
        arn: STRING,
        accountid: STRING,
        invokedby: STRING,
        accesskeyid: STRING,
        username: STRING,
        onbehalfof: STRUCT<
             userid: STRING,
             identitystorearn: STRING>,
        sessioncontext: STRUCT<
            attributes: STRUCT<
                mfaauthenticated: STRING,
                creationdate: STRING>,
            sessionissuer: STRUCT<
                type: STRING,
                principalid: STRING,
                arn: STRING,
                accountid: STRING,
                username: STRING>,
            ec2roledelivery: STRING,
            webidfederationdata: STRUCT<
                federatedprovider: STRING,
                attributes: map<string,string>>
        >
    >,
    eventtime STRING,
    eventsource STRING,
    eventname STRING,
    awsregion STRING,
    sourceipaddress STRING,
    useragent STRING,
    errorcode STRING,
    errormessage STRING,
    requestparameters STRING,
    responseelements STRING,
    additionaleventdata STRING,
    requestid STRING,
    eventid STRING,
    readonly STRING,
    resources ARRAY<STRUCT<
        arn: STRING,
        accountid: STRING,
        type: STRING>>,
    eventtype STRING,
    apiversion STRING,
    recipientaccountid STRING,
    serviceeventdetails STRING,
    sharedeventid STRING,
    vpcendpointid STRING,
    vpcendpointaccountid STRING,
    eventcategory STRING,
    addendum STRUCT<
      reason: STRING,
      updatedfields: STRING,
      originalrequestid: STRING,
      originaleventid: STRING>,
    sessioncredentialfromconsole STRING,
    edgedevicedetails STRING,
    tlsdetails STRUCT<
      tlsversion: STRING,
      ciphersuite: STRING,
      clientprovidedhostheader: STRING>
  )
PARTITIONED BY (
   \`timestamp\` string)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION
  '${location}'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.timestamp.format'='yyyy/MM/dd',
  'projection.timestamp.interval'='1',
  'projection.timestamp.interval.unit'='DAYS',
  'projection.timestamp.range'='${startDay},NOW',
  'projection.timestamp.type'='date',
  'storage.location.template'='${location}\${timestamp}')`;
}

// ── The query ───────────────────────────────────────────────────────────────────────────────────

/**
 * The columns selected, as [alias, expression]. Struct fields are selected one by one; resources
 * (an array of structs) is turned into JSON text with the record's own field names.
 */
export const ATHENA_COLUMNS: readonly (readonly [alias: string, expression: string])[] = [
  ['eventversion', 'eventversion'],
  ['eventid', 'eventid'],
  ['eventtime', 'eventtime'],
  ['eventsource', 'eventsource'],
  ['eventname', 'eventname'],
  ['awsregion', 'awsregion'],
  ['sourceipaddress', 'sourceipaddress'],
  ['useragent', 'useragent'],
  ['errorcode', 'errorcode'],
  ['errormessage', 'errormessage'],
  ['readonly', 'readonly'],
  ['eventtype', 'eventtype'],
  ['eventcategory', 'eventcategory'],
  ['recipientaccountid', 'recipientaccountid'],
  ['sharedeventid', 'sharedeventid'],
  ['vpcendpointid', 'vpcendpointid'],
  ['requestid', 'requestid'],
  ['apiversion', 'apiversion'],
  ['useridentity_type', 'useridentity.type'],
  ['useridentity_principalid', 'useridentity.principalid'],
  ['useridentity_arn', 'useridentity.arn'],
  ['useridentity_accountid', 'useridentity.accountid'],
  ['useridentity_accesskeyid', 'useridentity.accesskeyid'],
  ['useridentity_username', 'useridentity.username'],
  ['useridentity_invokedby', 'useridentity.invokedby'],
  ['session_mfaauthenticated', 'useridentity.sessioncontext.attributes.mfaauthenticated'],
  ['session_creationdate', 'useridentity.sessioncontext.attributes.creationdate'],
  ['issuer_type', 'useridentity.sessioncontext.sessionissuer.type'],
  ['issuer_principalid', 'useridentity.sessioncontext.sessionissuer.principalid'],
  ['issuer_arn', 'useridentity.sessioncontext.sessionissuer.arn'],
  ['issuer_accountid', 'useridentity.sessioncontext.sessionissuer.accountid'],
  ['issuer_username', 'useridentity.sessioncontext.sessionissuer.username'],
  ['requestparameters', 'requestparameters'],
  ['responseelements', 'responseelements'],
  ['additionaleventdata', 'additionaleventdata'],
  ['resources_json', "json_format(CAST(transform(resources, r -> MAP(ARRAY['ARN', 'accountId', 'type'], ARRAY[r.arn, r.accountid, r.type])) AS JSON))"],
  ['tls_version', 'tlsdetails.tlsversion'],
  ['tls_ciphersuite', 'tlsdetails.ciphersuite'],
  ['tls_host', 'tlsdetails.clientprovidedhostheader'],
];

export interface AthenaFilters {
  eventName?: string;
  eventSource?: string;
  /** IAM user name, role name, role session name, or the identity ARN. */
  user?: string;
  /** A resource ARN, or a name found in resources[] ARNs or in the request parameters. */
  resource?: string;
  accessKeyId?: string;
  eventId?: string;
  readOnly?: boolean;
  errorsOnly?: boolean;
  region?: string;
  sourceIp?: string;
}

export interface CloudTrailQuery {
  database: string;
  table: string;
  filters?: AthenaFilters;
  /** Default: 7 days before `until`. */
  since?: Date | number;
  /** Default: now. */
  until?: Date | number;
  /** Rows at most, newest first (default 1000). */
  limit?: number;
}

/** A SQL string literal: quotes doubled (backslashes mean nothing in Athena's SQL strings). */
export function sqlString(value: string): string {
  if (value.includes('\u0000')) throw new RangeError('a NUL character cannot be part of an Athena query');
  return `'${value.replace(/'/g, "''")}'`;
}

/** A LIKE pattern matching `value` anywhere, with its own % _ and \ escaped (use with ESCAPE '\'). */
function containsPattern(value: string): string {
  return sqlString(`%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}

function endsWithPattern(value: string): string {
  return sqlString(`%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}`);
}

function identifier(name: string, what: string): string {
  return `"${checked(name, IDENTIFIER, what)}"`;
}

function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function pathDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
}

const DAY = 86_400_000;

/** The SELECT for `query`, newest first. Throws RangeError for a bad identifier, time range or limit. */
export function buildCloudTrailQuery(query: CloudTrailQuery, now = Date.now()): string {
  const until = query.until === undefined ? now : +query.until;
  const since = query.since === undefined ? until - 7 * DAY : +query.since;
  if (!Number.isFinite(since) || !Number.isFinite(until) || since > until) throw new RangeError('the time range is empty or not a time');
  const limit = query.limit ?? 1000;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1_000_000) throw new RangeError(`limit must be 1–1000000, not ${limit}`);
  const f = query.filters ?? {};
  // A log file's S3 path carries the day it was delivered, on or a little after its events' times:
  // the events from `since` on are in folders from since's day on, those up to `until` in folders up
  // to the day after until's.
  const where = [
    `"timestamp" BETWEEN ${sqlString(pathDay(since))} AND ${sqlString(pathDay(until + DAY))}`,
    `eventtime >= ${sqlString(isoSeconds(since))}`,
    `eventtime <= ${sqlString(isoSeconds(until))}`,
  ];
  if (f.eventName) where.push(`eventname = ${sqlString(f.eventName)}`);
  if (f.eventSource) where.push(`eventsource = ${sqlString(f.eventSource)}`);
  if (f.eventId) where.push(`eventid = ${sqlString(f.eventId)}`);
  if (f.accessKeyId) where.push(`useridentity.accesskeyid = ${sqlString(f.accessKeyId)}`);
  if (f.region) where.push(`awsregion = ${sqlString(f.region)}`);
  if (f.sourceIp) where.push(`sourceipaddress = ${sqlString(f.sourceIp)}`);
  if (f.readOnly !== undefined) where.push(`readonly = ${sqlString(String(f.readOnly))}`);
  if (f.errorsOnly) where.push(`(errorcode IS NOT NULL OR errormessage IS NOT NULL)`);
  if (f.user) {
    const u = sqlString(f.user);
    where.push(`(useridentity.username = ${u} OR useridentity.sessioncontext.sessionissuer.username = ${u} OR useridentity.arn = ${u}`
      + ` OR useridentity.arn LIKE ${endsWithPattern(`/${f.user}`)} ESCAPE '\\')`);
  }
  if (f.resource) {
    const r = f.resource;
    where.push(`(cardinality(filter(resources, x -> x.arn = ${sqlString(r)} OR x.arn LIKE ${containsPattern(r)} ESCAPE '\\')) > 0`
      + ` OR requestparameters LIKE ${containsPattern(r)} ESCAPE '\\')`);
  }
  const columns = ATHENA_COLUMNS.map(([alias, expression]) => (alias === expression ? alias : `${expression} AS ${alias}`)).join(',\n  ');
  return `SELECT\n  ${columns}\nFROM ${identifier(query.database, 'Database name')}.${identifier(query.table, 'Table name')}\nWHERE ${where.join('\n  AND ')}\nORDER BY eventtime DESC\nLIMIT ${limit}`;
}

// ── Running it ──────────────────────────────────────────────────────────────────────────────────

export interface AthenaRun {
  database: string;
  workgroup?: string;
  /** s3://bucket/prefix/ for the results, unless the workgroup sets one. */
  outputLocation?: string;
  signal?: AbortSignal;
  /** Delay between GetQueryExecution calls: from initialMs (default 500), ×1.5 each time, up to maxMs (default 5000). */
  poll?: { initialMs?: number; maxMs?: number };
  /** Each state the query reports (QUEUED, RUNNING, …). */
  onState?(state: string): void;
  /** Rows read at most (GetQueryResults pages stop there). */
  maxRows?: number;
  clock?: Clock;
}

export interface AthenaRows {
  queryExecutionId: string;
  columns: string[];
  rows: (string | null)[][];
  dataScannedBytes?: number;
  engineMs?: number;
}

function abortError(): Error {
  const error = new Error('The Athena query was cancelled');
  error.name = 'AbortError';
  return error;
}

/** Runs one statement and reads its result rows (without the header row). */
export async function runAthenaQuery(client: AthenaClient, sql: string, run: AthenaRun): Promise<AthenaRows> {
  const clock = run.clock ?? systemClock;
  const { signal } = run;
  signal?.throwIfAborted();
  const started = await client.send(new StartQueryExecutionCommand({
    QueryString: sql,
    QueryExecutionContext: { Database: run.database },
    ...(run.workgroup ? { WorkGroup: run.workgroup } : {}),
    ...(run.outputLocation ? { ResultConfiguration: { OutputLocation: run.outputLocation } } : {}),
  }), { abortSignal: signal });
  const id = started.QueryExecutionId;
  if (!id) throw new Error('Athena answered StartQueryExecution without a QueryExecutionId');

  const stop = async () => {
    try {
      await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    } catch {
      // Best effort: the query may have ended meanwhile; the caller is told it was cancelled either way.
    }
  };

  let delay = run.poll?.initialMs ?? 500;
  const maxDelay = run.poll?.maxMs ?? 5000;
  let statistics: { DataScannedInBytes?: number; EngineExecutionTimeInMillis?: number } | undefined;
  let lastState = '';
  try {
    for (;;) {
      const { QueryExecution: execution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }), { abortSignal: signal });
      const state = execution?.Status?.State ?? 'UNKNOWN';
      if (state !== lastState) {
        lastState = state;
        run.onState?.(state);
      }
      if (state === 'SUCCEEDED') {
        statistics = execution?.Statistics;
        break;
      }
      if (state === 'FAILED' || state === 'CANCELLED') {
        const reason = execution?.Status?.AthenaError?.ErrorMessage ?? execution?.Status?.StateChangeReason ?? 'no reason given';
        throw new Error(`Athena query ${id} ${state === 'FAILED' ? 'failed' : 'was cancelled'}: ${reason}`);
      }
      await clock.sleep(delay, signal);
      delay = Math.min(maxDelay, delay * 1.5);
    }
  } catch (error) {
    if (signal?.aborted) {
      await stop();
      throw abortError();
    }
    throw error;
  }

  const columns: string[] = [];
  const rows: (string | null)[][] = [];
  const maxRows = run.maxRows ?? Infinity;
  let token: string | undefined;
  let first = true;
  do {
    signal?.throwIfAborted();
    const page: GetQueryResultsCommandOutput = await client.send(new GetQueryResultsCommand({
      QueryExecutionId: id, MaxResults: 1000, ...(token ? { NextToken: token } : {}),
    }), { abortSignal: signal });
    const set = page.ResultSet;
    let pageRows = set?.Rows ?? [];
    if (first) {
      first = false;
      columns.push(...(set?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? c.Label ?? ''));
      // The first row of a SELECT's first page repeats the column names.
      const header = pageRows[0]?.Data?.map((d) => d.VarCharValue ?? null);
      if (header && columns.length && header.length === columns.length && header.every((h, i) => h === columns[i])) pageRows = pageRows.slice(1);
      if (!columns.length && header) {
        columns.push(...header.map((h) => h ?? ''));
        pageRows = pageRows.slice(1);
      }
    }
    for (const row of pageRows) {
      if (rows.length >= maxRows) break;
      rows.push((row.Data ?? []).map((d) => d.VarCharValue ?? null));
    }
    token = page.NextToken || undefined;
  } while (token && rows.length < maxRows);
  return {
    queryExecutionId: id, columns, rows,
    dataScannedBytes: statistics?.DataScannedInBytes, engineMs: statistics?.EngineExecutionTimeInMillis,
  };
}

// ── Rows → events ───────────────────────────────────────────────────────────────────────────────

function parseJsonColumn(value: string | null | undefined): unknown {
  if (value === null || value === undefined) return null;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function pick(target: Record<string, unknown>, key: string, value: string | null | undefined): void {
  if (value !== null && value !== undefined) target[key] = value;
}

/** A CloudTrail record rebuilt from one row of ATHENA_COLUMNS (keyed by alias). */
export function recordFromAthenaRow(row: Readonly<Record<string, string | null>>): CloudTrailRecord {
  const record: Record<string, unknown> = {};
  pick(record, 'eventVersion', row.eventversion);
  const identity: Record<string, unknown> = {};
  pick(identity, 'type', row.useridentity_type);
  pick(identity, 'principalId', row.useridentity_principalid);
  pick(identity, 'arn', row.useridentity_arn);
  pick(identity, 'accountId', row.useridentity_accountid);
  pick(identity, 'accessKeyId', row.useridentity_accesskeyid);
  pick(identity, 'userName', row.useridentity_username);
  pick(identity, 'invokedBy', row.useridentity_invokedby);
  const attributes: Record<string, unknown> = {};
  pick(attributes, 'creationDate', row.session_creationdate);
  pick(attributes, 'mfaAuthenticated', row.session_mfaauthenticated);
  const issuer: Record<string, unknown> = {};
  pick(issuer, 'type', row.issuer_type);
  pick(issuer, 'principalId', row.issuer_principalid);
  pick(issuer, 'arn', row.issuer_arn);
  pick(issuer, 'accountId', row.issuer_accountid);
  pick(issuer, 'userName', row.issuer_username);
  if (Object.keys(attributes).length || Object.keys(issuer).length) {
    const session: Record<string, unknown> = {};
    if (Object.keys(issuer).length) session.sessionIssuer = issuer;
    if (Object.keys(attributes).length) session.attributes = attributes;
    identity.sessionContext = session;
  }
  if (Object.keys(identity).length) record.userIdentity = identity;
  pick(record, 'eventTime', row.eventtime);
  pick(record, 'eventSource', row.eventsource);
  pick(record, 'eventName', row.eventname);
  pick(record, 'awsRegion', row.awsregion);
  pick(record, 'sourceIPAddress', row.sourceipaddress);
  pick(record, 'userAgent', row.useragent);
  pick(record, 'errorCode', row.errorcode);
  pick(record, 'errorMessage', row.errormessage);
  record.requestParameters = parseJsonColumn(row.requestparameters);
  record.responseElements = parseJsonColumn(row.responseelements);
  if (row.additionaleventdata != null) record.additionalEventData = parseJsonColumn(row.additionaleventdata);
  pick(record, 'requestID', row.requestid);
  pick(record, 'eventID', row.eventid);
  if (row.readonly === 'true' || row.readonly === 'false') record.readOnly = row.readonly === 'true';
  const resources = parseJsonColumn(row.resources_json);
  if (Array.isArray(resources)) {
    record.resources = resources.map((r: Record<string, unknown>) => Object.fromEntries(Object.entries(r ?? {}).filter(([, v]) => v !== null)));
  }
  pick(record, 'eventType', row.eventtype);
  pick(record, 'apiVersion', row.apiversion);
  pick(record, 'recipientAccountId', row.recipientaccountid);
  pick(record, 'sharedEventID', row.sharedeventid);
  pick(record, 'vpcEndpointId', row.vpcendpointid);
  pick(record, 'eventCategory', row.eventcategory);
  const tls: Record<string, unknown> = {};
  pick(tls, 'tlsVersion', row.tls_version);
  pick(tls, 'cipherSuite', row.tls_ciphersuite);
  pick(tls, 'clientProvidedHostHeader', row.tls_host);
  if (Object.keys(tls).length) record.tlsDetails = tls;
  return record as CloudTrailRecord;
}

/** Result rows → events; a row that is not a readable record gives a problem naming its number. */
export function athenaRowsToEvents(columns: readonly string[], rows: readonly (readonly (string | null)[])[], label = 'Athena'): { events: AuditEvent[]; problems: string[] } {
  const events: AuditEvent[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  rows.forEach((values, index) => {
    const row: Record<string, string | null> = {};
    columns.forEach((name, i) => {
      row[name] = values[i] ?? null;
    });
    const converted = convertRecord(recordFromAthenaRow(row));
    if (converted.problem !== undefined) {
      problems.push(`${label} row ${index + 1}: ${converted.problem}`);
      return;
    }
    if (seen.has(converted.event.id)) return;
    seen.add(converted.event.id);
    events.push(converted.event);
  });
  return { events, problems };
}

export interface AthenaQueryOptions extends AwsConnection, CloudTrailQuery, Omit<AthenaRun, 'database' | 'maxRows'> {
  client?: AthenaClient;
}

export interface AthenaQueryResult {
  events: AuditEvent[];
  problems: string[];
  sql: string;
  queryExecutionId: string;
  dataScannedBytes?: number;
  engineMs?: number;
}

export function createAthenaClient(connection: AwsConnection): AthenaClient {
  return new AthenaClient(clientConfig(connection));
}

/** Queries the CloudTrail table for events matching `filters` between since and until, newest first. */
export async function queryAthena(options: AthenaQueryOptions): Promise<AthenaQueryResult> {
  const sql = buildCloudTrailQuery(options);
  const client = options.client ?? createAthenaClient(options);
  try {
    const result = await runAthenaQuery(client, sql, { ...options, maxRows: options.limit ?? 1000 });
    const { events, problems } = athenaRowsToEvents(result.columns, result.rows, `Athena query ${result.queryExecutionId}`);
    return { events, problems, sql, queryExecutionId: result.queryExecutionId, dataScannedBytes: result.dataScannedBytes, engineMs: result.engineMs };
  } catch (error) {
    // SDK errors carry $metadata; say which AWS error it was, without any request detail.
    if (error instanceof Error && '$metadata' in error) throw new Error(describeAwsError(error), { cause: error });
    throw error;
  } finally {
    if (!options.client) client.destroy();
  }
}
