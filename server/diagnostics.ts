// Findings → LSP diagnostics. The rule id is the diagnostic code, linked to its documentation.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Finding } from './review/rule';
import { ruleEntry } from './review/hover';
import { anchor } from './review/ruleDocs';
import type { SeverityName } from './settings';

export const diagnosticSource = 'sightline';

const severities: Record<SeverityName, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function ruleDocumentationUrl(ruleId: string): string {
  return `https://github.com/sightline-dev/sightline/blob/main/docs/rules.md#${anchor(ruleId)}`;
}

export function toDiagnostic(finding: Finding, uri: string): Diagnostic {
  const entry = ruleEntry(finding.ruleId);
  return {
    range: finding.range,
    severity: severities[finding.severity],
    source: diagnosticSource,
    code: finding.ruleId,
    codeDescription: { href: ruleDocumentationUrl(finding.ruleId) },
    message: finding.message,
    relatedInformation: finding.related?.map((r) => ({ location: { uri, range: r.range }, message: r.message })),
    data: entry ? { category: entry.meta.category, cwe: entry.meta.cwe } : undefined,
  };
}
