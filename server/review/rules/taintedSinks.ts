// What the injection rules (SQL, OS command, code, path traversal, SSRF, log) share: which module a
// callee comes from, what a variable was last set to, the constant text an expression starts with,
// and reporting a tainted sink argument once, with the place the untrusted data came from.
import type { CallSite } from '../calls';
import type { TaintSource } from '../dataflow/taint';
import type { Node, Tree } from '../parser';
import type { Fix, RuleContext } from '../rule';
import { isStringLiteral, stringValue } from '../syntax';

export interface TaintedArgument {
  call: CallSite;
  /** The argument that carries the untrusted data; the finding is reported here. */
  at: Node;
  source: TaintSource;
}

/** The first of `nodes` that carries untrusted data, as a hit on `call`. */
export function taintedAmong(context: RuleContext, call: CallSite, nodes: readonly (Node | null | undefined)[]): TaintedArgument | undefined {
  for (const node of nodes) {
    const source = node ? context.taint().sourceOf(node) : undefined;
    if (node && source) return { call, at: node, source };
  }
  return undefined;
}

/**
 * Reports every hit at its argument, with the source as related information. A hit whose argument
 * is built from another hit's call, directly (`new FileInputStream(new File(dir, name))`) or through
 * a variable, is the same flaw seen twice and only the inner call is reported.
 */
export function reportTainted(context: RuleContext, hits: readonly TaintedArgument[], describe: (hit: TaintedArgument) => string, fixes?: (hit: TaintedArgument) => Fix[]): void {
  const reported = new Set<number>();
  for (const hit of hits) {
    if (reported.has(hit.at.id)) continue;
    const built = expressionsBehind(context, hit.at);
    if (hits.some((other) => other !== hit && other.call.node.id !== hit.call.node.id && built.some((e) => within(other.call.node, e)))) continue;
    reported.add(hit.at.id);
    context.report(hit.at, describe(hit), {
      related: [{ at: hit.source.node, message: `untrusted data enters here: ${hit.source.description}` }],
      fixes: fixes?.(hit),
    });
  }
}

/** The sink's name as a message shows it: `cursor.execute()`, `new File()`. */
export function sinkName(call: CallSite): string {
  const callee = call.callee.length > 40 ? call.name : call.callee;
  return call.isConstructor ? `new ${callee}()` : `${callee}()`;
}

/** `e` and, for an identifier, the value it was last assigned: what an argument is built from. */
function expressionsBehind(context: RuleContext, e: Node): Node[] {
  const value = e.type === 'identifier' ? assignedValue(context, e) : undefined;
  return value ? [e, value] : [e];
}

function within(inner: Node, outer: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

const assignmentTypes = {
  python: ['assignment'],
  java: ['variable_declarator', 'assignment_expression'],
  javascript: ['variable_declarator', 'assignment_expression'],
  typescript: ['variable_declarator', 'assignment_expression'],
} as const;

/** The value last assigned in the unit to the variable `identifier` reads, before the read; undefined if none. */
export function assignedValue(context: RuleContext, identifier: Node): Node | undefined {
  let found: Node | undefined;
  for (const node of context.find(...assignmentTypes[context.language])) {
    const target = node.childForFieldName('name') ?? node.childForFieldName('left');
    const value = node.childForFieldName('value') ?? node.childForFieldName('right');
    if (!value || target?.text !== identifier.text || value.endIndex > identifier.startIndex) continue;
    if (!found || value.startIndex > found.startIndex) found = value;
  }
  return found;
}

/**
 * The constant text an expression certainly starts with, and whether that is all of it:
 * `"https://api/" + p` → `https://api/`, `f"SELECT {c}"` → `SELECT `, a variable → what it was set to.
 */
export function leadingText(context: RuleContext, node: Node, hops = 0): { text: string; complete: boolean } {
  const none = { text: '', complete: false };
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
      return inner ? leadingText(context, inner, hops) : none;
    }
    case 'identifier': {
      // Following a few variables is enough for real code and ends `a = a + x` chains.
      const value = hops < 3 ? assignedValue(context, node) : undefined;
      return value ? leadingText(context, value, hops + 1) : none;
    }
    case 'binary_operator':
    case 'binary_expression': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const operator = node.childForFieldName('operator')?.text;
      if (!left || !right) return none;
      const head = leadingText(context, left, hops);
      if (operator === '%') return { text: head.text.split('%')[0], complete: false };
      if (operator !== '+' || !head.complete) return { text: head.text, complete: false };
      const tail = leadingText(context, right, hops);
      return { text: head.text + tail.text, complete: tail.complete };
    }
    case 'call':
    case 'call_expression': {
      // `"https://{}/x".format(host)`: the template up to its first placeholder.
      const fn = node.childForFieldName('function');
      const object = fn?.childForFieldName('object');
      if (fn?.childForFieldName('attribute')?.text === 'format' && object && isStringLiteral(context.language, object)) {
        return { text: stringValue(object).value.split('{')[0], complete: false };
      }
      return none;
    }
  }
  if (!isStringLiteral(context.language, node)) return none;
  let text = '';
  for (const part of node.namedChildren) {
    if (!part) continue;
    if (part.type === 'interpolation' || part.type === 'template_substitution') return { text, complete: false };
    if (part.type === 'string_content' || part.type === 'string_fragment' || part.type === 'escape_sequence') text += part.text;
  }
  return { text: node.namedChildren.some((c) => c?.type === 'string_content' || c?.type === 'string_fragment') ? text : stringValue(node).value, complete: true };
}

/** A new text gets a new tree (the old one is edited only to seed the reparse), so a tree's imports are read once for all its units and rules. */
const importsByTree = new WeakMap<Tree, Map<string, string>>();

/**
 * Local names bound by imports at the top of the file, mapped to what they name:
 * `import subprocess as sp` → sp: subprocess, `from os import system` → system: os.system,
 * `const { exec } = require('node:child_process')` → exec: child_process.exec.
 */
export function importedNames(context: RuleContext): ReadonlyMap<string, string> {
  const known = importsByTree.get(context.tree);
  if (known) return known;
  const names = new Map<string, string>();
  importsByTree.set(context.tree, names);
  const bind = (local: string | undefined, target: string) => {
    if (local) names.set(local, target.replace(/^node:/, ''));
  };
  for (const statement of context.tree.rootNode.namedChildren) {
    if (!statement) continue;
    switch (statement.type) {
      case 'import_statement':
        if (context.language === 'python') {
          for (const name of statement.childrenForFieldName('name')) {
            if (name?.type === 'aliased_import') bind(name.childForFieldName('alias')?.text, name.childForFieldName('name')?.text ?? '');
            else if (name) bind(name.text.split('.')[0], name.text.split('.')[0]);
          }
        } else {
          const module = statement.childForFieldName('source');
          if (module) bindJsImport(statement, stringValue(module).value, bind);
        }
        break;
      case 'import_from_statement': {
        const module = statement.childForFieldName('module_name')?.text ?? '';
        for (const name of statement.childrenForFieldName('name')) {
          if (name?.type === 'aliased_import') bind(name.childForFieldName('alias')?.text, `${module}.${name.childForFieldName('name')?.text}`);
          else if (name) bind(name.text, `${module}.${name.text}`);
        }
        break;
      }
      case 'lexical_declaration':
      case 'variable_declaration':
        for (const declarator of statement.namedChildren) {
          if (declarator?.type === 'variable_declarator') bindRequire(declarator, bind);
        }
        break;
    }
  }
  return names;
}

function bindJsImport(statement: Node, module: string, bind: (local: string | undefined, target: string) => void): void {
  const clause = statement.namedChildren.find((c) => c?.type === 'import_clause');
  for (const part of clause?.namedChildren ?? []) {
    if (!part) continue;
    if (part.type === 'identifier') bind(part.text, module);
    else if (part.type === 'namespace_import') bind(part.namedChildren.find((c) => c?.type === 'identifier')?.text, module);
    else if (part.type === 'named_imports') {
      for (const specifier of part.namedChildren) {
        const name = specifier?.childForFieldName('name')?.text;
        if (name) bind(specifier?.childForFieldName('alias')?.text ?? name, `${module}.${name}`);
      }
    }
  }
}

/** `const x = require('m')`, `const { a, b: c } = require('m')`, `const a = require('m').a`. */
function bindRequire(declarator: Node, bind: (local: string | undefined, target: string) => void): void {
  const name = declarator.childForFieldName('name');
  let value = declarator.childForFieldName('value');
  let member = '';
  if (value?.type === 'member_expression') {
    member = `.${value.childForFieldName('property')?.text}`;
    value = value.childForFieldName('object');
  }
  if (!name || value?.type !== 'call_expression' || value.childForFieldName('function')?.text !== 'require') return;
  const module = value.childForFieldName('arguments')?.namedChildren[0];
  if (module?.type !== 'string') return;
  const target = stringValue(module).value + member;
  if (name.type === 'identifier') bind(name.text, target);
  else if (name.type === 'object_pattern') {
    for (const property of name.namedChildren) {
      if (property?.type === 'shorthand_property_identifier_pattern') bind(property.text, `${target}.${property.text}`);
      else if (property?.type === 'pair_pattern') bind(property.childForFieldName('value')?.text, `${target}.${property.childForFieldName('key')?.text}`);
    }
  }
}

/** The callee with its first segment replaced by what it was imported as: `sp.run` → `subprocess.run`. */
export function qualifiedCallee(imports: ReadonlyMap<string, string>, call: CallSite): string {
  const callee = call.callee.replace(/^new\s*/, '');
  const dot = callee.indexOf('.');
  const head = dot < 0 ? callee : callee.slice(0, dot);
  const target = imports.get(head);
  return target ? target + callee.slice(head.length) : callee;
}

/** Whether the file imports `module` or something under it. */
export function importsModule(imports: ReadonlyMap<string, string>, module: string): boolean {
  for (const target of imports.values()) if (target === module || target.startsWith(`${module}.`) || target.startsWith(`${module}/`)) return true;
  return false;
}
