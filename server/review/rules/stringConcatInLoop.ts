// Strings built by repeated concatenation in a loop. Strings are immutable in Python and Java, so
// `s += part` copies everything accumulated so far on every iteration: quadratic time and garbage.
// Only string accumulators are reported: the variable's declared type (Java) or its initial value
// (`s = ""` vs `total = 0`) decides, and when neither is known the added value must itself be
// clearly a string. A variable reset inside the loop body accumulates one iteration only.
import { callSite } from '../calls';
import type { Node } from '../parser';
import type { Rule, RuleContext } from '../rule';

type Kind = 'string' | 'other' | 'unknown';

interface Accumulation {
  /** The statement's expression: `s += x`, `s = s + x`, `s = s.concat(x)`. */
  node: Node;
  name: string;
  /** The values appended to the accumulator. */
  added: Node[];
  /** Java `this.s += x`: a field, whatever locals are called. */
  isField: boolean;
}

const loopTypes: Record<'python' | 'java', ReadonlySet<string>> = {
  python: new Set(['for_statement', 'while_statement']),
  java: new Set(['for_statement', 'enhanced_for_statement', 'while_statement', 'do_statement']),
};

/** A variable belongs to the nearest of these; a nested function has its own. */
const scopeTypes: Record<'python' | 'java', ReadonlySet<string>> = {
  python: new Set(['function_definition', 'lambda', 'class_definition']),
  java: new Set(['method_declaration', 'constructor_declaration', 'compact_constructor_declaration', 'lambda_expression', 'class_body']),
};

const pythonStringTypes = new Set(['str', 'bytes']);
const pythonStringCalls = new Set(['str', 'repr', 'format', 'join', 'strip', 'lstrip', 'rstrip', 'upper', 'lower', 'replace', 'decode', 'encode']);
const pythonOtherCalls = new Set(['int', 'float', 'len', 'sum', 'list', 'dict', 'set', 'tuple', 'Decimal', 'Counter', 'deque', 'bytearray', 'StringIO', 'io.StringIO']);
const javaStringMethods = new Set(['toString', 'formatted', 'substring', 'trim', 'strip', 'toUpperCase', 'toLowerCase', 'repeat', 'concat']);
const javaStringFunctions = new Set(['String.valueOf', 'String.format', 'String.join']);

export const stringConcatInLoop: Rule = {
  languages: ['python', 'java'],
  meta: {
    name: 'string-concat-in-loop',
    title: 'String built by concatenation in a loop',
    category: 'performance',
    severity: 'info',
    cwe: 1046,
    why:
      'Strings are immutable in Python and Java: each `s += part` allocates a new string and copies everything ' +
      'accumulated so far, so building a string over n iterations takes time and garbage proportional to n². ' +
      'That is invisible with ten items and dominates with ten thousand. Collect the parts in a list and join them ' +
      'once after the loop (`"".join(parts)` in Python), or append to a StringBuilder declared before the loop in Java.',
    examples: {
      python: {
        noncompliant: 'csv = ""\nfor row in rows:\n    csv += ",".join(row) + "\\n"',
        compliant: 'csv = "".join(",".join(row) + "\\n" for row in rows)',
      },
      java: {
        noncompliant: 'String csv = "";\nfor (Row row : rows) {\n    csv += row.toCsv() + "\\n";\n}',
        compliant: 'StringBuilder csv = new StringBuilder();\nfor (Row row : rows) {\n    csv.append(row.toCsv()).append("\\n");\n}',
      },
    },
  },
  check(context: RuleContext) {
    const language = context.language;
    if (language !== 'python' && language !== 'java') return;
    const reported = new Set<string>();
    for (const accumulation of accumulations(context, language)) {
      const loops = enclosingLoops(language, accumulation.node);
      const loop = loops[0];
      if (!loop) continue;
      // Nested loops building one string (a row, then its cells) are one finding.
      const key = `${accumulation.name}@${loops[loops.length - 1].id}`;
      if (reported.has(key) || resetIn(language, loop, accumulation.name)) continue;
      const kind = kindOfVariable(context, language, accumulation, loop);
      if (kind === 'other' || (kind === 'unknown' && !accumulation.added.some((value) => kindOfValue(context, language, value) === 'string'))) continue;
      reported.add(key);
      const remedy = language === 'python' ? "collect the parts in a list and ''.join() them after the loop" : 'append to a StringBuilder declared before the loop';
      context.report(
        accumulation.node,
        `'${accumulation.name}' is a string rebuilt on every iteration of this loop, copying all of it each time; ${remedy}.`,
        { related: [{ at: { startIndex: loop.startIndex, endIndex: loop.childForFieldName('body')?.startIndex ?? loop.endIndex }, message: 'the loop' }] },
      );
    }
  },
};

function accumulations(context: RuleContext, language: 'python' | 'java'): Accumulation[] {
  const found: Accumulation[] = [];
  const types = language === 'python' ? ['augmented_assignment', 'assignment'] : ['assignment_expression'];
  for (const node of context.find(...types)) {
    const target = accumulatorName(language, node.childForFieldName('left'));
    const right = node.childForFieldName('right');
    if (!target || !right) continue;
    const operator = node.childForFieldName('operator')?.type ?? '=';
    if (operator === '+=') {
      found.push({ node, ...target, added: [right] });
    } else if (operator === '=') {
      const chain = plusOperands(language, right);
      const self = chain.findIndex((operand) => accumulatorName(language, operand)?.name === target.name);
      if (chain.length > 1 && self >= 0) {
        found.push({ node, ...target, added: chain.filter((_, i) => i !== self) });
        continue;
      }
      const call = language === 'java' ? callSite(right) : undefined;
      if (call?.name === 'concat' && call.receiver && accumulatorName(language, call.receiver)?.name === target.name) {
        found.push({ node, ...target, added: call.args });
      }
    }
  }
  return found;
}

/** `s` (Python, Java) or `this.s` (Java): the accumulator's name. */
function accumulatorName(language: 'python' | 'java', node: Node | null): { name: string; isField: boolean } | undefined {
  if (node?.type === 'identifier') return { name: node.text, isField: false };
  if (language === 'java' && node?.type === 'field_access' && node.childForFieldName('object')?.type === 'this') {
    const field = node.childForFieldName('field');
    return field ? { name: field.text, isField: true } : undefined;
  }
  return undefined;
}

/** The operands of a `+` chain: `s + a + b` → [s, a, b]; anything else → [node]. */
function plusOperands(language: 'python' | 'java', node: Node): Node[] {
  const type = language === 'python' ? 'binary_operator' : 'binary_expression';
  if (node.type === 'parenthesized_expression' && node.namedChild(0)) return plusOperands(language, node.namedChild(0)!);
  if (node.type !== type || node.childForFieldName('operator')?.type !== '+') return [node];
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  return [...(left ? plusOperands(language, left) : []), ...(right ? plusOperands(language, right) : [])];
}

function scopeOf(language: 'python' | 'java', node: Node): Node | undefined {
  for (let at = node.parent; at; at = at.parent) if (scopeTypes[language].has(at.type)) return at;
  return undefined;
}

/** The loops, in the same function, whose bodies contain the node: innermost first. */
function enclosingLoops(language: 'python' | 'java', node: Node): Node[] {
  const loops: Node[] = [];
  for (let child = node, at = node.parent; at && !scopeTypes[language].has(at.type); child = at, at = at.parent) {
    if (loopTypes[language].has(at.type) && at.childForFieldName('body')?.id === child.id) loops.push(at);
  }
  return loops;
}

/** Whether the loop body starts the variable afresh (`s = ""`, `String s = ...`), so it grows within one iteration only. */
function resetIn(language: 'python' | 'java', loop: Node, name: string): boolean {
  const body = loop.childForFieldName('body');
  if (!body) return false;
  const scope = scopeOf(language, loop);
  const sameScope = (n: Node) => scopeOf(language, n)?.id === scope?.id;
  if (language === 'python') {
    return body.descendantsOfType('assignment').some((a) => !!a && sameScope(a) && a.childForFieldName('left')?.text === name && !mentions(a.childForFieldName('right'), name));
  }
  return body.descendantsOfType(['assignment_expression', 'local_variable_declaration']).some((n) => {
    if (!n || !sameScope(n)) return false;
    if (n.type === 'local_variable_declaration') return n.childrenForFieldName('declarator').some((d) => d?.childForFieldName('name')?.text === name);
    return n.childForFieldName('operator')?.type === '=' && accumulatorName('java', n.childForFieldName('left'))?.name === name && !mentions(n.childForFieldName('right'), name);
  });
}

function mentions(node: Node | null, name: string): boolean {
  if (!node) return false;
  if (node.type === 'identifier' && node.text === name) return true;
  return node.descendantsOfType('identifier').some((n) => n?.text === name);
}

/** What the accumulator holds, from its declaration (Java) or the last assignment before the loop (Python). */
function kindOfVariable(context: RuleContext, language: 'python' | 'java', accumulation: Accumulation, loop: Node): Kind {
  return language === 'python' ? pythonVariableKind(context, accumulation.name, loop) : javaVariableKind(context, accumulation, loop);
}

function pythonVariableKind(context: RuleContext, name: string, loop: Node): Kind {
  const scope = scopeOf('python', loop);
  let last: Node | undefined;
  for (const assignment of context.find('assignment')) {
    if (assignment.startIndex >= loop.startIndex) break;
    if (assignment.childForFieldName('left')?.text !== name || scopeOf('python', assignment)?.id !== scope?.id) continue;
    last = assignment;
  }
  if (last) {
    const annotation = last.childForFieldName('type')?.text;
    if (annotation) return pythonStringTypes.has(annotation) ? 'string' : 'other';
    const value = last.childForFieldName('right');
    return value ? kindOfValue(context, 'python', value) : 'unknown';
  }
  if (scope?.type === 'function_definition') {
    for (const parameter of scope.childForFieldName('parameters')?.namedChildren ?? []) {
      const parameterName = parameter?.type === 'identifier' ? parameter : parameter?.childForFieldName('name') ?? parameter?.namedChild(0);
      if (!parameter || parameterName?.text !== name) continue;
      const annotation = parameter.childForFieldName('type')?.text;
      if (annotation) return pythonStringTypes.has(annotation) ? 'string' : 'other';
      const value = parameter.childForFieldName('value');
      return value ? kindOfValue(context, 'python', value) : 'unknown';
    }
  }
  return 'unknown';
}

function javaVariableKind(context: RuleContext, accumulation: Accumulation, loop: Node): Kind {
  const type = javaDeclaredType(context, accumulation.name, loop, accumulation.isField);
  if (!type) return 'unknown';
  if (type.type === 'String' || type.type === 'java.lang.String') return 'string';
  if (type.type === 'var' && type.value) return kindOfValue(context, 'java', type.value);
  return type.type === 'var' ? 'unknown' : 'other';
}

/** The declared type (and initial value) of a local, a parameter or a field of the enclosing class. */
function javaDeclaredType(context: RuleContext, name: string, at: Node, fieldOnly = false): { type: string; value?: Node } | undefined {
  const method = scopeOf('java', at);
  if (!fieldOnly) {
    let local: { type: string; value?: Node } | undefined;
    for (const declaration of context.find('local_variable_declaration')) {
      if (declaration.startIndex >= at.startIndex) break;
      if (scopeOf('java', declaration)?.id !== method?.id) continue;
      const declarator = declaration.childrenForFieldName('declarator').find((d) => d?.childForFieldName('name')?.text === name);
      if (declarator) local = { type: declaration.childForFieldName('type')?.text ?? '', value: declarator.childForFieldName('value') ?? undefined };
    }
    if (local) return local;
    for (const parameter of method?.childForFieldName('parameters')?.namedChildren ?? []) {
      if (parameter?.type === 'formal_parameter' && parameter.childForFieldName('name')?.text === name) return { type: parameter.childForFieldName('type')?.text ?? '' };
    }
    for (const loopVariable of context.find('enhanced_for_statement')) {
      if (loopVariable.childForFieldName('name')?.text === name && loopVariable.startIndex <= at.startIndex && at.endIndex <= loopVariable.endIndex) {
        return { type: loopVariable.childForFieldName('type')?.text ?? '' };
      }
    }
  }
  let classBody = method?.type === 'class_body' ? method : method?.parent;
  while (classBody && classBody.type !== 'class_body') classBody = classBody.parent;
  for (const member of classBody?.namedChildren ?? []) {
    if (member?.type !== 'field_declaration') continue;
    const declarator = member.childrenForFieldName('declarator').find((d) => d?.childForFieldName('name')?.text === name);
    if (declarator) return { type: member.childForFieldName('type')?.text ?? '', value: declarator.childForFieldName('value') ?? undefined };
  }
  return undefined;
}

/** Whether an expression is clearly a string, clearly something else, or unknown. */
function kindOfValue(context: RuleContext, language: 'python' | 'java', value: Node): Kind {
  if (language === 'python') {
    if (value.type === 'string' || value.type === 'concatenated_string') return 'string';
    if (['integer', 'float', 'list', 'dictionary', 'tuple', 'set', 'list_comprehension', 'true', 'false'].includes(value.type)) return 'other';
    if (value.type === 'binary_operator') {
      const operator = value.childForFieldName('operator')?.type;
      const left = value.childForFieldName('left');
      if (operator === '%' && left && kindOfValue(context, language, left) === 'string') return 'string';
      if (operator === '+') return plusOperands(language, value).some((o) => kindOfValue(context, language, o) === 'string') ? 'string' : 'unknown';
      return operator && ['-', '*', '/', '//', '**'].includes(operator) && !plusOperands(language, value).some((o) => o.type === 'string') ? 'other' : 'unknown';
    }
    const call = callSite(value);
    if (call && (pythonStringCalls.has(call.callee) || (call.receiver?.type === 'string' && pythonStringCalls.has(call.name)))) return 'string';
    if (call && pythonOtherCalls.has(call.callee)) return 'other';
    return 'unknown';
  }
  if (value.type === 'string_literal' || value.type === 'text_block') return 'string';
  if (/(integer|floating_point|character)_literal$|^(true|false|array_creation_expression|object_creation_expression)$/.test(value.type)) return 'other';
  if (value.type === 'binary_expression' && value.childForFieldName('operator')?.type === '+') {
    return plusOperands(language, value).some((o) => kindOfValue(context, language, o) === 'string') ? 'string' : 'unknown';
  }
  if (value.type === 'identifier') {
    const declared = javaDeclaredType(context, value.text, value);
    return declared?.type === 'String' ? 'string' : 'unknown';
  }
  const call = callSite(value);
  if (call && !call.isConstructor && (javaStringMethods.has(call.name) || javaStringFunctions.has(call.callee))) return 'string';
  return 'unknown';
}
