// The per-unit findings cache must give exactly what a fresh review gives, wherever units move.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { reviewTree, UnitCache } from '../../server/review/engine';
import { Parsers } from '../../server/review/parser';
import { defaultSettings } from '../../server/settings';
import { grammarDir } from '../support/paths';

let parsers: Parsers;
before(async () => {
  parsers = await Parsers.load(grammarDir);
});

const key = 'AKIAIOSFODNN7EXAMPLF';

function review(text: string, cache?: UnitCache) {
  const tree = parsers.parse('python', text);
  try {
    return reviewTree('python', tree, text, defaultSettings, cache).findings.map((f) => `${f.ruleId}@${f.range.start.line}:${f.range.start.character}`);
  } finally {
    tree.delete();
  }
}

test('module-level findings stay on their line when a function above grows or shrinks', () => {
  const cache = new UnitCache();
  const versions = [
    `def f():\n    return 1\n\nK = "${key}"\n`,
    `def f():\n    x = 1\n    y = 2\n    return x + y\n\nK = "${key}"\n`,
    `def f(): return 0\nK = "${key}"\ndef g():\n    pass\nJ = "${key}"\n`,
    `def f():\n    return 0\n\n\nK = "${key}"\ndef g(): pass\nJ = "${key}"\n`,
  ];
  for (const text of versions) assert.deepEqual(review(text, cache), review(text), text);
});

test('function findings follow their function when code above it changes', () => {
  const cache = new UnitCache();
  const fn = `def handler():\n    k = "${key}"\n    return k\n`;
  for (const prefix of ['', 'import os\n', 'import os\nimport sys\n\n\n', '# header\n']) {
    const text = prefix + fn;
    assert.deepEqual(review(text, cache), review(text), text);
  }
});
