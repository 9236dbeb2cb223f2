// What names stand for: the words an identifier is made of, the constant a name was declared with,
// and the modules that imports bind names to. Every answer reads only the node's own unit and the
// module-level code around it, so it stays valid under the engine's per-unit findings cache.
import type { ReviewLanguage } from './languages';
import type { Node, Tree } from './parser';
import { hasInterpolation, isStringLiteral, stringValue } from './syntax';

/** `dbPassword` → db, password; `AWS_SECRET_KEY` → aws, secret, key; `x-api-key` → x, api, key. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Nodes whose direct statements declare names visible to everything nested inside them. */
const scopeTypes = new Set(['module', 'block', 'program', 'statement_block', 'class_body', 'interface_body']);

/** Function nodes, whose parameters shadow names declared further out. */
const functionTypes = new Set([
  'function_definition', 'lambda',
  'method_declaration', 'constructor_declaration', 'lambda_expression',
  'function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function_declaration', 'generator_function',
]);

/**
 * The expression a name is declared with in an enclosing scope: a local, a field or a module-level
 * constant. `ALGORITHM` in `Cipher.getInstance(ALGORITHM)` → the `"AES"` of
 * `static final String ALGORITHM = "AES";`. A name bound more than once in its scope, or shadowed by
 * a parameter, has no single value and gives undefined. Java's `this.field` is looked up as `field`.
 */
export function declaredValue(reference: Node): Node | undefined {
  const name = referencedName(reference);
  if (!name) return undefined;
  const word = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`);
  for (let scope = reference.parent; scope; scope = scope.parent) {
    if (functionTypes.has(scope.type) && word.test((scope.childForFieldName('parameters') ?? scope.childForFieldName('parameter'))?.text ?? '')) return undefined;
    if (!scopeTypes.has(scope.type)) continue;
    const values = scope.namedChildren.flatMap((statement) => (statement ? bindings(statement, name) : []));
    if (values.length > 0) return values.length === 1 ? values[0] : undefined;
  }
  return undefined;
}

function referencedName(reference: Node): string | undefined {
  if (reference.type === 'identifier') return reference.text;
  if (reference.type === 'field_access' && reference.childForFieldName('object')?.type === 'this') return reference.childForFieldName('field')?.text;
  return undefined;
}

/** The values `statement` binds to `name`; an assignment without a value still counts as a binding. */
function bindings(statement: Node, name: string): Node[] {
  switch (statement.type) {
    case 'expression_statement':
      return statement.namedChildren.flatMap((child) => (child ? bindings(child, name) : []));
    case 'export_statement': {
      const declaration = statement.childForFieldName('declaration');
      return declaration ? bindings(declaration, name) : [];
    }
    case 'assignment':
    case 'assignment_expression': {
      const left = statement.childForFieldName('left');
      const right = statement.childForFieldName('right');
      return left?.type === 'identifier' && left.text === name ? [right ?? left] : [];
    }
    case 'local_variable_declaration':
    case 'field_declaration':
    case 'constant_declaration':
    case 'lexical_declaration':
    case 'variable_declaration':
      return statement.namedChildren.flatMap((declarator) => {
        if (declarator?.type !== 'variable_declarator' || declarator.childForFieldName('name')?.text !== name) return [];
        return [declarator.childForFieldName('value') ?? declarator];
      });
    case 'public_field_definition':
    case 'field_definition': {
      const key = statement.childForFieldName('name') ?? statement.childForFieldName('property');
      return key?.text === name ? [statement.childForFieldName('value') ?? statement] : [];
    }
    default:
      return [];
  }
}

/** A string literal's value, or that of the literal a name is declared with (see `declaredValue`). */
export function constantString(language: ReviewLanguage, node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const literal = isStringLiteral(language, node) ? node : declaredValue(node);
  if (!literal || !isStringLiteral(language, literal) || hasInterpolation(literal)) return undefined;
  return stringValue(literal).value;
}

/**
 * What the module's top-level imports bind, local name → qualified name:
 * `import xml.etree.ElementTree as ET` → ET: xml.etree.ElementTree; `from lxml import etree` →
 * etree: lxml.etree; `const { createHash } = require('crypto')` → createHash: crypto.createHash;
 * `import * as yaml from 'js-yaml'` → yaml: js-yaml. Imports inside functions are not seen.
 */
export function moduleImports(root: Node): ReadonlyMap<string, string> {
  let imports = importsByTree.get(root.tree);
  if (!imports) {
    imports = collectImports(root);
    importsByTree.set(root.tree, imports);
  }
  return imports;
}

/** Every unit of a document asks for the same imports: collected once per tree. */
const importsByTree = new WeakMap<Tree, Map<string, string>>();

function collectImports(root: Node): Map<string, string> {
  const imports = new Map<string, string>();
  const visit = (statement: Node) => {
    switch (statement.type) {
      case 'import_statement':
        if (statement.childForFieldName('source')) addJsImport(imports, statement);
        else for (const name of statement.childrenForFieldName('name')) if (name) addPythonName(imports, name, '');
        return;
      case 'import_from_statement': {
        const module = statement.childForFieldName('module_name')?.text ?? '';
        for (const name of statement.childrenForFieldName('name')) if (name) addPythonName(imports, name, `${module}.`);
        return;
      }
      case 'lexical_declaration':
      case 'variable_declaration':
        for (const declarator of statement.namedChildren) if (declarator?.type === 'variable_declarator') addRequire(imports, declarator);
        return;
      case 'try_statement':
      case 'if_statement':
      case 'block':
      case 'except_clause':
      case 'else_clause':
        for (const child of statement.namedChildren) if (child) visit(child);
        return;
    }
  };
  for (const statement of root.namedChildren) if (statement) visit(statement);
  return imports;
}

/** `callee` with its first segment replaced by what the module imported under that name. */
export function qualify(imports: ReadonlyMap<string, string>, callee: string): string {
  const dot = callee.indexOf('.');
  const head = dot < 0 ? callee : callee.slice(0, dot);
  const target = imports.get(head);
  return target ? target + (dot < 0 ? '' : callee.slice(dot)) : callee;
}

function addPythonName(imports: Map<string, string>, name: Node, prefix: string): void {
  if (name.type === 'aliased_import') {
    const alias = name.childForFieldName('alias')?.text;
    const target = name.childForFieldName('name')?.text;
    if (alias && target) imports.set(alias, prefix + target);
  } else if (prefix) {
    imports.set(name.text, prefix + name.text);
  }
  // A plain `import a.b` binds `a` to itself: nothing to rewrite.
}

function addJsImport(imports: Map<string, string>, statement: Node): void {
  const source = statement.childForFieldName('source');
  const module = source ? stringValue(source).value : '';
  const clause = statement.namedChildren.find((c) => c?.type === 'import_clause');
  for (const part of clause?.namedChildren ?? []) {
    if (part?.type === 'identifier') imports.set(part.text, module);
    else if (part?.type === 'namespace_import') {
      const local = part.namedChildren.find((c) => c?.type === 'identifier');
      if (local) imports.set(local.text, module);
    } else if (part?.type === 'named_imports') {
      for (const specifier of part.namedChildren) {
        const name = specifier?.childForFieldName('name')?.text;
        const alias = specifier?.childForFieldName('alias')?.text;
        if (name) imports.set(alias ?? name, `${module}.${name}`);
      }
    }
  }
}

function addRequire(imports: Map<string, string>, declarator: Node): void {
  const value = declarator.childForFieldName('value');
  const argument = value?.type === 'call_expression' && value.childForFieldName('function')?.text === 'require' ? value.childForFieldName('arguments')?.namedChildren[0] : undefined;
  if (argument?.type !== 'string') return;
  const module = stringValue(argument).value;
  const target = declarator.childForFieldName('name');
  if (target?.type === 'identifier') imports.set(target.text, module);
  else if (target?.type === 'object_pattern') {
    for (const part of target.namedChildren) {
      if (part?.type === 'shorthand_property_identifier_pattern') imports.set(part.text, `${module}.${part.text}`);
      else if (part?.type === 'pair_pattern') {
        const key = part.childForFieldName('key')?.text;
        const local = part.childForFieldName('value');
        if (key && local?.type === 'identifier') imports.set(local.text, `${module}.${key}`);
      }
    }
  }
}

const mentionsByTree = new WeakMap<Tree, Map<string, boolean>>();

/**
 * Whether the document's text matches `pattern`, computed once per tree: a cheap first test that
 * lets a rule skip units of documents that never mention the APIs it looks for. The whole document
 * is a superset of the unit and its module-level context, so the test never changes a result.
 */
export function documentMentions(tree: Tree, text: string, pattern: RegExp): boolean {
  let known = mentionsByTree.get(tree);
  if (!known) mentionsByTree.set(tree, (known = new Map()));
  // Keyed by the pattern's text: a regular expression literal inside check() is a new object on
  // every call, and keying by object made every unit scan the whole document again.
  const key = `${pattern.flags}/${pattern.source}`;
  let found = known.get(key);
  if (found === undefined) known.set(key, (found = pattern.test(text)));
  return found;
}
