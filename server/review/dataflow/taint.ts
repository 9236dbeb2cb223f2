// Intra-procedural taint tracking: which expressions in one unit carry data an attacker controls.
// Sources are request fields, handler parameters, input() and the like; taint moves through
// assignments, string concatenation, f-strings, template literals, format calls and any call that
// is not a known sanitizer; injection rules ask whether a sink's argument is tainted. It is
// deliberately simple (no aliasing, no inter-procedural flow) and errs towards reporting.
import { callSite, compact } from '../calls';
import type { ReviewLanguage } from '../languages';
import type { Node } from '../parser';
import type { NodeIndex, ReviewUnit } from '../units';
import { sourcePatterns, sanitizers, type SourcePattern } from './sources';

export interface TaintSource {
  /** Where the untrusted data entered: a parameter, `request.args`, `input()`… */
  node: Node;
  description: string;
}

const assignmentTypes: Record<ReviewLanguage, readonly string[]> = {
  python: ['assignment', 'augmented_assignment', 'named_expression', 'for_statement', 'for_in_clause'],
  java: ['variable_declarator', 'assignment_expression', 'enhanced_for_statement'],
  javascript: ['variable_declarator', 'assignment_expression', 'augmented_assignment_expression', 'for_in_statement'],
  typescript: ['variable_declarator', 'assignment_expression', 'augmented_assignment_expression', 'for_in_statement'],
};

/** Methods that put their argument into their receiver: `sb.append(x)`, `parts.push(x)`. */
const mutators = new Set(['append', 'add', 'push', 'put', 'insert', 'extend', 'write', 'unshift', 'concat', 'update', 'setdefault']);

/** Nodes that are code, not data: a function passed as a callback is not itself tainted. */
const opaqueTypes = new Set(['lambda', 'arrow_function', 'function_expression', 'function', 'lambda_expression', 'class_body']);

export class Taint {
  private readonly variables = new Map<string, TaintSource>();
  private readonly memo = new Map<number, TaintSource | null>();
  private readonly patterns: readonly SourcePattern[];

  constructor(private readonly language: ReviewLanguage, unit: ReviewUnit, index: NodeIndex) {
    this.patterns = sourcePatterns[language];
    if (!unit.isModule) this.seedHandlerParameters(unit.root);
    const assignments = index.find(...assignmentTypes[language]);
    const mutations = index.find(...({ python: ['call'], java: ['method_invocation'], javascript: ['call_expression'], typescript: ['call_expression'] } as const)[language]);
    // Two passes reach values assigned later in a loop body and used earlier in the next iteration.
    for (let pass = 0; pass < 2; pass++) {
      for (const node of assignments) this.assign(node);
      for (const node of mutations) this.mutate(node);
      this.memo.clear();
    }
  }

  /** The source that taints `expression`, or undefined if it carries no untrusted data. */
  sourceOf(expression: Node | null | undefined): TaintSource | undefined {
    if (!expression) return undefined;
    const cached = this.memo.get(expression.id);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.compute(expression);
    this.memo.set(expression.id, found ?? null);
    return found;
  }

  private compute(node: Node): TaintSource | undefined {
    if (opaqueTypes.has(node.type)) return undefined;
    const pattern = this.patterns.find((p) => p.types.includes(node.type) && p.test(compact(node.text)));
    if (pattern) return { node, description: pattern.description };
    switch (node.type) {
      case 'identifier':
      case 'shorthand_property_identifier':
        return this.variables.get(node.text);
      case 'attribute':
      case 'member_expression':
      case 'field_access': {
        const whole = this.variables.get(compact(node.text));
        return whole ?? this.sourceOf(node.childForFieldName('object'));
      }
      case 'keyword_argument':
      case 'pair':
        return this.sourceOf(node.childForFieldName('value'));
    }
    const call = callSite(node);
    if (call) {
      if (sanitizers[this.language].some((s) => s.test(call.callee))) return undefined;
      for (const arg of [...call.args, ...call.keywords.values()]) {
        const source = this.sourceOf(arg);
        if (source) return source;
      }
      return call.receiver ? this.sourceOf(call.receiver) : undefined;
    }
    for (const child of node.namedChildren) {
      const source = child && child.type !== 'comment' ? this.sourceOf(child) : undefined;
      if (source) return source;
    }
    return undefined;
  }

  private assign(node: Node): void {
    let target: Node | null;
    let value: Node | null;
    switch (node.type) {
      case 'variable_declarator':
      case 'named_expression':
        target = node.childForFieldName('name');
        value = node.childForFieldName('value');
        break;
      case 'for_statement':
      case 'for_in_clause':
      case 'for_in_statement':
        target = node.childForFieldName('left');
        value = node.childForFieldName('right');
        break;
      case 'enhanced_for_statement':
        target = node.childForFieldName('name');
        value = node.childForFieldName('value');
        break;
      default:
        target = node.childForFieldName('left');
        value = node.childForFieldName('right');
    }
    const source = this.sourceOf(value);
    if (target && source) this.taintTarget(target, source);
  }

  private mutate(node: Node): void {
    const call = callSite(node);
    if (!call?.receiver || !mutators.has(call.name)) return;
    const source = call.args.map((a) => this.sourceOf(a)).find(Boolean);
    if (source) this.taintTarget(call.receiver, source);
  }

  /** Marks every name a target binds: `x`, `a, b`, `{ id, name }`, `[first]`, `self.query`. */
  private taintTarget(target: Node, source: TaintSource): void {
    switch (target.type) {
      case 'identifier':
      case 'shorthand_property_identifier_pattern':
        this.variables.set(target.text, source);
        return;
      case 'attribute':
      case 'member_expression':
      case 'field_access':
      case 'subscript':
      case 'subscript_expression':
        this.variables.set(compact(target.text), source);
        // Writing into a container taints the container: `params["q"] = x` → params.
        if (target.type.startsWith('subscript')) {
          const object = target.childForFieldName('value') ?? target.childForFieldName('object');
          if (object) this.taintTarget(object, source);
        }
        return;
      case 'pair_pattern':
        this.taintChild(target.childForFieldName('value'), source);
        return;
      default:
        for (const child of target.namedChildren) this.taintChild(child, source);
    }
  }

  private taintChild(child: Node | null, source: TaintSource): void {
    if (child && child.type !== 'comment' && child.type !== 'property_identifier') this.taintTarget(child, source);
  }

  private seedHandlerParameters(fn: Node): void {
    for (const param of handlerParameters(this.language, fn)) {
      this.variables.set(param.text, { node: param, description: `parameter '${param.text}' of a request handler` });
    }
  }
}

/**
 * The parameters of `fn` that carry request data, if `fn` is a web or Lambda handler:
 * route-decorated Python functions, `(event, context)` Lambda handlers, `(req, res)` Express
 * handlers, Spring/JAX-RS annotated parameters, `handleRequest(input, context)`, `main(args)`.
 */
export function handlerParameters(language: ReviewLanguage, fn: Node): Node[] {
  const params = parameterNames(language, fn);
  const names = params.map((p) => p.text);
  const named = (...wanted: string[]) => params.filter((p) => wanted.includes(p.text));
  const fnName = fn.childForFieldName('name')?.text ?? enclosingName(fn) ?? '';
  switch (language) {
    case 'python': {
      const decorators = fn.parent?.type === 'decorated_definition' ? fn.parent.namedChildren.filter((c) => c?.type === 'decorator').map((c) => c!.text) : [];
      if (decorators.some((d) => /\.(route|get|post|put|patch|delete|api_route|websocket)\s*\(/.test(d))) return params.filter((p) => p.text !== 'self' && p.text !== 'cls');
      if (names.includes('event') && (names.includes('context') || /handler/i.test(fnName))) return named('event');
      return named('request', 'req');
    }
    case 'java': {
      const annotated = params.filter((p) => /@(RequestParam|PathVariable|RequestBody|RequestHeader|CookieValue|QueryParam|PathParam|FormParam|HeaderParam)\b/.test(p.parent?.text ?? ''));
      if (annotated.length > 0) return annotated;
      if (fnName === 'handleRequest' && params.length >= 2) return [params[0]];
      if (fnName === 'main' && params.length === 1) return params;
      return [];
    }
    default: {
      if (names.length >= 2 && /^(req|request)$/.test(names[0]) && /^(res|response|reply|h)$/.test(names[1])) return [params[0]];
      if (names[0] === 'event' && (names[1] === 'context' || /handler/i.test(fnName))) return [params[0]];
      if (names[0] === 'ctx' && /^(ctx|next)$/.test(names[1] ?? 'next')) return [];
      const call = fn.parent?.parent;
      if (call?.type === 'call_expression' && /\.(get|post|put|patch|delete|all|use|route)$/.test(compact(call.childForFieldName('function')?.text ?? '')) && params.length >= 1) {
        return [params[0]];
      }
      return [];
    }
  }
}

function parameterNames(language: ReviewLanguage, fn: Node): Node[] {
  const list = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  if (!list) return [];
  if (list.type === 'identifier') return [list];
  const names: Node[] = [];
  for (const param of list.namedChildren) {
    if (!param) continue;
    if (param.type === 'identifier') names.push(param);
    else {
      const name =
        param.childForFieldName('name') ??
        param.childForFieldName('pattern') ??
        (language === 'python' ? param.namedChildren.find((c) => c?.type === 'identifier') : null);
      if (name?.type === 'identifier') names.push(name);
    }
  }
  return names;
}

/** `const handler = async (event) => …` and `exports.handler = …` name the function they hold. */
function enclosingName(fn: Node): string | undefined {
  const parent = fn.parent;
  if (parent?.type === 'variable_declarator') return parent.childForFieldName('name')?.text;
  if (parent?.type === 'assignment_expression') return parent.childForFieldName('left')?.text;
  if (parent?.type === 'pair') return parent.childForFieldName('key')?.text;
  return undefined;
}
