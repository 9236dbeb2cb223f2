// Issue 4, ingest spans/second for OTLP/protobuf over HTTP, end to end: the real language server
// (dist/server.js over stdio, as the editor starts it, with its own store in a temp folder) runs its
// OTLP/HTTP receiver on a free loopback port; this process POSTs ExportTraceServiceRequest bodies
// (batches of 512 spans, encoded with protobufjs and the vendored opentelemetry-proto, as the
// OTLP/HTTP exporters send them; and the same bodies gzip-compressed, compressed beforehand as the
// exporter would) over a few keep-alive connections at once, each connection sending its next body
// when the previous one is answered. The receiver answers 200 only once the spans are stored (and
// fdatasync'd), so spans/s is counted to the last 200; the server's own span count
// (sightline/tracesChanged, sent at most every 300 ms) must then reach the number sent: the time to
// that notification is printed too.
// Next to it, in this process, over the same bodies: protobufjs decoding alone (the floor the issue
// compares with), our reader alone (readOtlpProtobuf), and reader + TraceService.ingest into a store
// without HTTP — where the time goes. A fresh server and store for every run; median of
// SIGHTLINE_BENCH_RUNS runs (default 3). Wall and CPU time (the server's from /proc/<pid>/stat,
// this process's for the client), with the load average: the machine is shared.
// Run: node out/test/bench/receiverIngest.bench.js   (SIGHTLINE_BENCH_SPANS, default 200,000)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { traceSourcesRequest, tracesChangedNotification } from '../../server/protocol';
import { Store } from '../../server/store/store';
import { readOtlpProtobuf } from '../../server/traces/formats/otlpProtobuf';
import { TraceService } from '../../server/traces/traceService';
import { defaultSettings } from '../../server/settings';
import { WorkspaceFiles } from '../../server/workspaceFiles';
import { LspClient } from '../support/lspClient';
import { otlpProtobufBodies, recentOtlpRequests } from '../support/otlpBodies';
import { exportTraceServiceRequest } from '../unit/traces/syntheticTraces';
import { header, int, median, serverNodeArgs } from './report';

const spanCount = Number(process.env.SIGHTLINE_BENCH_SPANS ?? 200_000);
const runs = Math.max(1, Number(process.env.SIGHTLINE_BENCH_RUNS ?? 3));
const dayMs = 24 * 3600 * 1000;
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

/** CPU time of a process so far (user + system), from /proc/<pid>/stat, in ms (Linux, 100 ticks a second). */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Median wall and CPU of `runs` runs of work. */
function timeInProcess(work: () => void, times = 5): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    work();
    cpu.push(cpuMsSince(cpuStart));
    wall.push(performance.now() - started);
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

function post(agent: Agent, url: URL, body: Buffer, gzip: boolean): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.length };
    if (gzip) headers['Content-Encoding'] = 'gzip';
    const req = request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface EndToEnd {
  /** First request sent → last 200 received (every span stored). */
  storedMs: number;
  /** First request sent → the server's tracesChanged notification with the full count. */
  countedMs: number;
  serverCpuMs: number;
  clientCpuMs: number;
  count: number;
}

async function endToEnd(bodies: readonly Buffer[], gzip: boolean, connections: number): Promise<EndToEnd> {
  const storagePath = mkdtempSync(join(tmpdir(), 'sightline-receiver-bench-'));
  const client = await LspClient.start({
    storagePath, nodeArgs: serverNodeArgs(),
    settings: { traces: { otlp: { enabled: true, host: '127.0.0.1', port: 0 }, xrayDaemon: { enabled: false } } },
  });
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  try {
    // The receiver starts right after the store opens: ask until it reports its address.
    let url: URL | undefined;
    while (!url) {
      const sources = await client.connection.sendRequest(traceSourcesRequest);
      if (sources.otlp?.error) throw new Error(`the OTLP receiver did not start: ${sources.otlp.error}`);
      if (sources.otlp?.url) url = new URL(sources.otlp.url);
      else await new Promise((resolve) => setImmediate(resolve));
    }
    let count = 0;
    let counted: (() => void) | undefined;
    const allCounted = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server counted ${count} of ${spanCount} spans after 120 s`)), 120_000);
      counted = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    client.connection.onNotification(tracesChangedNotification, ({ spans }) => {
      count = spans;
      if (spans >= spanCount) counted?.();
    });

    const pid = client.process.pid!;
    const serverCpu = processCpuMs(pid);
    const clientCpu = process.cpuUsage();
    const started = performance.now();
    let next = 0;
    const failures: string[] = [];
    const connection = async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const answer = await post(agent, url!, body, gzip);
        // A full success is an empty ExportTraceServiceResponse; anything else is a rejection to report.
        if (answer.status !== 200 || answer.body.length > 0) failures.push(`${answer.status} ${answer.body.toString('utf8').slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: connections }, connection));
    const storedMs = performance.now() - started;
    const clientCpuMs = cpuMsSince(clientCpu);
    if (failures.length) throw new Error(`${failures.length} requests were not fully accepted, e.g. ${failures[0]}`);
    await allCounted;
    const countedMs = performance.now() - started;
    const serverCpuMs = processCpuMs(pid) - serverCpu;
    return { storedMs, countedMs, serverCpuMs, clientCpuMs, count };
  } finally {
    agent.destroy();
    await client.stop();
    rmSync(storagePath, { recursive: true, force: true });
  }
}

/** readOtlpProtobuf + TraceService.ingest per body into a fresh store, in this process: the receiver's work without HTTP. */
function readAndStore(bodies: readonly Buffer[]): Timing & { count: number } {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-receiver-bench-store-'));
  const t = defaultSettings.traces;
  const store = Store.open(dir, { name: 'spans', retention: { maxAgeMs: t.retentionDays * dayMs, maxBytes: t.maxStorageMB * 1024 * 1024 } });
  try {
    const service = new TraceService(store, new WorkspaceFiles([dir], () => []), () => ({ pathMappings: {}, windowMs: dayMs, sloMs: {} }));
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (const body of bodies) service.ingest(readOtlpProtobuf(body).spans);
    return { wallMs: performance.now() - started, cpuMs: cpuMsSince(cpu), count: service.spanCount };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rate = (ms: number) => int(spanCount / (ms / 1000));

async function main(): Promise<void> {
  console.log(`${cpus().length} cores, Node ${process.version}, load average ${load()} at start`);
  const requests = recentOtlpRequests(spanCount, Date.now() - 60_000);
  const bodies = otlpProtobufBodies(requests);
  const gzipped = bodies.map((b) => gzipSync(b));
  const bytes = bodies.reduce((n, b) => n + b.length, 0);
  const gzBytes = gzipped.reduce((n, b) => n + b.length, 0);
  header(`OTLP/protobuf over HTTP into the real server: ${int(spanCount)} spans in ${bodies.length} requests of ≤512 spans`);
  console.log(`  ${(bytes / 2 ** 20).toFixed(1)} MiB of protobuf (${(gzBytes / 2 ** 20).toFixed(1)} MiB gzip-compressed); median of ${runs} runs, a fresh server and store each`);

  // ── In this process: the floor and where the time goes ───────────────────────────────────────
  const type = exportTraceServiceRequest();
  let decodedSpans = 0;
  for (const body of bodies) decodedSpans += readOtlpProtobuf(body).spans.length;
  if (decodedSpans !== spanCount) throw new Error(`readOtlpProtobuf read ${decodedSpans} of ${spanCount} spans`);
  const decode = timeInProcess(() => {
    for (const body of bodies) type.decode(body);
  });
  const reader = timeInProcess(() => {
    for (const body of bodies) readOtlpProtobuf(body);
  });
  const stored: (Timing & { count: number })[] = [];
  for (let i = 0; i < runs; i++) stored.push(readAndStore(bodies));
  if (stored.some((s) => s.count !== spanCount)) throw new Error(`reader + store kept ${stored.map((s) => s.count).join('/')} of ${spanCount} spans`);
  const store = { wallMs: median(stored.map((s) => s.wallMs)), cpuMs: median(stored.map((s) => s.cpuMs)) };
  const row = (label: string, t: Timing) =>
    console.log(`  ${label.padEnd(58)} wall ${(t.wallMs / 1000).toFixed(2).padStart(5)} s ${rate(t.wallMs).padStart(9)} spans/s   CPU ${(t.cpuMs / 1000).toFixed(2).padStart(5)} s ${rate(t.cpuMs).padStart(9)} spans/CPU-s`
      + (t === decode ? '' : `   ×${(t.wallMs / decode.wallMs).toFixed(2)} wall, ×${(t.cpuMs / decode.cpuMs).toFixed(2)} CPU`));
  console.log('\n  In this process, no HTTP (time / protobufjs decode alone as for traceIngest.bench.ts):');
  row('protobufjs decode alone (ExportTraceServiceRequest)', decode);
  row('readOtlpProtobuf (our reader → spans)', reader);
  row('readOtlpProtobuf + TraceService.ingest (store, fdatasync)', store);

  // ── End to end ────────────────────────────────────────────────────────────────────────────
  console.log('\n  End to end, POST /v1/traces to the server\'s receiver on 127.0.0.1 (to the last 200 = all stored):');
  const variants: { label: string; gzip: boolean; connections: number }[] = [
    { label: 'protobuf, 4 connections', gzip: false, connections: 4 },
    { label: 'protobuf + gzip, 4 connections', gzip: true, connections: 4 },
    { label: 'protobuf, 1 connection', gzip: false, connections: 1 },
  ];
  for (const variant of variants) {
    const results: EndToEnd[] = [];
    for (let i = 0; i < runs; i++) results.push(await endToEnd(variant.gzip ? gzipped : bodies, variant.gzip, variant.connections));
    const wall = median(results.map((r) => r.storedMs));
    const countedMs = median(results.map((r) => r.countedMs));
    const serverCpu = median(results.map((r) => r.serverCpuMs));
    const clientCpu = median(results.map((r) => r.clientCpuMs));
    const perSecond = spanCount / (wall / 1000);
    console.log(`  ${variant.label.padEnd(34)} wall ${(wall / 1000).toFixed(2)} s (runs ${results.map((r) => (r.storedMs / 1000).toFixed(2)).join(', ')}) → ${int(perSecond).padStart(7)} spans/s;`
      + ` server counted ${int(results[0].count)} spans at ${(countedMs / 1000).toFixed(2)} s`);
    console.log(`  ${''.padEnd(34)} server CPU ${(serverCpu / 1000).toFixed(2)} s → ${rate(serverCpu)} spans per server CPU-second; client CPU ${(clientCpu / 1000).toFixed(2)} s;`
      + ` time / protobufjs decode alone: ×${(wall / decode.wallMs).toFixed(2)} wall, ×${(serverCpu / decode.cpuMs).toFixed(2)} CPU (server)   [load ${load()}]`);
  }
  console.log(`\nload average ${load()} at end`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
