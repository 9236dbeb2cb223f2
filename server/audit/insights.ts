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
//
// Events are collected into parts (InsightEvents) that share their interned strings and series
// (InsightTables) and are analysed together: the CLI collects one part, the Audit view's server keeps
// one per day and collects again only the days whose events changed (auditFindings.ts).

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
  times: Float64Array;
  identities: Int32Array;
  agents: Int32Array;
  errors: Int32Array;

  constructor(capacity = 16) {
    this.times = new Float64Array(capacity);
    this.identities = new Int32Array(capacity);
    this.agents = new Int32Array(capacity);
    this.errors = new Int32Array(capacity);
  }

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
function unusualRuns(series: Series, coverageFrom: number, settings: Settings, excluded: Set<number>): UnusualRun[] {
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

  const coverageStart = Math.floor(coverageFrom / bucketMs);
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
function attribute(series: Series, run: UnusualRun, excluded: Set<number>, tables: InsightTables, bucketMs: number): InsightAttributions {
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
function idOf<K>(index: Map<K, Map<number | string, number>>, a: K, b: number | string, next: () => number): number {
  let inner = index.get(a);
  if (!inner) index.set(a, (inner = new Map()));
  let id = inner.get(b);
  if (id === undefined) inner.set(b, (id = next()));
  return id;
}

/** What one series counts: an API in an account and Region, and for error rates one error code. */
interface SeriesKey {
  scope: number;
  api: number;
  /** Id in the error table for an error-rate series, -1 for a call-rate series. */
  errorCode: number;
}

/**
 * The strings and series ids that every InsightEvents built on them shares, so the events of
 * separately collected parts (the server keeps one part per day) fall into the same series.
 */
export class InsightTables {
  readonly identities = new Interner();
  readonly agents = new Interner();
  readonly errors = new Interner();
  readonly noError = this.errors.id(NONE);
  readonly scopes: { account: string; region: string }[] = [];
  readonly apis: { eventSource: string; eventName: string }[] = [];
  readonly series: SeriesKey[] = [];
  private readonly scopeIndex = new Map<string, Map<number | string, number>>();
  private readonly apiIndex = new Map<string, Map<number | string, number>>();
  private readonly seriesIndex = new Map<number, Map<number | string, number>>();

  scopeId(account: string, region: string): number {
    return this.scopeIndex.get(account)?.get(region) ?? idOf(this.scopeIndex, account, region, () => this.scopes.push({ account, region }) - 1);
  }

  apiId(eventSource: string, eventName: string): number {
    return this.apiIndex.get(eventSource)?.get(eventName) ?? idOf(this.apiIndex, eventSource, eventName, () => this.apis.push({ eventSource, eventName }) - 1);
  }

  /** `errorCode` -1: the call-rate series. Keyed by api * 2^20 + scope (exact in a double), then error id. */
  seriesId(api: number, scope: number, errorCode: number): number {
    const key = api * 1_048_576 + scope;
    return this.seriesIndex.get(key)?.get(errorCode) ?? idOf(this.seriesIndex, key, errorCode, () => this.series.push({ scope, api, errorCode }) - 1);
  }
}

/**
 * The part of some events that Insights are computed from: per series, the time, identity, user
 * agent and error of each counted call; where each account and Region's logs start; and
 * CloudTrail's own Insights records. Parts on the same tables are analysed together by
 * analyseInsights, so a part can be collected once and kept while its events do not change.
 */
export class InsightEvents {
  readonly series = new Map<number, Series>();
  /** Earliest event per scope id: where that account and Region's logs start. */
  readonly first = new Map<number, number>();
  readonly imported: AuditEvent[] = [];
  /** Newest event that is not an Insights record; -Infinity without one. */
  newest = -Infinity;

  constructor(readonly tables: InsightTables) {}

  add(event: AuditEvent): void {
    const time = event.time;
    if (event.eventType === 'AwsCloudTrailInsight') {
      this.imported.push(event);
      return;
    }
    const { tables } = this;
    if (time > this.newest) this.newest = time;
    const scope = tables.scopeId(event.account, event.region);
    const first = this.first.get(scope);
    if (first === undefined || time < first) this.first.set(scope, time);

    if (!event.management || event.eventType !== 'AwsApiCall') return;
    const write = !event.readOnly;
    const errorCode = event.errorCode;
    if (!write && errorCode === undefined) return;
    const api = tables.apiId(event.eventSource, event.eventName);
    const { identity } = event;
    const identityId = tables.identities.id(identity.arn || identity.name || identity.principalId || NONE);
    const agentId = tables.agents.id(event.userAgent || NONE);
    const errorId = errorCode === undefined ? tables.noError : tables.errors.id(errorCode);
    if (write) this.push(tables.seriesId(api, scope, -1), time, identityId, agentId, errorId);
    if (errorCode !== undefined) this.push(tables.seriesId(api, scope, errorId), time, identityId, agentId, errorId);
  }

  private push(id: number, time: number, identity: number, agent: number, error: number): void {
    let series = this.series.get(id);
    if (!series) this.series.set(id, (series = new Series()));
    series.push(time, identity, agent, error);
  }
}

/** One series' events from every part, those before `now` only. */
function joined(parts: readonly Series[], now: number): Series {
  if (parts.length === 1 && now === Infinity) return parts[0];
  const out = new Series(Math.max(1, parts.reduce((n, part) => n + part.length, 0)));
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) if (part.times[i] < now) out.push(part.times[i], part.identities[i], part.agents[i], part.errors[i]);
  }
  return out;
}

/**
 * The Insights in `events`: those detected in their call and error rates, and CloudTrail's own
 * Insights records normalised to the same shape; sorted by start time. One pass over the events
 * (aggregated into typed columns per series), then one pass per series over its distinct buckets.
 */
export function detectInsights(events: Iterable<AuditEvent>, options: InsightOptions = {}): Insight[] {
  const part = new InsightEvents(new InsightTables());
  for (const event of events) part.add(event);
  return analyseInsights([part], options);
}

/** The Insights in parts collected on one InsightTables, as detectInsights finds them in all their events. */
export function analyseInsights(parts: readonly InsightEvents[], options: InsightOptions = {}): Insight[] {
  const bucketMs = options.bucketMs ?? insightDefaults.bucketMs;
  const baselineDays = options.baselineDays ?? insightDefaults.baselineDays;
  const k = options.k ?? insightDefaults.k;
  const minCount = options.minCount ?? insightDefaults.minCount;
  const now = options.now;
  const before = now ?? Infinity;
  if (parts.length === 0) return [];
  const tables = parts[0].tables;
  if (parts.some((part) => part.tables !== tables)) throw new Error('analyseInsights takes parts collected on the same InsightTables');

  const insights = importInsights(parts.flatMap((part) => part.imported.filter((event) => event.time < before)));
  const first = new Map<number, number>();
  let earliest = Infinity;
  let newest = -Infinity;
  for (const part of parts) {
    for (const [scope, time] of part.first) {
      if (time < (first.get(scope) ?? Infinity)) first.set(scope, time);
      if (time < earliest) earliest = time;
    }
    if (part.newest > newest) newest = part.newest;
  }
  if (earliest >= before) return sortInsights(insights);
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
  tables.series.forEach((key, id) => {
    const pieces = parts.flatMap((part) => part.series.get(id) ?? []);
    if (pieces.length === 0) return;
    const series = joined(pieces, before);
    const type: InsightType = key.errorCode < 0 ? 'ApiCallRateInsight' : 'ApiErrorRateInsight';
    const scope = tables.scopes[key.scope];
    const { eventSource, eventName } = tables.apis[key.api];
    const errorCode = key.errorCode >= 0 ? tables.errors.values[key.errorCode] : undefined;
    const excluded = new Set<number>();
    for (const run of unusualRuns(series, first.get(key.scope) ?? Infinity, settings, excluded)) {
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
  });
  return sortInsights(insights);
}

function sortInsights(insights: Insight[]): Insight[] {
  return insights.sort((a, b) => a.start - b.start || a.type.localeCompare(b.type) || a.eventSource.localeCompare(b.eventSource) || a.eventName.localeCompare(b.eventName) || a.id.localeCompare(b.id));
}
