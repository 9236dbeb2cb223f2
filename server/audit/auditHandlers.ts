// LSP wiring of the audit features: imports, lookups, who-changed, full records, and telling the
// client when events arrive.
import type { Connection } from 'vscode-languageserver/node';
import {
  auditChangedNotification,
  auditRecordRequest,
  importAuditRequest,
  lookupAuditRequest,
  whoChangedRequest,
} from '../protocol';
import { describeChange, type AuditService } from './auditService';
import { toView } from './auditViews';
import { importAuditPaths } from './readers';

export interface AuditWiring {
  connection: Connection;
  service(): AuditService | undefined;
  readOnly(): boolean;
}

export function registerAuditHandlers(w: AuditWiring): { eventsArrived(): void } {
  const { connection } = w;
  const need = (): AuditService => {
    const service = w.service();
    if (!service) throw new Error('The audit store is not open; see the Sightline output for why.');
    return service;
  };
  const eventsArrived = () => void connection.sendNotification(auditChangedNotification, { events: w.service()?.eventCount ?? 0 });

  connection.onRequest(lookupAuditRequest, (params) => need().lookup(params).map(toView));
  connection.onRequest(whoChangedRequest, ({ resource }) => {
    const events = need().whoChanged(resource);
    return { events: events.map(toView), lines: events.map(describeChange) };
  });
  connection.onRequest(auditRecordRequest, ({ eventId }) => need().lookup({ eventId })[0]?.record ?? null);

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
