// `sightline traces` on a store in a temporary project: import, list, and the per-function
// numbers, which must equal what the CodeLens shows for the same spans.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { handlerTraces } from '../support/otlpData';
import { distDir } from '../support/paths';

let project: string;
function sightline(...args: string[]) {
  const run = spawnSync(process.execPath, [join(distDir, 'cli.js'), ...args], { cwd: project, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

before(() => {
  project = mkdtempSync(join(tmpdir(), 'sightline-cli-traces-'));
  mkdirSync(join(project, 'src'));
  writeFileSync(join(project, 'src', 'app.py'), 'import json\n\n\ndef handler(event, context):\n    return process(json.loads(event["body"]))\n\n\ndef process(order):\n    return order\n');
  writeFileSync(join(project, '.sightline.json'), JSON.stringify({ traces: { pathMappings: { '/var/task/': 'src/' } } }));
  writeFileSync(join(project, 'traces.json'), handlerTraces(20));
});

describe('sightline traces', () => {
  test('import stores spans in .sightline/ and reports duplicates on a second run', () => {
    const first = sightline('traces', 'import', 'traces.json');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Imported 40 new spans from 1 files \(0 already stored\); the store holds 40 spans in 20 traces\./);
    assert.match(sightline('traces', 'import', 'traces.json').stdout, /Imported 0 new spans .* \(40 already stored\)/);
  });

  test('functions prints exactly the CodeLens numbers, by nearest rank', () => {
    const { code, stdout } = sightline('traces', 'functions', 'src/app.py', '--format', 'json');
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(stdout), [
      { function: 'handler', file: join('src', 'app.py'), line: 4, calls: 20, p50Ms: 19, p95Ms: 28, errorRate: 0.05 },
      { function: 'process', file: join('src', 'app.py'), line: 8, calls: 20, p50Ms: 2, p95Ms: 2, errorRate: 0 },
    ]);
    assert.match(sightline('traces', 'functions', 'src/app.py').stdout, /src\/app\.py:4 {2}handler {2}20 calls · p50 19 ms · p95 28 ms · 5\.0% errors/);
  });

  test('list filters by duration and errors, in text and JSON', () => {
    const slow = JSON.parse(sightline('traces', 'list', '--min-duration', '25ms', '--sort', 'slowest', '--format', 'json').stdout);
    assert.deepEqual(slow.map((t: { durationMs: number }) => t.durationMs), [29, 28, 27, 26, 25]);
    const errors = sightline('traces', 'list', '--errors');
    assert.match(errors.stdout, /orders handler {2}error ×1\n1 trace\.\n$/);
  });

  test('receive stores what an OTLP exporter sends, until interrupted', async () => {
    const child = spawn(process.execPath, [join(distDir, 'cli.js'), 'receive', '--store', 'received', '--otlp-port', '0', '--no-xray'], { cwd: project });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /Receiving OTLP\/HTTP traces at (\S+)/.exec(stderr);
        if (match && stderr.includes('Ctrl+C')) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error(`receive exited early: ${stderr}`)));
    });
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: handlerTraces(4) });
    assert.equal(response.status, 200);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.match(stderr, /Received 8 spans\./);
    assert.match(sightline('traces', 'list', '--store', 'received').stdout, /4 traces\.\n$/);
  });

  test('usage errors exit 2', () => {
    assert.equal(sightline('traces').code, 2);
    assert.equal(sightline('traces', 'list', '--min-duration', 'soon').code, 2);
    assert.equal(sightline('traces', 'functions').code, 2);
    assert.equal(sightline('traces', '--help').code, 0);
  });
});
