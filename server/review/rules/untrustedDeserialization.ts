// Deserializers that can instantiate arbitrary types or run code while loading: pickle and its
// relatives, PyYAML's unsafe loaders, Java serialization, XMLDecoder, XStream without an allow-list,
// SnakeYAML's default constructor, Jackson default typing, node-serialize and js-yaml's full schema.
// Like CodeGuru, the rule reports them whatever the input; where taint tracking shows the input is
// attacker-controlled, the finding points at the source and says it is remote code execution.
import type { CallSite } from '../calls';
import { compact, objectProperty } from '../calls';
import { declaredValue, documentMentions, moduleImports, qualify } from '../names';
import type { Node } from '../parser';
import type { Fix, Rule, RuleContext, TextRange } from '../rule';

/** Python loaders that run code from the data, by qualified callee. */
const pythonLoaders = /^(?:c?[pP]ickle|_pickle|dill|cloudpickle)\.(?:loads?|Unpickler)$|^shelve\.open$|^jsonpickle\.decode$|^marshal\.loads?$|^(?:pandas|joblib)\.(?:read_pickle|load)$/;

/**
 * PyYAML loaders other than the safe ones. PyYAML recommends only SafeLoader for untrusted input;
 * FullLoader still builds Python objects and allowed code execution until 5.4 (CVE-2020-1747,
 * CVE-2020-14343), so it is reported too.
 */
const unsafeYamlLoader = /(?:^|\.)(?:Loader|UnsafeLoader|CLoader|CUnsafeLoader|FullLoader)$/;

/** XStream calls that install an allow-list (or the 1.4.18+ default security). */
const xstreamAllowList = /\.(?:allowTypes|allowTypesByWildcard|allowTypesByRegExp|allowTypeHierarchy|addPermission|setupDefaultSecurity)\s*\(/;

export const untrustedDeserialization: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'untrusted-deserialization',
    title: 'Deserialization that can run code',
    category: 'security',
    severity: 'warning',
    cwe: 502,
    why:
      'Formats that record types, such as pickle, Java serialization, XMLDecoder, XStream, YAML with language ' +
      'tags and node-serialize, let whoever wrote the data choose which classes are instantiated and which ' +
      'methods run while it is read: a crafted payload runs code on your host (Java gadget chains, ' +
      '`!!python/object/apply:os.system`). Exchange data as JSON or with a plain YAML loader (`yaml.safe_load`, ' +
      '`new Yaml(new SafeConstructor(...))`); if you must deserialize objects, do it only with data you produced ' +
      'and authenticated (an HMAC), with an allow-list of classes (ObjectInputFilter, XStream.allowTypes).',
    examples: {
      python: {
        noncompliant: 'config = yaml.load(request.data)',
        compliant: 'config = yaml.safe_load(request.data)',
      },
      java: {
        noncompliant: 'Object order = new ObjectInputStream(request.getInputStream()).readObject();',
        compliant: 'Order order = objectMapper.readValue(request.getInputStream(), Order.class);',
      },
      javascript: {
        noncompliant: "const session = serialize.unserialize(Buffer.from(req.cookies.session, 'base64').toString());",
        compliant: "const session = JSON.parse(Buffer.from(req.cookies.session, 'base64').toString());",
      },
      typescript: {
        noncompliant: 'const doc = yaml.load(body, { schema: yaml.DEFAULT_FULL_SCHEMA });',
        compliant: 'const doc = yaml.load(body); // js-yaml 4: the default schema is safe',
      },
    },
  },
  check(context: RuleContext) {
    if (!documentMentions(context.tree, context.text, /pickle|dill|shelve|marshal|yaml|torch|numpy|joblib|pandas|ObjectInputStream|XMLDecoder|fromXML|DefaultTyping|serialize/i)) return;
    if (context.language === 'python') checkPython(context);
    else if (context.language === 'java') checkJava(context);
    else checkJavaScript(context);
  },
};

/** Reports `at`, naming the taint source of `data` if there is one. */
function report(context: RuleContext, at: TextRange, what: string, data: Node | undefined, instead: string, fixes?: Fix[]): void {
  const source = data ? context.taint().sourceOf(data) : undefined;
  if (source) {
    context.report(at, `Remote code execution risk: ${what} deserializes ${source.description}, so an attacker chooses what code runs; ${instead}.`, {
      related: [{ at: source.node, message: `Untrusted data enters here (${source.description}).` }],
      fixes,
    });
  } else {
    context.report(at, `${what} runs code chosen by whoever wrote the data: unless you produced and authenticated it (an HMAC), ${instead}.`, { fixes });
  }
}

function checkPython(context: RuleContext): void {
  const imports = moduleImports(context.tree.rootNode);
  for (const call of context.calls()) {
    const callee = qualify(imports, call.callee);
    // The callee node is needed only for a finding: reading it for every call costs a WASM crossing.
    const fn = () => call.node.childForFieldName('function')!;
    if (pythonLoaders.test(callee)) {
      report(context, fn(), `${call.callee}()`, call.args[0], 'exchange data as JSON');
    } else if (callee === 'torch.load' && call.keywords.get('weights_only')?.text !== 'True') {
      report(context, fn(), 'torch.load() without weights_only=True', call.args[0], 'pass weights_only=True');
    } else if (callee === 'numpy.load' && call.keywords.get('allow_pickle')?.text === 'True') {
      report(context, call.keywords.get('allow_pickle')!.parent!, 'numpy.load(allow_pickle=True)', call.args[0], 'save arrays without pickled objects');
    } else if (/^yaml\.(?:unsafe|full)_load(?:_all)?$/.test(callee)) {
      report(context, fn(), `${call.callee}()`, call.args[0], 'use yaml.safe_load', [renameFix(fn(), call.name.replace(/^(?:unsafe|full)_/, 'safe_'))]);
    } else if (/^yaml\.(?:load|load_all)$/.test(callee)) {
      checkYamlLoad(context, call, fn());
    }
  }
}

function checkYamlLoad(context: RuleContext, call: CallSite, fn: Node): void {
  const loader = call.keywords.get('Loader') ?? call.args[1];
  const safeName = call.name === 'load' ? 'safe_load' : 'safe_load_all';
  if (!loader) {
    const fix = renameFix(fn, safeName);
    report(context, fn, `${call.callee}() without a Loader (the full, object-constructing loader before PyYAML 5.1)`, call.args[0], `use yaml.${safeName}`, [fix]);
  } else if (unsafeYamlLoader.test(compact(loader.text))) {
    const fix: Fix = { title: 'Use yaml.SafeLoader', edits: [{ at: loader, newText: compact(loader.text).replace(/[A-Za-z]*Loader$/, 'SafeLoader') }] };
    report(context, loader, `${call.callee}() with ${compact(loader.text)}`, call.args[0], `use yaml.${safeName} or Loader=yaml.SafeLoader`, [fix]);
  }
}

/** Replaces the last segment of a callee: `yaml.load` → `yaml.safe_load`. */
function renameFix(fn: Node, name: string): Fix {
  const text = fn.text;
  const newText = text.slice(0, text.lastIndexOf('.') + 1) + name;
  return { title: `Use ${newText}`, edits: [{ at: fn, newText }] };
}

function checkJava(context: RuleContext): void {
  const calls = context.calls();
  const filtered = calls.some((c) => c.name === 'setObjectInputFilter');
  for (const call of calls) {
    if (call.isConstructor && call.name === 'ObjectInputStream' && !filtered) {
      report(context, call.node, 'ObjectInputStream', call.args[0], 'exchange data as JSON, or set an ObjectInputFilter that allows only the expected classes');
    } else if (call.isConstructor && call.name === 'XMLDecoder') {
      report(context, call.node, 'XMLDecoder', call.args[0], 'parse the XML with JAXB or Jackson into a known type');
    } else if (call.name === 'fromXML' && call.receiver && !xstreamAllowList.test(context.text)) {
      report(context, javaCallee(call), 'XStream without an allow-list', call.args[0], 'call xstream.allowTypes(...) with the expected classes first');
    } else if (/^load(?:All|As)?$/.test(call.name) && call.receiver && isDefaultYaml(call.receiver)) {
      report(context, javaCallee(call), 'SnakeYAML with the default Constructor (before SnakeYAML 2.0)', call.args[0], 'use new Yaml(new SafeConstructor(new LoaderOptions()))');
    } else if (call.name === 'enableDefaultTyping' || (call.name === 'activateDefaultTyping' && /LaissezFaireSubTypeValidator/.test(call.node.text))) {
      context.report(javaCallee(call), 'Jackson default typing lets the JSON name the class to instantiate, which gadget chains turn into code execution: bind to concrete types, or use a PolymorphicTypeValidator that allows only your classes.');
    }
  }
}

/** `new Yaml()` or `new Yaml(new Constructor(...))`, directly or through the variable or field it was stored in. */
function isDefaultYaml(receiver: Node): boolean {
  const created = receiver.type === 'object_creation_expression' ? receiver : declaredValue(receiver);
  if (created?.type !== 'object_creation_expression' || created.childForFieldName('type')?.text !== 'Yaml') return false;
  const args = created.childForFieldName('arguments')?.namedChildren.filter((a) => a !== null) ?? [];
  return args.length === 0 || /^new\s+Constructor\b/.test(args[0]!.text);
}

function javaCallee(call: CallSite): TextRange {
  const name = call.node.childForFieldName('name')!;
  return { startIndex: (call.receiver ?? name).startIndex, endIndex: name.endIndex };
}

function checkJavaScript(context: RuleContext): void {
  const imports = moduleImports(context.tree.rootNode);
  for (const call of context.calls()) {
    const callee = qualify(imports, call.callee);
    const fn = call.node.childForFieldName('function') ?? call.node;
    if (callee === 'node-serialize.unserialize') {
      report(context, fn, 'node-serialize unserialize()', call.args[0], 'exchange data as JSON (JSON.parse)');
    } else if (call.name === 'load' || call.name === 'loadAll') {
      const schema = objectProperty(call.args[call.args.length - 1], 'schema');
      if (schema && /(?:^|\.)DEFAULT_FULL_SCHEMA$/.test(compact(schema.text))) {
        report(context, schema.parent ?? schema, `js-yaml ${call.name}() with DEFAULT_FULL_SCHEMA`, call.args[0], 'use the default schema (js-yaml 4) or DEFAULT_SAFE_SCHEMA');
      }
    }
  }
}
