import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { reviewTree } from '../../server/review/engine';
import { languageForId } from '../../server/review/languages';
import { Parsers } from '../../server/review/parser';
import { looksLikeSecretName } from '../../server/review/rules/hardcodedCredentials';
import { defaultSettings, type Settings } from '../../server/settings';
import { grammarDir } from '../support/paths';

let parsers: Parsers;
before(async () => {
  parsers = await Parsers.load(grammarDir);
});

function review(languageId: string, text: string, settings: Settings = defaultSettings) {
  const info = languageForId(languageId)!;
  const tree = parsers.parse(info.grammar, text);
  try {
    return reviewTree(info.language, tree, text, settings).findings;
  } finally {
    tree.delete();
  }
}

const key = 'AKIAIOSFODNN7EXAMPLF';
const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('hardcoded-credentials', () => {
  const positives: [string, string, number, number][] = [
    ['python', `x = 1\nAWS_KEY = "${key}"\n`, 1, 11],
    ['python', `client = boto3.client("s3", aws_access_key_id='${key}')\n`, 0, 47],
    ['python', `creds = {"aws_secret_access_key": "${secret}"}\n`, 0, 34],
    ['java', `class A {\n  String id = "${key}";\n}\n`, 1, 15],
    ['java', `class A { void f() { String password = "${secret}"; } }\n`, 0, 39],
    ['javascript', `const k = \`${key}\`;\n`, 0, 11],
    ['javascript', `module.exports = { secretAccessKey: "${secret}" };\n`, 0, 36],
    ['typescript', `export const cfg = { accessKeyId: 'ASIA${key.slice(4)}' };\n`, 0, 35],
    ['typescriptreact', `const C = () => <div title="${key}" />;\n`, 0, 28],
  ];
  for (const [languageId, text, line, character] of positives) {
    test(`finds the credential in ${languageId}: ${text.trim().slice(0, 50)}`, () => {
      const findings = review(languageId, text);
      assert.equal(findings.length, 1, JSON.stringify(findings));
      const [finding] = findings;
      assert.equal(finding.ruleId, `${languageForId(languageId)!.language}/hardcoded-credentials`);
      assert.equal(finding.severity, 'warning');
      assert.deepEqual(finding.range.start, { line, character });
    });
  }

  test('the access key range covers exactly the key', () => {
    const [finding] = review('python', `k = "xx${key}"\n`);
    assert.deepEqual(finding.range, { start: { line: 0, character: 7 }, end: { line: 0, character: 27 } });
  });

  const negatives: [string, string][] = [
    ['python', `# example key: ${key}\nx = 1\n`],
    ['python', `next_token = "${secret}"\n`],
    ['python', `resp = client.list_objects_v2(Bucket="b", ContinuationToken="${secret}")\n`],
    ['python', `AKIA = "AKIA_NOT_A_KEY"\n`],
    ['python', `key = "${key}0"\n`],
    ['java', `class A { /* ${key} */ String marker = "${secret}"; }\n`],
    ['javascript', `// ${key}\nconst nextToken = '${secret}';\n`],
    ['typescript', `const password = \`\${prefix}${secret.slice(0, 30)}\`;\n`],
    ['typescript', `const secret = process.env.SECRET ?? '';\n`],
  ];
  for (const [languageId, text] of negatives) {
    test(`stays quiet in ${languageId}: ${text.trim().slice(0, 50)}`, () => {
      assert.deepEqual(review(languageId, text), []);
    });
  }

  test('a rule turned off in settings reports nothing; a severity override applies', () => {
    const text = `k = "${key}"\n`;
    const off = { ...defaultSettings, review: { ...defaultSettings.review, rules: { 'hardcoded-credentials': 'off' as const } } };
    assert.deepEqual(review('python', text, off), []);
    const error = { ...defaultSettings, review: { ...defaultSettings.review, rules: { 'python/hardcoded-credentials': 'error' as const, 'hardcoded-credentials': 'off' as const } } };
    assert.equal(review('python', text, error)[0].severity, 'error');
  });

  test('secret-looking names', () => {
    for (const name of ['password', 'dbPassword', 'AWS_SECRET_ACCESS_KEY', 'secretAccessKey', 'api_key', 'authToken', 'client_secret', 'x-api-key', 'keyStorePassword', 'password_value']) {
      assert.ok(looksLikeSecretName(name), name);
    }
    for (const name of ['NextToken', 'next_token', 'tokenUrl', 'password_field', 'keyName', 'ContinuationToken', 'total', 'token_type', 'PASSWORD_RESET_URL', 'passwordEncoder', 'input_token', 'hashed_password', 'AWS::SecretsManager::Secret']) {
      assert.ok(!looksLikeSecretName(name), name);
    }
  });

  const newKinds: [string, string, number, number][] = [
    ['python', `DB_PASSWORD = "s3cr3t-Pa55"\n`, 0, 14],
    ['python', `engine = create_engine("postgresql://app:Tr0ub4dor@db/orders")\n`, 0, 41],
    ['java', `class A { void f(DataSource ds) { ds.setPassword("Tr0ub4dor"); } }\n`, 0, 49],
    ['javascript', `const key = "-----BEGIN RSA PRIVATE KEY-----\\n${'MIIEowIBAAKCAQEA'.repeat(4)}";\n`, 0, 13],
    ['typescript', `export const login = (password: string) => password === 'letmein';\n`, 0, 56],
  ];
  for (const [languageId, text, line, character] of newKinds) {
    test(`finds passwords, URLs, private keys in ${languageId}: ${text.trim().slice(0, 50)}`, () => {
      const findings = review(languageId, text);
      assert.deepEqual(findings.map((f) => f.range.start), [{ line, character }], JSON.stringify(findings));
    });
  }

  const lookAlikes: [string, string][] = [
    ['python', `password = ""\nif password == "":\n    pass\n`],
    ['python', `SMTP_PASSWORD = "<smtp-password>"\nTOKEN_TYPE = "bearer"\n`],
    ['python', `password = os.environ["DB_PASSWORD"]\nPASSWORD_RESET_URL = "/account/password/reset"\n`],
    ['java', `class A { static final String PASSWORD_PROPERTY = "spring.datasource.password"; }\n`],
    ['javascript', `const pem = text.startsWith('-----BEGIN RSA PRIVATE KEY-----');\n`],
    ['typescript', `export const masked = { password: '********' };\n`],
  ];
  for (const [languageId, text] of lookAlikes) {
    test(`stays quiet on a look-alike in ${languageId}: ${text.trim().slice(0, 50)}`, () => {
      assert.deepEqual(review(languageId, text), []);
    });
  }

  test('the connection URL finding covers exactly the password', () => {
    const [finding] = review('python', `url = "mysql://app:Tr0ub4dor@db/orders"\n`);
    assert.deepEqual(finding.range, { start: { line: 0, character: 19 }, end: { line: 0, character: 28 } });
  });
});
