// Throughput of `sightline review` (issue 3, "Measured"): the built CLI (dist/cli.js) over a corpus of
// at least 100k lines of real code (Python standard library + npm packages' own JS/TS source), and,
// in the same run, Bandit on exactly the same Python files against `sightline review` on them.
// Wall time, median of 3 runs each → lines per second. Goal: at least 5× Bandit (printed, not asserted).
// Run: node out/test/bench/reviewThroughput.bench.js
import { spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { distDir, repoRoot } from '../support/paths';
import { corpusTotals, describeCorpus, loadCorpus } from './corpus';
import { goal, header, int, median } from './report';

const runs = Number(process.env.SIGHTLINE_BENCH_RUNS ?? 3);
const goalRatio = 5;

interface Run {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

function timed(command: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}

/** Runs a command `runs` times; every run must exit with one of `okCodes`. */
async function repeat(label: string, command: string, args: string[], okCodes: number[]): Promise<{ times: number[]; last: Run }> {
  const times: number[] = [];
  let last: Run | undefined;
  for (let i = 0; i < runs; i++) {
    last = await timed(command, args);
    if (!okCodes.includes(last.code ?? -1)) {
      throw new Error(`${label} exited with ${last.code}:\n${last.stderr.slice(0, 2000)}`);
    }
    times.push(last.ms);
  }
  return { times, last: last! };
}

function sightline(dir: string) {
  // Exit 1 means findings at or above --fail-on: a result, not an error.
  return repeat(`sightline review ${dir}`, process.execPath, [join(distDir, 'cli.js'), 'review', dir, '--format', 'json'], [0, 1]);
}

function line(label: string, lines: number, times: number[]): string {
  const m = median(times);
  return `    ${label.padEnd(42)} median ${(m / 1000).toFixed(2).padStart(6)} s (runs ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s) → ${int(lines / (m / 1000)).padStart(8)} lines/s`;
}

async function main(): Promise<void> {
  const began = performance.now();
  const corpus = loadCorpus();
  const all = corpusTotals(corpus.files);
  const python = corpusTotals(corpus.files.filter((f) => f.language === 'python'));
  header('Review throughput: sightline review (dist/cli.js) vs Bandit');
  console.log(`  corpus ${corpus.root} (${corpus.built ? `copied now in ${(corpus.buildMs / 1000).toFixed(1)} s` : 'cached'}): ${int(all.files)} files, ${int(all.lines)} lines, ${(all.bytes / 1024 / 1024).toFixed(1)} MB; file list in ${corpus.root}/manifest.json`);
  console.log(describeCorpus(corpus));
  console.log(`  python subfolder ${corpus.pythonDir}: ${int(python.files)} files, ${int(python.lines)} lines`);
  console.log(`  wall time per command, median of ${runs} runs, on a ${cpus().length}-core machine\n`);

  const whole = await sightline(corpus.root);
  const wholeFindings = JSON.parse(whole.last.stdout) as unknown[];
  console.log(line('sightline review <corpus> --format json', all.lines, whole.times) + `  (${wholeFindings.length} findings)`);

  const pyOnly = await sightline(corpus.pythonDir);
  const pyFindings = JSON.parse(pyOnly.last.stdout) as unknown[];
  console.log(line('sightline review <python> --format json', python.lines, pyOnly.times) + `  (${pyFindings.length} findings)`);

  const banditFound = spawnSync('bandit', ['--version'], { encoding: 'utf8' });
  if (banditFound.error || banditFound.status !== 0) {
    console.log('\n  Bandit is not installed: `sudo apt-get install bandit` (Debian) to compare; ratio skipped.');
  } else {
    // Bandit exits 1 when it reports issues: that is a result, not an error.
    const bandit = await repeat('bandit', 'bandit', ['-r', '-q', '-f', 'json', corpus.pythonDir], [0, 1]);
    const report = JSON.parse(bandit.last.stdout) as { results: unknown[]; errors: unknown[]; metrics: { _totals: { loc: number } } };
    const version = /bandit ([\d.]+)/.exec(banditFound.stdout)?.[1] ?? '?';
    console.log(line(`bandit ${version} -r -q -f json <python>`, python.lines, bandit.times) + `  (${report.results.length} issues, ${report.errors.length} files it could not scan, ${int(report.metrics._totals.loc)} loc by its count)`);
    const ratio = median(bandit.times) / median(pyOnly.times);
    console.log(`\n  sightline / bandit on the same ${int(python.files)} Python files: ${ratio.toFixed(1)}× faster   goal ≥ ${goalRatio}×: ${goal(ratio >= goalRatio)}`);
  }
  console.log(`\n  bench time ${((performance.now() - began) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
