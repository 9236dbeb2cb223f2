// Hard-coded credentials in string literals: AWS access key ids, well-known token formats (JWT,
// GitHub, Slack, Stripe, Google) and private key blocks anywhere, passwords inside connection URLs,
// and constant strings given to a password, secret, token or API key (by assignment, keyword
// argument, object entry, setter, fallback default, comparison or JWT signing call).
// The syntax tree tells literals from comments, and the name a literal is bound to decides whether
// a value is a secret or, say, a pagination token: Bandit B105 reports `next_token = "..."`,
// `token_type = "bearer"` and `PASSWORD_RESET_URL = "/reset"`; this rule does not.
import type { CallSite } from '../calls';
import { nameWords } from '../names';
import type { Node } from '../parser';
import type { Rule, RuleContext } from '../rule';
import { boundName, hasInterpolation, isStringLiteral, stringTypes, stringValue } from '../syntax';

/** An access key id: AKIA (long-term) or ASIA (temporary), then 16 upper-case alphanumerics. */
const accessKeyId = /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g;

/** A secret access key: exactly 40 characters of base64 alphabet, not all of one class. */
const secretAccessKey = /^[A-Za-z0-9/+=]{40}$/;

/** Tokens whose format gives them away wherever they appear: a JWT, and the prefixed keys of GitHub, Slack, Stripe and Google. */
const knownTokens: { pattern: RegExp; what: string }[] = [
  { pattern: /(?<![\w-])eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{16,}/g, what: 'JSON Web Token' },
  { pattern: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g, what: 'GitHub token' },
  { pattern: /(?<![\w-])xox[abposr]-[A-Za-z0-9-]{10,}/g, what: 'Slack token' },
  { pattern: /(?<!\w)[sr]k_live_[A-Za-z0-9]{16,}/g, what: 'Stripe live key' },
  { pattern: /(?<![\w-])AIza[\w-]{35}(?![\w-])/g, what: 'Google API key' },
];

/** A PEM private key header; it is a secret only when key material follows it (see `hasKeyMaterial`). */
const privateKeyHeader = /-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----/g;

/**
 * Passwords inside connection strings: `postgresql://user:pw@host`, `jdbc:mysql://h/db?password=pw`,
 * `jdbc:sqlserver://h;user=sa;password=pw`, `jdbc:oracle:thin:scott/tiger@host`. Group 1 is the password.
 */
const urlPasswords = [
  /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]*:([^\s/@'"]+)@/gi,
  /[?&;](?:password|passwd|pwd)=([^&;\s'"]+)/gi,
  /\bjdbc:oracle:thin:[^\s/@'"]+\/([^\s@'"]+)@/gi,
];

/**
 * Something every pattern above needs, tested once per literal before the patterns: most strings
 * (messages, docstrings, keys) contain none of these, and then none of the patterns can match.
 */
const markers = /AKIA|ASIA|eyJ|gh[pousr]_|xox[abposr]-|k_live_|AIza|-----BEGIN|:\/\/|[?&;](?:[pP][aA][sS][sS][wW](?:[oO][rR])?[dD]|[pP][wW][dD])=|jdbc:oracle:thin:/;

/** What a secret is called: the last word of a name (`dbPassword`, `client_secret`), or its last words run together (`AWS_SECRET_ACCESS_KEY`, `apiKey`). */
const secretWords = new Set([
  'secret', 'secretkey', 'secretaccesskey', 'password', 'passwd', 'pwd', 'passphrase', 'credential', 'credentials',
  'privatekey', 'apikey', 'accesskey', 'token', 'sessiontoken', 'authtoken', 'authorization', 'pass',
]);

/**
 * Words after the secret that still name the secret itself: `password_value`, `token_b64`. Any
 * other last word names something else, the head noun deciding: `token_url`, `password_field`,
 * `SECRET_NAME`, `token_type`, `password_min_length`, `tokenService`, `passwordEncoder`.
 */
const sameThingSuffixes = new Set(['value', 'val', 'str', 'string', 'bytes', 'raw', 'plain', 'plaintext', 'cleartext', 'b64', 'base64', 'hex', 'encoded']);

/**
 * Words before "token" or "password" that make it something else: pagination tokens (`NextToken`,
 * `ContinuationToken`, `input_token`), a lexer's or a semaphore's tokens (`start_token`,
 * `acquire_token`), and a secret already made safe to keep (`hashed_password`).
 */
const notSecretModifiers = new Set([
  'next', 'continuation', 'page', 'pagination', 'marker', 'cursor', 'input', 'output', 'start', 'starting', 'last', 'cache', 'acquire',
  'hash', 'hashed', 'encrypted', 'masked', 'redacted', 'example', 'placeholder',
]);

/** Passwords-proper, for checks where "token" is too ambiguous: `token == "("` is a parser, not a login. */
const passwordWords = new Set(['password', 'passwd', 'pwd', 'passphrase', 'secret', 'apikey']);

export function looksLikeSecretName(name: string): boolean {
  // Dictionary keys such as "AWS::SecretsManager::Secret" or "Enter password" are not names.
  if (!/^[\w$.-]+$/.test(name)) return false;
  const words = nameWords(name);
  while (words.length > 1 && (sameThingSuffixes.has(words[words.length - 1]) || /^\d+$/.test(words[words.length - 1]))) words.pop();
  if (words.some((w) => notSecretModifiers.has(w))) return false;
  const joined = words.join('');
  // A lone "pass" is a filter band or a compiler pass; `db_pass` and nodemailer's `{ user, pass }` are passwords (see `isUserPass`).
  if (words.length === 1 && words[0] === 'pass') return false;
  return secretWords.has(words[words.length - 1]) || [...secretWords].some((w) => w.length >= 6 && joined.endsWith(w));
}

function looksLikeAwsSecret(value: string): boolean {
  return secretAccessKey.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9/+]/.test(value);
}

/**
 * Values that cannot authenticate anything: markup standing for the real value (`<password>`,
 * `${DB_PASSWORD}`, `{{ token }}`, `%s`, `{}`), masks (`***`, `xxxx`, `...`) and booleans. Words such
 * as "changeme" or "password123" are not placeholders: they are real, guessable passwords, and
 * "changeme" is the shipped default of several products, so those are reported.
 */
const placeholder = /^(?:<[^>]*>|\$\{[^}]*\}|\$[A-Za-z_]\w*|\{\{[^}]*\}\}|\{[\w.]*\}|%\(?\w*\)?[sdr]|x+|\.+|…|true|false|yes|no|on|off|none|null|nil|undefined)$|\*{3}/i;

/**
 * Values that name or describe something rather than being a secret: an identifier of two or more
 * words (`DB_PASSWORD`, `aws_access_key_id`, `AWSAccessKeyId`, `next_marker`), a property key
 * (`spring.datasource.password`), field names (`"password"`, `"x-api-key"`, `"id_token token"`), an event name
 * (`msal:acquireTokenSuccess`), a path, an ARN, a URL (one with a password in it is reported by
 * the URL check), a regular expression, or prose: three
 * or more words, or a sentence or prompt ending in punctuation. Two words stay a secret: "Bearer ..."
 * values and express-session's "keyboard cat".
 */
function looksLikeName(value: string): boolean {
  return (
    (/^[A-Za-z]+(?:_[A-Za-z]+)*$/.test(value) && nameWords(value).length >= 2) ||
    /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value) ||
    /^[a-z][\w-]*(?:\.[\w-]+)+$/.test(value) ||
    value.split(/\s+/).every((item) => /^[A-Za-z][\w-]*$/.test(item) && looksLikeSecretName(item) && (nameWords(item).length > 1 || secretWords.has(item.toLowerCase()))) ||
    /^(?:\/|\.{1,2}\/|~\/|[A-Za-z]:\\)/.test(value) ||
    /^arn:/.test(value) ||
    /^[A-Za-z]+:[A-Za-z]+$/.test(value) ||
    /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ||
    /\\[wdsbWDS]|\(\?|\[[^\]]*-[^\]]*\]/.test(value) ||
    /\S\s+\S+\s+\S/.test(value) ||
    (/\s/.test(value) && /[.:?!]\s*$/.test(value))
  );
}

/**
 * Whether a constant could be a working credential. Where only the name says it is a secret
 * (`PASSWORD = "..."`), a value that itself looks like a name is taken for one; where the call
 * says so (`jwt.sign(payload, "secret")`), every real value counts.
 */
function isCredentialValue(value: string, nameSaysSecret = true): boolean {
  if (looksLikeAwsSecret(value)) return true;
  // Shorter values are separators and single letters in parsers and enums (`token = ":"`), not passwords.
  return value.trim().length >= 4 && !placeholder.test(value) && !(nameSaysSecret && looksLikeName(value));
}

/** Setters whose argument is the secret: `setPassword("...")`, `withApiKey("...")`. */
const secretSetter = /^(?:set|with)([A-Z]\w*)$/;

/** Lookups with a default: `os.environ.get("DB_PASSWORD", "dev")`, `props.getProperty("db.password", "changeme")`. */
const keyedDefaults = new Set(['get', 'getenv', 'getOrDefault', 'getProperty']);

/** Two-argument calls that store a value under a key: `props.put("password", "...")`, `headers.set("Authorization", "...")`. */
const keyedSetters = new Set(['put', 'setProperty', 'set', 'setdefault', 'setHeader', 'addHeader', 'header']);

/** Calls whose argument is a JWT signing key: `jwt.sign(payload, key)`, `jwt.encode(payload, key)`, `Algorithm.HMAC256(key)`. */
const jwtKeyArgument: { callee: RegExp; index: number }[] = [
  { callee: /(?:^|\.)jwt\.(?:sign|verify|encode|decode)$/i, index: 1 },
  { callee: /^Algorithm\.HMAC(?:256|384|512)$/, index: 0 },
];

const comparisonOperators = new Set(['==', '!=', '===', '!==']);

export const hardcodedCredentials: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'hardcoded-credentials',
    title: 'Hard-coded credentials',
    category: 'security',
    severity: 'warning',
    cwe: 798,
    why:
      'Credentials written into source code (AWS keys, passwords, API keys and tokens, private keys, passwords ' +
      'inside connection URLs) end up in version control, build artefacts and logs, where anyone who can read them ' +
      'can act as you, and they cannot be rotated without a code change. Read them at run time instead: let the AWS ' +
      'SDK find credentials through its default provider chain (environment, shared config, IAM role), and fetch ' +
      'other secrets from AWS Secrets Manager, Parameter Store or the environment. A constant is a secret when ' +
      'the name it is given says so (`dbPassword`, `api_key`, `Authorization`, not `next_token`, `token_type` or ' +
      '`password_field`); placeholders such as `<password>`, `${DB_PASSWORD}` or `***` are not reported, ' +
      'guessable defaults such as "changeme" are.',
    examples: {
      python: {
        noncompliant: 'conn = psycopg2.connect(host=host, user="app", password="hunter2")',
        compliant: 'secret = secrets_client.get_secret_value(SecretId="prod/app/db")\nconn = psycopg2.connect(host=host, user="app", password=json.loads(secret["SecretString"])["password"])',
      },
      java: {
        noncompliant: 'private static final String DB_PASSWORD = "hunter2";',
        compliant: 'private static final String DB_PASSWORD = System.getenv("DB_PASSWORD");',
      },
      javascript: {
        noncompliant: 'const pool = mysql.createPool({ host, user: "app", password: "hunter2" });',
        compliant: 'const pool = mysql.createPool({ host, user: "app", password: process.env.DB_PASSWORD });',
      },
      typescript: {
        noncompliant: 'const client = new S3Client({ credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLF", secretAccessKey } });',
        compliant: 'const client = new S3Client({}); // default credential provider chain',
      },
    },
  },
  check(context: RuleContext) {
    // A key inside an f-string's interpolation is inside two literals: report it once.
    const reported = new Set<number>();
    const reportOnce = (at: { startIndex: number; endIndex: number }, message: string) => {
      if (reported.has(at.startIndex)) return;
      reported.add(at.startIndex);
      context.report(at, message);
    };
    for (const literal of context.find(...stringTypes[context.language])) {
      const { value, offset } = stringValue(literal);
      const start = literal.startIndex + offset;
      let found = false;
      const marked = markers.test(value);
      for (const match of marked ? value.matchAll(accessKeyId) : []) {
        found = true;
        reportOnce({ startIndex: start + match.index, endIndex: start + match.index + match[0].length }, `Hard-coded AWS access key id (${mask(match[0])}): let the SDK's default credential provider chain find credentials.`);
      }
      for (const { pattern, what } of marked ? knownTokens : []) {
        for (const match of value.matchAll(pattern)) {
          found = true;
          reportOnce({ startIndex: start + match.index, endIndex: start + match.index + match[0].length }, `Hard-coded ${what} (${mask(match[0])}): read it from the environment or a secrets manager at run time.`);
        }
      }
      for (const match of marked ? value.matchAll(privateKeyHeader) : []) {
        if (!hasKeyMaterial(literal, offset + match.index + match[0].length)) continue;
        found = true;
        reportOnce({ startIndex: start + match.index, endIndex: start + match.index + match[0].length }, 'Private key embedded in the source: load it from a key store or a secrets manager at run time.');
      }
      // Documentation shows URLs such as https://user:pass@host; a docstring is documentation.
      const documentation = marked && isDocstring(literal);
      for (const pattern of documentation || !marked ? [] : urlPasswords) {
        for (const match of value.matchAll(pattern)) {
          const password = match[1];
          if (placeholder.test(password) || /[{}$%<*\[]/.test(password) || nameWords(password).some((w) => secretWords.has(w) || w === 'pass')) continue;
          found = true;
          const at = start + match.index + match[0].lastIndexOf(password);
          reportOnce({ startIndex: at, endIndex: at + password.length }, 'Password written into a connection URL: build the URL from a secret read at run time.');
        }
      }
      if (found || documentation) continue;
      // The name decides first: it is cheap to read, and few strings are given a secret's name,
      // while judging the value (is it a name, a path, prose?) runs a dozen patterns.
      const name = bindingName(literal);
      const compared = name === undefined ? comparedName(literal) : undefined;
      const namedSecret = name !== undefined && (looksLikeSecretName(name) || isUserPass(literal, name));
      const comparedSecret = !namedSecret && compared !== undefined && looksLikeSecretName(compared) && namesPassword(compared);
      if (!(namedSecret || comparedSecret) || !isCredentialValue(value) || hasInterpolation(literal)) continue;
      if (namedSecret) reportOnce(literal, namedMessage(`assigned to '${name}'`, value));
      else reportOnce(literal, `'${compared}' is checked against a hard-coded value: compare with a salted hash, or with a secret read at run time.`);
    }
    for (const call of context.calls()) checkCall(context, call, reportOnce);
  },
};

function checkCall(context: RuleContext, call: CallSite, report: (at: Node, message: string) => void): void {
  const constant = (node: Node | undefined, nameSaysSecret = false) =>
    node && isStringLiteral(context.language, node) && !hasInterpolation(node) && isCredentialValue(stringValue(node).value, nameSaysSecret);
  const setter = secretSetter.exec(call.name);
  if (setter && call.args.length === 1 && looksLikeSecretName(setter[1]) && constant(call.args[0])) {
    report(call.args[0], namedMessage(`passed to ${call.name}()`, stringValue(call.args[0]).value));
  }
  const [key, value] = call.args;
  if (keyedSetters.has(call.name) && call.args.length === 2 && isStringLiteral(context.language, key) && looksLikeSecretName(stringValue(key).value) && constant(value, true)) {
    report(value, namedMessage(`stored under '${stringValue(key).value}'`, stringValue(value).value));
  }
  if (keyedDefaults.has(call.name) && call.args.length === 2 && isStringLiteral(context.language, key) && looksLikeSecretName(stringValue(key).value) && constant(value, true)) {
    report(value, namedMessage(`used as the fallback for '${stringValue(key).value}'`, stringValue(value).value));
  }
  if (call.callee.endsWith('DriverManager.getConnection') && call.args.length === 3 && constant(call.args[2])) {
    report(call.args[2], 'Hard-coded database password: read it from a secrets manager or the environment at run time.');
  }
  for (const { callee, index } of jwtKeyArgument) {
    const signingKey = call.keywords.get('key') ?? call.args[index];
    if (callee.test(call.callee) && constant(signingKey)) {
      report(signingKey!, 'Hard-coded JWT signing key: anyone who reads it can forge tokens; read it from a secrets manager at run time.');
    }
  }
}

function namesPassword(name: string): boolean {
  const joined = nameWords(name).join('');
  return [...passwordWords].some((w) => joined.includes(w));
}

/**
 * `boundName`, also through a fallback (`secret = process.env.SECRET || "dev-secret"`), except for a
 * suffix added on (`token += "-tags"`) and a Python dict key that is a variable (`{Token: "#ccc"}`).
 */
function bindingName(literal: Node): string | undefined {
  // Reading a parent walks down from the root in tree-sitter: read it once.
  const parent = literal.parent;
  if (!parent) return undefined;
  if (isFallback(parent, literal)) return boundName(parent);
  if (parent.type === 'augmented_assignment' || parent.type === 'augmented_assignment_expression') return undefined;
  if (parent.type === 'pair' && parent.parent?.type === 'dictionary' && parent.childForFieldName('key')?.type !== 'string') return undefined;
  return boundName(literal, parent);
}

/** `pass` beside `user` in an object, as in nodemailer's and many HTTP clients' `auth: { user, pass }`. */
function isUserPass(literal: Node, name: string): boolean {
  const entry = literal.parent;
  return name === 'pass' && entry?.type === 'pair' && /(?:^|[{,\s])['"]?user(?:name)?['"]?\s*:/.test(entry.parent?.text ?? '');
}

/** `x || "default"`, `x ?? "default"`, `x or "default"` with `value` as the default. */
function isFallback(expression: Node, value: Node): boolean {
  if (expression.type !== 'binary_expression' && expression.type !== 'boolean_operator') return false;
  const operator = expression.children.find((c) => c !== null && !c.isNamed)?.type;
  return (operator === '||' || operator === '??' || operator === 'or') && expression.childForFieldName('right')?.id === value.id;
}

/** A string that is a statement on its own, such as a Python docstring: documentation, not a value. */
function isDocstring(literal: Node): boolean {
  return literal.parent?.type === 'expression_statement' && literal.parent.namedChildCount === 1;
}

/** `where` says how the value became a secret: "assigned to 'dbPassword'", "passed to setPassword()". */
function namedMessage(where: string, value: string): string {
  const what = looksLikeAwsSecret(value) ? 'AWS secret access key' : 'secret';
  return `Hard-coded ${what} ${where}: read it from the environment or a secrets manager at run time.`;
}

/**
 * The name a literal is compared with: `password == "hunter2"`, `"hunter2".equals(password)`,
 * `hmac.compare_digest(token, "abc")`. A check against a constant is a hard-coded credential too.
 */
function comparedName(literal: Node): string | undefined {
  const parent = literal.parent;
  if (!parent) return undefined;
  if (parent.type === 'comparison_operator' || parent.type === 'binary_expression') {
    const operators = parent.children.filter((c) => c && !c.isNamed).map((c) => c!.type);
    if (operators.length !== 1 || !comparisonOperators.has(operators[0])) return undefined;
    const other = parent.namedChildren.find((c) => c && c.id !== literal.id);
    return other ? referenceName(other) : undefined;
  }
  if (parent.type === 'argument_list') {
    const call = parent.parent;
    const name = call?.childForFieldName('name')?.text ?? call?.childForFieldName('function')?.text ?? '';
    if (/(?:^|\.)compare_digest$/.test(name)) {
      const other = parent.namedChildren.find((c) => c && c.id !== literal.id);
      return other ? referenceName(other) : undefined;
    }
    if (/^equals(?:IgnoreCase)?$/.test(name)) return referenceName(call?.childForFieldName('object') ?? null);
  }
  if (parent.type === 'method_invocation' && parent.childForFieldName('object')?.id === literal.id && /^equals(?:IgnoreCase)?$/.test(parent.childForFieldName('name')?.text ?? '')) {
    return referenceName(parent.namedChildren.find((c) => c?.type === 'argument_list')?.namedChildren[0] ?? null);
  }
  return undefined;
}

/** `password` → password; `self.password` → password; `user.getPassword()` is not a plain reference. */
function referenceName(node: Node | null): string | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute' || node.type === 'member_expression' || node.type === 'field_access') {
    return (node.childForFieldName('attribute') ?? node.childForFieldName('property') ?? node.childForFieldName('field'))?.text;
  }
  return undefined;
}

/**
 * Whether key material follows a private key header at `from` in the literal (or in the literals
 * concatenated or listed with it): a bare header is what PEM parsers and validators look for.
 */
function hasKeyMaterial(literal: Node, from: number): boolean {
  const parent = literal.parent;
  const grouped = parent && ['concatenated_string', 'binary_expression', 'list', 'array', 'array_initializer'].includes(parent.type);
  const text = grouped ? literal.text.slice(from) + parent.text.slice(literal.endIndex - parent.startIndex) : literal.text.slice(from);
  const body = text.split('-----END')[0].replace(/\\[nrt]/g, '');
  return (body.match(/[A-Za-z0-9+/]/g)?.length ?? 0) >= 40;
}

/** Shows enough of a key to find it, never the whole key, so messages and logs do not repeat it. */
function mask(key: string): string {
  return `${key.slice(0, 8)}…`;
}
