// Files, sockets, connections and streams bound to a local variable and not released on every way
// out of the function. The analysis is per variable and deliberately decidable:
//  - a resource that changes hands is not reported: returned, yielded, stored in an attribute, a
//    collection or another variable, managed (`with`, try-with-resources, `closing()`,
//    `enter_context`), wrapped by another object (a Java stream, a Python class instance), handed to a
//    method of the same Python class, passed on in JavaScript, or captured by a Python or Java closure;
//    so is a variable that sometimes holds something else (`out = sys.stdout`);
//  - released in a `finally` block is always fine;
//  - Java resources and Node.js FileHandles must be released in `finally` or try-with-resources, since
//    nearly every call between acquiring and closing them can throw;
//  - elsewhere (Python, Node.js file descriptors and streams) a release must come before every
//    explicit `return`/`raise`/`throw`/`break`/`continue` that can follow the acquisition, and before
//    falling out at the end. Exceptions raised by calls are not modelled, so neither are the handlers
//    of a `try` around the acquisition.
// JDBC statements and result sets, and Python cursors, are judged with the connection or statement
// they come from when that one is local too: closed by its `with` or try-with-resources, or reported
// as the one leak. Only those from a parameter or a field are reported on their own.
import { callSite, type CallSite } from '../calls';
import { enclosingFunction, isWithin } from '../catchClauses';
import type { ReviewLanguage } from '../languages';
import type { Node } from '../parser';
import type { Fix, Related, Rule, RuleContext } from '../rule';

interface Kind {
  /** How the message names it: "file", "socket", "JDBC connection"… */
  what: string;
  /** Methods called on the resource that release it. */
  release: readonly string[];
  /** Methods that hand a stream's data on, after which it closes itself (Node.js autoClose). */
  consume?: readonly string[];
  /** Methods that make something else the owner, like a FileHandle's streams. */
  handOver?: readonly string[];
  /** Released only in `finally`/try-with-resources counts. */
  needsFinally: boolean;
  /** Closed along with the connection or statement it was obtained from. */
  dependent?: boolean;
  /** Node.js file descriptors are numbers, released by `fs.closeSync(fd)`. */
  descriptor?: boolean;
  /** What to do instead, ending the message. */
  advice: string;
  /** How the message says it was released: "closed" unless said otherwise. */
  releaseVerb?: string;
  /** Python: `with` on it closes it, so "Use a with statement" is a correct fix. */
  withCloses?: boolean;
}

const pythonAdvice = 'use a `with` statement so it is closed however the block is left';
const py = (what: string): Kind => ({ what, release: ['close'], needsFinally: false, advice: pythonAdvice, withCloses: true });
/** sqlite3 and psycopg2 connections are context managers that end a transaction, not the connection. */
const pyDatabase = (what: string, dependent: boolean, note = ''): Kind => ({
  what,
  release: ['close'],
  needsFinally: false,
  dependent,
  advice: `use \`with contextlib.closing(...)\` or close it in a finally block${note}`,
});
const javaAdvice = 'declare it in a try-with-resources statement';
const java = (what: string, dependent = false): Kind => ({ what, release: ['close'], needsFinally: true, dependent, advice: javaAdvice });

const kinds = {
  pythonFile: py('file'),
  pythonSocket: py('socket'),
  pythonConnection: pyDatabase('database connection', false, " (a connection's own `with` ends the transaction, not the connection)"),
  pythonCursor: pyDatabase('database cursor', true),
  pythonResponse: py('HTTP response'),
  javaStream: java('stream'),
  javaSocket: java('socket'),
  javaConnection: java('JDBC connection'),
  javaStatement: java('JDBC statement', true),
  javaResultSet: java('JDBC result set', true),
  readStream: { what: 'read stream', release: ['close', 'destroy'], consume: ['pipe', 'resume'], needsFinally: false, advice: 'consume it with stream.pipeline(), or destroy() it on the paths that do not read it', releaseVerb: 'consumed or closed' },
  writeStream: { what: 'write stream', release: ['end', 'close', 'destroy'], needsFinally: false, advice: 'call end() when done, or write through stream.pipeline()', releaseVerb: 'ended' },
  socket: { what: 'socket', release: ['end', 'destroy', 'destroySoon', 'resetAndDestroy'], consume: ['pipe'], needsFinally: false, advice: 'call end() or destroy() when done' },
  descriptor: { what: 'file descriptor', release: [], needsFinally: false, descriptor: true, advice: 'call fs.closeSync() in a finally block' },
  fileHandle: { what: 'FileHandle', release: ['close'], handOver: ['createReadStream', 'createWriteStream', 'readLines'], needsFinally: true, advice: 'call `await handle.close()` in a finally block' },
} satisfies Record<string, Kind>;

/** Java streams that only wrap another one: a resource when what they wrap was opened right there. */
const javaWrappers = new Set(['BufferedReader', 'BufferedWriter', 'InputStreamReader', 'OutputStreamWriter', 'BufferedInputStream', 'BufferedOutputStream', 'DataInputStream', 'DataOutputStream', 'ObjectInputStream', 'ObjectOutputStream', 'PrintWriter', 'PrintStream', 'Scanner', 'GZIPInputStream', 'GZIPOutputStream', 'ZipInputStream', 'ZipOutputStream']);
const javaFileStreams = new Set(['FileInputStream', 'FileOutputStream', 'FileReader', 'FileWriter', 'RandomAccessFile', 'ZipFile', 'JarFile']);
const javaSockets = new Set(['Socket', 'ServerSocket', 'DatagramSocket']);
/** Wrappers that open a file themselves when given a File or Path. */
const javaFileOpeners = new Set(['Scanner', 'PrintWriter', 'PrintStream']);

function acquisition(context: RuleContext, call: CallSite): Kind | undefined {
  switch (context.language) {
    case 'python':
      return pythonAcquisition(call);
    case 'java':
      return javaAcquisition(call);
    default:
      return javascriptAcquisition(call, () => importsPromiseOpen.test(context.text));
  }
}

/** `import { open } from 'node:fs/promises'`, `const { open } = require('fs/promises')`. */
const importsPromiseOpen = /\{[^}]*\bopen\b[^}]*\}\s*(from\s*|=\s*require\(\s*)['"](node:)?fs\/promises['"]/;

function pythonAcquisition(call: CallSite): Kind | undefined {
  const c = call.callee;
  if (/^(open|io\.open|codecs\.open|gzip\.open|bz2\.open|lzma\.open|tarfile\.open|zipfile\.ZipFile|tempfile\.(NamedTemporaryFile|TemporaryFile|SpooledTemporaryFile)|NamedTemporaryFile)$/.test(c)) return kinds.pythonFile;
  if (/^socket\.(socket|create_connection)$/.test(c)) return kinds.pythonSocket;
  if (/^(sqlite3|psycopg2|psycopg|pymysql|MySQLdb|mysql\.connector|pyodbc|cx_Oracle|oracledb)\.connect$/.test(c)) return kinds.pythonConnection;
  if (/^((urllib\.)?request\.)?urlopen$/.test(c)) return kinds.pythonResponse;
  if (call.name === 'cursor' && call.receiver && call.args.length === 0) return kinds.pythonCursor;
  return undefined;
}

function javaAcquisition(call: CallSite): Kind | undefined {
  if (call.isConstructor) {
    if (javaFileStreams.has(call.name)) return kinds.javaStream;
    if (javaSockets.has(call.name)) return kinds.javaSocket;
    if (javaWrappers.has(call.name) && opensWhatItWraps(call)) return kinds.javaStream;
    return undefined;
  }
  if (/^Files\.(newInputStream|newOutputStream|newBufferedReader|newBufferedWriter|lines|list|walk|find|newDirectoryStream)$/.test(call.callee)) return kinds.javaStream;
  if (call.name === 'getConnection') return kinds.javaConnection;
  if (call.receiver && /^(createStatement|prepareStatement|prepareCall)$/.test(call.name)) return kinds.javaStatement;
  if (call.receiver && /^(executeQuery|getResultSet|getGeneratedKeys)$/.test(call.name)) return kinds.javaResultSet;
  return undefined;
}

/** `new BufferedReader(new FileReader(f))`, `new Scanner(new File(p))`; not `new Scanner(System.in)` or a wrapped parameter. */
function opensWhatItWraps(call: CallSite): boolean {
  const inner = call.args[0];
  const site = inner ? callSite(inner) : undefined;
  if (!site) return false;
  if (site.isConstructor) {
    if (javaFileStreams.has(site.name) || javaSockets.has(site.name)) return true;
    if (javaFileOpeners.has(call.name) && site.name === 'File') return true;
    return javaWrappers.has(site.name) && opensWhatItWraps(site);
  }
  if (javaFileOpeners.has(call.name) && /^(Paths\.get|Path\.of)$/.test(site.callee)) return true;
  return /^Files\.new(InputStream|OutputStream)$/.test(site.callee);
}

function javascriptAcquisition(call: CallSite, promiseOpenImported: () => boolean): Kind | undefined {
  const c = call.callee;
  if (/^(fs\.)?createReadStream$/.test(c)) return kinds.readStream;
  if (/^(fs\.)?createWriteStream$/.test(c)) return kinds.writeStream;
  if (/^(fs\.)?openSync$/.test(c)) return kinds.descriptor;
  if (/^(net\.(connect|createConnection)|tls\.connect)$/.test(c)) return kinds.socket;
  // `fs.open` with a callback returns nothing worth awaiting: awaited, it is the promise API.
  const awaited = call.node.parent?.type === 'await_expression';
  if (awaited && (/^((fs\.)?promises|fsp|fsPromises|fs)\.open$/.test(c) || (c === 'open' && promiseOpenImported()))) return kinds.fileHandle;
  return undefined;
}

interface Resource {
  call: Node;
  kind: Kind;
  /** The identifier the resource is bound to. */
  variable: Node;
  /** The statement that binds it, a direct child of a block. */
  statement: Node;
  /** The function it is local to. */
  scope: Node;
}

type Use = 'release' | 'escape' | 'use';

const blockTypes = new Set(['block', 'module', 'statement_block', 'program', 'constructor_body', 'switch_block_statement_group', 'switch_case', 'switch_default']);
const exitTypes: Record<ReviewLanguage, readonly string[]> = {
  python: ['return_statement', 'raise_statement', 'break_statement', 'continue_statement'],
  java: ['return_statement', 'throw_statement', 'break_statement', 'continue_statement'],
  javascript: ['return_statement', 'throw_statement', 'break_statement', 'continue_statement'],
  typescript: ['return_statement', 'throw_statement', 'break_statement', 'continue_statement'],
};
const loopTypes = new Set(['for_statement', 'while_statement', 'enhanced_for_statement', 'do_statement', 'for_in_statement']);
/** Statements that release unconditionally when they contain a release. */
const simpleStatementTypes = new Set(['expression_statement', 'lexical_declaration', 'variable_declaration', 'local_variable_declaration']);
/** Expressions a value passes through unchanged on its way to where it goes. */
const carriers = new Set([
  'parenthesized_expression', 'tuple', 'list', 'set', 'expression_list', 'pattern_list', 'dictionary', 'pair', 'keyword_argument', 'as_pattern', 'list_splat',
  'conditional_expression', 'ternary_expression', 'await_expression', 'as_expression', 'non_null_expression', 'satisfies_expression', 'type_assertion',
  'object', 'array', 'spread_element', 'cast_expression', 'array_initializer',
]);
/** `os.close(fd)`, `IOUtils.closeQuietly(in)`, `_sync_close(f)`, `DbUtils.release(conn)`. */
const closingHelper = /close|^(release|dispose)/i;

/** Calls that keep their argument: it is no longer this function's to close. */
const storingCalls = /^(append|appendleft|extend|insert|put_nowait|unshift|offer|setdefault|enter_context|enter_async_context|callback|closing)$|^(set|add|put|push|register|attach)([A-Z_]|$)/;

export const resourceLeak: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'resource-leak',
    title: 'Resource not closed on every path',
    category: 'resource-leak',
    severity: 'warning',
    cwe: 772,
    why:
      'Files, sockets, database connections and streams hold operating-system handles and server-side sessions that ' +
      'the garbage collector releases late or never. A function that returns early or throws before closing one leaks ' +
      'it, and under load the process runs out of file descriptors or the database out of connections. Tie the ' +
      'lifetime to a block: `with` in Python, try-with-resources in Java, and in Node.js `finally { await handle.close() }` ' +
      'or stream.pipeline(), which closes every stream whether it finishes or fails.',
    examples: {
      python: {
        noncompliant: 'f = open(path)\nfor line in f:\n    if line.startswith("#"):\n        return line\nf.close()',
        compliant: 'with open(path) as f:\n    for line in f:\n        if line.startswith("#"):\n            return line',
      },
      java: {
        noncompliant: 'BufferedReader reader = new BufferedReader(new FileReader(path));\nString header = reader.readLine();\nreader.close();',
        compliant: 'try (BufferedReader reader = new BufferedReader(new FileReader(path))) {\n    String header = reader.readLine();\n}',
      },
      javascript: {
        noncompliant: "const fd = fs.openSync(path, 'r');\nconst bytes = fs.readSync(fd, buffer, 0, 16, 0);\nif (bytes < 16) throw new Error('truncated');\nfs.closeSync(fd);",
        compliant: "const fd = fs.openSync(path, 'r');\ntry {\n  const bytes = fs.readSync(fd, buffer, 0, 16, 0);\n  if (bytes < 16) throw new Error('truncated');\n} finally {\n  fs.closeSync(fd);\n}",
      },
      typescript: {
        noncompliant: "const handle = await fs.promises.open(path, 'r');\nconst { bytesRead } = await handle.read(buffer, 0, 16, 0);\nawait handle.close();",
        compliant: "const handle = await fs.promises.open(path, 'r');\ntry {\n  const { bytesRead } = await handle.read(buffer, 0, 16, 0);\n} finally {\n  await handle.close();\n}",
      },
    },
  },
  check(context: RuleContext) {
    if (context.unit.isModule) return;
    const resources = context.calls().flatMap((call) => {
      const kind = acquisition(context, call);
      const resource = kind ? bind(context, call.node, kind) : undefined;
      return resource ? [resource] : [];
    });
    if (!resources.length) return;
    // A statement from a connection this function leaks is part of that one leak, and one from a
    // connection in `with` or try-with-resources is closed with it: either way, judge the connection.
    const owners = new Set([...resources.map((r) => r.variable.text), ...blockManagedNames(context)]);
    for (const resource of resources) {
      const receiver = callSite(resource.call)?.receiver;
      if (resource.kind.dependent && receiver?.type === 'identifier' && owners.has(receiver.text)) continue;
      checkResource(context, resource);
    }
  },
};

/** The local variable a resource is assigned to, directly: `f = open(p)`, `Reader r = new FileReader(f)`, `const fd = fs.openSync(p)`. */
function bind(context: RuleContext, call: Node, kind: Kind): Resource | undefined {
  const value = call.parent?.type === 'await_expression' ? call.parent : call;
  const parent = value.parent;
  if (!parent) return undefined;
  let variable: Node | null = null;
  let declared = false;
  if ((parent.type === 'assignment' || parent.type === 'assignment_expression') && parent.childForFieldName('right')?.id === value.id) {
    variable = parent.childForFieldName('left');
    // `a = b = open(p)` and `x = (y = open(p))` keep a second name for it.
    if (parent.childForFieldName('type') || parent.parent?.type === 'assignment' || parent.parent?.type === 'assignment_expression') return undefined;
  } else if (parent.type === 'variable_declarator' && parent.childForFieldName('value')?.id === value.id) {
    variable = parent.childForFieldName('name');
    declared = true;
  }
  if (variable?.type !== 'identifier') return undefined;
  const scope = enclosingFunction(context.language, call);
  const statement = statementOf(call, scope);
  if (!scope || !statement || !isLocal(context, variable, scope, declared) || alsoHoldsOther(context, variable, scope)) return undefined;
  return { call, kind, variable, statement, scope };
}

const assignmentTypes = ['assignment', 'assignment_expression', 'variable_declarator'];

/** `out = open(p) if … else sys.stdout` spelled as two assignments: not always ours to close. */
function alsoHoldsOther(context: RuleContext, variable: Node, scope: Node): boolean {
  return context.find(...assignmentTypes).some((a) => {
    const target = a.childForFieldName('left') ?? a.childForFieldName('name');
    if (target?.text !== variable.text || target.id === variable.id || !isWithin(a, scope)) return false;
    let value = a.childForFieldName('right') ?? a.childForFieldName('value');
    if (value?.type === 'await_expression') value = value.namedChildren[0] ?? null;
    if (!value || /^(None|null|undefined)$/.test(value.text)) return false;
    const site = callSite(value);
    return !site || !acquisition(context, site);
  });
}

function statementOf(node: Node, scope: Node | undefined): Node | undefined {
  for (let n: Node | null = node; n && n.id !== scope?.id; n = n.parent) if (n.parent && blockTypes.has(n.parent.type)) return n;
  return undefined;
}

/** Python names declared `global`/`nonlocal` and JavaScript/Java names declared outside the function are not local. */
function isLocal(context: RuleContext, variable: Node, scope: Node, declared: boolean): boolean {
  if (context.language === 'python') {
    return !context.find('global_statement', 'nonlocal_statement').some((s) => isWithin(s, scope) && s.namedChildren.some((n) => n?.text === variable.text));
  }
  if (declared) return true;
  return context.find('variable_declarator').some((d) => isWithin(d, scope) && d.childForFieldName('name')?.text === variable.text);
}

/** Names bound by `with ... as conn` or `try (Connection conn = ...)`, closed when the block ends. */
function blockManagedNames(context: RuleContext): string[] {
  return context.find('with_item', 'resource').flatMap((item) => {
    const target = item.type === 'resource' ? item.childForFieldName('name') ?? item.namedChildren.find((c) => c?.type === 'identifier') : item.descendantsOfType('identifier').pop();
    return target ? [target.text] : [];
  });
}

function references(context: RuleContext, resource: Resource): Node[] {
  const name = resource.variable.text;
  return context.find('identifier', 'shorthand_property_identifier').filter((r) => {
    if (r.text !== name || r.id === resource.variable.id || !isWithin(r, resource.scope)) return false;
    const parent = r.parent;
    // `self.f`, `this.in`, `f=...` and method names spell the same word without being the variable.
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === r.id) return false;
    if (parent?.type === 'field_access' && parent.childForFieldName('field')?.id === r.id) return false;
    if (parent?.type === 'method_invocation' && parent.childForFieldName('name')?.id === r.id) return false;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === r.id) return false;
    return true;
  });
}

function checkResource(context: RuleContext, resource: Resource): void {
  const { language } = context;
  const releases: Node[] = [];
  for (const ref of references(context, resource)) {
    const use = classify(context, resource, ref);
    if (use === 'escape') return;
    if (use === 'release') releases.push(ref);
  }
  const name = resource.variable.text;
  const subject = `'${name}' (${describe(resource)})`;
  const closed = resource.kind.releaseVerb ?? 'closed';
  if (releases.length === 0) {
    context.report(resource.call, `${subject} is never ${closed}: ${resource.kind.advice}.`);
    return;
  }
  // A callback that closes it runs later; whether on every path is beyond this analysis.
  if (releases.some((r) => enclosingFunction(language, r) !== undefined && enclosingFunction(language, r)?.id !== resource.scope.id)) return;
  if (releases.some((r) => inFinally(r, resource))) return;
  if (resource.kind.needsFinally) {
    const related: Related[] = releases.slice(0, 3).map((r) => ({ at: releaseCall(r), message: `'${name}' is closed here, but not in a finally block` }));
    context.report(resource.call, `${subject} is closed outside a finally block, so an exception before that leaks it: ${resource.kind.advice}.`, { related });
    return;
  }
  const { exits, fallsThrough } = exitsWithoutRelease(context, resource, releases);
  if (!exits.length && !fallsThrough) return;
  const related: Related[] = exits.slice(0, 3).map((exit) => ({ at: exit, message: `leaves here with '${name}' still open` }));
  const where = exits.length ? `before the ${exits[0].type.replace('_statement', '')} on line ${exits[0].startPosition.row + 1}` : 'on every path';
  const fixes = resource.kind.withCloses ? withStatementFix(context, resource, releases) : [];
  context.report(resource.call, `${subject} is not ${closed} ${where}: ${resource.kind.advice}.`, { related, fixes });
}

function describe(resource: Resource): string {
  const site = callSite(resource.call);
  const shortCallee = site && !site.callee.includes('(') && site.callee.length <= 30 ? site.callee : site?.callee.replace(/^.*?([\w$]+\.[\w$]+)$/, '$1');
  const callee = site?.isConstructor ? `new ${site.name}()` : `${shortCallee ?? 'call'}()`;
  return `a ${resource.kind.what} from ${callee}`;
}

/** What a reference to the resource variable does with it. */
function classify(context: RuleContext, resource: Resource, ref: Node): Use {
  const { language } = context;
  const { kind } = resource;
  const owner = enclosingFunction(language, ref);
  // A Python or Java closure may run after the function returns: its lifetime is no longer ours to judge.
  if ((language === 'python' || language === 'java') && owner && owner.id !== resource.scope.id) return 'escape';

  const parent = ref.parent;
  if (!parent) return 'use';
  // `f.close()`, `in.close()`, `stream.pipe(res)`, and `f.close` handed over as a callback.
  const method = methodOn(ref);
  if (method) {
    const releases = kind.release.includes(method.name) || kind.consume?.includes(method.name) || (language !== 'python' && language !== 'java' && isConsumingListener(kind, method));
    if (method.called) return releases ? 'release' : kind.handOver?.includes(method.name) ? 'escape' : 'use';
    return kind.release.includes(method.name) ? 'escape' : 'use';
  }

  let node = ref;
  while (node.parent && carriers.has(node.parent.type)) node = node.parent;
  const holder = node.parent;
  if (!holder) return 'use';
  switch (holder.type) {
    case 'return_statement':
    case 'yield':
    case 'yield_expression':
    case 'resource':
    case 'with_item':
      return 'escape';
    case 'assignment':
    case 'assignment_expression':
    case 'augmented_assignment':
      return holder.childForFieldName('right')?.id === node.id ? 'escape' : 'use';
    case 'variable_declarator':
      return holder.childForFieldName('value')?.id === node.id ? 'escape' : 'use';
    case 'arrow_function':
      return holder.childForFieldName('body')?.id === node.id ? 'escape' : 'use';
    case 'for_in_statement':
      return holder.childForFieldName('right')?.id === node.id && kind.consume ? 'release' : 'use';
    case 'argument_list':
    case 'arguments':
      return argumentUse(context, resource, ref, node, holder.parent);
    default:
      return 'use';
  }
}

function methodOn(ref: Node): { name: string; called: boolean; call?: Node } | undefined {
  const parent = ref.parent;
  if (!parent) return undefined;
  if (parent.type === 'method_invocation' && parent.childForFieldName('object')?.id === ref.id) {
    return { name: parent.childForFieldName('name')?.text ?? '', called: true, call: parent };
  }
  if ((parent.type === 'attribute' || parent.type === 'member_expression') && parent.childForFieldName('object')?.id === ref.id) {
    const name = (parent.childForFieldName('attribute') ?? parent.childForFieldName('property'))?.text ?? '';
    const call = parent.parent;
    const called = !!call && (call.type === 'call' || call.type === 'call_expression') && call.childForFieldName('function')?.id === parent.id;
    return { name, called, call: called ? call : undefined };
  }
  return undefined;
}

/** `stream.on('data', ...)` starts the flow that ends with Node.js closing the stream itself. */
function isConsumingListener(kind: Kind, method: { name: string; call?: Node }): boolean {
  if (!kind.consume || !['on', 'once', 'addListener'].includes(method.name) || !method.call) return false;
  const event = callSite(method.call)?.args[0]?.text.slice(1, -1);
  return event === 'data' || event === 'readable';
}

function argumentUse(context: RuleContext, resource: Resource, ref: Node, argument: Node, call: Node | null): Use {
  const site = call ? callSite(call) : undefined;
  if (!site) return 'use';
  const direct = argument.id === ref.id;
  switch (context.language) {
    case 'python':
      if (direct && closingHelper.test(site.name)) return 'release';
      // A method of the same class may keep it (a transport, a wrapper): not ours to judge.
      if (/^(self|cls)\./.test(site.callee)) return 'escape';
      // So may an object built around it (`Server(loop, [sock])`, `TextIOWrapper(raw)`), csv's readers aside.
      if (/^[A-Z]/.test(site.name) && !/^csv\.Dict(Reader|Writer)$/.test(site.callee)) return 'escape';
      return storingCalls.test(site.name) || resultLeaves(site.node) ? 'escape' : 'use';
    case 'java':
      if (site.isConstructor) return 'escape';
      if (direct && closingHelper.test(site.name)) return 'release';
      return storingCalls.test(site.name) || resultLeaves(site.node) ? 'escape' : 'use';
    default:
      if (resource.kind.descriptor && direct && site.args[0]?.id === ref.id) {
        if (/^(fs\.)?(closeSync|close)$/.test(site.callee)) return 'release';
        if (/^fs\.\w+$/.test(site.callee) || /^\w+Sync$/.test(site.callee)) return 'use';
      }
      // Handed to pipeline(), finished(), another stream or any other owner.
      return 'escape';
  }
}

/** `return Wrapper(f)`, `self.reader = Reader(f)`: what the call made from the resource leaves the function. */
function resultLeaves(call: Node): boolean {
  let node = call;
  while (node.parent && carriers.has(node.parent.type)) node = node.parent;
  const holder = node.parent;
  if (!holder) return false;
  if (holder.type === 'return_statement' || holder.type === 'yield') return true;
  if (holder.type === 'assignment' || holder.type === 'assignment_expression') {
    const left = holder.childForFieldName('left');
    return holder.childForFieldName('right')?.id === node.id && !!left && !['identifier', 'pattern_list', 'tuple_pattern'].includes(left.type);
  }
  return false;
}

function releaseCall(ref: Node): Node {
  const method = methodOn(ref);
  if (method?.call) return method.call;
  for (let n: Node | null = ref; n; n = n.parent) if (n.type === 'call' || n.type === 'call_expression' || n.type === 'method_invocation') return n;
  return ref;
}

function inFinally(ref: Node, resource: Resource): boolean {
  for (let n = ref.parent; n && n.id !== resource.scope.id; n = n.parent) {
    if (n.type === 'finally_clause') return n.endIndex > resource.statement.startIndex;
  }
  return false;
}

/** The ways out of the function after the acquisition that no release precedes, and whether falling out at the end is one. */
function exitsWithoutRelease(context: RuleContext, resource: Resource, releases: Node[]): { exits: Node[]; fallsThrough: boolean } {
  const { statement, scope } = resource;
  const releasing = new Set<number>();
  for (const r of releases) {
    const s = statementOf(r, scope);
    if (s && (simpleStatementTypes.has(s.type) || (s.type === 'for_in_statement' && isWithin(r, s.childForFieldName('right') ?? r)))) releasing.add(s.id);
    // `if f is not None: f.close()` and `if (in != null) in.close();` release whatever there is to release.
    const guard = s?.parent ? guardingIf(s, resource) : undefined;
    if (s && guard && simpleStatementTypes.has(s.type)) releasing.add(guard.id);
  }
  const released = (s: Node) => releasing.has(s.id);
  // Leaving the loop the resource is acquired in means finishing an iteration first: the check at the end covers it.
  const ownLoop = loopOf(statement, scope);
  const missed: Node[] = [];
  for (const exit of context.find(...exitTypes[context.language])) {
    if (exit.startIndex < statement.endIndex || !isWithin(exit, scope) || enclosingFunction(context.language, exit)?.id !== scope.id) continue;
    if (ownLoop && !isWithin(exit, ownLoop)) continue;
    if (onlyAfterException(exit, statement) || exclusiveBranches(exit, statement)) continue;
    if (releasedBefore(exit, resource, released)) continue;
    if (exit.type === 'break_statement' || exit.type === 'continue_statement') {
      const loop = loopOf(exit, scope);
      if (!loop || !isWithin(statement, loop)) continue;
      if (exit.type === 'break_statement' && loop.id === ownLoop?.id && releasedAfter(loop, resource, released)) continue;
    }
    missed.push(exit);
  }
  return { exits: missed, fallsThrough: !releasedAfter(statement, resource, released) };
}

/** The `if` around `statement` that only tests the resource variable, with no else. */
function guardingIf(statement: Node, resource: Resource): Node | undefined {
  let n: Node | null = statement.parent;
  if (n && (n.type === 'block' || n.type === 'statement_block') && n.parent?.type === 'if_statement') n = n.parent;
  if (!n || n.type !== 'if_statement' || n.childForFieldName('alternative')) return undefined;
  const condition = n.childForFieldName('condition');
  const name = resource.variable.text;
  const tested = condition?.text.replace(/[()\s]/g, '') ?? '';
  return [name, `${name}isnotNone`, `${name}!=null`, `${name}!==null`, `${name}!==undefined`, `${name}!=undefined`].includes(tested) ? n : undefined;
}

/** `exit` is in a handler of a try whose body holds the acquisition: reached by an exception, which is not modelled. */
function onlyAfterException(exit: Node, statement: Node): boolean {
  for (let n = exit.parent; n; n = n.parent) {
    if (n.type !== 'except_clause' && n.type !== 'catch_clause') continue;
    const tryStatement = n.parent;
    const body = tryStatement?.childForFieldName('body') ?? tryStatement?.namedChildren.find((c) => c?.type === 'block');
    if (body && isWithin(statement, body)) return true;
  }
  return false;
}

/** `if a: f = open(p) … else: raise E`: the acquisition and the exit are on different branches. */
function exclusiveBranches(exit: Node, statement: Node): boolean {
  let n: Node | null = exit;
  while (n?.parent && !isWithin(statement, n.parent)) n = n.parent;
  const common = n?.parent;
  if (!n || !common || isWithin(statement, n)) return false;
  if (common.type === 'if_statement') return true;
  if (common.type === 'try_statement') {
    const handler = (c: Node) => c.type === 'except_clause' || c.type === 'catch_clause' || c.type === 'else_clause';
    const branchOfStatement = common.namedChildren.find((c) => !!c && isWithin(statement, c));
    return !!branchOfStatement && handler(branchOfStatement) && handler(n);
  }
  return false;
}

function loopOf(node: Node, scope: Node): Node | undefined {
  for (let n = node.parent; n && n.id !== scope.id; n = n.parent) {
    if (loopTypes.has(n.type)) return n;
    if (n.type === 'switch_statement' || n.type === 'switch_expression') return undefined;
  }
  return undefined;
}

/** A releasing statement runs before `exit` in a block that encloses it. */
function releasedBefore(exit: Node, resource: Resource, released: (s: Node) => boolean): boolean {
  for (let n: Node | null = exit; n && n.id !== resource.scope.id; n = n.parent) {
    for (let s = n.previousNamedSibling; s; s = s.previousNamedSibling) {
      if (s.startIndex >= resource.statement.endIndex) {
        if (released(s)) return true;
        continue;
      }
      // The statement that holds the acquisition (`try: fd = open(p) … close(fd)`): released on its way out.
      return isWithin(resource.statement, s) && releasedAfter(resource.statement, resource, released, s);
    }
  }
  return false;
}

/**
 * Falling out of `from`'s block and every block around it, a releasing statement runs, or the code
 * never falls out. The end of a loop body is a way out of its own: on to the next acquisition.
 */
function releasedAfter(from: Node, resource: Resource, released: (s: Node) => boolean, limit: Node = resource.scope): boolean {
  for (let n: Node | null = from; n && n.id !== limit.id; n = n.parent) {
    for (let s = n.nextNamedSibling; s; s = s.nextNamedSibling) {
      if (released(s) || alwaysLeaves(s)) return true;
      // Python's `try: f = open(p) … else: f.close()`: the else block runs next on the normal path.
      if (s.type === 'else_clause' && n.parent?.type === 'try_statement') {
        const block = s.namedChildren.find((c) => c?.type === 'block');
        if (block?.namedChildren.some((c) => !!c && (released(c) || alwaysLeaves(c)))) return true;
      }
    }
    if (n.parent && loopTypes.has(n.parent.type) && n.id !== from.id) return false;
  }
  return false;
}

/** A statement after which control never reaches the next one: return, raise, or an if whose every branch leaves. */
function alwaysLeaves(statement: Node): boolean {
  switch (statement.type) {
    case 'return_statement':
    case 'raise_statement':
    case 'throw_statement':
      return true;
    case 'if_statement': {
      const branches = [statement.childForFieldName('consequence'), ...statement.childrenForFieldName('alternative')];
      const hasElse = branches.some((b) => b?.type === 'else_clause') || (statement.childForFieldName('alternative') !== null && statement.childForFieldName('alternative')?.type !== 'elif_clause');
      return hasElse && branches.every((b) => !!b && endsByLeaving(b));
    }
    default:
      return false;
  }
}

function endsByLeaving(branch: Node): boolean {
  const body = branch.type === 'block' || branch.type === 'statement_block' ? branch : branch.childForFieldName('body') ?? branch.childForFieldName('consequence') ?? branch.lastNamedChild;
  if (!body) return false;
  const last = body.type === 'block' || body.type === 'statement_block' ? body.lastNamedChild : body;
  return !!last && alwaysLeaves(last);
}

/**
 * `f = open(p)` … `f.close()` in one block, with nothing else touching `f` outside: the statements
 * between become the body of `with open(p) as f:`. Offered only where that edit is certainly right.
 */
function withStatementFix(context: RuleContext, resource: Resource, releases: Node[]): Fix[] {
  const { statement, variable, call, scope } = resource;
  const text = context.text;
  if (statement.type !== 'expression_statement' || statement.namedChildCount !== 1 || statement.namedChildren[0]?.type !== 'assignment') return [];
  const close = releases.length === 1 ? statementOf(releases[0], scope) : undefined;
  if (!close || close.parent?.id !== statement.parent?.id || close.type !== 'expression_statement' || compactText(close.text) !== `${variable.text}.close()`) return [];
  const between: Node[] = [];
  for (let s = statement.nextNamedSibling; s && s.id !== close.id; s = s.nextNamedSibling) if (s.type !== 'comment') between.push(s);
  if (!between.length) return [];
  // Every other use of the name lies between the two, and none rebinds it.
  for (const ref of references(context, resource)) {
    if (ref.startIndex < statement.endIndex || ref.endIndex > close.startIndex) {
      if (ref.id !== releases[0].id) return [];
    }
    const parent = ref.parent;
    if (!parent || ['delete_statement', 'as_pattern_target', 'pattern_list', 'tuple_pattern', 'list_pattern', 'global_statement', 'nonlocal_statement'].includes(parent.type)) return [];
    if (['assignment', 'augmented_assignment', 'for_statement', 'for_in_clause', 'named_expression'].includes(parent.type) && (parent.childForFieldName('left') ?? parent.childForFieldName('name'))?.id === ref.id) return [];
  }
  // Indenting the lines of a multi-line string would change its value.
  if (context.find('string').some((s) => s.startIndex > statement.endIndex && s.endIndex < close.startIndex && s.startPosition.row !== s.endPosition.row)) return [];
  const lineStart = (index: number) => text.lastIndexOf('\n', index - 1) + 1;
  const lineEnd = (index: number) => {
    const end = text.indexOf('\n', index);
    return end < 0 ? text.length : end;
  };
  const indent = text.slice(lineStart(statement.startIndex), statement.startIndex);
  if (/\S/.test(indent) || /\S/.test(text.slice(lineStart(close.startIndex), close.startIndex)) || /\S/.test(text.slice(close.endIndex, lineEnd(close.endIndex)))) return [];
  const header = statement.parent?.parent;
  const outer = header ? text.slice(lineStart(header.startIndex), header.startIndex).match(/^\s*/)?.[0] ?? '' : '';
  const step = indent.startsWith(outer) && indent.length > outer.length ? indent.slice(outer.length) : indent.includes('\t') ? '\t' : '    ';
  const afterHeader = text.slice(statement.endIndex, lineEnd(statement.endIndex));
  const bodyStart = lineEnd(statement.endIndex) + 1;
  const body = text
    .slice(bodyStart, lineStart(close.startIndex))
    .split('\n')
    .map((line) => (line.trim() ? step + line : line))
    .join('\n');
  const end = Math.min(lineEnd(close.endIndex) + 1, text.length);
  return [
    {
      title: 'Use a with statement',
      edits: [{ at: { startIndex: statement.startIndex, endIndex: end }, newText: `with ${call.text} as ${variable.text}:${afterHeader}\n${body}` }],
    },
  ];
}

function compactText(text: string): string {
  return text.replace(/\s+/g, '');
}
