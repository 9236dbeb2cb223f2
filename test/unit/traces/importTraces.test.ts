// importTraces on worker threads gives what it gives in this thread: the same spans in the same
// sink calls, the same problems naming the same files, the same counts, whether files are read
// whole or a large OTLP/JSON file in runs of elements. Needs the built worker (node esbuild.mjs).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readTraces } from '../../../server/traces/formats/detect';
import { importTraces, type ImportOptions, type ImportSink, type ImportSummary } from '../../../server/traces/importTraces';
import type { Span } from '../../../server/traces/model';
import { distDir } from '../../support/paths';
import { otlpJsonDocument, otlpProtobuf, otlpRequests, xrayDocuments } from './syntheticTraces';
import { fixture } from './traceFixtures';

const workerScript = join(distDir, 'traceImportWorker.js');

/** Keeps every call's spans, and dedupes by key and version as the store does. */
class RecordingSink implements ImportSink {
  readonly calls: Span[][] = [];
  private readonly versions = new Map<string, number>();

  ingest(spans: readonly Span[]) {
    this.calls.push([...spans]);
    const result = { inserted: 0, duplicates: 0, replaced: 0 };
    for (const span of spans) {
      const key = `${span.traceId}:${span.spanId}`;
      const version = span.inProgress ? 0 : 1;
      const stored = this.versions.get(key);
      if (stored === undefined) result.inserted++;
      else if (version > stored) result.replaced++;
      else {
        result.duplicates++;
        continue;
      }
      this.versions.set(key, version);
    }
    return result;
  }
}

async function run(paths: string[], options: ImportOptions, isCancelled: (sink: RecordingSink) => boolean = () => false): Promise<{ summary: ImportSummary; sink: RecordingSink; progress: string[] }> {
  const sink = new RecordingSink();
  const progress: string[] = [];
  const summary = await importTraces(paths, sink, (p) => progress.push(`${p.done}/${p.total} ${p.file}`), () => isCancelled(sink), options);
  return { summary, sink, progress };
}

/**
 * An OTLP/JSON document of a dozen resourceSpans (512 spans each) with two elements of 60 bad
 * spans (past the cap of 100 problems together), a malformed element between them, and the last
 * element cut off.
 */
function damagedDocument(): string {
  const elements = otlpRequests(12 * 512, 9).flatMap((r) => r.resourceSpans).map((e) => JSON.stringify(e));
  const badSpans = `{"resource":{"attributes":[]},"scopeSpans":[{"spans":[${Array.from({ length: 60 }, () => '{"traceId":"x"}').join(',')}]}]}`;
  const whole = `{"resourceSpans":[${[badSpans, ...elements.slice(0, 5), '{"resource": nope}', badSpans, ...elements.slice(5)].join(',')}]}`;
  return whole.slice(0, whole.length - 5000);
}

describe('importTraces on worker threads', () => {
  let dir: string;
  let big: string;
  before(() => {
    assert.ok(existsSync(workerScript), `${workerScript} is missing: run \`node esbuild.mjs\` first`);
    dir = mkdtempSync(join(tmpdir(), 'sightline-import-'));
    writeFileSync(join(dir, 'a.json'), otlpJsonDocument(otlpRequests(3000, 1)));
    writeFileSync(join(dir, 'b.json.gz'), gzipSync(otlpJsonDocument(otlpRequests(700, 2))));
    writeFileSync(join(dir, 'c.pb'), otlpProtobuf(otlpRequests(300, 3)[0]));
    writeFileSync(join(dir, 'd.jsonl'), xrayDocuments(200).map((d) => `{"format":"json","version":1}\n${d}`).join('\n'));
    writeFileSync(join(dir, 'e.json'), '{"resourceSpans": [{"scopeSpans": [');
    writeFileSync(join(dir, 'f.json'), otlpJsonDocument(otlpRequests(1000, 1)));
    writeFileSync(join(dir, 'g.json'), fixture('jaeger-api-traces.json'));
    writeFileSync(join(dir, 'h.json'), fixture('otlp-base64-bare-numbers.json'));
    big = join(dir, 'z-big.json');
    writeFileSync(big, damagedDocument());
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a folder of every kind of file: the same sink calls, summary and progress as in this thread', async () => {
    const here = await run([dir], { workers: 0 });
    const pooled = await run([dir], { workers: 2, workerScript, runBytes: 64 * 1024 });
    assert.equal(here.summary.files, 8);
    assert.ok(here.summary.duplicates >= 1000, 'f.json repeats spans of a.json');
    assert.deepStrictEqual(pooled.summary, here.summary);
    assert.deepStrictEqual(pooled.sink.calls, here.sink.calls);
    assert.deepStrictEqual(pooled.progress, here.progress);
  });

  test('a malformed file among good ones is named, and the good ones are read', async () => {
    const { summary } = await run([dir], { workers: 2, workerScript });
    assert.deepEqual(summary.problems.filter((p) => p.startsWith(join(dir, 'e.json'))), readTraces(Buffer.from('{"resourceSpans": [{"scopeSpans": ['), join(dir, 'e.json')).problems);
    assert.ok(summary.problems.every((p) => p.startsWith(join(dir, 'e.json')) || p.startsWith(big)), summary.problems.join('\n'));
  });

  test('a large file read in runs by several workers: its spans and problems are those of one reader', async () => {
    const expected = readTraces(readFileSync(big), big);
    assert.equal(expected.problems.length, 101, 'the problems go past the cap, across runs');
    assert.match(expected.problems[100], /: 22 more problems not listed$/);
    for (const runBytes of [16 * 1024, 1024 * 1024]) {
      const { summary, sink } = await run([big], { workers: 3, workerScript, runBytes });
      assert.deepStrictEqual(sink.calls.flat(), expected.spans);
      assert.deepStrictEqual(summary.problems, expected.problems);
    }
  });

  test('cancelled in the middle of a file: stops there and keeps what was ingested', async () => {
    const { summary, sink } = await run([big], { workers: 2, workerScript, runBytes: 16 * 1024 }, (s) => s.calls.length > 0);
    assert.equal(summary.cancelled, true);
    assert.equal(sink.calls.length, 1);
    assert.equal(summary.spans, sink.calls[0].length);
    assert.equal(summary.files, 1);
  });

  test('workers that fail: the import goes on in this thread, and says why', async () => {
    const broken = join(dir, 'broken-worker.js');
    writeFileSync(broken, 'throw new Error("no worker today")');
    const here = await run([dir], { workers: 0 });
    const { summary, sink } = await run([dir], { workers: 2, workerScript: broken });
    assert.deepStrictEqual(sink.calls, here.sink.calls);
    assert.deepStrictEqual(summary.problems.filter((p) => !p.includes('worker threads failed')), here.summary.problems);
    assert.match(summary.problems[0], /^The import's worker threads failed \(no worker today\); the rest was read without them\.$/);
    rmSync(broken);
  });
});
