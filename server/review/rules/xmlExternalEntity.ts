// XML parsers that process DTDs and entities from the document. In Python, the standard library
// parsers (as Bandit B313–B320 and the Python documentation's "XML vulnerabilities" table say) and
// lxml without `resolve_entities=False`; defusedxml is the fix and is never reported. In Java, a
// parser factory created in a function that never turns DTDs or external entities off: the
// JDK's factories resolve external entities by default.
import type { CallSite } from '../calls';
import { compact } from '../calls';
import { constantString, declaredValue, documentMentions, moduleImports, qualify } from '../names';
import type { Node } from '../parser';
import type { Rule, RuleContext } from '../rule';

/** Python standard library parsers, by qualified callee. */
const stdlibParsers = /^xml\.(?:etree\.c?ElementTree\.(?:parse|fromstring|fromstringlist|XML|iterparse|XMLParser)|dom\.(?:minidom|pulldom)\.(?:parse|parseString)|sax\.(?:parse|parseString|make_parser))$/;

/** lxml functions that parse with the default parser unless given one. */
const lxmlParseFunctions = /^lxml\.etree\.(?:parse|fromstring|XML)$/;

/** lxml parser constructors, safe with `resolve_entities=False`. */
const lxmlParsers = /^lxml\.etree\.(?:XMLParser|XMLPullParser|iterparse)$/;

/** Java factory and parser creations, with the setting that makes each safe. */
const javaFactories: { creation: RegExp; fix: string }[] = [
  { creation: /(?:^|\.)(?:DocumentBuilderFactory|SAXParserFactory)\.new(?:Default)?(?:NS)?Instance$/, fix: 'setFeature("http://apache.org/xml/features/disallow-doctype-decl", true)' },
  { creation: /(?:^|\.)XMLInputFactory\.new(?:Default)?(?:Factory|Instance)$/, fix: 'setProperty(XMLInputFactory.SUPPORT_DTD, false)' },
  { creation: /(?:^|\.)(?:TransformerFactory|SAXTransformerFactory)\.new(?:Default)?Instance$/, fix: 'setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "") and ACCESS_EXTERNAL_STYLESHEET' },
  { creation: /(?:^|\.)SchemaFactory\.new(?:Default)?Instance$/, fix: 'setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "") and ACCESS_EXTERNAL_SCHEMA' },
  { creation: /(?:^|\.)XMLReaderFactory\.createXMLReader$|^(?:SAXReader|SAXBuilder)$/, fix: 'setFeature("http://apache.org/xml/features/disallow-doctype-decl", true)' },
];

/** Features that, set to `true`, stop DTDs or switch on the JDK's secure processing limits. */
const protectiveWhenTrue = /disallow-doctype-decl|FEATURE_SECURE_PROCESSING$|\/feature\/secure-processing$/;

/** Features and properties that, set to `false`, stop DTDs or external entities. */
const protectiveWhenFalse = /external-general-entities|external-parameter-entities|load-external-dtd|SUPPORT_DTD$|supportDTD$|IS_SUPPORTING_EXTERNAL_ENTITIES$|isSupportingExternalEntities$/;

/** Properties that, set to "", forbid fetching external DTDs, schemas and stylesheets. */
const protectiveWhenEmpty = /ACCESS_EXTERNAL_(?:DTD|SCHEMA|STYLESHEET)$|\/property\/accessExternal(?:DTD|Schema|Stylesheet)$/;

export const xmlExternalEntity: Rule = {
  languages: ['python', 'java'],
  meta: {
    name: 'xml-external-entity',
    title: 'XML parser open to external entities (XXE)',
    category: 'security',
    severity: 'warning',
    cwe: 611,
    why:
      'An XML document can declare entities that the parser replaces with the contents of a file or a URL ' +
      '(`<!ENTITY x SYSTEM "file:///etc/passwd">`) or with exponentially nested text ("billion laughs"). A parser ' +
      'that honours DTDs lets whoever wrote the document read local files, reach internal services and exhaust ' +
      'memory. In Python use defusedxml (or lxml with `resolve_entities=False, no_network=True`); in Java turn ' +
      'DTDs off on every factory: `disallow-doctype-decl`, `XMLInputFactory.SUPPORT_DTD` false, or empty ' +
      '`ACCESS_EXTERNAL_*` attributes for transformers and schemas.',
    examples: {
      python: {
        noncompliant: 'import xml.etree.ElementTree as ET\ntree = ET.fromstring(body)',
        compliant: 'import defusedxml.ElementTree as ET\ntree = ET.fromstring(body)',
      },
      java: {
        noncompliant: 'DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();\nDocument doc = factory.newDocumentBuilder().parse(input);',
        compliant:
          'DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();\n' +
          'factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);\n' +
          'Document doc = factory.newDocumentBuilder().parse(input);',
      },
    },
  },
  check(context: RuleContext) {
    if (!documentMentions(context.tree, context.text, /xml|etree|sax|Factory/i)) return;
    if (context.language === 'python') checkPython(context);
    else checkJava(context);
  },
};

function checkPython(context: RuleContext): void {
  const imports = moduleImports(context.tree.rootNode);
  for (const call of context.calls()) {
    const callee = qualify(imports, call.callee);
    // The callee node is needed only for a finding: reading it for every call costs a WASM crossing.
    const fn = () => call.node.childForFieldName('function')!;
    if (stdlibParsers.test(callee)) {
      context.report(fn(), `${callee} is not hardened against malicious XML (entity expansion, and external entities with older expat): use ${defusedName(callee)}.`);
    } else if (lxmlParseFunctions.test(callee) && !call.args[1] && !call.keywords.has('parser')) {
      context.report(fn(), `${call.callee} uses lxml's default parser, which resolves entities: pass etree.XMLParser(resolve_entities=False, no_network=True).`);
    } else if (lxmlParsers.test(callee) && !disablesEntities(call)) {
      context.report(fn(), `This lxml parser resolves entities: pass resolve_entities=False (and no_network=True).`);
    } else if (call.name === 'setFeature' && /(?:^|\.)feature_external_ges$/.test(call.args[0]?.text ?? '') && call.args[1]?.text === 'True') {
      context.report(call.node, 'Turning on feature_external_ges makes the SAX parser fetch external entities (XXE): leave it off, or parse with defusedxml.sax.');
    }
  }
}

/** defusedxml's drop-in for a standard library parser: `xml.dom.minidom.parse` → `defusedxml.minidom.parse`. */
function defusedName(callee: string): string {
  return callee.replace(/^xml\.(?:etree\.c?ElementTree|dom\.(minidom|pulldom)|(sax))/, (_, dom?: string, sax?: string) => `defusedxml.${dom ?? sax ?? 'ElementTree'}`);
}

function disablesEntities(call: CallSite): boolean {
  return call.keywords.get('resolve_entities')?.text === 'False';
}

function checkJava(context: RuleContext): void {
  const calls = context.calls();
  if (calls.some((call) => protects(context, call))) return;
  for (const call of calls) {
    const factory = javaFactories.find((f) => f.creation.test(call.callee));
    if (!factory) continue;
    const name = call.isConstructor ? call.name : call.callee.split('.').slice(-2, -1)[0];
    context.report(call.node, `${name} processes DTDs and external entities by default, and this function never turns them off (XXE): call ${factory.fix}.`);
  }
}

/** A `setFeature`/`setProperty`/`setAttribute` call that turns DTDs or external entities off. */
function protects(context: RuleContext, call: CallSite): boolean {
  if (!/^set(?:Feature|Property|Attribute)$/.test(call.name) || call.args.length !== 2) return false;
  const [key, value] = call.args;
  const name = constantString(context.language, key) ?? compact(key.text);
  const setting = settingValue(context, value);
  return (
    (protectiveWhenTrue.test(name) && setting === true) ||
    (protectiveWhenFalse.test(name) && setting === false) ||
    (protectiveWhenEmpty.test(name) && setting === '')
  );
}

function settingValue(context: RuleContext, value: Node): boolean | string | undefined {
  const text = compact(value.text);
  if (text === 'true' || text === 'Boolean.TRUE') return true;
  if (text === 'false' || text === 'Boolean.FALSE') return false;
  const declared = value.type === 'identifier' ? declaredValue(value) : undefined;
  if (declared?.type === 'true') return true;
  if (declared?.type === 'false') return false;
  return constantString(context.language, value);
}
