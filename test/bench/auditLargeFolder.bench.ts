// Issue 5, "a 500 MB folder": a CloudTrail folder of about 500 MiB of JSON (uncompressed), .json.gz
// and plain .json files mixed in the same AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD folders,
// with CloudTrail-Digest files the import must skip. Written by the generator into
// /tmp/sightline-bench/ once and reused.
//
// A. In this process, the path of the server's "Import CloudTrail Logs…" command
//    (importAuditPaths with onProgress and an AbortSignal, batches to AuditService.ingest): how
//    often progress comes (time to the first report, longest gap between two), and Cancel at 40 % of
//    the files: the store, closed and opened again, must hold exactly the events delivered before
//    the cancel, answer lookups, and a second import of the folder must complete it.
// B. `node dist/cli.js audit import <dir> --store <tmp>` in a fresh process, under /usr/bin/time:
//    peak RSS for the whole folder and for a quarter of it (one account's one Region), to show
//    memory does not grow with the folder (the store's in-memory index does grow with the events).
// C. The same CLI import killed with SIGKILL once its store holds about 40 % of the final bytes:
//    the events committed before the kill (counted by a read-only open just before it) must all be
//    there when the store is opened again (read-only, as a second window would; then writable, as
//    the next import would), every stored body must parse and lookups must work. (test/server/auditImportCrash.test.ts also re-runs the import
//    after the kill: it takes over the dead process's lock and completes the store.)
// Prints figures; exits 1 only if a check fails. Wall and CPU time, load average (shared machine).
// Run: node out/test/bench/auditLargeFolder.bench.js   (needs dist/: node esbuild.mjs)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditService } from '../../server/audit/auditService';
import { importAuditPaths, type ImportProgress } from '../../server/audit/readers';
import { dayMs, openStore } from '../../server/storage';
import type { StoreOptions } from '../../server/store/store';
import { cachedLogTree, mib } from '../support/cachedLogTrees';
import { killHard, segmentBytes, whenSegmentsReach } from '../support/importCrash';
import { distDir } from '../support/paths';
import { header, int } from './report';

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
/** The store options `sightline audit import` opens with (server/audit/auditCli.ts). */
const cliStoreOptions: StoreOptions = { name: 'audit', retention: { maxAgeMs: 400 * dayMs } };
const cli = join(distDir, 'cli.js');
const accounts = ['111122223333', '444455556666'];
const regions = ['us-east-1', 'eu-west-1'];

let failures = 0;
function check(ok: boolean, message: string): void {
  if (ok) return;
  failures++;
  console.log(`    !!! ${message}`);
}

/**
 * The store in `dir`, opened as the CLI opens it (read-only: without taking the lock, as a second
 * window would); the events and a few lookups as evidence that it reads back.
 */
function inspect(dir: string, options: { readOnly?: boolean; sampleId?: string } = {}): { count: number; parsed: number; problems: readonly string[]; lookups: string } {
  const opened = openStore(dir, { ...cliStoreOptions, readOnly: options.readOnly });
  try {
    const service = new AuditService(opened.store);
    let parsed = 0;
    for (const record of opened.store.query({ newestFirst: false })) {
      JSON.parse(typeof record.body === 'string' ? record.body : Buffer.from(record.body).toString('utf8'));
      parsed++;
    }
    const s3Writes = service.lookup({ eventSource: 's3.amazonaws.com', readOnly: false, limit: 50 });
    const byUser = service.lookup({ user: 'alice', limit: 50 });
    const byResource = service.whoChanged('orders-archive');
    const id = options.sampleId ?? s3Writes[0]?.id;
    const byId = id ? service.lookup({ eventId: id }) : [];
    check(s3Writes.length > 0 && byUser.length > 0 && byId.length === 1, `lookups on the reopened store came back empty (s3 writes ${s3Writes.length}, alice ${byUser.length}, by id ${byId.length})`);
    return {
      count: opened.store.count(), parsed, problems: opened.problems,
      lookups: `S3 writes ${s3Writes.length}, user alice ${byUser.length}, who changed orders-archive ${byResource.length}, by eventId ${byId.length}`,
    };
  } finally {
    opened.store.close();
  }
}

interface TimedCli {
  stdout: string;
  stderr: string;
  peakRssMib: number;
  wallMs: number;
  cpuMs: number;
}

/** `node dist/cli.js audit import <path> --store <dir>` under /usr/bin/time, for the peak RSS of the fresh process. */
function cliImport(path: string, store: string): TimedCli {
  const timeFile = join(store, '..', `time-${process.pid}-${Date.now()}.txt`);
  const run = spawnSync('/usr/bin/time', ['-f', '%M %e %U %S', '-o', timeFile, process.execPath, cli, 'audit', 'import', path, '--store', store], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const [kb, wall, user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  rmSync(timeFile, { force: true });
  if (run.status !== 0) throw new Error(`the CLI import failed (exit ${run.status}): ${run.stderr.slice(0, 1000)}`);
  return { stdout: run.stdout.trim(), stderr: run.stderr.trim(), peakRssMib: kb / 1024, wallMs: wall * 1000, cpuMs: (user + system) * 1000 };
}

function heldBy(stdout: string): number {
  return Number(/the store holds (\d+) events/.exec(stdout)?.[1] ?? NaN);
}

async function main(): Promise<void> {
  console.log(`${cpus().length} cores, Node ${process.version}, load average ${load()} at start`);
  // 2 accounts × 2 Regions × 9 days × 24 files a day × 200 records, twice: once .json.gz (with a
  // digest per account, Region and day), once plain .json, into the same day folders.
  const part = { accounts, regions, days: 9, filesPerDay: 24, recordsPerFile: 200, start: '2026-10-01' };
  const tree = await cachedLogTree('audit-large-folder-v1', [{ ...part, gzip: true, seed: 11, digests: true }, { ...part, gzip: false, seed: 12 }]);
  const logs = join(tree.root, 'AWSLogs');
  header('Importing a 500 MB CloudTrail folder');
  console.log(`  ${tree.root} (${tree.built ? `written now in ${seconds(tree.buildMs)}` : 'cached'}): ${int(tree.files.length)} log files (${int(tree.gzipFiles)} .json.gz, ${int(tree.plainFiles)} .json)`
    + ` + digests, ${mib(tree.uncompressedBytes)} of JSON (${mib(tree.bytes)} on disk), ${int(tree.distinct)} events`);
  const work = mkdtempSync(join(tmpdir(), 'sightline-large-folder-'));
  try {
    // ── A. In process: progress and Cancel ─────────────────────────────────────────────────────
    console.log('\n  A. importAuditPaths → AuditService.ingest in this process (the server command\'s path), cancelled at 40 % of the files, then run again');
    const dirA = join(work, 'a');
    let opened = openStore(dirA, cliStoreOptions);
    let service = new AuditService(opened.store);
    const abort = new AbortController();
    const updates: (ImportProgress & { at: number })[] = [];
    let inserted = 0;
    let sampleId: string | undefined;
    const started = performance.now();
    const cpu = process.cpuUsage();
    const cancelled = await importAuditPaths([logs], {
      signal: abort.signal,
      onBatch(events) {
        const added = service.ingest(events);
        inserted += added.inserted + added.replaced;
        sampleId ??= events[events.length >> 1]?.id;
      },
      onProgress(p) {
        updates.push({ ...p, at: performance.now() - started });
        if (p.filesTotal > 0 && p.filesDone >= p.filesTotal * 0.4) abort.abort();
      },
    });
    const cancelMs = performance.now() - started;
    const cancelCpuMs = cpuMsSince(cpu);
    opened.store.close();
    const gaps = updates.slice(1).map((u, i) => u.at - updates[i].at);
    const last = updates[updates.length - 1];
    console.log(`    progress: ${int(updates.length)} reports; the first after ${(updates[0]?.at ?? NaN).toFixed(0)} ms (${updates[0]?.filesTotal} files found), then every ${(cancelMs / updates.length).toFixed(0)} ms on average, longest gap ${Math.max(...gaps).toFixed(0)} ms`);
    for (const share of [0.1, 0.2, 0.3, 0.4]) {
      const u = updates.find((x) => x.filesDone >= x.filesTotal * share);
      if (u) console.log(`      ${seconds(u.at).padStart(7)}: ${int(u.filesDone)} of ${int(u.filesTotal)} files, ${int(u.records)} events, ${mib(u.bytes)} of ${mib(u.bytesTotal)} read`);
    }
    console.log(`    cancelled after ${seconds(cancelMs)} (CPU ${seconds(cancelCpuMs)}): cancelled=${cancelled.cancelled}, ${int(cancelled.files)} files, ${int(cancelled.records)} events delivered`
      + ` (${int(cancelled.records / (cancelMs / 1000))} events/s wall, ${int(cancelled.records / (cancelCpuMs / 1000))} per CPU-second); last progress: ${int(last.filesDone)} files`);
    check(cancelled.cancelled, 'the import did not say it was cancelled');
    const afterCancel = inspect(dirA, { sampleId });
    console.log(`    reopened: ${int(afterCancel.count)} events (delivered ${int(cancelled.records)}, stored ${int(inserted)}), ${int(afterCancel.parsed)} bodies parse; lookups: ${afterCancel.lookups}`);
    check(afterCancel.count === inserted && inserted === cancelled.records, `after Cancel the store holds ${afterCancel.count} events, but ${cancelled.records} were delivered and ${inserted} stored`);
    check(afterCancel.parsed === afterCancel.count, `${afterCancel.parsed} of ${afterCancel.count} bodies read back`);
    check(afterCancel.count < tree.distinct, 'the cancel came after everything was imported');
    opened = openStore(dirA, cliStoreOptions);
    service = new AuditService(opened.store);
    let again = 0;
    let duplicates = 0;
    const resumeStarted = performance.now();
    const resumed = await importAuditPaths([logs], {
      onBatch(events) {
        const added = service.ingest(events);
        again += added.inserted + added.replaced;
        duplicates += added.duplicates;
      },
    });
    const resumeMs = performance.now() - resumeStarted;
    const finalCount = opened.store.count();
    opened.store.close();
    console.log(`    imported again: ${int(again)} new events, ${int(duplicates)} already stored, ${int(resumed.skipped)} digests and other files skipped, ${resumed.problems.length} problems,`
      + ` in ${seconds(resumeMs)}; the store holds ${int(finalCount)} of ${int(tree.distinct)} events`);
    check(finalCount === tree.distinct, `after the second import the store holds ${finalCount} events, not ${tree.distinct}`);
    check(resumed.problems.length === 0, `the import reported problems: ${resumed.problems.slice(0, 3).join('; ')}`);
    rmSync(dirA, { recursive: true, force: true });

    // ── B. The CLI in a fresh process: peak memory ─────────────────────────────────────────────
    console.log(`\n  B. node dist/cli.js audit import <folder> --store <tmp>, a fresh process under /usr/bin/time (the CLI prints no progress, only its closing line)   [load ${load()}]`);
    const quarterPath = join(logs, accounts[0], 'CloudTrail', regions[0]);
    const quarter = cliImport(quarterPath, join(work, 'b-quarter'));
    const full = cliImport(logs, join(work, 'b-full'));
    const fullStoreBytes = segmentBytes(join(work, 'b-full', 'audit'));
    for (const [label, run] of [['a quarter (one account, one Region)', quarter], ['the whole folder', full]] as const) {
      const events = heldBy(run.stdout);
      console.log(`    ${label.padEnd(36)} peak RSS ${int(run.peakRssMib).padStart(5)} MiB; wall ${seconds(run.wallMs)}, CPU ${seconds(run.cpuMs)} → ${int(events / (run.wallMs / 1000))} events/s wall,`
        + ` ${int(events / (run.cpuMs / 1000))} per CPU-second`);
      console.log(`    ${''.padEnd(36)} "${run.stdout}"`);
    }
    check(heldBy(full.stdout) === tree.distinct, `the CLI's store holds ${heldBy(full.stdout)} events, not ${tree.distinct} (retention? the tree starts ${part.start}, the CLI keeps 400 days)`);
    console.log(`    4× the input → peak RSS ×${(full.peakRssMib / quarter.peakRssMib).toFixed(2)}; store ${mib(fullStoreBytes)} of segments for ${mib(tree.uncompressedBytes)} of JSON`);
    rmSync(join(work, 'b-quarter'), { recursive: true, force: true });
    rmSync(join(work, 'b-full'), { recursive: true, force: true });

    // ── C. The CLI killed mid-way ──────────────────────────────────────────────────────────────
    console.log(`\n  C. the same CLI import, killed with SIGKILL at about 40 % of the store's final size (${mib(fullStoreBytes * 0.4)} of segments)   [load ${load()}]`);
    const dirC = join(work, 'c');
    const child = spawn(process.execPath, [cli, 'audit', 'import', logs, '--store', dirC], { stdio: ['ignore', 'pipe', 'pipe'] });
    let childOut = '';
    child.stdout.on('data', (chunk: Buffer) => (childOut += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (childOut += chunk.toString()));
    const killStarted = performance.now();
    const reached = await whenSegmentsReach(join(dirC, 'audit'), fullStoreBytes * 0.4, child, 600_000);
    // What was committed at this moment: a read-only open takes no lock and sees every batch written so far.
    const peek = openStore(dirC, { ...cliStoreOptions, readOnly: true });
    const committed = peek.store.count();
    peek.store.close();
    await killHard(child);
    console.log(`    killed after ${seconds(performance.now() - killStarted)} with ${mib(reached)} of segments; a read-only open just before the kill counted ${int(committed)} events${childOut ? `; the CLI had printed: ${childOut.trim()}` : ''}`);
    // First read-only (no lock: what a second window sees), then writable, as the next import or the
    // server opens it: that takes over the dead process's lock and recovers whatever the kill tore.
    const afterKill = inspect(dirC, { readOnly: true });
    console.log(`    opened read-only: ${int(afterKill.count)} events, ${int(afterKill.parsed)} bodies parse; lookups: ${afterKill.lookups}`);
    for (const problem of afterKill.problems) console.log(`      store: ${problem}`);
    check(afterKill.count >= committed, `after the kill the store holds ${afterKill.count} events, fewer than the ${committed} committed before it`);
    check(afterKill.count > 0 && afterKill.count < tree.distinct, `after the kill the store holds ${afterKill.count} of ${tree.distinct} events: the kill was not mid-way`);
    check(afterKill.parsed === afterKill.count, `${afterKill.parsed} of ${afterKill.count} bodies read back`);
    const recovered = inspect(dirC);
    console.log(`    opened writable: ${int(recovered.count)} events, ${int(recovered.parsed)} bodies parse; lookups: ${recovered.lookups}`);
    for (const problem of recovered.problems) console.log(`      store: ${problem}`);
    check(recovered.count === afterKill.count && recovered.parsed === recovered.count, `the writable open holds ${recovered.count} events (${recovered.parsed} parse), the read-only one ${afterKill.count}`);
    // That a re-run then takes over the dead process's lock and completes the store is checked (on a
    // smaller folder) by test/server/auditImportCrash.test.ts; here it would add another full import.
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`\nload average ${load()} at end`);
  if (failures > 0) {
    console.error(`\n${failures} check(s) failed (see !!! above)`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
