// Trace ingest speed (issue 4, "Measured"): spans per second read by readTraces() from bytes, for
// OTLP/JSON (spec form: decimal-string times; and exporters' bare-number times, which need the
// quoting pass), OTLP/protobuf request bodies, and X-Ray segment documents (daemon lines), each next
// to its floor: JSON.parse of the same bytes, or protobufjs decoding the same bodies into messages
// (with the official definitions as they are). Then one 100 MB OTLP/JSON file, read by a fresh
// process for its peak memory. Goal: ≥ 200k spans/s for OTLP/JSON on this machine (printed, not
// asserted). Wall and CPU time, median of SIGHTLINE_BENCH_RUNS runs (default 5).
// Run: node out/test/bench/traceIngest.bench.js
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTraces } from '../../server/traces/formats/detect';
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

header('One 100 MB OTLP/JSON file, read by a fresh process (for its peak memory)');
const perSpan = jsonBytes.length / spanCount;
const bigPath = join(tmpdir(), `sightline-trace-ingest-${process.pid}.json`);
writeFileSync(bigPath, otlpJsonDocument(otlpRequests(Math.round((100 * 2 ** 20) / perSpan), 2)));
const child = spawnSync(process.execPath, [__filename, '--read-file', bigPath], { encoding: 'utf8' });
rmSync(bigPath, { force: true });
if (child.status !== 0) throw new Error(`reading the 100 MB file failed: ${child.stderr}`);
const big = JSON.parse(child.stdout) as { mib: number; spans: number; problems: number; wallMs: number; cpuMs: number; rssBeforeMib: number; peakMib: number };
console.log(`${big.mib.toFixed(0)} MiB, ${int(big.spans)} spans, ${big.problems} problems: wall ${ms(big.wallMs)} (${int(big.spans / (big.wallMs / 1000))} spans/s), cpu ${ms(big.cpuMs)} (${int(big.spans / (big.cpuMs / 1000))} spans/s); peak RSS ${int(big.peakMib)} MiB, of which ${int(big.rssBeforeMib)} MiB before reading (the file's bytes and the runtime)`);
