// Human-readable review output: findings grouped by file, one line each, then a summary line.
import { relative } from 'node:path';
import type { FileReview } from './reviewFile';

export function toText(reviews: readonly FileReview[], baseDir: string): string {
  const lines: string[] = [];
  let count = 0;
  for (const review of reviews) {
    const name = relative(baseDir, review.path) || review.path;
    if (review.skipped) lines.push(`${name}: not reviewed: ${review.skipped}`);
    if (review.findings.length === 0) continue;
    lines.push(name);
    for (const f of review.findings) {
      count++;
      lines.push(`  ${f.range.start.line + 1}:${f.range.start.character + 1}  ${f.severity.padEnd(7)}  ${f.ruleId}  ${f.message}`);
    }
    lines.push('');
  }
  const files = reviews.filter((r) => !r.skipped).length;
  lines.push(`${count} ${count === 1 ? 'finding' : 'findings'} in ${files} ${files === 1 ? 'file' : 'files'} reviewed.`);
  return lines.join('\n') + '\n';
}
