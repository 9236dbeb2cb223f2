// Text from data (audit fields, trace attributes) is shown as text, never parsed; on top of that,
// characters that would make it read differently from what it is — bidirectional overrides that
// reverse "gpj.exe" into "exe.jpg", zero-width joiners, other control characters — are shown as
// visible markers such as [U+202E], so a record looks on screen exactly like what it contains.
import { h } from './dom';

/** Bidi controls, zero-width characters, C0/C1 controls (but tab, CR and LF) and DEL. */
const hidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const whitespace = /[\t\r\n]+/g;

const codePoint = (c: string) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** The text on one line, with hidden characters written as [U+XXXX]: for titles and plain strings. */
export function visibleText(value: string): string {
  return value.replace(whitespace, ' ').replace(hidden, (c) => `[${codePoint(c)}]`);
}

/** The text on one line as nodes: plain text, and a marked-up [U+XXXX] for each hidden character. */
export function dataText(value: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const text = value.replace(whitespace, ' ');
  let last = 0;
  for (const match of text.matchAll(hidden)) {
    const index = match.index ?? 0;
    if (index > last) fragment.append(text.slice(last, index));
    fragment.append(h('span', { className: 'hidden-char', title: `Invisible character ${codePoint(match[0])} in the data` }, codePoint(match[0])));
    last = index + match[0].length;
  }
  if (last < text.length) fragment.append(text.slice(last));
  return fragment;
}
