// Runs every fixture under test/fixtures/review/ through the engine. A line ending in a comment
// `expect: <rule-id>[, <rule-id>]` must produce exactly those findings on that line; a line ending
// in `clean: <rule-id>` is a look-alike that must not. Every other finding is a false positive.
// Prints precision and recall per rule and requires at least three of each case per rule id.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, test } from 'node:test';
import { reviewTree } from '../../server/review/engine';
import { languageForId, languageIdForPath } from '../../server/review/languages';
import { Parsers } from '../../server/review/parser';
import { ruleCatalog } from '../../server/review/ruleCatalog';
import { defaultSettings } from '../../server/settings';
import { fixturesDir, grammarDir } from '../support/paths';

const reviewFixtures = join(fixturesDir, 'review');
/** SIGHTLINE_RULES=sql-injection,ssrf limits the run to those rules (while writing them). */
const only = process.env.SIGHTLINE_RULES?.split(',').map((r) => r.trim()).filter(Boolean);
const selected = (id: string) => !only || only.includes(id.slice(id.indexOf('/') + 1));
const marker = /(?:#|\/\/|\/\*)\s*(expect|clean):\s*([\w/.-]+(?:\s*,\s*[\w/.-]+)*)/;

interface Tally {
  tp: number;
  fp: number;
  fn: number;
  positives: number;
  negatives: number;
  misses: string[];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : languageIdForPath(path) ? [path] : [];
  });
}

let parsers: Parsers;
before(async () => {
  parsers = await Parsers.load(grammarDir);
});

test('review rules on their fixtures: every expected finding, no other', () => {
  const tallies = new Map<string, Tally>(ruleCatalog().filter(({ id }) => selected(id)).map(({ id }) => [id, { tp: 0, fp: 0, fn: 0, positives: 0, negatives: 0, misses: [] }]));
  const ignored: Tally = { tp: 0, fp: 0, fn: 0, positives: 0, negatives: 0, misses: [] };
  const tally = (id: string) => {
    if (!selected(id)) return ignored;
    const t = tallies.get(id);
    assert.ok(t, `a fixture names an unknown rule id: ${id}`);
    return t;
  };
  for (const file of filesUnder(reviewFixtures)) {
    const name = relative(reviewFixtures, file);
    const text = readFileSync(file, 'utf8');
    const info = languageForId(languageIdForPath(file)!)!;
    const expected = new Map<string, Set<number>>();
    text.split('\n').forEach((line, i) => {
      const match = marker.exec(line);
      if (!match) return;
      for (const id of match[2].split(/\s*,\s*/)) {
        if (match[1] === 'clean') {
          tally(id).negatives++;
          continue;
        }
        tally(id).positives++;
        if (!expected.has(id)) expected.set(id, new Set());
        expected.get(id)!.add(i);
      }
    });
    const tree = parsers.parse(info.grammar, text);
    const { findings, failures } = reviewTree(info.language, tree, text, defaultSettings);
    tree.delete();
    assert.deepEqual(failures.map((f) => `${f.ruleId}: ${String(f.error)}`), [], `rules threw on ${name}`);
    const found = new Map<string, Set<number>>();
    for (const f of findings) {
      if (!found.has(f.ruleId)) found.set(f.ruleId, new Set());
      found.get(f.ruleId)!.add(f.range.start.line);
    }
    for (const [id, lines] of found) {
      for (const line of lines) {
        if (expected.get(id)?.has(line)) tally(id).tp++;
        else {
          tally(id).fp++;
          tally(id).misses.push(`false positive ${name}:${line + 1}`);
        }
      }
    }
    for (const [id, lines] of expected) {
      for (const line of lines) {
        if (!found.get(id)?.has(line)) {
          tally(id).fn++;
          tally(id).misses.push(`missed ${name}:${line + 1}`);
        }
      }
    }
  }

  const rows = [...tallies].map(([id, t]) => {
    const precision = t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp);
    const recall = t.tp + t.fn === 0 ? 1 : t.tp / (t.tp + t.fn);
    return `${id.padEnd(48)} ${String(t.positives).padStart(3)} pos ${String(t.negatives).padStart(3)} neg  precision ${precision.toFixed(2)}  recall ${recall.toFixed(2)}`;
  });
  console.log(`Rule fixtures (${tallies.size} rule ids):\n${rows.join('\n')}`);

  const problems = [...tallies].flatMap(([id, t]) => [
    ...t.misses.map((m) => `${id}: ${m}`),
    ...(t.positives < 3 ? [`${id}: only ${t.positives} positive cases (need 3)`] : []),
    ...(t.negatives < 3 ? [`${id}: only ${t.negatives} clean look-alikes (need 3)`] : []),
  ]);
  assert.deepEqual(problems, []);
});
