// LSP wiring of the remote sources: the X-Ray API and a Jaeger query service for traces,
// CloudTrail LookupEvents and Athena for audit events. Each pull stores what it reads, reports
// progress and stops when the client cancels. Credentials come from the SDK's provider chain
// (with the profile named) and are never logged.
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import { pullCloudTrailRequest, pullJaegerRequest, pullXRayRequest, queryAthenaRequest, type PullResult } from './protocol';
import type { AuditService } from './audit/auditService';
import { queryAthena } from './audit/athena';
import { lookupEvents } from './audit/lookupEvents';
import type { TraceService } from './traces/traceService';
import { pullJaeger } from './traces/remote/jaegerQuery';
import { pullXRay } from './traces/remote/xrayApi';

export interface RemoteWiring {
  connection: Connection;
  traces(): TraceService | undefined;
  audit(): AuditService | undefined;
  spansArrived(): void;
  eventsArrived(): void;
}

export function registerRemoteHandlers(w: RemoteWiring): void {
  const { connection } = w;

  /** Runs a pull with progress and cancellation, turning failures into a clear error message. */
  async function pull(title: string, token: CancellationToken, workDoneToken: string | number | undefined, run: (signal: AbortSignal, report: (message: string) => void) => Promise<PullResult>): Promise<PullResult> {
    const progress = await connection.window.attachWorkDoneProgress(workDoneToken);
    progress.begin(title, undefined, 'Connecting…', true);
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort());
    try {
      const result = await run(abort.signal, (message) => progress.report(message));
      for (const problem of result.problems) connection.console.warn(problem);
      return result;
    } finally {
      cancelled.dispose();
      progress.done();
    }
  }
  const need = <T>(service: T | undefined, what: string): T => {
    if (!service) throw new Error(`The ${what} store is not open; see the Sightline output for why.`);
    return service;
  };

  connection.onRequest(pullXRayRequest, (params, token) =>
    pull('Sightline: reading traces from X-Ray', token, params.workDoneToken, async (signal, report) => {
      const traces = need(w.traces(), 'trace');
      let inserted = 0;
      const now = Date.now();
      const result = await pullXRay({
        region: params.region, profile: params.profile, endpoint: params.endpoint, filterExpression: params.filterExpression,
        startTime: now - params.lookbackMinutes * 60_000, endTime: now, signal,
        onBatch(spans) {
          const added = traces.ingest(spans);
          inserted += added.inserted + added.replaced;
          w.spansArrived();
        },
        onProgress: (p) => report(`${p.windowsDone} of ${p.windows} time windows · ${p.tracesFound} traces found`),
      });
      return { read: result.traceIds, inserted, problems: result.problems };
    }),
  );

  connection.onRequest(pullJaegerRequest, (params, token) =>
    pull('Sightline: reading traces from Jaeger', token, params.workDoneToken, async (signal, report) => {
      const traces = need(w.traces(), 'trace');
      let inserted = 0;
      const result = await pullJaeger({
        baseUrl: params.baseUrl, service: params.service, lookbackMs: params.lookbackMinutes * 60_000, limit: params.limit, signal,
        onBatch(spans) {
          const added = traces.ingest(spans);
          inserted += added.inserted + added.replaced;
          w.spansArrived();
        },
        onProgress: (p) => report(`${p.servicesDone} of ${p.services} services · ${p.traces} traces`),
      });
      return { read: result.traces, inserted, problems: result.problems };
    }),
  );

  connection.onRequest(pullCloudTrailRequest, (params, token) =>
    pull('Sightline: reading CloudTrail events', token, params.workDoneToken, async (signal, report) => {
      const audit = need(w.audit(), 'audit');
      let inserted = 0;
      let read = 0;
      const now = Date.now();
      const result = await lookupEvents({
        region: params.region, profile: params.profile, endpoint: params.endpoint, startTime: now - params.lookbackMinutes * 60_000, endTime: now, signal,
        onPage(events) {
          read += events.length;
          inserted += audit.ingest(events).inserted;
          report(`${read} events`);
        },
      });
      w.eventsArrived();
      return { read: result.events.length || read, inserted, problems: result.problems };
    }),
  );

  connection.onRequest(queryAthenaRequest, (params, token) =>
    pull('Sightline: querying CloudTrail logs with Athena', token, params.workDoneToken, async (signal, report) => {
      const audit = need(w.audit(), 'audit');
      const result = await queryAthena({
        region: params.region, profile: params.profile, endpoint: params.endpoint, database: params.database, table: params.table,
        workgroup: params.workgroup, outputLocation: params.outputLocation, signal, since: Date.now() - params.sinceDays * 86_400_000,
        filters: { eventName: params.eventName, resource: params.resource, user: params.user },
        onState: (state) => report(`query ${state.toLowerCase()}`),
      });
      const inserted = audit.ingest(result.events).inserted;
      w.eventsArrived();
      return { read: result.events.length, inserted, problems: result.problems };
    }),
  );
}
