// The part of HCL (Terraform's configuration language) that names resources: blocks with labels,
// their attributes, and string values with their source ranges. Expressions other than a string
// or a `var.x`/`local.x` reference are skipped whole, brackets balanced, so objects, lists, function
// calls and `for` expressions spanning lines never derail the parse. Comments (`#`, `//`, `/* */`)
// and heredocs (`<<EOF`, `<<-EOF`) are read as the language reads them; a syntax error skips to the
// next line and goes on.

export interface HclString {
  /** The text with escapes decoded; template sequences (`${…}`, `%{…}`) kept as written. */
  value: string;
  /** Whether the string has template sequences: its value is then not a constant. */
  template: boolean;
  /** Offsets of the whole literal, quotes or heredoc markers included. */
  start: number;
  end: number;
}

export type HclValue =
  | { kind: 'string'; string: HclString }
  /** `var.bucket_name`, `local.prefix`: a reference to one named value. */
  | { kind: 'reference'; path: string[] }
  | { kind: 'other' };

export interface HclAttribute {
  name: string;
  value: HclValue;
  start: number;
  end: number;
}

export interface HclBlock {
  type: string;
  labels: HclString[];
  /** From the block type to the closing brace. */
  start: number;
  end: number;
  /** End of the header: the last label, or the type when there is none. */
  headerEnd: number;
  attributes: Map<string, HclAttribute>;
  blocks: HclBlock[];
}

export interface HclFile {
  attributes: Map<string, HclAttribute>;
  blocks: HclBlock[];
  /** Every string literal and heredoc, in order, wherever it is. */
  strings: HclString[];
}

type Token =
  | { kind: 'ident'; text: string; start: number; end: number }
  | { kind: 'string'; string: HclString; start: number; end: number }
  | { kind: 'punct'; text: string; start: number; end: number }
  | { kind: 'newline'; start: number; end: number };

const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9') || c === '-';
}

class Tokenizer {
  readonly tokens: Token[] = [];
  readonly strings: HclString[] = [];
  private at = 0;

  constructor(private readonly text: string) {
    while (this.at < text.length) this.next();
  }

  private next(): void {
    const text = this.text;
    const c = text[this.at];
    if (c === '\n') {
      this.tokens.push({ kind: 'newline', start: this.at, end: this.at + 1 });
      this.at++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') {
      this.at++;
    } else if (c === '#' || (c === '/' && text[this.at + 1] === '/')) {
      const end = text.indexOf('\n', this.at);
      this.at = end < 0 ? text.length : end;
    } else if (c === '/' && text[this.at + 1] === '*') {
      const end = text.indexOf('*/', this.at + 2);
      this.at = end < 0 ? text.length : end + 2;
    } else if (c === '"') {
      this.quoted();
    } else if (c === '<' && text[this.at + 1] === '<' && /^<<-?[A-Za-z_][\w-]*[ \t]*\r?\n/.test(text.slice(this.at, this.at + 80))) {
      this.heredoc();
    } else if (isIdentStart(c)) {
      const start = this.at;
      while (this.at < text.length && isIdentPart(text[this.at])) this.at++;
      this.tokens.push({ kind: 'ident', text: text.slice(start, this.at), start, end: this.at });
    } else {
      // `==` and `=>` are not assignments; other punctuation only matters for nesting.
      const two = text.slice(this.at, this.at + 2);
      const width = two === '==' || two === '=>' || two === '!=' || two === '<=' || two === '>=' ? 2 : 1;
      this.tokens.push({ kind: 'punct', text: text.slice(this.at, this.at + width), start: this.at, end: this.at + width });
      this.at += width;
    }
  }

  /** A quoted template: escapes decoded, `${…}` and `%{…}` kept, nested strings and braces inside them skipped. */
  private quoted(): void {
    const text = this.text;
    const start = this.at;
    let value = '';
    let template = false;
    this.at++;
    while (this.at < text.length) {
      const c = text[this.at];
      if (c === '"' || c === '\n') break;
      if (c === '\\' && this.at + 1 < text.length) {
        const e = text[this.at + 1];
        if (e === 'u' || e === 'U') {
          const digits = e === 'u' ? 4 : 8;
          const hex = text.slice(this.at + 2, this.at + 2 + digits);
          value += /^[0-9a-fA-F]+$/.test(hex) ? String.fromCodePoint(parseInt(hex, 16)) : hex;
          this.at += 2 + digits;
        } else {
          value += escapes[e] ?? e;
          this.at += 2;
        }
      } else if ((c === '$' || c === '%') && text[this.at + 1] === c && text[this.at + 2] === '{') {
        // `$${` and `%%{` are the escaped, literal `${` and `%{`.
        value += `${c}{`;
        this.at += 3;
      } else if ((c === '$' || c === '%') && text[this.at + 1] === '{') {
        const end = this.templateEnd(this.at + 2);
        value += text.slice(this.at, end);
        template = true;
        this.at = end;
      } else {
        value += c;
        this.at++;
      }
    }
    if (text[this.at] === '"') this.at++;
    this.push({ value, template, start, end: this.at });
  }

  /** The offset after the `}` closing a template sequence whose body starts at `from`. */
  private templateEnd(from: number): number {
    const text = this.text;
    let depth = 1;
    let at = from;
    while (at < text.length && depth > 0) {
      const c = text[at];
      if (c === '"') {
        at++;
        while (at < text.length && text[at] !== '"' && text[at] !== '\n') at += text[at] === '\\' ? 2 : 1;
      } else if (c === '{') depth++;
      else if (c === '}') depth--;
      at++;
    }
    return at;
  }

  /** `<<EOF` … `EOF`, `<<-EOF` … `  EOF`: the body up to a line that is the marker alone. */
  private heredoc(): void {
    const text = this.text;
    const start = this.at;
    const header = /^<<(-?)([A-Za-z_][\w-]*)[ \t]*\r?\n/.exec(text.slice(this.at, this.at + 80))!;
    const marker = header[2];
    const bodyStart = this.at + header[0].length;
    let lineStart = bodyStart;
    let end = text.length;
    let bodyEnd = text.length;
    while (lineStart < text.length) {
      const newline = text.indexOf('\n', lineStart);
      const lineEnd = newline < 0 ? text.length : newline;
      if (text.slice(lineStart, lineEnd).trim() === marker) {
        bodyEnd = lineStart;
        end = lineEnd;
        break;
      }
      lineStart = lineEnd + 1;
    }
    const body = text.slice(bodyStart, bodyEnd);
    this.at = end;
    this.push({ value: body, template: /[$%]\{/.test(body.replace(/([$%])\1\{/g, '')), start, end });
  }

  private push(string: HclString): void {
    this.strings.push(string);
    this.tokens.push({ kind: 'string', string, start: string.start, end: string.end });
  }
}

const closers: Record<string, string> = { '{': '}', '[': ']', '(': ')' };

class Parser {
  private at = 0;

  constructor(private readonly tokens: Token[]) {}

  /** A body up to the closing brace of its block (consumed), or to the end of the file. */
  body(nested: boolean): { attributes: Map<string, HclAttribute>; blocks: HclBlock[]; end: number } {
    const attributes = new Map<string, HclAttribute>();
    const blocks: HclBlock[] = [];
    const tokens = this.tokens;
    while (this.at < tokens.length) {
      const token = tokens[this.at];
      if (token.kind === 'newline') {
        this.at++;
      } else if (token.kind === 'punct' && token.text === '}') {
        this.at++;
        if (nested) return { attributes, blocks, end: token.end };
      } else if (token.kind === 'ident') {
        const next = tokens[this.at + 1];
        if (next?.kind === 'punct' && next.text === '=') {
          this.at += 2;
          const value = this.expression();
          attributes.set(token.text, { name: token.text, value: value.value, start: token.start, end: value.end });
        } else {
          const block = this.block(token);
          if (block) blocks.push(block);
        }
      } else {
        this.skipLine();
      }
    }
    return { attributes, blocks, end: tokens.length ? tokens[tokens.length - 1].end : 0 };
  }

  private block(type: Token & { kind: 'ident' }): HclBlock | undefined {
    const tokens = this.tokens;
    const labels: HclString[] = [];
    let headerEnd = type.end;
    this.at++;
    while (this.at < tokens.length) {
      const token = tokens[this.at];
      if (token.kind === 'string') labels.push(token.string);
      else if (token.kind === 'ident') labels.push({ value: token.text, template: false, start: token.start, end: token.end });
      else if (token.kind === 'punct' && token.text === '{') {
        this.at++;
        const body = this.body(true);
        return { type: type.text, labels, start: type.start, end: body.end, headerEnd, attributes: body.attributes, blocks: body.blocks };
      } else {
        this.skipLine();
        return undefined;
      }
      headerEnd = token.end;
      this.at++;
    }
    return undefined;
  }

  /** An attribute's value: to the end of its line, or to a `}` closing the block on the same line, brackets balanced. */
  private expression(): { value: HclValue; end: number } {
    const tokens = this.tokens;
    const first = this.at;
    const stack: string[] = [];
    let end = tokens[first - 1]?.end ?? 0;
    while (this.at < tokens.length) {
      const token = tokens[this.at];
      if (stack.length === 0 && (token.kind === 'newline' || (token.kind === 'punct' && (token.text === '}' || token.text === ',')))) break;
      if (token.kind === 'punct') {
        if (closers[token.text]) stack.push(closers[token.text]);
        else if (token.text === stack[stack.length - 1]) stack.pop();
      }
      end = token.end;
      this.at++;
    }
    const parts = tokens.slice(first, this.at);
    if (parts.length === 1 && parts[0].kind === 'string') return { value: { kind: 'string', string: parts[0].string }, end };
    if (parts.length >= 3 && parts.every((p, i) => (i % 2 === 0 ? p.kind === 'ident' : p.kind === 'punct' && p.text === '.'))) {
      return { value: { kind: 'reference', path: parts.filter((p) => p.kind === 'ident').map((p) => (p as { text: string }).text) }, end };
    }
    return { value: { kind: 'other' }, end };
  }

  private skipLine(): void {
    const tokens = this.tokens;
    this.at++;
    while (this.at < tokens.length && tokens[this.at].kind !== 'newline') this.at++;
  }
}

export function parseHcl(text: string): HclFile {
  const tokenizer = new Tokenizer(text);
  const body = new Parser(tokenizer.tokens).body(false);
  return { attributes: body.attributes, blocks: body.blocks, strings: tokenizer.strings };
}
