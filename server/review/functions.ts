// The functions and methods a document defines, with the line of each name: CodeLens and the
// CLI place trace statistics on them, and spans without code attributes are matched to them.
import type { ReviewLanguage } from './languages';
import type { Node } from './parser';

export interface FunctionDefinition {
  name: string;
  /** 0-based line of the definition's first line (decorators excluded). */
  line: number;
  /** The name's position, for hovers. */
  nameStart: { line: number; character: number };
  nameEnd: { line: number; character: number };
}

const definitionTypes: Record<ReviewLanguage, readonly string[]> = {
  python: ['function_definition'],
  java: ['method_declaration', 'constructor_declaration'],
  javascript: ['function_declaration', 'generator_function_declaration', 'method_definition', 'variable_declarator'],
  typescript: ['function_declaration', 'generator_function_declaration', 'method_definition', 'variable_declarator'],
};

export function functionDefinitions(language: ReviewLanguage, root: Node): FunctionDefinition[] {
  const out: FunctionDefinition[] = [];
  for (const node of root.descendantsOfType([...definitionTypes[language]])) {
    if (!node) continue;
    // `const handler = async (event) => …` defines `handler`; other declarators do not.
    if (node.type === 'variable_declarator') {
      const value = node.childForFieldName('value');
      if (!value || !['arrow_function', 'function_expression', 'function'].includes(value.type)) continue;
    }
    const name = node.childForFieldName('name');
    if (!name || !['identifier', 'property_identifier', 'private_property_identifier'].includes(name.type)) continue;
    out.push({
      name: name.text,
      line: node.startPosition.row,
      nameStart: { line: name.startPosition.row, character: name.startPosition.column },
      nameEnd: { line: name.endPosition.row, character: name.endPosition.column },
    });
  }
  return out;
}
