// Reviews text with one rule and applies a finding's quick fix the way an editor does, so fix
// tests assert on the exact code a user gets.
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { reviewTree } from '../../server/review/engine';
import type { ReviewLanguage } from '../../server/review/languages';
import type { Parsers } from '../../server/review/parser';
import type { Finding, Rule } from '../../server/review/rule';
import { defaultSettings } from '../../server/settings';

const grammars = { python: 'python', java: 'java', javascript: 'javascript', typescript: 'typescript' } as const;

export function reviewWithRule(parsers: Parsers, rule: Rule, text: string, language: ReviewLanguage = 'python'): Finding[] {
  const tree = parsers.parse(grammars[language], text);
  try {
    return reviewTree(language, tree, text, defaultSettings, undefined, [rule]).findings;
  } finally {
    tree.delete();
  }
}

/** Asserts the text has exactly one finding with exactly one fix, and returns the text with it applied. */
export function applyOnlyFix(findings: readonly Finding[], text: string): string {
  assert.equal(findings.length, 1, JSON.stringify(findings));
  const fixes = findings[0].fixes ?? [];
  assert.equal(fixes.length, 1, 'one quick fix');
  return TextDocument.applyEdits(TextDocument.create('file:///fixture', 'text', 1, text), fixes[0].edits);
}
