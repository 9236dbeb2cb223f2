// CloudWatch Logs JSON filter patterns — the language the CIS AWS Foundations Benchmark writes its
// monitoring controls in — compiled once into a predicate over a CloudTrail record, so a CIS
// detection runs the benchmark's own pattern text rather than a paraphrase of it.
//
// Only what those controls use: `{ … }`, `&&`, `||`, parentheses, `$.a.b` selectors, `=` and `!=`
// against a quoted or bare string, and `NOT EXISTS`. The semantics are the ones the CloudWatch Logs
// User Guide ("Filter and pattern syntax", JSON filter patterns) documents:
// - comparisons are case-sensitive;
// - `*` is a wildcard only at the start and/or end of a value (`*Event`, `Event*`, `*vent*`);
//   elsewhere it is the character itself;
// - `&&` binds tighter than `||` ("() > && > ||"), so `A || B && C` is `A || (B && C)`;
// - a comparison applies only when the selector reaches a value node (string, number, boolean): a
//   missing field, null, an object or an array makes both `=` and `!=` false;
// - `NOT EXISTS` is true only when the field is absent (a field set to null exists).

export type RecordPredicate = (record: unknown) => boolean;

export interface FilterPattern {
  matches: RecordPredicate;
  /** The eventNames a matching record must have, when the pattern pins `$.eventName` down. */
  eventNames?: ReadonlySet<string>;
}

type Node =
  | { kind: 'or' | 'and'; items: Node[] }
  | { kind: 'compare'; path: string[]; negate: boolean; value: string }
  | { kind: 'notExists'; path: string[] };

type Token =
  | { kind: 'punct'; text: '{' | '}' | '(' | ')' | '&&' | '||' | '=' | '!='; at: number }
  | { kind: 'selector'; path: string[]; at: number }
  | { kind: 'value'; text: string; at: number };

export class FilterPatternError extends Error {
  constructor(pattern: string, at: number, problem: string) {
    super(`filter pattern ${JSON.stringify(pattern)}: ${problem} at offset ${at}`);
    this.name = 'FilterPatternError';
  }
}

/** Characters that end a bare (unquoted) value or keyword. */
const BARE_STOP = /[\s(){}&|=!"]/;

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '{' || c === '}' || c === '(' || c === ')' || c === '=') {
      tokens.push({ kind: 'punct', text: c, at: i });
      i++;
    } else if (pattern.startsWith('&&', i) || pattern.startsWith('||', i) || pattern.startsWith('!=', i)) {
      tokens.push({ kind: 'punct', text: pattern.slice(i, i + 2) as '&&' | '||' | '!=', at: i });
      i += 2;
    } else if (c === '$') {
      const match = /^\$((?:\.[A-Za-z0-9_-]+)+)/.exec(pattern.slice(i));
      if (!match) throw new FilterPatternError(pattern, i, 'a selector must look like $.field.field');
      tokens.push({ kind: 'selector', path: match[1].slice(1).split('.'), at: i });
      i += match[0].length;
    } else if (c === '"') {
      let text = '';
      let j = i + 1;
      for (; j < pattern.length && pattern[j] !== '"'; j++) {
        if (pattern[j] === '\\' && j + 1 < pattern.length) j++;
        text += pattern[j];
      }
      if (j >= pattern.length) throw new FilterPatternError(pattern, i, 'unterminated string');
      tokens.push({ kind: 'value', text, at: i });
      i = j + 1;
    } else {
      let j = i;
      while (j < pattern.length && !BARE_STOP.test(pattern[j])) j++;
      if (j === i) throw new FilterPatternError(pattern, i, `unexpected ${JSON.stringify(c)}`);
      tokens.push({ kind: 'value', text: pattern.slice(i, j), at: i });
      i = j;
    }
  }
  return tokens;
}

function parse(pattern: string): Node {
  const tokens = tokenize(pattern);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const atEnd = (): number => (tokens[pos]?.at ?? pattern.length);
  const isPunct = (text: string): boolean => {
    const t = tokens[pos];
    return t !== undefined && t.kind === 'punct' && t.text === text;
  };
  const expect = (text: string): void => {
    if (!isPunct(text)) throw new FilterPatternError(pattern, atEnd(), `expected ${text}`);
    pos++;
  };

  const primary = (): Node => {
    if (isPunct('(')) {
      pos++;
      const inner = or();
      expect(')');
      return inner;
    }
    const selector = peek();
    if (selector?.kind !== 'selector') throw new FilterPatternError(pattern, atEnd(), 'expected a selector or (');
    pos++;
    const op = peek();
    if (op?.kind === 'punct' && (op.text === '=' || op.text === '!=')) {
      pos++;
      const value = peek();
      if (value?.kind !== 'value') throw new FilterPatternError(pattern, atEnd(), 'expected a value');
      pos++;
      return { kind: 'compare', path: selector.path, negate: op.text === '!=', value: value.text };
    }
    if (op?.kind === 'value' && op.text === 'NOT' && tokens[pos + 1]?.kind === 'value' && (tokens[pos + 1] as { text: string }).text === 'EXISTS') {
      pos += 2;
      return { kind: 'notExists', path: selector.path };
    }
    throw new FilterPatternError(pattern, atEnd(), 'expected =, != or NOT EXISTS');
  };
  const and = (): Node => {
    const items = [primary()];
    while (isPunct('&&')) {
      pos++;
      items.push(primary());
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  };
  const or = (): Node => {
    const items = [and()];
    while (isPunct('||')) {
      pos++;
      items.push(and());
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  };

  expect('{');
  const root = or();
  expect('}');
  if (pos < tokens.length) throw new FilterPatternError(pattern, atEnd(), 'unexpected text after }');
  return root;
}

const MISSING = Symbol('missing');

function resolve(record: unknown, path: readonly string[]): unknown {
  let value = record;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return MISSING;
    value = (value as Record<string, unknown>)[key];
    if (value === undefined) return MISSING;
  }
  return value;
}

/** The value node as text, or undefined when the selector did not reach one. */
function valueText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string': return value;
    case 'number':
    case 'boolean': return String(value);
    default: return undefined;
  }
}

function matcher(value: string): (text: string) => boolean {
  if (value === '*') return () => true;
  const leading = value.startsWith('*');
  const trailing = value.length > 1 && value.endsWith('*');
  const core = value.slice(leading ? 1 : 0, trailing ? -1 : undefined);
  if (leading && trailing) return (text) => text.includes(core);
  if (leading) return (text) => text.endsWith(core);
  if (trailing) return (text) => text.startsWith(core);
  return (text) => text === core;
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

function compile(node: Node): RecordPredicate {
  switch (node.kind) {
    case 'compare': {
      const { path, negate } = node;
      const matches = matcher(node.value);
      return (record) => {
        const text = valueText(resolve(record, path));
        if (text === undefined) return false;
        return matches(text) !== negate;
      };
    }
    case 'notExists': {
      const { path } = node;
      return (record) => resolve(record, path) === MISSING;
    }
    case 'or': {
      // `($.eventName = A) || ($.eventName = B) || …` — most CIS controls — is one set lookup.
      const first = node.items[0];
      if (first.kind === 'compare' && node.items.every((item) => item.kind === 'compare' && !item.negate && !item.value.includes('*') && samePath(item.path, first.path))) {
        const values = new Set(node.items.map((item) => (item as { value: string }).value));
        const { path } = first;
        return (record) => {
          const text = valueText(resolve(record, path));
          return text !== undefined && values.has(text);
        };
      }
      const items = node.items.map(compile);
      return (record) => {
        for (const item of items) if (item(record)) return true;
        return false;
      };
    }
    case 'and': {
      const items = node.items.map(compile);
      return (record) => {
        for (const item of items) if (!item(record)) return false;
        return true;
      };
    }
  }
}

/**
 * The values `field` must have for `node` to match, when it says: a disjunction fixes them only if
 * every branch does; a conjunction fixes the values all its fixing branches agree on.
 */
function requiredValues(node: Node, field: string): Set<string> | undefined {
  switch (node.kind) {
    case 'compare':
      return node.path.length === 1 && node.path[0] === field && !node.negate && !node.value.includes('*') ? new Set([node.value]) : undefined;
    case 'notExists':
      return undefined;
    case 'or': {
      const union = new Set<string>();
      for (const item of node.items) {
        const values = requiredValues(item, field);
        if (!values) return undefined;
        for (const value of values) union.add(value);
      }
      return union;
    }
    case 'and': {
      let common: Set<string> | undefined;
      for (const item of node.items) {
        const values = requiredValues(item, field);
        if (values) common = common ? new Set([...common].filter((value) => values.has(value))) : values;
      }
      return common;
    }
  }
}

/** Compiles a JSON filter pattern; throws FilterPatternError on text outside the subset above. */
export function compileFilterPattern(pattern: string): FilterPattern {
  const root = parse(pattern);
  const compiled: FilterPattern = { matches: compile(root) };
  const eventNames = requiredValues(root, 'eventName');
  if (eventNames) compiled.eventNames = eventNames;
  return compiled;
}
