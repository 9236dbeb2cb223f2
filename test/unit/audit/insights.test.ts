import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { detectInsights, insightDefaults, type Insight } from '../../../server/audit/insights';
import { toAuditEvent, type AuditEvent } from '../../../server/audit/model';
import { auditFixturesDir } from '../../support/paths';
import { CloudTrailGenerator } from '../../support/cloudTrailGenerator';

type Json = Record<string, unknown>;

const ACCOUNT = '111122223333';
const MINUTE = 60_000;
const DAY = 86_400_000;
const T0 = Date.parse('2026-01-05T00:00:00Z');
const WEEK_LATER = T0 + 7 * DAY;

const TERRAFORM = 'Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.43.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.1';
const BOTO3 = 'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69';

const ciDeployer: Json = { type: 'IAMUser', principalId: 'AIDAEXAMPLECIDEPLOYER', arn: `arn:aws:iam::${ACCOUNT}:user/ci-deployer`, accountId: ACCOUNT, accessKeyId: 'AKIAEXAMPLECIDEPLOY1', userName: 'ci-deployer' };
const alice: Json = {
  type: 'AssumedRole', principalId: 'AROAEXAMPLEDEPLOYROLE:alice', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy-role/alice`, accountId: ACCOUNT, accessKeyId: 'ASIAEXAMPLEALICE0001',
  sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEDEPLOYROLE', arn: `arn:aws:iam::${ACCOUNT}:role/deploy-role`, accountId: ACCOUNT, userName: 'deploy-role' }, attributes: { creationDate: '2026-01-12T00:00:00Z', mfaAuthenticated: 'false' } },
};
const mallory: Json = { type: 'IAMUser', principalId: 'AIDAEXAMPLEMALLORY00', arn: `arn:aws:iam::${ACCOUNT}:user/mallory`, accountId: ACCOUNT, accessKeyId: 'AKIAEXAMPLEMALLORY01', userName: 'mallory' };

interface Call {
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  identity: Json;
  userAgent: string;
  errorCode?: string;
  management?: boolean;
  region?: string;
}

const runInstances = { eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', readOnly: false } as const;
const getRole = { eventSource: 'iam.amazonaws.com', eventName: 'GetRole', readOnly: true } as const;

let serial = 0;

/** A record carrying the fields the insights read, shaped like CloudTrail's. */
function record(time: number, c: Call): Json {
  serial++;
  const management = c.management ?? true;
  return {
    eventVersion: '1.09',
    userIdentity: c.identity,
    eventTime: `${new Date(time).toISOString().slice(0, 19)}Z`,
    eventSource: c.eventSource,
    eventName: c.eventName,
    awsRegion: c.region ?? 'us-east-1',
    sourceIPAddress: '198.51.100.23',
    userAgent: c.userAgent,
    ...(c.errorCode ? { errorCode: c.errorCode, errorMessage: `User: ${String(c.identity.arn)} is not authorized to perform: ${c.eventSource.split('.')[0]}:${c.eventName}` } : {}),
    requestParameters: null,
    responseElements: null,
    requestID: `req-${serial}`,
    eventID: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    readOnly: c.readOnly,
    eventType: 'AwsApiCall',
    managementEvent: management,
    recipientAccountId: ACCOUNT,
    eventCategory: management ? 'Management' : 'Data',
  };
}

function event(json: Json): AuditEvent {
  const result = toAuditEvent(json);
  assert.equal(result.problem, undefined, result.problem);
  return result.event!;
}

/** `count(minute)` calls in each minute of [from, to), spread over the minute. */
function perMinute(from: number, to: number, count: (minute: number) => number, c: Call | ((i: number) => Call)): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (let m = 0; from + m * MINUTE < to; m++) {
    const n = count(m);
    for (let i = 0; i < n; i++) out.push(event(record(from + m * MINUTE + Math.floor((i * MINUTE) / n), typeof c === 'function' ? c(i) : c)));
  }
  return out;
}

/** 1, 2, 3, 1, 2, 3… RunInstances a minute by ci-deployer through Terraform: mean 2 a minute. */
function steadyRunInstances(from: number, to: number): AuditEvent[] {
  return perMinute(from, to, (m) => 1 + (m % 3), { ...runInstances, identity: ciDeployer, userAgent: TERRAFORM });
}

function only<T>(items: T[]): T {
  assert.equal(items.length, 1, `expected exactly one, got ${JSON.stringify(items, null, 1)}`);
  return items[0];
}

const week = steadyRunInstances(T0, WEEK_LATER);
// Ten minutes of 30 RunInstances a minute: two in three by alice's deploy-role session with Boto3.
const burst = perMinute(WEEK_LATER, WEEK_LATER + 10 * MINUTE, () => 30, (i) => (i % 3 === 2
  ? { ...runInstances, identity: ciDeployer, userAgent: TERRAFORM }
  : { ...runInstances, identity: alice, userAgent: BOTO3 }));
const afterwards = steadyRunInstances(WEEK_LATER + 10 * MINUTE, WEEK_LATER + 70 * MINUTE);

describe('API call rate', () => {
  test('a week of steady calls, then a burst: one insight with its window, baseline, rate and attributions', () => {
    // Read-only calls and data events in the same minutes do not count towards the write call rate.
    const reads = perMinute(WEEK_LATER, WEEK_LATER + 10 * MINUTE, () => 100, { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', readOnly: true, identity: alice, userAgent: BOTO3 });
    const data = perMinute(WEEK_LATER, WEEK_LATER + 10 * MINUTE, () => 100, { eventSource: 's3.amazonaws.com', eventName: 'PutObject', readOnly: false, management: false, identity: alice, userAgent: BOTO3 });
    const insight = only(detectInsights([...week, ...burst, ...reads, ...data, ...afterwards]));
    assert.equal(insight.type, 'ApiCallRateInsight');
    assert.equal(insight.origin, 'detected');
    assert.equal(insight.eventSource, 'ec2.amazonaws.com');
    assert.equal(insight.eventName, 'RunInstances');
    assert.equal(insight.account, ACCOUNT);
    assert.equal(insight.region, 'us-east-1');
    assert.equal(insight.errorCode, undefined);
    assert.equal(insight.start, WEEK_LATER);
    assert.equal(insight.end, WEEK_LATER + 10 * MINUTE);
    assert.equal(insight.ongoing, false);
    assert.equal(insight.bucketMs, 60_000);
    assert.equal(insight.baselineBuckets, 7 * 1440);
    assert.equal(insight.baselineAverage, 2);
    assert.equal(insight.insightAverage, 30);
    // mean + 5 × max(sd √(2/3), √mean √2): the Poisson floor decides.
    assert.ok(Math.abs(insight.threshold! - (2 + 5 * Math.SQRT2)) < 1e-9, String(insight.threshold));
    assert.equal(insight.id, `ApiCallRateInsight/${ACCOUNT}/us-east-1/ec2.amazonaws.com/RunInstances/2026-01-12T00:00:00.000Z`);
    assert.deepEqual(insight.recordIds, []);

    assert.deepEqual(insight.attributions.identities, [
      { value: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy-role/alice`, insight: { count: 200, share: 2 / 3, average: 20 }, baseline: { count: 0, share: 0, average: 0 } },
      { value: `arn:aws:iam::${ACCOUNT}:user/ci-deployer`, insight: { count: 100, share: 1 / 3, average: 10 }, baseline: { count: 20_160, share: 1, average: 2 } },
    ]);
    assert.deepEqual(insight.attributions.userAgents.map((a) => [a.value, a.insight.count, a.baseline.share]), [[BOTO3, 200, 0], [TERRAFORM, 100, 1]]);
    assert.deepEqual(insight.attributions.errorCodes, [{ value: 'null', insight: { count: 300, share: 1, average: 30 }, baseline: { count: 20_160, share: 1, average: 2 } }]);
  });

  test('a steady stream has no insight', () => {
    assert.deepEqual(detectInsights([...week, ...steadyRunInstances(WEEK_LATER, WEEK_LATER + DAY)]), []);
  });

  test('the order of the events does not matter', () => {
    const shuffled = [...afterwards, ...burst, ...week].reverse();
    const insight = only(detectInsights(shuffled));
    assert.equal(insight.start, WEEK_LATER);
    assert.equal(insight.insightAverage, 30);
  });

  test('a burst still going at `now` is ongoing and ends at now; before it, there is none', () => {
    const now = WEEK_LATER + 4 * MINUTE + 30_000;
    const insight = only(detectInsights([...week, ...burst, ...afterwards], { now }));
    assert.equal(insight.ongoing, true);
    assert.equal(insight.start, WEEK_LATER);
    assert.equal(insight.end, now);
    assert.deepEqual(detectInsights([...week, ...burst], { now: WEEK_LATER }), []);
  });

  test('the same burst in 5-minute buckets, and the options that would hide it', () => {
    const events = [...week, ...burst, ...afterwards];
    const fiveMinutes = only(detectInsights(events, { bucketMs: 5 * MINUTE }));
    assert.equal(fiveMinutes.bucketMs, 5 * MINUTE);
    assert.equal(fiveMinutes.start, WEEK_LATER);
    assert.equal(fiveMinutes.end, WEEK_LATER + 10 * MINUTE);
    assert.equal(fiveMinutes.baselineAverage, 10);
    assert.equal(fiveMinutes.insightAverage, 150);
    assert.deepEqual(detectInsights(events, { k: 100 }), []);
    assert.deepEqual(detectInsights(events, { minCount: 31 }), []);
  });

  test('one account’s history is not another’s baseline', () => {
    // A second Region whose logs start with the burst: no day of history there yet, so no insight.
    const elsewhere = perMinute(WEEK_LATER, WEEK_LATER + 10 * MINUTE, () => 30, { ...runInstances, identity: alice, userAgent: BOTO3, region: 'eu-west-1' });
    const insight = only(detectInsights([...week, ...burst, ...elsewhere]));
    assert.equal(insight.region, 'us-east-1');
  });

  test('a burst does not teach the baseline: a smaller one the next day is still unusual', () => {
    // Counted in the baseline, ten minutes of 300 calls would lift the threshold to about 50 a minute.
    const big = perMinute(WEEK_LATER, WEEK_LATER + 10 * MINUTE, () => 300, { ...runInstances, identity: alice, userAgent: BOTO3 });
    const dayLater = WEEK_LATER + DAY;
    const second = perMinute(dayLater, dayLater + 10 * MINUTE, () => 30, { ...runInstances, identity: alice, userAgent: BOTO3 });
    const insights = detectInsights([...week, ...big, ...steadyRunInstances(WEEK_LATER + 10 * MINUTE, dayLater), ...second]);
    assert.deepEqual(insights.map((i) => [i.start, i.insightAverage, Math.round(i.baselineAverage * 100) / 100, i.baselineBuckets]), [
      [WEEK_LATER, 300, 2, 10_080],
      [dayLater, 30, 2, 10_080 - 10],
    ]);
  });
});

describe('API error rate', () => {
  test('a burst of AccessDenied on a read call: one ApiErrorRateInsight for that code, no call-rate insight', () => {
    // GetRole once a minute, refused once every two hours, for a week; then mallory is refused 15 times a minute.
    const normal = perMinute(T0, WEEK_LATER + 30 * MINUTE, () => 1, { ...getRole, identity: ciDeployer, userAgent: TERRAFORM });
    const refused = perMinute(T0, WEEK_LATER, (m) => (m % 120 === 60 ? 1 : 0), { ...getRole, identity: ciDeployer, userAgent: TERRAFORM, errorCode: 'AccessDenied' });
    const attack = perMinute(WEEK_LATER + 5 * MINUTE, WEEK_LATER + 10 * MINUTE, () => 15, { ...getRole, identity: mallory, userAgent: 'python-requests/2.31.0', errorCode: 'AccessDenied' });
    const insight = only(detectInsights([...normal, ...refused, ...attack]));
    assert.equal(insight.type, 'ApiErrorRateInsight');
    assert.equal(insight.eventSource, 'iam.amazonaws.com');
    assert.equal(insight.eventName, 'GetRole');
    assert.equal(insight.errorCode, 'AccessDenied');
    assert.equal(insight.start, WEEK_LATER + 5 * MINUTE);
    assert.equal(insight.end, WEEK_LATER + 10 * MINUTE);
    assert.equal(insight.insightAverage, 15);
    assert.ok(Math.abs(insight.baselineAverage - 84 / 10_080) < 1e-12, String(insight.baselineAverage));
    assert.equal(insight.attributions.identities[0].value, `arn:aws:iam::${ACCOUNT}:user/mallory`);
    assert.equal(insight.attributions.identities[0].insight.share, 1);
    assert.equal(insight.attributions.identities[0].baseline.share, 0);
    assert.deepEqual(insight.attributions.errorCodes.map((a) => [a.value, a.insight.count, a.baseline.count]), [['AccessDenied', 75, 84]]);
    assert.match(insight.id, /^ApiErrorRateInsight\/111122223333\/us-east-1\/iam\.amazonaws\.com\/GetRole\/AccessDenied\//);
  });

  test('each error code is its own series', () => {
    const week2 = perMinute(T0, WEEK_LATER, () => 1, { ...getRole, identity: ciDeployer, userAgent: TERRAFORM });
    const mixed = perMinute(WEEK_LATER, WEEK_LATER + 5 * MINUTE, () => 12, (i) => ({ ...getRole, identity: mallory, userAgent: BOTO3, errorCode: i % 2 ? 'AccessDenied' : 'NoSuchEntity' }));
    // 6 of each code a minute: under minCount for either, though 12 errors a minute in all.
    assert.deepEqual(detectInsights([...week2, ...mixed]), []);
    assert.deepEqual(detectInsights([...week2, ...mixed], { minCount: 6 }).map((i) => i.errorCode), ['AccessDenied', 'NoSuchEntity']);
  });
});

describe("CloudTrail's own Insights records", () => {
  const docs = JSON.parse(readFileSync(join(auditFixturesDir, 'docs', 'insights-api-call-rate.json'), 'utf8')) as { Records: Json[] };

  test('a Start/End pair from the User Guide becomes one insight', () => {
    const insight = only(detectInsights(docs.Records.map(event)));
    assert.deepEqual({ ...insight, attributions: undefined }, {
      id: 'EXAMPLE2-1729-42f1-b735-5d8c0EXAMPLE',
      type: 'ApiCallRateInsight',
      origin: 'cloudtrail',
      eventSource: 'ssm.amazonaws.com',
      eventName: 'UpdateInstanceAssociationStatus',
      account: '123456789012',
      region: 'us-east-1',
      start: Date.parse('2023-07-19T20:51:00Z'),
      end: Date.parse('2023-07-19T20:56:00Z'),
      ongoing: false,
      bucketMs: 60_000,
      baselineAverage: 1.7561507937,
      insightAverage: 50,
      baselineBuckets: 10_079,
      attributions: undefined,
      recordIds: ['EXAMPLE8-9621-4d00-b913-beca2EXAMPLE', 'EXAMPLEc-9eac-4af7-8b9e-f4a9aEXAMPLE'],
    });
    assert.deepEqual(insight.attributions.identities, [{
      value: 'arn:aws:sts::123456789012:assumed-role/CodeDeployRole1',
      insight: { share: 1, average: 50 },
      baseline: { share: 0.0376984127 / 1.7561507937, average: 0.0376984127 },
    }]);
    assert.deepEqual(insight.attributions.userAgents.map((a) => a.value), ['codedeploy.amazonaws.com']);
    assert.deepEqual(insight.attributions.errorCodes.map((a) => [a.value, a.insight.share, a.baseline.share]), [['null', 1, 1]]);
  });

  test('a Start without its End is ongoing', () => {
    const insight = only(detectInsights([event(docs.Records[0])]));
    assert.equal(insight.ongoing, true);
    assert.equal(insight.start, Date.parse('2023-07-19T20:51:00Z'));
    assert.equal(insight.end, insight.start);
    assert.equal(insight.insightAverage, 50.1);
  });

  test('the Start example of the CloudTrail log event reference, with several identities', () => {
    const start = {
      eventVersion: '1.07', eventTime: '2020-07-21T20:56:00Z', awsRegion: 'us-east-1', eventID: 'abcd00b0-ccfe-422d-961c-98a2198a408x',
      eventType: 'AwsCloudTrailInsight', recipientAccountId: '838185438692', sharedEventID: '7bb000gg-22b3-4c03-94af-c74tj0c8m7c0',
      insightDetails: {
        state: 'Start', eventSource: 'autoscaling.amazonaws.com', eventName: 'CompleteLifecycleAction', insightType: 'ApiCallRateInsight',
        insightContext: {
          statistics: { baseline: { average: 0.0000882145 }, insight: { average: 0.6 }, insightDuration: 5, baselineDuration: 11336 },
          attributions: [
            { attribute: 'userIdentityArn', insight: [{ value: 'arn:aws:sts::012345678901:assumed-role/CodeDeployRole1', average: 0.2 }, { value: 'arn:aws:sts::012345678901:assumed-role/CodeDeployRole2', average: 0.2 }, { value: 'arn:aws:sts::012345678901:assumed-role/CodeDeployRole3', average: 0.2 }], baseline: [{ value: 'arn:aws:sts::012345678901:assumed-role/CodeDeployRole1', average: 0.0000882145 }] },
            { attribute: 'userAgent', insight: [{ value: 'codedeploy.amazonaws.com', average: 0.6 }], baseline: [{ value: 'codedeploy.amazonaws.com', average: 0.0000882145 }] },
            { attribute: 'errorCode', insight: [{ value: 'null', average: 0.6 }], baseline: [{ value: 'null', average: 0.0000882145 }] },
          ],
        },
      },
      eventCategory: 'Insight',
    };
    const insight = only(detectInsights([event(start)]));
    assert.equal(insight.end - insight.start, 5 * MINUTE);
    assert.equal(insight.baselineBuckets, 11_336);
    assert.deepEqual(insight.attributions.identities.map((a) => [a.value.split('/')[1], a.baseline.share]), [['CodeDeployRole1', 1], ['CodeDeployRole2', 0], ['CodeDeployRole3', 0]]);
  });

  test("the generator's error-rate pairs keep their error code", () => {
    const generator = new CloudTrailGenerator(5);
    let pair: Json[] = [];
    for (let i = 0; i < 50 && (pair[0]?.insightDetails as Json | undefined)?.insightType !== 'ApiErrorRateInsight'; i++) {
      pair = generator.insightPair({ account: ACCOUNT, region: 'eu-west-1', time: T0 + i * DAY, durationMinutes: 12 });
    }
    const insight = only(detectInsights(pair.map(event)));
    assert.equal(insight.type, 'ApiErrorRateInsight');
    assert.equal(insight.errorCode, 'AccessDenied');
    assert.equal(insight.region, 'eu-west-1');
    assert.equal(insight.end - insight.start, 12 * MINUTE);
    assert.equal(insight.attributions.errorCodes[0].value, 'AccessDenied');
  });

  test('imported and detected insights together, by start time', () => {
    const insights: Insight[] = detectInsights([...week, ...burst, ...docs.Records.map(event)]);
    assert.deepEqual(insights.map((i) => i.origin), ['cloudtrail', 'detected']);
  });
});

test('the documented defaults', () => {
  assert.deepEqual(insightDefaults, { bucketMs: 60_000, baselineDays: 7, k: 5, minCount: 10 });
});
