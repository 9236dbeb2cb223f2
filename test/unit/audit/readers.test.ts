import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { AuditEvent } from '../../../server/audit/model';
import { importAuditPaths, readAuditBytes, readAuditFile, type ImportOptions, type ImportProgress } from '../../../server/audit/readers';
import { listLogFiles } from '../../../server/audit/logFiles';
import { auditFixturesDir } from '../../support/paths';
import { CloudTrailGenerator, writeLogTree } from '../../support/cloudTrailGenerator';

let scratch: string;
before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'sightline-audit-readers-'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

let fileCount = 0;
function file(name: string, content: string | Buffer): string {
  const dir = join(scratch, `f${++fileCount}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const generator = new CloudTrailGenerator(11);
function records(count: number): Record<string, unknown>[] {
  return generator.records(count, { account: '111122223333', region: 'us-east-1', start: Date.parse('2026-01-05T00:00:00Z'), end: Date.parse('2026-01-05T01:00:00Z') });
}

async function importAll(paths: string[], options: Partial<ImportOptions> = {}) {
  const events: AuditEvent[] = [];
  const result = await importAuditPaths(paths, { onBatch: (batch) => { events.push(...batch); }, ...options });
  return { events, ...result };
}

describe('formats', () => {
  test('a CloudTrail log file, plain and gzipped (gzip known by its magic bytes, not its name)', async () => {
    const recs = records(5);
    const json = JSON.stringify({ Records: recs });
    for (const [name, bytes] of [['a.json', json], ['b.json.gz', gzipSync(json)], ['gzipped-but-named.json', gzipSync(json)], ['plain-but-named.json.gz', json]] as const) {
      const read = await readAuditFile(file(name, bytes));
      assert.deepEqual(read.problems, [], name);
      assert.deepEqual(read.events.map((e) => e.id), recs.map((r) => r.eventID), name);
      assert.deepEqual(read.events[0].record, recs[0], name);
    }
  });

  test('single records, arrays of records, JSON Lines, a UTF-8 byte order mark', async () => {
    const recs = records(4);
    const single = await readAuditFile(file('one.json', JSON.stringify(recs[0], null, 2)));
    assert.deepEqual(single.events.map((e) => e.id), [recs[0].eventID]);
    const array = await readAuditFile(file('array.json', JSON.stringify(recs)));
    assert.equal(array.events.length, 4);
    const lines = await readAuditFile(file('events.jsonl', `${recs.map((r) => JSON.stringify(r)).join('\n')}\n`));
    assert.deepEqual(lines.problems, []);
    assert.equal(lines.events.length, 4);
    const crlf = await readAuditFile(file('events-crlf.ndjson', recs.map((r) => JSON.stringify(r)).join('\r\n')));
    assert.equal(crlf.events.length, 4);
    const envelopes = await readAuditFile(file('envelopes.jsonl', `${JSON.stringify({ Records: recs.slice(0, 2) })}\n${JSON.stringify({ Records: recs.slice(2) })}\n`));
    assert.equal(envelopes.events.length, 4);
    const bom = await readAuditFile(file('bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ Records: recs }))])));
    assert.deepEqual([bom.problems, bom.events.length], [[], 4]);
  });

  test('`aws cloudtrail lookup-events` output: CloudTrailEvent strings parsed; its Resources indexed; a NextToken noted', async () => {
    const path = join(auditFixturesDir, 'lookup-events-cli-output.json');
    const read = await readAuditFile(path);
    assert.deepEqual(read.events.map((e) => [e.eventName, e.identity.name]), [['DeleteBucket', 'alice'], ['GetBucketAcl', 'alice']]);
    assert.equal(read.events[0].record.eventID, '1f2e3d4c-5b6a-4789-8a7b-EXAMPLE6c5d4');
    assert.deepEqual(read.events[0].resources, [{ arn: 'arn:aws:s3:::orders-archive', name: 'orders-archive', type: 'AWS::S3::Bucket' }]);
    assert.deepEqual(read.problems, [`${path}: lookup-events output ends with a NextToken: the events of later pages are not in this file`]);
  });

  test('CloudTrail-Insight files', async () => {
    const read = await readAuditFile(join(auditFixturesDir, 'docs', 'insights-api-call-rate.json'));
    assert.deepEqual(read.problems, []);
    assert.deepEqual(read.events.map((e) => [e.category, e.record.insightDetails?.state]), [['Insight', 'Start'], ['Insight', 'End']]);
  });

  test('every documentation example reads without a problem', async () => {
    const result = await importAll([join(auditFixturesDir, 'docs')]);
    assert.deepEqual(result.problems, []);
    assert.equal(result.files, 8);
    assert.equal(result.records, 9);
  });

  test('an eventID twice in one file is read once; across files both are delivered (the store deduplicates)', async () => {
    const [a, b] = records(2);
    const path = file('dup.json', JSON.stringify({ Records: [a, b, a] }));
    const read = await readAuditFile(path);
    assert.deepEqual([read.events.length, read.duplicates, read.records], [2, 1, 3]);
    const other = file('dup2.json', JSON.stringify({ Records: [a] }));
    const result = await importAll([path, other]);
    assert.deepEqual([result.records, result.duplicates], [3, 1]);
  });
});

describe('bad input: each file named with what is wrong, the good files still count', () => {
  const good = () => JSON.stringify({ Records: records(3) });

  test('one problem per bad file, and the good ones imported', async () => {
    const cases: [name: string, content: string | Buffer, problem: RegExp][] = [
      ['empty.json', '', /: empty file$/],
      ['blank.json', ' \n\t\n', /: only whitespace, no JSON$/],
      ['page.json', '<!DOCTYPE html><html><script>alert(1)</script>', /: not JSON: starts with "<!DOCTYPE html><html><script>alert\(1\)<\/s"$/],
      ['broken.json', '{"Records": [{"eventID": "x", ', /: not valid JSON \(/],
      ['other.json', JSON.stringify({ name: 'package', version: '1.0.0', dependencies: {} }), /: not CloudTrail: a JSON object with keys "name", "version", "dependencies", where a log file has "Records"/],
      ['number.json', '42', /: not JSON: starts with "42"$/],
      ['records-not-array.json', JSON.stringify({ Records: { a: 1 } }), /: "Records" is an object, not an array$/],
      ['binary.json', Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x10, 0x80, 0x00, 0x9f]), /: binary data, not JSON text$/],
      ['latin1.json', Buffer.concat([Buffer.from('{"Records": [{"userAgent": "caf'), Buffer.from([0xe9]), Buffer.from('"}]}')]), /: not valid UTF-8 \(first bad byte at offset 31\)$/],
      ['utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good(), 'utf16le')]), /: UTF-16 text; CloudTrail log files are UTF-8$/],
      ['empty.json.gz', gzipSync(''), /: empty after gunzip$/],
      ['corrupt.json.gz', Buffer.concat([gzipSync(good()).subarray(0, 10), Buffer.from('garbage garbage garbage garbage')]), /: gzip data is corrupt \(/],
      ['archive.zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), /: a zip archive, not gzip: unpack it first$/],
      ['logs.json.bz2', Buffer.from('BZh91AY&SY'), /: bzip2-compressed, not gzip/],
      ['digest.json.gz', gzipSync(JSON.stringify({ awsAccountId: '1', digestStartTime: 'x', digestPublicKeyFingerprint: 'y', logFiles: [] })), /: a CloudTrail digest file \(hashes of log files for integrity validation\), not events; skipped$/],
      ['gzipped-binary.json.gz', gzipSync(Buffer.from([0, 1, 2, 3, 0, 0, 0, 200])), /: binary data after gunzip, not JSON text$/],
    ];
    const paths = cases.map(([name, content]) => file(name, content));
    const goodPaths = [file('good1.json', good()), file('good2.json.gz', gzipSync(good()))];
    const result = await importAll([...paths, ...goodPaths]);
    assert.equal(result.files, cases.length + 2);
    assert.equal(result.records, 6, 'the good files are imported');
    assert.equal(result.problems.length, cases.length, result.problems.join('\n'));
    cases.forEach(([, , pattern], i) => {
      const problem = result.problems.find((p) => p.startsWith(`${paths[i]}: `));
      assert.ok(problem, `a problem for ${paths[i]}`);
      assert.match(problem, pattern);
    });
  });

  test('truncated gzip: a log file (one JSON document) is not imported; a JSON Lines file keeps its whole lines', async () => {
    const recs = records(40);
    const document = gzipSync(JSON.stringify({ Records: recs }));
    const cutDocument = file('cut.json.gz', document.subarray(0, Math.floor(document.length * 0.6)));
    const lines = gzipSync(`${recs.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const cutLines = file('cut.jsonl.gz', lines.subarray(0, Math.floor(lines.length * 0.6)));
    const goodPath = file('fine.json', good());

    const result = await importAll([cutDocument, cutLines, goodPath]);
    const documentProblem = result.problems.find((p) => p.startsWith(cutDocument))!;
    assert.match(documentProblem, /: gzip data is truncated \(the file ends after \d+ bytes, before the end of the compressed stream\); none of its records were read \(a JSON document cut short cannot be told from a complete one\) — fetch the file again$/);
    const linesProblem = result.problems.find((p) => p.startsWith(cutLines))!;
    const kept = Number(/the (\d+) records on the whole lines before the cut were read/.exec(linesProblem)?.[1]);
    assert.ok(kept > 5 && kept < 40, linesProblem);
    const fromLines = result.events.filter((e) => recs.some((r) => r.eventID === e.id));
    assert.equal(fromLines.length, kept);
    assert.deepEqual(fromLines.map((e) => e.id), recs.slice(0, kept).map((r) => r.eventID), 'the first records, in order, each whole');
    assert.equal(result.records, kept + 3);
  });

  test('a file larger than the document limit is refused by name, before and after gunzip', async () => {
    const json = good();
    const big = file('big.json', json);
    const bigGz = file('big.json.gz', gzipSync(json));
    const result = await importAll([big, bigGz], { maxFileBytes: 100 });
    assert.match(result.problems[0], /big\.json: 0 MB, larger than the 0 MB Sightline reads as one document/);
    assert.match(result.problems[1], /big\.json\.gz: decompresses to more than 0 MB, the most Sightline reads as one document$/);
  });

  test('bad records inside a good file: named by index, the rest read; many are summed up', async () => {
    const recs = records(3);
    const path = file('mixed.json', JSON.stringify({ Records: [recs[0], { eventVersion: '1.08', eventSource: 'x' }, 'junk', recs[1], { ...recs[2], eventTime: 'later' }] }));
    const read = await readAuditFile(path);
    assert.equal(read.events.length, 2);
    assert.deepEqual(read.problems, [
      `${path}: Records[1]: missing eventID, eventTime, eventName; skipped`,
      `${path}: Records[2]: not a CloudTrail record: a string, not an object`,
      `${path}: Records[4]: eventTime "later" is not an ISO 8601 time with a zone (eventID "${recs[2].eventID}"); skipped`,
    ]);
    const many = file('many.json', JSON.stringify({ Records: Array.from({ length: 25 }, () => ({ eventName: 'X' })) }));
    const manyRead = await readAuditFile(many);
    assert.equal(manyRead.problems.length, 11);
    assert.equal(manyRead.problems[10], `${many}: … and 15 more records with problems (25 in all)`);
  });

  test('JSON Lines: a bad line is named by number; lookup-events items with bad CloudTrailEvent are named too', async () => {
    const [a, b] = records(2);
    const path = file('bad-line.jsonl', `${JSON.stringify(a)}\n{"eventID": \n${JSON.stringify(b)}\n`);
    const read = await readAuditFile(path);
    assert.equal(read.events.length, 2);
    assert.equal(read.problems.length, 1);
    assert.match(read.problems[0], /: line 2: not valid JSON \(.*\); skipped$/);
    const lookup = file('lookup.json', JSON.stringify({ Events: [{ EventId: 'e1', CloudTrailEvent: '{not json' }, { EventId: 'e2' }, { EventId: 'e3', CloudTrailEvent: JSON.stringify(a) }] }));
    const lookupRead = await readAuditFile(lookup);
    assert.equal(lookupRead.events.length, 1);
    assert.match(lookupRead.problems[0], /: Events\[0\]\.CloudTrailEvent \(EventId "e1"\): not valid JSON \(.*\); skipped$/);
    assert.equal(lookupRead.problems[1], `${lookup}: Events[1] (EventId "e2"): no CloudTrailEvent string, so no record to read; skipped`);
  });

  test('versions outside 1.0–1.11 are summed up per file, and read', async () => {
    const recs = records(3).map((r) => ({ ...r, eventVersion: '1.12' }));
    const path = file('future.json', JSON.stringify({ Records: recs }));
    const read = await readAuditFile(path);
    assert.equal(read.events.length, 3);
    assert.deepEqual(read.problems, [`${path}: 3 records with eventVersion "1.12", outside the 1.0–1.11 Sightline knows; read anyway`]);
  });

  test('paths that do not exist, and folders passed as files, are problems; the rest goes on', async () => {
    const goodPath = file('ok.json', good());
    const result = await importAll([join(scratch, 'nope'), goodPath]);
    assert.deepEqual(result.problems, [`${join(scratch, 'nope')}: no such file or folder`]);
    assert.equal(result.records, 3);
    const bytes = await readAuditBytes(Buffer.from(good()), 'in-memory');
    assert.equal(bytes.events.length, 3);
  });

  test('problems past maxProblems are counted in one line', async () => {
    const dir = join(scratch, 'many-bad');
    mkdirSync(dir);
    for (let i = 0; i < 12; i++) writeFileSync(join(dir, `bad${String(i).padStart(2, '0')}.json`), 'nope');
    const result = await importAll([dir], { maxProblems: 5 });
    assert.equal(result.problems.length, 6);
    assert.equal(result.problems[5], '… and 7 more problems');
  });
});

describe('folder trees', () => {
  let tree: Awaited<ReturnType<typeof writeLogTree>>;
  let treeDir: string;
  before(async () => {
    treeDir = join(scratch, 'tree');
    tree = await writeLogTree(treeDir, {
      accounts: ['111122223333', '444455556666'], regions: ['us-east-1', 'eu-west-1'], days: 2, filesPerDay: 3, recordsPerFile: 20,
      organizationId: 'o-exampleorgid', insights: true, digests: true, seed: 5,
    });
    writeFileSync(join(treeDir, 'AWSLogs', 'README.txt'), 'not a log');
    mkdirSync(join(treeDir, '.cache'));
    writeFileSync(join(treeDir, '.cache', 'x.json'), 'hidden');
  });

  test('the organisation layout is walked; Insight files read; digest folders and non-JSON names skipped', async () => {
    const listing = await listLogFiles([treeDir]);
    assert.deepEqual(listing.problems, []);
    assert.equal(listing.files.length, 2 * 2 * 2 * (3 + 1));
    assert.ok(listing.files.every((f) => /AWSLogs\/o-exampleorgid\/\d{12}\/CloudTrail(-Insight)?\/[a-z0-9-]+\/2026\/01\/0[56]\/\d{12}_CloudTrail(-Insight)?_[a-z0-9-]+_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/.test(f.path)), listing.files[0].path);
    assert.equal(listing.skipped, 1 + 2, 'README.txt and the two accounts\' CloudTrail-Digest folders');
    assert.ok(tree.digests.length > 0 && !listing.files.some((f) => f.path.includes('Digest')));

    const result = await importAll([treeDir]);
    assert.deepEqual(result.problems, []);
    assert.equal(result.records, tree.records);
    assert.equal(new Set(result.events.map((e) => e.id)).size, tree.distinct);
    assert.equal(result.events.filter((e) => e.category === 'Insight').length, 2 * 2 * 2 * 2);
    assert.equal(result.skipped, 3);
  });

  test('progress: files done of total, records, bytes; batches of at most batchSize, never two at once', async () => {
    const progress: ImportProgress[] = [];
    let inBatch = false;
    let overlapped = false;
    const sizes: number[] = [];
    const result = await importAuditPaths([treeDir], {
      batchSize: 7,
      concurrency: 3,
      onProgress: (p) => progress.push(p),
      onBatch: async (batch) => {
        if (inBatch) overlapped = true;
        inBatch = true;
        sizes.push(batch.length);
        await new Promise((resolve) => setImmediate(resolve));
        inBatch = false;
      },
    });
    assert.equal(overlapped, false);
    assert.ok(sizes.every((n) => n >= 1 && n <= 7));
    assert.equal(sizes.reduce((a, b) => a + b, 0), result.records);
    const last = progress[progress.length - 1];
    assert.equal(progress[0].filesDone, 0);
    assert.equal(last.filesDone, last.filesTotal);
    assert.equal(last.filesTotal, 32);
    assert.equal(last.records, result.records);
    assert.equal(last.bytes, last.bytesTotal);
    assert.equal(last.bytes, result.bytes);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].filesDone === progress[i - 1].filesDone + 1 && progress[i].records >= progress[i - 1].records);
  });

  test('cancelling stops before the next file and delivers nothing more', async () => {
    const controller = new AbortController();
    let delivered = 0;
    let afterAbort = 0;
    const result = await importAuditPaths([treeDir], {
      signal: controller.signal,
      concurrency: 1,
      onBatch: (batch) => {
        if (controller.signal.aborted) afterAbort++;
        delivered += batch.length;
        if (delivered >= 40) controller.abort();
      },
    });
    assert.equal(result.cancelled, true);
    assert.equal(afterAbort, 0);
    assert.equal(result.records, delivered);
    assert.ok(result.files < 32, `${result.files} files`);
  });

  test('a sink that throws ends the import with its error', async () => {
    await assert.rejects(importAuditPaths([treeDir], { onBatch: () => { throw new Error('store is full'); } }), /store is full/);
  });

  test('a tree copied twice: both copies delivered; the same eventIDs', async () => {
    const copy = join(scratch, 'copy');
    cpSync(join(treeDir, 'AWSLogs'), join(copy, 'AWSLogs'), { recursive: true });
    const result = await importAll([treeDir, copy, treeDir]);
    assert.equal(result.records, tree.records * 2, 'a path given twice is read once');
    assert.equal(new Set(result.events.map((e) => e.id)).size, tree.distinct);
  });

  test('plain .json trees and repeated records across files', async () => {
    const dir = join(scratch, 'plain');
    const plain = await writeLogTree(dir, { gzip: false, filesPerDay: 4, recordsPerFile: 50, repeatRate: 0.1, seed: 9 });
    assert.ok(plain.records > plain.distinct, 'some records repeat in the next file');
    const result = await importAll([dir]);
    assert.deepEqual(result.problems, []);
    assert.equal(result.records, plain.records);
    assert.equal(new Set(result.events.map((e) => e.id)).size, plain.distinct);
    assert.ok(readFileSync(plain.files[0], 'utf8').startsWith('{"Records":['));
  });
});
