// Secrets written to logs: a logging or print call whose arguments carry a value named like a
// password, secret, token, API key, credentials object or Authorization header. Names decide, as
// in hardcoded-credentials (`next_token` and `token_type` are not secrets). Constant text is never
// a finding ("password reset requested"), and neither is a value that has been reduced to something
// safe to log: a length, a boolean test, a masked, hashed or redacted form, or a short prefix or
// suffix (`token[:4]`, `token.slice(-4)`), which is the usual way to correlate a secret in logs.
import type { CallSite } from '../calls';
import { compact } from '../calls';
import type { ReviewLanguage } from '../languages';
import { documentMentions, nameWords } from '../names';
import type { Node } from '../parser';
import type { Rule, RuleContext } from '../rule';
import { isStringLiteral, stringValue } from '../syntax';
import { looksLikeSecretName } from './hardcodedCredentials';

const logLevels = new Set(['trace', 'debug', 'info', 'information', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log']);

/** Receivers that are loggers: `logger`, `self.log`, `LOGGER`, `app.logger`, `auditLogger`, `logging`, `console`. */
const loggerReceiver = /(?:^|\.)(?:_?log|_?logger|\w*Logger|\w*_logger|logging|console)$/i;

/** Calls whose result is safe to log in place of the secret: lengths, tests, masked, hashed or shortened forms. */
const reducingCall = /^(?:len|length|size|count|bool|type|typeof|isinstance|is[A-Z_]\w*|has[A-Z_]\w*|is_\w+|has_\w+|mask\w*|redact\w*|hash\w*|sha\d*\w*|md5\w*|digest|hexdigest|obfuscate\w*|anonymi[sz]e\w*|censor\w*|scrub\w*|sanitize\w*|truncate\w*|slice|substring|substr|startsWith|endsWith|startswith|endswith|equals)$/;

/** Getters that return secrets: `getPassword()`, `get_credentials()`, `resolveCredentials()`. */
const secretGetter = /^(?:get|resolve|fetch|load|read)_?([A-Za-z]\w*)$/;

/** Lookups by key: `getProperty("db.password")`, `os.environ.get("API_TOKEN")`, `getenv("SECRET")`, `get("password")`. */
const keyedLookup = /^get\w*$/;

/** Expressions that turn a value into a boolean. */
const booleanTypes = new Set(['comparison_operator', 'not_operator', 'instanceof_expression']);
const comparisonOperators = new Set(['==', '!=', '===', '!==', '<', '>', '<=', '>=', 'in', 'instanceof']);

/** `password=%s`, `access_token: {}`, `secret={value}`, `api_key=${k}`: text that labels the next value (see `isSecretLabel`). */
const labelledPlaceholder = /(?<![\w-])([A-Za-z_][\w-]*)\s*[=:]\s*(?:%[sdr]|\{\}|\{\d+\}|\{[\w.]+\}|\$\{)/g;
const namedPlaceholder = /%\((\w+)\)[sdr]/g;

export const credentialsLogged: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'credentials-logged',
    title: 'Credentials written to a log',
    category: 'security',
    severity: 'warning',
    cwe: 532,
    why:
      'Logs are copied to many places (log files, CloudWatch, search indexes, support tickets) and are read by ' +
      'far more people and systems than the secrets in them are meant for, usually kept for months. A password, ' +
      'token, API key, Authorization header or credentials object written to a log is a leaked credential. Leave ' +
      'secrets out of log messages; if you need to tell them apart, log an identifier, a length or a masked form ' +
      'such as the last four characters.',
    examples: {
      python: {
        noncompliant: 'logger.info("Connecting as %s with password %s", user, password)',
        compliant: 'logger.info("Connecting as %s", user)',
      },
      java: {
        noncompliant: 'log.debug("Authorization header: {}", request.getHeader("Authorization"));',
        compliant: 'log.debug("Authorization header present: {}", request.getHeader("Authorization") != null);',
      },
      javascript: {
        noncompliant: "console.log('issued token', token);",
        compliant: "console.log('issued token ending', token.slice(-4));",
      },
      typescript: {
        noncompliant: "logger.info('login', { user, password });",
        compliant: "logger.info('login', { user });",
      },
    },
  },
  check(context: RuleContext) {
    if (!documentMentions(context.tree, context.text, /secret|passw|passphrase|pwd|credential|key|token|authorization/i)) return;
    for (const call of context.calls()) {
      if (!isLoggingCall(context.language, call)) continue;
      const values = [...call.args, ...call.keywords.values()];
      const carriesValue = values.some((value) => !isStringLiteral(context.language, value) && !isReduced(value));
      const found = firstOf(values, (value) => secretIn(context.language, value)) ?? firstOf(values, (value) => labelInText(context.language, value, carriesValue));
      if (found) context.report(found.at, `${found.what} is written to the log: leave it out, or log a masked form (such as its last four characters).`);
    }
  },
};

function isLoggingCall(language: ReviewLanguage, call: CallSite): boolean {
  if (language === 'python' && call.callee === 'print') return true;
  if (language === 'java' && /^System\.(?:out|err)\.(?:println|print|printf|format)$/.test(call.callee)) return true;
  return !!call.receiver && logLevels.has(call.name) && loggerReceiver.test(compact(call.receiver.text));
}

interface Found {
  at: Node;
  what: string;
}

function firstOf(nodes: Node[], search: (node: Node) => Found | undefined): Found | undefined {
  for (const node of nodes) {
    const found = search(node);
    if (found) return found;
  }
  return undefined;
}

/** The first secret the expression carries into the log, searching the way the value is built. */
function secretIn(language: ReviewLanguage, node: Node): Found | undefined {
  if (booleanTypes.has(node.type) || isBooleanOperation(node)) return undefined;
  switch (node.type) {
    case 'identifier':
    case 'shorthand_property_identifier':
      return looksLikeSecretName(node.text) ? { at: node, what: `'${node.text}'` } : undefined;
    case 'attribute':
    case 'member_expression':
    case 'field_access': {
      // A part of an object is named by its own name: `headers.authorization` is a secret, `token.length` and `credentials.accessKeyId` are not.
      const name = (node.childForFieldName('attribute') ?? node.childForFieldName('property') ?? node.childForFieldName('field'))?.text ?? '';
      return looksLikeSecretName(name) && !namesNames(node.childForFieldName('object')) ? { at: node, what: `'${compact(node.text)}'` } : undefined;
    }
    case 'subscript':
    case 'subscript_expression': {
      const key = node.childForFieldName('subscript') ?? node.childForFieldName('index');
      return key && isStringLiteral(language, key) && looksLikeSecretName(stringValue(key).value) ? { at: node, what: `'${compact(node.text)}'` } : undefined;
    }
    case 'pair': {
      // A key names the entry when it is a string or a JavaScript property name; `{TOKEN: x}` in Python is a variable.
      const key = node.childForFieldName('key');
      const keyName = key && isStringLiteral(language, key) ? stringValue(key).value : key?.type === 'property_identifier' ? key.text : undefined;
      const value = node.childForFieldName('value')!;
      // `{"password": "***"}` logs a constant, not the secret.
      if (keyName && looksLikeSecretName(keyName)) return isStringLiteral(language, value) || isReduced(value) ? undefined : { at: node, what: `The '${keyName}' entry` };
      return secretIn(language, value);
    }
    case 'keyword_argument':
      return secretIn(language, node.childForFieldName('value')!);
  }
  const call = callParts(node);
  if (call) {
    if (reducingCall.test(call.name)) return undefined;
    const getter = secretGetter.exec(call.name);
    if (getter && looksLikeSecretName(getter[1])) return { at: node, what: `The result of ${call.name}()` };
    const key = call.args[0];
    if (keyedLookup.test(call.name) && key && isStringLiteral(language, key) && looksLikeSecretName(stringValue(key).value)) {
      return { at: node, what: `The value of '${stringValue(key).value}'` };
    }
    for (const part of [call.receiver, ...call.args]) {
      const found = part && secretIn(language, part);
      if (found) return found;
    }
    return undefined;
  }
  return inChildren(language, node);
}

function inChildren(language: ReviewLanguage, node: Node): Found | undefined {
  for (const child of node.namedChildren) {
    const found = child && child.type !== 'comment' ? secretIn(language, child) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** An object whose members are names, not values: `EnvironmentVariableNames.MSI_SECRET`, `Fields.PASSWORD`. */
function namesNames(object: Node | null): boolean {
  const last = /[\w$]+$/.exec(object?.text ?? '')?.[0] ?? '';
  return nameWords(last).some((w) => /^(?:names?|fields?|labels?|types?|keys|params|parameters|variables|columns)$/.test(w));
}

/** A literal, a boolean test or a reducing call: nothing a format label could be attached to. */
function isReduced(node: Node): boolean {
  if (/^(?:integer|float|number|decimal_integer_literal|true|false|none|null|null_literal|undefined)$/.test(node.type)) return true;
  const call = callParts(node);
  return booleanTypes.has(node.type) || isBooleanOperation(node) || (!!call && reducingCall.test(call.name));
}

/** `a == b`, `!token`, `typeof key`: a boolean or a type name, not the value. */
function isBooleanOperation(node: Node): boolean {
  if (node.type === 'unary_expression') return /^(?:!|typeof)/.test(node.text);
  if (node.type !== 'binary_expression') return false;
  const operator = node.children.find((c) => c !== null && !c.isNamed);
  return !!operator && comparisonOperators.has(operator.type);
}

/** A call's name, receiver and arguments in any grammar (the callee's own name is not a value). */
function callParts(node: Node): { name: string; receiver: Node | undefined; args: Node[] } | undefined {
  let fn: Node | null;
  let receiver: Node | null = null;
  if (node.type === 'call' || node.type === 'call_expression') {
    fn = node.childForFieldName('function');
    receiver = fn?.childForFieldName('object') ?? null;
  } else if (node.type === 'method_invocation') {
    fn = node.childForFieldName('name');
    receiver = node.childForFieldName('object');
  } else {
    return undefined;
  }
  const name = /[\w$]+$/.exec(fn?.text ?? '')?.[0] ?? '';
  const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => a !== null && a.type !== 'comment');
  return { name, receiver: receiver ?? undefined, args };
}

/**
 * A format string that labels a value as a secret: `"password=%s"` with an argument after it,
 * `f"api_key={value}"`, `` `secret=${s}` ``, `"%(password)s"`. Constant text alone is not a finding.
 */
function labelInText(language: ReviewLanguage, literal: Node, valueArgument: boolean): Found | undefined {
  if (!isStringLiteral(language, literal)) return undefined;
  const interpolated = literal.namedChildren.some((c) => (c?.type === 'interpolation' || c?.type === 'template_substitution') && !!c.namedChildren[0] && !isReduced(c.namedChildren[0]));
  if (!interpolated && !valueArgument) return undefined;
  const { value } = stringValue(literal);
  for (const match of [...value.matchAll(labelledPlaceholder), ...value.matchAll(namedPlaceholder)]) {
    if (isSecretLabel(match[1])) return { at: literal, what: `A value labelled '${match[1]}'` };
  }
  return undefined;
}

/**
 * Labels specific enough to say the next value is a secret. "token:" and "credential:" alone are
 * too vague (lexers and paginators have tokens; error messages mention credentials); "password=",
 * "api_key=" and "access_token=" are not.
 */
function isSecretLabel(label: string): boolean {
  const words = nameWords(label);
  return looksLikeSecretName(label) && (words.length > 1 || /^(?:password|passwd|pwd|passphrase|secret|apikey)$/.test(words[0]));
}
