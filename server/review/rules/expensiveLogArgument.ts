// Logging that costs when nobody reads it. (a) A debug or trace call whose arguments do work before
// the logger can check its level: string building (Python and Java have lazy placeholders for that)
// or calls such as JSON.stringify / json.dumps / toString. (b) Info or debug logging that runs
// unconditionally on every iteration of a hot loop. A level guard (`isDebugEnabled()`,
// `isEnabledFor(DEBUG)`) around the call, or an early return on it, means the cost was considered.
import { callSite, type CallSite } from '../calls';
import type { ReviewLanguage } from '../languages';
import type { Node } from '../parser';
import type { Related, Rule, RuleContext } from '../rule';
import { hasInterpolation } from '../syntax';

type Level = 'debug' | 'info';

interface LogCall {
  call: CallSite;
  level: Level;
  /** The arguments after a leading level argument (`logger.log(logging.DEBUG, ...)`). */
  args: Node[];
}

const loopTypes: Record<ReviewLanguage, ReadonlySet<string>> = {
  python: new Set(['for_statement', 'while_statement']),
  java: new Set(['for_statement', 'enhanced_for_statement', 'while_statement', 'do_statement']),
  javascript: new Set(['for_statement', 'for_in_statement', 'while_statement', 'do_statement']),
  typescript: new Set(['for_statement', 'for_in_statement', 'while_statement', 'do_statement']),
};

/** Code inside these runs later or elsewhere, not as part of the surrounding expression or loop. */
const deferredTypes: Record<ReviewLanguage, ReadonlySet<string>> = {
  python: new Set(['function_definition', 'lambda', 'class_definition']),
  java: new Set(['method_declaration', 'constructor_declaration', 'lambda_expression', 'class_body']),
  javascript: new Set(['function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function', 'class_body']),
  typescript: new Set(['function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function', 'class_body']),
};

/** Between a call and its loop, these make the call run on some iterations only. */
const conditionalTypes: Record<ReviewLanguage, ReadonlySet<string>> = {
  python: new Set(['if_statement', 'elif_clause', 'else_clause', 'except_clause', 'conditional_expression', 'boolean_operator', 'case_clause']),
  java: new Set(['if_statement', 'catch_clause', 'ternary_expression', 'switch_block_statement_group', 'switch_rule']),
  javascript: new Set(['if_statement', 'else_clause', 'catch_clause', 'ternary_expression', 'switch_case', 'switch_default']),
  typescript: new Set(['if_statement', 'else_clause', 'catch_clause', 'ternary_expression', 'switch_case', 'switch_default']),
};

const debugMethods = new Set(['debug', 'trace', 'fine', 'finer', 'finest', 'verbose', 'silly']);
const infoMethods = new Set(['info', 'config']);

/** Receivers that are loggers: `log`, `logger`, `LOG`, `self._logger`, `this.log`, `appLogger`, `access_log`, `logging`. */
const loggerName = /^(_*(log|logger|logging)|\w*logger|\w*_log)$/i;
/** `auditLog`, `requestLog`: case matters, or `catalog` and `dialog` would be loggers. */
const camelCaseLogName = /^[a-z]\w*Log$/;

/** A condition that tests the log level or a debug switch: code under it chose to pay the cost. */
const levelGuard = /debug|trace|verbose|isLoggable|isEnabledFor|isLevelEnabled|getEffectiveLevel|level/i;

/** Calls that are too cheap to matter: getters, lengths, clocks, type checks. */
const cheapCalls: Record<ReviewLanguage, ReadonlySet<string>> = {
  python: new Set(['len', 'type', 'id', 'isinstance', 'bool', 'hasattr', 'getattr', 'callable', 'time', 'monotonic', 'perf_counter', 'get_ident', 'getpid', 'get']),
  java: new Set(['size', 'length', 'name', 'ordinal', 'getClass', 'getSimpleName', 'getName', 'isEmpty', 'currentTimeMillis', 'nanoTime', 'currentThread', 'hashCode']),
  javascript: new Set(['now', 'hrtime', 'String', 'Number', 'Boolean', 'isArray']),
  typescript: new Set(['now', 'hrtime', 'String', 'Number', 'Boolean', 'isArray']),
};
const getter = /^(get|is|has)(_\w+|[A-Z]\w*)$/;

/** Calls that mean a loop waits on something each iteration (and `queue.get()`), so it is not CPU-hot. */
const waitingCall = /^(sleep|wait\w*|poll|recv\w*|receive\w*|accept|take|select|join)$/i;

/** A loop over at most this many items (a literal list or `range(n)`) is not hot. */
const smallLoop = 10;

const advice: Record<ReviewLanguage, string> = {
  python: 'pass the values as lazy %s arguments (logger.debug("... %s", value)) or guard with logger.isEnabledFor(logging.DEBUG)',
  java: 'use {} placeholders and guard costly arguments with isDebugEnabled() (or pass a Supplier)',
  javascript: 'guard the call with a level check or pass the object to the logger to serialise',
  typescript: 'guard the call with a level check or pass the object to the logger to serialise',
};

export const expensiveLogArgument: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'expensive-log-argument',
    title: 'Expensive work for a log call',
    category: 'performance',
    severity: 'info',
    cwe: 1176,
    why:
      'Arguments are evaluated before the logger decides whether the level is enabled, so a debug message built ' +
      'by concatenation, an f-string, String.format or a JSON.stringify / json.dumps call costs CPU and memory on ' +
      'every call in production, where debug logging is off. Logging on every iteration of a hot loop costs I/O ' +
      'even when it is on. Pass values to the logger lazily (`%s` arguments in Python, `{}` placeholders in SLF4J), ' +
      'guard expensive arguments with a level check, and log a summary after a loop instead of a line per item.',
    examples: {
      python: {
        noncompliant: 'logger.debug(f"order state: {json.dumps(order)}")',
        compliant: 'logger.debug("order state: %s", order)',
      },
      java: {
        noncompliant: 'log.debug("Order state: " + mapper.writeValueAsString(order));',
        compliant: 'if (log.isDebugEnabled()) {\n    log.debug("Order state: {}", mapper.writeValueAsString(order));\n}',
      },
      javascript: {
        noncompliant: 'logger.debug(`order state: ${JSON.stringify(order)}`);',
        compliant: "logger.debug({ order }, 'order state');",
      },
      typescript: {
        noncompliant: 'for (const item of items) {\n  logger.info(`processing ${item.id}`);\n  process(item);\n}',
        compliant: "items.forEach(process);\nlogger.info(`processed ${items.length} items`);",
      },
    },
  },
  check(context: RuleContext) {
    const language = context.language;
    const logCalls = context
      .calls()
      .map((call) => logCallOf(language, call))
      .filter((log): log is LogCall => log !== undefined && !isGuarded(language, log.call.node));

    for (const log of logCalls) {
      if (log.level !== 'debug') continue;
      const work = firstWork(language, log.args);
      if (work) context.report(work.node, `This debug log argument does work even when debug logging is off (${work.what}); ${advice[language]}.`);
    }

    const perLoop = new Map<number, { loop: Node; logs: LogCall[] }>();
    for (const log of logCalls) {
      const loop = loopRunningEveryIteration(language, log.call.node);
      if (!loop || !isHot(language, loop)) continue;
      const group = perLoop.get(loop.id) ?? { loop, logs: [] };
      group.logs.push(log);
      perLoop.set(loop.id, group);
    }
    for (const { loop, logs } of perLoop.values()) {
      const [first, ...others] = logs;
      const related: Related[] = [
        { at: loopHeader(loop), message: 'the loop' },
        ...others.map((o) => ({ at: o.call.node, message: 'also logs on every iteration' })),
      ];
      context.report(
        first.call.node,
        `'${first.call.callee}' runs on every iteration of this loop; log a summary after the loop${first.level === 'info' ? ' or lower this to debug' : ''}.`,
        { related },
      );
    }
  },
};

function logCallOf(language: ReviewLanguage, call: CallSite): LogCall | undefined {
  if (!call.receiver || call.isConstructor || !isLogger(language, call.receiver)) return undefined;
  if (call.name === 'log') {
    const [levelArg, ...rest] = call.args;
    if (!levelArg) return undefined;
    const level = /\b(debug|trace|finer?|finest)\b/i.test(levelArg.text) ? 'debug' : /\binfo\b/i.test(levelArg.text) ? 'info' : undefined;
    return level ? { call, level, args: rest.concat([...call.keywords.values()]) } : undefined;
  }
  const level = debugMethods.has(call.name) ? 'debug' : infoMethods.has(call.name) ? 'info' : undefined;
  return level ? { call, level, args: call.args.concat([...call.keywords.values()]) } : undefined;
}

function isLogger(language: ReviewLanguage, receiver: Node): boolean {
  const inner = callSite(receiver);
  if (inner) return /^(getLogger|get_logger|getLog)$/.test(inner.name);
  const last = receiver.text.replace(/\s+/g, '').split('.').pop() ?? '';
  if (language !== 'python' && last === 'console') return false;
  return loggerName.test(last) || camelCaseLogName.test(last);
}

/** Whether an enclosing `if`, or an earlier `if (...) return` in an enclosing block, tests the log level. */
function isGuarded(language: ReviewLanguage, node: Node): boolean {
  for (let child = node, at = node.parent; at && !deferredTypes[language].has(at.type); child = at, at = at.parent) {
    if ((at.type === 'if_statement' || at.type === 'elif_clause') && levelGuard.test(at.childForFieldName('condition')?.text ?? '')) {
      return at.childForFieldName('condition')?.id !== child.id;
    }
    for (let before = child.previousNamedSibling; before; before = before.previousNamedSibling) {
      if (before.type === 'if_statement' && levelGuard.test(before.childForFieldName('condition')?.text ?? '') && exitsEarly(before)) return true;
    }
  }
  return false;
}

function exitsEarly(ifStatement: Node): boolean {
  const body = ifStatement.childForFieldName('consequence');
  const statement = body && ['block', 'statement_block'].includes(body.type) ? body.namedChild(0) : body;
  return !!statement && ['return_statement', 'throw_statement', 'raise_statement', 'continue_statement'].includes(statement.type);
}

/** The first argument expression that does work before the logger checks its level, pre-order. */
function firstWork(language: ReviewLanguage, args: Node[]): { node: Node; what: string } | undefined {
  for (const arg of args) {
    const found = workIn(language, arg);
    if (found) return found;
  }
  return undefined;
}

function workIn(language: ReviewLanguage, node: Node): { node: Node; what: string } | undefined {
  if (deferredTypes[language].has(node.type)) return undefined;
  const what = workOf(language, node);
  if (what) return { node, what };
  for (const child of node.namedChildren) {
    const found = child && workIn(language, child);
    if (found) return found;
  }
  return undefined;
}

function workOf(language: ReviewLanguage, node: Node): string | undefined {
  if (language === 'python') {
    if (node.type === 'string' && hasInterpolation(node)) return 'an f-string';
    if (node.type === 'binary_operator') {
      const operator = node.childForFieldName('operator')?.type;
      if (operator === '%' && isPythonString(node.childForFieldName('left'))) return '% formatting';
      if (operator === '+' && isConcatenation(language, node)) return 'string concatenation';
    }
  }
  if (language === 'java' && node.type === 'binary_expression' && node.childForFieldName('operator')?.type === '+' && isConcatenation(language, node)) {
    return 'string concatenation';
  }
  const call = callSite(node);
  if (call && !call.isConstructor && !isCheap(language, call)) return `a call to ${/^[\w.]{1,30}$/.test(call.callee) ? call.callee : `${call.receiver ? '.' : ''}${call.name}`}()`;
  return undefined;
}

function isPythonString(node: Node | null): boolean {
  return node?.type === 'string' || node?.type === 'concatenated_string';
}

/** A `+` chain with a string literal in it and at least one operand that is not a literal or a CONSTANT. */
function isConcatenation(language: ReviewLanguage, node: Node): boolean {
  const operands: Node[] = [];
  const flatten = (n: Node) => {
    if (n.type === node.type && n.childForFieldName('operator')?.type === '+') {
      for (const side of ['left', 'right']) {
        const operand = n.childForFieldName(side);
        if (operand) flatten(operand);
      }
    } else {
      operands.push(n);
    }
  };
  flatten(node);
  const isString = (n: Node) => (language === 'python' ? isPythonString(n) : n.type === 'string_literal');
  const isConstant = (n: Node) => (isString(n) && !hasInterpolation(n)) || /literal$|^(integer|float|true|false|none|null_literal)$/.test(n.type) || /^[A-Z][A-Z0-9_]*$/.test(n.text);
  return operands.some(isString) && operands.some((n) => !isConstant(n));
}

function isCheap(language: ReviewLanguage, call: CallSite): boolean {
  return cheapCalls[language].has(call.name) || (getter.test(call.name) && call.args.length === 0);
}

/**
 * The innermost loop whose body runs `node` on every iteration: none if the path from the loop
 * body to the call passes a condition, a handler or a function boundary.
 */
function loopRunningEveryIteration(language: ReviewLanguage, node: Node): Node | undefined {
  for (let child = node, at = node.parent; at; child = at, at = at.parent) {
    if (deferredTypes[language].has(at.type) || conditionalTypes[language].has(at.type)) return undefined;
    if (loopTypes[language].has(at.type)) return at.childForFieldName('body')?.id === child.id ? at : undefined;
  }
  return undefined;
}

/** A loop that does not wait each iteration (sleep, queue receive, await) and is not over a few literal items. */
function isHot(language: ReviewLanguage, loop: Node): boolean {
  if (isSmall(language, loop)) return false;
  const body = loop.childForFieldName('body');
  if (!body || /^(async\s+for|for\s+await)\b/.test(loop.text)) return false;
  const waits = (n: Node): boolean => {
    if (deferredTypes[language].has(n.type)) return false;
    if (n.type === 'await' || n.type === 'await_expression') return true;
    const call = callSite(n);
    if (call && (waitingCall.test(call.name) || (call.name === 'get' && /queue|^q$/i.test(call.receiver?.text ?? '')))) return true;
    return n.namedChildren.some((c) => !!c && waits(c));
  };
  return !waits(body);
}

function isSmall(language: ReviewLanguage, loop: Node): boolean {
  const literalItems = (n: Node | null) => !!n && ['list', 'tuple', 'array', 'set'].includes(n.type) && n.namedChildCount <= smallLoop;
  const smallNumber = (n: Node | null | undefined) => !!n && /^\d+$/.test(n.text) && Number(n.text) <= smallLoop;
  if (language === 'python' && loop.type === 'for_statement') {
    const iterable = loop.childForFieldName('right');
    if (literalItems(iterable)) return true;
    const call = iterable && callSite(iterable);
    return !!call && call.callee === 'range' && call.args.length === 1 && smallNumber(call.args[0]);
  }
  if (loop.type === 'for_in_statement' || loop.type === 'enhanced_for_statement') {
    return literalItems(loop.childForFieldName('right') ?? loop.childForFieldName('value'));
  }
  if (loop.type === 'for_statement') {
    const condition = loop.childForFieldName('condition');
    const bound = condition?.type === 'binary_expression' ? condition : condition?.namedChild(0);
    return !!bound && /^<=?$/.test(bound.childForFieldName('operator')?.type ?? '') && smallNumber(bound.childForFieldName('right'));
  }
  return false;
}

/** From the loop keyword to the start of its body: what the related location points at. */
function loopHeader(loop: Node): { startIndex: number; endIndex: number } {
  const body = loop.childForFieldName('body');
  return { startIndex: loop.startIndex, endIndex: body && body.startIndex > loop.startIndex ? body.startIndex : loop.endIndex };
}
