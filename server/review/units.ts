// A document is reviewed in units: each outermost function or method is one unit, and everything
// outside them (imports, module-level statements, fields) is the module unit. Findings are cached
// per unit, so after a keystroke only the unit that changed is reviewed again: one tree-sitter
// query over a 5,000-line file costs more than a whole keystroke's budget, one over a function
// costs a few milliseconds.
import type { ReviewLanguage } from './languages';
import type { Node } from './parser';

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
  // One walk inside tree-sitter finds every function in document order; the outermost are those
  // not inside the last outermost one kept.
  const functions: Node[] = [];
  let end = -1;
  for (const node of root.descendantsOfType([...functionTypes[language]])) {
    if (!node || node.startIndex < end) continue;
    functions.push(node);
    end = node.endIndex;
  }
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
 * Which node types the rules ask for, per grammar, learned as they ask. A type most units ask for
 * is collected eagerly in the one walk over each unit; a rarely asked one (identifiers, wanted by
 * a rule only once it already has a finding) is fetched on demand, because materialising every
 * identifier of every unit as a JavaScript object costs more than all the rules together.
 */
export class NodeDemand {
  readonly eager = new Set<string>();
  private readonly asked = new Map<string, number>();
  private units = 0;

  unitReviewed(): void {
    this.units++;
  }

  /** Every type any rule has asked for: the module unit, reviewed once per file, collects them all in one walk. */
  get known(): Iterable<string> {
    return this.asked.keys();
  }

  /** Records a request; a type asked in most units (after a few) becomes eager. */
  ask(type: string): void {
    const count = (this.asked.get(type) ?? 0) + 1;
    this.asked.set(type, count);
    if (!this.eager.has(type) && this.units >= 8 && count * 2 > this.units) this.eager.add(type);
  }
}

/**
 * The named nodes of a unit by type. One cursor walk collects the eager types; other types are
 * fetched once per unit with a walk inside tree-sitter. The module unit skips its holes.
 */
export class NodeIndex {
  private readonly byType = new Map<string, Node[]>();
  private readonly collected: ReadonlySet<string>;
  private readonly holeStarts: number[];
  private readonly holeIds: ReadonlySet<number>;

  constructor(private readonly unit: ReviewUnit, private readonly demand: NodeDemand) {
    demand.unitReviewed();
    this.holeStarts = unit.holes.map((h) => h.startIndex);
    this.holeIds = new Set(unit.holes.map((h) => h.id));
    // The module unit is reviewed once per file: collect every type any rule has asked for in one walk.
    this.collected = new Set(unit.isModule ? demand.known : demand.eager);
    if (this.collected.size === 0) return;
    // One walk inside tree-sitter for every eager type; node.type is then read on the JS side.
    for (const node of this.descendantsOfType([...this.collected])) {
      const list = this.byType.get(node.type);
      if (list) list.push(node);
      else this.byType.set(node.type, [node]);
    }
    for (const type of this.collected) if (!this.byType.has(type)) this.byType.set(type, []);
  }

  /** Nodes of the given types in document order. */
  find(...types: string[]): Node[] {
    for (const type of types) {
      this.demand.ask(type);
      if (!this.collected.has(type) && !this.byType.has(type)) this.byType.set(type, this.fetch(type));
    }
    if (types.length === 1) return this.byType.get(types[0])!;
    return types.flatMap((t) => this.byType.get(t)!).sort((a, b) => a.startIndex - b.startIndex);
  }

  private fetch(type: string): Node[] {
    return this.descendantsOfType([type]);
  }

  /**
   * The unit's own nodes of these types, in document order. For the module unit, subtrees without
   * functions go to tree-sitter whole, and only the few nodes that enclose functions (classes,
   * their bodies) are stepped through here: handing the whole tree to tree-sitter would turn every
   * matching node inside every function into a JavaScript object only to drop it.
   */
  private descendantsOfType(types: string[]): Node[] {
    const { root } = this.unit;
    const found: Node[] = [];
    const collect = (node: Node) => {
      for (const match of node.descendantsOfType(types)) if (match && match.id !== root.id) found.push(match);
    };
    if (this.holeStarts.length === 0) {
      collect(root);
      return found;
    }
    const wanted = new Set(types);
    const visit = (node: Node) => {
      for (const child of node.children) {
        if (!child || this.holeIds.has(child.id)) continue;
        if (!this.enclosesHole(child)) collect(child);
        else {
          if (wanted.has(child.type)) found.push(child);
          visit(child);
        }
      }
    };
    visit(root);
    return found;
  }

  /** Whether a function unit lies inside `node` (units never overlap, so checking starts suffices). */
  private enclosesHole(node: Node): boolean {
    const starts = this.holeStarts;
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid] < node.startIndex) low = mid + 1;
      else high = mid;
    }
    return low < starts.length && starts[low] < node.endIndex;
  }
}
