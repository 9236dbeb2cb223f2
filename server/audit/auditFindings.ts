// The Audit view's "Insights & detections": CloudTrail-Insights-style anomalies (insights.ts) and the
// CIS and exposure detections (detections.ts) over the two weeks up to the newest stored event —
// the questions `sightline audit insights` and `sightline audit detections` answer, on the same code.
//
// Reading events back is the cost: a million stored events take tens of seconds, most of it
// JSON.parse of the bodies. So the analysis is kept per UTC day: a day is read again only when the
// number of events the store holds for it changed (an import, a poll, retention dropping old
// segments), which the store's index tells without reading a body. An answer is then put together
// from the days' parts — per-series columns for the Insights, per-detection counts and newest
// samples for the detections — in milliseconds. Reading yields to the event loop every few tens of
// milliseconds, so the server keeps answering edits and hovers while a first analysis runs.
import type { AuditDetectionSample, AuditDetectionView, AuditFindings, AuditInsightAttribution, AuditInsightView } from '../protocol';
import { dayMs } from '../storage';
import type { AuditService } from './auditService';
import { detections, runDetections, type DetectionHit } from './detections';
import { analyseInsights, InsightEvents, insightDefaults, InsightTables, type Insight, type InsightAttribution } from './insights';
import type { AuditEvent } from './model';

/** Days the view covers, up to and including the newest stored event's. */
export const findingsWindowDays = 14;
const samplesPerDetection = 5;
/** Events handed to the detections at once. */
const chunkSize = 256;
/** Longest stretch of reading before other messages get their turn. */
const sliceMs = 25;
const severityOrder = { high: 0, medium: 1, low: 2 } as const;

/** One detection's matches in one day. */
interface DetectionTally {
  count: number;
  first: number;
  last: number;
  /** Newest first, at most samplesPerDetection. */
  samples: DetectionHit[];
}

interface DayPart {
  /** Events the store held for the day when it was read: the day is read again when this changes. */
  events: number;
  insights: InsightEvents;
  detections: Map<string, DetectionTally>;
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Two tallies as one, keeping the newest samples. */
function merge(a: DetectionTally | undefined, b: DetectionTally): DetectionTally {
  if (!a) return { ...b };
  return {
    count: a.count + b.count,
    first: Math.min(a.first, b.first),
    last: Math.max(a.last, b.last),
    samples: [...a.samples, ...b.samples].sort((x, y) => y.time - x.time).slice(0, samplesPerDetection),
  };
}

function sampleView(hit: DetectionHit): AuditDetectionSample {
  // `what` is "<service>:<eventName>".
  return { eventId: hit.eventId, eventName: hit.what.slice(hit.what.indexOf(':') + 1), time: hit.time, who: hit.who, resource: hit.resource, summary: hit.summary };
}

/** The detections that matched, from the days' tallies: most severe first, then most recently seen. */
function detectionViews(days: readonly Map<string, DetectionTally>[]): AuditDetectionView[] {
  const merged = new Map<string, DetectionTally>();
  for (const day of days) for (const [id, t] of day) merged.set(id, merge(merged.get(id), t));
  const views: AuditDetectionView[] = [];
  for (const detection of detections) {
    const t = merged.get(detection.id);
    if (!t) continue;
    const { id, title, severity, reference, rationale } = detection;
    views.push({ id, title, severity, reference, rationale, count: t.count, firstSeen: t.first, lastSeen: t.last, samples: t.samples.map(sampleView) });
  }
  return views.sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity] || b.lastSeen - a.lastSeen);
}

function attributionView(a: InsightAttribution): AuditInsightAttribution {
  return { value: a.value, insightAverage: a.insight.average, baselineAverage: a.baseline.average, insightShare: a.insight.share };
}

function insightView(insight: Insight): AuditInsightView {
  const { id, type, origin, eventSource, eventName, account, region, errorCode, start, end, ongoing, bucketMs, baselineAverage, insightAverage, threshold, recordIds } = insight;
  const view: AuditInsightView = {
    id, type, origin, eventSource, eventName, account, region, start, end, ongoing, bucketMs, baselineAverage, insightAverage, recordIds,
    identities: insight.attributions.identities.map(attributionView),
    userAgents: insight.attributions.userAgents.map(attributionView),
    errorCodes: insight.attributions.errorCodes.map(attributionView),
  };
  if (errorCode !== undefined) view.errorCode = errorCode;
  // A bucket is unusual over the threshold and with at least minCount in it (insights.ts).
  if (threshold !== undefined) view.unusualFrom = Math.max(insightDefaults.minCount, Math.floor(threshold) + 1);
  return view;
}

/** Insights and detections of an AuditService's store, kept per day and brought up to date on request. */
export class AuditFindingsCache {
  private readonly tables = new InsightTables();
  private days = new Map<number, DayPart>();
  private running: Promise<AuditFindings> | undefined;
  private last: { key: string; findings: AuditFindings } | undefined;
  /** Events read from the store by the last answer; the others came from days kept since. */
  lastRead = 0;

  constructor(private readonly service: AuditService) {}

  /**
   * The findings as of now. One analysis runs at a time: a request that comes in meanwhile waits
   * for it and then brings it up to date, which reads nothing when no day changed.
   */
  async findings(now = Date.now()): Promise<AuditFindings> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.analyse(now);
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async analyse(now: number): Promise<AuditFindings> {
    this.lastRead = 0;
    const storedEvents = this.service.eventCount;
    const newest = storedEvents > 0 ? this.service.lookup({ limit: 1 })[0]?.time : undefined;
    if (newest === undefined) {
      this.days.clear();
      return { storedEvents, from: now, to: now, events: 0, detectionsChecked: detections.length, detections: [], insights: [] };
    }
    const to = Math.min(newest, now);
    const lastDay = to - (to % dayMs);
    const from = lastDay - (findingsWindowDays - 1) * dayMs;
    const firstDay = from - insightDefaults.baselineDays * dayMs;

    const counts = new Map<number, number>();
    for (let day = firstDay; day <= lastDay; day += dayMs) {
      const count = this.service.store.count({ from: day, to: day + dayMs - 1 });
      if (count > 0) counts.set(day, count);
    }
    // The same days with the same counts, in the same minute (an insight still going on ends when
    // time moves on without it), give the same answer.
    const key = `${to} ${Math.floor(now / insightDefaults.bucketMs)} ${[...counts].join(' ')}`;
    if (this.last?.key === key) return this.last.findings;

    const days = new Map<number, DayPart>();
    for (const [day, count] of counts) {
      const kept = this.days.get(day);
      days.set(day, kept?.events === count ? kept : await this.read(day, count));
    }
    this.days = days;

    const parts = [...days.values()];
    const inWindow = [...days].filter(([day]) => day >= from).map(([, part]) => part);
    const historyFrom = Math.min(...parts.flatMap((part) => [...part.insights.first.values()]));
    const findings: AuditFindings = {
      storedEvents,
      from,
      to,
      events: inWindow.reduce((n, part) => n + part.events, 0),
      detectionsChecked: detections.length,
      detections: detectionViews(inWindow.map((part) => part.detections)),
      insights: analyseInsights(parts.map((part) => part.insights), { now }).filter((insight) => insight.end >= from).map(insightView),
    };
    if (Number.isFinite(historyFrom)) findings.historyFrom = historyFrom;
    this.last = { key, findings };
    return findings;
  }

  /** Reads one day's events into a new part, pausing now and then for other work. */
  private async read(day: number, count: number): Promise<DayPart> {
    const part: DayPart = { events: count, insights: new InsightEvents(this.tables), detections: new Map() };
    const detect = (chunk: AuditEvent[]) => {
      for (const hit of runDetections(chunk)) {
        part.detections.set(hit.detectionId, merge(part.detections.get(hit.detectionId), { count: 1, first: hit.time, last: hit.time, samples: [hit] }));
      }
    };
    let chunk: AuditEvent[] = [];
    let sliceStart = performance.now();
    // Events stored while this pauses are not in the query's answer; the day's count has changed
    // by then, so the next request reads the day again.
    for (const event of this.service.between(day, day + dayMs - 1)) {
      this.lastRead++;
      part.insights.add(event);
      chunk.push(event);
      if (chunk.length < chunkSize) continue;
      detect(chunk);
      chunk = [];
      if (performance.now() - sliceStart > sliceMs) {
        await pause();
        sliceStart = performance.now();
      }
    }
    detect(chunk);
    return part;
  }
}
