// SARIF 2.1.0 output for CI (GitHub code scanning, Azure DevOps, SonarQube imports).
import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleDocumentationUrl } from '../diagnostics';
import type { SeverityName } from '../settings';
import { version } from '../version';
import { ruleCatalog } from './ruleCatalog';
import type { FileReview } from './reviewFile';

const levels: Record<SeverityName, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function toSarif(reviews: readonly FileReview[], baseDir: string): object {
  const catalog = ruleCatalog();
  const index = new Map(catalog.map((entry, i) => [entry.id, i]));
  const rules = catalog.map(({ id, meta, language }) => {
    const example = meta.examples[language];
    return {
      id,
      name: meta.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')),
      shortDescription: { text: meta.title },
      fullDescription: { text: meta.why },
      helpUri: ruleDocumentationUrl(id),
      help: {
        text: example ? `${meta.why}\n\nNon-compliant:\n${example.noncompliant}\n\nCompliant:\n${example.compliant}` : meta.why,
      },
      defaultConfiguration: { level: levels[meta.severity] },
      properties: {
        tags: [meta.category, ...(meta.cwe ? [`external/cwe/cwe-${meta.cwe}`] : [])],
        ...(meta.category === 'security' ? { 'security-severity': meta.severity === 'error' ? '8.0' : '5.0' } : {}),
      },
    };
  });
  const results = reviews.flatMap((review) =>
    review.findings.map((finding) => ({
      ruleId: finding.ruleId,
      ruleIndex: index.get(finding.ruleId),
      level: levels[finding.severity],
      message: { text: finding.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: artifactUri(review.path, baseDir), uriBaseId: 'SRCROOT' },
            region: {
              startLine: finding.range.start.line + 1,
              startColumn: finding.range.start.character + 1,
              endLine: finding.range.end.line + 1,
              endColumn: finding.range.end.character + 1,
            },
          },
        },
      ],
    })),
  );
  const notifications = reviews.flatMap((review) =>
    review.skipped ? [{ level: 'note', message: { text: `${review.path} was not reviewed: ${review.skipped}` } }] : [],
  );
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Sightline', version, semanticVersion: version, informationUri: 'https://github.com/sightline-dev/sightline', rules } },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(baseDir + sep).href } },
        columnKind: 'utf16CodeUnits',
        results,
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
      },
    ],
  };
}

/** Paths under the base become relative URIs; others stay absolute file URIs. */
function artifactUri(path: string, baseDir: string): string {
  const rel = relative(baseDir, path);
  if (rel.startsWith('..') || rel === '') return pathToFileURL(path).href;
  return rel.split(sep).map(encodeURIComponent).join('/');
}
