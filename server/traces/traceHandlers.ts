// LSP wiring of the trace features: CodeLens and hovers on functions, the trace panel's requests,
// imports, and telling the client when spans arrive.
import { fileURLToPath } from 'node:url';
import { CodeLensRefreshRequest, type CodeLens, type Connection, type Position } from 'vscode-languageserver/node';
import {
  clearTracesRequest,
  compareTracesRequest,
  getSpanRequest,
  getTraceRequest,
  importTracesRequest,
  listTracesRequest,
  serviceMapRequest,
  traceSourcesRequest,
  tracesChangedNotification,
  type TraceSourcesStatus,
} from '../protocol';
import { functionDefinitions } from '../review/functions';
import type { ParsedDocument } from '../review/documentTrees';
import { importTraces } from './importTraces';
import { functionHover, functionLenses, showTracesForFunctionCommand } from './lenses';
import type { TraceService } from './traceService';

export interface TraceWiring {
  connection: Connection;
  service(): TraceService | undefined;
  parsed(uri: string): ParsedDocument | undefined;
  sources(): Omit<TraceSourcesStatus, 'spans' | 'traces' | 'readOnly'>;
  readOnly(): boolean;
  canRefreshLenses(): boolean;
}

export interface TraceEvents {
  /** Spans were stored (from any source): refresh lenses and panels, at most a few times a second. */
  spansArrived(): void;
}

const refreshDelayMs = 300;

export function registerTraceHandlers(w: TraceWiring): TraceEvents {
  const { connection } = w;
  const need = (): TraceService => {
    const service = w.service();
    if (!service) throw new Error('The trace store is not open; see the Sightline output for why.');
    return service;
  };

  let refreshTimer: NodeJS.Timeout | undefined;
  const spansArrived = () => {
    if (refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      const service = w.service();
      if (!service) return;
      void connection.sendNotification(tracesChangedNotification, { spans: service.spanCount, traces: service.traceCount });
      if (w.canRefreshLenses()) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    }, refreshDelayMs);
  };

  connection.onCodeLens(({ textDocument }): CodeLens[] => {
    const service = w.service();
    const parsed = w.parsed(textDocument.uri);
    if (!service || !parsed || !textDocument.uri.startsWith('file:')) return [];
    const path = fileURLToPath(textDocument.uri);
    return functionLenses(service, path, functionDefinitions(parsed.info.language, parsed.tree.rootNode)).map((lens) => ({
      range: { start: { line: lens.line, character: 0 }, end: { line: lens.line, character: 0 } },
      command: { title: lens.title, tooltip: lens.tooltip, command: showTracesForFunctionCommand, arguments: lens.arguments },
    }));
  });

  connection.onRequest(listTracesRequest, (query) => need().listTraces(query));
  connection.onRequest(getTraceRequest, ({ traceId }) => need().timeline(traceId));
  connection.onRequest(getSpanRequest, ({ traceId, spanId }) => need().span(traceId, spanId));
  connection.onRequest(serviceMapRequest, ({ query }) => need().serviceMap(query));
  connection.onRequest(compareTracesRequest, ({ left, right }) => need().compare(left, right));
  connection.onRequest(traceSourcesRequest, () => {
    const service = w.service();
    return { ...w.sources(), spans: service?.spanCount ?? 0, traces: service?.traceCount ?? 0, readOnly: w.readOnly() };
  });

  connection.onRequest(importTracesRequest, async (params, token) => {
    const service = need();
    if (w.readOnly()) throw new Error('The trace store is open read-only (another process holds it); nothing can be imported.');
    const progress = await connection.window.attachWorkDoneProgress(params.workDoneToken);
    progress.begin('Sightline: importing traces', 0, 'Finding files…', true);
    try {
      const summary = await importTraces(
        params.paths,
        { ingest: (spans) => service.ingest(spans) },
        ({ done, total, file, spans }) => progress.report(total === 0 ? 100 : Math.floor((done / total) * 100), `${done} of ${total} files · ${spans} spans · ${file}`),
        () => token.isCancellationRequested,
      );
      for (const problem of summary.problems) connection.console.warn(problem);
      spansArrived();
      return summary;
    } finally {
      progress.done();
    }
  });

  connection.onRequest(clearTracesRequest, () => {
    if (w.readOnly()) throw new Error('The trace store is open read-only (another process holds it); it cannot be cleared from here.');
    need().clear();
    spansArrived();
  });

  return { spansArrived };
}

/** Hover text for a function name under the cursor, if spans know that function. */
export function traceHoverAt(service: TraceService | undefined, parsed: ParsedDocument | undefined, uri: string, position: Position): string | undefined {
  if (!service || !parsed || !uri.startsWith('file:')) return undefined;
  const definition = functionDefinitions(parsed.info.language, parsed.tree.rootNode).find(
    (d) => d.nameStart.line === position.line && d.nameStart.character <= position.character && position.character <= d.nameEnd.character,
  );
  return definition ? functionHover(service, fileURLToPath(uri), definition.name) : undefined;
}
