// Log injection: untrusted data written to a log with its line breaks, so one request can write what
// looks like several log entries. Removing CR/LF (`.replace('\n', '')`, `.replace(/[\r\n]/g, '')`,
// `re.sub(r'[\r\n]', '', x)`) or encoding the value (JSON.stringify, json.dumps, repr) makes it safe
// for a log, though not for SQL or a shell, so this rule asks its own dataflow with those added.
// Objects passed as structured fields are serialised with escaping by the loggers, so only strings count,
// and request parts that cannot contain a raw line break (headers, the undecoded URL) do not count.
import { compact, type CallSite } from '../calls';
import type { Node } from '../parser';
import type { Rule, RuleContext } from '../rule';
import { isStringLiteral } from '../syntax';
import { reportTainted, sinkName, type TaintedArgument } from './taintedSinks';

const logMethods = /^(trace|debug|info|warn|warning|error|exception|critical|fatal|severe|fine|finer|finest|config|log)$/;

/** Receivers that are loggers: `logging`, `logger`, `self.log`, `app.logger`, `LOGGER`, `req.log`, `console`. */
const loggers = {
  python: /(^|\.)(logging|\w*logger|log|_log)$/i,
  java: /(^|\.)(\w*logger|log|_log)$|getLogger\(.*\)$/i,
  javascript: /(^|\.)(console|\w*logger|log|winston|pino|bunyan)$/i,
  typescript: /(^|\.)(console|\w*logger|log|winston|pino|bunyan)$/i,
} as const;

/**
 * Request parts that cannot hold a raw CR or LF, because the HTTP parser rejects them there and the
 * framework does not decode them: the raw URL and path, header values, the method.
 */
const lineBreakFree = {
  python: /^(flask\.)?request\.(headers|method|url|base_url)\b/,
  java: /\.(getHeader|getHeaders|getRequestURI|getRequestURL|getMethod)\(/,
  javascript: /^(req|request|ctx\.request|ctx)\.(url|originalUrl|path|headers|method)\b/,
  typescript: /^(req|request|ctx\.request|ctx)\.(url|originalUrl|path|headers|method)\b/,
} as const;

/** A literal or regex that matches a line break: `'\n'`, `"\r\n"`, `/[\r\n]+/g`, `r"\s"`. */
const lineBreak = /\\[nrs]|[\r\n]|\\u000[ad]|\\x0[ad]/i;

export const logInjection: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'log-injection',
    title: 'Log injection',
    category: 'input-validation',
    severity: 'warning',
    cwe: 117,
    why:
      'A value from a request that is logged as it is can carry carriage returns and line feeds, and with ' +
      'them whole fake log lines: a forged successful login, a cleared alarm, or text that attacks the tool ' +
      'used to read the logs. Investigations rely on those logs. Remove or encode CR and LF before logging ' +
      'untrusted values, or log them as structured fields that the logger escapes.',
    examples: {
      python: {
        noncompliant: 'logger.info("login failed for %s", request.form["user"])',
        compliant: 'logger.info("login failed for %s", request.form["user"].replace("\\r", "").replace("\\n", ""))',
      },
      java: {
        noncompliant: 'log.warn("login failed for {}", request.getParameter("user"));',
        compliant: 'log.warn("login failed for {}", request.getParameter("user").replaceAll("[\\r\\n]", ""));',
      },
      javascript: {
        noncompliant: 'logger.info(`login failed for ${req.body.user}`);',
        compliant: "logger.info({ user: req.body.user }, 'login failed');",
      },
      typescript: {
        noncompliant: 'console.warn(`login failed for ${req.body.user}`);',
        compliant: "console.warn(`login failed for ${String(req.body.user).replace(/[\\r\\n]/g, '')}`);",
      },
    },
  },
  check(context: RuleContext) {
    const sinks = context.calls().flatMap((call) => {
      const messages = loggedArguments(context, call);
      return messages.some((m) => context.taint().sourceOf(m)) ? [{ call, messages }] : [];
    });
    if (sinks.length === 0) return;
    const forLogs = context.taint((call) => removesLineBreaks(context, call));
    const hits: TaintedArgument[] = [];
    for (const { call, messages } of sinks) {
      const at = messages.find((m) => forLogs.sourceOf(m));
      const source = at && forLogs.sourceOf(at);
      if (at && source && !lineBreakFree[context.language].test(compact(source.node.text))) hits.push({ call, at, source });
    }
    reportTainted(context, hits, (hit) => `Untrusted data from ${hit.source.description} is written to the log by ${sinkName(hit.call)} with its line breaks; it can forge log entries.`);
  },
};

/** The arguments that become log text, if `call` writes to a logger. */
function loggedArguments(context: RuleContext, call: CallSite): Node[] {
  if (!call.receiver || !logMethods.test(call.name) || !loggers[context.language].test(call.receiver.text)) return [];
  const args = context.language === 'python' ? [...call.args, ...(call.keywords.has('msg') ? [call.keywords.get('msg')!] : [])] : call.args;
  // java.util.logging and Python's log(level, msg): the level comes first.
  const text = call.name === 'log' && context.language !== 'javascript' && context.language !== 'typescript' ? args.slice(1) : args;
  return text.filter((a) => a.type !== 'object' && a.type !== 'dictionary' && a.type !== 'keyword_argument' && !lineBreakFree[context.language].test(compact(a.text)));
}

/** Calls that leave no CR or LF in their result. */
function removesLineBreaks(context: RuleContext, call: CallSite): boolean {
  const [pattern] = call.args;
  switch (call.name) {
    case 'replace':
    case 'replaceAll':
    case 'sub':
      if (!pattern || !lineBreak.test(pattern.text)) return false;
      if (call.name === 'sub') return /^re\.sub$|\.sub$/.test(call.callee);
      // In JavaScript a string pattern replaces only its first match; a regex needs the g flag.
      if ((context.language === 'javascript' || context.language === 'typescript') && call.name === 'replace') return pattern.type === 'regex' && /g[a-z]*$/.test(pattern.childForFieldName('flags')?.text ?? '');
      return isStringLiteral(context.language, pattern) || pattern.type === 'regex' || pattern.type === 'character_literal';
    case 'stringify':
      return call.callee === 'JSON.stringify';
    case 'dumps':
      return call.callee === 'json.dumps';
    case 'repr':
      return !call.receiver;
    default:
      return false;
  }
}
