// Code injection: untrusted data evaluated as code (eval, exec, `new Function`, vm, a string given to
// setTimeout, ScriptEngine, SpEL) or naming the class, module or method that reflection loads.
import type { CallSite } from '../calls';
import type { Node } from '../parser';
import type { Rule, RuleContext } from '../rule';
import { importedNames, qualifiedCallee, reportTainted, sinkName, taintedAmong, type TaintedArgument } from './taintedSinks';

export const codeInjection: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'code-injection',
    title: 'Code injection',
    category: 'security',
    severity: 'error',
    cwe: 94,
    why:
      'Evaluating request data as code, or letting it name the class or module to load, hands the attacker ' +
      'the interpreter: they can read files, open connections and run commands as the service. There is no ' +
      'safe way to sanitise code. Parse data with a data-only parser (json.loads, ast.literal_eval, ' +
      'JSON.parse), map user choices to functions or classes through an allow-list, and pass functions, ' +
      'not strings, to timers.',
    examples: {
      python: {
        noncompliant: 'result = eval(request.args["expression"])',
        compliant: 'result = ast.literal_eval(request.args["expression"])',
      },
      java: {
        noncompliant: 'Object value = new SpelExpressionParser().parseExpression(request.getParameter("expr")).getValue();',
        compliant: 'Object value = ALLOWED_FIELDS.get(request.getParameter("field")).apply(order);',
      },
      javascript: {
        noncompliant: 'const total = eval(req.body.formula);',
        compliant: 'const total = JSON.parse(req.body.values).reduce((a, b) => a + b, 0);',
      },
      typescript: {
        noncompliant: "const filter = new Function('row', `return ${req.query.filter};`);",
        compliant: "const filter = (row: Row) => row[allowedColumn(req.query.column)] === req.query.value;",
      },
    },
  },
  check(context: RuleContext) {
    const imports = importedNames(context);
    const hits: TaintedArgument[] = [];
    for (const call of context.calls()) {
      const code = codeArguments(context, call, qualifiedCallee(imports, call));
      const hit = code.length > 0 ? taintedAmong(context, call, code) : undefined;
      if (hit) hits.push(hit);
    }
    reportTainted(context, hits, (hit) => `Untrusted data from ${hit.source.description} is ${verb(hit.call)} by ${sinkName(hit.call)}.`);
  },
};

function verb(call: CallSite): string {
  return /^(forName|loadClass|import_module|__import__|getMethod|getDeclaredMethod)$/.test(call.name) ? 'the name of what is loaded' : 'run as code';
}

/** The arguments of `call` that are evaluated as code or name what reflection loads. */
function codeArguments(context: RuleContext, call: CallSite, callee: string): (Node | undefined)[] {
  const first = call.args[0];
  switch (context.language) {
    case 'python':
      if (/^(builtins\.)?(eval|exec|compile)$/.test(callee) && (!call.receiver || callee.startsWith('builtins.'))) return [first ?? call.keywords.get('source')];
      if (callee === 'importlib.import_module' || callee === '__import__') return [first];
      return [];
    case 'java':
      if (call.callee === 'Class.forName') return [first];
      if (!call.receiver) return [];
      if (/^(eval|parseExpression|loadClass|getMethod|getDeclaredMethod)$/.test(call.name)) return [first];
      if (/^(evaluate|parse)$/.test(call.name) && /shell|groovy/i.test(call.receiver.text)) return [first];
      return [];
    default:
      if (/^((window|globalThis|global)\.)?eval$/.test(callee)) return [first];
      if (/^((window|globalThis|global)\.)?Function$/.test(callee)) return call.args;
      if (/^vm\.(runInNewContext|runInThisContext|runInContext|compileFunction|Script)$/.test(callee)) return [first];
      if (/^((window|globalThis|global)\.)?(setTimeout|setInterval|setImmediate)$/.test(callee)) return [first];
      return [];
  }
}
