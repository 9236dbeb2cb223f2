// Functions whose cyclomatic complexity (McCabe) exceeds `sightline.review.maxComplexity`: one plus
// every branch, loop, handler, case, conditional expression and short-circuit operator. Each
// function counts on its own, nested ones included, as ESLint's `complexity` does; Python and Java
// lambdas are expressions and count towards the function they are written in, as in radon and Sonar.
import { isFunctionNode } from '../units';
import type { ReviewLanguage } from '../languages';
import type { Node } from '../parser';
import type { Rule, RuleContext, TextRange } from '../rule';

const functionTypes: Record<ReviewLanguage, readonly string[]> = {
  python: ['function_definition'],
  java: ['method_declaration', 'constructor_declaration', 'compact_constructor_declaration'],
  javascript: ['function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function'],
  typescript: ['function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function'],
};

const jsDecisions = ['if_statement', 'for_statement', 'for_in_statement', 'while_statement', 'do_statement', 'catch_clause', 'ternary_expression', 'switch_case', 'binary_expression', 'augmented_assignment_expression'];

/** Node types that add a path; operators and cases are narrowed down in `isDecision`. */
const decisionTypes: Record<ReviewLanguage, readonly string[]> = {
  python: ['if_statement', 'elif_clause', 'for_statement', 'while_statement', 'except_clause', 'except_group_clause', 'conditional_expression', 'boolean_operator', 'for_in_clause', 'if_clause', 'case_clause'],
  java: ['if_statement', 'for_statement', 'enhanced_for_statement', 'while_statement', 'do_statement', 'catch_clause', 'ternary_expression', 'switch_label', 'binary_expression'],
  javascript: jsDecisions,
  typescript: jsDecisions,
};

const shortCircuit = new Set(['&&', '||', '??', '&&=', '||=', '??=']);

export const methodTooComplex: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'method-too-complex',
    title: 'Function too complex',
    category: 'maintainability',
    severity: 'info',
    why:
      'Cyclomatic complexity counts the independent paths through a function: every if, loop, case, handler and ' +
      'short-circuit operator adds one. Past a dozen or so, a function is hard to read, hard to change safely and ' +
      'needs more tests than anyone writes, so its edge cases go untested. Split it: extract the branches into ' +
      'well-named helpers, replace long if/elif chains with a lookup table or polymorphism, and return early. ' +
      'The limit is the `sightline.review.maxComplexity` setting (15 by default).',
    examples: {
      python: {
        noncompliant: 'def shipping_cost(order):\n    if order.country == "US":\n        if order.express:\n            ...\n        elif order.weight > 20:\n            ...\n    elif order.country in EU:\n        ...  # and a dozen more branches',
        compliant: 'RATES = {"US": us_rate, "EU": eu_rate}\n\ndef shipping_cost(order):\n    return RATES.get(region(order), default_rate)(order)',
      },
      java: {
        noncompliant: 'double shippingCost(Order order) {\n    if (order.country().equals("US")) {\n        if (order.express()) { ... } else if (order.weight() > 20) { ... }\n    } else if (EU.contains(order.country())) { ... } // and a dozen more branches\n}',
        compliant: 'double shippingCost(Order order) {\n    return rateFor(order.region()).cost(order);\n}',
      },
      javascript: {
        noncompliant: 'function shippingCost(order) {\n  if (order.country === "US") {\n    if (order.express) { /* ... */ } else if (order.weight > 20) { /* ... */ }\n  } else if (EU.has(order.country)) { /* ... */ } // and a dozen more branches\n}',
        compliant: 'const rates = { US: usRate, EU: euRate };\n\nfunction shippingCost(order) {\n  return (rates[region(order)] ?? defaultRate)(order);\n}',
      },
      typescript: {
        noncompliant: 'function shippingCost(order: Order): number {\n  if (order.country === "US") {\n    if (order.express) { /* ... */ } else if (order.weight > 20) { /* ... */ }\n  } else if (EU.has(order.country)) { /* ... */ } // and a dozen more branches\n}',
        compliant: 'const rates: Record<Region, Rate> = { US: usRate, EU: euRate };\n\nfunction shippingCost(order: Order): number {\n  return rates[region(order)](order);\n}',
      },
    },
  },
  check(context: RuleContext) {
    if (context.unit.isModule) return;
    const language = context.language;
    const limit = context.settings.review.maxComplexity;
    const complexity = new Map<number, number>();
    for (const decision of context.find(...decisionTypes[language])) {
      if (!isDecision(decision)) continue;
      const owner = owningFunction(language, decision);
      if (owner) complexity.set(owner.id, (complexity.get(owner.id) ?? 1) + 1);
    }
    const functions = [context.unit.root, ...context.find(...functionTypes[language]).filter((f) => f.id !== context.unit.root.id)];
    for (const fn of functions) {
      const value = complexity.get(fn.id) ?? 1;
      if (value <= limit) continue;
      const { at, name } = functionName(fn);
      context.report(at, `${name} has a cyclomatic complexity of ${value} (limit ${limit}): split it into smaller functions.`);
    }
  },
};

function isDecision(node: Node): boolean {
  switch (node.type) {
    case 'binary_expression':
    case 'augmented_assignment_expression':
      return shortCircuit.has(node.childForFieldName('operator')?.type ?? '');
    case 'switch_label':
      return node.children[0]?.type === 'case';
    case 'case_clause':
      // `case _:` is Python's default branch.
      return node.namedChildren.find((c) => c?.type === 'case_pattern')?.text !== '_';
    default:
      return true;
  }
}

function owningFunction(language: ReviewLanguage, node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunctionNode(language, n)) return n;
  return undefined;
}

/** The function's name, or the name it is bound to; an anonymous callback is reported at its start. */
function functionName(fn: Node): { at: TextRange; name: string } {
  const own = fn.childForFieldName('name');
  if (own) return { at: own, name: `'${own.text}'` };
  const parent = fn.parent;
  const bound =
    parent?.type === 'variable_declarator' ? parent.childForFieldName('name')
    : parent?.type === 'assignment_expression' ? parent.childForFieldName('left')
    : parent?.type === 'pair' ? parent.childForFieldName('key')
    : parent?.type === 'public_field_definition' || parent?.type === 'field_definition' ? parent.childForFieldName('name') ?? parent.childForFieldName('property')
    : null;
  if (bound) return { at: bound, name: `'${bound.text}'` };
  const body = fn.childForFieldName('body');
  return { at: { startIndex: fn.startIndex, endIndex: body && body.startIndex > fn.startIndex ? body.startIndex : fn.endIndex }, name: 'This function' };
}
