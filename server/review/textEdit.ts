// Turns two versions of a text into the single tree-sitter edit that covers their difference.
// Comparing the common prefix and suffix costs one linear scan, which is far cheaper than a parse,
// and it is correct however many content changes the client batched into one didChange.
import type { Edit } from '@vscode/tree-sitter-wasm';
import { LineIndex } from './lineIndex';

export function editBetween(oldText: string, newText: string): Edit | undefined {
  if (oldText === newText) return undefined;
  const shorter = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start < shorter && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let oldEnd = oldText.length;
  let newEnd = newText.length;
  while (oldEnd > start && newEnd > start && oldText.charCodeAt(oldEnd - 1) === newText.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  const oldLines = new LineIndex(oldText);
  return {
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: point(oldLines.positionAt(start)),
    oldEndPosition: point(oldLines.positionAt(oldEnd)),
    newEndPosition: point(new LineIndex(newText).positionAt(newEnd)),
  };
}

function point(position: { line: number; character: number }) {
  return { row: position.line, column: position.character };
}
