// Mutable default arguments in Python: the default is evaluated once, when `def` runs, so every call
// that relies on it shares (and mutates) the same list, dict or set. Tuples, frozensets, None and
// constants are immutable and fine. The quick fix is the standard `None` sentinel, offered only
// where moving the default into the body cannot change what it evaluates to.
import type { Node } from '../parser';
import type { Fix, Rule, RuleContext } from '../rule';

const mutableLiterals = new Set(['list', 'dictionary', 'set', 'list_comprehension', 'dictionary_comprehension', 'set_comprehension']);

/** Constructors of mutable containers, by their last name segment: `defaultdict`, `collections.defaultdict`. */
const mutableConstructors = new Set(['list', 'dict', 'set', 'bytearray', 'defaultdict', 'OrderedDict', 'Counter', 'deque']);

/** A default that is state on purpose: `def fib(n, _cache={})` memoises across calls. */
const deliberateState = /cache|memo/i;

/** Node types that bind a name in a Python function body. */
const bindingParents = new Set(['assignment', 'augmented_assignment', 'for_statement', 'for_in_clause', 'as_pattern_target', 'named_expression', 'global_statement', 'nonlocal_statement', 'dotted_name', 'aliased_import']);

export const mutableDefaultArgument: Rule = {
  languages: ['python'],
  meta: {
    name: 'mutable-default-argument',
    title: 'Mutable default argument',
    category: 'maintainability',
    severity: 'warning',
    why:
      'Python evaluates a default value once, when the function is defined, not on each call. A list, dict or ' +
      'set used as a default is therefore shared by every call that does not pass the argument: an item appended ' +
      'in one call is still there in the next, which shows up as state leaking between requests or tests. ' +
      'Default to None and create the container in the body (`if items is None: items = []`), or use an ' +
      'immutable default such as a tuple or frozenset.',
    examples: {
      python: {
        noncompliant: 'def add_tag(tag, tags=[]):\n    tags.append(tag)\n    return tags',
        compliant: 'def add_tag(tag, tags=None):\n    if tags is None:\n        tags = []\n    tags.append(tag)\n    return tags',
      },
    },
  },
  check(context: RuleContext) {
    const root = context.unit.root;
    const functions = [...(root.type === 'function_definition' ? [root] : []), ...context.find('function_definition', 'lambda')];
    for (const fn of functions) {
      for (const parameter of fn.childForFieldName('parameters')?.namedChildren ?? []) {
        if (parameter?.type !== 'default_parameter' && parameter?.type !== 'typed_default_parameter') continue;
        const name = parameter.childForFieldName('name');
        const value = parameter.childForFieldName('value');
        if (!name || name.type !== 'identifier' || !value || !isMutable(value) || deliberateState.test(name.text)) continue;
        const fix = fn.type === 'function_definition' ? noneSentinelFix(context.text, fn, parameter, name.text, value) : undefined;
        context.report(
          value,
          `The default value of '${name.text}' is created once and shared by every call that omits it; default to None and create it in the body.`,
          fix ? { fixes: [fix] } : undefined,
        );
      }
    }
  },
};

function isMutable(value: Node): boolean {
  if (mutableLiterals.has(value.type)) return true;
  if (value.type !== 'call') return false;
  const callee = value.childForFieldName('function');
  if (!callee || (callee.type !== 'identifier' && callee.type !== 'attribute')) return false;
  return mutableConstructors.has(callee.text.split('.').pop() ?? '');
}

/**
 * `x=[]` → `x=None` plus `if x is None:\n    x = []` as the body's first statement (after a docstring).
 * Withheld where that is not certainly the same program: an annotated parameter (`x: list = None`
 * would be a type error), a body on the `def` line, a default that names a parameter, a local or a
 * class attribute (it would mean something else, or nothing, inside the body), or a body that
 * already tests the parameter for None.
 */
function noneSentinelFix(text: string, fn: Node, parameter: Node, name: string, value: Node): Fix | undefined {
  if (parameter.type !== 'default_parameter') return undefined;
  const body = fn.childForFieldName('body');
  const statements = body?.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment') ?? [];
  if (!body || statements.length === 0) return undefined;
  if (new RegExp(`\\b${name}\\s+is\\s+(not\\s+)?None\\b`).test(body.text)) return undefined;
  // Inside the body, a name means a parameter or local where the default meant an outer name, and a
  // method body cannot see its class's attributes at all.
  const classBody = enclosingClassBody(fn);
  if (namesUsedIn(value).some((n) => parameterNames(fn).has(n) || boundIn(body, n) || (classBody && boundIn(classBody, n)))) return undefined;

  const first = statements[0];
  const indent = leadingWhitespace(text, first.startIndex);
  const defIndent = lineIndent(text, fn.startIndex);
  if (indent === undefined || defIndent === undefined || !indent.startsWith(defIndent) || indent === defIndent) return undefined;
  const step = indent.slice(defIndent.length);
  const guard = `${indent}if ${name} is None:\n${indent}${step}${name} = ${value.text}`;

  let insert: { at: { startIndex: number; endIndex: number }; newText: string };
  if (isDocstring(first)) {
    const lineEnd = endOfLine(text, first.endIndex);
    if (!/^\s*(#.*)?$/.test(text.slice(first.endIndex, lineEnd))) return undefined;
    insert = { at: { startIndex: lineEnd, endIndex: lineEnd }, newText: `\n${guard}` };
  } else {
    const lineStart = first.startIndex - indent.length;
    insert = { at: { startIndex: lineStart, endIndex: lineStart }, newText: `${guard}\n` };
  }
  return {
    title: `Default '${name}' to None and create the value in the body`,
    edits: [{ at: { startIndex: value.startIndex, endIndex: value.endIndex }, newText: 'None' }, insert],
  };
}

/** The class body a method is defined in (directly or under decorators). */
function enclosingClassBody(fn: Node): Node | undefined {
  const holder = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  const block = holder.parent;
  return block?.type === 'block' && block.parent?.type === 'class_definition' ? block : undefined;
}

function isDocstring(statement: Node): boolean {
  return statement.type === 'expression_statement' && statement.namedChildCount === 1 && statement.namedChild(0)?.type === 'string';
}

function namesUsedIn(node: Node): string[] {
  const names = node.descendantsOfType('identifier').flatMap((n) => {
    if (!n) return [];
    const parent = n.parent;
    // `x.append` names x, not append; `f(key=1)` names no variable `key`.
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === n.id) return [];
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === n.id) return [];
    return [n.text];
  });
  if (node.type === 'identifier') names.push(node.text);
  return names;
}

function parameterNames(fn: Node): Set<string> {
  const names = new Set<string>();
  for (const parameter of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!parameter) continue;
    const name = parameter.type === 'identifier' ? parameter : parameter.childForFieldName('name') ?? parameter.namedChild(0);
    if (name) names.add(name.text);
  }
  return names;
}

/** Whether the body binds `name` anywhere (assignment, loop target, import, def, with-as), making it local. */
function boundIn(body: Node, name: string): boolean {
  return body.descendantsOfType(['identifier', 'function_definition', 'class_definition']).some((n) => {
    if (!n) return false;
    if (n.type !== 'identifier') return n.childForFieldName('name')?.text === name;
    if (n.text !== name) return false;
    for (let at: Node | null = n.parent; at && at.id !== body.id; at = at.parent) {
      if (bindingParents.has(at.type)) return isBindingSide(at, n);
      if (!['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression', 'as_pattern'].includes(at.type)) return false;
    }
    return false;
  });
}

function isBindingSide(binder: Node, identifier: Node): boolean {
  const left = binder.childForFieldName('left') ?? binder.childForFieldName('name') ?? binder.childForFieldName('alias');
  if (!left) return binder.type === 'global_statement' || binder.type === 'nonlocal_statement' || binder.type === 'dotted_name' || binder.type === 'as_pattern_target';
  return left.startIndex <= identifier.startIndex && identifier.endIndex <= left.endIndex;
}

/** The whitespace before `index` on its line, or undefined if something else precedes it there. */
function leadingWhitespace(text: string, index: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  const before = text.slice(lineStart, index);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

function lineIndent(text: string, index: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, index))?.[0];
}

function endOfLine(text: string, index: number): number {
  const newline = text.indexOf('\n', index);
  return newline < 0 ? text.length : newline;
}
