// The Audit view's Insights & detections over a store of a million events (issue 5): the first
// answer, which reads every event of the three weeks it covers back from the store; the same
// question again (nothing changed: no event read); the answer after an import into one day (that
// day read again); and how long the server's event loop waited at most while the first answer was
// being read — the longest stretch in which the server could not answer an edit or a hover.
// The events are generated CloudTrail records, a pool of distinct records each stored again with
// its own eventID and time, spread over 21 days. Printed, not asserted.
// Run: node out/test/bench/auditFindings.bench.js   (SIGHTLINE_BENCH_AUDIT_EVENTS to resize)
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditFindingsCache } from '../../server/audit/auditFindings';
import { AuditService } from '../../server/audit/auditService';
import { toAuditEvent, type AuditEvent } from '../../server/audit/model';
import { Store } from '../../server/store/store';
import { CloudTrailGenerator } from '../support/cloudTrailGenerator';
import { header, int, ms, percentile } from './report';

const total = Number(process.env.SIGHTLINE_BENCH_AUDIT_EVENTS ?? 1_000_000);
const days = 21;
const now = Date.now();
const start = now - days * 86_400_000;

function convert(record: unknown): AuditEvent {
  const result = toAuditEvent(record);
  if (!result.event) throw new Error(result.problem);
  return result.event;
}

const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-findings-'));
const store = Store.open(dir, { name: 'audit', durable: false, retention: { maxAgeMs: Infinity, maxBytes: Infinity } });
const service = new AuditService(store);
const pool = new CloudTrailGenerator(42).records(Math.min(total, 20_000), { account: '111122223333', region: 'us-east-1', start, end: now }).map(convert);
const built = performance.now();
let batch: AuditEvent[] = [];
for (let i = 0; i < total; i++) {
  const base = pool[i % pool.length];
  batch.push({ ...base, id: `${base.id.slice(0, 24)}${String(i).padStart(12, '0')}`, time: start + Math.floor((i / total) * (now - start)) });
  if (batch.length === 10_000 || i === total - 1) {
    service.ingest(batch);
    batch = [];
  }
}
header(`Insights & detections over ${int(total)} stored events (${days} days)`);
console.log(`stored in ${ms(performance.now() - built)}; ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);

async function timed(label: string, cache: AuditFindingsCache): Promise<void> {
  const started = performance.now();
  const findings = await cache.findings();
  console.log(`${label.padEnd(40)} ${ms(performance.now() - started).padStart(12)}   ${int(cache.lastRead).padStart(10)} events read   ${findings.detections.length} detections, ${findings.insights.length} insights`);
}

async function main(): Promise<void> {
  const cache = new AuditFindingsCache(service);
  const gaps: number[] = [];
  let last = performance.now();
  const ticker = setInterval(() => {
    const tick = performance.now();
    gaps.push(tick - last);
    last = tick;
  }, 1);
  await timed('first answer', cache);
  clearInterval(ticker);
  await timed('again, nothing changed', cache);
  service.ingest(pool.slice(0, 1000).map((event, i) => ({ ...event, id: `later-${i}`, time: now - 1000 - i })));
  await timed('after 1,000 events arrived today', cache);
  console.log(`\nevent loop during the first answer: longest wait ${ms(Math.max(...gaps))}, p99 ${ms(percentile(gaps, 99))}, median ${ms(percentile(gaps, 50))}`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
