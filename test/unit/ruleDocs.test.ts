import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ruleCatalog } from '../../server/review/ruleCatalog';
import { rulesMarkdown } from '../../server/review/ruleDocs';
import { allRules } from '../../server/review/rules';
import { repoRoot } from '../support/paths';

test('docs/rules.md is what `npm run docs` generates from the rules', () => {
  const committed = readFileSync(join(repoRoot, 'docs', 'rules.md'), 'utf8');
  assert.equal(committed, rulesMarkdown(), 'docs/rules.md is stale: run `npm run docs`');
});

test('every rule carries complete documentation', () => {
  const names = new Set<string>();
  for (const rule of allRules) {
    const { meta } = rule;
    assert.ok(!names.has(meta.name), `two rules are named ${meta.name}`);
    names.add(meta.name);
    assert.match(meta.name, /^[a-z]+(-[a-z]+)*$/, meta.name);
    assert.ok(meta.title.length > 5 && meta.why.length > 80, `${meta.name}: title and why-paragraph`);
    for (const language of rule.languages) {
      const example = meta.examples[language];
      assert.ok(example?.noncompliant && example.compliant, `${meta.name}: ${language} needs a non-compliant and a compliant example`);
    }
  }
  assert.equal(new Set(ruleCatalog().map((e) => e.id)).size, ruleCatalog().length);
});
