// Naive datetimes in Python: `datetime.now()`, `utcnow()` and the timestamp constructors without a
// time zone return values with no tzinfo, which Python later reads as local time. Which name means
// the `datetime` class is decided from the imports (`from datetime import datetime` vs
// `import datetime [as dt]`), so `pendulum.datetime` or an unrelated `now()` is not reported.
import type { CallSite } from '../calls';
import type { Node } from '../parser';
import type { Fix, Rule, RuleContext } from '../rule';

/** What a local name was imported as: the `datetime` module or a member of a module. */
type Binding = { kind: 'module'; module: string } | { kind: 'member'; module: string; member: string };

/** Module-level statements whose blocks may hold imports: `try: from datetime import UTC`. */
const importContainers = new Set(['if_statement', 'try_statement', 'with_statement', 'block', 'else_clause', 'elif_clause', 'except_clause', 'finally_clause']);

/** Node types whose identifier field binds a name inside a function, shadowing an import. */
const binders = new Set(['parameters', 'lambda_parameters', 'default_parameter', 'typed_parameter', 'typed_default_parameter', 'assignment', 'for_statement', 'as_pattern_target']);

export const naiveDatetime: Rule = {
  languages: ['python'],
  meta: {
    name: 'naive-datetime',
    title: 'Naive datetime without a time zone',
    category: 'maintainability',
    severity: 'warning',
    why:
      'A datetime without tzinfo is "naive": Python interprets it in the local time zone of whatever machine runs ' +
      'the code, so the same code gives different instants on a laptop, a container and a Lambda function, and ' +
      '`utcnow()` values are silently shifted when converted or compared. Mixing naive and aware values raises ' +
      'TypeError at run time. Create aware datetimes: `datetime.now(timezone.utc)` and ' +
      '`datetime.fromtimestamp(ts, timezone.utc)` (`utcnow` and `utcfromtimestamp` are deprecated since Python 3.12).',
    examples: {
      python: {
        noncompliant: 'from datetime import datetime\n\nexpires_at = datetime.utcnow() + ttl',
        compliant: 'from datetime import datetime, timezone\n\nexpires_at = datetime.now(timezone.utc) + ttl',
      },
    },
  },
  check(context: RuleContext) {
    const candidates = context.calls().filter((call) => call.receiver && ['now', 'today', 'utcnow', 'fromtimestamp', 'utcfromtimestamp'].includes(call.name));
    if (candidates.length === 0) return;
    const bindings = importBindings(context);
    /** How this unit can spell UTC without a new import, if it can. */
    const importedUtc = utcExpression(context, bindings);
    const utc = importedUtc ?? 'timezone.utc';
    for (const call of candidates) {
      const method = call.name;
      if (!call.receiver || !isDatetimeClass(call.receiver, bindings)) continue;
      const receiver = call.receiver.text;
      switch (method) {
        case 'now':
          if (hasTimeZone(call, 0)) continue;
          context.report(call.node, `'${receiver}.now()' without a time zone returns a naive local time; pass one, e.g. '${receiver}.now(${utc})'.`);
          break;
        case 'today':
          context.report(call.node, `'${receiver}.today()' returns a naive local time; use '${receiver}.now(${utc})'.`);
          break;
        case 'fromtimestamp':
          if (hasTimeZone(call, 1)) continue;
          context.report(call.node, `'${receiver}.fromtimestamp()' without a time zone returns a naive local time; pass one, e.g. '${receiver}.fromtimestamp(ts, ${utc})'.`);
          break;
        case 'utcnow':
        case 'utcfromtimestamp': {
          const fix = importedUtc ? utcFix(call, importedUtc) : undefined;
          context.report(
            call.node,
            `'${receiver}.${method}()' returns a naive datetime that Python treats as local time (deprecated since 3.12); use '${receiver}.${method === 'utcnow' ? `now(${utc})` : `fromtimestamp(ts, ${utc})`}'.`,
            fix ? { fixes: [fix] } : undefined,
          );
          break;
        }
      }
    }
  },
};

/** Whether the call passes a time zone that is not None, by keyword `tz` or at `position`. */
function hasTimeZone(call: CallSite, position: number): boolean {
  const tz = call.keywords.get('tz') ?? call.args[position];
  if (call.args.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) return true;
  return tz !== undefined && tz.type !== 'none';
}

/** `datetime` (from datetime import datetime), `dt.datetime` (import datetime as dt), and their aliases. */
function isDatetimeClass(receiver: Node, bindings: Map<string, Binding>): boolean {
  const segments = receiver.text.replace(/\s+/g, '').split('.');
  if (!segments.every((s) => /^\w+$/.test(s))) return false;
  const binding = bindings.get(segments[0]);
  if (!binding) {
    // A snippet or a file whose import we cannot see: only the standard library's shapes.
    return (segments.length === 1 && segments[0] === 'datetime') || (segments.length === 2 && segments[0] === 'datetime' && segments[1] === 'datetime');
  }
  if (binding.module !== 'datetime') return false;
  if (binding.kind === 'module') return segments.length === 2 && segments[1] === 'datetime';
  return segments.length === 1 && binding.member === 'datetime';
}

/**
 * `utcnow()` → `now(<tz>.utc)` and `utcfromtimestamp(ts)` → `fromtimestamp(ts, <tz>.utc)`, where
 * `<tz>` is `timezone` as the file already imports it. Without such an import there is no fix:
 * adding one would edit outside the function, which the per-unit findings cache cannot follow.
 */
function utcFix(call: CallSite, utc: string): Fix | undefined {
  const callee = call.node.childForFieldName('function');
  const argumentList = call.node.childForFieldName('arguments');
  if (!callee || callee.type !== 'attribute' || !argumentList || call.receiver === undefined) return undefined;
  const receiver = call.receiver.text;
  if (call.name === 'utcnow') {
    if (call.args.length || call.keywords.size) return undefined;
    return {
      title: `Use ${receiver}.now(${utc})`,
      edits: [{ at: { startIndex: callee.startIndex, endIndex: argumentList.endIndex }, newText: `${receiver}.now(${utc})` }],
    };
  }
  if (call.args.length !== 1 || call.keywords.size || call.args[0].type === 'list_splat') return undefined;
  return {
    title: `Use ${receiver}.fromtimestamp(…, ${utc})`,
    edits: [{ at: { startIndex: callee.startIndex, endIndex: argumentList.endIndex }, newText: `${receiver}.fromtimestamp(${call.args[0].text}, ${utc})` }],
  };
}

/** `timezone.utc` (or its alias) if `timezone` is imported, else `<module>.timezone.utc` if the module is. */
function utcExpression(context: RuleContext, bindings: Map<string, Binding>): string | undefined {
  const usable = (name: string) => !shadowed(context, name);
  for (const [name, binding] of bindings) {
    if (binding.kind === 'member' && binding.module === 'datetime' && binding.member === 'timezone' && usable(name)) return `${name}.utc`;
  }
  for (const [name, binding] of bindings) {
    if (binding.kind === 'module' && binding.module === 'datetime' && usable(name)) return `${name}.timezone.utc`;
  }
  return undefined;
}

/** Whether the unit binds `name` itself (a parameter, an assignment, a loop variable), hiding the import. */
function shadowed(context: RuleContext, name: string): boolean {
  const root = context.unit.root;
  const parameters = root.type === 'function_definition' ? root.childForFieldName('parameters') : null;
  const candidates = context.find('identifier').concat(parameters?.descendantsOfType('identifier').filter((n): n is Node => !!n) ?? []);
  return candidates.some((n) => {
    if (n.text !== name || !n.parent || !binders.has(n.parent.type)) return false;
    const left = n.parent.childForFieldName('left') ?? n.parent.childForFieldName('name');
    return n.parent.type === 'parameters' || n.parent.type === 'lambda_parameters' || n.parent.type === 'as_pattern_target' || left?.id === n.id;
  });
}

/** Local names bound by imports at module level (also inside try/if blocks) and inside the unit. */
function importBindings(context: RuleContext): Map<string, Binding> {
  const bindings = new Map<string, Binding>();
  const visit = (statement: Node) => {
    if (statement.type === 'import_statement') {
      for (const name of statement.childrenForFieldName('name')) {
        if (!name) continue;
        const dotted = name.type === 'aliased_import' ? name.childForFieldName('name') : name;
        const alias = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : dotted?.text.split('.')[0];
        if (dotted && alias) bindings.set(alias, { kind: 'module', module: name.type === 'aliased_import' ? dotted.text : alias });
      }
    } else if (statement.type === 'import_from_statement') {
      const module = statement.childForFieldName('module_name')?.text;
      if (!module) return;
      if (statement.namedChildren.some((n) => n?.type === 'wildcard_import')) {
        if (module === 'datetime') for (const member of ['datetime', 'timezone']) bindings.set(member, { kind: 'member', module, member });
        return;
      }
      for (const name of statement.childrenForFieldName('name')) {
        if (!name) continue;
        const member = (name.type === 'aliased_import' ? name.childForFieldName('name') : name)?.text;
        const alias = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : member;
        if (member && alias) bindings.set(alias, { kind: 'member', module, member });
      }
    } else if (importContainers.has(statement.type)) {
      for (const child of statement.namedChildren) if (child) visit(child);
    }
  };
  for (const statement of context.tree.rootNode.namedChildren) if (statement) visit(statement);
  for (const statement of context.find('import_statement', 'import_from_statement')) visit(statement);
  return bindings;
}
