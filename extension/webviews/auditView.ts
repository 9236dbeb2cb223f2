// The Audit view in the panel area: a webview view that follows the active editor and shows what
// sightline/auditForDocument answers for its file, refreshed when events arrive (sightline/auditChanged,
// through ctx.onAuditChanged) or the file changes, and the results of palette lookups. Its Insights &
// detections tab shows what sightline/auditFindings answers, asked for once the tab is first shown and
// then again as events arrive. Events open as their full CloudTrail record: a read-only JSON document
// of the `sightline-audit:` scheme.
import * as vscode from 'vscode';
import type { AuditFromWebview, AuditToWebview, DocumentState, FindingsState, LookupResults } from '../../media/audit/messages';
import type { AuditSourceCommand } from '../../media/shared/messages';
import { auditFindingsRequest, auditForDocumentRequest, auditRecordRequest, lookupAuditRequest, type AuditEventView, type AuditInsightView, type AuditLookupParams } from '../../server/protocol';
import type { Ctx } from '../ctx';
import { connectWebview } from './webviewBridge';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** Editors of these schemes are files the view can follow; others (output, our records) are not. */
const followedSchemes = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);
/** Typing refreshes the view after this pause; arriving events at most this often. */
const editDelayMs = 700;
const eventsDelayMs = 1000;
const sourceCommands: AuditSourceCommand[] = ['sightline.importAudit', 'sightline.connectCloudTrail', 'sightline.queryAthena'];
/** An insight's "Show events" lists at most this many. */
const insightLookupLimit = 500;

export class AuditViewProvider implements vscode.WebviewViewProvider {
  static readonly viewType = 'sightline.auditView';
  private static instance: AuditViewProvider | undefined;

  /** Shows lookup results in the view, revealing it (without taking the focus when it is already there). */
  static async showLookup(title: string, events: AuditEventView[], limit?: number): Promise<void> {
    await AuditViewProvider.instance?.showLookup(title, events, limit);
  }

  private view: vscode.WebviewView | undefined;
  private followed: vscode.Uri | undefined;
  private posted: DocumentState = { kind: 'noEditor' };
  /** Set when what the view shows may be out of date but it was hidden: refreshed once shown. */
  private stale = true;
  private inFlight: vscode.CancellationTokenSource | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private lookup: LookupResults | undefined;
  private nextLookupId = 1;
  /** The next page to load shows the lookup at once (it was made while the view was hidden). */
  private showLookupOnReady = false;
  /** Events the page was sent: the only ones it may ask to open. */
  private documentEvents = new Map<string, AuditEventView>();
  private lookupEvents = new Map<string, AuditEventView>();
  /** The Insights & detections as last sent to the page; undefined until a page first asks for them. */
  private findings: FindingsState | undefined;
  private findingsStale = true;
  private findingsInFlight: vscode.CancellationTokenSource | undefined;
  private findingsTimer: ReturnType<typeof setTimeout> | undefined;
  /** Detections' sample events and CloudTrail's Insights records: what the page may open from that tab. */
  private findingsRecords = new Map<string, Pick<AuditEventView, 'id' | 'eventName'>>();
  /** Each document state sent to the page; SightlineApi passes it on so tests can see what the view shows. */
  private readonly documentPosted = new vscode.EventEmitter<DocumentState>();
  readonly onDidPostDocument = this.documentPosted.event;
  /** What a page of the view shows now (a reloaded page is sent this). */
  get document(): DocumentState {
    return this.posted;
  }

  constructor(private readonly ctx: Ctx) {
    AuditViewProvider.instance = this;
    ctx.register(
      registerAuditRecords(ctx),
      vscode.window.onDidChangeActiveTextEditor((editor) => this.follow(editor)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && this.isFollowed(e.document.uri)) this.scheduleRefresh(editDelayMs, true);
      }),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (this.isFollowed(document.uri)) this.scheduleRefresh(0, true);
      }),
      ctx.onDidChangeServerState((state) => {
        if (state !== 'running') return;
        this.scheduleRefresh(0, true);
        this.scheduleFindings(0);
      }),
      ctx.onAuditChanged(() => {
        this.scheduleRefresh(eventsDelayMs, false);
        this.scheduleFindings(eventsDelayMs);
      }),
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        if (e.closed.length > 0) this.follow(vscode.window.activeTextEditor);
      }),
      { dispose: () => this.dispose() },
    );
    this.follow(vscode.window.activeTextEditor);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.ctx.extension.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.ctx.extension.extensionUri, { script: 'audit', title: 'Sightline Audit', styles: ['audit/audit.css'] });
    const subscriptions = [
      connectWebview(this.ctx, view.webview),
      view.webview.onDidReceiveMessage((message: AuditFromWebview) => this.receive(message)),
      view.onDidChangeVisibility(() => {
        if (view.visible && this.stale) this.refresh();
        if (view.visible && this.findings && this.findingsStale) void this.loadFindings();
      }),
    ];
    view.onDidDispose(() => {
      for (const subscription of subscriptions) subscription.dispose();
      if (this.view === view) this.view = undefined;
      this.stale = true;
    });
  }

  private post(message: AuditToWebview): void {
    void this.view?.webview.postMessage(message);
  }

  private receive(message: AuditFromWebview): void {
    switch (message.type) {
      case 'ready':
        // A page (re)loaded: it gets what the view shows now, and fresh events if they may have changed.
        void this.postSources();
        if (this.lookup) this.post({ type: 'lookup', results: this.lookup, show: this.showLookupOnReady });
        this.showLookupOnReady = false;
        this.post({ type: 'document', document: this.posted });
        if (this.stale) this.refresh();
        if (this.findings) this.post({ type: 'findings', findings: this.findings });
        if (this.findings && this.findingsStale) void this.loadFindings();
        break;
      case 'refresh':
        this.refresh();
        break;
      case 'openRecord': {
        const event = this.documentEvents.get(message.eventId) ?? this.lookupEvents.get(message.eventId) ?? this.findingsRecords.get(message.eventId);
        if (event) void openAuditRecord(this.ctx, event);
        else this.ctx.output.warn('The Audit view asked to open an event it was not sent; ignored.');
        break;
      }
      case 'loadFindings':
        if (!this.findingsInFlight && (this.findings?.kind !== 'ready' || this.findingsStale)) void this.loadFindings();
        break;
      case 'refreshFindings':
        void this.loadFindings();
        break;
      case 'showInsightEvents': {
        const insight = this.findings?.kind === 'ready' ? this.findings.findings.insights.find((i) => i.id === message.insightId) : undefined;
        if (insight) void this.showInsightEvents(insight);
        else this.ctx.output.warn('The Audit view asked for the events of an insight it was not sent; ignored.');
        break;
      }
      case 'revealLine':
        if (this.posted.kind === 'ready' && this.posted.uri === message.uri) void this.revealLine(message.uri, message.line);
        else this.ctx.output.warn('The Audit view asked to reveal a line of a document it does not show; ignored.');
        break;
    }
  }

  /**
   * Follows an editor's document. Moving to an editor the view cannot follow (a record it opened,
   * an output channel, no editor at all) keeps the current document while a tab still shows it.
   */
  private follow(editor: vscode.TextEditor | undefined): void {
    const uri = editor?.document.uri;
    if (uri && followedSchemes.has(uri.scheme)) {
      if (this.isFollowed(uri)) return;
      this.followed = uri;
    } else {
      if (!this.followed || isInTab(this.followed)) return;
      this.followed = undefined;
    }
    this.scheduleRefresh(0, true);
  }

  private isFollowed(uri: vscode.Uri): boolean {
    return this.followed?.toString() === uri.toString();
  }

  /**
   * Refreshes after `delayMs`. `restart` restarts a waiting timer (typing: refresh once it pauses);
   * otherwise a waiting timer stands (a stream of arriving events refreshes at most once per delay).
   */
  private scheduleRefresh(delayMs: number, restart: boolean): void {
    if (this.refreshTimer && !restart) return;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refresh();
    }, delayMs);
  }

  private refresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    if (!this.view?.visible) {
      this.stale = true;
      return;
    }
    this.stale = false;
    this.inFlight?.cancel();
    this.inFlight = undefined;
    const uri = this.followed;
    if (!uri) {
      this.documentEvents.clear();
      this.setDocument({ kind: 'noEditor' });
      return;
    }
    void this.load(uri);
  }

  private async load(uri: vscode.Uri): Promise<void> {
    const source = new vscode.CancellationTokenSource();
    this.inFlight = source;
    const fileName = uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri, false);
    let uriString = uri.toString();
    this.setDocument({ kind: 'loading', uri: uriString, fileName });
    try {
      const client = await this.ctx.readyClient();
      uriString = client.code2ProtocolConverter.asUri(uri);
      const audit = await client.sendRequest(auditForDocumentRequest, { uri: uriString }, source.token);
      if (source.token.isCancellationRequested) return;
      this.documentEvents = new Map(audit.groups.flatMap((g) => g.events.map((e) => [e.id, e] as const)));
      this.setDocument({ kind: 'ready', uri: uriString, fileName, audit });
    } catch (error) {
      if (source.token.isCancellationRequested) return;
      this.setDocument({ kind: 'failed', uri: uriString, fileName, message: messageOf(error) });
    } finally {
      if (this.inFlight === source) this.inFlight = undefined;
      source.dispose();
    }
  }

  private setDocument(document: DocumentState): void {
    // A page shows the last answer while the next one for the same document is on its way.
    const keep = document.kind === 'loading' && this.posted.kind === 'ready' && this.posted.uri === document.uri;
    if (!keep) this.posted = document;
    this.post({ type: 'document', document });
    this.documentPosted.fire(document);
  }

  /** Loads the findings again after `delayMs`, once a page has asked for them; a waiting timer stands. */
  private scheduleFindings(delayMs: number): void {
    if (!this.findings || this.findingsTimer) return;
    this.findingsTimer = setTimeout(() => {
      this.findingsTimer = undefined;
      void this.loadFindings();
    }, delayMs);
  }

  private async loadFindings(): Promise<void> {
    clearTimeout(this.findingsTimer);
    this.findingsTimer = undefined;
    if (!this.view?.visible) {
      this.findingsStale = true;
      return;
    }
    this.findingsStale = false;
    this.findingsInFlight?.cancel();
    const source = new vscode.CancellationTokenSource();
    this.findingsInFlight = source;
    this.setFindings({ kind: 'loading' });
    try {
      // The first analysis of a large store takes a while: the view's title bar shows it working.
      const findings = await vscode.window.withProgress({ location: { viewId: AuditViewProvider.viewType } }, async () => {
        const client = await this.ctx.readyClient();
        return client.sendRequest(auditFindingsRequest, source.token);
      });
      if (source.token.isCancellationRequested) return;
      this.findingsRecords = new Map([
        ...findings.detections.flatMap((d) => d.samples.map((s) => [s.eventId, { id: s.eventId, eventName: s.eventName }] as const)),
        ...findings.insights.flatMap((i) => i.recordIds.map((id) => [id, { id, eventName: i.eventName }] as const)),
      ]);
      this.setFindings({ kind: 'ready', findings });
    } catch (error) {
      if (source.token.isCancellationRequested) return;
      this.setFindings({ kind: 'failed', message: messageOf(error) });
    } finally {
      if (this.findingsInFlight === source) this.findingsInFlight = undefined;
      source.dispose();
    }
  }

  private setFindings(findings: FindingsState): void {
    // A page shows the last findings while the next ones are on their way.
    if (findings.kind !== 'loading' || this.findings?.kind !== 'ready') this.findings = findings;
    this.post({ type: 'findings', findings });
  }

  /** Looks up the events an insight counted — the API's write calls or its failures with the insight's error code, during it — as a lookup. */
  private async showInsightEvents(insight: AuditInsightView): Promise<void> {
    const errors = insight.type === 'ApiErrorRateInsight';
    const params: AuditLookupParams = {
      eventSource: insight.eventSource, eventName: insight.eventName, category: 'management',
      from: insight.start, to: insight.end - 1, limit: insightLookupLimit,
      ...(errors ? { errorsOnly: true, errorCode: insight.errorCode } : { readOnly: false }),
    };
    const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    const what = errors ? `${insight.errorCode ?? 'failed'} calls` : 'write calls';
    const title = `Insight · ${insight.eventSource} ${insight.eventName} ${what} · ${utc(insight.start)} – ${utc(insight.end)}`;
    try {
      const client = await this.ctx.readyClient();
      await this.showLookup(title, await client.sendRequest(lookupAuditRequest, params), insightLookupLimit);
    } catch (error) {
      void vscode.window.showErrorMessage(`Sightline could not look up the insight's events: ${messageOf(error)}`);
    }
  }

  private async postSources(): Promise<void> {
    const registered = new Set(await vscode.commands.getCommands(true));
    this.post({ type: 'sources', available: sourceCommands.filter((command) => registered.has(command)) });
  }

  private async showLookup(title: string, events: AuditEventView[], limit?: number): Promise<void> {
    this.lookup = { id: this.nextLookupId++, title, events, limit };
    this.lookupEvents = new Map(events.map((e) => [e.id, e]));
    if (this.view?.visible) {
      this.post({ type: 'lookup', results: this.lookup, show: true });
      this.view.show(true);
      return;
    }
    // A hidden view's page is gone: the results wait for the page that showing it loads.
    this.showLookupOnReady = true;
    if (this.view) this.view.show(true);
    else await vscode.commands.executeCommand(`${AuditViewProvider.viewType}.focus`);
  }

  /** Selects a 0-based line of the followed document, in the editor that shows it if there is one. */
  private async revealLine(uriString: string, line: number): Promise<void> {
    try {
      const uri = vscode.Uri.parse(uriString, true);
      const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
      const document = visible?.document ?? (await vscode.workspace.openTextDocument(uri));
      const target = document.lineAt(Math.min(Math.max(0, Math.floor(line) || 0), document.lineCount - 1));
      const start = new vscode.Position(target.lineNumber, target.firstNonWhitespaceCharacterIndex);
      const editor = await vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn, preserveFocus: false });
      // The line selected with the cursor at its start, so a long line does not scroll sideways.
      editor.selection = new vscode.Selection(target.range.end, start);
      editor.revealRange(new vscode.Range(start, start), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch (error) {
      void vscode.window.showErrorMessage(`Sightline could not show line ${line + 1}: ${messageOf(error)}`);
    }
  }

  private dispose(): void {
    clearTimeout(this.refreshTimer);
    clearTimeout(this.findingsTimer);
    this.inFlight?.cancel();
    this.findingsInFlight?.cancel();
    this.documentPosted.dispose();
    if (AuditViewProvider.instance === this) AuditViewProvider.instance = undefined;
  }
}

function isInTab(uri: vscode.Uri): boolean {
  const target = uri.toString();
  return vscode.window.tabGroups.all.some((group) => group.tabs.some(({ input }) =>
    (input instanceof vscode.TabInputText && input.uri.toString() === target) ||
    (input instanceof vscode.TabInputTextDiff && input.modified.toString() === target)));
}

// ---- Full records as read-only JSON documents ----

const recordScheme = 'sightline-audit';
/** Record texts of open (or opening) record documents, by URI; dropped when the document closes. */
const recordTexts = new Map<string, string>();

function registerAuditRecords(ctx: Ctx): vscode.Disposable {
  const provider: vscode.TextDocumentContentProvider = {
    async provideTextDocumentContent(uri, token) {
      const cached = recordTexts.get(uri.toString());
      if (cached !== undefined) return cached;
      // A record document restored with the window: ask the server again.
      const eventId = new URLSearchParams(uri.query).get('eventId') ?? '';
      const client = await ctx.readyClient();
      const record = await client.sendRequest(auditRecordRequest, { eventId }, token);
      return record === null || record === undefined
        ? `${JSON.stringify({ sightline: `No CloudTrail record with eventID ${JSON.stringify(eventId)} is stored (any more).` }, null, 2)}\n`
        : recordText(record);
    },
  };
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(recordScheme, provider),
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (document.uri.scheme === recordScheme) recordTexts.delete(document.uri.toString());
    }),
  );
}

function recordText(record: unknown): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** "DeleteBucket 3f2a9c1e.json": a tab title made of safe characters only; the id rides in the query. */
function recordUri(event: Pick<AuditEventView, 'id' | 'eventName'>): vscode.Uri {
  const safe = (text: string, max: number) => text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, max) || 'event';
  return vscode.Uri.from({
    scheme: recordScheme,
    path: `/${safe(event.eventName, 64)} ${safe(event.id, 8)}.json`,
    query: new URLSearchParams({ eventId: event.id }).toString(),
  });
}

/** Opens the full CloudTrail record of an event as formatted, read-only JSON, beside the code it concerns. */
export async function openAuditRecord(ctx: Ctx, event: Pick<AuditEventView, 'id' | 'eventName'>): Promise<void> {
  try {
    const client = await ctx.readyClient();
    const record = await client.sendRequest(auditRecordRequest, { eventId: event.id });
    if (record === null || record === undefined) {
      void vscode.window.showWarningMessage('Sightline: that event is no longer stored; the store drops its oldest events after a while.');
      return;
    }
    const uri = recordUri(event);
    recordTexts.set(uri.toString(), recordText(record));
    let document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== 'json') document = await vscode.languages.setTextDocumentLanguage(document, 'json');
    // One preview tab for records: the next event opens where the last one is shown.
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === recordScheme);
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: shown?.viewColumn ?? vscode.ViewColumn.Beside });
  } catch (error) {
    void vscode.window.showErrorMessage(`Sightline could not open the CloudTrail record: ${messageOf(error)}`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
