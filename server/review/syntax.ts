// Small, language-aware questions about tree-sitter nodes that several rules ask.
import type { ReviewLanguage } from './languages';
import type { Node } from './parser';

/** Node types that are string literals in each grammar (TypeScript shares JavaScript's). */
export const stringTypes: Record<ReviewLanguage, readonly string[]> = {
  python: ['string'],
  java: ['string_literal', 'text_block'],
  javascript: ['string', 'template_string'],
  typescript: ['string', 'template_string'],
};

export function isStringLiteral(language: ReviewLanguage, node: Node): boolean {
  return stringTypes[language].includes(node.type);
}

/**
 * The literal's text without quotes or prefixes (r"", b'', `...`, """...""").
 * Interpolations stay in the text; callers that care about them check `hasInterpolation`.
 */
export function stringValue(node: Node): { value: string; offset: number } {
  const text = node.text;
  const match = /^[A-Za-z]*("""|'''|"|'|`)/.exec(text);
  if (!match) return { value: text, offset: 0 };
  const quote = match[1];
  const offset = match[0].length;
  const end = text.endsWith(quote) && text.length >= offset + quote.length ? text.length - quote.length : text.length;
  return { value: text.slice(offset, end), offset };
}

export function hasInterpolation(node: Node): boolean {
  return node.descendantsOfType(['interpolation', 'template_substitution']).some((n) => n !== null);
}

/**
 * The name a literal is bound to, if it is the whole value of an assignment, a declaration,
 * a keyword argument or a dictionary/object entry: `password = "..."`, `password="..."`,
 * `{"password": "..."}`, `String password = "..."`, `const password = "..."`, `{ password: "..." }`,
 * and parameter defaults: `def f(password="...")`, `function f(password = "...")`.
 */
export function boundName(node: Node, parent: Node | null = node.parent): string | undefined {
  if (!parent) return undefined;
  switch (parent.type) {
    case 'assignment':
    case 'assignment_expression':
    case 'augmented_assignment':
    case 'assignment_pattern':
      return parent.childForFieldName('right')?.id === node.id ? lastName(parent.childForFieldName('left')) : undefined;
    case 'keyword_argument':
    case 'variable_declarator':
    case 'public_field_definition':
    case 'field_definition':
    case 'default_parameter':
    case 'typed_default_parameter':
    case 'required_parameter':
    case 'optional_parameter':
      return parent.childForFieldName('value')?.id === node.id ? lastName(parent.childForFieldName('name') ?? parent.childForFieldName('property') ?? parent.childForFieldName('pattern')) : undefined;
    case 'pair':
      return parent.childForFieldName('value')?.id === node.id ? keyName(parent.childForFieldName('key')) : undefined;
    default:
      return undefined;
  }
}

/** `self.config.password` → `password`; `obj["password"]` → `password`. */
function lastName(node: Node | null): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'identifier':
    case 'property_identifier':
    case 'private_property_identifier':
      return node.text;
    case 'attribute':
      return node.childForFieldName('attribute')?.text;
    case 'member_expression':
    case 'field_access':
      return (node.childForFieldName('property') ?? node.childForFieldName('field'))?.text;
    case 'subscript':
    case 'subscript_expression':
      return keyName(node.childForFieldName('subscript') ?? node.childForFieldName('index'));
    default:
      return undefined;
  }
}

function keyName(node: Node | null): string | undefined {
  if (!node) return undefined;
  if (node.type === 'string') return stringValue(node).value;
  return node.text;
}
