// Detections and Insights over a million audit events (issue 5, "Insights and detections"): events
// per second through runDetections (every registered detection on every event) and detectInsights
// (call- and error-rate series per account, Region and API, 7-day baselines, 1-minute buckets), next
// to the floor of one loop reading each event's fields. The events are generated CloudTrail records
// (2 accounts × 2 Regions, spread over 14 days) converted with toAuditEvent: a pool of distinct
// records, each repeated with its own eventID and time so a million events fit in memory; plus one
// planted burst of RunInstances and a few of CloudTrail's own Insights pairs, so both kinds of
// insight are found. Wall and CPU time, median of SIGHTLINE_BENCH_RUNS runs (default 3); printed,
// not asserted.
// Run: node out/test/bench/auditAnalysis.bench.js   (SIGHTLINE_BENCH_AUDIT_EVENTS to resize)

import { cpus, loadavg } from 'node:os';
import { detections, runDetections } from '../../server/audit/detections';
import { detectInsights } from '../../server/audit/insights';
import { toAuditEvent, type AuditEvent } from '../../server/audit/model';
import { CloudTrailGenerator } from '../support/cloudTrailGenerator';
import { header, int, median, ms } from './report';

const runs = Number(process.env.SIGHTLINE_BENCH_RUNS ?? 3);
const total = Number(process.env.SIGHTLINE_BENCH_AUDIT_EVENTS ?? 1_000_000);
const poolSize = Math.min(total, 60_000);
const days = 14;
const start = Date.parse('2026-01-05T00:00:00Z');
const span = days * 86_400_000;

function convert(record: unknown): AuditEvent {
  const result = toAuditEvent(record);
  if (!result.event) throw new Error(result.problem);
  return result.event;
}

function buildEvents(): { events: AuditEvent[]; burst: number; imported: number } {
  const generator = new CloudTrailGenerator(42);
  const pool: AuditEvent[] = [];
  for (const account of ['111122223333', '444455556666']) {
    for (const region of ['us-east-1', 'eu-west-1']) {
      for (const record of generator.records(poolSize / 4, { account, region, start, end: start + span })) pool.push(convert(record));
    }
  }
  // Ten minutes of 400 RunInstances a minute on day 10, in one account and Region.
  const runInstances = pool.find((e) => e.eventName === 'RunInstances' && e.account === '111122223333' && e.region === 'us-east-1' && !e.errorCode)!;
  const burstStart = start + 10 * 86_400_000 + 13 * 3_600_000;
  const burst = 4_000;
  const pairs = Array.from({ length: 4 }, (_, i) => generator.insightPair({ account: '444455556666', region: 'eu-west-1', time: start + (8 + i) * 86_400_000 })).flat().map(convert);

  const events = new Array<AuditEvent>(total);
  const spread = total - burst - pairs.length;
  for (let i = 0; i < spread; i++) {
    const base = pool[i % pool.length];
    events[i] = { ...base, id: `${base.id.slice(0, 24)}${String(i).padStart(12, '0')}`, time: start + Math.floor((i / spread) * span) };
  }
  for (let i = 0; i < burst; i++) {
    events[spread + i] = { ...runInstances, id: `burst-${i}`, time: burstStart + Math.floor((i / burst) * 600_000) };
  }
  pairs.forEach((pair, i) => (events[spread + burst + i] = pair));
  return { events, burst, imported: pairs.length };
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function time(work: () => void): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    work();
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

function line(label: string, timing: Timing, count: number, extra = ''): void {
  console.log(`${label.padEnd(34)} ${ms(timing.wallMs).padStart(10)} wall ${ms(timing.cpuMs).padStart(10)} cpu ${int((count / timing.wallMs) * 1000).padStart(12)} events/s${extra}`);
}

const built = performance.now();
const { events, burst, imported } = buildEvents();
header(`Audit analysis over ${int(events.length)} events (${int(poolSize)} distinct records, ${days} days, ${burst} planted RunInstances, ${imported} CloudTrail Insights records)`);
console.log(`built in ${ms(performance.now() - built)}; ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, median of ${runs} runs\n`);

let succeeded = 0;
const floor = time(() => {
  succeeded = 0;
  for (const event of events) if (event.eventName.length > 0 && event.errorCode === undefined) succeeded++;
});
line('floor: one loop over the fields', floor, events.length, `   ${int(succeeded)} without an error`);

let hits = runDetections(events);
const detectionTiming = time(() => {
  hits = runDetections(events);
});
line(`runDetections (${detections.length} detections)`, detectionTiming, events.length, `   ${int(hits.length)} hits`);

let insights = detectInsights(events);
const insightTiming = time(() => {
  insights = detectInsights(events);
});
const detected = insights.filter((i) => i.origin === 'detected');
line('detectInsights', insightTiming, events.length, `   ${detected.length} detected, ${insights.length - detected.length} from CloudTrail`);

console.log('\nhits per detection:');
const perDetection = new Map<string, number>();
for (const hit of hits) perDetection.set(hit.detectionId, (perDetection.get(hit.detectionId) ?? 0) + 1);
for (const d of detections) console.log(`  ${d.id.padEnd(48)} ${int(perDetection.get(d.id) ?? 0).padStart(8)}`);
console.log('\ndetected insights:');
for (const insight of detected) {
  console.log(`  ${insight.type} ${insight.account} ${insight.region} ${insight.eventSource} ${insight.eventName}${insight.errorCode ? ` ${insight.errorCode}` : ''} ${new Date(insight.start).toISOString()} +${(insight.end - insight.start) / 60_000} min: ${insight.baselineAverage.toFixed(2)} → ${insight.insightAverage.toFixed(1)} a minute`);
}
