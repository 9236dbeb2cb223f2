// Trace ingest speed (issue 4, "Measured"): spans per second read by readTraces() from bytes, for
// OTLP/JSON (spec form: decimal-string times; and exporters' bare-number times, which need the
// quoting pass), OTLP/protobuf request bodies, and X-Ray segment documents (daemon lines), each next
// to its floor: JSON.parse of the same bytes, or protobufjs decoding the same bodies into messages
// (with the official definitions as they are). Then the real file-import path: importTraces over a
// folder of OTLP/JSON files, in this thread and on worker threads, into a sink that only counts and
// into the server's sink (TraceService over a durable Store), next to JSON.parse of the same files;
// and one 100 MB OTLP/JSON file, imported (split into runs on the workers) and read by a fresh
// process for its peak memory. Goal: ≥ 200k spans/s for OTLP/JSON on this machine (printed, not
// asserted). Wall and CPU time (all threads of the process), median of SIGHTLINE_BENCH_RUNS runs
// (default 5); for imports also this thread's own CPU time and the longest it went without turning
// its event loop (what a request to the server would wait).
// Run: node out/test/bench/traceIngest.bench.js (after `node esbuild.mjs`: the workers run dist/traceImportWorker.js)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Store } from '../../server/store/store';
import { readTraces } from '../../server/traces/formats/detect';
import { importTraces, type ImportSink } from '../../server/traces/importTraces';
import { TraceService } from '../../server/traces/traceService';
import { WorkspaceFiles } from '../../server/workspaceFiles';
import { distDir } from '../support/paths';
import { exportTraceServiceRequest, otlpJsonDocument, otlpProtobuf, otlpRequests, xrayDocuments } from '../unit/traces/syntheticTraces';
import { goal, header, int, median, ms, procMemory } from './report';

const runs = Number(process.env.SIGHTLINE_BENCH_RUNS ?? 5);
const spanCount = Number(process.env.SIGHTLINE_BENCH_SPANS ?? 200_000);
const goalSpansPerSecond = 200_000;

interface Timing {
  wallMs: number;
  /** This process's CPU time (all its threads: GC helpers too): steadier than wall time on a shared machine. */
  cpuMs: number;
}

function time(work: () => void): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    work();
    const used = process.cpuUsage(cpuStart);
    wall.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

function expectSpans(label: string, read: () => { spans: unknown[]; problems: string[] }, expected: number): void {
  const result = read();
  if (result.spans.length !== expected || result.problems.length > 0) {
    throw new Error(`${label}: read ${result.spans.length} of ${expected} spans; problems: ${result.problems.slice(0, 3).join('; ')}`);
  }
}

function row(label: string, bytes: number, read: Timing, floor: Timing, floorName: string): void {
  const rate = (t: number) => int(spanCount / (t / 1000)).padStart(9);
  console.log(`${label.padEnd(34)} ${(bytes / 2 ** 20).toFixed(1).padStart(6)} MiB  wall ${ms(read.wallMs).padStart(10)} ${rate(read.wallMs)} spans/s  cpu ${ms(read.cpuMs).padStart(10)} ${rate(read.cpuMs)} spans/s`);
  console.log(`${''.padEnd(34)} ${floorName}: wall ${ms(floor.wallMs)}, cpu ${ms(floor.cpuMs)} → ratio ×${(read.wallMs / floor.wallMs).toFixed(2)} wall, ×${(read.cpuMs / floor.cpuMs).toFixed(2)} cpu`);
}

/** `--read-file <path>`: the child that reads one file and reports on stdout. */
function readFileAndReport(path: string): void {
  const bytes = readFileSync(path);
  const before = procMemory(process.pid);
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const result = readTraces(bytes, 'big.json');
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = performance.now() - started;
  const after = procMemory(process.pid);
  process.stdout.write(JSON.stringify({
    mib: bytes.length / 2 ** 20, spans: result.spans.length, problems: result.problems.length, wallMs, cpuMs: (cpu.user + cpu.system) / 1000,
    rssBeforeMib: before.rss / 2 ** 20, peakMib: after.hwm / 2 ** 20,
  }));
}

if (process.argv[2] === '--read-file') {
  readFileAndReport(process.argv[3]);
  process.exit(0);
}

header(`Trace ingest: ${int(spanCount)} spans, median of ${runs} runs`);
const requests = otlpRequests(spanCount);

const jsonText = otlpJsonDocument(requests);
const jsonBytes = Buffer.from(jsonText);
expectSpans('OTLP/JSON', () => readTraces(jsonBytes), spanCount);
const jsonMs = time(() => readTraces(jsonBytes, 'traces.json'));
const jsonFloor = time(() => JSON.parse(jsonBytes.toString('utf8')));
row('OTLP/JSON (string times)', jsonBytes.length, jsonMs, jsonFloor, 'JSON.parse');

const bareBytes = Buffer.from(otlpJsonDocument(requests, true));
expectSpans('OTLP/JSON bare numbers', () => readTraces(bareBytes), spanCount);
const bareMs = time(() => readTraces(bareBytes, 'traces.json'));
const bareFloor = time(() => JSON.parse(bareBytes.toString('utf8')));
row('OTLP/JSON (bare-number times)', bareBytes.length, bareMs, bareFloor, 'JSON.parse');

const bodies = requests.map(otlpProtobuf);
const protobufBytes = bodies.reduce((n, b) => n + b.length, 0);
const type = exportTraceServiceRequest();
let decoded = 0;
for (const body of bodies) decoded += readTraces(body).spans.length;
if (decoded !== spanCount) throw new Error(`OTLP/protobuf: read ${decoded} of ${spanCount} spans`);
const protobufMs = time(() => {
  for (const body of bodies) readTraces(body, 'body.pb');
});
const protobufFloor = time(() => {
  for (const body of bodies) type.decode(body);
});
row(`OTLP/protobuf (${bodies.length} request bodies)`, protobufBytes, protobufMs, protobufFloor, 'protobufjs decode');

const xrayLines = xrayDocuments(spanCount).map((d) => `{"format":"json","version":1}\n${d}`).join('\n');
const xrayBytes = Buffer.from(xrayLines);
expectSpans('X-Ray', () => readTraces(xrayBytes), spanCount);
const xrayMs = time(() => readTraces(xrayBytes, 'segments.jsonl'));
const xrayFloor = time(() => {
  for (const line of xrayBytes.toString('utf8').split('\n')) JSON.parse(line);
});
row('X-Ray documents (daemon lines)', xrayBytes.length, xrayMs, xrayFloor, 'JSON.parse per line');

console.log(`OTLP/JSON goal ≥ ${int(goalSpansPerSecond)} spans/s: ${goal(spanCount / (jsonMs.wallMs / 1000) >= goalSpansPerSecond)} (wall), ${goal(spanCount / (jsonMs.cpuMs / 1000) >= goalSpansPerSecond)} (cpu); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);

interface ImportTiming extends Timing {
  /** CPU time of this thread alone: what the server's thread spends on the import. */
  mainCpuMs: number;
  /** The longest this thread went without turning its event loop. */
  stallMs: number;
}

/** CPU time of this process's main thread, from /proc (Linux; 10 ms ticks). */
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function timeImport(work: () => Promise<void>, times = runs): Promise<ImportTiming> {
  const samples: ImportTiming[] = [];
  for (let i = 0; i < times; i++) {
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    // The sampling timer must be running before the work starts, or a first stretch without a turn goes unseen.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const mainStart = mainThreadCpuMs();
    await work();
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpuStart);
    const mainCpuMs = mainThreadCpuMs() - mainStart;
    // The sampling timer records a stall when it next runs: an import that never yields shows here.
    await new Promise((resolve) => setTimeout(resolve, 20));
    delay.disable();
    samples.push({ wallMs, cpuMs: (used.user + used.system) / 1000, mainCpuMs, stallMs: delay.max / 1e6 });
  }
  const of = (key: keyof ImportTiming) => median(samples.map((s) => s[key]));
  return { wallMs: of('wallMs'), cpuMs: of('cpuMs'), mainCpuMs: of('mainCpuMs'), stallMs: of('stallMs') };
}

function importRow(label: string, spans: number, t: ImportTiming, floor: Timing): void {
  const rate = (ms: number) => int(spans / (ms / 1000)).padStart(9);
  console.log(`${label.padEnd(34)} wall ${ms(t.wallMs).padStart(10)} ${rate(t.wallMs)} spans/s  cpu ${ms(t.cpuMs).padStart(10)} ${rate(t.cpuMs)} spans/s  (×${(t.wallMs / floor.wallMs).toFixed(2)} wall, ×${(t.cpuMs / floor.cpuMs).toFixed(2)} cpu of JSON.parse)`);
  console.log(`${''.padEnd(34)} this thread: cpu ${ms(t.mainCpuMs)}, longest stall ${ms(t.stallMs)}`);
}

const countingSink: ImportSink = { ingest: (spans) => ({ inserted: spans.length, duplicates: 0, replaced: 0 }) };

/** Imports `paths` and checks that every span arrived with no problem. */
async function importAll(paths: string[], sink: ImportSink, expected: number, workers: number): Promise<void> {
  const summary = await importTraces(paths, sink, () => undefined, () => false, { workers, workerScript });
  if (summary.spans !== expected || summary.problems.length > 0) throw new Error(`import: ${summary.spans} of ${expected} spans; problems: ${summary.problems.slice(0, 3).join('; ')}`);
}

/** A fresh TraceService over a durable store (as the server opens it) per run, so every run inserts every span. */
async function importIntoStore(paths: string[], expected: number, workers: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-trace-store-'));
  // The synthetic spans start at 1.7e18 ns: a clock just after them keeps retention from expiring them.
  const store = Store.open(dir, { name: 'spans', now: () => 1_700_000_000_000 + 86_400_000 });
  try {
    const service = new TraceService(store, new WorkspaceFiles([dir], () => []), () => ({ pathMappings: {}, windowMs: 86_400_000, sloMs: {} }));
    await importAll(paths, { ingest: (spans) => service.ingest(spans) }, expected, workers);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const workerScript = join(distDir, 'traceImportWorker.js');
const workers = Math.min(availableParallelism(), 4);
const files = 20;
const perFile = Math.round(spanCount / files);

async function importFigures(): Promise<void> {
  if (!existsSync(workerScript)) throw new Error(`${workerScript} is missing: run \`node esbuild.mjs\` first`);
  const folder = mkdtempSync(join(tmpdir(), 'sightline-trace-import-'));
  const bigPath = join(tmpdir(), `sightline-trace-ingest-${process.pid}.json`);
  try {
    for (let i = 0; i < files; i++) writeFileSync(join(folder, `traces-${String(i).padStart(2, '0')}.json`), otlpJsonDocument(otlpRequests(perFile, i + 1)));
    const contents = readdirSync(folder).map((name) => readFileSync(join(folder, name)));
    const bytes = contents.reduce((n, b) => n + b.length, 0);
    const total = files * perFile;
    header(`importTraces over a folder: ${files} OTLP/JSON files × ${int(perFile)} spans (${(bytes / 2 ** 20).toFixed(1)} MiB), median of ${runs} runs`);
    const floor = time(() => {
      for (const content of contents) JSON.parse(content.toString('utf8'));
    });
    console.log(`${'JSON.parse of the same bytes'.padEnd(34)} wall ${ms(floor.wallMs).padStart(10)} ${int(total / (floor.wallMs / 1000)).padStart(9)} spans/s  cpu ${ms(floor.cpuMs).padStart(10)} ${int(total / (floor.cpuMs / 1000)).padStart(9)} spans/s`);
    importRow('counting sink, this thread', total, await timeImport(() => importAll([folder], countingSink, total, 0)), floor);
    const pooled = await timeImport(() => importAll([folder], countingSink, total, workers));
    importRow(`counting sink, ${workers} workers`, total, pooled, floor);
    importRow('server sink (store), this thread', total, await timeImport(() => importIntoStore([folder], total, 0)), floor);
    importRow(`server sink (store), ${workers} workers`, total, await timeImport(() => importIntoStore([folder], total, workers)), floor);
    console.log(`Import goal ≥ ${int(goalSpansPerSecond)} spans/s (counting sink, ${workers} workers): ${goal(total / (pooled.wallMs / 1000) >= goalSpansPerSecond)} (wall); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);

    const perSpan = jsonBytes.length / spanCount;
    writeFileSync(bigPath, otlpJsonDocument(otlpRequests(Math.round((100 * 2 ** 20) / perSpan), 2)));
    const bigSpans = readTraces(readFileSync(bigPath)).spans.length;
    header(`One 100 MB OTLP/JSON file (${int(bigSpans)} spans), counting sink, median of ${runs} runs`);
    const bigFloor = time(() => JSON.parse(readFileSync(bigPath, 'utf8')));
    importRow('importTraces, this thread', bigSpans, await timeImport(() => importAll([bigPath], countingSink, bigSpans, 0)), bigFloor);
    importRow(`importTraces, ${workers} workers (in runs)`, bigSpans, await timeImport(() => importAll([bigPath], countingSink, bigSpans, workers)), bigFloor);

    header('The same file read by readTraces in a fresh process (for its peak memory)');
    const child = spawnSync(process.execPath, [__filename, '--read-file', bigPath], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`reading the 100 MB file failed: ${child.stderr}`);
    const big = JSON.parse(child.stdout) as { mib: number; spans: number; problems: number; wallMs: number; cpuMs: number; rssBeforeMib: number; peakMib: number };
    console.log(`${big.mib.toFixed(0)} MiB, ${int(big.spans)} spans, ${big.problems} problems: wall ${ms(big.wallMs)} (${int(big.spans / (big.wallMs / 1000))} spans/s), cpu ${ms(big.cpuMs)} (${int(big.spans / (big.cpuMs / 1000))} spans/s); peak RSS ${int(big.peakMib)} MiB, of which ${int(big.rssBeforeMib)} MiB before reading (the file's bytes and the runtime)`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
    rmSync(bigPath, { force: true });
  }
}

importFigures().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
