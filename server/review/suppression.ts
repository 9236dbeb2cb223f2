// Findings a developer has silenced in a comment: `sightline-ignore` (every rule) or
// `sightline-ignore: python/sql-injection, hardcoded-credentials` on the line or the line above;
// Bandit's `# nosec` and Sonar's `NOSONAR` on the line itself, unless turned off in settings.

const ignoreComment = /(?:#|\/\/|\/\*)[^\n]*?\bsightline-ignore\b(?!-)(?:\s*:\s*([\w/.-]+(?:\s*,\s*[\w/.-]+)*))?/;
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
  if (ignores(lines[line]) || ignores(lines[line - 1])) return true;
  return honorForeign && foreignComment.test(lines[line] ?? '');
}

/** The comment that silences one rule on a line, in the language's comment syntax. */
export function ignoreCommentFor(languageCommentPrefix: '#' | '//', ruleId: string): string {
  return `${languageCommentPrefix} sightline-ignore: ${ruleId}`;
}
