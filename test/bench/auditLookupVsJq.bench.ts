// Issue 5, lookups with 1M events stored: for each attribute and for a 3-attribute combination,
// the p95 of our lookup (goal < 20 ms) and the ratio against `zcat … | jq 'select(...)'` over the
// same files, in the same run.
//
// 1. CloudTrail .json.gz files with 1M records (2 accounts × 2 Regions × 25 files a day × 200
//    records, 50 days) come from the generator, cached under /tmp/sightline-bench/ across runs.
// 2. They are imported into a store by the real import path (importAuditPaths →
//    AuditService.ingest → Store, fdatasync per batch); the store must then hold every record. The
//    import takes about 2 minutes on this shared machine, so the store is kept under
//    /tmp/sightline-bench/ for the next run, keyed by a hash of server/audit/ and server/store/ (a
//    change there imports again; SIGHTLINE_BENCH_REIMPORT=1 forces it). Either way the lookups run
//    on a store opened afresh, as the server finds it.
// 3. Per attribute, 200 lookups through AuditService.lookup (newest 50, bodies parsed: what the
//    Audit view and `sightline audit lookup` ask) with values drawn from the stored data: p50/p95.
// 4. jq. One question per attribute (9 in all) with a jq filter that spells out what the attribute
//    means on this data (e.g. a user name is the IAM user name or the role session name). jq parses
//    every record whatever it is asked — 35–60 s per question for 1.4 GiB of JSON on this machine —
//    so 9 separate runs would take most of 10 minutes. Instead:
//    - one jq pass over all files counts the matches of all 9 filters at once, and each count must
//      equal the store's full answer to the same question (a mismatch is printed loudly and the
//      benchmark exits 1);
//    - `zcat <files> | jq -c '.Records[] | select(F)' | wc -l` is timed, once, for 2 of the
//      questions: the 3-attribute combination and readOnly=false (the most output: 35 % of the
//      records). SIGHTLINE_BENCH_JQ=all, or a list of keys, times others.
//    The ratio jq wall time / our p95 is exact for the questions timed; for the others it uses the
//    fastest jq run measured (the counting pass included), a lower bound (printed with ≥), since
//    every run parses all records. On a busy machine the lookup p95s carry the load's stalls: the
//    CPU per query is printed next to them.
//    Also printed: jq / our full answer (every match, bodies parsed).
// Wall and CPU time (jq's from bash `times`: zcat, jq and wc together), and the load average.
// Run: node out/test/bench/auditLookupVsJq.bench.js
//   SIGHTLINE_BENCH_LOOKUP_EVENTS=N    events (default 1,000,000; a multiple of 20,000)
//   SIGHTLINE_BENCH_JQ=all | none | eventName,user,…   which questions to time with jq on their own
//   SIGHTLINE_BENCH_REIMPORT=1         import again even if a stored import is kept
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditService, auditTerm, type AuditLookup } from '../../server/audit/auditService';
import type { AuditEvent } from '../../server/audit/model';
import { importAuditPaths } from '../../server/audit/readers';
import type { Query } from '../../server/store/query';
import { Store } from '../../server/store/store';
import { cachedLogTree, mib } from '../support/cachedLogTrees';
import { Rng } from '../support/cloudTrailGenerator';
import { repoRoot } from '../support/paths';
import { goal, header, int, ms, percentile } from './report';

const events = Number(process.env.SIGHTLINE_BENCH_LOOKUP_EVENTS ?? 1_000_000);
const jqChoice = process.env.SIGHTLINE_BENCH_JQ ?? 'combo,readOnly';
const lookupsPerAttribute = 200;
const goalMs = 20;
const perDay = 2 * 2 * 25 * 200;
const dayMs = 24 * 3600 * 1000;
const start = Date.parse('2026-01-05T00:00:00Z');

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const cpuMsSince = (begin: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(begin);
  return (used.user + used.system) / 1000;
};
const q = JSON.stringify;
/** Sub-millisecond times with their digits: a p95 of 0.04 ms should not print as 0.0 ms. */
const fine = (value: number) => (value < 1 ? `${value.toFixed(3)} ms` : ms(value));
const parse = (body: Uint8Array | string) => JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8')) as AuditEvent;

/** The store query AuditService.lookup builds, without its limit: the full answer, streamed. */
function queryOf(lookup: AuditLookup): Query {
  const all: string[] = [];
  if (lookup.eventName) all.push(auditTerm.eventName(lookup.eventName));
  if (lookup.eventSource) all.push(auditTerm.eventSource(lookup.eventSource));
  if (lookup.user) all.push(auditTerm.user(lookup.user));
  if (lookup.resourceType) all.push(auditTerm.resourceType(lookup.resourceType));
  if (lookup.accessKey) all.push(auditTerm.accessKey(lookup.accessKey));
  if (lookup.readOnly !== undefined) all.push(auditTerm.readOnly(lookup.readOnly));
  const any = lookup.resource ? [auditTerm.resourceName(lookup.resource), auditTerm.resourceArn(lookup.resource)] : undefined;
  return { all, any, newestFirst: true };
}

/** Every match, bodies parsed (as lookup does), one at a time so 350k matches do not sit in memory. */
function fullAnswer(store: Store, lookup: AuditLookup): { newest: string[]; count: number; ms: number } {
  const started = performance.now();
  if (lookup.eventId) {
    const record = store.get(lookup.eventId);
    const newest = record ? [parse(record.body).id] : [];
    return { newest, count: newest.length, ms: performance.now() - started };
  }
  const newest: string[] = [];
  let count = 0;
  for (const record of store.query(queryOf(lookup))) {
    const event = parse(record.body);
    if (count++ < 50) newest.push(event.id);
  }
  return { newest, count, ms: performance.now() - started };
}

interface ShellRun {
  /** The first line of the pipeline's output. */
  output: string;
  wallMs: number;
  /** CPU of the pipeline's processes (zcat, jq, wc), from bash's `times`. */
  cpuMs: number;
}

/** `zcat <files> | <rest>` in bash; the file names go in as arguments, the jq program in $JQ_PROGRAM. */
function zcatInto(files: readonly string[], rest: string, program: string): ShellRun {
  const script = `set -o pipefail; zcat -- "$@" | ${rest}; times`;
  const started = performance.now();
  const run = spawnSync('bash', ['-c', script, 'jq-bench', ...files], { encoding: 'utf8', env: { ...process.env, JQ_PROGRAM: program }, maxBuffer: 16 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  if (run.status !== 0) throw new Error(`zcat | jq failed (exit ${run.status}): ${run.stderr.slice(0, 500)}`);
  const lines = run.stdout.trim().split('\n');
  // `times` prints the shell's user and system time, then its children's: "0m12.345s 0m1.234s".
  const seconds = (text: string) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(text);
    return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  };
  const [user, system] = lines[lines.length - 1].split(/\s+/).map(seconds);
  return { output: lines[0], wallMs, cpuMs: (user + system) * 1000 };
}

interface Question {
  label: string;
  key: string;
  lookup: AuditLookup;
  /** The jq condition for the same question on the generator's records. */
  jq: string;
}

/** A hash of the code that decides what an import stores: server/audit/ and server/store/ (the sources, as they are now). */
function productHash(): string {
  const hash = createHash('sha1');
  for (const folder of ['server/audit', 'server/store']) {
    for (const name of readdirSync(join(repoRoot, folder)).filter((n) => n.endsWith('.ts')).sort()) hash.update(name).update(readFileSync(join(repoRoot, folder, name)));
  }
  return hash.digest('hex').slice(0, 12);
}

/** The imported store, kept for the next run under a name that changes with the code that wrote it. */
async function importedStore(treeRoot: string, days: number, expected: number): Promise<{ store: Store; note: string }> {
  const prefix = `audit-lookup-store-${days}d-`;
  const base = join(tmpdir(), 'sightline-bench');
  const dir = join(base, prefix + productHash());
  const marker = join(dir, 'imported.txt');
  // A kept store of an older bundle is 2.5 GB of disk: one is enough.
  for (const name of readdirSync(base)) if (name.startsWith(prefix) && join(base, name) !== dir) rmSync(join(base, name), { recursive: true, force: true });
  let note: string;
  if (existsSync(marker) && process.env.SIGHTLINE_BENCH_REIMPORT !== '1') {
    note = `kept from an earlier run: ${readFileSync(marker, 'utf8').trim()}`;
  } else {
    rmSync(dir, { recursive: true, force: true });
    const store = Store.open(dir, { name: 'audit', retention: { maxAgeMs: Infinity, maxBytes: Infinity } });
    const service = new AuditService(store);
    const wall = performance.now();
    const cpu = process.cpuUsage();
    const result = await importAuditPaths([join(treeRoot, 'AWSLogs')], { onBatch: (batch) => void service.ingest(batch) });
    const importMs = performance.now() - wall;
    const importCpuMs = cpuMsSince(cpu);
    store.close();
    if (result.problems.length) throw new Error(`import reported problems: ${result.problems.slice(0, 3).join('; ')}`);
    note = `${int(result.records)} events in ${(importMs / 1000).toFixed(1)} s wall (${int(result.records / (importMs / 1000))}/s),`
      + ` ${(importCpuMs / 1000).toFixed(1)} s CPU (${int(result.records / (importCpuMs / 1000))} per CPU-second), load ${load()}, ${new Date().toISOString()}`;
    writeFileSync(marker, note);
    note = `imported now: ${note}`;
  }
  const opened = performance.now();
  const store = Store.open(dir, { name: 'audit', retention: { maxAgeMs: Infinity, maxBytes: Infinity } });
  note += `\n  store opened in ${ms(performance.now() - opened)}`;
  for (const problem of store.problems) note += `\n  (store: ${problem})`;
  if (store.count() !== expected) throw new Error(`the store holds ${store.count()} events, the files ${expected}`);
  return { store, note };
}

async function main(): Promise<void> {
  if (events % perDay !== 0) throw new Error(`SIGHTLINE_BENCH_LOOKUP_EVENTS must be a multiple of ${perDay}`);
  const days = events / perDay;
  console.log(`${cpus().length} cores, Node ${process.version}, load average ${load()} at start`);

  const tree = await cachedLogTree(`audit-lookup-v1-${days}d`, [{ accounts: 2, regions: 2, days, filesPerDay: 25, recordsPerFile: 200, seed: 5, start }]);
  header(`Audit lookups with ${int(events)} events stored, against zcat | jq over the same files`);
  console.log(`  log files ${tree.root} (${tree.built ? `written now in ${(tree.buildMs / 1000).toFixed(1)} s` : 'cached'}): ${int(tree.files.length)} .json.gz files,`
    + ` ${int(tree.records)} records, ${mib(tree.bytes)} gzip, ${mib(tree.uncompressedBytes)} uncompressed`);
  const { store, note } = await importedStore(tree.root, days, tree.records);
  console.log(`  import (importAuditPaths → AuditService.ingest, fdatasync per batch), ${note}`);
  const service = new AuditService(store);
  let failed = false;
  try {
    // ── Our lookups: many values per attribute ──────────────────────────────────────────────
    const rng = new Rng(7);
    const pick = <T>(list: readonly T[]) => list[rng.int(list.length)];
    // Events at random times (eventIDs and attribute combinations that exist).
    const samples: AuditEvent[] = [];
    for (let i = 0; i < 500; i++) {
      const [record] = store.query({ from: start + rng.next() * days * dayMs, limit: 1, newestFirst: false });
      if (record) samples.push(parse(record.body));
    }
    const values = (prefix: string) => store.terms(prefix).map((t) => t.slice(prefix.length));
    // User names, not the ARNs, principal ids and account ids the same index also holds.
    const userNames = values('u=').filter((u) => !u.includes(':') && !u.includes('/') && !/^A(IDA|ROA)[A-Z2-7]{10,}$/.test(u) && !/^\d{12}$/.test(u));
    const attributes: [string, () => AuditLookup][] = [
      ['eventName', ((list) => () => ({ eventName: pick(list) }))(values('en='))],
      ['eventSource', ((list) => () => ({ eventSource: pick(list) }))(values('es='))],
      ['user name', () => ({ user: pick(userNames) })],
      ['resource name', ((list) => () => ({ resource: pick(list) }))(values('rn='))],
      ['resource type', ((list) => () => ({ resourceType: pick(list) }))(values('rt='))],
      ['accessKeyId', ((list) => () => ({ accessKey: pick(list) }))(values('ak='))],
      ['eventId', () => ({ eventId: pick(samples).id })],
      ['readOnly', () => ({ readOnly: rng.chance(0.5) })],
      ['3 attributes (eventSource + user + readOnly)', () => {
        const s = pick(samples);
        return { eventSource: s.eventSource, user: s.identity.name, readOnly: s.readOnly };
      }],
    ];
    const p95ByLabel = new Map<string, number>();
    console.log(`\n  Our lookups: AuditService.lookup, newest 50, bodies parsed; ${lookupsPerAttribute} queries per attribute with values drawn from the stored data`);
    for (const [label, make] of attributes) {
      const times: number[] = [];
      let empty = 0;
      const cpuStart = process.cpuUsage();
      for (let i = 0; i < lookupsPerAttribute; i++) {
        const lookup = make();
        const started = performance.now();
        const found = service.lookup(lookup);
        times.push(performance.now() - started);
        if (found.length === 0) empty++;
      }
      const cpuMs = cpuMsSince(cpuStart);
      const p95 = percentile(times, 95);
      p95ByLabel.set(label, p95);
      console.log(`    by ${label.padEnd(46)} p50 ${fine(percentile(times, 50)).padStart(9)}  p95 ${fine(p95).padStart(9)}  max ${fine(Math.max(...times)).padStart(9)}`
        + `  (CPU ${fine(cpuMs / lookupsPerAttribute)}/query; ${empty} empty)  goal < ${goalMs} ms: ${goal(p95 < goalMs)}`);
    }

    // ── The same questions: our full answer, and jq ─────────────────────────────────────────
    const akia = values('ak=').filter((k) => k.startsWith('AKIA'));
    const eventId = samples[samples.length >> 1].id;
    const alice = `(.userIdentity.userName == ${q('alice')} or (.userIdentity.type == "AssumedRole" and ((.userIdentity.arn // "") | endswith(${q('/alice')}))))`;
    const questions: Question[] = [
      { label: 'eventName', key: 'eventName', lookup: { eventName: 'DeleteObject' }, jq: `.eventName == ${q('DeleteObject')}` },
      { label: 'eventSource', key: 'eventSource', lookup: { eventSource: 'kms.amazonaws.com' }, jq: `.eventSource == ${q('kms.amazonaws.com')}` },
      { label: 'user name', key: 'user', lookup: { user: 'alice' }, jq: alice },
      {
        label: 'resource name', key: 'resource', lookup: { resource: 'orders-archive' },
        jq: `.requestParameters.bucketName == ${q('orders-archive')} or any(.resources[]?; .ARN == ${q('arn:aws:s3:::orders-archive')})`,
      },
      {
        label: 'resource type', key: 'resourceType', lookup: { resourceType: 'AWS::DynamoDB::Table' },
        jq: `any(.resources[]?; .type == ${q('AWS::DynamoDB::Table')}) or (.eventSource == "dynamodb.amazonaws.com" and .requestParameters.tableName != null)`,
      },
      { label: 'accessKeyId', key: 'accessKeyId', lookup: { accessKey: akia[0] }, jq: `.userIdentity.accessKeyId == ${q(akia[0])}` },
      { label: 'eventId', key: 'eventId', lookup: { eventId }, jq: `.eventID == ${q(eventId)}` },
      { label: 'readOnly', key: 'readOnly', lookup: { readOnly: false }, jq: '.readOnly == false' },
      {
        label: '3 attributes (eventSource + user + readOnly)', key: 'combo', lookup: { eventSource: 's3.amazonaws.com', user: 'alice', readOnly: false },
        jq: `.eventSource == ${q('s3.amazonaws.com')} and .readOnly == false and ${alice}`,
      },
    ];
    const timed = questions.filter((question) => jqChoice === 'all' || jqChoice.split(',').includes(question.key));
    const jqVersion = spawnSync('jq', ['--version'], { encoding: 'utf8' }).stdout.trim();

    console.log(`\n  Counts: one ${jqVersion} pass over the ${int(tree.files.length)} files counts all ${questions.length} filters; each must equal the store's full answer`);
    const countProgram = `reduce (inputs | .Records[] | [${questions.map((question) => `(${question.jq})`).join(', ')}]) as $m`
      + ` ([${questions.map(() => '0').join(',')}]; [range(0; ${questions.length}) as $i | .[$i] + (if $m[$i] then 1 else 0 end)])`;
    const counting = zcatInto(tree.files, 'jq -n -c "$JQ_PROGRAM"', countProgram);
    const jqCounts = JSON.parse(counting.output) as number[];
    console.log(`    the counting pass: wall ${(counting.wallMs / 1000).toFixed(1)} s, CPU ${(counting.cpuMs / 1000).toFixed(1)} s   [load ${load()}]`);

    const answers = questions.map((question) => {
      const ours = fullAnswer(store, question.lookup);
      const limited = service.lookup(question.lookup).map((e) => e.id);
      // The streamed full answer must be the query lookup() makes: its newest 50 are lookup()'s 50.
      if (ours.newest.join() !== limited.join()) {
        console.log(`    !!! ${question.label}: the full answer's newest 50 differ from AuditService.lookup's`);
        failed = true;
      }
      return ours;
    });
    questions.forEach((question, i) => {
      const same = jqCounts[i] === answers[i].count;
      if (!same) failed = true;
      console.log(`    ${question.label.padEnd(46)} ${same ? `${int(answers[i].count).padStart(7)} matches, store and jq` : `!!! MISMATCH: store ${int(answers[i].count)}, jq ${int(jqCounts[i])}`}`
        + `   (our full answer, every match parsed: ${fine(answers[i].ms)})`);
    });

    console.log(`\n  Time: zcat <files> | jq -c '.Records[] | select(F)' | wc -l, one run each for ${timed.map((t) => t.key).join(', ') || 'none'}`);
    const jqWall = new Map<string, number>();
    for (const question of timed) {
      const run = zcatInto(tree.files, 'jq -c "$JQ_PROGRAM" | wc -l', `.Records[] | select(${question.jq})`);
      const i = questions.indexOf(question);
      if (Number(run.output) !== answers[i].count) {
        failed = true;
        console.log(`    !!! MISMATCH for ${question.label}: select printed ${run.output} records, the store has ${answers[i].count}`);
      }
      jqWall.set(question.key, run.wallMs);
      console.log(`    ${question.label.padEnd(46)} wall ${(run.wallMs / 1000).toFixed(1)} s, CPU ${(run.cpuMs / 1000).toFixed(1)} s, ${int(Number(run.output))} records printed   [load ${load()}]`);
    }
    const floor = Math.min(...jqWall.values(), counting.wallMs);
    console.log(`\n  Ratios (jq wall time / ours; ≥: the fastest jq run measured, ${(floor / 1000).toFixed(1)} s, as every jq run parses all ${int(tree.records)} records):`);
    questions.forEach((question, i) => {
      const measured = jqWall.get(question.key);
      const jq = measured ?? floor;
      const sign = measured === undefined ? '≥' : '';
      const p95 = p95ByLabel.get(question.label)!;
      console.log(`    ${question.label.padEnd(46)} jq / our p95 (${fine(p95)}) = ${sign}${int(jq / p95)}×;   jq / our full answer (${fine(answers[i].ms)}) = ${sign}${int(jq / Math.max(answers[i].ms, 0.001))}×`);
    });
  } finally {
    store.close();
  }
  console.log(`\nload average ${load()} at end`);
  if (failed) {
    console.error('\nMISMATCH between the store and jq (see !!! above)');
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
