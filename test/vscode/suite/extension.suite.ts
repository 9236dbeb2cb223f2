// Sightline inside a real VS Code: the extension activates, its language server starts, a review
// finding reaches the Problems data and leaves it again, and the trace panel opens.
// Every wait is on a VS Code event with a deadline, never a fixed sleep.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { SightlineApi } from '../../../extension/main';
import { waitFor, withDeadline } from './wait';

const EXTENSION_ID = 'sightline.sightline';
const CREDENTIALS_RULE = 'python/hardcoded-credentials';
/** Line index of the key in test/fixtures/workspace/credentials.py. */
const KEY_LINE = 2;
const SERVER_START_MS = 45_000;
const DIAGNOSTICS_MS = 30_000;
const PANEL_MS = 15_000;

/** A diagnostic's code is either a plain value or { value, target }. */
function codeOf(diagnostic: vscode.Diagnostic): string | number | undefined {
  const { code } = diagnostic;
  return typeof code === 'object' ? code.value : code;
}

const isCredentialFinding = (diagnostic: vscode.Diagnostic) => codeOf(diagnostic) === CREDENTIALS_RULE;

function summarize(diagnostics: readonly vscode.Diagnostic[]): string {
  return JSON.stringify(diagnostics.map((d) => ({ line: d.range.start.line, code: codeOf(d), source: d.source, message: d.message })));
}

suite('Sightline in a real VS Code', () => {
  let api: SightlineApi;
  let document: vscode.TextDocument;

  suiteSetup(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace is open');
    document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'credentials.py'));
    await vscode.window.showTextDocument(document);
  });

  test('the extension is installed and activates', async () => {
    const extension = vscode.extensions.getExtension<SightlineApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is among the extensions`);
    api = await extension.activate();
    assert.ok(extension.isActive);
    assert.equal(typeof api?.whenServerReady, 'function', 'activate() returns the Sightline API');
  });

  test('the language server starts', async () => {
    await withDeadline(api.whenServerReady(), SERVER_START_MS, () => `the server to run (state: ${api.serverState()})`);
    assert.equal(api.serverState(), 'running');
  });

  test('a hard-coded AWS key is reported as a warning on its line', async () => {
    const finding = await waitFor(
      vscode.languages.onDidChangeDiagnostics,
      () => vscode.languages.getDiagnostics(document.uri).find(isCredentialFinding),
      DIAGNOSTICS_MS,
      () => `${CREDENTIALS_RULE} on credentials.py; have ${summarize(vscode.languages.getDiagnostics(document.uri))}`,
    );
    assert.equal(finding.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(finding.range.start.line, KEY_LINE);
    assert.equal(finding.source, 'sightline');
  });

  test('hovering the finding explains the rule; quick fixes offer to ignore or disable it', async () => {
    const finding = vscode.languages.getDiagnostics(document.uri).find(isCredentialFinding)!;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, finding.range.start.translate(0, 2));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Hard-coded credentials/i);
    assert.match(text, /Compliant:/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, finding.range);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes(`Ignore ${CREDENTIALS_RULE} on this line`), titles.join(', '));
    assert.ok(titles.includes(`Disable rule ${CREDENTIALS_RULE} in settings`), titles.join(', '));
  });

  test('removing the key clears the warning', async () => {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, document.lineAt(KEY_LINE).range, 'AWS_ACCESS_KEY_ID = os.environ["AWS_ACCESS_KEY_ID"]');
    assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');
    await waitFor(
      vscode.languages.onDidChangeDiagnostics,
      () => !vscode.languages.getDiagnostics(document.uri).some(isCredentialFinding),
      DIAGNOSTICS_MS,
      () => `${CREDENTIALS_RULE} to go away; have ${summarize(vscode.languages.getDiagnostics(document.uri))}`,
    );
  });

  test('Show Traces opens the trace panel as a webview tab', async () => {
    await vscode.commands.executeCommand('sightline.showTraces');
    const tab = await waitFor(
      vscode.window.tabGroups.onDidChangeTabs,
      () => vscode.window.tabGroups.all.flatMap((group) => group.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('sightline.traces')),
      PANEL_MS,
      () => `a webview tab of type sightline.traces; tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', ')}`,
    );
    assert.match(tab.label, /Traces/);
  });

  test('imported traces show golden signals in a CodeLens above the function', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const start = BigInt(Date.now() - 60_000) * 1_000_000n;
    const spans = [12, 15, 9, 30, 11].map((ms, i) => ({
      traceId: `${i + 1}`.padStart(32, 'a'), spanId: `${i + 1}`.padStart(16, 'b'), name: 'handler', kind: 2,
      startTimeUnixNano: String(start + BigInt(i) * 1_000_000_000n), endTimeUnixNano: String(start + BigInt(i) * 1_000_000_000n + BigInt(ms) * 1_000_000n),
      status: { code: i === 3 ? 2 : 1 },
      attributes: [{ key: 'code.filepath', value: { stringValue: '/var/task/orders.py' } }, { key: 'code.function', value: { stringValue: 'handler' } }],
    }));
    const file = vscode.Uri.joinPath(folder, 'orders-traces.json');
    await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }] }, scopeSpans: [{ spans }] }] })));
    await vscode.commands.executeCommand('sightline.importTraces', file);
    const orders = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'orders.py'));
    await vscode.window.showTextDocument(orders);
    // CodeLenses refresh when spans arrive; ask until the provider answers with ours.
    let lenses: vscode.CodeLens[] = [];
    for (let attempt = 0; attempt < 50 && !lenses.some((l) => l.command?.title.includes('calls')); attempt++) {
      lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', orders.uri);
    }
    const lens = lenses.find((l) => l.command?.title.includes('calls'));
    assert.ok(lens, `a CodeLens with trace numbers; have ${JSON.stringify(lenses.map((l) => l.command?.title))}`);
    assert.equal(lens.range.start.line, 3);
    assert.equal(lens.command!.title, '5 calls · p50 12 ms · p95 30 ms · 20% errors');
  });

  test('a crashed server is restarted and reviews again', async function () {
    const serverPid = childServerPid();
    if (serverPid === undefined) return this.skip();
    const crashed = waitFor(api.onDidChangeServerState, () => api.serverState() === 'crashed' || undefined, SERVER_START_MS, () => 'the crash to be noticed');
    process.kill(serverPid, 'SIGKILL');
    await crashed;
    await waitFor(api.onDidChangeServerState, () => api.serverState() === 'running' || undefined, SERVER_START_MS, () => `a restart (state: ${api.serverState()})`);
    await withDeadline(api.whenServerReady(), SERVER_START_MS, () => 'the restarted server to be ready');
    assert.notEqual(childServerPid(), serverPid);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), 'AGAIN = "AKIAIOSFODNN7EXAMPLF"\n');
    await vscode.workspace.applyEdit(edit);
    await waitFor(
      vscode.languages.onDidChangeDiagnostics,
      () => vscode.languages.getDiagnostics(document.uri).find((d) => isCredentialFinding(d) && d.range.start.line === 0),
      DIAGNOSTICS_MS,
      () => `a finding from the restarted server; have ${summarize(vscode.languages.getDiagnostics(document.uri))}`,
    );
  });
});

/** The language server is a child of this extension host; found through /proc where there is one. */
function childServerPid(): number | undefined {
  if (!existsSync('/proc')) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('dist/server.js')) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}
