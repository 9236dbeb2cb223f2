// Handlers that catch everything (`except:`, `except Exception`, `catch (Exception e)`) and then
// neither re-raise nor record what they caught. Using the caught exception in any way (logging it,
// wrapping it, returning its message) counts as handling it, and so do `logger.exception(...)`,
// `exc_info=True` and `traceback.print_exc()`. Handlers that do nothing at all belong to
// swallowed-exception, so one empty handler is reported once.
import { catchClause, catchClauseTypes, caughtTypeNames, doesNothing, enclosingFunction, type CatchClause } from '../catchClauses';
import { callSite } from '../calls';
import type { ReviewLanguage } from '../languages';
import type { Node } from '../parser';
import type { Rule, RuleContext } from '../rule';

const broadTypes: Partial<Record<ReviewLanguage, ReadonlySet<string>>> = {
  python: new Set(['Exception', 'BaseException']),
  java: new Set(['Exception', 'Throwable', 'RuntimeException']),
};

/** Calls that record the exception being handled without naming it. */
const recordsCurrentException = [/(^|\.)exception$/, /(^|\.)(print_exc|format_exc|print_exception|format_exception|exc_info|capture_exception)$/, /(^|\.)\w*(_exception|_traceback|Exception|Traceback)$/];

/** Logging calls, to say "logged without the exception" rather than "not logged". */
const loggingCall = /(^|\.)(log|logger|logging|_log|_logger)\.(debug|info|warning|warn|error|critical|fatal|severe|log)$/i;

export const overlyBroadCatch: Rule = {
  languages: ['python', 'java'],
  meta: {
    name: 'overly-broad-catch',
    title: 'Overly broad exception handler that hides the error',
    category: 'error-handling',
    severity: 'warning',
    cwe: 396,
    why:
      'Catching Exception (or everything, with a bare `except:` or Throwable) also catches the failures you did not ' +
      'foresee: programming errors such as a KeyError or NullPointerException, and in Python even KeyboardInterrupt. ' +
      'When the handler then neither re-raises nor logs what it caught, those bugs turn into silent wrong results. ' +
      'Catch the specific exceptions you expect; where a catch-all is right (a request or job boundary), log the ' +
      'exception with its stack trace or re-raise it.',
    examples: {
      python: {
        noncompliant: 'try:\n    price = parse_price(row)\nexcept Exception:\n    price = 0',
        compliant: 'try:\n    price = parse_price(row)\nexcept (ValueError, KeyError):\n    price = 0',
      },
      java: {
        noncompliant: 'try {\n    port = Integer.parseInt(value);\n} catch (Exception e) {\n    port = DEFAULT_PORT;\n}',
        compliant: 'try {\n    port = Integer.parseInt(value);\n} catch (NumberFormatException e) {\n    port = DEFAULT_PORT;\n}',
      },
    },
  },
  check(context: RuleContext) {
    const broad = broadTypes[context.language];
    if (!broad) return;
    for (const node of context.find(...catchClauseTypes[context.language])) {
      const clause = catchClause(context.language, node);
      if (!clause || doesNothing(clause)) continue;
      const names = caughtTypeNames(clause);
      const bare = context.language === 'python' && clause.types.length === 0;
      const caught = bare ? undefined : names.find((n) => broad.has(n));
      if ((!bare && !caught) || handles(context, clause)) continue;
      const logs = calls(clause).some((call) => loggingCall.test(call.callee));
      const what = bare ? 'A bare `except:` catches everything, KeyboardInterrupt and SystemExit included,' : `Catching ${caught} also catches the failures nobody planned for, bugs included,`;
      const then = logs ? 'and this handler logs without the exception or its stack trace' : 'and this handler neither re-raises nor logs what it caught';
      const instead = context.language === 'python' ? 'catch the exceptions you expect, or log with logger.exception(...) or re-raise' : 'catch the exceptions you expect, or log the exception with its stack trace or rethrow it';
      context.report(clause.header, `${what} ${then}: ${instead}.`);
    }
  },
};

/** Re-raises, uses the caught exception, or records the current exception. */
function handles(context: RuleContext, clause: CatchClause): boolean {
  const own = (n: Node) => !enclosingFunction(context.language, n, clause.node);
  if (clause.node.descendantsOfType(['raise_statement', 'throw_statement']).some((n) => n && own(n))) return true;
  const name = clause.variable?.text;
  if (name) {
    const uses = clause.node.descendantsOfType('identifier').filter((n) => n && n.text === name && n.id !== clause.variable?.id);
    if (uses.length) return true;
  }
  return calls(clause).some((call) => recordsCurrentException.some((p) => p.test(call.callee)) || truthyKeyword(call.keywords.get('exc_info')));
}

function calls(clause: CatchClause) {
  return clause.node.descendantsOfType(['call', 'method_invocation']).flatMap((n) => {
    const site = n ? callSite(n) : undefined;
    return site ? [site] : [];
  });
}

function truthyKeyword(value: Node | undefined): boolean {
  return !!value && !['False', 'None', '0'].includes(value.text);
}
