// The hover over a finding: what the rule is, why it matters, and what compliant code looks like.
import type { Position } from './rule';
import type { Finding } from './rule';
import { ruleCatalog, type CatalogEntry } from './ruleCatalog';

let catalog: Map<string, CatalogEntry> | undefined;

export function ruleEntry(id: string): CatalogEntry | undefined {
  catalog ??= new Map(ruleCatalog().map((entry) => [entry.id, entry]));
  return catalog.get(id);
}

export function findingsAt(findings: readonly Finding[], position: Position): Finding[] {
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return findings.filter((f) => before(f.range.start, position) && before(position, f.range.end));
}

/** Markdown for the findings under the cursor; undefined when there are none. */
export function hoverMarkdown(findings: readonly Finding[], documentationUrl: (id: string) => string): string | undefined {
  const sections = findings.map((finding) => {
    const entry = ruleEntry(finding.ruleId);
    if (!entry) return `**${finding.message}**`;
    const { meta, language } = entry;
    const example = meta.examples[language];
    const facts = [meta.category, meta.severity, meta.cwe ? `[CWE-${meta.cwe}](https://cwe.mitre.org/data/definitions/${meta.cwe}.html)` : undefined].filter(Boolean).join(' · ');
    const lines = [`**${meta.title}** — [\`${finding.ruleId}\`](${documentationUrl(finding.ruleId)}) · ${facts}`, '', meta.why];
    if (example) lines.push('', 'Compliant:', '', '```' + language, example.compliant, '```');
    return lines.join('\n');
  });
  return sections.length > 0 ? sections.join('\n\n---\n\n') : undefined;
}
