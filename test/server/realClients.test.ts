// Apps instrumented with the real SDKs send to `sightline receive`: the OpenTelemetry Node SDK
// over OTLP/HTTP as JSON and as (gzipped) protobuf, and aws-xray-sdk-core over the X-Ray daemon's
// UDP protocol. The apps are plain .js files under test/fixtures/apps/, run as child processes with
// the SDKs from the repo's node_modules (devDependencies), so nothing of them is bundled here.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TraceSummary } from '../../server/protocol';
import { dayMs, openStore } from '../../server/storage';
import type { Span } from '../../server/traces/model';
import { TraceService } from '../../server/traces/traceService';
import { WorkspaceFiles } from '../../server/workspaceFiles';
import { distDir, fixturesDir } from '../support/paths';

const appsDir = join(fixturesDir, 'apps');
const otelApp = join(appsDir, 'otelOrders.js');
const xrayApp = join(appsDir, 'xrayCheckout.js');
const deadlineMs = 15_000;

let project: string;
let store: string;
let receiver: ChildProcessWithoutNullStreams;
let receiverStderr = '';
let receiverExit: Promise<number | null>;
let otlpUrl: string;
let xrayAddress: string;

function run(file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, encoding: 'utf8', timeout: deadlineMs }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function sightline(args: string[], cwd = project) {
  return run(join(distDir, 'cli.js'), args, { cwd });
}

async function listTraces(service: string): Promise<TraceSummary[]> {
  const { code, stdout, stderr } = await sightline(['traces', 'list', '--store', store, '--service', service, '--format', 'json']);
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout) as TraceSummary[];
}

/** Polls until `done` holds for the service's traces (each try is a CLI run), or fails at the deadline. */
async function waitForTraces(service: string, done: (traces: TraceSummary[]) => boolean): Promise<TraceSummary[]> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const traces = await listTraces(service);
    if (done(traces)) return traces;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${service} traces; have ${JSON.stringify(traces)}\nreceiver: ${receiverStderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The line each function of the OTel fixture is defined on, as the app reports in code.lineno. */
const otelLines = Object.fromEntries(
  readFileSync(otelApp, 'utf8')
    .split('\n')
    .flatMap((line, i) => {
      const match = /^function (\w+)\(/.exec(line);
      return match ? [[match[1], i + 1]] : [];
    }),
) as Record<string, number>;

async function runOtelApp(encoding: 'json' | 'proto') {
  const app = await run(otelApp, [], { cwd: appsDir, env: { OTLP_URL: otlpUrl, OTLP_ENCODING: encoding } });
  assert.equal(app.code, 0, `${app.stdout}\n${app.stderr}`);
  assert.deepEqual(JSON.parse(app.stdout), { ok: 8, failed: [] });
  const traces = await waitForTraces(`orders-${encoding}`, (t) => t.length === 2 && t.every((s) => s.spanCount === 4));
  for (const t of traces) {
    assert.equal(t.rootName, 'handleOrder');
    assert.deepEqual(t.services, [`orders-${encoding}`]);
  }
  assert.deepEqual(traces.map((t) => t.errorCount).sort(), [0, 1]);
}

async function functionRows(): Promise<{ function: string; file: string; line: number; calls: number; errorRate: number }[]> {
  // Run from the apps folder: the workspace is that folder, and the spans' code.filepath is this file.
  const { code, stdout, stderr } = await sightline(['traces', 'functions', 'otelOrders.js', '--store', store, '--format', 'json'], appsDir);
  assert.equal(code, 0, stderr);
  return (JSON.parse(stdout) as { function: string; file: string; line: number; calls: number; errorRate: number }[]).sort((a, b) => a.line - b.line);
}

function expectedFunctions(calls: number) {
  return [
    { function: 'handleOrder', file: 'otelOrders.js', line: otelLines.handleOrder, calls, errorRate: 0 },
    { function: 'validateOrder', file: 'otelOrders.js', line: otelLines.validateOrder, calls, errorRate: 0 },
    { function: 'chargeCard', file: 'otelOrders.js', line: otelLines.chargeCard, calls, errorRate: 0.5 },
    { function: 'computeTax', file: 'otelOrders.js', line: otelLines.computeTax, calls, errorRate: 0 },
  ];
}

const pick = ({ function: fn, file, line, calls, errorRate }: { function: string; file: string; line: number; calls: number; errorRate: number }) => ({ function: fn, file, line, calls, errorRate });

/** Each span's parent's name (or null for the root), keyed by its own name: the tree, by name. */
function parentage(spans: Span[]): Record<string, string | null> {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const tree: Record<string, string | null> = {};
  for (const s of spans) {
    if (s.parentSpanId === undefined) tree[s.name] = null;
    else {
      const parent = byId.get(s.parentSpanId);
      assert.ok(parent, `${s.name}'s parent ${s.parentSpanId} is not in the trace`);
      tree[s.name] = parent.name;
    }
  }
  return tree;
}

before(async () => {
  project = mkdtempSync(join(tmpdir(), 'sightline-real-clients-'));
  store = join(project, 'store');
  receiver = spawn(process.execPath, [join(distDir, 'cli.js'), 'receive', '--store', store, '--otlp-port', '0', '--xray-port', '0'], { cwd: project });
  receiverExit = new Promise((resolve) => receiver.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    receiver.stderr.on('data', (chunk: Buffer) => {
      receiverStderr += chunk.toString();
      const otlp = /Receiving OTLP\/HTTP traces at (\S+)/.exec(receiverStderr);
      const xray = /Receiving X-Ray segments on UDP (\S+)/.exec(receiverStderr);
      if (otlp && xray && receiverStderr.includes('Ctrl+C')) {
        otlpUrl = otlp[1];
        xrayAddress = xray[1];
        resolve();
      }
    });
    receiver.once('exit', () => reject(new Error(`receive exited early: ${receiverStderr}`)));
  });
});

after(() => {
  if (receiver.exitCode === null && receiver.signalCode === null) receiver.kill('SIGKILL');
  rmSync(project, { recursive: true, force: true });
});

describe('real SDK clients send to sightline receive', () => {
  test('OpenTelemetry Node SDK, OTLP/HTTP JSON exporter: both traces, every span, code locations', async () => {
    await runOtelApp('json');
    assert.deepEqual((await functionRows()).map(pick), expectedFunctions(2));
  });

  test('OpenTelemetry Node SDK, OTLP/HTTP protobuf exporter (gzip): both traces, every span, code locations', async () => {
    await runOtelApp('proto');
    assert.deepEqual((await functionRows()).map(pick), expectedFunctions(4));
  });

  test('aws-xray-sdk-core over the daemon UDP protocol: whole and streamed segments', async () => {
    const app = await run(xrayApp, [], { cwd: appsDir, env: { XRAY_DAEMON_ADDRESS: xrayAddress } });
    assert.equal(app.code, 0, `${app.stdout}\n${app.stderr}`);
    const sent = (JSON.parse(app.stdout) as { traceIds: string[] }).traceIds.map((id) => id.slice(2).replace('-', ''));
    for (const [service, traceId] of [['checkout', sent[0]], ['checkout-streamed', sent[1]]]) {
      const [trace, ...others] = await waitForTraces(service, (t) => t.length === 1 && t[0].spanCount === 4);
      assert.deepEqual(others, []);
      assert.equal(trace.traceId, traceId);
      assert.equal(trace.rootName, service);
      assert.equal(trace.errorClass, 'fault');
    }
  });

  test('the store keeps every span with its parent, code location and failure', async () => {
    receiver.kill('SIGINT');
    assert.equal(await receiverExit, 0, receiverStderr);
    assert.match(receiverStderr, /Received 24 spans\./);

    const opened = openStore(store, { name: 'spans', retention: { maxAgeMs: 30 * dayMs, maxBytes: 64 * 1024 * 1024 }, readOnly: true });
    const service = new TraceService(opened.store, new WorkspaceFiles([project], () => []), () => ({ pathMappings: {}, windowMs: dayMs, sloMs: {} }));
    try {
      const traces = service.listTraces({});
      assert.equal(traces.length, 6);
      for (const summary of traces) {
        const spans = service.spans(summary.traceId);
        assert.equal(spans.length, 4, summary.rootService);
        assert.ok(spans.every((s) => s.traceId === summary.traceId));
        assert.equal(new Set(spans.map((s) => s.spanId)).size, 4);
        assert.ok(spans.every((s) => !s.inProgress), `${summary.rootService}: a span is still in progress`);
        const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
        if (summary.rootService.startsWith('orders-')) {
          assert.deepEqual(parentage(spans), { handleOrder: null, validateOrder: 'handleOrder', chargeCard: 'handleOrder', computeTax: 'chargeCard' });
          for (const s of spans) {
            assert.equal(s.format, 'otlp');
            assert.deepEqual(s.code, { source: 'attributes', filePath: otelApp, functionName: s.name, line: otelLines[s.name] });
          }
        } else {
          assert.deepEqual(parentage(spans), { [summary.rootService]: null, loadCart: summary.rootService, chargeCard: summary.rootService, callBank: 'chargeCard' });
          assert.ok(spans.every((s) => s.format === 'xray'));
          assert.equal(byName.callBank.errorClass, 'fault');
          assert.ok(byName.chargeCard.errorClass, 'chargeCard recorded an error');
          assert.equal(byName.loadCart.errorClass, undefined);
        }
      }
      const failed = traces.filter((t) => t.rootService.startsWith('orders-') && t.errorCount > 0);
      assert.equal(failed.length, 2);
      for (const t of failed) {
        const charge = service.spans(t.traceId).find((s) => s.name === 'chargeCard');
        assert.equal(charge?.status, 'error');
        assert.equal(charge?.statusMessage, 'card expired');
      }
    } finally {
      opened.store.close();
    }
  });
});
