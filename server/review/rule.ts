// What a review rule is: documentation that feeds hovers, SARIF and the docs table, plus a check
// that looks at one unit of a syntax tree and reports findings. Rules never see LSP or VS Code types.
import type { CallSite } from './calls';
import type { Taint } from './dataflow/taint';
import type { ReviewLanguage } from './languages';
import type { Node, Tree } from './parser';
import type { ReviewUnit } from './units';
import type { Settings, SeverityName } from '../settings';

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

/** A stretch of the document by UTF-16 offsets; every tree-sitter node is one. */
export interface TextRange {
  startIndex: number;
  endIndex: number;
}

export interface Position {
  line: number;
  character: number;
}

export interface Span {
  start: Position;
  end: Position;
}

export interface Fix {
  /** Shown in the quick fix menu, e.g. "Use yaml.safe_load". */
  title: string;
  edits: { at: TextRange; newText: string }[];
}

export interface Related {
  at: TextRange;
  message: string;
}

export interface ReportOptions {
  /** Other places that explain the finding, e.g. where tainted data came from. */
  related?: Related[];
  /** Safe edits that resolve the finding. */
  fixes?: Fix[];
}

/** A finding as rules report it: offsets into the text. */
export interface RawFinding extends ReportOptions {
  ruleId: string;
  message: string;
  severity: SeverityName;
  at: TextRange;
}

/** A finding as the world sees it: line and character positions. */
export interface Finding {
  ruleId: string;
  message: string;
  severity: SeverityName;
  range: Span;
  related?: { range: Span; message: string }[];
  fixes?: { title: string; edits: { range: Span; newText: string }[] }[];
}

export interface RuleContext {
  language: ReviewLanguage;
  /** The unit under review: an outermost function, or the module without its functions. */
  unit: ReviewUnit;
  tree: Tree;
  text: string;
  settings: Settings;
  /** Named nodes of the unit of the given types, in document order. */
  find(...types: string[]): Node[];
  /** Every call and constructor call in the unit. */
  calls(): CallSite[];
  /**
   * Taint tracking over the unit, computed on first use and shared by the rules. With `sanitizes`,
   * a separate analysis in which those calls also clean data (e.g. CR/LF stripping for logs).
   */
  taint(sanitizes?: (call: CallSite) => boolean): Taint;
  report(at: TextRange, message: string, options?: ReportOptions): void;
}

export interface Rule {
  meta: RuleMeta;
  languages: readonly ReviewLanguage[];
  check(context: RuleContext): void;
}

export function ruleId(language: ReviewLanguage, name: string): string {
  return `${language}/${name}`;
}
