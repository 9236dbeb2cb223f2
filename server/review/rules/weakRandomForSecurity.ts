// Predictable random numbers where the value is a secret: Python's `random`, `java.util.Random`,
// `ThreadLocalRandom`, commons-lang `RandomStringUtils` and `Math.random()` generate values an
// attacker can reconstruct from a few outputs. Whether a value is a secret is read from names: the
// variable, key or argument it ends up in (`reset_token = ...`, `{ sessionId: ... }`,
// `nextBytes(salt)`), or else the function it is computed in (`generatePassword`). A name that
// says what else the value is for (`jitter`, `delay`, `sample`) settles it the other way.
import type { CallSite } from '../calls';
import { isCall } from '../calls';
import type { ReviewLanguage } from '../languages';
import { declaredValue, documentMentions, moduleImports, nameWords, qualify } from '../names';
import type { Node } from '../parser';
import type { Rule, RuleContext } from '../rule';
import { isStringLiteral, stringValue } from '../syntax';
import { isFunctionNode } from '../units';

/** Python's `random` module functions that produce values (`random.SystemRandom()` is not among them). */
const pythonRandom = /^random\.(?:random|randint|randrange|randbytes|getrandbits|choice|choices|sample|uniform|shuffle)$/;

/** `java.util.Random` value methods. */
const javaRandomMethods = new Set(['nextInt', 'nextLong', 'nextDouble', 'nextFloat', 'nextBoolean', 'nextGaussian', 'nextBytes', 'ints', 'longs', 'doubles']);

/** Words that make a name security-sensitive. */
const sensitiveWords = new Set([
  'token', 'password', 'passwd', 'pwd', 'passphrase', 'secret', 'salt', 'nonce', 'otp', 'totp', 'hotp', 'pin', 'session', 'sessionid',
  'csrf', 'xsrf', 'iv', 'apikey', 'auth', 'credential', 'credentials', 'captcha', 'key',
]);

/** Words that make "code" a secret: `verification_code`, `resetCode`. */
const secretCodeWords = new Set(['verification', 'verify', 'reset', 'confirmation', 'confirm', 'invite', 'invitation', 'activation', 'recovery', 'login', 'mfa', 'twofactor']);

/** Next to "key", these words mean a lookup or storage key, not a cryptographic one. */
const lookupKeyWords = new Set(['cache', 'partition', 'sort', 'shard', 'hash', 'range', 'primary', 'foreign', 'dict', 'map', 'lookup', 'row', 'column', 'object', 'bucket', 'file', 'path', 'prefix', 'name', 'idempotency', 'dedup', 'react', 'list']);

/** Names that say the value is for something other than security. */
const harmlessWords = new Set([
  'delay', 'jitter', 'backoff', 'sleep', 'wait', 'timeout', 'interval', 'retry', 'retries', 'attempt', 'sample', 'samples', 'sampled',
  'sampling', 'shuffle', 'shuffled', 'color', 'colour', 'index', 'idx', 'weight', 'weights', 'probability', 'chance', 'rate', 'ratio',
  'percent', 'offset', 'position', 'latency', 'duration', 'noise', 'port', 'mock', 'fake', 'dummy', 'demo', 'example', 'animation',
  'sort', 'order',
]);

function isSensitiveName(name: string): boolean {
  const words = nameWords(name);
  if (words.includes('code') && words.some((w) => secretCodeWords.has(w))) return true;
  return words.some((w) => sensitiveWords.has(w)) && !(words.includes('key') && words.some((w) => lookupKeyWords.has(w)));
}

function isHarmlessName(name: string): boolean {
  return nameWords(name).some((w) => harmlessWords.has(w));
}

const advice: Record<ReviewLanguage, string> = {
  python: 'use the secrets module (secrets.token_urlsafe, secrets.token_hex, secrets.choice)',
  java: 'use java.security.SecureRandom',
  javascript: 'use crypto.randomBytes, crypto.randomUUID or crypto.getRandomValues',
  typescript: 'use crypto.randomBytes, crypto.randomUUID or crypto.getRandomValues',
};

export const weakRandomForSecurity: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'weak-random-for-security',
    title: 'Predictable random value used as a secret',
    category: 'security',
    severity: 'warning',
    cwe: 330,
    why:
      "General-purpose generators (Python's random, java.util.Random, Math.random) are designed to be fast and " +
      'reproducible, not unpredictable: their internal state can be recovered from a handful of outputs, after ' +
      'which every token, password, session id, salt or one-time code they produce can be predicted. Use the ' +
      "platform's cryptographically secure generator for anything an attacker must not guess: Python's secrets " +
      'module, java.security.SecureRandom, and crypto.randomBytes / randomUUID / getRandomValues in JavaScript. ' +
      'Random numbers for jitter, sampling or shuffling are not reported.',
    examples: {
      python: {
        noncompliant: 'reset_token = "".join(random.choice(ALPHABET) for _ in range(32))',
        compliant: 'reset_token = secrets.token_urlsafe(32)',
      },
      java: {
        noncompliant: 'String sessionId = Long.toHexString(new Random().nextLong());',
        compliant: 'byte[] bytes = new byte[32];\nnew SecureRandom().nextBytes(bytes);\nString sessionId = HexFormat.of().formatHex(bytes);',
      },
      javascript: {
        noncompliant: 'const token = Math.random().toString(36).slice(2);',
        compliant: "const token = crypto.randomBytes(32).toString('hex');",
      },
      typescript: {
        noncompliant: 'const sessionId: string = Math.random().toString(36).slice(2);',
        compliant: 'const sessionId: string = crypto.randomUUID();',
      },
    },
  },
  check(context: RuleContext) {
    if (!documentMentions(context.tree, context.text, /random/i)) return;
    const imports = moduleImports(context.tree.rootNode);
    for (const call of context.calls()) {
      const generator = weakGenerator(context.language, call, qualify(imports, call.callee));
      if (!generator) continue;
      const purpose = securityPurpose(context.language, call);
      if (purpose) context.report(call.node, `${generator} is predictable, and here it produces ${purpose}: ${advice[context.language]}.`);
    }
  },
};

/** How the call names its generator, if it is a non-cryptographic one; `callee` has imports resolved. */
function weakGenerator(language: ReviewLanguage, call: CallSite, callee: string): string | undefined {
  switch (language) {
    case 'python':
      return pythonRandom.test(callee) ? callee : undefined;
    case 'java':
      if (call.callee === 'Math.random') return 'Math.random()';
      if (/(?:^|\.)RandomStringUtils\.random\w*$/.test(call.callee)) return `RandomStringUtils.${call.name} (java.util.Random)`;
      if (javaRandomMethods.has(call.name) && call.receiver && isJavaUtilRandom(call.receiver)) return `java.util.Random.${call.name}`;
      return undefined;
    default:
      return call.callee === 'Math.random' ? 'Math.random()' : undefined;
  }
}

/** `new Random()`, `ThreadLocalRandom.current()`, or a variable or field initialised with `new Random(...)`. */
function isJavaUtilRandom(receiver: Node): boolean {
  if (/^ThreadLocalRandom\.current\(\)$/.test(receiver.text)) return true;
  const created = receiver.type === 'object_creation_expression' ? receiver : declaredValue(receiver);
  return created?.type === 'object_creation_expression' && /^(?:java\.util\.)?Random$/.test(created.childForFieldName('type')?.text ?? '');
}

/** What secret the random value becomes, described for the message, or undefined if none is apparent. */
function securityPurpose(language: ReviewLanguage, call: CallSite): string | undefined {
  if (call.name === 'nextBytes') {
    const buffer = call.args[0];
    if (buffer?.type === 'identifier' && isSensitiveName(buffer.text)) return `the bytes of '${buffer.text}'`;
  }
  const holder = holderName(language, call.node);
  if (holder && isSensitiveName(holder)) return `'${holder}'`;
  if (holder && isHarmlessName(holder)) return undefined;
  const fn = enclosingFunctionName(language, call.node);
  return fn && isSensitiveName(fn) && !isHarmlessName(fn) ? `the result of ${fn}()` : undefined;
}

/** Node types that end the expression a value flows through. */
const statementBoundary = /(?:statement|block|module|program|class_body|declaration_list)$/;

/**
 * The name the value ends up under, following it out through operators, calls, callbacks and
 * comprehensions to the assignment, declaration, keyword argument or object entry that holds it;
 * or to a call that says what it is (`setToken(...)`, `res.cookie("session", ...)`).
 */
function holderName(language: ReviewLanguage, node: Node): string | undefined {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (statementBoundary.test(parent.type)) return undefined;
    const target = bindingTarget(parent, child);
    if (target !== undefined) {
      if (!isFunctionNode(language, child) && !/^lambda/.test(child.type)) return target ?? undefined;
      // A callback's name is the callback's, not the value's; `key=lambda _: random.random()` orders a sort.
      return target === 'key' ? 'sort key' : undefined;
    }
    if (parent.type === 'argument_list' || parent.type === 'arguments') {
      const call = parent.parent;
      const named = call && isCall(language, call) ? callPurpose(language, call, parent) : undefined;
      if (named) return named;
    }
  }
  return undefined;
}

/** The name `parent` binds `child` to; null for a binding whose target has no simple name; undefined if `parent` is no binding. */
function bindingTarget(parent: Node, child: Node): string | null | undefined {
  let target: Node | null;
  switch (parent.type) {
    case 'assignment':
    case 'augmented_assignment':
    case 'assignment_expression':
    case 'augmented_assignment_expression':
      if (parent.childForFieldName('right')?.id !== child.id) return undefined;
      target = parent.childForFieldName('left');
      break;
    case 'variable_declarator':
    case 'keyword_argument':
    case 'named_expression':
    case 'public_field_definition':
    case 'field_definition':
      if (parent.childForFieldName('value')?.id !== child.id) return undefined;
      target = parent.childForFieldName('name') ?? parent.childForFieldName('property');
      break;
    case 'pair':
      if (parent.childForFieldName('value')?.id !== child.id) return undefined;
      target = parent.childForFieldName('key');
      break;
    default:
      return undefined;
  }
  if (!target) return null;
  if (target.type === 'string') return stringValue(target).value;
  const last = /[\w$]+$/.exec(target.text.replace(/\[\s*['"]?([\w$]+)['"]?\s*\]$/, '.$1'));
  return last ? last[0] : null;
}

/**
 * What a call says about its argument: a sort orders by it (`items.sort(() => Math.random() - 0.5)`),
 * a setter names it (`setSessionId`, `set_token`), or a string key beside it does (`res.cookie("session", v)`).
 */
function callPurpose(language: ReviewLanguage, call: Node, args: Node): string | undefined {
  const fn = call.childForFieldName('name') ?? call.childForFieldName('function');
  const name = fn ? (/[\w$]+$/.exec(fn.text)?.[0] ?? '') : '';
  if (/^(?:sort|sorted|sortBy|orderBy|shuffle)$/.test(name)) return 'sort order';
  if (/^(?:set|with|put)_?[A-Za-z]/.test(name) && isSensitiveName(name)) return name;
  for (const arg of args.namedChildren) {
    if (arg && isStringLiteral(language, arg)) {
      const key = stringValue(arg).value;
      if (/^[\w-]{1,40}$/.test(key) && isSensitiveName(key)) return key;
    }
  }
  return undefined;
}

/** The name of the nearest enclosing function that has one (an arrow function takes its variable's name). */
function enclosingFunctionName(language: ReviewLanguage, node: Node): string | undefined {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (!isFunctionNode(language, parent) && parent.type !== 'lambda' && parent.type !== 'lambda_expression') continue;
    const own = parent.childForFieldName('name')?.text;
    if (own) return own;
    const holder = parent.parent;
    if (holder?.type === 'variable_declarator' || holder?.type === 'pair' || holder?.type === 'assignment_expression' || holder?.type === 'public_field_definition' || holder?.type === 'field_definition') {
      const key = holder.childForFieldName('name') ?? holder.childForFieldName('key') ?? holder.childForFieldName('left') ?? holder.childForFieldName('property');
      const name = key && /[\w$]+$/.exec(key.text)?.[0];
      if (name) return name;
    }
  }
  return undefined;
}
