// The built `sightline` CLI as CI runs it: exit codes, formats, and SARIF that the official
// 2.1.0 schema accepts.
import Ajv from 'ajv-draft-04';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { distDir, fixturesDir, repoRoot } from '../support/paths';

function sightline(args: string[], cwd = repoRoot) {
  const run = spawnSync(process.execPath, [join(distDir, 'cli.js'), ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const demo = join(repoRoot, 'examples', 'demo');

describe('sightline review', () => {
  test('SARIF output validates against the official SARIF 2.1.0 schema', () => {
    const { code, stdout } = sightline(['review', join(fixturesDir, 'review'), '--format', 'sarif']);
    assert.equal(code, 1);
    const sarif = JSON.parse(stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    const schema = JSON.parse(readFileSync(join(fixturesDir, 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
    assert.ok(validate(structuredClone(sarif)), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const run = sarif.runs[0];
    assert.ok(run.results.length > 10);
    for (const result of run.results) {
      assert.equal(run.tool.driver.rules[result.ruleIndex].id, result.ruleId);
      assert.ok(result.locations[0].physicalLocation.region.startLine >= 1);
    }
  });

  test('text output groups findings by file with line:col, severity, id and message', () => {
    const { code, stdout } = sightline(['review', 'examples/demo']);
    assert.equal(code, 1);
    assert.match(stdout, /^examples\/demo\/app\.py\n {2}8:22 {2}warning {2}python\/hardcoded-credentials {2}Hard-coded AWS access key id/m);
    assert.match(stdout, /findings? in \d+ files? reviewed\.$/m);
  });

  test('exit 0 when nothing reaches --fail-on, 1 when something does', () => {
    const clean = join(mkdtempSync(join(tmpdir(), 'sightline-clean-')), 'Clean.java');
    writeFileSync(clean, 'class Clean {\n  int twice(int x) {\n    return 2 * x;\n  }\n}\n');
    assert.equal(sightline(['review', clean]).code, 0);
    assert.equal(sightline(['review', join(demo, 'app.py'), '--fail-on', 'error']).code, 0);
    assert.equal(sightline(['review', join(demo, 'app.py'), '--fail-on', 'hint']).code, 1);
  });

  test('--output writes the report to a file; JSON lists the findings', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sightline-cli-')), 'report.json');
    const { code, stdout } = sightline(['review', join(demo, 'app.py'), '--format', 'json', '--output', out]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    const findings = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(findings.map((f: { ruleId: string; range: { start: unknown } }) => [f.ruleId, f.range.start]), [['python/hardcoded-credentials', { line: 7, character: 21 }]]);
  });

  test('--jobs 2 reviews on worker threads and reports exactly what one thread reports, in order', () => {
    // Above the pool's 512 KB threshold, so workers really start: the fixtures, many times over.
    const corpus = mkdtempSync(join(tmpdir(), 'sightline-jobs-'));
    cpSync(join(fixturesDir, 'review'), join(corpus, 'copy-0'), { recursive: true });
    for (let i = 1; i < 12; i++) cpSync(join(corpus, 'copy-0'), join(corpus, `copy-${i}`), { recursive: true });
    const one = sightline(['review', corpus, '--format', 'json', '--jobs', '1']);
    const two = sightline(['review', corpus, '--format', 'json', '--jobs', '2']);
    assert.equal(one.code, 1, one.stderr);
    assert.equal(two.code, 1, two.stderr);
    assert.ok((JSON.parse(one.stdout) as unknown[]).length > 100);
    assert.equal(two.stdout, one.stdout);
  });

  test('usage errors exit 2 with a message', () => {
    for (const args of [['review'], ['review', 'no/such/path'], ['review', '.', '--format', 'xml'], ['review', '.', '--fail-on', 'loud'], ['review', '--bogus', '.'], ['frobnicate'], []]) {
      const { code, stderr, stdout } = sightline(args);
      assert.equal(code, 2, `${args.join(' ')}: ${stdout}${stderr}`);
    }
    assert.match(sightline(['review', 'no/such/path']).stderr, /No such file or folder: .*no\/such\/path/);
  });

  test('binary files, invalid UTF-8 and unparseable junk are reported or skipped, never fatal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sightline-bad-'));
    writeFileSync(join(dir, 'binary.py'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0, 0xff]));
    writeFileSync(join(dir, 'latin1.py'), Buffer.concat([Buffer.from('name = "caf'), Buffer.from([0xe9]), Buffer.from('"\nkey = "AKIAIOSFODNN7EXAMPLF"\n')]));
    writeFileSync(join(dir, 'junk.js'), '}{)(][ => => ;;; function ( { class } "unterminated\n');
    const { code, stdout } = sightline(['review', dir], dir);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /binary\.py: not reviewed: binary content/);
    assert.match(stdout, /latin1\.py\n {2}2:8 {2}warning {2}python\/hardcoded-credentials/);
  });
});

describe('sightline rules', () => {
  test('lists every rule id, in JSON with its documentation', () => {
    const { code, stdout } = sightline(['rules', '--format', 'json']);
    assert.equal(code, 0);
    const rules = JSON.parse(stdout) as { id: string; why: string }[];
    assert.ok(rules.some((r) => r.id === 'python/hardcoded-credentials' && r.why.length > 80));
  });
});
