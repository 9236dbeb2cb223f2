// A document is reviewed in units: each outermost function or method is one unit, and everything
// outside them (imports, module-level statements, fields) is the module unit. Findings are cached
// per unit, so after a keystroke only the unit that changed is reviewed again: one tree-sitter
// query over a 5,000-line file costs more than a whole keystroke's budget, one over a function
// costs a few milliseconds.
import type { ReviewLanguage } from './languages';
import type { Node, TreeCursor } from './parser';

const functionTypes: Record<ReviewLanguage, ReadonlySet<string>> = {
  python: new Set(['function_definition']),
  java: new Set(['method_declaration', 'constructor_declaration', 'compact_constructor_declaration']),
  javascript: new Set(['function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function']),
  typescript: new Set(['function_declaration', 'generator_function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function']),
};

export function isFunctionNode(language: ReviewLanguage, node: Node): boolean {
  return functionTypes[language].has(node.type);
}

export interface ReviewUnit {
  /** The function node, or the tree's root node for the module unit. */
  root: Node;
  isModule: boolean;
  /** For the module unit: the function units inside it, whose nodes it does not own. */
  holes: readonly Node[];
  /** The unit's own text (the module unit's without its holes): the cache key. */
  key: string;
}

/** Splits the tree into outermost function units and the module unit. */
export function splitUnits(language: ReviewLanguage, root: Node): ReviewUnit[] {
  const functions: Node[] = [];
  walkNamed(root, (cursor) => {
    if (!functionTypes[language].has(cursor.nodeType)) return true;
    functions.push(cursor.currentNode);
    return false;
  });

  const text = root.text;
  const units: ReviewUnit[] = functions.map((fn) => ({ root: fn, isModule: false, holes: [], key: fn.text }));
  let moduleKey = '';
  let at = root.startIndex;
  for (const fn of functions) {
    moduleKey += text.slice(at - root.startIndex, fn.startIndex - root.startIndex) + '\u0000';
    at = fn.endIndex;
  }
  moduleKey += text.slice(at - root.startIndex);
  units.push({ root, isModule: true, holes: functions, key: moduleKey });
  return units;
}

/**
 * Every named node of a unit grouped by type, collected in one walk, so that thirty rules asking
 * for calls or strings do not walk the unit thirty times. The module unit skips its holes.
 */
export class NodeIndex {
  private readonly byType = new Map<string, Node[]>();

  constructor(unit: ReviewUnit) {
    const holes = new Set(unit.holes.map((h) => h.id));
    walkNamed(unit.root, (cursor) => {
      const node = cursor.currentNode;
      if (holes.has(node.id)) return false;
      const list = this.byType.get(node.type);
      if (list) list.push(node);
      else this.byType.set(node.type, [node]);
      return true;
    });
  }

  /** Nodes of the given types in document order. */
  find(...types: string[]): Node[] {
    if (types.length === 1) return this.byType.get(types[0]) ?? [];
    return types.flatMap((t) => this.byType.get(t) ?? []).sort((a, b) => a.startIndex - b.startIndex);
  }
}

/**
 * Visits every named node below `root` in document order with a tree cursor, which is much cheaper
 * than materialising child arrays. `visit` returns whether to descend into the node.
 */
export function walkNamed(root: Node, visit: (cursor: TreeCursor) => boolean): void {
  const cursor = root.walk();
  let descend = true;
  try {
    for (;;) {
      if (!(descend && cursor.gotoFirstChild()) && !cursor.gotoNextSibling()) {
        let climbed = false;
        while (cursor.gotoParent()) {
          if (cursor.gotoNextSibling()) {
            climbed = true;
            break;
          }
        }
        if (!climbed) return;
      }
      descend = cursor.nodeIsNamed ? visit(cursor) : true;
    }
  } finally {
    cursor.delete();
  }
}
