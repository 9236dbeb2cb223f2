// `sightline audit` on a generated CloudTrail log tree in a temporary project.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { writeLogTree } from '../support/cloudTrailGenerator';
import { distDir } from '../support/paths';

let project: string;
function sightline(...args: string[]) {
  const run = spawnSync(process.execPath, [join(distDir, 'cli.js'), ...args], { cwd: project, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

before(async () => {
  project = mkdtempSync(join(tmpdir(), 'sightline-cli-audit-'));
  await writeLogTree(join(project, 'logs'), {});
});

describe('sightline audit', () => {
  test('import reads the AWSLogs tree into .sightline/, and again finds everything already stored', () => {
    const first = sightline('audit', 'import', 'logs');
    assert.equal(first.code, 0, first.stderr);
    const imported = Number(/Imported (\d+) new events/.exec(first.stdout)?.[1]);
    assert.ok(imported > 100, first.stdout);
    assert.match(sightline('audit', 'import', 'logs').stdout, /Imported 0 new events .*\((\d+) already stored\)/);
  });

  test('import says when retention drops events to stay within .sightline.json\'s audit.maxStorageMB', async () => {
    const small = mkdtempSync(join(tmpdir(), 'sightline-cli-audit-small-'));
    writeFileSync(join(small, '.sightline.json'), JSON.stringify({ audit: { maxStorageMB: 1 } }));
    await writeLogTree(join(small, 'logs'), { days: 2, recordsPerFile: 50 });
    const run = spawnSync(process.execPath, [join(distDir, 'cli.js'), 'audit', 'import', 'logs'], { cwd: small, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const imported = Number(/Imported (\d+) new events/.exec(run.stdout)?.[1]);
    const held = Number(/the store holds (\d+) events/.exec(run.stdout)?.[1]);
    assert.ok(held > 0 && held < imported, run.stdout);
    assert.match(run.stderr, new RegExp(`retention dropped the ${imported - held} oldest events to keep the store within 1 MB`));
  });

  test('lookup combines attributes and prints full records newest first as JSON', () => {
    const all = JSON.parse(sightline('audit', 'lookup', '--limit', '500', '--format', 'json').stdout) as { eventTime: string; eventID: string }[];
    assert.ok(all.length > 100);
    const times = all.map((r) => Date.parse(r.eventTime));
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
    const s3Writes = JSON.parse(sightline('audit', 'lookup', '--event-source', 's3.amazonaws.com', '--read-only', 'false', '--errors', '--format', 'json').stdout) as { eventSource: string; readOnly: boolean; errorCode?: string }[];
    assert.ok(s3Writes.length > 0, 'the generator writes failing S3 writes');
    for (const r of s3Writes) assert.deepEqual([r.eventSource, r.readOnly, typeof r.errorCode], ['s3.amazonaws.com', false, 'string']);
    const one = JSON.parse(sightline('audit', 'lookup', '--event-id', all[0].eventID, '--format', 'json').stdout);
    assert.deepEqual(one, [all[0]]);
  });

  test('who-changed answers in one line per change', () => {
    const deletes = JSON.parse(sightline('audit', 'lookup', '--event-name', 'DeleteBucket', '--format', 'json').stdout) as { requestParameters: { bucketName: string } }[];
    if (deletes.length === 0) return;
    const bucket = deletes[0].requestParameters.bucketName;
    const { stdout } = sightline('audit', 'who-changed', bucket);
    assert.match(stdout.split('\n')[0], /^\w+ by .+ from .+ at \d{4}-\d{2}-\d{2}T/);
  });

  test('detections and insights read the same store', () => {
    const detections = sightline('audit', 'detections', '--since', '400d', '--format', 'json');
    assert.equal(detections.code, 0, detections.stderr);
    const hits = JSON.parse(detections.stdout) as { detectionId: string; summary: string; title?: string }[];
    assert.ok(hits.length > 0, 'the generator writes root usage, policy changes and open security groups');
    assert.ok(hits.every((h) => h.title && h.summary));
    const insights = sightline('audit', 'insights', '--since', '400d');
    assert.equal(insights.code, 0, insights.stderr);
    assert.match(insights.stdout, /\d+ insights?\.\n$/);
  });

  test('usage errors exit 2', () => {
    assert.equal(sightline('audit', 'lookup', '--read-only', 'maybe').code, 2);
    assert.equal(sightline('audit', 'lookup', '--since', '7d', '--start', '2026-01-01T00:00:00Z').code, 2);
    assert.equal(sightline('audit', 'who-changed').code, 2);
    assert.equal(sightline('audit', 'import').code, 2);
  });
});
