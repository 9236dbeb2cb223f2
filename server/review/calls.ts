// Call sites in every grammar as one shape: what is called, on what, with which arguments.
import type { ReviewLanguage } from './languages';
import type { Node } from './parser';
import type { NodeIndex } from './units';

export interface CallSite {
  node: Node;
  /** The callee with whitespace removed: `cursor.execute`, `Runtime.getRuntime().exec`, `Cipher.getInstance`. */
  callee: string;
  /** The last segment of the callee: `execute`, `exec`, `getInstance`; the class for constructors. */
  name: string;
  /** The object the method is called on, if any. */
  receiver: Node | undefined;
  /** Positional arguments in order (Python keyword arguments are not among them). */
  args: Node[];
  /** Python keyword arguments by name. */
  keywords: Map<string, Node>;
  isConstructor: boolean;
}

const callTypes: Record<ReviewLanguage, readonly string[]> = {
  python: ['call'],
  java: ['method_invocation', 'object_creation_expression'],
  javascript: ['call_expression', 'new_expression'],
  typescript: ['call_expression', 'new_expression'],
};

export function callsIn(language: ReviewLanguage, index: NodeIndex): CallSite[] {
  return index.find(...callTypes[language]).flatMap((node) => {
    const site = callSite(node);
    return site ? [site] : [];
  });
}

export function isCall(language: ReviewLanguage, node: Node): boolean {
  return callTypes[language].includes(node.type);
}

export function callSite(node: Node): CallSite | undefined {
  switch (node.type) {
    case 'call': {
      const fn = node.childForFieldName('function');
      if (!fn) return undefined;
      return build(node, fn, fn.type === 'attribute' ? fn.childForFieldName('object') : null, node.childForFieldName('arguments'), false);
    }
    case 'call_expression': {
      const fn = node.childForFieldName('function');
      if (!fn) return undefined;
      return build(node, fn, fn.type === 'member_expression' ? fn.childForFieldName('object') : null, node.childForFieldName('arguments'), false);
    }
    case 'new_expression': {
      const ctor = node.childForFieldName('constructor');
      return ctor ? build(node, ctor, null, node.childForFieldName('arguments'), true) : undefined;
    }
    case 'method_invocation': {
      const name = node.childForFieldName('name');
      if (!name) return undefined;
      const object = node.childForFieldName('object');
      const site = build(node, name, object, node.childForFieldName('arguments'), false);
      site.callee = object && object.endIndex - object.startIndex <= maxCalleeLength ? `${compact(object.text)}.${name.text}` : object ? `….${name.text}` : name.text;
      return site;
    }
    case 'object_creation_expression': {
      const type = node.childForFieldName('type');
      return type ? build(node, type, null, node.childForFieldName('arguments'), true) : undefined;
    }
    default:
      return undefined;
  }
}

function build(node: Node, callee: Node, receiver: Node | null, argumentList: Node | null, isConstructor: boolean): CallSite {
  const args: Node[] = [];
  const keywords = new Map<string, Node>();
  for (const arg of argumentList?.namedChildren ?? []) {
    if (!arg || arg.type === 'comment') continue;
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name');
      const value = arg.childForFieldName('value');
      if (name && value) keywords.set(name.text, value);
    } else {
      args.push(arg);
    }
  }
  // A callee can be a whole function expression (an IIFE) or a long builder chain: never compact
  // kilobytes of text per call; no rule matches such a callee by text anyway.
  const text = callee.endIndex - callee.startIndex > maxCalleeLength ? undefined : compact(callee.text);
  const name = lastSegment(callee) ?? (text ? (text.replace(/<.*>$/, '').split('.').pop() ?? text) : '');
  return { node, callee: text ?? `…${name}`, name, receiver: receiver ?? undefined, args, keywords, isConstructor };
}

const maxCalleeLength = 256;

/** The called name from the syntax: `b` of `a.b`, `File` of `java.io.File`, `List` of `List<String>`. */
function lastSegment(callee: Node): string | undefined {
  switch (callee.type) {
    case 'identifier':
    case 'type_identifier':
      return callee.text;
    case 'attribute':
      return callee.childForFieldName('attribute')?.text;
    case 'member_expression':
      return callee.childForFieldName('property')?.text;
    case 'scoped_type_identifier':
    case 'scoped_identifier':
      return callee.childForFieldName('name')?.text ?? callee.lastNamedChild?.text;
    case 'generic_type': {
      const inner = callee.firstNamedChild;
      return inner ? lastSegment(inner) : undefined;
    }
    default:
      return undefined;
  }
}

/** Removes whitespace and comments-free line breaks so `a\n  .b` and `a.b` compare equal. */
export function compact(text: string): string {
  return text.replace(/\s+/g, '');
}

/** The value of a property in an object literal argument: `{ Bucket: x }` → x (JavaScript/TypeScript). */
export function objectProperty(object: Node | undefined, name: string): Node | undefined {
  if (!object || object.type !== 'object') return undefined;
  for (const pair of object.namedChildren) {
    if (!pair) continue;
    if (pair.type === 'pair') {
      const key = pair.childForFieldName('key');
      const keyText = key?.type === 'string' ? key.text.slice(1, -1) : key?.text;
      if (keyText === name) return pair.childForFieldName('value') ?? undefined;
    } else if (pair.type === 'shorthand_property_identifier' && pair.text === name) {
      return pair;
    }
  }
  return undefined;
}
