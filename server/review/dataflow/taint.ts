// Intra-procedural taint tracking: which expressions in one unit carry data an attacker controls.
// Sources are request fields, handler parameters, input() and the like; taint moves through
// assignments, string concatenation, f-strings, template literals, format calls and any call that
// is not a known sanitizer; injection rules ask whether a sink's argument is tainted. It is
// deliberately simple (no aliasing, no inter-procedural flow) and errs towards reporting, with one
// concession to order: a straight-line reassignment with a clean value (`name = secure_filename(name)`)
// hides earlier taint from the uses after it, or every sanitised variable would still be reported.
import { callSite, compact, type CallSite } from '../calls';
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

/** Statement lists: an assignment directly in one runs before everything after it in that list. */
const blockTypes = new Set(['block', 'module', 'statement_block', 'program', 'constructor_body']);

/** Nodes between an assignment and its statement list that do not make it conditional. */
const statementTypes = new Set(['expression_statement', 'lexical_declaration', 'variable_declaration', 'local_variable_declaration', 'export_statement', 'assignment', 'augmented_assignment', 'assignment_expression', 'augmented_assignment_expression', 'variable_declarator']);

/** Declared parameter types that a framework converts before the handler runs, so they carry no text. */
const scalarType = /^(int|float|bool|long|short|byte|double|boolean|Integer|Long|Short|Byte|Double|Float|Boolean|BigInteger|BigDecimal|number|bigint|UUID|uuid\.UUID)$/;

/** Code that runs repeatedly; a comprehension's element is written before its `for` clause binds the name. */
const loopTypes = new Set(['for_statement', 'while_statement', 'do_statement', 'for_in_statement', 'enhanced_for_statement', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/** One write to a variable: where its value becomes visible, and whether it carries taint. */
interface Binding {
  at: number;
  source: TaintSource | undefined;
  /** For clean writes that run on every path: the statement list from which on they hide earlier taint. */
  scope: Node | undefined;
}

/**
 * Words that every source pattern of the language needs in the unit's text. A unit without any of
 * them and without handler parameters holds no untrusted data, and most units are such units.
 */
const sourceWords: Record<ReviewLanguage, RegExp> = {
  python: /\b(?:request|input|raw_input|argv)\b/,
  java: /get(?:Parameter|Header|QueryString|InputStream|Reader|Cookies|PathInfo|RequestUR)|\bgetenv\b/i,
  javascript: /\b(?:req|request|ctx|argv|location)\b/,
  typescript: /\b(?:req|request|ctx|argv|location)\b/,
};

export class Taint {
  private readonly variables = new Map<string, Binding[]>();
  private readonly memo = new Map<number, TaintSource | null>();
  private readonly patterns: readonly SourcePattern[];
  /** Nothing in the unit can be tainted: every question is answered without looking. */
  private readonly inert: boolean;

  /** `sanitizes` adds rule-specific sanitizers, e.g. CR/LF stripping, which is enough for a log but not for SQL. */
  constructor(private readonly language: ReviewLanguage, unit: ReviewUnit, index: NodeIndex, private readonly sanitizes?: (call: CallSite) => boolean) {
    this.patterns = sourcePatterns[language];
    if (!unit.isModule) this.seedHandlerParameters(unit.root);
    this.inert = this.variables.size === 0 && !sourceWords[language].test(unit.key);
    if (this.inert) return;
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
    if (!expression || this.inert) return undefined;
    const cached = this.memo.get(expression.id);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.compute(expression);
    this.memo.set(expression.id, found ?? null);
    return found;
  }

  private compute(node: Node): TaintSource | undefined {
    if (opaqueTypes.has(node.type)) return undefined;
    // A length is a number, whatever it measures: `req.query.q.length`.
    if (/^(member_expression|field_access)$/.test(node.type) && (node.childForFieldName('property') ?? node.childForFieldName('field'))?.text === 'length') return undefined;
    // Patterns match by prefix, so they also match a method called on a source, which may be a
    // sanitizer (`request.args["q"].replace("\n", "")`): such a call is followed like any other.
    const pattern = this.sourcePattern(node);
    const receiver = pattern && callSite(node)?.receiver;
    if (pattern && !(receiver && this.sourcePattern(receiver))) return { node, description: pattern.description };
    // The default of `TABLE.get(key, default)` is not from the table.
    if (isConstantTableLookup(node)) return this.sourceOf(callSite(node)?.args[1]);
    switch (node.type) {
      case 'identifier':
      case 'shorthand_property_identifier':
        return this.lookup(node.text, node);
      case 'attribute':
      case 'member_expression':
      case 'field_access': {
        const whole = this.lookup(compact(node.text), node);
        return whole ?? this.sourceOf(node.childForFieldName('object'));
      }
      case 'keyword_argument':
      case 'pair':
        return this.sourceOf(node.childForFieldName('value'));
    }
    const call = callSite(node);
    if (call) {
      if (sanitizers[this.language].some((s) => s.test(call.callee)) || this.sanitizes?.(call)) return undefined;
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

  private sourcePattern(node: Node): SourcePattern | undefined {
    return this.patterns.find((p) => p.types.includes(node.type) && p.test(compact(node.text)));
  }

  /** The taint of `name` where `use` reads it: the nearest earlier write, unless it is a clean write that may not have run. */
  private lookup(name: string, use: Node): TaintSource | undefined {
    const bindings = this.variables.get(name);
    if (!bindings) return undefined;
    // A later write reaches the read in the next iteration of a loop around both, unless that loop
    // itself rewrites the variable cleanly before the read (`after`).
    const laterInLoop = (after: number) => {
      const loops: Node[] = [];
      for (let n = use.parent; n; n = n.parent) if (loopTypes.has(n.type) && n.startIndex > after) loops.push(n);
      return bindings.find((b) => b.source && b.at > use.startIndex && loops.some((loop) => b.at < loop.endIndex))?.source;
    };
    let i = bindings.length - 1;
    for (; i >= 0 && bindings[i].at > use.startIndex; i--);
    for (; i >= 0; i--) {
      const { at, source, scope } = bindings[i];
      if (source) return source;
      if (scope && contains(scope, use)) return laterInLoop(at);
    }
    return laterInLoop(-1);
  }

  private bind(name: string, at: number, source: TaintSource | undefined, scope: Node | undefined): void {
    const bindings = this.variables.get(name) ?? [];
    this.variables.set(name, bindings);
    // The second pass revisits the same writes: replace, so each write stays one binding.
    const same = bindings.findIndex((b) => b.at === at);
    if (same >= 0) bindings[same] = { at, source: source ?? bindings[same].source, scope: source ? undefined : scope };
    else {
      bindings.push({ at, source, scope });
      bindings.sort((a, b) => a.at - b.at);
    }
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
    if (!target || !value) return;
    // `q += x` keeps what q held; only a plain write replaces it.
    const augmented = node.type.startsWith('augmented') || (node.childForFieldName('operator')?.text ?? '=') !== '=';
    const source = this.sourceOf(value) ?? (augmented ? this.sourceOf(target) : undefined);
    const loop = node.type.includes('for');
    this.taintTarget(target, { at: value.endIndex, source, scope: source || augmented || loop ? undefined : straightLineScope(node) });
  }

  private mutate(node: Node): void {
    const call = callSite(node);
    if (!call?.receiver || !mutators.has(call.name)) return;
    const source = call.args.map((a) => this.sourceOf(a)).find(Boolean);
    if (source) this.taintTarget(call.receiver, { at: node.endIndex, source, scope: undefined });
  }

  /** Binds every name a target writes: `x`, `a, b`, `{ id, name }`, `[first]`, `self.query`. */
  private taintTarget(target: Node, write: Binding): void {
    switch (target.type) {
      case 'identifier':
      case 'shorthand_property_identifier_pattern':
        this.bind(target.text, write.at, write.source, write.scope);
        return;
      case 'attribute':
      case 'member_expression':
      case 'field_access':
      case 'subscript':
      case 'subscript_expression':
        this.bind(compact(target.text), write.at, write.source, write.scope);
        // Writing into a container taints the container: `params["q"] = x` → params; a clean entry cleans nothing.
        if (write.source && target.type.startsWith('subscript')) {
          const object = target.childForFieldName('value') ?? target.childForFieldName('object');
          if (object) this.taintTarget(object, write);
        }
        return;
      case 'pair_pattern':
        this.taintChild(target.childForFieldName('value'), write);
        return;
      default:
        for (const child of target.namedChildren) this.taintChild(child, write);
    }
  }

  private taintChild(child: Node | null, write: Binding): void {
    if (child && child.type !== 'comment' && child.type !== 'property_identifier') this.taintTarget(child, write);
  }

  private seedHandlerParameters(fn: Node): void {
    for (const param of handlerParameters(this.language, fn)) {
      if (scalarType.test(param.parent?.childForFieldName('type')?.text.replace(/^:\s*/, '') ?? '')) continue;
      this.bind(param.text, fn.startIndex, { node: param, description: `parameter '${param.text}' of a request handler` }, undefined);
    }
  }
}

/** The statement list an assignment sits in unconditionally, or undefined if a branch, loop or expression guards it. */
function straightLineScope(assignment: Node): Node | undefined {
  for (let node = assignment; node.parent; node = node.parent) {
    if (blockTypes.has(node.parent.type)) return node.parent;
    if (!statementTypes.has(node.parent.type)) return undefined;
  }
  return undefined;
}

/** A constant (UPPER_CASE) name: by convention never changed and never holding request data. */
const constantName = /^[A-Z][A-Z0-9_]*$/;

/**
 * `ALLOWED[x]`, `ALLOWED.get(x)`, `HANDLERS[x]`: looking a value up in a constant table yields one of
 * its own trusted values whatever the key, which is the allow-list every injection rule recommends.
 */
function isConstantTableLookup(node: Node): boolean {
  let table: Node | null = null;
  if (node.type === 'subscript' || node.type === 'subscript_expression' || node.type === 'array_access') {
    table = node.childForFieldName('value') ?? node.childForFieldName('object') ?? node.childForFieldName('array');
  } else {
    const call = callSite(node);
    if (call?.name === 'get' || call?.name === 'getOrDefault') table = call.receiver ?? null;
  }
  return table?.type === 'identifier' && constantName.test(table.text) && table.text.length > 1;
}

function contains(outer: Node, inner: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
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
