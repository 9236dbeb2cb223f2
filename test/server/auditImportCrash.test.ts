// `sightline audit import` killed with SIGKILL mid-way (a crash, a closed terminal): every batch it
// committed is still there and readable, lookups work, and running the import again takes over the
// dead process's lock and completes the store. (The 500 MB version with figures is
// test/bench/auditLargeFolder.bench.ts.)
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openStore } from '../../server/storage';
import { writeLogTree } from '../support/cloudTrailGenerator';
import { killHard, segmentBytes, whenSegmentsReach } from '../support/importCrash';
import { distDir } from '../support/paths';

const cli = join(distDir, 'cli.js');
let work: string;
let logs: string;
let distinct: number;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'sightline-import-crash-'));
  logs = join(work, 'logs');
  // About 17k events (9 batches of 2,000), dated in the last days so the CLI's retention keeps them all.
  const tree = await writeLogTree(logs, { accounts: 1, regions: 2, days: 3, filesPerDay: 24, recordsPerFile: 120, start: Date.now() - 5 * 86_400_000, seed: 3 });
  distinct = tree.distinct;
});

after(() => {
  rmSync(work, { recursive: true, force: true });
});

function sightline(...args: string[]) {
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('an import killed with SIGKILL leaves every committed batch readable, and a re-run completes the store', async () => {
  const store = join(work, 'store');
  const child = spawn(process.execPath, [cli, 'audit', 'import', logs, '--store', store], { stdio: 'ignore' });
  // Kill right after the first committed batch: a batch grows the segment past its 16-byte header,
  // and a read-only open (which takes no lock) counts it once it is whole.
  let committed = 0;
  for (let bytes = 17; committed === 0; bytes = segmentBytes(join(store, 'audit')) + 1) {
    await whenSegmentsReach(join(store, 'audit'), bytes, child, 60_000);
    const peek = openStore(store, { name: 'audit', readOnly: true });
    committed = peek.store.count();
    peek.store.close();
  }
  await killHard(child);

  // Read-only, as a second window would open it while the dead process's lock is still there.
  const opened = openStore(store, { name: 'audit', readOnly: true });
  let stored: number;
  try {
    stored = opened.store.count();
    let parsed = 0;
    for (const record of opened.store.query({ newestFirst: false })) {
      const event = JSON.parse(String(record.body)) as { id: string; record: { eventID: string } };
      assert.equal(event.id, event.record.eventID);
      parsed++;
    }
    assert.equal(parsed, stored, 'every stored body reads back');
  } finally {
    opened.store.close();
  }
  assert.ok(stored >= committed && committed > 0, `the store holds ${stored} events after the kill; ${committed} were committed before it`);
  assert.ok(stored < distinct, `the kill came mid-way (${stored} of ${distinct} events stored, ${segmentBytes(join(store, 'audit'))} bytes)`);

  const lookup = sightline('audit', 'lookup', '--store', store, '--event-source', 's3.amazonaws.com', '--format', 'json');
  assert.equal(lookup.code, 0, lookup.stderr);
  const found = JSON.parse(lookup.stdout) as { eventSource: string; eventID: string }[];
  assert.ok(found.length > 0 && found.every((r) => r.eventSource === 's3.amazonaws.com'));
  const one = JSON.parse(sightline('audit', 'lookup', '--store', store, '--event-id', found[0].eventID, '--format', 'json').stdout) as unknown[];
  assert.deepEqual(one, [found[0]]);

  const rerun = sightline('audit', 'import', logs, '--store', store);
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.match(rerun.stderr, /Took over the lock .* no longer running/);
  const [, added, already, holds] = /Imported (\d+) new events .*\((\d+) already stored\); the store holds (\d+) events/.exec(rerun.stdout) ?? [];
  assert.deepEqual([Number(added), Number(already), Number(holds)], [distinct - stored, stored, distinct], rerun.stdout);
});
