// `npm run bench`: builds the product (dist/) and the tests, then runs every test/bench/*.bench.ts
// (bundled to <out>/test/bench/*.bench.js) one after another, printing each one's figures.
// Name benchmarks to run only those: `npm run bench -- editLatency serverMemory`.
// Benchmarks print figures and never fail on them; this exits non-zero only if a build or a
// benchmark itself fails. SIGHTLINE_TEST_OUT picks the test output folder, as for esbuild.mjs.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const testOut = process.env.SIGHTLINE_TEST_OUT ?? 'out';
const benchDir = join(testOut, 'test', 'bench');
const wanted = process.argv.slice(2);

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const started = Date.now();
for (const args of [['esbuild.mjs'], ['esbuild.mjs', '--tests']]) {
  if ((await run(process.execPath, args)) !== 0) {
    console.error(`Build failed: node ${args.join(' ')}`);
    process.exit(1);
  }
}

const benches = existsSync(benchDir)
  ? readdirSync(benchDir)
      .filter((name) => name.endsWith('.bench.js'))
      .filter((name) => wanted.length === 0 || wanted.some((w) => name.startsWith(w)))
      .sort()
  : [];
if (benches.length === 0) {
  console.error(`No benchmarks${wanted.length ? ` matching ${wanted.join(', ')}` : ''} in ${benchDir}.`);
  process.exit(1);
}

const summary = [];
let failed = 0;
for (const name of benches) {
  console.log(`\n=== ${name} ===`);
  const benchStart = Date.now();
  const code = await run(process.execPath, [join(benchDir, name)]);
  if (code !== 0) failed++;
  summary.push(`${name}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${((Date.now() - benchStart) / 1000).toFixed(1)} s`);
}
console.log(`\n${summary.join('\n')}\nTotal ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed > 0 ? 1 : 0);
