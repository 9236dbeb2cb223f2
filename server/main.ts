// LSP wiring only: the connection, the open documents, and handlers that call the engine.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  type Diagnostic,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { toDiagnostic } from './diagnostics';
import { listRulesRequest, serverStatusNotification, type RuleDescription } from './protocol';
import { DocumentTrees } from './review/documentTrees';
import { reviewTree } from './review/engine';
import { isExcluded } from './review/fileFilter';
import { Parsers } from './review/parser';
import { ruleId } from './review/rule';
import { allRules } from './review/rules';
import { defaultSettings, resolveSettings, type Settings } from './settings';
import { version } from './version';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const wasmDir = join(__dirname, 'grammars');

let settings: Settings = defaultSettings;
let workspaceRoots: string[] = [];
let canPullConfiguration = false;
let trees: DocumentTrees | undefined;
let parsersFailed: string | undefined;
/** Documents already told they are too large, so the message is shown once, not per keystroke. */
const toldTooLarge = new Set<string>();

connection.onInitialize((params) => {
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  workspaceRoots = (params.workspaceFolders ?? []).flatMap((f) => (f.uri.startsWith('file:') ? [fileURLToPath(f.uri)] : []));
  settings = resolveSettings((params.initializationOptions as { settings?: unknown } | undefined)?.settings);
  return {
    capabilities: { textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental } },
    serverInfo: { name: 'sightline', version },
  };
});

connection.onInitialized(async () => {
  if (canPullConfiguration) {
    await connection.client.register(DidChangeConfigurationNotification.type, { section: 'sightline' });
    await refreshSettings();
  }
  try {
    trees = new DocumentTrees(await Parsers.load(wasmDir));
    const ruleCount = allRules.length;
    connection.sendNotification(serverStatusNotification, {
      health: 'ready',
      summary: `Python, Java, JavaScript, TypeScript · ${ruleCount} ${ruleCount === 1 ? 'rule' : 'rules'}`,
    });
  } catch (error) {
    parsersFailed = `Could not load the tree-sitter grammars from ${wasmDir}: ${String(error)}`;
    connection.console.error(parsersFailed);
    connection.sendNotification(serverStatusNotification, { health: 'degraded', summary: 'Review unavailable', problem: parsersFailed });
  }
  documents.all().forEach(review);
});

async function refreshSettings(): Promise<void> {
  settings = resolveSettings(await connection.workspace.getConfiguration({ section: 'sightline' }));
}

connection.onDidChangeConfiguration(async (change) => {
  if (canPullConfiguration) await refreshSettings();
  else settings = resolveSettings((change.settings as { sightline?: unknown } | undefined)?.sightline);
  trees?.forgetFindings();
  documents.all().forEach(review);
});

connection.onRequest(listRulesRequest, (): RuleDescription[] =>
  allRules.flatMap((rule) =>
    rule.languages.map((language) => ({
      id: ruleId(language, rule.meta.name),
      title: rule.meta.title,
      category: rule.meta.category,
      severity: rule.meta.severity,
      cwe: rule.meta.cwe,
    })),
  ),
);

// TextDocuments fires onDidChangeContent for a newly opened document too: one review per version.
documents.onDidChangeContent((event) => review(event.document));
documents.onDidClose((event) => {
  trees?.close(event.document.uri);
  toldTooLarge.delete(event.document.uri);
  connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
});

function review(document: TextDocument): void {
  if (!trees) return;
  const publish = (diagnostics: Diagnostic[]): void => {
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
  };
  const text = document.getText();
  const path = document.uri.startsWith('file:') ? fileURLToPath(document.uri) : undefined;
  if (!settings.review.enable || (path && isExcluded(path, workspaceRoots, settings.review.exclude))) {
    trees.close(document.uri);
    return publish([]);
  }
  if (text.length > settings.review.maxFileSize) {
    trees.close(document.uri);
    if (!toldTooLarge.has(document.uri)) {
      toldTooLarge.add(document.uri);
      const limit = `${Math.round(settings.review.maxFileSize / 1024)} KiB`;
      connection.window.showInformationMessage(`Sightline does not review ${path ?? document.uri}: it is larger than sightline.review.maxFileSize (${limit}).`);
    }
    return publish([]);
  }
  try {
    const parsed = trees.update(document.uri, document.languageId, text);
    if (!parsed) return;
    const { findings, failures } = reviewTree(parsed.info.language, parsed.tree, text, settings, parsed.cache);
    for (const failure of failures) connection.console.error(`Rule ${failure.ruleId} failed on ${document.uri}: ${describe(failure.error)}`);
    publish(findings.map(toDiagnostic));
  } catch (error) {
    trees.close(document.uri);
    connection.console.error(`Could not review ${document.uri}: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

documents.listen(connection);
connection.listen();
