// Findings a developer has silenced in a comment: `sightline-ignore` (every rule) or
// `sightline-ignore: python/sql-injection, hardcoded-credentials` at the end of the line, or on a
// comment line of its own just above (a trailing comment on the line above belongs to that line);
// Bandit's `# nosec` and Sonar's `NOSONAR` on the line itself, unless turned off in settings.

const ignoreComment = /(?:#|\/\/|\/\*)[^\n]*?\bsightline-ignore\b(?!-)(?:\s*:\s*([\w/.-]+(?:\s*,\s*[\w/.-]+)*))?/;
const commentOnly = /^\s*(#|\/\/|\/\*|\*)/;
const foreignComment = /(?:#\s*nosec\b|(?:#|\/\/|\/\*)[^\n]*?\bNOSONAR\b)/;

export function isSuppressed(lines: readonly string[], line: number, ruleId: string, honorForeign: boolean): boolean {
  const name = ruleId.slice(ruleId.indexOf('/') + 1);
  const ignores = (text: string | undefined) => {
    if (text === undefined) return false;
    const match = ignoreComment.exec(text);
    if (!match) return false;
    if (!match[1]) return true;
    return match[1].split(/\s*,\s*/).some((id) => id === ruleId || id === name);
  };
  const above = lines[line - 1];
  if (ignores(lines[line]) || (above !== undefined && commentOnly.test(above) && ignores(above))) return true;
  return honorForeign && foreignComment.test(lines[line] ?? '');
}

/** The comment that silences one rule on a line, in the language's comment syntax. */
export function ignoreCommentFor(languageCommentPrefix: '#' | '//', ruleId: string): string {
  return `${languageCommentPrefix} sightline-ignore: ${ruleId}`;
}
