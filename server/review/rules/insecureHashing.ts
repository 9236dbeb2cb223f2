// MD5 and SHA-1 (and MD2/MD4) as message digests. Their collisions are practical and they are fast
// enough to brute-force, so they must not protect passwords, signatures, tokens or integrity against
// an attacker. Like Bandit B324 and CodeGuru, every use is reported, because the purpose of a digest
// is rarely visible at the call; Python's explicit `usedforsecurity=False` and results named as
// cache keys, ETags or checksums are taken as declared non-security uses. HMAC-MD5 and HMAC-SHA1
// are not reported: HMAC does not rely on collision resistance.
import type { CallSite } from '../calls';
import { constantString, documentMentions, moduleImports, nameWords, qualify } from '../names';
import type { Node } from '../parser';
import type { Rule, RuleContext, TextRange } from '../rule';
import { looksLikeSecretName } from './hardcodedCredentials';

/** Algorithm names as MessageDigest, hashlib.new and createHash spell them. */
const weakAlgorithm = /^(?:rsa-)?(md2|md4|md5|sha-?1|sha)$/i;

/** Python constructors of a weak digest, matched against the callee with imports resolved. */
const pythonDigests: { callee: RegExp; algorithm: string }[] = [
  { callee: /^hashlib\.md5$/, algorithm: 'MD5' },
  { callee: /^hashlib\.sha1$/, algorithm: 'SHA-1' },
  { callee: /^(?:(?:Crypto|Cryptodome)\.Hash\.)?MD[245]\.new$/, algorithm: 'MD5' },
  { callee: /^(?:(?:Crypto|Cryptodome)\.Hash\.)?SHA1?\.new$/, algorithm: 'SHA-1' },
  { callee: /(?:^|\.)hashes\.MD5$/, algorithm: 'MD5' },
  { callee: /(?:^|\.)hashes\.SHA1$/, algorithm: 'SHA-1' },
];

/** Java: Apache Commons Codec `DigestUtils.md5Hex`, Spring's `DigestUtils.md5DigestAsHex`, Guava's `Hashing.md5()`. */
const javaDigests: { callee: RegExp; algorithm: string }[] = [
  { callee: /(?:^|\.)DigestUtils\.(?:md[25](?:Hex)?|getMd[25]Digest|(?:append)?[mM]d5DigestAsHex|md5Digest)$/, algorithm: 'MD5' },
  { callee: /(?:^|\.)DigestUtils\.(?:sha1?(?:Hex)?|getSha1?Digest)$/, algorithm: 'SHA-1' },
  { callee: /(?:^|\.)Hashing\.md5$/, algorithm: 'MD5' },
  { callee: /(?:^|\.)Hashing\.sha1$/, algorithm: 'SHA-1' },
];

/** JavaScript digest functions of npm packages and CryptoJS, matched with imports resolved. */
const jsDigests: { callee: RegExp; algorithm: string }[] = [
  { callee: /^(?:md5|js-md5|blueimp-md5|crypto-js\/md5)$|(?:^|\.)CryptoJS\.MD5$/, algorithm: 'MD5' },
  { callee: /^(?:sha1|js-sha1|crypto-js\/sha1)$|(?:^|\.)CryptoJS\.SHA1$/, algorithm: 'SHA-1' },
];

const passwordWords = new Set(['password', 'passwd', 'pwd', 'passphrase']);

/** Words that name a non-security digest: `etag = md5(body)`, `cache_key = ...`, `checksum = ...`. */
const nonSecurityWords = new Set(['etag', 'checksum', 'cache', 'cachekey', 'dedup', 'dedupe']);

export const insecureHashing: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'insecure-hashing',
    title: 'Weak hash algorithm (MD5, SHA-1)',
    category: 'security',
    severity: 'warning',
    cwe: 328,
    why:
      'MD5 and SHA-1 are broken: collisions can be computed cheaply (so signatures and integrity checks built on ' +
      'them can be forged), and they are so fast that hashed passwords and tokens fall to brute force. Use SHA-256 ' +
      'or stronger (SHA-3, BLAKE2) for digests and signatures, and a slow salted password hash (bcrypt, scrypt, ' +
      'Argon2, PBKDF2) for passwords. A digest that is not used for security (an ETag, a cache key, a checksum) ' +
      'should say so: in Python pass `usedforsecurity=False`, elsewhere name the result for what it is.',
    examples: {
      python: {
        noncompliant: 'digest = hashlib.md5(password.encode()).hexdigest()',
        compliant: 'digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)',
      },
      java: {
        noncompliant: 'MessageDigest md = MessageDigest.getInstance("SHA-1");',
        compliant: 'MessageDigest md = MessageDigest.getInstance("SHA-256");',
      },
      javascript: {
        noncompliant: "const signature = crypto.createHash('md5').update(payload).digest('hex');",
        compliant: "const signature = crypto.createHash('sha256').update(payload).digest('hex');",
      },
      typescript: {
        noncompliant: "const signature: string = crypto.createHash('sha1').update(payload).digest('hex');",
        compliant: "const signature: string = crypto.createHash('sha256').update(payload).digest('hex');",
      },
    },
  },
  check(context: RuleContext) {
    if (!documentMentions(context.tree, context.text, /md[245]|sha|digest/i)) return;
    const imports = context.language === 'java' ? new Map<string, string>() : moduleImports(context.tree.rootNode);
    for (const call of context.calls()) {
      const callee = qualify(imports, call.callee);
      const found = weakDigest(context, call, callee);
      if (!found || declaredNonSecurity(call)) continue;
      const { at, algorithm } = found;
      const password = chainArguments(call.node).some(mentionsPassword);
      const instead = password
        ? 'use a slow, salted password hash (bcrypt, scrypt, Argon2 or PBKDF2) instead'
        : `use SHA-256 or stronger${callee.startsWith('hashlib.') ? ', or pass usedforsecurity=False if this digest protects nothing' : ''}`;
      context.report(at, `${algorithm} is a broken hash${password ? ' for passwords' : ''}: ${instead}.`);
    }
  },
};

function weakDigest(context: RuleContext, call: CallSite, callee: string): { at: TextRange; algorithm: string } | undefined {
  switch (context.language) {
    case 'python': {
      if (call.keywords.get('usedforsecurity')?.text === 'False') return undefined;
      if (callee === 'hashlib.new') return byName(context, call.keywords.get('name') ?? call.args[0]);
      const known = pythonDigests.find((d) => d.callee.test(callee));
      return known && { at: call.node.childForFieldName('function')!, algorithm: known.algorithm };
    }
    case 'java': {
      if (call.callee === 'MessageDigest.getInstance' || call.callee.endsWith('.MessageDigest.getInstance')) return byName(context, call.args[0]);
      const known = javaDigests.find((d) => d.callee.test(callee));
      return known && { at: javaCallee(call), algorithm: known.algorithm };
    }
    default: {
      if (call.name === 'createHash' || callee === 'crypto.createHash') return byName(context, call.args[0]);
      if (callee.endsWith('subtle.digest')) return byName(context, call.args[0]);
      const known = jsDigests.find((d) => d.callee.test(callee));
      return known && { at: call.node.childForFieldName('function') ?? call.node, algorithm: known.algorithm };
    }
  }
}

/** A weak algorithm named by a string argument: `getInstance("MD5")`, `createHash(ALGORITHM)`. */
function byName(context: RuleContext, argument: Node | undefined): { at: Node; algorithm: string } | undefined {
  const name = constantString(context.language, argument);
  const match = name === undefined ? null : weakAlgorithm.exec(name);
  if (!argument || !match) return undefined;
  return { at: argument, algorithm: /^md/i.test(match[1]) ? match[1].toUpperCase() : 'SHA-1' };
}

/** `DigestUtils.md5Hex` in `DigestUtils.md5Hex(data)`: from the receiver to the method name. */
function javaCallee(call: CallSite): TextRange {
  const name = call.node.childForFieldName('name')!;
  return { startIndex: (call.receiver ?? name).startIndex, endIndex: name.endIndex };
}

/** Calls chained onto the digest (`.update(x).digest()`, `.hexdigest()`) up to the expression's end. */
function chainAbove(node: Node): Node[] {
  const chain = [node];
  for (let parent = node.parent; parent && ['call', 'attribute', 'call_expression', 'member_expression', 'method_invocation', 'await_expression', 'await'].includes(parent.type); parent = parent.parent) {
    chain.push(parent);
  }
  return chain;
}

/** The arguments of the digest call and of the calls chained onto it: `md5(password)`, `.update(secret)`. */
function chainArguments(node: Node): Node[] {
  return chainAbove(node).flatMap((n) => (n.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => a !== null));
}

/**
 * Whether an expression mentions a password by name: `password.encode()`, `user.password`. Tokens and
 * API keys are random and long, so SHA-256 suffices for them; passwords need a slow hash.
 */
function mentionsPassword(expression: Node): boolean {
  const names = [expression, ...expression.descendantsOfType(['identifier', 'property_identifier', 'field_identifier'])];
  return names.some((n) => n !== null && /^(identifier|property_identifier|field_identifier)$/.test(n.type) && isPasswordName(n.text));
}

function isPasswordName(name: string): boolean {
  return looksLikeSecretName(name) && nameWords(name).some((w) => passwordWords.has(w));
}

/** A digest whose result is named as an ETag, cache key or checksum. */
function declaredNonSecurity(call: CallSite): boolean {
  const chain = chainAbove(call.node);
  const top = chain[chain.length - 1];
  const holder = top.parent;
  const target =
    holder?.type === 'assignment' || holder?.type === 'assignment_expression'
      ? holder.childForFieldName('left')
      : holder?.type === 'variable_declarator' || holder?.type === 'keyword_argument'
        ? holder.childForFieldName('name')
        : holder?.type === 'pair'
          ? holder.childForFieldName('key')
          : null;
  return !!target && nameWords(target.text).some((w) => nonSecurityWords.has(w));
}
