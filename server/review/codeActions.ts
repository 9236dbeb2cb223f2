// Quick fixes for findings: the rule's own safe edits, "Ignore on this line" (a sightline-ignore
// comment in the language's syntax) and "Disable rule in settings" (a client command).
import type { ParsedDocument } from './documentTrees';
import type { ReviewLanguage } from './languages';
import type { Finding, Span } from './rule';

export const disableRuleCommand = 'sightline.disableRule';

export interface TextEditOut {
  range: Span;
  newText: string;
}

export interface FindingAction {
  title: string;
  finding: Finding;
  edits?: TextEditOut[];
  command?: { title: string; command: string; arguments: unknown[] };
  isPreferred?: boolean;
}

const commentPrefix: Record<ReviewLanguage, string> = { python: '#', java: '//', javascript: '//', typescript: '//' };

export function actionsForFinding(finding: Finding, language: ReviewLanguage, text: string, parsed: ParsedDocument | undefined): FindingAction[] {
  const actions: FindingAction[] = (finding.fixes ?? []).map((fix, i) => ({ title: fix.title, finding, edits: fix.edits, isPreferred: i === 0 }));
  actions.push({ title: `Ignore ${finding.ruleId} on this line`, finding, edits: [ignoreEdit(finding, language, text, parsed)] });
  actions.push({
    title: `Disable rule ${finding.ruleId} in settings`,
    finding,
    command: { title: `Disable rule ${finding.ruleId}`, command: disableRuleCommand, arguments: [finding.ruleId] },
  });
  return actions;
}

/**
 * The comment goes at the end of the finding's line, unless that line ends inside a multi-line
 * string or comment, where a comment would change the code; then it goes on its own line above.
 */
function ignoreEdit(finding: Finding, language: ReviewLanguage, text: string, parsed: ParsedDocument | undefined): TextEditOut {
  const line = finding.range.start.line;
  const lines = text.split('\n');
  const lineText = (lines[line] ?? '').replace(/\r$/, '');
  const comment = `${commentPrefix[language]} sightline-ignore: ${finding.ruleId}`;
  const lineStart = lines.slice(0, line).reduce((sum, l) => sum + l.length + 1, 0);
  const endIndex = lineStart + lineText.length;
  const inside = parsed?.tree.rootNode.descendantForIndex(Math.max(lineStart, endIndex - 1), endIndex);
  let node = inside;
  let insideMultiline = false;
  while (node) {
    if (/string|comment|template/.test(node.type) && node.endPosition.row > line) {
      insideMultiline = true;
      break;
    }
    node = node.parent;
  }
  if (insideMultiline || lineText.trim() === '') {
    const indent = /^\s*/.exec(lineText)?.[0] ?? '';
    return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${comment}\n` };
  }
  return { range: { start: { line, character: lineText.length }, end: { line, character: lineText.length } }, newText: `  ${comment}` };
}
