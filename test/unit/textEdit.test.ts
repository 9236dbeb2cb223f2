import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { DocumentTrees } from '../../server/review/documentTrees';
import { LineIndex } from '../../server/review/lineIndex';
import { Parsers } from '../../server/review/parser';
import { editBetween } from '../../server/review/textEdit';
import { grammarDir } from '../support/paths';

let parsers: Parsers;
before(async () => {
  parsers = await Parsers.load(grammarDir);
});

test('editBetween finds the changed span by common prefix and suffix', () => {
  assert.equal(editBetween('abc', 'abc'), undefined);
  assert.deepEqual(editBetween('a\nbc\nd', 'a\nbXc\nd'), {
    startIndex: 3, oldEndIndex: 3, newEndIndex: 4,
    startPosition: { row: 1, column: 1 }, oldEndPosition: { row: 1, column: 1 }, newEndPosition: { row: 1, column: 2 },
  });
  assert.deepEqual(editBetween('one\ntwo\n', 'one\n'), {
    startIndex: 4, oldEndIndex: 8, newEndIndex: 4,
    startPosition: { row: 1, column: 0 }, oldEndPosition: { row: 2, column: 0 }, newEndPosition: { row: 1, column: 0 },
  });
});

test('LineIndex maps offsets to UTF-16 line and character', () => {
  const lines = new LineIndex('é😀\nab\n');
  assert.deepEqual(lines.positionAt(3), { line: 0, character: 3 });
  assert.deepEqual(lines.positionAt(5), { line: 1, character: 1 });
  assert.deepEqual(lines.positionAt(7), { line: 2, character: 0 });
});

test('an incrementally updated tree equals a fresh parse after every edit', () => {
  const trees = new DocumentTrees(parsers);
  const versions = [
    'def f(x):\n    return x\n',
    'def f(x):\n    return x + 1\n',
    'def f(x, y):\n    return x + 1\n# tail\n',
    'import os\ndef f(x, y):\n    return x + 1\n# tail\n',
    'import os\ndef f(x, y):\n    return (x + 1\n# tail\n',
    'ü = "😀"\nimport os\ndef f(x, y):\n    return (x + 1)\n',
  ];
  for (const text of versions) {
    const parsed = trees.update('file:///a.py', 'python', text)!;
    const fresh = parsers.parse('python', text);
    assert.equal(parsed.tree.rootNode.toString(), fresh.rootNode.toString(), text);
    fresh.delete();
  }
  trees.close('file:///a.py');
});

test('documents in languages that are not reviewed have no tree', () => {
  const trees = new DocumentTrees(parsers);
  assert.equal(trees.update('file:///a.md', 'markdown', '# hi'), undefined);
});
