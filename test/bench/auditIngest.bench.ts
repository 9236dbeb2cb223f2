// Ingest throughput of CloudTrail log files (issue 5, "Measured"): events per second through
// importAuditPaths (onBatch only counts) over `.json.gz` files in the S3 delivery layout, written
// by the generator to a temp folder that is kept across runs; and, over the same files in the same
// run, the physical floor — read + gunzip + JSON.parse alone, one file after another, and with the
// same four files at a time the reader uses. Median of 3 runs each. Goal: at least 100k events/s
// (printed, not asserted).
// Run: node out/test/bench/auditIngest.bench.js   (SIGHTLINE_BENCH_AUDIT_FILES / _RECORDS_PER_FILE to resize)

import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzip, gunzipSync } from 'node:zlib';
import { importAuditPaths } from '../../server/audit/readers';
import { writeLogTree } from '../support/cloudTrailGenerator';
import { goal, header, int, median } from './report';

const runs = Number(process.env.SIGHTLINE_BENCH_RUNS ?? 3);
const fileCount = Number(process.env.SIGHTLINE_BENCH_AUDIT_FILES ?? 1000);
const perFile = Number(process.env.SIGHTLINE_BENCH_AUDIT_RECORDS_PER_FILE ?? 200);
const goalPerSecond = 100_000;

interface Manifest {
  files: string[];
  records: number;
  bytes: number;
}

async function logTree(): Promise<{ root: string; manifest: Manifest; built: boolean; ms: number }> {
  // 2 accounts × 2 Regions × days × 25 files a day.
  const days = Math.max(1, Math.round(fileCount / 100));
  const root = join(tmpdir(), 'sightline-bench', `audit-logs-v2-${days * 100}x${perFile}`);
  const manifestPath = join(root, 'manifest.json');
  if (existsSync(manifestPath)) return { root, manifest: JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest, built: false, ms: 0 };
  rmSync(root, { recursive: true, force: true });
  const started = performance.now();
  const tree = await writeLogTree(root, { accounts: 2, regions: 2, days, filesPerDay: 25, recordsPerFile: perFile, seed: 42 });
  const manifest: Manifest = { files: tree.files, records: tree.records, bytes: tree.bytes };
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return { root, manifest, built: true, ms: performance.now() - started };
}

interface Timing {
  /** Wall time per run. */
  ms: number[];
  /** Process CPU time per run (all threads: zlib works on libuv's pool), less sensitive to a busy machine. */
  cpuMs: number[];
  events: number;
}

async function timed(fn: () => Promise<number>): Promise<Timing> {
  const ms: number[] = [];
  const cpuMs: number[] = [];
  let events = 0;
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    events = await fn();
    ms.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
  }
  return { ms, cpuMs, events };
}

function gunzipAsync(bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => gunzip(bytes, (error, out) => (error ? reject(error) : resolve(out))));
}

async function floorSequential(files: string[]): Promise<number> {
  let events = 0;
  for (const file of files) {
    const doc = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { Records: unknown[] };
    events += doc.Records.length;
  }
  return events;
}

async function floorConcurrent(files: string[], concurrency: number): Promise<number> {
  let events = 0;
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++];
      const doc = JSON.parse((await gunzipAsync(await readFile(file))).toString('utf8')) as { Records: unknown[] };
      events += doc.Records.length;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return events;
}

function line(label: string, result: Timing): string {
  const m = median(result.ms);
  const cpu = median(result.cpuMs);
  return `    ${label.padEnd(44)} wall ${(m / 1000).toFixed(2).padStart(6)} s (runs ${result.ms.map((t) => (t / 1000).toFixed(2)).join(', ')}) → ${int(result.events / (m / 1000)).padStart(9)} events/s;`
    + ` CPU ${(cpu / 1000).toFixed(2).padStart(6)} s → ${int(result.events / (cpu / 1000)).padStart(9)} events per CPU-second`;
}

async function main(): Promise<void> {
  const { root, manifest, built, ms } = await logTree();
  header('Audit ingest: importAuditPaths over CloudTrail .json.gz files');
  console.log(`  log tree ${root} (${built ? `written now in ${(ms / 1000).toFixed(1)} s` : 'cached'}): ${int(manifest.files.length)} files, ${int(manifest.records)} records, ${(manifest.bytes / 1024 / 1024).toFixed(1)} MB gzip`);
  console.log(`  wall time, median of ${runs} runs, on a ${cpus().length}-core machine, Node ${process.version}\n`);

  const ours = await timed(async () => {
    let events = 0;
    const result = await importAuditPaths([join(root, 'AWSLogs')], { onBatch: (batch) => { events += batch.length; } });
    if (result.problems.length) throw new Error(`import reported problems: ${result.problems.slice(0, 3).join('; ')}`);
    return events;
  });
  const sequential = await timed(() => floorSequential(manifest.files));
  const concurrent = await timed(() => floorConcurrent(manifest.files, 4));
  if (ours.events !== manifest.records || sequential.events !== manifest.records) {
    throw new Error(`event counts differ: import ${ours.events}, floor ${sequential.events}, written ${manifest.records}`);
  }

  console.log(line('importAuditPaths (onBatch counts)', ours));
  console.log(line('floor: readFileSync + gunzipSync + JSON.parse', sequential));
  console.log(line('floor: same, async, 4 files at a time', concurrent));
  const perSecond = ours.events / (median(ours.ms) / 1000);
  const ratio = (floor: Timing, key: 'ms' | 'cpuMs') => (median(ours[key]) / median(floor[key])).toFixed(2);
  console.log(`\n  import time / floor time (1.00 = as fast as the floor): wall ${ratio(sequential, 'ms')}× sequential, ${ratio(concurrent, 'ms')}× concurrent;`
    + ` CPU ${ratio(sequential, 'cpuMs')}× sequential, ${ratio(concurrent, 'cpuMs')}× concurrent`);
  console.log(`  goal ≥ ${int(goalPerSecond)} events/s (wall): ${int(perSecond)} events/s — ${goal(perSecond >= goalPerSecond)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
