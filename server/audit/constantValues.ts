// The constant string an argument stands for, if the code fixes it: a literal, a name declared
// once with a literal in an enclosing scope (one level: `BUCKET = "orders"`, `const BUCKET =
// 'orders'`, `static final String BUCKET = "orders"`), or the default of an environment lookup —
// deployed code names its resources through the environment, and the default is the name the
// developer reads: `os.environ.get("TABLE", "orders")`, `process.env.TABLE ?? 'orders'`,
// `System.getenv().getOrDefault("TABLE", "orders")`.
import { callSite, compact } from '../review/calls';
import type { ReviewLanguage } from '../review/languages';
import type { Node } from '../review/parser';
import { hasInterpolation, isStringLiteral, stringValue } from '../review/syntax';

/** Nodes whose direct statements declare names visible inside them (as in names.ts). */
const scopeTypes = new Set(['module', 'block', 'program', 'statement_block', 'class_body', 'interface_body']);

/** Function nodes, whose parameters shadow names declared further out. */
const functionTypes = new Set([
  'function_definition', 'lambda', 'method_declaration', 'constructor_declaration', 'lambda_expression',
  'function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function_declaration', 'generator_function',
]);

/**
 * Constants of one document. This answers what names.ts's `declaredValue` answers — the value a
 * name is declared with in its nearest enclosing scope, none when declared twice or shadowed by a
 * parameter — but indexes each scope's declarations once, where `declaredValue` reads the scope
 * again for every name it is asked: a file with hundreds of calls would read its module hundreds
 * of times.
 */
export class ConstantResolver {
  private readonly scopes = new Map<number, Map<string, Node[]>>();
  private readonly parameters = new Map<number, string>();
  private readonly assigned = new Map<string, boolean>();

  constructor(private readonly language: ReviewLanguage, private readonly text: string) {}

  value(node: Node | undefined): string | undefined {
    if (!node) return undefined;
    const direct = this.literalOrDefault(node);
    if (direct !== undefined) return direct;
    const declaration = this.declaration(node);
    return declaration ? this.literalOrDefault(declaration) : undefined;
  }

  /** The expression a name (or Java `this.field`) is declared with in its nearest enclosing scope. */
  declaration(reference: Node): Node | undefined {
    const name = reference.type === 'identifier' ? reference.text : reference.type === 'field_access' && reference.childForFieldName('object')?.type === 'this' ? reference.childForFieldName('field')?.text : undefined;
    if (!name || !this.isAssignedSomewhere(name)) return undefined;
    const word = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`);
    for (let scope = reference.parent; scope; scope = scope.parent) {
      if (functionTypes.has(scope.type) && word.test(this.parametersOf(scope))) return undefined;
      if (!scopeTypes.has(scope.type)) continue;
      const values = this.declarationsIn(scope).get(name);
      if (values) return values.length === 1 ? values[0] : undefined;
    }
    return undefined;
  }

  private parametersOf(fn: Node): string {
    let text = this.parameters.get(fn.id);
    if (text === undefined) {
      text = (fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter'))?.text ?? '';
      this.parameters.set(fn.id, text);
    }
    return text;
  }

  private declarationsIn(scope: Node): Map<string, Node[]> {
    let declarations = this.scopes.get(scope.id);
    if (!declarations) {
      declarations = new Map();
      for (const statement of scope.namedChildren) if (statement) collectBindings(statement, declarations);
      this.scopes.set(scope.id, declarations);
    }
    return declarations;
  }

  /** A name the text never assigns (`name =`, `name: str =`) has no declaration: one native search instead of a walk. */
  private isAssignedSomewhere(name: string): boolean {
    let known = this.assigned.get(name);
    if (known === undefined) {
      const escaped = name.replace(/\$/g, '\\$');
      known = new RegExp(`(?<![\\w$])${escaped}(?![\\w$])[^=\\n;]*=(?!=)`).test(this.text);
      this.assigned.set(name, known);
    }
    return known;
  }

  private literalOrDefault(node: Node): string | undefined {
    const value = node.type === 'parenthesized_expression' ? node.namedChildren.find((c) => c && c.type !== 'comment') : node;
    if (!value) return undefined;
    if (isStringLiteral(this.language, value)) return hasInterpolation(value) ? undefined : stringValue(value).value;
    const fallback = environmentDefault(this.language, value);
    return fallback && isStringLiteral(this.language, fallback) && !hasInterpolation(fallback) ? stringValue(fallback).value : undefined;
  }
}

/** The default argument of an environment lookup, unresolved. */
function environmentDefault(language: ReviewLanguage, node: Node): Node | undefined {
  switch (language) {
    case 'python': {
      if (node.type !== 'call') return undefined;
      const site = callSite(node);
      if (!site || !/^(os\.environ\.get|os\.getenv|environ\.get|getenv)$/.test(site.callee)) return undefined;
      return site.args[1] ?? site.keywords.get('default');
    }
    case 'javascript':
    case 'typescript': {
      if (node.type !== 'binary_expression') return undefined;
      const operator = node.childForFieldName('operator')?.text;
      const left = node.childForFieldName('left');
      if ((operator !== '??' && operator !== '||') || !left || !/^process\.env[.[]/.test(compact(left.text))) return undefined;
      return node.childForFieldName('right') ?? undefined;
    }
    case 'java': {
      if (node.type !== 'method_invocation') return undefined;
      const site = callSite(node);
      if (!site || site.name !== 'getOrDefault' || !/^System\.getenv\(\)$/.test(site.receiver ? compact(site.receiver.text) : '')) return undefined;
      return site.args[1];
    }
  }
}

function bind(declarations: Map<string, Node[]>, name: string | undefined, value: Node): void {
  if (!name) return;
  const values = declarations.get(name);
  if (values) values.push(value);
  else declarations.set(name, [value]);
}

/** Every name a statement binds, with its value; a declaration without a value still binds (names.ts `bindings`). */
function collectBindings(statement: Node, declarations: Map<string, Node[]>): void {
  switch (statement.type) {
    case 'expression_statement':
      for (const child of statement.namedChildren) if (child) collectBindings(child, declarations);
      return;
    case 'export_statement': {
      const declaration = statement.childForFieldName('declaration');
      if (declaration) collectBindings(declaration, declarations);
      return;
    }
    case 'assignment':
    case 'assignment_expression': {
      const left = statement.childForFieldName('left');
      if (left?.type === 'identifier') bind(declarations, left.text, statement.childForFieldName('right') ?? left);
      return;
    }
    case 'local_variable_declaration':
    case 'field_declaration':
    case 'constant_declaration':
    case 'lexical_declaration':
    case 'variable_declaration':
      for (const declarator of statement.namedChildren) {
        if (declarator?.type === 'variable_declarator') bind(declarations, declarator.childForFieldName('name')?.text, declarator.childForFieldName('value') ?? declarator);
      }
      return;
    case 'public_field_definition':
    case 'field_definition': {
      const key = statement.childForFieldName('name') ?? statement.childForFieldName('property');
      bind(declarations, key?.text, statement.childForFieldName('value') ?? statement);
      return;
    }
  }
}
