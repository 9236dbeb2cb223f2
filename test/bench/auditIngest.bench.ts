// Ingest throughput of CloudTrail log files (issue 5, "Measured"): events per second through
// importAuditPaths over `.json.gz` files in the S3 delivery layout, written by the generator to a
// temp folder that is kept across runs, next to the physical floor — read + gunzip + JSON.parse
// alone, over the same files in the same run, one file after another and four at a time. Goal: at
// least 100k events/s (printed, not asserted).
//
// The import is measured as the server runs it (on 3 cores or more, worker threads read the files:
// the bundled dist/auditImportWorker.js, so run `node esbuild.mjs` first), with onBatch only
// counting; then the other way round for comparison (in one thread, or on worker threads, forced);
// then the whole "Import CloudTrail Logs…" path, with every batch appended to a fresh audit store
// (AuditService.ingest, fdatasync per batch as the server opens it). Each figure: wall and CPU time
// (the process's, all threads), the main thread's CPU time — the thread the server answers the
// editor on — and the longest the main thread was blocked, median of 3 runs. This machine may be
// shared: the load average is printed, and the CPU figures are the steadier ones.
// Run: node out/test/bench/auditIngest.bench.js   (SIGHTLINE_BENCH_AUDIT_FILES / _RECORDS_PER_FILE to resize)

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { gunzip, gunzipSync } from 'node:zlib';
import { AuditService } from '../../server/audit/auditService';
import { importAuditPaths, type ImportOptions } from '../../server/audit/readers';
import { dayMs, openStore } from '../../server/storage';
import { writeLogTree } from '../support/cloudTrailGenerator';
import { distDir } from '../support/paths';
import { goal, header, int, median } from './report';

const runs = Number(process.env.SIGHTLINE_BENCH_RUNS ?? 3);
const fileCount = Number(process.env.SIGHTLINE_BENCH_AUDIT_FILES ?? 1000);
const perFile = Number(process.env.SIGHTLINE_BENCH_AUDIT_RECORDS_PER_FILE ?? 200);
const goalPerSecond = 100_000;
const workerScript = join(distDir, 'auditImportWorker.js');

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

/** CPU time of the calling thread so far (Linux: /proc/thread-self); undefined elsewhere. */
function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

interface Timing {
  /** Wall time per run. */
  ms: number[];
  /** Process CPU time per run: every thread (workers, zlib on libuv's pool, GC helpers). */
  cpuMs: number[];
  /** The main thread's CPU time per run (10 ms ticks), when the platform tells. */
  mainCpuMs: number[];
  /** The longest the main thread's event loop was held up, per run. */
  blockedMs: number[];
  events: number;
  /** Worker threads the import used (ImportResult.workers). */
  workers?: number;
}

interface Run {
  events: number;
  workers?: number;
}

async function timed(fn: () => Promise<Run>): Promise<Timing> {
  const timing: Timing = { ms: [], cpuMs: [], mainCpuMs: [], blockedMs: [], events: 0 };
  for (let i = 0; i < runs; i++) {
    const delay = monitorEventLoopDelay({ resolution: 5 });
    const cpu = process.cpuUsage();
    const mainCpu = threadCpuMs();
    const started = performance.now();
    delay.enable();
    const run = await fn();
    delay.disable();
    timing.ms.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    timing.cpuMs.push((used.user + used.system) / 1000);
    const mainCpuAfter = threadCpuMs();
    if (mainCpu !== undefined && mainCpuAfter !== undefined) timing.mainCpuMs.push(mainCpuAfter - mainCpu);
    timing.blockedMs.push(delay.max / 1e6);
    timing.events = run.events;
    timing.workers = run.workers;
  }
  return timing;
}

async function importCounting(root: string, options: Partial<ImportOptions>): Promise<Run> {
  let events = 0;
  const result = await importAuditPaths([join(root, 'AWSLogs')], { ...options, onBatch: (batch) => { events += batch.length; } });
  if (result.problems.length) throw new Error(`import reported problems: ${result.problems.slice(0, 3).join('; ')}`);
  return { events, workers: result.workers };
}

/** The server's import: batches appended to an audit store opened as the server opens it (fresh each run). */
async function importStoring(root: string, options: Partial<ImportOptions>): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-audit-store-'));
  try {
    const { store } = openStore(dir, { name: 'audit', retention: { maxAgeMs: 400 * dayMs } });
    const service = new AuditService(store);
    let inserted = 0;
    try {
      const result = await importAuditPaths([join(root, 'AWSLogs')], {
        ...options,
        onBatch: (batch) => {
          inserted += service.ingest(batch).inserted;
        },
      });
      if (result.problems.length) throw new Error(`import reported problems: ${result.problems.slice(0, 3).join('; ')}`);
      return { events: inserted, workers: result.workers };
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function gunzipAsync(bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => gunzip(bytes, (error, out) => (error ? reject(error) : resolve(out))));
}

async function floorSequential(files: string[]): Promise<Run> {
  let events = 0;
  for (const file of files) {
    const doc = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { Records: unknown[] };
    events += doc.Records.length;
  }
  return { events };
}

async function floorConcurrent(files: string[], concurrency: number): Promise<Run> {
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
  return { events };
}

/** `blocking`: print how long the main thread was held up at a time (not for the synchronous floor, which never lets go of it). */
function line(label: string, result: Timing, blocking = true): string {
  const wall = median(result.ms);
  const cpu = median(result.cpuMs);
  const main = result.mainCpuMs.length ? `; main thread CPU ${(median(result.mainCpuMs) / 1000).toFixed(2).padStart(5)} s` : '';
  return `    ${label.padEnd(58)} wall ${(wall / 1000).toFixed(2).padStart(5)} s (runs ${result.ms.map((t) => (t / 1000).toFixed(2)).join(', ')}) → ${int(result.events / (wall / 1000)).padStart(7)} events/s;`
    + ` CPU ${(cpu / 1000).toFixed(2).padStart(5)} s → ${int(result.events / (cpu / 1000)).padStart(7)} events per CPU-second${main}`
    + (blocking ? `; main thread blocked ≤ ${median(result.blockedMs).toFixed(0)} ms at a time` : '');
}

const threads = (workers: number | undefined) => (workers ? `${workers} worker threads` : 'in one thread');

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

async function main(): Promise<void> {
  if (!existsSync(workerScript)) throw new Error(`${workerScript} is missing: build the product first (node esbuild.mjs)`);
  const { root, manifest, built, ms } = await logTree();
  header('Audit ingest: importAuditPaths over CloudTrail .json.gz files');
  console.log(`  log tree ${root} (${built ? `written now in ${(ms / 1000).toFixed(1)} s` : 'cached'}): ${int(manifest.files.length)} files, ${int(manifest.records)} records, ${(manifest.bytes / 1024 / 1024).toFixed(1)} MB gzip`);
  console.log(`  median of ${runs} runs, on a ${cpus().length}-core machine (${cpus()[0]?.model ?? '?'}), Node ${process.version}; load average ${load()} at the start\n`);

  const asServer = await timed(() => importCounting(root, { workerScript }));
  // The other way of reading, for comparison: in one thread if the server used workers, else on workers.
  const otherWay: Partial<ImportOptions> = asServer.workers ? { workers: 0 } : { workers: Math.min(availableParallelism(), 4), workerScript };
  const other = await timed(() => importCounting(root, otherWay));
  const storing = await timed(() => importStoring(root, { workerScript }));
  const sequential = await timed(() => floorSequential(manifest.files));
  const concurrent = await timed(() => floorConcurrent(manifest.files, 4));
  for (const [label, timing] of [['as the server', asServer], ['other way', other], ['store', storing], ['floor', sequential]] as const) {
    if (timing.events !== manifest.records) throw new Error(`${label}: ${timing.events} events, but ${manifest.records} were written`);
  }

  console.log(line(`importAuditPaths as the server runs it: ${threads(asServer.workers)}`, asServer));
  console.log(line(`importAuditPaths, ${threads(other.workers)} (forced)`, other));
  console.log(line(`as the server + AuditService.ingest into a store`, storing));
  console.log(line('floor: readFileSync + gunzipSync + JSON.parse', sequential, false));
  console.log(line('floor: same, async, 4 files at a time', concurrent));
  console.log('    (onBatch only counts in the first two; the store line is the whole "Import CloudTrail Logs…" path)');
  const ratio = (ours: Timing, floor: Timing, key: 'ms' | 'cpuMs') => (median(ours[key]) / median(floor[key])).toFixed(2);
  console.log('\n  import time / floor time (1.00 = as fast as the sequential floor):');
  for (const [label, timing] of [[`as the server (${threads(asServer.workers)})`, asServer], [`${threads(other.workers)} (forced)`, other], ['with the store', storing]] as const) {
    console.log(`    ${label.padEnd(36)} wall ${ratio(timing, sequential, 'ms')}×, CPU ${ratio(timing, sequential, 'cpuMs')}×`);
  }
  const perSecond = asServer.events / (median(asServer.ms) / 1000);
  console.log(`\n  goal ≥ ${int(goalPerSecond)} events/s (wall, import as the server runs it, onBatch counting): ${int(perSecond)} events/s — ${goal(perSecond >= goalPerSecond)}`);
  console.log(`  load average at the end: ${load()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
