// Athena through the real @aws-sdk/client-athena against the loopback Athena, which answers the
// SELECT's columns from CloudTrail records as the documented table would.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { ATHENA_COLUMNS, buildCloudTrailQuery, cloudTrailTableDdl, createAthenaClient, queryAthena, sqlString, type AthenaQueryOptions } from '../../../server/audit/athena';
import { toAuditEvent, type AuditEvent } from '../../../server/audit/model';
import { auditFixturesDir } from '../../support/paths';
import { AwsLoopback, TEST_CREDENTIALS, selectAliases } from '../../support/awsLoopback';
import { CloudTrailGenerator } from '../../support/cloudTrailGenerator';

type Json = Record<string, unknown>;

let loopback: AwsLoopback;
before(async () => {
  loopback = await AwsLoopback.start({ region: 'eu-west-1' });
});
after(() => loopback.close());
afterEach(() => {
  assert.deepEqual(loopback.violations, [], 'the loopback saw no protocol violation');
  loopback.requests.length = 0;
  loopback.athena.plan = {};
});

const since = Date.parse('2026-01-05T00:00:00Z');
const until = Date.parse('2026-01-06T12:00:00Z');

function options(extra: Partial<AthenaQueryOptions> = {}): AthenaQueryOptions {
  return {
    region: 'eu-west-1', endpoint: loopback.endpoint, credentials: { ...TEST_CREDENTIALS },
    database: 'security', table: 'cloudtrail_logs_pp', outputLocation: 's3://athena-results-111122223333/sightline/', workgroup: 'primary',
    since, until, poll: { initialMs: 5, maxMs: 20 }, ...extra,
  };
}

function indexView(event: AuditEvent): Omit<AuditEvent, 'record'> {
  const { record: _record, ...rest } = event;
  return rest;
}

describe('the CloudTrail table', () => {
  test('the documented CREATE TABLE with partition projection by date', () => {
    const ddl = cloudTrailTableDdl({ bucket: 'org-trail-logs', prefix: 'trails/', accountId: '111122223333', region: 'eu-west-1', organizationId: 'o-abcdef1234', startDay: '2024/01/01' });
    assert.match(ddl, /^CREATE EXTERNAL TABLE cloudtrail_logs_pp\(\n {4}eventversion STRING,\n {4}useridentity STRUCT</);
    for (const column of ['eventtime STRING', 'requestparameters STRING', 'readonly STRING', 'eventcategory STRING', 'tlsdetails STRUCT<']) assert.ok(ddl.includes(column), column);
    assert.match(ddl, /PARTITIONED BY \(\n {3}`timestamp` string\)/);
    assert.match(ddl, /ROW FORMAT SERDE 'org\.apache\.hive\.hcatalog\.data\.JsonSerDe'\nSTORED AS INPUTFORMAT 'com\.amazon\.emr\.cloudtrail\.CloudTrailInputFormat'/);
    assert.ok(ddl.includes("LOCATION\n  's3://org-trail-logs/trails/AWSLogs/o-abcdef1234/111122223333/CloudTrail/eu-west-1/'"));
    assert.ok(ddl.includes("'projection.enabled'='true'"));
    assert.ok(ddl.includes("'projection.timestamp.format'='yyyy/MM/dd'"));
    assert.ok(ddl.includes("'projection.timestamp.range'='2024/01/01,NOW'"));
    assert.ok(ddl.includes("'projection.timestamp.type'='date'"));
    assert.ok(ddl.includes("'storage.location.template'='s3://org-trail-logs/trails/AWSLogs/o-abcdef1234/111122223333/CloudTrail/eu-west-1/${timestamp}'"));
    // Every column the query selects exists in the table.
    for (const [, expression] of ATHENA_COLUMNS) {
      const root = /^(?:json_format\(CAST\(transform\()?([a-z]+)/.exec(expression)![1];
      assert.ok(new RegExp(`\\b${root} (STRING|STRUCT|ARRAY)`).test(ddl), root);
    }
  });

  test('values that would break the statement are refused', () => {
    const base = { bucket: 'b-logs', accountId: '111122223333', region: 'eu-west-1' };
    assert.throws(() => cloudTrailTableDdl({ ...base, bucket: "x'; DROP TABLE y; --" }), /Bucket name/);
    assert.throws(() => cloudTrailTableDdl({ ...base, accountId: '1234' }), /Account ID/);
    assert.throws(() => cloudTrailTableDdl({ ...base, table: 'a b' }), /Table name/);
    assert.throws(() => cloudTrailTableDdl({ ...base, organizationId: 'org-1' }), /Organization ID/);
    assert.throws(() => cloudTrailTableDdl({ ...base, startDay: '2024-01-01' }), /Start day/);
  });
});

describe('the query', () => {
  test('fields selected one by one, the partition pruned from the day before… to the day after until, newest first', () => {
    const sql = buildCloudTrailQuery({ database: 'security', table: 'cloudtrail_logs_pp', since, until, limit: 50, filters: { eventName: 'DeleteBucket', eventSource: 's3.amazonaws.com', readOnly: false, errorsOnly: true } });
    assert.match(sql, /^SELECT\n {2}eventversion,\n {2}eventid,/);
    assert.ok(sql.includes('useridentity.sessioncontext.sessionissuer.username AS issuer_username'));
    assert.ok(sql.includes('FROM "security"."cloudtrail_logs_pp"'));
    assert.ok(sql.includes(`"timestamp" BETWEEN '2026/01/05' AND '2026/01/07'`));
    assert.ok(sql.includes(`eventtime >= '2026-01-05T00:00:00Z'`));
    assert.ok(sql.includes(`eventtime <= '2026-01-06T12:00:00Z'`));
    assert.ok(sql.includes(`eventname = 'DeleteBucket'`));
    assert.ok(sql.includes(`eventsource = 's3.amazonaws.com'`));
    assert.ok(sql.includes(`readonly = 'false'`));
    assert.ok(sql.includes('(errorcode IS NOT NULL OR errormessage IS NOT NULL)'));
    assert.match(sql, /ORDER BY eventtime DESC\nLIMIT 50$/);
    assert.deepEqual(selectAliases(sql), ATHENA_COLUMNS.map(([alias]) => alias));
    assert.equal(new Set(ATHENA_COLUMNS.map(([alias]) => alias)).size, ATHENA_COLUMNS.length);
  });

  test('literals are escaped: quotes doubled, LIKE wildcards escaped; identifiers checked', () => {
    assert.equal(sqlString("O'Brien"), "'O''Brien'");
    assert.equal(sqlString('back\\slash'), "'back\\slash'");
    const sql = buildCloudTrailQuery({ database: 'security', table: 't', since, until, filters: { user: "o'brien", resource: "data_lake%'); DROP TABLE t; --" } });
    assert.ok(sql.includes(`useridentity.username = 'o''brien'`));
    assert.ok(sql.includes(`useridentity.arn LIKE '%/o''brien' ESCAPE '\\'`));
    assert.ok(sql.includes(`x.arn = 'data_lake%''); DROP TABLE t; --'`));
    assert.ok(sql.includes(`requestparameters LIKE '%data\\_lake\\%''); DROP TABLE t; --%' ESCAPE '\\'`));
    // Outside string literals the statement is only Sightline's own text.
    const outside = sql.replace(/'(?:[^']|'')*'/g, "''");
    assert.ok(!outside.includes('DROP'), outside);
    assert.throws(() => buildCloudTrailQuery({ database: 'db"; DROP', table: 't', since, until }), /Database name/);
    assert.throws(() => buildCloudTrailQuery({ database: 'db', table: 't', since, until, filters: { eventName: 'a\u0000b' } }), /NUL/);
    assert.throws(() => buildCloudTrailQuery({ database: 'db', table: 't', since: until, until: since }), /time range/);
    assert.throws(() => buildCloudTrailQuery({ database: 'db', table: 't', since, until, limit: 0 }), /limit/);
  });

  test('since defaults to 7 days before until, until to now', () => {
    const now = Date.parse('2026-02-10T08:00:00Z');
    const sql = buildCloudTrailQuery({ database: 'db', table: 't' }, now);
    assert.ok(sql.includes(`"timestamp" BETWEEN '2026/02/03' AND '2026/02/11'`));
    assert.ok(sql.includes(`eventtime >= '2026-02-03T08:00:00Z'`));
  });
});

describe('queryAthena', () => {
  const generator = new CloudTrailGenerator(31);
  const records = generator.records(23, { account: '111122223333', region: 'eu-west-1', start: since, end: until });
  const hostile = (JSON.parse(readFileSync(join(auditFixturesDir, 'hostile-strings.json'), 'utf8')) as { Records: Json[] }).Records[0];
  const assumed = (JSON.parse(readFileSync(join(auditFixturesDir, 'docs', 'iam-create-user-assumed-role.json'), 'utf8')) as { Records: Json[] }).Records[0];
  const signIn = (JSON.parse(readFileSync(join(auditFixturesDir, 'docs', 'console-sign-in-root-mfa.json'), 'utf8')) as { Records: Json[] }).Records[0];

  test('start → poll until SUCCEEDED → result pages; rows rebuilt into the same events as the log files give', async () => {
    const table = [...records, hostile, assumed, signIn];
    loopback.athena.plan = { queuedPolls: 1, runningPolls: 2, records: table, pageSize: 7 };
    const states: string[] = [];
    const result = await queryAthena(options({ filters: { eventSource: 's3.amazonaws.com' }, limit: 100, onState: (s) => states.push(s) }));
    assert.deepEqual(states, ['QUEUED', 'RUNNING', 'SUCCEEDED']);
    assert.deepEqual(result.problems, []);
    assert.equal(result.events.length, table.length);
    assert.equal(result.dataScannedBytes, 123_456);
    result.events.forEach((event, i) => {
      const direct = toAuditEvent(table[i]).event!;
      assert.deepEqual(indexView(event), indexView(direct), `row ${i + 1}: ${String(table[i].eventName)}`);
    });
    const fromHostile = result.events[records.length];
    assert.equal(fromHostile.userAgent, hostile.userAgent);
    assert.deepEqual(fromHostile.record.requestParameters, hostile.requestParameters, 'requestparameters (a JSON string column) parsed back exactly');
    assert.equal(result.events[records.length + 1].identity.sessionName, 'paulo');
    assert.equal(result.events[records.length + 2].identity.mfa, true, 'additionaleventdata carries MFAUsed');

    const start = loopback.calls('StartQueryExecution');
    assert.equal(start.length, 1);
    assert.equal(start[0].body.QueryString, result.sql);
    assert.deepEqual(start[0].body.QueryExecutionContext, { Database: 'security' });
    assert.deepEqual(start[0].body.ResultConfiguration, { OutputLocation: 's3://athena-results-111122223333/sightline/' });
    assert.equal(start[0].body.WorkGroup, 'primary');
    assert.equal(typeof start[0].body.ClientRequestToken, 'string', 'the SDK fills the idempotency token');
    assert.equal(loopback.calls('GetQueryExecution').length, 4);
    const pages = loopback.calls('GetQueryResults');
    assert.equal(pages.length, Math.ceil((table.length + 1) / 7));
    assert.equal(pages[0].body.NextToken, undefined);
    assert.ok(pages.slice(1).every((p) => typeof p.body.NextToken === 'string' && p.body.MaxResults === 1000));
    assert.ok(loopback.requests.every((r) => /^AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/athena\/aws4_request$/.test(r.credential)));
  });

  test('a failed query says why, and no results are asked for', async () => {
    loopback.athena.plan = { runningPolls: 1, outcome: 'FAILED', failureReason: "TABLE_NOT_FOUND: line 1:8: Table 'awsdatacatalog.security.cloudtrail_logs_pp' does not exist" };
    await assert.rejects(queryAthena(options()), /^Error: Athena query [0-9a-f-]+ failed: TABLE_NOT_FOUND: line 1:8: Table 'awsdatacatalog\.security\.cloudtrail_logs_pp' does not exist$/);
    assert.equal(loopback.calls('GetQueryResults').length, 0);
  });

  test('cancelling stops the query with StopQueryExecution', async () => {
    loopback.athena.plan = { queuedPolls: 0, runningPolls: 1_000_000 };
    const controller = new AbortController();
    const running = queryAthena(options({ signal: controller.signal, onState: (state) => { if (state === 'RUNNING') controller.abort(); } }));
    await assert.rejects(running, { name: 'AbortError' });
    const stops = loopback.calls('StopQueryExecution');
    assert.equal(stops.length, 1);
    const [query] = [...loopback.athena.queries.values()].slice(-1);
    assert.equal(stops[0].body.QueryExecutionId, query.id);
    assert.equal(query.stopped, true);
    assert.equal(loopback.calls('GetQueryResults').length, 0);
  });

  test('rows that are not readable records are problems naming the row', async () => {
    const { eventID: _id, ...noId } = records[0];
    loopback.athena.plan = { records: [noId, records[1]] };
    const result = await queryAthena(options());
    assert.equal(result.events.length, 1);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0], /^Athena query [0-9a-f-]+ row 1: missing eventID; skipped$/);
  });

  test('a client may be passed in and is left open; AWS errors are named without request details', async () => {
    const client = createAthenaClient({ region: 'eu-west-1', endpoint: loopback.endpoint, credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'wrong' }, maxAttempts: 1 });
    try {
      await assert.rejects(queryAthena(options({ client })), (error: Error) => {
        assert.match(error.message, /^InvalidSignatureException: signature does not match \(HTTP 403\)$/);
        assert.ok(!error.message.includes('wrong'));
        return true;
      });
    } finally {
      client.destroy();
    }
    assert.deepEqual(loopback.violations, ['StartQueryExecution: signature does not match']);
    loopback.violations.length = 0;
  });
});
