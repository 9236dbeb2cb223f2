// Anomalies in the manner of CloudTrail Insights: API call rates and API error rates that leave
// their baseline, found in the events Sightline holds, plus the Insights events CloudTrail itself
// delivered (eventType AwsCloudTrailInsight), both in one shape for the Audit view and the CLI.
//
// What is measured, as CloudTrail Insights documents it:
// - ApiCallRateInsight: write (readOnly false) management API calls, per minute;
// - ApiErrorRateInsight: management API calls — read or write — that failed, per minute and per
//   error code (CloudTrail's error-rate Insights name one errorCode each).
// Series are kept per account, Region, eventSource and eventName (and errorCode), because CloudTrail
// analyses each trail's events per Region and account; one account's burst must not hide in another's.
//
// The test, per bucket (1 minute by default — CloudTrail's own granularity, so detected and imported
// Insights read alike):
// - baseline: the mean and standard deviation of the counts per bucket over the `baselineDays` (7)
//   before the bucket, counting empty buckets as zeros while the logs cover them — from the first
//   event of that account and Region — and leaving out buckets already inside an insight, so a burst
//   never teaches the baseline that bursts are normal. A bucket is tested once a day of history
//   exists (CloudTrail needs up to 36 hours before its first Insights).
// - threshold: mean + k·spread with k = 5, where spread is the standard deviation but never less
//   than √mean: calls are at least as dispersed as a Poisson process, and a perfectly regular
//   baseline (a cron job) would otherwise make any jitter unusual. At 1-minute buckets a week holds
//   10,080 buckets per series; k = 5 keeps the one-sided normal tail (3·10⁻⁷ a bucket) under one
//   false insight per 300 series-weeks, where k = 4 (3·10⁻⁵) would give one every three.
// - and at least `minCount` (10) calls or errors in the bucket: below that, no rate is unusual
//   enough to read about, however quiet the baseline.
// An insight opens at the first bucket over the threshold, extends while consecutive buckets stay
// over it (the baseline frozen at the start, as CloudTrail's baseline is the week before the start),
// and ends at the first bucket that is not. One still over at `now` is `ongoing`.

import type { AuditEvent, InsightDetails } from './model';

export type InsightType = 'ApiCallRateInsight' | 'ApiErrorRateInsight';

/** One side (the insight or its baseline) of an attribution. */
export interface InsightShare {
  /** Events with this value; left out for Insights read from CloudTrail, which give averages only. */
  count?: number;
  /** Part of the side's events with this value, 0–1. */
  share: number;
  /** Events with this value per bucket. */
  average: number;
}

/** A value of userIdentityArn, userAgent or errorCode ("null" for none, as CloudTrail writes it). */
export interface InsightAttribution {
  value: string;
  insight: InsightShare;
  baseline: InsightShare;
}

export interface InsightAttributions {
  identities: InsightAttribution[];
  userAgents: InsightAttribution[];
  errorCodes: InsightAttribution[];
}

export interface Insight {
  /** For CloudTrail's Insights, the sharedEventID of the Start/End pair. */
  id: string;
  type: InsightType;
  origin: 'detected' | 'cloudtrail';
  eventSource: string;
  eventName: string;
  account: string;
  region: string;
  /** The error code an ApiErrorRateInsight is about. */
  errorCode?: string;
  /** Start and end in ms since the epoch, end exclusive. */
  start: number;
  end: number;
  /** Still over the threshold at `now` (detected), or a Start without its End (CloudTrail). */
  ongoing: boolean;
  /** The bucket the averages are per: `bucketMs` for detected Insights, a minute for CloudTrail's. */
  bucketMs: number;
  /** Calls or errors per bucket over the baseline. */
  baselineAverage: number;
  /** Calls or errors per bucket during the insight. */
  insightAverage: number;
  /** Buckets the baseline averaged over (CloudTrail's baselineDuration, in buckets). */
  baselineBuckets: number;
  /** The count per bucket the insight had to exceed (detected only). */
  threshold?: number;
  /** Top values, at most five per attribute, by their count during the insight. */
  attributions: InsightAttributions;
  /** The CloudTrail Insights records (Start, End) this was read from. */
  recordIds: string[];
}

export interface InsightOptions {
  /** Events at or after this time are ignored; default: just after the newest event. */
  now?: number;
  /** Bucket width in ms (default 60,000). */
  bucketMs?: number;
  /** Baseline length in days (default 7). */
  baselineDays?: number;
  /** Standard deviations over the baseline mean (default 5). */
  k?: number;
  /** Least calls or errors in a bucket for it to count as unusual (default 10). */
  minCount?: number;
}

export const insightDefaults = { bucketMs: 60_000, baselineDays: 7, k: 5, minCount: 10 } as const;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const TOP_VALUES = 5;
const NONE = 'null';

/** Strings to dense ids, so a series keeps Int32Array columns instead of string references. */
class Interner {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }
}

/** The events of one series, column by column, growing by doubling. */
class Series {
  length = 0;
  times = new Float64Array(16);
  identities = new Int32Array(16);
  agents = new Int32Array(16);
  errors = new Int32Array(16);

  /** `errorCode` is the error id of an error-rate series, -1 for a call-rate series. */
  constructor(readonly scope: number, readonly api: number, readonly errorCode: number) {}

  push(time: number, identity: number, agent: number, error: number): void {
    if (this.length === this.times.length) this.grow();
    const i = this.length++;
    this.times[i] = time;
    this.identities[i] = identity;
    this.agents[i] = agent;
    this.errors[i] = error;
  }

  private grow(): void {
    const size = this.times.length * 2;
    const times = new Float64Array(size);
    times.set(this.times);
    this.times = times;
    const identities = new Int32Array(size);
    identities.set(this.identities);
    this.identities = identities;
    const agents = new Int32Array(size);
    agents.set(this.agents);
    this.agents = agents;
    const errors = new Int32Array(size);
    errors.set(this.errors);
    this.errors = errors;
  }
}

/** An account and Region: where a series lives and how far back its logs go. */
interface Scope {
  account: string;
  region: string;
  first: number;
}

/** A run of unusual buckets in one series. */
interface UnusualRun {
  startBucket: number;
  endBucket: number;
  ongoing: boolean;
  mean: number;
  threshold: number;
  baselineStartBucket: number;
  baselineBuckets: number;
  total: number;
}

interface Settings {
  bucketMs: number;
  baselineBuckets: number;
  historyBuckets: number;
  k: number;
  minCount: number;
  /** First bucket not tested: the one `now` falls in when now is on a boundary, else the one after. */
  endBucket: number;
  now: number;
}

/**
 * The unusual runs of one series: a single pass over its distinct buckets in time order, with the
 * baseline window's sums kept by two pointers (buckets without events add nothing to the sums and
 * count only in the number of buckets).
 */
function unusualRuns(series: Series, scope: Scope, settings: Settings, excluded: Set<number>): UnusualRun[] {
  const { bucketMs, baselineBuckets, historyBuckets, k, minCount, endBucket } = settings;
  const sorted = new Float64Array(series.length);
  for (let i = 0; i < series.length; i++) sorted[i] = Math.floor(series.times[i] / bucketMs);
  sorted.sort();
  const buckets = new Float64Array(series.length);
  const counts = new Float64Array(series.length);
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (distinct > 0 && buckets[distinct - 1] === sorted[i]) counts[distinct - 1]++;
    else {
      buckets[distinct] = sorted[i];
      counts[distinct++] = 1;
    }
  }

  const coverageStart = Math.floor(scope.first / bucketMs);
  const unusual = new Uint8Array(distinct);
  const runs: UnusualRun[] = [];
  let lo = 0;
  let hi = 0;
  let sum = 0;
  let sumOfSquares = 0;
  let unusualInWindow = 0;
  let i = 0;
  while (i < distinct) {
    const bucket = buckets[i];
    if (bucket >= endBucket) break;
    for (; hi < i; hi++) {
      if (unusual[hi]) unusualInWindow++;
      else {
        sum += counts[hi];
        sumOfSquares += counts[hi] * counts[hi];
      }
    }
    for (; lo < hi && buckets[lo] < bucket - baselineBuckets; lo++) {
      if (unusual[lo]) unusualInWindow--;
      else {
        sum -= counts[lo];
        sumOfSquares -= counts[lo] * counts[lo];
      }
    }
    const baselineStart = Math.max(bucket - baselineBuckets, coverageStart);
    const n = bucket - baselineStart - unusualInWindow;
    if (counts[i] < minCount || bucket - coverageStart < historyBuckets || n <= 0) {
      i++;
      continue;
    }
    const mean = sum / n;
    const spread = Math.max(Math.sqrt(Math.max(0, sumOfSquares / n - mean * mean)), Math.sqrt(mean));
    const threshold = mean + k * spread;
    if (counts[i] <= threshold) {
      i++;
      continue;
    }
    let j = i;
    let total = 0;
    while (j < distinct && buckets[j] === bucket + (j - i) && buckets[j] < endBucket && counts[j] >= minCount && counts[j] > threshold) {
      unusual[j] = 1;
      excluded.add(buckets[j]);
      total += counts[j];
      j++;
    }
    const last = bucket + (j - i);
    runs.push({ startBucket: bucket, endBucket: last, ongoing: last >= endBucket, mean, threshold, baselineStartBucket: baselineStart, baselineBuckets: n, total });
    i = j;
  }
  return runs;
}

interface Tables {
  identities: Interner;
  agents: Interner;
  errors: Interner;
}

function shareOf(count: number, total: number, buckets: number): InsightShare {
  return { count, share: total ? count / total : 0, average: buckets ? count / buckets : 0 };
}

function top(insight: Map<number, number>, baseline: Map<number, number>, names: readonly string[], sides: { insightTotal: number; insightBuckets: number; baselineTotal: number; baselineBuckets: number }): InsightAttribution[] {
  return [...insight]
    .sort((a, b) => b[1] - a[1] || (names[a[0]] < names[b[0]] ? -1 : 1))
    .slice(0, TOP_VALUES)
    .map(([id, count]) => ({
      value: names[id],
      insight: shareOf(count, sides.insightTotal, sides.insightBuckets),
      baseline: shareOf(baseline.get(id) ?? 0, sides.baselineTotal, sides.baselineBuckets),
    }));
}

function bump(counts: Map<number, number>, id: number): void {
  counts.set(id, (counts.get(id) ?? 0) + 1);
}

/** Who, with what and failing how, during the run and during its baseline. */
function attribute(series: Series, run: UnusualRun, excluded: Set<number>, tables: Tables, bucketMs: number): InsightAttributions {
  const start = run.startBucket * bucketMs;
  const end = run.endBucket * bucketMs;
  const baselineStart = run.baselineStartBucket * bucketMs;
  const during = { identities: new Map<number, number>(), agents: new Map<number, number>(), errors: new Map<number, number>() };
  const before = { identities: new Map<number, number>(), agents: new Map<number, number>(), errors: new Map<number, number>() };
  let baselineTotal = 0;
  for (let i = 0; i < series.length; i++) {
    const time = series.times[i];
    let side;
    if (time >= start && time < end) side = during;
    else if (time >= baselineStart && time < start && !excluded.has(Math.floor(time / bucketMs))) {
      side = before;
      baselineTotal++;
    } else continue;
    bump(side.identities, series.identities[i]);
    bump(side.agents, series.agents[i]);
    bump(side.errors, series.errors[i]);
  }
  const sides = { insightTotal: run.total, insightBuckets: run.endBucket - run.startBucket, baselineTotal, baselineBuckets: run.baselineBuckets };
  return {
    identities: top(during.identities, before.identities, tables.identities.values, sides),
    userAgents: top(during.agents, before.agents, tables.agents.values, sides),
    errorCodes: top(during.errors, before.errors, tables.errors.values, sides),
  };
}

// ── CloudTrail's own Insights ───────────────────────────────────────────────────────────────────

const INSIGHT_TYPES: readonly InsightType[] = ['ApiCallRateInsight', 'ApiErrorRateInsight'];
const ATTRIBUTES: Record<string, keyof InsightAttributions> = { userIdentityArn: 'identities', userAgent: 'userAgents', errorCode: 'errorCodes' };

function number(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function averages(list: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (!Array.isArray(list)) return out;
  for (const entry of list as { value?: unknown; average?: unknown }[]) {
    const average = number(entry?.average);
    if (entry && entry.value !== undefined && average !== undefined) out.set(String(entry.value), average);
  }
  return out;
}

function importedAttributions(details: InsightDetails, insightAverage: number, baselineAverage: number): InsightAttributions {
  const out: InsightAttributions = { identities: [], userAgents: [], errorCodes: [] };
  for (const attribution of details.insightContext?.attributions ?? []) {
    const key = ATTRIBUTES[String(attribution?.attribute)];
    if (!key) continue;
    const baseline = averages(attribution.baseline);
    out[key] = [...averages(attribution.insight)]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_VALUES)
      .map(([value, average]) => {
        const before = baseline.get(value) ?? 0;
        return {
          value,
          insight: { share: insightAverage ? average / insightAverage : 0, average },
          baseline: { share: baselineAverage ? before / baselineAverage : 0, average: before },
        };
      });
  }
  return out;
}

/** Start/End records paired by sharedEventID; either alone still makes an insight. */
function importInsights(records: readonly AuditEvent[]): Insight[] {
  const pairs = new Map<string, { start?: AuditEvent; end?: AuditEvent }>();
  for (const event of records) {
    const details = event.record.insightDetails;
    const state = details?.state;
    if (state !== 'Start' && state !== 'End') continue;
    const id = typeof event.record.sharedEventID === 'string' && event.record.sharedEventID ? event.record.sharedEventID : event.id;
    const pair = pairs.get(id) ?? {};
    if (state === 'Start') pair.start = event;
    else pair.end = event;
    pairs.set(id, pair);
  }
  const insights: Insight[] = [];
  for (const [id, { start, end }] of pairs) {
    const last = (end ?? start)!;
    const details = last.record.insightDetails!;
    const type = INSIGHT_TYPES.find((known) => known === details.insightType);
    if (type === undefined) continue;
    const statistics = details.insightContext?.statistics;
    const durationMs = (number(statistics?.insightDuration) ?? 0) * MINUTE_MS;
    const startTime = start?.time ?? last.time - durationMs;
    const insightAverage = number(statistics?.insight?.average) ?? 0;
    const baselineAverage = number(statistics?.baseline?.average) ?? 0;
    const insight: Insight = {
      id,
      type,
      origin: 'cloudtrail',
      eventSource: last.eventSource,
      eventName: last.eventName,
      account: last.account,
      region: last.region,
      start: startTime,
      end: end ? end.time : startTime + durationMs,
      ongoing: end === undefined,
      bucketMs: MINUTE_MS,
      baselineAverage,
      insightAverage,
      baselineBuckets: number(statistics?.baselineDuration) ?? 0,
      attributions: importedAttributions(details, insightAverage, baselineAverage),
      recordIds: [start?.id, end?.id].filter((recordId): recordId is string => recordId !== undefined),
    };
    if (typeof details.errorCode === 'string' && details.errorCode) insight.errorCode = details.errorCode;
    insights.push(insight);
  }
  return insights;
}

// ── Detection ───────────────────────────────────────────────────────────────────────────────────

/** `get(a)?.get(b)` with creation, without building a combined key string per event. */
function idOf(index: Map<string, Map<string, number>>, a: string, b: string, next: () => number): number {
  let inner = index.get(a);
  if (!inner) index.set(a, (inner = new Map()));
  let id = inner.get(b);
  if (id === undefined) inner.set(b, (id = next()));
  return id;
}

/**
 * The Insights in `events`: those detected in their call and error rates, and CloudTrail's own
 * Insights records normalised to the same shape; sorted by start time. One pass over the events
 * (aggregated into typed columns per series), then one pass per series over its distinct buckets.
 */
export function detectInsights(events: Iterable<AuditEvent>, options: InsightOptions = {}): Insight[] {
  const bucketMs = options.bucketMs ?? insightDefaults.bucketMs;
  const baselineDays = options.baselineDays ?? insightDefaults.baselineDays;
  const k = options.k ?? insightDefaults.k;
  const minCount = options.minCount ?? insightDefaults.minCount;
  const now = options.now;

  const tables: Tables = { identities: new Interner(), agents: new Interner(), errors: new Interner() };
  const noError = tables.errors.id(NONE);
  const scopes: Scope[] = [];
  const scopeIndex = new Map<string, Map<string, number>>();
  const apis: { eventSource: string; eventName: string }[] = [];
  const apiIndex = new Map<string, Map<string, number>>();
  // Keyed by api * 2^20 + scope (exact in a double); error series further by error id.
  const callSeries = new Map<number, Series>();
  const errorSeries = new Map<number, Map<number, Series>>();
  const imported: AuditEvent[] = [];
  let newest = -Infinity;

  for (const event of events) {
    const time = event.time;
    if (now !== undefined && time >= now) continue;
    if (event.eventType === 'AwsCloudTrailInsight') {
      imported.push(event);
      continue;
    }
    if (time > newest) newest = time;
    let scopeId = scopeIndex.get(event.account)?.get(event.region);
    if (scopeId === undefined) {
      scopeId = idOf(scopeIndex, event.account, event.region, () => scopes.push({ account: event.account, region: event.region, first: time }) - 1);
    }
    const scope = scopes[scopeId];
    if (time < scope.first) scope.first = time;

    if (!event.management || event.eventType !== 'AwsApiCall') continue;
    const write = !event.readOnly;
    const errorCode = event.errorCode;
    if (!write && errorCode === undefined) continue;
    let apiId = apiIndex.get(event.eventSource)?.get(event.eventName);
    if (apiId === undefined) {
      apiId = idOf(apiIndex, event.eventSource, event.eventName, () => apis.push({ eventSource: event.eventSource, eventName: event.eventName }) - 1);
    }
    const { identity } = event;
    const identityId = tables.identities.id(identity.arn || identity.name || identity.principalId || NONE);
    const agentId = tables.agents.id(event.userAgent || NONE);
    const errorId = errorCode === undefined ? noError : tables.errors.id(errorCode);
    const key = apiId * 1_048_576 + scopeId;
    if (write) {
      let series = callSeries.get(key);
      if (!series) callSeries.set(key, (series = new Series(scopeId, apiId, -1)));
      series.push(time, identityId, agentId, errorId);
    }
    if (errorCode !== undefined) {
      let byCode = errorSeries.get(key);
      if (!byCode) errorSeries.set(key, (byCode = new Map()));
      let series = byCode.get(errorId);
      if (!series) byCode.set(errorId, (series = new Series(scopeId, apiId, errorId)));
      series.push(time, identityId, agentId, errorId);
    }
  }

  const insights = importInsights(imported);
  if (newest === -Infinity) return sortInsights(insights);
  const end = now ?? newest + 1;
  const settings: Settings = {
    bucketMs,
    baselineBuckets: Math.round((baselineDays * DAY_MS) / bucketMs),
    historyBuckets: Math.min(Math.round((baselineDays * DAY_MS) / bucketMs), Math.ceil(DAY_MS / bucketMs)),
    k,
    minCount,
    endBucket: Math.ceil(end / bucketMs),
    now: end,
  };
  const analyse = (series: Series, type: InsightType): void => {
    const excluded = new Set<number>();
    const scope = scopes[series.scope];
    const { eventSource, eventName } = apis[series.api];
    for (const run of unusualRuns(series, scope, settings, excluded)) {
      const errorCode = series.errorCode >= 0 ? tables.errors.values[series.errorCode] : undefined;
      const start = run.startBucket * bucketMs;
      const insight: Insight = {
        id: [type, scope.account, scope.region, eventSource, eventName, ...(errorCode ? [errorCode] : []), new Date(start).toISOString()].join('/'),
        type,
        origin: 'detected',
        eventSource,
        eventName,
        account: scope.account,
        region: scope.region,
        start,
        end: run.ongoing ? settings.now : run.endBucket * bucketMs,
        ongoing: run.ongoing,
        bucketMs,
        baselineAverage: run.mean,
        insightAverage: run.total / (run.endBucket - run.startBucket),
        baselineBuckets: run.baselineBuckets,
        threshold: run.threshold,
        attributions: attribute(series, run, excluded, tables, bucketMs),
        recordIds: [],
      };
      if (errorCode) insight.errorCode = errorCode;
      insights.push(insight);
    }
  };
  for (const series of callSeries.values()) analyse(series, 'ApiCallRateInsight');
  for (const byCode of errorSeries.values()) for (const series of byCode.values()) analyse(series, 'ApiErrorRateInsight');
  return sortInsights(insights);
}

function sortInsights(insights: Insight[]): Insight[] {
  return insights.sort((a, b) => a.start - b.start || a.type.localeCompare(b.type) || a.eventSource.localeCompare(b.eventSource) || a.eventName.localeCompare(b.eventName) || a.id.localeCompare(b.id));
}
