// Server-side request forgery: untrusted data deciding where the server sends an HTTP request. Only
// the URL counts, not query parameters passed separately (`params=`, `{ params }`), and a URL whose
// constant start already fixes scheme and host (`f"https://api.example.com/users/{id}"`) or that is
// relative to the page (`'/api/' + id`) cannot be pointed at another host, so it is not reported.
import { objectProperty, type CallSite } from '../calls';
import type { Node } from '../parser';
import type { Rule, RuleContext } from '../rule';
import { importedNames, importsModule, leadingText, qualifiedCallee, reportTainted, sinkName, taintedAmong, type TaintedArgument } from './taintedSinks';

const httpVerbs = /^(get|post|put|patch|delete|head|options|request|stream)$/;

/** A constant start that settles the host: `https://host/`, `http://host?`, or a path on the same origin. */
const hostSettled = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]+[/?#]|\/(?!\/))/i;

/** Python receivers that are HTTP clients: `session.get`, `self.client.post`, `http.request`. */
const pythonClient = /(^|[._])(session|sess|s|client|http|http_client|pool|pool_manager)$/i;

export const ssrf: Rule = {
  languages: ['python', 'javascript', 'typescript'],
  meta: {
    name: 'ssrf',
    title: 'Server-side request forgery',
    category: 'security',
    severity: 'error',
    cwe: 918,
    why:
      'When a request URL comes from the client, an attacker can make the server call hosts only it can ' +
      'reach: the cloud metadata service (and its credentials), internal admin endpoints, databases on ' +
      'localhost. Keep the scheme and host constant and let the client choose only path segments or query ' +
      'parameters, or check the parsed host against an allow-list before sending the request.',
    examples: {
      python: {
        noncompliant: 'resp = requests.get(request.args["url"], timeout=5)',
        compliant: 'resp = requests.get("https://api.example.com/search", params={"q": request.args["q"]}, timeout=5)',
      },
      javascript: {
        noncompliant: 'const resp = await fetch(req.query.url);',
        compliant: 'const resp = await fetch(`https://api.example.com/users/${encodeURIComponent(req.query.id)}`);',
      },
      typescript: {
        noncompliant: 'const { data } = await axios.get(req.body.webhookUrl);',
        compliant: "const { data } = await axios.get('https://api.example.com/search', { params: { q: req.query.q } });",
      },
    },
  },
  check(context: RuleContext) {
    const imports = importedNames(context);
    const hits: TaintedArgument[] = [];
    for (const call of context.calls()) {
      const urls = urlArguments(context, call, qualifiedCallee(imports, call), imports).filter((url) => url && !hostSettled.test(leadingText(context, url).text));
      const hit = urls.length > 0 ? taintedAmong(context, call, urls) : undefined;
      if (hit) hits.push(hit);
    }
    reportTainted(context, hits, (hit) => `Untrusted data from ${hit.source.description} decides the URL requested by ${sinkName(hit.call)}; the server can be made to call internal hosts.`);
  },
};

/** The arguments of `call` that are (or contain) the URL it requests, if it is an HTTP client call. */
function urlArguments(context: RuleContext, call: CallSite, callee: string, imports: ReadonlyMap<string, string>): (Node | undefined)[] {
  const [first, second] = call.args;
  if (context.language === 'python') {
    const url = call.keywords.get('url');
    if (/^(requests|httpx)\.(get|post|put|patch|delete|head|options|stream)$/.test(callee)) return [first ?? url];
    if (/^(requests|httpx)\.request$/.test(callee)) return [second ?? url];
    if (/^(urllib\.request\.(urlopen|Request)|urllib2\.(urlopen|Request)|urllib\.urlopen)$/.test(callee)) return [first ?? url];
    const httpLibrary = ['requests', 'httpx', 'aiohttp', 'urllib3'].some((m) => importsModule(imports, m));
    if (!httpLibrary || !call.receiver || !httpVerbs.test(call.name)) return [];
    if (!pythonClient.test(call.receiver.text) && !/^(requests\.Session|httpx\.(Async)?Client|aiohttp\.ClientSession|urllib3\.PoolManager)\(/.test(call.receiver.text)) return [];
    // urllib3 and the generic request(): the method comes first.
    return call.name === 'request' || call.name === 'urlopen' ? [second ?? url] : [first ?? url];
  }
  const configUrl = (config: Node | undefined) => objectProperty(config, 'url') ?? objectProperty(config, 'baseURL');
  if (/^((window|globalThis|global)\.)?fetch$|^(node-fetch|undici\.fetch|undici\.request|cross-fetch)$/.test(callee)) return [first];
  if (callee === 'axios' || callee === 'axios.request') return first?.type === 'object' ? [configUrl(first)] : [first];
  if (/^axios\.(get|post|put|patch|delete|head|options)$/.test(callee)) return [first];
  if (/^(https?|node:https?)\.(get|request)$/.test(callee)) {
    return first?.type === 'object' ? [objectProperty(first, 'host'), objectProperty(first, 'hostname')] : [first];
  }
  if (/^(got|superagent)(\.(get|post|put|patch|delete|head|stream))?$/.test(callee)) return [first];
  if (callee === 'needle' || callee === 'needle.request') return [second];
  if (/^needle\.(get|post|put|patch|delete|head)$/.test(callee)) return [first];
  return [];
}
