// Finds the elements of a JSON document's leading array member — the `resourceSpans` of an
// OTLP/JSON file — without parsing the document, so that each element is parsed on its own.
// Measured on 100 MB of OTLP/JSON, one JSON.parse of the whole text spends most of its time in
// garbage collection: the whole tree is alive at once, so every object is copied out of the young
// generation. Element by element, each tree dies young, peak memory is one element instead of the
// whole document, a file bigger than V8's largest string still reads, and a file that is cut off or
// has one bad element loses only that element.
//
// The scan reads bytes: it jumps from quote to quote with Buffer.indexOf (native) inside strings
// and follows brackets outside them. It checks structure only; JSON.parse checks each element.

const quote = 0x22;
const backslash = 0x5c;
const openBrace = 0x7b;
const closeBrace = 0x7d;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const comma = 0x2c;
const colon = 0x3a;

export interface Range {
  start: number;
  end: number;
}

export interface LeadingArray {
  /** The member's name, e.g. "resourceSpans". */
  key: string;
  elements: Range[];
  /** Where the data ended inside the array (a truncated file), if it did. */
  truncatedAt?: number;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(b: Buffer, i: number): number {
  while (i < b.length && isSpace(b[i])) i++;
  return i;
}

/** Just past the string whose opening quote is at `at`; -1 when the data ends first. */
function stringEnd(b: Buffer, at: number): number {
  let from = at + 1;
  for (;;) {
    const q = b.indexOf(quote, from);
    if (q === -1) return -1;
    let k = q - 1;
    while (b[k] === backslash) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** Just past the value starting at `at`; -1 when the data ends first. */
function valueEnd(b: Buffer, at: number): number {
  const first = b[at];
  if (first === quote) return stringEnd(b, at);
  let i = at;
  if (first !== openBrace && first !== openBracket) {
    while (i < b.length && b[i] !== comma && b[i] !== closeBrace && b[i] !== closeBracket && !isSpace(b[i])) i++;
    return i < b.length ? i : -1;
  }
  let depth = 0;
  while (i < b.length) {
    const c = b[i];
    if (c === quote) {
      i = stringEnd(b, i);
      if (i === -1) return -1;
      continue;
    }
    if (c === openBrace || c === openBracket) depth++;
    else if ((c === closeBrace || c === closeBracket) && --depth === 0) return i + 1;
    i++;
  }
  return -1;
}

/**
 * The elements of the array that is the first member of the top-level object, when that member is
 * one of `keys`: `{ "resourceSpans": [ {…}, {…} ] … }`. undefined when the document is shaped
 * otherwise or is malformed outside the elements (the caller then parses it whole, which names the
 * error); elements themselves are not checked here.
 */
export function leadingArray(b: Buffer, start: number, keys: ReadonlySet<string>): LeadingArray | undefined {
  let i = skipSpace(b, start);
  if (b[i] !== openBrace) return undefined;
  i = skipSpace(b, i + 1);
  if (b[i] !== quote) return undefined;
  const keyEnd = stringEnd(b, i);
  if (keyEnd === -1) return undefined;
  const key = b.toString('utf8', i + 1, keyEnd - 1);
  if (!keys.has(key)) return undefined;
  i = skipSpace(b, keyEnd);
  if (b[i] !== colon) return undefined;
  i = skipSpace(b, i + 1);
  if (b[i] !== openBracket) return undefined;
  const elements: Range[] = [];
  i = skipSpace(b, i + 1);
  if (b[i] === closeBracket) i++;
  else {
    for (;;) {
      if (i >= b.length) return { key, elements, truncatedAt: i };
      const end = valueEnd(b, i);
      if (end === -1) return { key, elements, truncatedAt: i };
      elements.push({ start: i, end });
      i = skipSpace(b, end);
      if (b[i] === comma) i = skipSpace(b, i + 1);
      else if (b[i] === closeBracket) {
        i++;
        break;
      } else if (i >= b.length) return { key, elements, truncatedAt: i };
      else return undefined;
    }
  }
  // The rest of the object: other members (ignored, as unknown fields are) and the closing brace.
  i = skipSpace(b, i);
  while (b[i] === comma) {
    i = skipSpace(b, i + 1);
    if (b[i] !== quote) return undefined;
    const nameEnd = stringEnd(b, i);
    if (nameEnd === -1) return undefined;
    i = skipSpace(b, nameEnd);
    if (b[i] !== colon) return undefined;
    const end = valueEnd(b, skipSpace(b, i + 1));
    if (end === -1) return undefined;
    i = skipSpace(b, end);
  }
  if (b[i] !== closeBrace || skipSpace(b, i + 1) !== b.length) return undefined;
  return { key, elements };
}
