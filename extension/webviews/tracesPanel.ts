// The trace viewer panel: one editor-area webview, revealed again rather than duplicated. It relays
// the page's requests to the language server (sightline/listTraces, getTrace, getSpan, serviceMap,
// compareTraces, traceSources), forwards sightline/tracesChanged, opens the source locations the
// server resolved, and can be opened on a search (a CodeLens) or on one trace (a hover's link).
import * as vscode from 'vscode';
import type { TracesFromWebview, TracesRequest, TracesRequestKind, TracesToWebview } from '../../media/traces/messages';
import {
  compareTracesRequest,
  getSpanRequest,
  getTraceRequest,
  listTracesRequest,
  serviceMapRequest,
  traceSourcesRequest,
  type SpanDetail,
  type TraceQuery,
} from '../../server/protocol';
import type { Ctx } from '../ctx';
import { connectWebview } from './webviewBridge';
import { webviewHtml, webviewOptions } from './webviewHtml';

export class TracesPanel {
  static readonly viewType = 'sightline.traces';
  private static current: TracesPanel | undefined;

  /** Opens the panel, or reveals it; `filter` presets its search (e.g. a CodeLens: one function's traces). */
  static show(ctx: Ctx, filter?: TraceQuery): void {
    TracesPanel.open(ctx, filter ? { type: 'filter', query: filter } : undefined);
  }

  /** Opens the panel on one trace (e.g. a hover's link to the slowest trace of a function). */
  static showTrace(ctx: Ctx, traceId: string, spanId?: string): void {
    TracesPanel.open(ctx, { type: 'showTrace', traceId, spanId });
  }

  /** Reveals the panel (creating it if needed) and gives the page `message` once it is ready for it. */
  private static open(ctx: Ctx, message: TracesToWebview | undefined): void {
    const current = TracesPanel.current;
    if (current) {
      // A hidden panel's page is gone (no retained context) and reloads when revealed: the message
      // waits for its 'ready'. A visible page takes it at once.
      if (message && current.panel.visible) current.post(message);
      else if (message) current.pending = message;
      current.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(TracesPanel.viewType, 'Sightline Traces', vscode.ViewColumn.Active, {
      ...webviewOptions(ctx.extension.extensionUri),
      // The page keeps its query, trace and selection in its webview state and re-requests data
      // when shown again, so a hidden panel does not hold a 100k-span trace in memory.
      retainContextWhenHidden: false,
    });
    TracesPanel.current = new TracesPanel(ctx, panel, message);
  }

  /** The request of each kind in flight: a newer one of the same kind cancels it. */
  private readonly inFlight = new Map<TracesRequestKind, vscode.CancellationTokenSource>();
  /** Files the server resolved in span details: the only ones the page may ask to open. */
  private readonly openable = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];

  private constructor(private readonly ctx: Ctx, readonly panel: vscode.WebviewPanel, private pending: TracesToWebview | undefined) {
    panel.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'icons', 'sightline.svg');
    panel.webview.html = webviewHtml(panel.webview, ctx.extension.extensionUri, {
      script: 'traces',
      title: 'Sightline Traces',
      styles: ['traces/traces.css'],
    });
    this.disposables.push(
      connectWebview(ctx, panel.webview),
      panel.webview.onDidReceiveMessage((message: TracesFromWebview) => this.receive(message)),
      ctx.onTracesChanged((change) => this.post({ type: 'tracesChanged', ...change })),
    );
    panel.onDidDispose(() => this.dispose());
  }

  private post(message: TracesToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private receive(message: TracesFromWebview): void {
    switch (message.type) {
      case 'ready':
        // The shared bridge answers with the server state; what the panel was opened for follows.
        if (this.pending) this.post(this.pending);
        this.pending = undefined;
        break;
      case 'query':
      case 'openTrace':
      case 'selectSpan':
      case 'serviceMap':
      case 'compare':
      case 'sources':
        void this.relay(message);
        break;
      case 'openLocation':
        if (this.openable.has(message.uri)) void this.open(message.uri, message.line);
        else this.ctx.output.warn(`The trace panel asked to open ${message.uri}, which no span detail named; ignored.`);
        break;
      case 'goToCode':
        void this.goToCode(message.traceId, message.spanId);
        break;
    }
  }

  private async relay(request: TracesRequest): Promise<void> {
    this.inFlight.get(request.type)?.cancel();
    const source = new vscode.CancellationTokenSource();
    this.inFlight.set(request.type, source);
    const token = source.token;
    try {
      const client = await this.ctx.readyClient();
      switch (request.type) {
        case 'query': {
          const traces = await client.sendRequest(listTracesRequest, request.query, token);
          if (!token.isCancellationRequested) this.post({ type: 'traces', id: request.id, traces });
          break;
        }
        case 'openTrace': {
          const timeline = await client.sendRequest(getTraceRequest, { traceId: request.traceId }, token);
          if (!token.isCancellationRequested) this.post({ type: 'timeline', id: request.id, traceId: request.traceId, timeline });
          break;
        }
        case 'selectSpan': {
          const span = await client.sendRequest(getSpanRequest, { traceId: request.traceId, spanId: request.spanId }, token);
          this.remember(span);
          if (!token.isCancellationRequested) this.post({ type: 'span', id: request.id, traceId: request.traceId, spanId: request.spanId, span });
          break;
        }
        case 'serviceMap': {
          const map = await client.sendRequest(serviceMapRequest, { query: request.query }, token);
          if (!token.isCancellationRequested) this.post({ type: 'serviceMap', id: request.id, map });
          break;
        }
        case 'compare': {
          const comparison = await client.sendRequest(compareTracesRequest, { left: request.left, right: request.right }, token);
          if (!token.isCancellationRequested) this.post({ type: 'comparison', id: request.id, comparison });
          break;
        }
        case 'sources': {
          const sources = await client.sendRequest(traceSourcesRequest, token);
          if (!token.isCancellationRequested) this.post({ type: 'sources', id: request.id, sources });
          break;
        }
      }
    } catch (error) {
      if (!token.isCancellationRequested) this.post({ type: 'error', id: request.id, request: request.type, message: messageOf(error) });
    } finally {
      if (this.inFlight.get(request.type) === source) this.inFlight.delete(request.type);
      source.dispose();
    }
  }

  private remember(span: SpanDetail | null): void {
    for (const location of span?.locations ?? []) this.openable.add(location.uri);
    for (const frame of span?.stack ?? []) if (frame.uri) this.openable.add(frame.uri);
  }

  private async goToCode(traceId: string, spanId: string): Promise<void> {
    try {
      const client = await this.ctx.readyClient();
      const span = await client.sendRequest(getSpanRequest, { traceId, spanId });
      this.remember(span);
      // Code attributes' location, or else the likeliest function of the span's name.
      const location = span?.locations[0];
      if (location) return await this.open(location.uri, location.line);
      const named = span?.attributes.find((a) => a.key === 'code.file.path' || a.key === 'code.filepath')?.value;
      void vscode.window.showInformationMessage(named
        ? `This span's code is in ${named}, which matches no file in the workspace; the sightline.traces.pathMappings setting maps deployed paths to your sources.`
        : 'This span has no source location.');
    } catch (error) {
      void vscode.window.showErrorMessage(`Sightline could not look the span up: ${messageOf(error)}`);
    }
  }

  /** Opens a file at a 0-based line, beside the panel rather than over it. */
  private async open(uri: string, line: number): Promise<void> {
    const column = vscode.window.visibleTextEditors.find((editor) => editor.viewColumn !== undefined && editor.viewColumn !== this.panel.viewColumn)?.viewColumn
      ?? vscode.ViewColumn.Beside;
    const position = new vscode.Position(Math.max(0, Math.floor(line) || 0), 0);
    try {
      await vscode.window.showTextDocument(vscode.Uri.parse(uri, true), { viewColumn: column, selection: new vscode.Range(position, position) });
    } catch (error) {
      void vscode.window.showErrorMessage(`Sightline could not open ${uri}: ${messageOf(error)}`);
    }
  }

  private dispose(): void {
    for (const source of this.inFlight.values()) source.cancel();
    this.inFlight.clear();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    TracesPanel.current = undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
