// LSP wiring only: the connection, the open documents, and handlers that call the features.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  FileChangeType,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { diagnosticSource, ruleDocumentationUrl, toDiagnostic } from './diagnostics';
import { registerRemoteHandlers } from './remoteHandlers';
import { startPolling } from './audit/lookupEvents';
import { listRulesRequest, reviewWorkspaceRequest, serverStatusNotification, type RuleDescription } from './protocol';
import { actionsForFinding } from './review/codeActions';
import { findingsAt, hoverMarkdown } from './review/hover';
import { Parsers } from './review/parser';
import { projectConfigName } from './review/projectConfig';
import { ReviewService } from './review/reviewService';
import type { Finding } from './review/rule';
import { auditHoverAt, registerAuditHandlers, repeatedFailureNotes } from './audit/auditHandlers';
import { AuditService } from './audit/auditService';
import { ruleCatalog } from './review/ruleCatalog';
import { dayMs, hourMs, openStore } from './storage';
import { TraceReceivers } from './traces/receivers/receivers';
import { registerTraceHandlers, traceHoverAt } from './traces/traceHandlers';
import { TraceService } from './traces/traceService';
import { WorkspaceFunctions, workspaceSources, type OpenTree } from './traces/workspaceFunctions';
import { WorkspaceFiles } from './workspaceFiles';
import { defaultSettings, resolveSettings, type Settings } from './settings';
import { version } from './version';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const wasmDir = join(__dirname, 'grammars');

interface InitializationOptions {
  settings?: unknown;
  /** Where the stores live: the extension's global storage; the CLI uses `.sightline/`. */
  storagePath?: string;
  /** False in an untrusted workspace: then nothing is read from the workspace's configuration files. */
  workspaceTrusted?: boolean;
}

let initialSettings: Settings = defaultSettings;
let workspaceRoots: string[] = [];
let trusted = true;
let canPullConfiguration = false;
let service: ReviewService | undefined;
let storagePath: string | undefined;
let canRefreshLenses = false;
let traces: TraceService | undefined;
let tracesReadOnly = false;
let workspaceFiles: WorkspaceFiles | undefined;
/** The grammars, shared by the review and the trace features' index of workspace functions. */
let parsers: Parsers | undefined;
let workspaceFunctions: WorkspaceFunctions | undefined;
let receivers: TraceReceivers | undefined;
let audit: AuditService | undefined;
let poller: { key: string; stop(): Promise<void> } | undefined;
let auditReadOnly = false;
/** Documents already told they are too large, so the message is shown once, not per keystroke. */
const toldTooLarge = new Set<string>();

connection.onInitialize((params) => {
  const options = (params.initializationOptions ?? {}) as InitializationOptions;
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  workspaceRoots = (params.workspaceFolders ?? []).flatMap((f) => (f.uri.startsWith('file:') ? [fileURLToPath(f.uri)] : []));
  initialSettings = resolveSettings(options.settings);
  trusted = options.workspaceTrusted !== false;
  storagePath = options.storagePath;
  canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'sightline', version },
  };
});

connection.onInitialized(async () => {
  if (canPullConfiguration) {
    await connection.client.register(DidChangeConfigurationNotification.type, { section: 'sightline' });
    initialSettings = await pullSettings();
  }
  try {
    parsers = await Parsers.load(wasmDir);
    service = new ReviewService(parsers, initialSettings, workspaceRoots, trusted);
    reportConfigProblem();
    const rules = new Set(ruleCatalog().map((entry) => entry.meta.name)).size;
    connection.sendNotification(serverStatusNotification, {
      health: 'ready',
      summary: `Python, Java, JavaScript, TypeScript · ${rules} ${rules === 1 ? 'rule' : 'rules'}`,
    });
  } catch (error) {
    const problem = `Could not load the tree-sitter grammars from ${wasmDir}: ${describe(error)}`;
    connection.console.error(problem);
    connection.sendNotification(serverStatusNotification, { health: 'degraded', summary: 'Review unavailable', problem });
  }
  openTraces(initialSettings);
  openAudit(initialSettings);
  void pollCloudTrail(initialSettings);
  documents.all().forEach(review);
});

/** The span store and the service over it; without a storage path (a bare LSP client) there is none. */
function openTraces(settings: Settings): void {
  if (!storagePath) {
    connection.console.warn('No storage path was given: traces are not available in this session.');
    return;
  }
  try {
    workspaceFiles = new WorkspaceFiles(workspaceRoots, () => service?.settings.review.exclude ?? []);
    const opened = openStore(storagePath, {
      name: 'spans',
      retention: { maxAgeMs: settings.traces.retentionDays * dayMs, maxBytes: settings.traces.maxStorageMB * 1024 * 1024 },
      onProblem: (problem) => connection.console.warn(`Trace store: ${problem}`),
    });
    tracesReadOnly = opened.readOnly;
    for (const problem of opened.problems) connection.console.warn(`Trace store: ${problem}`);
    if (opened.readOnly) showMessage(MessageType.Warning, `Sightline: ${opened.problems[0]}`);
    workspaceFunctions = parsers && new WorkspaceFunctions(parsers, workspaceSources(workspaceRoots, () => (service?.settings ?? settings).review), openTrees);
    traces = new TraceService(opened.store, workspaceFiles, () => {
      const t = (service?.settings ?? settings).traces;
      return { pathMappings: t.pathMappings, windowMs: t.statisticsWindowHours * hourMs, sloMs: t.latencySlo };
    }, Date.now, workspaceFunctions);
    // A read-only store belongs to another window, which also holds the receivers' ports.
    if (!opened.readOnly) {
      receivers = new TraceReceivers(
        (spans) => {
          traces?.ingest(spans);
          traceEvents.spansArrived();
        },
        (message) => connection.console.info(message),
      );
      void receivers.apply(settings.traces.otlp, settings.traces.xrayDaemon);
    }
  } catch (error) {
    connection.console.error(`Could not open the trace store in ${storagePath}: ${describe(error)}`);
  }
}

/** The syntax trees of the open documents, which may be ahead of the files on disk. */
function openTrees(): OpenTree[] {
  return documents.all().flatMap((document) => {
    const parsed = document.uri.startsWith('file:') ? service?.parsed(document.uri) : undefined;
    return parsed ? [{ path: fileURLToPath(document.uri), language: parsed.info.language, root: parsed.tree.rootNode }] : [];
  });
}

function openAudit(settings: Settings): void {
  if (!storagePath) return;
  try {
    const opened = openStore(storagePath, {
      name: 'audit',
      retention: { maxAgeMs: settings.audit.retentionDays * dayMs, maxBytes: settings.audit.maxStorageMB * 1024 * 1024 },
      onProblem: (problem) => connection.console.warn(`Audit store: ${problem}`),
    });
    auditReadOnly = opened.readOnly;
    for (const problem of opened.problems) connection.console.warn(`Audit store: ${problem}`);
    audit = new AuditService(opened.store);
  } catch (error) {
    connection.console.error(`Could not open the audit store in ${storagePath}: ${describe(error)}`);
  }
}

/** Starts, restarts or stops LookupEvents polling as sightline.audit.lookupEvents says. */
async function pollCloudTrail(settings: Settings): Promise<void> {
  const poll = settings.audit.lookupEvents;
  const wanted = poll.enabled && poll.region && audit && !auditReadOnly;
  const key = wanted ? JSON.stringify(poll) : '';
  if (key === (poller?.key ?? '')) return;
  await poller?.stop();
  poller = undefined;
  if (!wanted) return;
  const store = audit!;
  const running = startPolling({
    region: poll.region,
    profile: poll.profile || undefined,
    endpoint: poll.endpoint || undefined,
    intervalMs: poll.intervalMinutes * 60_000,
    onBatch(events) {
      if (store.ingest(events).inserted > 0) auditEvents.eventsArrived();
    },
    onError: (error) => connection.console.warn(`CloudTrail polling (${poll.region}): ${error.message}`),
    onProblems: (problems) => problems.forEach((p) => connection.console.warn(p)),
  });
  poller = { key, stop: () => running.stop() };
  connection.console.info(`Polling CloudTrail LookupEvents in ${poll.region} every ${poll.intervalMinutes} min.`);
}

registerRemoteHandlers({
  connection,
  traces: () => traces,
  audit: () => audit,
  spansArrived: () => traceEvents.spansArrived(),
  eventsArrived: () => auditEvents.eventsArrived(),
});

const auditEvents = registerAuditHandlers({
  connection,
  service: () => audit,
  readOnly: () => auditReadOnly,
  document: referenceDocument,
  eventsStored: () => documents.all().forEach(review),
});

/** Information diagnostics for AWS calls whose recent events keep failing; none until events are stored. */
function auditDiagnostics(uri: string): Diagnostic[] {
  const document = referenceDocument(uri);
  if (!audit || audit.eventCount === 0 || !document) return [];
  return repeatedFailureNotes(audit, document).map((note) => ({
    range: note.range,
    severity: DiagnosticSeverity.Information,
    source: diagnosticSource,
    code: 'audit/repeated-failures',
    message: note.message,
  }));
}

/** An open document as the audit features read it: code with the tree the review already has. */
function referenceDocument(uri: string) {
  const document = documents.get(uri);
  if (!document) return undefined;
  return { languageId: document.languageId, text: document.getText(), tree: service?.parsed(uri)?.tree };
}

const traceEvents = registerTraceHandlers({
  connection,
  service: () => traces,
  parsed: (uri) => service?.parsed(uri),
  sources: () => receivers?.status ?? {},
  readOnly: () => tracesReadOnly,
  canRefreshLenses: () => canRefreshLenses,
});

async function pullSettings(): Promise<Settings> {
  return resolveSettings(await connection.workspace.getConfiguration({ section: 'sightline' }));
}

function reportConfigProblem(): void {
  if (service?.configProblem) {
    connection.console.error(service.configProblem);
    showMessage(MessageType.Warning, `Sightline ignores ${projectConfigName}: ${service.configProblem}`);
  }
}

connection.onDidChangeConfiguration(async (change) => {
  const settings = canPullConfiguration ? await pullSettings() : resolveSettings((change.settings as { sightline?: unknown } | undefined)?.sightline);
  service?.updateSettings(settings);
  void receivers?.apply(settings.traces.otlp, settings.traces.xrayDaemon);
  void pollCloudTrail(settings);
  toldTooLarge.clear();
  documents.all().forEach(review);
});

connection.onDidChangeWatchedFiles(({ changes }) => {
  if (!service) return;
  let configChanged = false;
  for (const change of changes) {
    if (change.uri.startsWith('file:') && workspaceFiles) {
      const path = fileURLToPath(change.uri);
      if (change.type === FileChangeType.Created) workspaceFiles.added(path);
      if (change.type === FileChangeType.Deleted) workspaceFiles.removed(path);
      workspaceFunctions?.fileChanged(path);
    }
    if (change.uri.endsWith(`/${projectConfigName}`)) {
      configChanged = true;
      continue;
    }
    const findings = service.fileChanged(change.uri, change.type === FileChangeType.Deleted, documents.get(change.uri) !== undefined);
    if (findings) publish(change.uri, findings);
  }
  if (configChanged) {
    service.reloadProjectConfig();
    reportConfigProblem();
    documents.all().forEach(review);
  }
});

connection.onRequest(listRulesRequest, (): RuleDescription[] =>
  ruleCatalog().map(({ id, meta }) => ({ id, title: meta.title, category: meta.category, severity: meta.severity, cwe: meta.cwe })),
);

connection.onRequest(reviewWorkspaceRequest, async (params, token) => {
  if (!service) throw new Error('The review engine is not available: the grammars did not load.');
  const progress = await connection.window.attachWorkDoneProgress(params.workDoneToken);
  progress.begin('Sightline: reviewing the workspace', 0, 'Finding files…', true);
  try {
    return await service.reviewWorkspace(
      (uri) => documents.get(uri) !== undefined,
      publish,
      ({ done, total, path }) => progress.report(total === 0 ? 100 : Math.floor((done / total) * 100), `${done} of ${total} files · ${path}`),
      () => token.isCancellationRequested,
    );
  } finally {
    progress.done();
  }
});

connection.onHover(({ textDocument, position }) => {
  const sections = [
    hoverMarkdown(findingsAt(service?.findingsFor(textDocument.uri) ?? [], position), ruleDocumentationUrl),
    traceHoverAt(traces, service?.parsed(textDocument.uri), textDocument.uri, position),
    auditHoverAt(audit, referenceDocument(textDocument.uri), position),
  ].filter((s): s is string => s !== undefined);
  return sections.length > 0 ? { contents: { kind: 'markdown', value: sections.join('\n\n---\n\n') } } : null;
});

connection.onCodeAction(({ textDocument, context }): CodeAction[] => {
  const document = documents.get(textDocument.uri);
  const parsed = service?.parsed(textDocument.uri);
  if (!service || !document || !parsed) return [];
  const findings = service.findingsFor(textDocument.uri);
  return context.diagnostics.flatMap((diagnostic) => {
    const finding = findings.find((f) => f.ruleId === diagnostic.code && sameRange(f.range, diagnostic.range));
    if (!finding) return [];
    return actionsForFinding(finding, parsed.info.language, document.getText(), parsed).map((action) => ({
      title: action.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: action.isPreferred,
      edit: action.edits ? { changes: { [textDocument.uri]: action.edits } } : undefined,
      command: action.command,
    }));
  });
});

// TextDocuments fires onDidChangeContent for a newly opened document too: one review per version.
documents.onDidChangeContent((event) => review(event.document));
documents.onDidClose(({ document }) => {
  toldTooLarge.delete(document.uri);
  publish(document.uri, service?.closeDocument(document.uri) ?? []);
});

function review(document: TextDocument): void {
  if (!service) return;
  const publishVersion = (diagnostics: Diagnostic[]) => void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
  try {
    const outcome = service.reviewDocument({ uri: document.uri, languageId: document.languageId, text: document.getText() });
    if (outcome.kind === 'reviewed') {
      for (const failure of outcome.failures) connection.console.error(`Rule ${failure.ruleId} failed on ${document.uri}: ${describe(failure.error)}`);
      return publishVersion([...outcome.findings.map((f) => toDiagnostic(f, document.uri)), ...auditDiagnostics(document.uri)]);
    }
    if (outcome.kind === 'too-large' && !toldTooLarge.has(document.uri)) {
      toldTooLarge.add(document.uri);
      const limit = `${Math.round(service.settings.review.maxFileSize / 1024)} KiB`;
      showMessage(MessageType.Info, `Sightline does not review ${displayName(document.uri)}: it is larger than sightline.review.maxFileSize (${limit}).`);
    }
    if (outcome.kind !== 'skipped' || outcome.reason !== 'not-reviewed' || audit?.eventCount) publishVersion(auditDiagnostics(document.uri));
  } catch (error) {
    connection.console.error(`Could not review ${document.uri}: ${describe(error)}`);
  }
}

/** A message without actions is a notification: nothing to answer, nothing that can fail. */
function showMessage(type: MessageType, message: string): void {
  void connection.sendNotification(ShowMessageNotification.type, { type, message });
}

function publish(uri: string, findings: Finding[]): void {
  void connection.sendDiagnostics({ uri, diagnostics: findings.map((f) => toDiagnostic(f, uri)) });
}

function sameRange(a: Finding['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function displayName(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

connection.onShutdown(async () => {
  await receivers?.close();
  await poller?.stop();
  traces?.store.close();
  audit?.store.close();
});

// The server must outlive any one failed promise (a client that rejects a request, say): log it.
process.on('unhandledRejection', (reason) => connection.console.error(`Unhandled rejection: ${describe(reason)}`));

documents.listen(connection);
connection.listen();
