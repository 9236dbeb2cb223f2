// Runs the review rules over a parsed document and applies the user's per-rule settings.
import type { ReviewLanguage } from './languages';
import { LineIndex } from './lineIndex';
import type { Node, Tree } from './parser';
import { ruleId, type Finding, type Rule, type Span } from './rule';
import { allRules } from './rules';
import type { RuleSetting, Settings } from '../settings';

export interface RuleFailure {
  ruleId: string;
  error: unknown;
}

export interface ReviewResult {
  findings: Finding[];
  /** Rules that threw: the others still ran, and the caller logs these. */
  failures: RuleFailure[];
}

export function reviewTree(
  language: ReviewLanguage,
  tree: Tree,
  text: string,
  settings: Settings,
  rules: readonly Rule[] = allRules,
): ReviewResult {
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  const lines = new LineIndex(text);
  const span = (startIndex: number, endIndex: number): Span => ({ start: lines.positionAt(startIndex), end: lines.positionAt(endIndex) });
  for (const rule of rules) {
    if (!rule.languages.includes(language)) continue;
    const id = ruleId(language, rule.meta.name);
    const setting = ruleSetting(settings, id, rule.meta.name);
    if (setting === 'off') continue;
    const severity = setting ?? rule.meta.severity;
    try {
      rule.check({
        language,
        tree,
        text,
        span,
        report(at: Node | Span, message: string) {
          const range = 'startIndex' in at ? span(at.startIndex, at.endIndex) : at;
          findings.push({ ruleId: id, message, severity, range });
        },
      });
    } catch (error) {
      failures.push({ ruleId: id, error });
    }
  }
  findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { findings, failures };
}

/** A setting may name the full id (`python/x`) or the rule for every language (`x`); the full id wins. */
function ruleSetting(settings: Settings, id: string, name: string): RuleSetting | undefined {
  return settings.review.rules[id] ?? settings.review.rules[name];
}
