// Exception handlers that do nothing: `except ValueError: pass`, `catch (IOException e) {}`,
// `promise.catch(() => {})`. The error disappears without a trace, and the program goes on in a
// state nobody checked. Following SonarLint, a comment inside the handler (in Python, below the
// `except` line) is taken as the explanation that ignoring is intended, and so is IntelliJ's
// convention of naming the catch parameter `ignored` or `expected`.
// Python's StopIteration, StopAsyncIteration, GeneratorExit and KeyboardInterrupt are left alone:
// catching them to end a loop, a generator or a command-line program quietly is normal control flow.
import { catchClause, catchClauseTypes, caughtTypeNames, commentsInBraces, doesNothing, type CatchClause } from '../catchClauses';
import type { Node } from '../parser';
import type { Rule, RuleContext } from '../rule';

const controlFlowExceptions = new Set(['StopIteration', 'StopAsyncIteration', 'GeneratorExit', 'KeyboardInterrupt']);

/** Catch parameter names that say "ignoring this is the point" (IntelliJ's convention). */
const intentionalNames = new Set(['ignored', 'ignore', 'expected']);

const functionValueTypes = new Set(['arrow_function', 'function_expression', 'function']);

export const swallowedException: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'swallowed-exception',
    title: 'Exception swallowed by an empty handler',
    category: 'error-handling',
    severity: 'warning',
    cwe: 390,
    why:
      'An empty handler makes a failure vanish: nothing is logged, nothing is retried, and the code after it runs ' +
      'as if the operation had worked, so the bug surfaces later, far from its cause, or never. Handle the error, ' +
      'log it with its stack trace, or let it propagate. If ignoring it really is right, say so: a comment in the ' +
      "handler, `contextlib.suppress(...)` in Python, or a catch parameter named `ignored`.",
    examples: {
      python: {
        noncompliant: 'try:\n    config = load_config(path)\nexcept OSError:\n    pass',
        compliant: 'try:\n    config = load_config(path)\nexcept OSError:\n    logger.warning("No config at %s, using defaults", path)\n    config = DEFAULTS',
      },
      java: {
        noncompliant: 'try {\n    Files.delete(tmp);\n} catch (IOException e) {\n}',
        compliant: 'try {\n    Files.delete(tmp);\n} catch (IOException e) {\n    log.warn("Could not delete {}", tmp, e);\n}',
      },
      javascript: {
        noncompliant: 'try {\n  cache = JSON.parse(text);\n} catch (e) {}\n\nsaveDraft(draft).catch(() => {});',
        compliant: 'try {\n  cache = JSON.parse(text);\n} catch (e) {\n  logger.warn("Ignoring corrupt cache", e);\n}\n\nsaveDraft(draft).catch((err) => logger.error("Draft not saved", err));',
      },
      typescript: {
        noncompliant: 'try {\n  cache = JSON.parse(text);\n} catch {}\n\nsaveDraft(draft).catch(() => {});',
        compliant: 'try {\n  cache = JSON.parse(text);\n} catch (e) {\n  logger.warn("Ignoring corrupt cache", e);\n}\n\nsaveDraft(draft).catch((err: unknown) => logger.error("Draft not saved", err));',
      },
    },
  },
  check(context: RuleContext) {
    for (const node of context.find(...catchClauseTypes[context.language])) {
      const clause = catchClause(context.language, node);
      if (!clause || !doesNothing(clause) || clause.hasComment || isIntended(context, clause)) continue;
      context.report(clause.header, message(context, clause));
    }
    if (context.language === 'javascript' || context.language === 'typescript') checkPromiseHandlers(context);
  },
};

function isIntended(context: RuleContext, clause: CatchClause): boolean {
  if (context.language === 'python') {
    const names = caughtTypeNames(clause);
    return names.length > 0 && names.every((n) => controlFlowExceptions.has(n));
  }
  return !!clause.variable && intentionalNames.has(clause.variable.text);
}

function message(context: RuleContext, clause: CatchClause): string {
  const names = caughtTypeNames(clause);
  if (context.language === 'python') {
    if (names.length === 0) return 'A bare `except:` that does nothing hides every error, KeyboardInterrupt and SystemExit included: handle or log it, or catch only what you expect.';
    return `This handler silently discards ${names.join(', ')}: handle or log it; if ignoring it is intended, use contextlib.suppress(${names.join(', ')}) or say why in a comment.`;
  }
  if (names.includes('InterruptedException')) return 'Swallowing InterruptedException loses the interrupt request: call Thread.currentThread().interrupt() or rethrow it.';
  const what = names.length ? names.join(' | ') : 'the error';
  return `This empty catch block silently discards ${what}: handle or log it; if ignoring it is intended, say why in a comment.`;
}

/** `promise.catch(() => {})` and `promise.then(onValue, () => {})`. */
function checkPromiseHandlers(context: RuleContext): void {
  for (const call of context.calls()) {
    if (!call.receiver || call.node.type !== 'call_expression') continue;
    const handler = call.name === 'catch' ? call.args[0] : call.name === 'then' ? call.args[1] : undefined;
    if (!handler || !isEmptyFunction(handler)) continue;
    const property = call.node.childForFieldName('function')?.childForFieldName('property');
    const at = call.name === 'catch' && property ? property : handler;
    context.report(at, `This empty rejection handler silently discards the error: log it or handle it; if ignoring it is intended, say why in a comment.`);
  }
}

/** `() => {}` or `function () {}` with nothing inside the braces, not even a comment. */
function isEmptyFunction(node: Node): boolean {
  if (!functionValueTypes.has(node.type)) return false;
  const body = node.childForFieldName('body');
  return body?.type === 'statement_block' && body.namedChildren.every((c) => c?.type === 'comment') && commentsInBraces(body).length === 0;
}
