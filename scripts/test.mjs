// `npm test`: builds once, then runs every tier in order — unit (plain Node), server (the real
// server process over LSP), vscode (a suite inside a real VS Code), e2e (a person's flows in
// Chromium) — and ends with one line that counts them all. Name tiers to run only those:
// `npm test -- unit server`.
import { spawn } from 'node:child_process';

// SIGHTLINE_TEST_OUT picks the test output folder, as for esbuild.mjs.
const testOut = process.env.SIGHTLINE_TEST_OUT ?? 'out';
const tiers = {
  unit: ['node', ['--test', `${testOut}/test/unit/`]],
  server: ['node', ['--test', `${testOut}/test/server/`]],
  vscode: ['node', ['test/vscode/runInCodeServer.mjs']],
  e2e: ['node', ['--test', '--test-concurrency=1', `${testOut}/test/e2e/`]],
};

const chosen = process.argv.slice(2).filter((name) => name in tiers);
const selected = chosen.length > 0 ? chosen : Object.keys(tiers);

function run(command, args, { capture } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'] });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/** Counts from node's test runner ("# pass N") or the plain closing line ("N passed, M failed"). */
function counts(output) {
  const node = { pass: /^# pass (\d+)/m.exec(output), fail: /^# fail (\d+)/m.exec(output) };
  if (node.pass && node.fail) return { passed: Number(node.pass[1]), failed: Number(node.fail[1]) };
  const plain = [...output.matchAll(/^(\d+) passed, (\d+) failed/gm)].pop();
  return plain ? { passed: Number(plain[1]), failed: Number(plain[2]) } : undefined;
}

const started = Date.now();
for (const [command, args] of [['node', ['esbuild.mjs']], ['node', ['esbuild.mjs', '--tests']]]) {
  const { code } = await run(command, args);
  if (code !== 0) {
    console.log('Build failed.\n0 passed, 1 failed');
    process.exit(1);
  }
}

let passed = 0;
let failed = 0;
const summary = [];
for (const tier of selected) {
  const [command, args] = tiers[tier];
  console.log(`\n=== ${tier} tests ===`);
  const tierStart = Date.now();
  const { code, output } = await run(command, args, { capture: true });
  const tally = counts(output) ?? { passed: 0, failed: 1 };
  // A tier that exits non-zero fails even if its counts look clean (e.g. it crashed before counting).
  if (code !== 0 && tally.failed === 0) tally.failed = 1;
  passed += tally.passed;
  failed += tally.failed;
  summary.push(`${tier}: ${tally.passed} passed, ${tally.failed} failed (${((Date.now() - tierStart) / 1000).toFixed(1)} s)`);
}
console.log(`\n${summary.join('\n')}\nTotal time ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
