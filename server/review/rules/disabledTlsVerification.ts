// TLS certificate or host name verification switched off: `verify=False` and unverified SSL
// contexts in Python, trust-all TrustManagers and accept-all HostnameVerifiers in Java,
// `rejectUnauthorized: false` and NODE_TLS_REJECT_UNAUTHORIZED=0 in Node. Each is a deliberate
// switch, so the rule reports it wherever it appears, except where it is only being tested
// (`if ctx.verify_mode == ssl.CERT_NONE`).
import { compact } from '../calls';
import { declaredValue, documentMentions, moduleImports, qualify } from '../names';
import type { Node } from '../parser';
import type { Fix, Rule, RuleContext } from '../rule';

/** Java classes and constants that accept any certificate or host name. */
const javaAcceptAll = /^(?:(?:\w+\.)*(?:NoopHostnameVerifier|TrustAllStrategy|InsecureTrustManagerFactory)\.INSTANCE|(?:\w+\.)*SSLConnectionSocketFactory\.ALLOW_ALL_HOSTNAME_VERIFIER|(?:\w+\.)*SSLSocketFactory\.ALLOW_ALL_HOSTNAME_VERIFIER)$/;
const javaAcceptAllClasses = new Set(['NoopHostnameVerifier', 'AllowAllHostnameVerifier', 'TrustAllStrategy']);

/** Java calls that take a host name verifier or trust strategy, where `(h, s) -> true` accepts everything. */
const javaVerifierSetters = new Set(['setHostnameVerifier', 'setDefaultHostnameVerifier', 'hostnameVerifier', 'setSSLHostnameVerifier', 'loadTrustMaterial']);

/** Text every finding of this rule contains somewhere in the document. */
const tlsSwitches = /verify|Verifier|_create_unverified_context|CERT_NONE|check_hostname|assert_hostname|cert_reqs|checkServerTrusted|TrustAll|TrustMaterial|ALLOW_ALL|InsecureTrustManager|rejectUnauthorized|strictSSL|checkServerIdentity|NODE_TLS_REJECT_UNAUTHORIZED/;

const advice = {
  python: 'to trust a private CA, pass its bundle (verify="/path/ca.pem") or call load_verify_locations()',
  java: 'keep the defaults, and to trust a private CA, load it into a KeyStore for a TrustManagerFactory',
  javascript: 'to trust a private CA, pass it as the `ca` option or set NODE_EXTRA_CA_CERTS',
} as const;

export const disabledTlsVerification: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'disabled-tls-verification',
    title: 'TLS certificate verification disabled',
    category: 'security',
    severity: 'error',
    cwe: 295,
    why:
      'Without certificate and host name verification, TLS still encrypts but no longer proves who is on the ' +
      'other end: anyone on the network path (a hotel Wi-Fi, a compromised router, a malicious proxy) can present ' +
      'their own certificate, read and change the traffic, and collect credentials and tokens sent over it. Keep ' +
      'verification on everywhere; to reach a server with a private or self-signed certificate, trust that CA ' +
      'explicitly (a CA bundle, a KeyStore, the `ca` option) instead of trusting everything.',
    examples: {
      python: {
        noncompliant: 'response = requests.get(url, verify=False)',
        compliant: 'response = requests.get(url, verify="/etc/ssl/certs/internal-ca.pem")',
      },
      java: {
        noncompliant: 'connection.setHostnameVerifier((hostname, session) -> true);',
        compliant: '// keep HttpsURLConnection\'s default HostnameVerifier',
      },
      javascript: {
        noncompliant: 'const agent = new https.Agent({ rejectUnauthorized: false });',
        compliant: 'const agent = new https.Agent({ ca: fs.readFileSync("internal-ca.pem") });',
      },
      typescript: {
        noncompliant: "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';",
        compliant: '// trust a private CA with NODE_EXTRA_CA_CERTS=/path/ca.pem instead',
      },
    },
  },
  check(context: RuleContext) {
    if (!documentMentions(context.tree, context.text, tlsSwitches)) return;
    if (context.language === 'python') checkPython(context);
    else if (context.language === 'java') checkJava(context);
    else checkJavaScript(context);
  },
};

function enable(value: Node, literal: string, setting: string): Fix {
  return { title: `Turn verification back on (${setting})`, edits: [{ at: value, newText: literal }] };
}

/** HTTP clients whose `verify` keyword is certificate verification; elsewhere `verify=False` means other things (numpy, mpmath). */
const pythonHttpModules = /^(?:requests|httpx|aiohttp|urllib3|boto3|botocore|aiobotocore|grequests|niquests)\./;
const pythonHttpCalls = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'send', 'stream', 'Client', 'AsyncClient', 'Session', 'client', 'resource']);

function checkPython(context: RuleContext): void {
  const imports = moduleImports(context.tree.rootNode);
  for (const call of context.calls()) {
    const http = pythonHttpModules.test(qualify(imports, call.callee)) || pythonHttpCalls.has(call.name);
    for (const name of ['verify', 'verify_ssl']) {
      const value = call.keywords.get(name);
      if (value?.text === 'False' && (http || name === 'verify_ssl')) {
        context.report(value.parent!, `${name}=False turns off certificate verification: ${advice.python}.`, { fixes: [enable(value, 'True', `${name}=True`)] });
      }
    }
    const assertHostname = call.keywords.get('assert_hostname');
    if (assertHostname?.text === 'False') context.report(assertHostname.parent!, `assert_hostname=False turns off host name verification: ${advice.python}.`);
    const certReqs = call.keywords.get('cert_reqs');
    if (certReqs?.type === 'string' && /^['"](CERT_NONE|none)['"]$/i.test(certReqs.text)) {
      context.report(certReqs.parent!, `cert_reqs=${certReqs.text} turns off certificate verification: ${advice.python}.`);
    }
  }
  for (const attribute of context.find('attribute')) {
    const name = attribute.childForFieldName('attribute')?.text;
    if (name === '_create_unverified_context') {
      context.report(attribute, `An unverified SSL context accepts any certificate: use ssl.create_default_context(); ${advice.python}.`);
    } else if (name === 'CERT_NONE' && isUsedAsValue(attribute)) {
      context.report(attribute, `ssl.CERT_NONE turns off certificate verification: use ssl.CERT_REQUIRED; ${advice.python}.`);
    }
  }
  for (const assignment of context.find('assignment')) {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    const name = left?.type === 'attribute' ? left.childForFieldName('attribute')?.text : undefined;
    if (right?.text !== 'False' || (name !== 'check_hostname' && !(name === 'verify' && isHttpSession(left!.childForFieldName('object'))))) continue;
    const what = name === 'verify' ? 'certificate verification for the whole session' : 'host name verification';
    context.report(assignment, `Setting ${name} = False turns off ${what}: ${advice.python}.`, { fixes: [enable(right, 'True', `${name} = True`)] });
  }
}

/** `session.verify`, `self.http.verify`, or `s.verify` after `s = requests.Session()`: not any object's `verify` flag. */
function isHttpSession(object: Node | null): boolean {
  if (!object) return false;
  const created = object.type === 'identifier' ? declaredValue(object) : undefined;
  return /session|client|http/i.test(object.text) || /(?:Session|Client)\(/.test(created?.text ?? '');
}

/** `ctx.verify_mode = ssl.CERT_NONE` or `wrap_socket(s, cert_reqs=ssl.CERT_NONE)`, not `if mode == ssl.CERT_NONE`. */
function isUsedAsValue(node: Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === 'assignment') return parent.childForFieldName('right')?.id === node.id;
  return parent.type === 'keyword_argument' || parent.type === 'argument_list';
}

function checkJava(context: RuleContext): void {
  const methods = context.unit.root.type === 'method_declaration' ? [context.unit.root, ...context.find('method_declaration')] : context.find('method_declaration');
  for (const method of methods) {
    const name = method.childForFieldName('name');
    const body = method.childForFieldName('body');
    if (!name || !body) continue;
    if (name.text === 'checkServerTrusted' && isEmptyBody(body)) {
      context.report(name, `This TrustManager accepts every server certificate (checkServerTrusted does nothing): ${advice.java}.`);
    } else if (name.text === 'verify' && /\bSSLSession\b/.test(method.childForFieldName('parameters')?.text ?? '') && returnsTrue(body)) {
      context.report(name, `This HostnameVerifier accepts every host name: ${advice.java}.`);
    }
  }
  for (const call of context.calls()) {
    if (call.isConstructor && javaAcceptAllClasses.has(call.name)) {
      context.report(call.node, `${call.name} accepts every certificate or host name: ${advice.java}.`);
    } else if (javaVerifierSetters.has(call.name)) {
      const lambda = call.args.find((a) => a.type === 'lambda_expression');
      const body = lambda?.childForFieldName('body');
      if (lambda && body && (body.type === 'true' || returnsTrue(body))) {
        context.report(lambda, `This lambda accepts every ${call.name === 'loadTrustMaterial' ? 'certificate' : 'host name'}: ${advice.java}.`);
      }
    }
  }
  for (const access of context.find('field_access')) {
    if (javaAcceptAll.test(compact(access.text))) context.report(access, `${compact(access.text)} accepts every certificate or host name: ${advice.java}.`);
  }
}

/** A method body with no statements (comments aside). */
function isEmptyBody(body: Node): boolean {
  return body.namedChildren.every((c) => !c || c.type === 'line_comment' || c.type === 'block_comment');
}

/** A body that is just `return true;`. */
function returnsTrue(body: Node): boolean {
  const statements = body.namedChildren.filter((c) => c && c.type !== 'line_comment' && c.type !== 'block_comment');
  return statements.length === 1 && statements[0]!.type === 'return_statement' && statements[0]!.namedChildren[0]?.type === 'true';
}

function checkJavaScript(context: RuleContext): void {
  for (const pair of context.find('pair')) {
    const key = pair.childForFieldName('key');
    const value = pair.childForFieldName('value');
    if (!key || !value) continue;
    const name = key.type === 'string' ? key.text.slice(1, -1) : key.text;
    if ((name === 'rejectUnauthorized' || name === 'strictSSL') && value.type === 'false') {
      context.report(pair, `${name}: false turns off certificate verification: ${advice.javascript}.`, { fixes: [enable(value, 'true', `${name}: true`)] });
    } else if (name === 'checkServerIdentity' && acceptsAnyIdentity(value)) {
      context.report(pair, `This checkServerIdentity accepts every host name: remove it, or call tls.checkServerIdentity from it and add your checks.`);
    }
  }
  for (const assignment of context.find('assignment_expression')) {
    const left = compact(assignment.childForFieldName('left')?.text ?? '');
    const right = assignment.childForFieldName('right');
    if (!right) continue;
    if (/^process\.env(?:\.NODE_TLS_REJECT_UNAUTHORIZED|\[(['"`])NODE_TLS_REJECT_UNAUTHORIZED\1\])$/.test(left) && /^(['"`]?)0\1$/.test(right.text)) {
      context.report(assignment, `NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate verification for every TLS connection of the process: ${advice.javascript}.`);
    } else if (/\.rejectUnauthorized$/.test(left) && right.type === 'false') {
      context.report(assignment, `rejectUnauthorized = false turns off certificate verification: ${advice.javascript}.`, { fixes: [enable(right, 'true', 'rejectUnauthorized = true')] });
    }
  }
}

/** `() => undefined`, `() => {}`, `function () { return null; }`: a check that never returns an error. */
function acceptsAnyIdentity(value: Node): boolean {
  if (value.type !== 'arrow_function' && value.type !== 'function_expression' && value.type !== 'function') return false;
  const body = value.childForFieldName('body');
  if (!body) return false;
  if (body.type === 'undefined' || body.type === 'null') return true;
  if (body.type !== 'statement_block') return false;
  const statements = body.namedChildren.filter((c) => c && c.type !== 'comment');
  if (statements.length === 0) return true;
  const only = statements.length === 1 && statements[0]!.type === 'return_statement' ? statements[0]! : undefined;
  const returned = only?.namedChildren[0];
  return !!only && (!returned || returned.type === 'undefined' || returned.type === 'null');
}
