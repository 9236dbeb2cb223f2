// What a review rule is: documentation that feeds hovers, SARIF and the docs table, plus a check
// that walks a syntax tree and reports findings. Rules never see LSP or VS Code types.
import type { ReviewLanguage } from './languages';
import type { Node, Tree } from './parser';
import type { SeverityName } from '../settings';

export type RuleCategory =
  | 'security'
  | 'resource-leak'
  | 'input-validation'
  | 'error-handling'
  | 'aws-best-practice'
  | 'performance'
  | 'maintainability';

export interface RuleExample {
  noncompliant: string;
  compliant: string;
}

export interface RuleMeta {
  /** The language-independent name; the rule id is `<language>/<name>`. */
  name: string;
  title: string;
  category: RuleCategory;
  severity: SeverityName;
  cwe?: number;
  /** One paragraph: why this matters and what to do instead. */
  why: string;
  examples: Partial<Record<ReviewLanguage, RuleExample>>;
}

export interface Position {
  line: number;
  character: number;
}

export interface Span {
  start: Position;
  end: Position;
}

export interface Finding {
  ruleId: string;
  message: string;
  severity: SeverityName;
  range: Span;
}

export interface RuleContext {
  language: ReviewLanguage;
  tree: Tree;
  text: string;
  /** The span between two UTF-16 offsets of `text`. */
  span(startIndex: number, endIndex: number): Span;
  report(node: Node | Span, message: string): void;
}

export interface Rule {
  meta: RuleMeta;
  languages: readonly ReviewLanguage[];
  check(context: RuleContext): void;
}

export function ruleId(language: ReviewLanguage, name: string): string {
  return `${language}/${name}`;
}
