// One build script for every part of Sightline. Each part is bundled on its own:
// the extension keeps 'vscode' external, the server and CLI are plain Node programs,
// the webviews are browser bundles, and the tests are bundled the same way into out/.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests');
// Parallel work (several people or agents in one checkout) can build tests into separate folders.
const testOut = process.env.SIGHTLINE_TEST_OUT ?? 'out';

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const node = { ...common, platform: 'node', target: 'node20', format: 'cjs', define: { SIGHTLINE_VERSION: JSON.stringify(version) } };

/** Grammar and runtime .wasm files the server loads at run time; shipped next to the bundles. */
function copyWasm() {
  const from = 'node_modules/@vscode/tree-sitter-wasm/wasm';
  const to = 'dist/grammars';
  mkdirSync(to, { recursive: true });
  for (const file of ['tree-sitter.wasm', 'tree-sitter-python.wasm', 'tree-sitter-java.wasm',
    'tree-sitter-javascript.wasm', 'tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm']) {
    cpSync(join(from, file), join(to, file));
  }
}

/** Licences of third-party code the bundles contain, shipped next to them. */
function copyLicenses() {
  const to = 'dist/licenses';
  mkdirSync(to, { recursive: true });
  const licenses = {
    'opentelemetry-proto.txt': 'server/traces/formats/opentelemetry-proto/LICENSE',
    'protobufjs.txt': 'node_modules/protobufjs/LICENSE',
    'long.txt': 'node_modules/long/LICENSE',
    'web-tree-sitter.txt': 'node_modules/@vscode/tree-sitter-wasm/LICENSE',
    'vscode-languageserver-node.txt': 'node_modules/vscode-languageclient/License.txt',
  };
  for (const [name, from] of Object.entries(licenses)) if (existsSync(from)) cpSync(from, join(to, name));
}

function productBuilds() {
  return [
    { ...node, entryPoints: { extension: 'extension/main.ts' }, outdir: 'dist', external: ['vscode'] },
    { ...node, entryPoints: { server: 'server/main.ts' }, outdir: 'dist' },
    { ...node, entryPoints: { cli: 'server/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
    { ...node, entryPoints: { reviewWorker: 'server/review/reviewWorker.ts' }, outdir: 'dist' },
    { ...node, entryPoints: { auditImportWorker: 'server/audit/importWorker.ts' }, outdir: 'dist' },
    { ...node, entryPoints: { traceImportWorker: 'server/traces/importWorker.ts' }, outdir: 'dist' },
    {
      ...common, platform: 'browser', target: 'es2022', format: 'iife',
      entryPoints: { traces: 'media/traces/main.ts', audit: 'media/audit/main.ts' },
      outdir: 'dist/webviews',
    },
  ];
}

/** Every *.test.ts under test/ becomes out/test/.../*.test.js, run by `node --test`. */
function findTests(dir, found = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'fixtures' || name === 'node_modules') continue;
    if (statSync(path).isDirectory()) findTests(path, found);
    else if (name.endsWith('.test.ts') || name.endsWith('.bench.ts')) found.push(path);
  }
  return found;
}

function testBuilds() {
  return [
    { ...node, entryPoints: findTests('test'), outdir: `${testOut}/test`, outbase: 'test', external: ['vscode', 'playwright-core', 'mocha'] },
    // The suite that runs inside a real VS Code extension host: a `run()` entry as for @vscode/test-electron.
    existsSync('test/vscode/suite/index.ts') && { ...node, entryPoints: { 'vscode/suite/index': 'test/vscode/suite/index.ts' }, outdir: `${testOut}/test`, external: ['vscode', 'mocha'] },
  ].filter(Boolean);
}

if (!tests) {
  // Only a package build starts from an empty dist/: a dev build overwrites in place, so a test
  // run that is using dist/ while someone rebuilds never finds it missing.
  if (production) rmSync('dist', { recursive: true, force: true });
  copyWasm();
  copyLicenses();
}
const builds = tests ? testBuilds() : productBuilds();
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
