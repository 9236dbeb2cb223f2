// LSP wiring of the audit features: imports, lookups, who-changed, full records, Insights and
// detections, and telling the client when events arrive.
import type { Connection } from 'vscode-languageserver/node';
import {
  auditChangedNotification,
  auditFindingsRequest,
  auditForDocumentRequest,
  type AuditForDocument,
  type AuditGroup,
  auditRecordRequest,
  importAuditRequest,
  lookupAuditRequest,
  whoChangedRequest,
} from '../protocol';
import { AuditFindingsCache } from './auditFindings';
import { describeChange, type AuditService } from './auditService';
import { toView, whoOf } from './auditViews';
import { auditTerms, referencesFor, type CodeReference, type ReferenceDocument } from './codeReferences';
import { importAuditPaths } from './readers';

export interface AuditWiring {
  connection: Connection;
  service(): AuditService | undefined;
  readOnly(): boolean;
  /** The open document's text, language and (for code) syntax tree. */
  document(uri: string): ReferenceDocument | undefined;
  /** Events were stored: open documents' failure diagnostics may change. */
  eventsStored(): void;
}

/** A call failing this often in the window is worth a diagnostic. */
const repeatedFailures = 3;

export interface FailureNote {
  range: CodeReference['range'];
  message: string;
}

/** API calls in the document whose CloudTrail events failed repeatedly in the last 24 hours. */
export function repeatedFailureNotes(service: AuditService, document: ReferenceDocument, now = Date.now()): FailureNote[] {
  const notes: FailureNote[] = [];
  for (const reference of referencesFor(document)) {
    if (reference.kind !== 'call') continue;
    const { events, failures, failureCodes } = service.eventsFor({ all: auditTerms(reference) }, 1, now - failureWindowMs);
    if (failures < repeatedFailures) continue;
    const codes = [...failureCodes].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ×${n}`).join(', ');
    const last = events[0] ? `; last call by ${whoOf(events[0])}` : '';
    notes.push({ range: reference.range, message: `CloudTrail: ${reference.eventName ?? reference.text} failed ${failures} times in the last 24 h (${codes})${last}.` });
  }
  return notes;
}

const eventsPerGroup = 20;
const failureWindowMs = 24 * 3_600_000;

/** What the document touches in AWS, each with the events that touch it, busiest first. */
export function auditForDocument(service: AuditService, uri: string, document: ReferenceDocument | undefined, now = Date.now()): AuditForDocument {
  const storedEvents = service.eventCount;
  if (!document) return { uri, groups: [], storedEvents };
  const byTerms = new Map<string, { reference: CodeReference; lines: Set<number>; terms: string[] }>();
  for (const reference of referencesFor(document)) {
    const terms = auditTerms(reference);
    if (terms.length === 0) continue;
    const key = terms.join('\u0000');
    const group = byTerms.get(key) ?? { reference, lines: new Set<number>(), terms };
    group.lines.add(reference.range.start.line);
    byTerms.set(key, group);
  }
  const groups: AuditGroup[] = [...byTerms.values()].map(({ reference, lines, terms }) => {
    const { events, failures, failureCodes } = service.eventsFor({ all: terms }, eventsPerGroup, now - failureWindowMs);
    return {
      title: reference.text,
      kind: reference.kind,
      lines: [...lines].sort((a, b) => a - b),
      events: events.map(toView),
      failures,
      failureCodes: [...failureCodes].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count),
    };
  });
  groups.sort((a, b) => (b.events[0]?.time ?? 0) - (a.events[0]?.time ?? 0) || a.lines[0] - b.lines[0]);
  return { uri, groups, storedEvents };
}

/** Hover text for an AWS call or resource under the cursor: its last events and failures. */
export function auditHoverAt(service: AuditService | undefined, document: ReferenceDocument | undefined, position: { line: number; character: number }): string | undefined {
  if (!service || !document || service.eventCount === 0) return undefined;
  const inside = (r: CodeReference) =>
    (r.range.start.line < position.line || (r.range.start.line === position.line && r.range.start.character <= position.character)) &&
    (r.range.end.line > position.line || (r.range.end.line === position.line && position.character <= r.range.end.character));
  const reference = referencesFor(document).find(inside);
  if (!reference) return undefined;
  const { events, failures, failureCodes } = service.eventsFor({ all: auditTerms(reference) }, 5, Date.now() - failureWindowMs);
  if (events.length === 0) return `**CloudTrail:** no stored events for ${escape(reference.text)}.`;
  const lines = events.map((e) => `- ${new Date(e.time).toISOString()} · ${escape(e.eventName)} by ${escape(whoOf(e))}${e.errorCode ? ` · **${escape(e.errorCode)}**` : ''}`);
  const failed = failures > 0 ? `\n\n${failures} failed in the last 24 h: ${[...failureCodes].map(([c, n]) => `${escape(c)} ×${n}`).join(', ')}` : '';
  return `**CloudTrail events for ${escape(reference.text)}**\n\n${lines.join('\n')}${failed}`;
}

/** Audit fields come from whoever made the call: never let them become markdown. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, (c) => `\\${c}`);
}

export function registerAuditHandlers(w: AuditWiring): { eventsArrived(): void } {
  const { connection } = w;
  const need = (): AuditService => {
    const service = w.service();
    if (!service) throw new Error('The audit store is not open; see the Sightline output for why.');
    return service;
  };
  const eventsArrived = () => {
    void connection.sendNotification(auditChangedNotification, { events: w.service()?.eventCount ?? 0 });
    w.eventsStored();
  };

  connection.onRequest(lookupAuditRequest, (params) => need().lookup(params).map(toView));
  connection.onRequest(whoChangedRequest, ({ resource }) => {
    const events = need().whoChanged(resource);
    return { events: events.map(toView), lines: events.map(describeChange) };
  });
  connection.onRequest(auditForDocumentRequest, ({ uri }) => auditForDocument(need(), uri, w.document(uri)));
  connection.onRequest(auditRecordRequest, ({ eventId }) => need().lookup({ eventId })[0]?.record ?? null);
  // The cache checks the store's per-day counts on every request, so it needs no word from
  // eventsArrived: whatever changed the store (imports, polls, retention), the changed days are read again.
  let findings: { service: AuditService; cache: AuditFindingsCache } | undefined;
  connection.onRequest(auditFindingsRequest, () => {
    const service = need();
    if (findings?.service !== service) findings = { service, cache: new AuditFindingsCache(service) };
    return findings.cache.findings();
  });

  connection.onRequest(importAuditRequest, async (params, token) => {
    const service = need();
    if (w.readOnly()) throw new Error('The audit store is open read-only (another process holds it); nothing can be imported.');
    const progress = await connection.window.attachWorkDoneProgress(params.workDoneToken);
    progress.begin('Sightline: importing CloudTrail logs', 0, 'Finding files…', true);
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort());
    let inserted = 0;
    let duplicates = 0;
    try {
      const result = await importAuditPaths(params.paths, {
        signal: abort.signal,
        onBatch(events) {
          const added = service.ingest(events);
          inserted += added.inserted + added.replaced;
          duplicates += added.duplicates;
        },
        onProgress(p) {
          const percent = p.filesTotal ? Math.floor((p.filesDone / p.filesTotal) * 100) : 0;
          progress.report(percent, `${p.filesDone} of ${p.filesTotal ?? '?'} files · ${p.records} events`);
        },
      });
      for (const problem of result.problems) connection.console.warn(problem);
      eventsArrived();
      return { files: result.files, records: result.records, inserted, duplicates: duplicates + result.duplicates, problems: result.problems, cancelled: result.cancelled };
    } finally {
      cancelled.dispose();
      progress.done();
    }
  });

  return { eventsArrived };
}
