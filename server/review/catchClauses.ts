// Exception handlers in every grammar as one shape: Python `except` clauses and Java/JavaScript
// `catch` clauses, with what they catch, the name they bind and the statements they run. The
// error-handling rules share it so that they agree on what an empty or an explained handler is.
import type { ReviewLanguage } from './languages';
import type { Node } from './parser';
import type { TextRange } from './rule';
import { isFunctionNode } from './units';

export interface CatchClause {
  node: Node;
  /** `except ValueError as e:` or `catch (IOException e)`: where findings about the handler go. */
  header: TextRange;
  /** The caught types as written; empty for a bare `except:` and in JavaScript. */
  types: Node[];
  /** The identifier the exception is bound to, if it is bound to one. */
  variable: Node | undefined;
  /** The body's statements, comments left out. */
  statements: Node[];
  /** A comment in the body: someone explained the handler. */
  hasComment: boolean;
  /** Another handler of the same `try` follows this one. */
  hasLaterHandler: boolean;
}

export const catchClauseTypes: Record<ReviewLanguage, readonly string[]> = {
  python: ['except_clause', 'except_group_clause'],
  java: ['catch_clause'],
  javascript: ['catch_clause'],
  typescript: ['catch_clause'],
};

const commentTypes = new Set(['comment', 'line_comment', 'block_comment']);

export function catchClause(language: ReviewLanguage, node: Node): CatchClause | undefined {
  return language === 'python' ? exceptClause(node) : braceCatchClause(node);
}

/**
 * In Python the body is the indented suite below the `except` line: a comment trailing the header
 * is far more often a tool directive (`# noqa: E722`, `# pragma: no cover`) than an explanation.
 */
function exceptClause(node: Node): CatchClause | undefined {
  const colon = node.children.find((c) => c?.type === ':');
  const body = node.namedChildren.find((c) => c?.type === 'block');
  if (!colon || !body) return undefined;
  const value = node.childForFieldName('value') ?? node.namedChildren.find((c) => c && c.type !== 'block' && !commentTypes.has(c.type)) ?? null;
  let caught = value;
  let variable: Node | undefined;
  if (value?.type === 'as_pattern') {
    caught = value.namedChildren[0] ?? null;
    const target = value.childForFieldName('alias');
    variable = target?.type === 'identifier' ? target : target?.namedChildren.find((c) => c?.type === 'identifier') ?? undefined;
  }
  const types = !caught ? [] : caught.type === 'tuple' || caught.type === 'parenthesized_expression' ? caught.namedChildren.filter(isNode) : [caught];
  const headerRow = colon.endPosition.row;
  const comments = node.descendantsOfType('comment').filter(isNode);
  return {
    node,
    header: { startIndex: node.startIndex, endIndex: colon.endIndex },
    types,
    variable,
    statements: body.namedChildren.filter((c): c is Node => !!c && !commentTypes.has(c.type)),
    hasComment: comments.some((c) => c.startPosition.row > headerRow),
    hasLaterHandler: hasLaterHandler(node),
  };
}

function braceCatchClause(node: Node): CatchClause | undefined {
  const body = node.childForFieldName('body');
  if (!body) return undefined;
  const parameter = node.childForFieldName('parameter') ?? node.namedChildren.find((c) => c?.type === 'catch_formal_parameter') ?? null;
  const close = node.children.find((c) => c?.type === ')');
  let variable: Node | undefined;
  let types: Node[] = [];
  if (parameter?.type === 'catch_formal_parameter') {
    const name = parameter.childForFieldName('name');
    variable = name ?? undefined;
    types = parameter.namedChildren.find((c) => c?.type === 'catch_type')?.namedChildren.filter(isNode) ?? [];
  } else if (parameter?.type === 'identifier') {
    variable = parameter;
  }
  return {
    node,
    header: { startIndex: node.startIndex, endIndex: close?.endIndex ?? node.startIndex + 'catch'.length },
    types,
    variable,
    statements: body.namedChildren.filter((c): c is Node => !!c && !commentTypes.has(c.type)),
    hasComment: commentsInBraces(body).length > 0,
    hasLaterHandler: hasLaterHandler(node),
  };
}

/**
 * The comments between a block's braces. tree-sitter-typescript attaches a comment that trails the
 * closing brace (`catch {} // why`) to the block itself, so position decides, not parentage.
 */
export function commentsInBraces(block: Node): Node[] {
  const close = [...block.children].reverse().find((c) => c?.type === '}')?.startIndex ?? block.endIndex;
  return block.namedChildren.filter((c): c is Node => !!c && commentTypes.has(c.type) && c.startIndex < close);
}

function hasLaterHandler(node: Node): boolean {
  for (let next = node.nextNamedSibling; next; next = next.nextNamedSibling) {
    if (next.type === node.type) return true;
  }
  return false;
}

/** Python's `pass` and `...`, or nothing at all: a body that does nothing. */
export function doesNothing(clause: CatchClause): boolean {
  return clause.statements.every((s) => s.type === 'pass_statement' || s.type === 'empty_statement' || (s.type === 'expression_statement' && s.namedChildren[0]?.type === 'ellipsis'));
}

/** The simple names of the caught types: `java.io.IOException` → `IOException`. */
export function caughtTypeNames(clause: CatchClause): string[] {
  return clause.types.map((t) => t.text.replace(/\s+/g, '').split('.').pop() ?? t.text);
}

const lambdaTypes = new Set(['lambda', 'lambda_expression']);

/** The function or lambda that `node` runs in, below `limit`: a throw in a callback inside a handler is not the handler's. */
export function enclosingFunction(language: ReviewLanguage, node: Node, limit?: Node): Node | undefined {
  for (let n = node.parent; n && n.id !== limit?.id; n = n.parent) {
    if (isFunctionNode(language, n) || lambdaTypes.has(n.type)) return n;
  }
  return undefined;
}

/** Whether `node` lies inside `ancestor` (or is it). */
export function isWithin(node: Node, ancestor: Node): boolean {
  return node.startIndex >= ancestor.startIndex && node.endIndex <= ancestor.endIndex;
}

function isNode(node: Node | null): node is Node {
  return node !== null;
}
