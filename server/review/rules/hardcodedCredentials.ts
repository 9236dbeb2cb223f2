// Hard-coded AWS credentials in string literals. The syntax tree tells literals from comments, so an
// example key in a comment is not reported, and the name a literal is bound to decides whether a
// 40-character value is a secret key or, say, a pagination token (Bandit B105's classic false positive).
import type { Rule, RuleContext } from '../rule';
import { boundName, hasInterpolation, stringTypes, stringValue } from '../syntax';

/** An access key id: AKIA (long-term) or ASIA (temporary), then 16 upper-case alphanumerics. */
const accessKeyId = /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g;

/** A secret access key: exactly 40 characters of base64 alphabet, not all of one class. */
const secretAccessKey = /^[A-Za-z0-9/+=]{40}$/;

/** Names under which a 40-character value is a secret; split on case and separators before matching. */
const secretWords = new Set(['secret', 'secretkey', 'secretaccesskey', 'password', 'passwd', 'pwd', 'credential', 'credentials', 'privatekey', 'apikey', 'accesskey', 'token', 'sessiontoken', 'authtoken']);

/** Words that, next to "token" or "key", mean the value is not a secret. */
const notSecretWords = new Set(['next', 'continuation', 'page', 'pagination', 'marker', 'cursor', 'url', 'uri', 'endpoint', 'path', 'file', 'name', 'id', 'type', 'length', 'field', 'header', 'prefix', 'pattern', 'regex', 'placeholder', 'example']);

export function looksLikeSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.some((w) => notSecretWords.has(w))) return false;
  const joined = words.join('');
  return words.some((w) => secretWords.has(w)) || [...secretWords].some((w) => w.length >= 6 && joined.endsWith(w));
}

function looksLikeSecretValue(value: string): boolean {
  return secretAccessKey.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9/+]/.test(value);
}

export const hardcodedCredentials: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'hardcoded-credentials',
    title: 'Hard-coded AWS credentials',
    category: 'security',
    severity: 'warning',
    cwe: 798,
    why:
      'Credentials written into source code end up in version control, build artefacts and logs, where anyone ' +
      'who can read them can act as you in your AWS account, and they cannot be rotated without a code change. ' +
      'Let the SDK find credentials through its default provider chain (environment, shared config, IAM role) ' +
      'or read them from AWS Secrets Manager at run time.',
    examples: {
      python: {
        noncompliant: 's3 = boto3.client("s3", aws_access_key_id="AKIAIOSFODNN7EXAMPLF")',
        compliant: 's3 = boto3.client("s3")  # default credential provider chain',
      },
      java: {
        noncompliant: 'AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLF", secret);',
        compliant: 'S3Client.builder().credentialsProvider(DefaultCredentialsProvider.create()).build();',
      },
      javascript: {
        noncompliant: 'new S3Client({ credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLF", secretAccessKey } });',
        compliant: 'new S3Client({}); // default credential provider chain',
      },
      typescript: {
        noncompliant: 'new S3Client({ credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLF", secretAccessKey } });',
        compliant: 'new S3Client({}); // default credential provider chain',
      },
    },
  },
  check(context: RuleContext) {
    // A key inside an f-string's interpolation is inside two literals: report it once.
    const reported = new Set<number>();
    for (const literal of context.find(...stringTypes[context.language])) {
      const { value, offset } = stringValue(literal);
      for (const match of value.matchAll(accessKeyId)) {
        const startIndex = literal.startIndex + offset + match.index;
        if (reported.has(startIndex)) continue;
        reported.add(startIndex);
        context.report({ startIndex, endIndex: startIndex + match[0].length }, `Hard-coded AWS access key id (${mask(match[0])}).`);
      }
      if (hasInterpolation(literal) || !looksLikeSecretValue(value)) continue;
      const name = boundName(literal);
      if (name && looksLikeSecretName(name)) {
        context.report(literal, `Hard-coded secret assigned to '${name}'.`);
      }
    }
  },
};

/** Shows enough of a key to find it, never the whole key, so messages and logs do not repeat it. */
function mask(key: string): string {
  return `${key.slice(0, 8)}…`;
}

