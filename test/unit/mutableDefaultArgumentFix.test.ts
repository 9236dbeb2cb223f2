// The quick fix of python/mutable-default-argument: the exact code it produces, and where it is withheld.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { Parsers } from '../../server/review/parser';
import type { Finding } from '../../server/review/rule';
import { mutableDefaultArgument } from '../../server/review/rules/mutableDefaultArgument';
import { grammarDir } from '../support/paths';
import { applyOnlyFix, reviewWithRule } from '../support/quickFix';

let parsers: Parsers;
before(async () => {
  parsers = await Parsers.load(grammarDir);
});

function review(text: string): Finding[] {
  return reviewWithRule(parsers, mutableDefaultArgument, text);
}

function fixed(text: string): string {
  return applyOnlyFix(review(text), text);
}

function assertParses(text: string): void {
  const tree = parsers.parse('python', text);
  try {
    assert.ok(!tree.rootNode.hasError, `the fixed code parses:\n${text}`);
  } finally {
    tree.delete();
  }
}

describe('mutable-default-argument quick fix', () => {
  const cases: [string, string, string][] = [
    [
      'inserts the None check as the first statement',
      'def add(tag, tags=[]):\n    tags.append(tag)\n    return tags\n',
      'def add(tag, tags=None):\n    if tags is None:\n        tags = []\n    tags.append(tag)\n    return tags\n',
    ],
    [
      'inserts after a docstring, in a two-space-indented decorated method',
      'class Cache:\n  @staticmethod\n  def merge(base, extra={}):\n    """Merge extra into base."""\n    base.update(extra)\n',
      'class Cache:\n  @staticmethod\n  def merge(base, extra=None):\n    """Merge extra into base."""\n    if extra is None:\n      extra = {}\n    base.update(extra)\n',
    ],
    [
      'inserts after a multi-line docstring and its trailing comment',
      'def f(x=set()):\n    """Doc\n    more."""  # note\n    return x\n',
      'def f(x=None):\n    """Doc\n    more."""  # note\n    if x is None:\n        x = set()\n    return x\n',
    ],
    [
      'keeps a constructor call with arguments, and a comment above the body',
      'def group(items, by=defaultdict(list)):\n    # by kind\n    for item in items:\n        by[item.kind].append(item)\n',
      'def group(items, by=None):\n    # by kind\n    if by is None:\n        by = defaultdict(list)\n    for item in items:\n        by[item.kind].append(item)\n',
    ],
    [
      'works for a keyword-only parameter of a nested function with tabs',
      'def outer():\n\tdef inner(*, acc=[]):\n\t\treturn acc\n\treturn inner\n',
      'def outer():\n\tdef inner(*, acc=None):\n\t\tif acc is None:\n\t\t\tacc = []\n\t\treturn acc\n\treturn inner\n',
    ],
    [
      'works on a docstring-only body',
      'def stub(options={}):\n    """Not yet."""\n',
      'def stub(options=None):\n    """Not yet."""\n    if options is None:\n        options = {}\n',
    ],
  ];
  for (const [name, before, after] of cases) {
    test(name, () => {
      const result = fixed(before);
      assert.equal(result, after);
      assertParses(result);
      assert.deepEqual(review(result), [], 'the fixed code is clean');
    });
  }

  const withheld: [string, string][] = [
    ['an annotated parameter', 'def f(x: list = []):\n    return x\n'],
    ['a body on the def line', 'def f(x=[]): return x\n'],
    ['a default naming another parameter', 'def f(n, x=[n]):\n    return x\n'],
    ['a default naming a local of the body', 'def f(x=[size]):\n    size = 3\n    return x + [size]\n'],
    ['a default naming a class attribute', 'class A:\n    LIMIT = 3\n\n    def f(self, x=[LIMIT]):\n        return x\n'],
    ['a body that already tests for None', 'def f(x={}):\n    if x is None:\n        raise ValueError()\n    return x\n'],
    ['a lambda', 'g = lambda x=[]: x\n'],
  ];
  for (const [name, text] of withheld) {
    test(`reports without a fix: ${name}`, () => {
      const findings = review(text);
      assert.equal(findings.length, 1, JSON.stringify(findings));
      assert.equal(findings[0].fixes, undefined);
    });
  }
});
