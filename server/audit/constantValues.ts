// The constant string an argument stands for, if the code fixes it: a literal, a name declared
// once with a literal in an enclosing scope (one level: `BUCKET = "orders"`, `const BUCKET =
// 'orders'`, `static final String BUCKET = "orders"`), or the default of an environment lookup —
// deployed code names its resources through the environment, and the default is the name the
// developer reads: `os.environ.get("TABLE", "orders")`, `process.env.TABLE ?? 'orders'`,
// `System.getenv().getOrDefault("TABLE", "orders")`.
import { callSite, compact } from '../review/calls';
import type { ReviewLanguage } from '../review/languages';
import { declaredValue } from '../review/names';
import type { Node } from '../review/parser';
import { hasInterpolation, isStringLiteral, stringValue } from '../review/syntax';

/**
 * Nodes at which names.ts's `declaredValue` stops or looks for declarations: below the nearest
 * one, nothing can change the answer, so it is remembered per (that node, name).
 */
const anchorTypes = new Set([
  'module', 'block', 'program', 'statement_block', 'class_body', 'interface_body',
  'function_definition', 'lambda', 'method_declaration', 'constructor_declaration', 'lambda_expression',
  'function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function_declaration', 'generator_function',
]);

/** Constants of one document; declarations are looked up once per scope and name. */
export class ConstantResolver {
  private readonly declared = new Map<string, Node | null>();
  private readonly assigned = new Map<string, boolean>();

  constructor(private readonly language: ReviewLanguage, private readonly text: string) {}

  value(node: Node | undefined): string | undefined {
    if (!node) return undefined;
    const direct = this.literalOrDefault(node);
    if (direct !== undefined) return direct;
    const declaration = this.declaration(node);
    return declaration ? this.literalOrDefault(declaration) : undefined;
  }

  private declaration(reference: Node): Node | undefined {
    const name = reference.type === 'identifier' ? reference.text : reference.type === 'field_access' && reference.childForFieldName('object')?.type === 'this' ? reference.childForFieldName('field')?.text : undefined;
    if (!name || !this.isAssignedSomewhere(name)) return undefined;
    let anchor = reference.parent;
    while (anchor && !anchorTypes.has(anchor.type)) anchor = anchor.parent;
    if (!anchor) return declaredValue(reference);
    const key = `${anchor.id}\u0000${name}`;
    let found = this.declared.get(key);
    if (found === undefined) {
      found = declaredValue(reference) ?? null;
      this.declared.set(key, found);
    }
    return found ?? undefined;
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
