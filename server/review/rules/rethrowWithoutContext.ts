// A handler that throws a new exception without the one it caught: `raise ConfigError("...")`
// without `from e`, `throw new RuntimeException("...")` without `e` as the cause, `throw new
// Error("...")` without `{ cause: e }`. The stack trace and the original message of the real
// failure are lost. Each language's own idiom is required: Python's `from` (like Ruff B904), the
// cause argument in Java (Sonar S1166: keeping only `e.getMessage()` is not enough), and the
// caught error itself as an argument or as `cause` in JavaScript (ESLint preserve-caught-error).
// A handler whose only statement rethrows what it caught unchanged is reported as useless, unless a
// later handler of the same try follows: then the rethrow keeps those exceptions out of it.
import { catchClause, catchClauseTypes, caughtTypeNames, enclosingFunction, type CatchClause } from '../catchClauses';
import type { Node } from '../parser';
import type { Fix, Rule, RuleContext } from '../rule';

const throwTypes = ['raise_statement', 'throw_statement'];

/** Casts and parentheses: `err as Error`, `(Throwable) e` still pass the caught error itself. */
const transparentTypes = new Set(['parenthesized_expression', 'as_expression', 'non_null_expression', 'satisfies_expression', 'type_assertion', 'cast_expression']);

/** Java exceptions with a `(String message, Throwable cause)` constructor, so adding `e` is always right. */
const javaCauseConstructors = new Set(['Exception', 'RuntimeException', 'IllegalStateException', 'IllegalArgumentException', 'UnsupportedOperationException', 'SecurityException', 'Error']);

/** JavaScript errors whose second argument is `{ cause }`. */
const jsCauseConstructors = new Set(['Error', 'TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError']);

export const rethrowWithoutContext: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'rethrow-without-context',
    title: 'Exception rethrown without its cause',
    category: 'error-handling',
    severity: 'warning',
    cwe: 755,
    why:
      'Translating a low-level exception into one that fits the caller is good practice, but throwing the new one ' +
      'without the original drops the stack trace and message of what actually failed: the log then says "could not ' +
      'load settings" and nothing about the missing file or the permission error behind it. Chain the original as the ' +
      'cause (`raise ... from e`, `new XException("...", e)`, `new Error("...", { cause: e })`). A handler that only ' +
      'rethrows what it caught does nothing and should be removed.',
    examples: {
      python: {
        noncompliant: 'try:\n    raw = path.read_text()\nexcept OSError as e:\n    raise ConfigError(f"cannot read {path}")',
        compliant: 'try:\n    raw = path.read_text()\nexcept OSError as e:\n    raise ConfigError(f"cannot read {path}") from e',
      },
      java: {
        noncompliant: 'try {\n    return Files.readString(path);\n} catch (IOException e) {\n    throw new IllegalStateException("cannot read " + path);\n}',
        compliant: 'try {\n    return Files.readString(path);\n} catch (IOException e) {\n    throw new IllegalStateException("cannot read " + path, e);\n}',
      },
      javascript: {
        noncompliant: 'try {\n  return JSON.parse(text);\n} catch (err) {\n  throw new Error(`invalid settings in ${file}`);\n}',
        compliant: 'try {\n  return JSON.parse(text);\n} catch (err) {\n  throw new Error(`invalid settings in ${file}`, { cause: err });\n}',
      },
      typescript: {
        noncompliant: 'try {\n  return JSON.parse(text) as Settings;\n} catch (err) {\n  throw new Error(`invalid settings in ${file}`);\n}',
        compliant: 'try {\n  return JSON.parse(text) as Settings;\n} catch (err) {\n  throw new Error(`invalid settings in ${file}`, { cause: err });\n}',
      },
    },
  },
  check(context: RuleContext) {
    for (const node of context.find(...catchClauseTypes[context.language])) {
      const clause = catchClause(context.language, node);
      if (!clause) continue;
      if (clause.statements.length === 1 && rethrowsUnchanged(clause, clause.statements[0])) {
        if (!clause.hasLaterHandler) context.report(clause.header, 'This handler only rethrows what it caught: remove it, or add the handling it was meant to do.');
        continue;
      }
      // `catch (ignored)` says the original does not matter.
      if (clause.variable && /^(ignored?|expected)$/.test(clause.variable.text)) continue;
      for (const statement of ownThrows(context, clause)) checkThrow(context, clause, statement);
    }
  },
};

/** Throw statements that run in this handler: not in a nested function, not in a nested handler. */
function ownThrows(context: RuleContext, clause: CatchClause): Node[] {
  const handlerTypes = catchClauseTypes[context.language];
  return clause.node.descendantsOfType(throwTypes).filter((statement): statement is Node => {
    if (!statement || enclosingFunction(context.language, statement, clause.node)) return false;
    for (let n = statement.parent; n && n.id !== clause.node.id; n = n.parent) if (handlerTypes.includes(n.type)) return false;
    return true;
  });
}

/** `raise`, `raise e`, `throw e;` with e the caught exception. */
function rethrowsUnchanged(clause: CatchClause, statement: Node): boolean {
  if (!throwTypes.includes(statement.type)) return false;
  if (statement.childForFieldName('cause')) return false;
  const thrown = statement.namedChildren.filter((c) => c?.type !== 'comment');
  if (thrown.length === 0) return statement.type === 'raise_statement';
  return thrown.length === 1 && thrown[0]?.type === 'identifier' && thrown[0].text === clause.variable?.text;
}

function checkThrow(context: RuleContext, clause: CatchClause, statement: Node): void {
  const thrown = statement.namedChildren.find((c) => c && c.type !== 'comment' && c.id !== statement.childForFieldName('cause')?.id);
  if (!thrown) return;
  const caught = describeCaught(context, clause);
  if (context.language === 'python') {
    if (statement.childForFieldName('cause') || !isNewPythonException(thrown)) return;
    const name = exceptionName(thrown);
    const consequence = `so the traceback shows the ${caught} as its cause rather than as a second failure during handling`;
    if (!clause.variable) {
      context.report(statement, `Bind the ${caught} (\`except ... as e:\`) and raise ${name} from e, ${consequence}.`);
      return;
    }
    const e = clause.variable.text;
    const fix: Fix = { title: `Chain the cause: raise ... from ${e}`, edits: [{ at: { startIndex: statement.endIndex, endIndex: statement.endIndex }, newText: ` from ${e}` }] };
    context.report(statement, `Raise ${name} \`from ${e}\`, ${consequence}.`, { fixes: [fix] });
    return;
  }
  const creation = thrown.type === 'object_creation_expression' || thrown.type === 'new_expression' ? thrown : undefined;
  if (!creation) return;
  const name = exceptionName(creation);
  if (context.language !== 'java' && !/(Error|Exception)$/.test(name)) return;
  const args = creation.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a && !a.type.endsWith('comment')) ?? [];
  const e = clause.variable?.text;
  if (e && args.some((a) => keepsCause(a, e))) return;
  if (!e) {
    context.report(statement, `The new ${name} hides the error being handled: bind it (\`catch (err)\`) and pass it as { cause: err }.`);
    return;
  }
  const onlyMessage = args.some((a) => mentions(a, e));
  const lost = onlyMessage ? `keeps only the message of the ${caught} '${e}', not its stack trace` : `drops the ${caught} '${e}'`;
  const how = context.language === 'java' ? `pass ${e} as the cause` : `pass { cause: ${e} }`;
  context.report(statement, `The new ${name} ${lost}: ${how}.`, { fixes: causeFix(context, name, args, e) });
}

function describeCaught(context: RuleContext, clause: CatchClause): string {
  const names = caughtTypeNames(clause);
  if (names.length === 1) return names[0];
  return context.language === 'python' || context.language === 'java' ? 'exception' : 'caught error';
}

/** `raise ValueError(...)`, `raise errors.NotFound`, but not `raise self.error` or `raise make_error()`. */
function isNewPythonException(node: Node): boolean {
  const target = node.type === 'call' ? node.childForFieldName('function') : node;
  if (!target || (target.type !== 'identifier' && target.type !== 'attribute')) return false;
  return /^[A-Z]/.test(exceptionName(node));
}

function exceptionName(node: Node): string {
  const target = node.childForFieldName('function') ?? node.childForFieldName('constructor') ?? node.childForFieldName('type') ?? node;
  return target.text.replace(/\s+/g, '').replace(/<.*>$/, '').split('.').pop() ?? target.text;
}

/** The caught error itself as an argument, or as `cause` in an options object. */
function keepsCause(arg: Node, e: string): boolean {
  if (transparentTypes.has(arg.type)) return arg.namedChildren.some((c) => !!c && keepsCause(c, e));
  if (arg.type === 'identifier') return arg.text === e;
  if (arg.type !== 'object') return false;
  return arg.namedChildren.some((p) => {
    if (p?.type === 'shorthand_property_identifier') return p.text === 'cause' && e === 'cause';
    return p?.type === 'pair' && p.childForFieldName('key')?.text === 'cause' && p.childForFieldName('value')?.text === e;
  });
}

function mentions(arg: Node, e: string): boolean {
  return arg.text === e || arg.descendantsOfType(['identifier']).some((n) => n?.text === e);
}

/** Adds the cause where the constructor certainly takes it: one message argument to a standard exception. */
function causeFix(context: RuleContext, name: string, args: Node[], e: string): Fix[] {
  const known = context.language === 'java' ? javaCauseConstructors : jsCauseConstructors;
  if (!known.has(name) || args.length !== 1 || (context.language === 'java' && !isJavaString(args[0]))) return [];
  const at = { startIndex: args[0].endIndex, endIndex: args[0].endIndex };
  const newText = context.language === 'java' ? `, ${e}` : `, { cause: ${e} }`;
  return [{ title: context.language === 'java' ? `Pass ${e} as the cause` : `Pass { cause: ${e} }`, edits: [{ at, newText }] }];
}

/** A message argument, so that `(String, Throwable)` is the constructor the added cause selects. */
function isJavaString(arg: Node): boolean {
  if (arg.type === 'string_literal' || arg.type === 'text_block') return true;
  if (arg.type === 'binary_expression') return arg.descendantsOfType(['string_literal']).some((n) => n !== null);
  return arg.type === 'method_invocation' && /^(getMessage|getLocalizedMessage|format|formatted|toString)$/.test(arg.childForFieldName('name')?.text ?? '');
}
