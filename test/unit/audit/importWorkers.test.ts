// Imports read on worker threads (dist/auditImportWorker.js, built by `node esbuild.mjs`) give the
// same events, counts and problems as imports read in this thread; bad files are named; cancelling
// stops the workers; a worker that cannot run fails the import with its error.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { AuditEvent } from '../../../server/audit/model';
import { importAuditPaths, type ImportOptions } from '../../../server/audit/readers';
import { eventJson } from '../../../server/audit/recordText';
import { CloudTrailGenerator, writeLogTree } from '../../support/cloudTrailGenerator';
import { auditFixturesDir, distDir } from '../../support/paths';

const workerScript = join(distDir, 'auditImportWorker.js');

let scratch: string;
let treeDir: string;
let tree: Awaited<ReturnType<typeof writeLogTree>>;
before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'sightline-import-workers-'));
  treeDir = join(scratch, 'tree');
  tree = await writeLogTree(treeDir, {
    accounts: ['111122223333', '444455556666'], regions: ['us-east-1', 'eu-west-1'], days: 2, filesPerDay: 4, recordsPerFile: 30,
    insights: true, digests: true, repeatRate: 0.1, seed: 7,
  });
});
after(() => rmSync(scratch, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

async function importAll(paths: string[], options: Partial<ImportOptions> = {}) {
  const events: AuditEvent[] = [];
  const result = await importAuditPaths(paths, { onBatch: (batch) => { events.push(...batch); }, ...options });
  return { events, ...result };
}

/** Whether the event came from a worker with its record still JSON text (not yet read). */
function recordIsText(event: AuditEvent): boolean {
  return Object.getOwnPropertyDescriptor(event, 'record')?.get !== undefined;
}

const generator = new CloudTrailGenerator(3);
const records = (count: number) => generator.records(count, { account: '111122223333', region: 'us-east-1', start: Date.parse('2026-02-01T00:00:00Z'), end: Date.parse('2026-02-01T06:00:00Z') });

describe('imports read on worker threads', () => {
  test('the same events, counts and problems as in one thread, for every kind of document', async () => {
    const recs = records(12);
    const others = join(scratch, 'others');
    mkdirSync(others);
    const nested = { ...recs[0], eventID: 'nested-marker-1', requestParameters: { copy: { eventVersion: '1.08', note: 'starts like a record' } } };
    writeFileSync(join(others, 'lines.jsonl'), `${recs.slice(0, 3).map((r) => JSON.stringify(r)).join('\n')}\n`);
    writeFileSync(join(others, 'array.json'), JSON.stringify(recs.slice(3, 5)));
    writeFileSync(join(others, 'pretty.json'), JSON.stringify({ Records: recs.slice(5, 8) }, null, 2));
    writeFileSync(join(others, 'nested.json.gz'), gzipSync(JSON.stringify({ Records: [recs[8], nested, recs[9]] })));
    writeFileSync(join(others, 'mixed.json'), JSON.stringify({ Records: [recs[10], 'junk', { eventName: 'X' }, recs[10], { ...recs[11], eventVersion: '1.99', userAgent: 'quote " backslash \\ é ✓ 🙂' }] }));
    writeFileSync(join(others, 'empty-records.json'), '{ "Records" : [ ] }');
    cpSync(join(auditFixturesDir, 'lookup-events-cli-output.json'), join(others, 'lookup.json'));
    cpSync(join(auditFixturesDir, 'docs'), join(others, 'docs'), { recursive: true });
    const paths = [treeDir, others];

    const inThread = await importAll(paths, { workers: 0 });
    const onWorkers = await importAll(paths, { workers: 2, workerScript });
    assert.ok(onWorkers.events.length > 0 && onWorkers.events.every(recordIsText), 'every event came from a worker');
    assert.ok(inThread.events.every((e) => !recordIsText(e)));

    const { events: threadEvents, problems: threadProblems, workers: none, ...threadCounts } = inThread;
    const { events: workerEvents, problems: workerProblems, workers: two, ...workerCounts } = onWorkers;
    assert.deepEqual([none, two], [0, 2]);
    assert.deepEqual(workerCounts, threadCounts);
    assert.equal(threadCounts.records, tree.records + 3 + 2 + 3 + 3 + 2 + 2 + 9);
    assert.deepEqual([...workerProblems].sort(), [...threadProblems].sort());
    assert.ok(threadProblems.some((p) => p.includes('mixed.json: Records[1]')), threadProblems.join('\n'));

    // Each file's events arrive in its own order; files finish in any order.
    const sorted = (events: AuditEvent[]) => events
      .map((event) => ({ event, key: `${event.id} ${JSON.stringify(event.record)}` }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ event }) => event);
    // The store is given the record text as read; it parses to the same event (read before `record` is).
    const stored = new Map(workerEvents.map((e) => [e.id, JSON.parse(eventJson(e)) as unknown]));
    assert.ok(workerEvents.every(recordIsText), 'eventJson leaves the record text unread');
    for (const event of threadEvents) assert.deepEqual(stored.get(event.id), JSON.parse(JSON.stringify(event)), event.id);
    assert.deepEqual(sorted(workerEvents), sorted(threadEvents));
    assert.ok(!workerEvents.some(recordIsText), 'reading `record` parsed it');
    assert.deepEqual(workerEvents.find((e) => e.id === 'nested-marker-1')?.record.requestParameters, nested.requestParameters);
  });

  test('a bad file among good ones is a problem naming it; the good ones are imported', async () => {
    const good = JSON.stringify({ Records: records(40) });
    const gz = gzipSync(good);
    const dir = join(scratch, 'some-bad');
    mkdirSync(dir);
    const bad: [name: string, content: string | Buffer, problem: RegExp][] = [
      ['b-cut.json.gz', gz.subarray(0, Math.floor(gz.length / 2)), /: gzip data is truncated .*none of its records were read/],
      ['c-package.json', JSON.stringify({ name: 'x', version: '1.0.0' }), /: not CloudTrail: a JSON object with keys "name", "version"/],
      ['d-corrupt.json.gz', Buffer.concat([gz.subarray(0, 10), Buffer.from('not deflate at all, not deflate at all')]), /: gzip data is corrupt/],
      ['e-broken.json', good.slice(0, -3), /: not valid JSON \(/],
    ];
    for (const [name, content] of bad) writeFileSync(join(dir, name), content);
    writeFileSync(join(dir, 'a-good.json.gz'), gz);
    writeFileSync(join(dir, 'f-good.json'), JSON.stringify({ Records: records(5) }));

    const result = await importAll([dir], { workers: 2, workerScript });
    assert.equal(result.files, 6);
    assert.equal(result.records, 45);
    assert.equal(result.problems.length, bad.length, result.problems.join('\n'));
    for (const [name, , pattern] of bad) {
      const problem = result.problems.find((p) => p.startsWith(`${join(dir, name)}: `));
      assert.ok(problem, `a problem for ${name}`);
      assert.match(problem, pattern);
    }
    const inThread = await importAll([dir], { workers: 0 });
    assert.deepEqual([...result.problems].sort(), [...inThread.problems].sort());
  });

  test('cancelling mid-import stops the workers and delivers nothing more', async () => {
    const controller = new AbortController();
    let delivered = 0;
    let afterAbort = 0;
    const progress: number[] = [];
    const result = await importAuditPaths([treeDir], {
      workers: 2,
      workerScript,
      signal: controller.signal,
      onProgress: (p) => progress.push(p.filesDone),
      onBatch: (batch) => {
        if (controller.signal.aborted) afterAbort++;
        delivered += batch.length;
        if (delivered >= 60) controller.abort();
      },
    });
    assert.equal(result.cancelled, true);
    assert.equal(afterAbort, 0);
    assert.equal(result.records, delivered);
    assert.ok(result.files < tree.files.length, `${result.files} of ${tree.files.length} files`);
    assert.equal(progress[progress.length - 1], result.files);
  });

  test('an import cancelled before it starts reads nothing', async () => {
    const result = await importAll([treeDir], { workers: 2, workerScript, signal: AbortSignal.abort() });
    assert.deepEqual([result.cancelled, result.records, result.files], [true, 0, 0]);
  });

  test('a worker that cannot run fails the import with its error', async () => {
    const script = file('broken-worker.js', "throw new Error('the worker could not start');");
    await assert.rejects(importAll([treeDir], { workers: 2, workerScript: script }), /the worker could not start/);
  });

  test('a sink that throws ends the import with its error, and the workers with it', async () => {
    await assert.rejects(importAll([treeDir], { workers: 2, workerScript, onBatch: () => { throw new Error('store is full'); } }), /store is full/);
  });

  test('the tree read twice, by name and through a copy, delivers both', async () => {
    const copy = join(scratch, 'copy');
    cpSync(join(treeDir, 'AWSLogs'), join(copy, 'AWSLogs'), { recursive: true });
    const result = await importAll([treeDir, copy], { workers: 2, workerScript });
    assert.equal(result.records, 2 * tree.records);
    assert.equal(new Set(result.events.map((e) => e.id)).size, tree.distinct);
  });
});
