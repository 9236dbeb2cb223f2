// package.json declares every setting once; server/settings.ts mirrors it. This fails when they drift.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultSettings, resolveSettings } from '../../server/settings';
import { commandIds } from '../../extension/commandIds';
import { repoRoot } from '../support/paths';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const declared: Record<string, { default: unknown; type: string; scope?: string }> = manifest.contributes.configuration.properties;

/** Settings the extension host reads itself (the language client's protocol trace); the server never sees them. */
const clientOnly = new Set(['sightline.trace.server']);

function flatten(value: object, prefix: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, v] of Object.entries(value)) {
    const name = `${prefix}.${key}`;
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 && name.split('.').length < 3) {
      for (const [k, inner] of flatten(v, name)) out.set(k, inner);
    } else out.set(name, v);
  }
  return out;
}

const mirrored = flatten(defaultSettings, 'sightline');

test('every setting in package.json is in the Settings type, and the reverse', () => {
  const declaredNames = Object.keys(declared).filter((name) => !clientOnly.has(name)).sort();
  assert.deepEqual(declaredNames, [...mirrored.keys()].sort());
});

test('defaults agree between package.json and the Settings type', () => {
  for (const [name, value] of mirrored) assert.deepEqual(declared[name].default, value, name);
});

test('declared types match the types of the defaults', () => {
  for (const [name, value] of mirrored) {
    const expected = Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value;
    assert.equal(declared[name].type, expected, name);
  }
});

test('every setting has an explicit scope', () => {
  for (const [name, property] of Object.entries(declared)) assert.ok(property.scope, `${name} has no scope`);
});

test('resolveSettings keeps valid values, fills defaults and drops wrong types', () => {
  const resolved = resolveSettings({ review: { enable: false, maxFileSize: 'big', rules: { 'python/x': 'error', y: 'loud' }, exclude: ['a/**', 3] } });
  assert.equal(resolved.review.enable, false);
  assert.equal(resolved.review.maxFileSize, defaultSettings.review.maxFileSize);
  assert.deepEqual(resolved.review.rules, { 'python/x': 'error' });
  assert.deepEqual(resolved.review.exclude, ['a/**']);
  assert.deepEqual(resolveSettings(undefined), defaultSettings);
});

test('the commands in package.json are exactly the registered command ids', () => {
  const contributed = (manifest.contributes.commands as { command: string }[]).map((c) => c.command).sort();
  assert.deepEqual(contributed, Object.values(commandIds).sort());
});
