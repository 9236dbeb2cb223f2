// What the .vsix would contain, as vsce itself lists it: bundles, grammars and media only.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/paths';

test('the .vsix whitelist ships no sources, tests, maps, node_modules or native binaries', () => {
  const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  assert.ok(files.includes('package.json'), files.join('\n'));
  for (const file of files) {
    assert.match(file, /^(dist\/[\w-]+\.js|dist\/webviews\/\w+\.js|dist\/grammars\/[\w-]+\.wasm|dist\/licenses\/[\w.-]+\.txt|media\/[\w/.-]+\.(css|svg)|package\.json|README\.md|LICENSE|CHANGELOG\.md)$/, file);
    assert.doesNotMatch(file, /\.(ts|map|node)$|node_modules|^test\//, file);
  }
});

test('the README settings table lists every setting package.json declares', () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  for (const name of Object.keys(manifest.contributes.configuration.properties)) {
    assert.ok(readme.includes(`| \`${name}\` |`), `README.md has no row for ${name}`);
  }
});
