// Path traversal: an untrusted path, or a path joined from untrusted parts, opened, read, written,
// deleted or sent. Taking the base name (basename, secure_filename, getName) makes the value safe in
// the dataflow; a containment check earlier in the function (`if not path.startswith(BASE): abort()`,
// `'..' in name`, `target.startsWith(root)`) on a variable the path is built from silences the sink.
import { objectProperty, type CallSite } from '../calls';
import type { ReviewLanguage } from '../languages';
import type { Node } from '../parser';
import type { Rule, RuleContext } from '../rule';
import { isStringLiteral, stringValue } from '../syntax';
import { assignedValue, importedNames, qualifiedCallee, reportTainted, sinkName, taintedAmong, type TaintedArgument } from './taintedSinks';

const pythonFileCalls = /^((io|codecs|os)\.)?open$|^os\.(remove|unlink|rmdir|removedirs|makedirs|mkdir|listdir|scandir|chmod|chown|truncate)$|^shutil\.rmtree$|^flask\.send_file$|^send_file$|(^|\.)FileResponse$/;
const pythonTwoPathCalls = /^(shutil\.(copy|copy2|copyfile|copytree|move|copymode|copystat)|os\.(rename|renames|replace|link|symlink))$/;
const pythonPathMethods = /^(open|read_text|read_bytes|write_text|write_bytes|unlink|rmdir|mkdir|touch|iterdir|rename|replace)$/;

const javaFileTypes = /^(java\.io\.)?(File|FileInputStream|FileOutputStream|FileReader|FileWriter|RandomAccessFile|FileSystemResource|ZipFile)$/;
const javaFilesMethods = /^(readAllBytes|readAllLines|readString|lines|newInputStream|newOutputStream|newBufferedReader|newBufferedWriter|write|writeString|delete|deleteIfExists|createFile|createDirectory|createDirectories|list|walk|newByteChannel|copy|move)$/;

const jsFsMethods = /^(readFile|readFileSync|writeFile|writeFileSync|appendFile|appendFileSync|createReadStream|createWriteStream|unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|readdir|readdirSync|mkdir|mkdirSync|open|openSync|truncate|truncateSync|copyFile|copyFileSync|cp|cpSync|rename|renameSync|readJson|readJsonSync|outputFile|remove|removeSync)$/;
/** What fs is imported as, or, without an import in view, the names it usually goes by. */
const jsFsModules = /^(fs|fs\/promises|fs-extra|graceful-fs|fsp|fsPromises|fse)(\.promises)?$/;
const jsTwoPathMethods = /^(copyFile|copyFileSync|cp|cpSync|rename|renameSync)$/;

/** Checks that keep a path inside a directory: the receiver (or the arguments of commonpath) is what is checked. */
const containmentChecks = /^(startswith|startsWith|is_relative_to|relative_to|commonpath|includes|contains|indexOf)$/;

/** Module and class names that are not the variables a check is about. */
const notVariables: Record<ReviewLanguage, ReadonlySet<string>> = {
  python: new Set(['os', 'pathlib', 'Path', 'shutil', 'self']),
  java: new Set(['Paths', 'Path', 'Files', 'File', 'FilenameUtils', 'this']),
  javascript: new Set(['path', 'fs', 'process', 'this']),
  typescript: new Set(['path', 'fs', 'process', 'this']),
};

export const pathTraversal: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'path-traversal',
    title: 'Path traversal',
    category: 'security',
    severity: 'error',
    cwe: 22,
    why:
      'A file name taken from a request can contain `../` segments or be absolute, so joining it to an upload ' +
      'or download directory lets an attacker read, overwrite or delete any file the service can reach, ' +
      'such as credentials or source code. Reduce the value to a base name (secure_filename, basename, ' +
      'getFileName), or resolve the full path and refuse it unless it is still inside the intended directory.',
    examples: {
      python: {
        noncompliant: 'return send_file(os.path.join(UPLOAD_DIR, request.args["name"]))',
        compliant: 'return send_file(os.path.join(UPLOAD_DIR, secure_filename(request.args["name"])))',
      },
      java: {
        noncompliant: 'byte[] data = Files.readAllBytes(Paths.get(UPLOAD_DIR, request.getParameter("name")));',
        compliant:
          'Path file = uploads.resolve(request.getParameter("name")).normalize();\n' +
          'if (!file.startsWith(uploads)) throw new SecurityException("outside uploads");\nbyte[] data = Files.readAllBytes(file);',
      },
      javascript: {
        noncompliant: "fs.readFile(path.join(UPLOAD_DIR, req.query.name), callback);",
        compliant: "fs.readFile(path.join(UPLOAD_DIR, path.basename(req.query.name)), callback);",
      },
      typescript: {
        noncompliant: 'res.sendFile(path.join(UPLOAD_DIR, req.params.name));',
        compliant: 'res.sendFile(req.params.name, { root: UPLOAD_DIR });',
      },
    },
  },
  check(context: RuleContext) {
    const imports = importedNames(context);
    const guards = containmentGuards(context);
    const hits: TaintedArgument[] = [];
    for (const call of context.calls()) {
      const paths = pathArguments(context, call, qualifiedCallee(imports, call));
      const hit = paths.length > 0 ? taintedAmong(context, call, paths) : undefined;
      if (hit && !guarded(context, hit, guards)) hits.push(hit);
    }
    reportTainted(context, hits, (hit) => `Untrusted data from ${hit.source.description} is used as a file path by ${sinkName(hit.call)}; it can reach files outside the intended directory.`);
  },
};

/** The arguments of `call` that are file paths, if it opens, changes or sends a file. */
function pathArguments(context: RuleContext, call: CallSite, callee: string): (Node | undefined)[] {
  const [first, second] = call.args;
  switch (context.language) {
    case 'python':
      if (pythonFileCalls.test(callee)) return [first ?? call.keywords.get('file') ?? call.keywords.get('path')];
      if (/(^|\.)send_from_directory$/.test(callee)) return [first ?? call.keywords.get('directory')];
      if (pythonTwoPathCalls.test(callee)) return [first, second];
      if (call.receiver && pythonPathMethods.test(call.name) && isPathObject(context, call.receiver)) return [call.receiver];
      return [];
    case 'java':
      if (call.isConstructor && javaFileTypes.test(call.name)) return call.args;
      if (/^(Paths\.get|Path\.of)$/.test(call.callee)) return call.args;
      if (call.callee === 'ResourceUtils.getFile') return [first];
      if (call.receiver?.text === 'Files' && javaFilesMethods.test(call.name)) return /^(copy|move)$/.test(call.name) ? [first, second] : [first];
      if (call.name === 'resolve' && call.receiver && !call.isConstructor) return [first];
      return [];
    default: {
      const module = callee.endsWith(`.${call.name}`) ? callee.slice(0, -call.name.length - 1) : '';
      if (jsFsMethods.test(call.name) && jsFsModules.test(module)) return jsTwoPathMethods.test(call.name) ? [first, second] : [first];
      if (/^(res|response)$/.test(call.receiver?.text ?? '') && /^(sendFile|download)$/.test(call.name)) {
        // With a `root`, Express refuses paths that climb out of it.
        const options = call.args.find((a, i) => i > 0 && a.type === 'object');
        return objectProperty(options, 'root') ? [] : [first];
      }
      return [];
    }
  }
}

/** `Path(x)`, `BASE / name` (only paths divide), or a variable set to one. */
function isPathObject(context: RuleContext, receiver: Node): boolean {
  let value = receiver.type === 'identifier' ? assignedValue(context, receiver) : receiver;
  while (value?.type === 'parenthesized_expression') value = value.namedChildren.find((c) => c?.type !== 'comment') ?? undefined;
  if (!value) return false;
  return /(^|[^\w.])(pathlib\.)?(Pure)?Path\(/.test(value.text) || (value.type === 'binary_operator' && value.childForFieldName('operator')?.text === '/');
}

interface Guard {
  at: number;
  variables: Set<string>;
}

/** Containment checks in the unit and the variables each one is about. */
function containmentGuards(context: RuleContext): Guard[] {
  const guards: Guard[] = [];
  for (const call of context.calls()) {
    if (!containmentChecks.test(call.name)) continue;
    const dotDot = call.args.some((a) => isStringLiteral(context.language, a) && stringValue(a).value.includes('..'));
    if (/^(includes|contains|indexOf)$/.test(call.name) && !dotDot) continue;
    const checked = call.name === 'commonpath' ? call.args : call.receiver ? [call.receiver] : [];
    guards.push({ at: call.node.startIndex, variables: new Set(checked.flatMap((n) => variablesIn(context, n))) });
  }
  // Python: `if ".." in name`.
  for (const comparison of context.find('comparison_operator')) {
    const [left, right] = comparison.namedChildren;
    if (left && right && isStringLiteral(context.language, left) && stringValue(left).value.includes('..')) {
      guards.push({ at: comparison.startIndex, variables: new Set(variablesIn(context, right)) });
    }
  }
  return guards;
}

function guarded(context: RuleContext, hit: TaintedArgument, guards: readonly Guard[]): boolean {
  if (guards.length === 0) return false;
  const used = new Set(variablesIn(context, hit.at));
  if (hit.at.type === 'identifier') {
    const value = assignedValue(context, hit.at);
    if (value) for (const v of variablesIn(context, value)) used.add(v);
  }
  if (guards.some((g) => g.at < hit.call.node.startIndex && [...g.variables].some((v) => used.has(v)))) return true;
  // Java builds a Path or File first and checks it afterwards: `p = root.resolve(name).normalize(); if (!p.startsWith(root)) …`.
  const built = isPathConstruction(hit.call) ? assignedTo(hit.call.node) : undefined;
  return !!built && guards.some((g) => g.at > hit.call.node.startIndex && g.variables.has(built));
}

function isPathConstruction(call: CallSite): boolean {
  return (call.isConstructor && call.name === 'File') || /^(Paths\.get|Path\.of)$/.test(call.callee) || call.name === 'resolve';
}

/** The variable that receives the value of the statement `node` is in: `Path p = root.resolve(name).normalize()` → p. */
function assignedTo(node: Node): string | undefined {
  for (let n: Node | null = node; n; n = n.parent) {
    if (n.type === 'variable_declarator') return n.childForFieldName('name')?.text;
    if (n.type === 'assignment_expression') return n.childForFieldName('left')?.text;
    if (!/^(method_invocation|object_creation_expression|parenthesized_expression|cast_expression)$/.test(n.type)) return undefined;
  }
  return undefined;
}

/** The variables an expression reads: not the modules, functions and attributes it names. */
function variablesIn(context: RuleContext, node: Node): string[] {
  const skip = notVariables[context.language];
  const candidates = node.type === 'identifier' ? [node] : node.descendantsOfType('identifier').filter((n): n is Node => !!n);
  return candidates
    .filter((id) => {
      const parent = id.parent;
      if (skip.has(id.text) || !parent) return false;
      const field = (name: string) => parent.childForFieldName(name)?.id === id.id;
      if (parent.type === 'attribute' && field('attribute')) return false;
      if (parent.type === 'method_invocation' && field('name')) return false;
      if (parent.type === 'field_access' && field('field')) return false;
      return !((parent.type === 'call' || parent.type === 'call_expression') && field('function'));
    })
    .map((id) => id.text);
}
