// Review features as an editor uses them, over LSP with the real server process: hovers, quick
// fixes, suppression comments, settings, .sightline.json, Review Workspace and file watching.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import {
  CodeActionRequest,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  HoverRequest,
  type CodeAction,
  type Diagnostic,
  type MarkupContent,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { reviewWorkspaceRequest } from '../../server/protocol';
import { LspClient } from '../support/lspClient';

const key = 'AKIAIOSFODNN7EXAMPLF';
const clients: LspClient[] = [];
async function start(options?: Parameters<typeof LspClient.start>[0]): Promise<LspClient> {
  const client = await LspClient.start(options);
  clients.push(client);
  return client;
}
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sightline-ws-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

async function codeActions(client: LspClient, uri: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
  const actions = await client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: diagnostics[0].range,
    context: { diagnostics },
  });
  return (actions ?? []) as CodeAction[];
}

describe('hover and quick fixes', () => {
  test('hovering a finding shows why it matters and a compliant example', async () => {
    const client = await start();
    const uri = 'file:///hover/app.py';
    await client.open(uri, 'python', `KEY = "${key}"\n`);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 10 } });
    const value = (hover?.contents as MarkupContent).value;
    assert.match(value, /Hard-coded credentials/i);
    assert.match(value, /python\/hardcoded-credentials/);
    assert.match(value, /default provider chain/);
    assert.match(value, /Compliant:/);
    const nothing = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 1 } });
    assert.equal(nothing, null);
  });

  test('"Ignore on this line" inserts a comment that silences exactly that finding', async () => {
    const client = await start();
    const uri = 'file:///fix/app.py';
    const text = `import os\nKEY = "${key}"\n`;
    const diagnostics = await client.open(uri, 'python', text);
    const actions = await codeActions(client, uri, diagnostics);
    assert.deepEqual(actions.map((a) => a.title), ['Ignore python/hardcoded-credentials on this line', 'Disable rule python/hardcoded-credentials in settings']);
    assert.deepEqual(actions[1].command, { title: 'Disable rule python/hardcoded-credentials', command: 'sightline.disableRule', arguments: ['python/hardcoded-credentials'] });
    const edits = actions[0].edit!.changes![uri] as TextEdit[];
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'python', 1, text), edits);
    assert.equal(fixed, `import os\nKEY = "${key}"  # sightline-ignore: python/hardcoded-credentials\n`);
    assert.deepEqual(await client.change(uri, [{ text: fixed }]), []);
  });

  test('a line ending inside a multi-line string gets the comment on the line above', async () => {
    const client = await start();
    const uri = 'file:///fix/Doc.java';
    const text = `class A {\n  String s = """\n    ${key}\n    """;\n}\n`;
    const diagnostics = await client.open(uri, 'java', text);
    assert.equal(diagnostics.length, 1);
    const edits = (await codeActions(client, uri, diagnostics))[0].edit!.changes![uri] as TextEdit[];
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'java', 1, text), edits);
    assert.equal(fixed, `class A {\n  String s = """\n    // sightline-ignore: java/hardcoded-credentials\n    ${key}\n    """;\n}\n`);
  });
});

describe('suppression and settings', () => {
  test('sightline-ignore on the line above, nosec and NOSONAR silence findings; others stay', async () => {
    const client = await start();
    const uri = 'file:///suppress/app.py';
    const text = [
      '# sightline-ignore: python/hardcoded-credentials',
      `A = "${key}"`,
      `B = "${key}"  # nosec`,
      `C = "${key}"  # NOSONAR`,
      `D = "${key}"  # sightline-ignore: python/sql-injection`,
      `E = "${key}"  # sightline-ignore`,
      `F = "${key}"`,
    ].join('\n');
    const diagnostics = await client.open(uri, 'python', text);
    assert.deepEqual(diagnostics.map((d) => d.range.start.line), [4, 6]);
  });

  test('honorNosec off, a rule turned off, a severity changed: applied when settings change', async () => {
    const client = await start();
    const uri = 'file:///settings/app.py';
    const text = `A = "${key}"  # nosec\n`;
    assert.deepEqual(await client.open(uri, 'python', text), []);
    client.settings = { review: { honorNosec: false, rules: { 'hardcoded-credentials': 'error' } } };
    let next = client.nextDiagnostics(uri);
    await client.settingsChanged();
    assert.deepEqual((await next).map((d) => d.severity), [1]);
    client.settings = { review: { honorNosec: false, rules: { 'python/hardcoded-credentials': 'off' } } };
    next = client.nextDiagnostics(uri);
    await client.settingsChanged();
    assert.deepEqual(await next, []);
  });

  test('.sightline.json in the workspace root overrides settings, but not in an untrusted workspace', async () => {
    const root = workspace({ '.sightline.json': JSON.stringify({ review: { rules: { 'hardcoded-credentials': 'hint' } } }) });
    const uri = pathToFileURL(join(root, 'app.py')).href;
    const trusted = await start({ rootPath: root });
    assert.deepEqual((await trusted.open(uri, 'python', `A = "${key}"\n`)).map((d) => d.severity), [4]);
    const untrusted = await start({ rootPath: root, workspaceTrusted: false });
    assert.deepEqual((await untrusted.open(uri, 'python', `A = "${key}"\n`)).map((d) => d.severity), [2]);
  });

  test('a broken .sightline.json is reported by name and ignored', async () => {
    const root = workspace({ '.sightline.json': '{ "review": { "rules": ' });
    const client = await start({ rootPath: root });
    const uri = pathToFileURL(join(root, 'app.py')).href;
    assert.equal((await client.open(uri, 'python', `A = "${key}"\n`)).length, 1);
    assert.ok(client.messages.some((m) => m.includes('.sightline.json') && m.includes('not valid JSON')), client.messages.join('\n'));
  });
});

describe('Review Workspace', () => {
  test('reviews files that are not open, reports progress, and follows changes on disk', async () => {
    const root = workspace({
      'a.py': `A = "${key}"\n`,
      'b.ts': `export const b = '${key}';\n`,
      'clean.java': 'class Clean {}\n',
      'notes.txt': key,
      'blob.py': '\u0000\u0001binary',
    });
    const client = await start({ rootPath: root });
    const aUri = pathToFileURL(join(root, 'a.py')).href;
    const aDiagnostics = client.nextDiagnostics(aUri);
    const result = await client.connection.sendRequest(reviewWorkspaceRequest, { workDoneToken: 'review-1' });
    assert.deepEqual({ ...result, skipped: result.skipped.map((s) => s.reason) }, { files: 3, findings: 2, skipped: ['binary content (NUL bytes)'], cancelled: false });
    assert.equal((await aDiagnostics).length, 1);
    assert.ok(client.progress.some((p) => (p as { token: string; value: { kind: string } }).token === 'review-1'));

    writeFileSync(join(root, 'a.py'), 'A = 1\n');
    const cleared = client.nextDiagnostics(aUri);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: aUri, type: FileChangeType.Changed }] });
    assert.deepEqual(await cleared, []);

    const opened = await client.open(aUri, 'python', `A = 1\nB = "${key}"\n`);
    assert.equal(opened.length, 1);
    assert.deepEqual(await client.close(aUri), [], 'closing returns to the on-disk findings');
  });
});

describe('bad input never crashes or hangs the server', () => {
  test('a syntax error mid-edit still leaves findings for the intact parts', async () => {
    const client = await start();
    const uri = 'file:///bad/edit.py';
    await client.open(uri, 'python', `def f(:\n    return (\n\nKEY = "${key}"\n\nclass C(\n`);
    const diagnostics = await client.change(uri, [{ range: { start: { line: 0, character: 6 }, end: { line: 0, character: 6 } }, text: '[[' }]);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['python/hardcoded-credentials', 3]]);
  });

  test('binary junk, lone surrogates, a 1 MB one-line minified file and 50-level nesting', async () => {
    const client = await start();
    const junk = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 0xd7ff)).join('');
    assert.ok(Array.isArray(await client.open('file:///bad/junk.js', 'javascript', junk)));
    const credentials = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => String(d.code).endsWith('/hardcoded-credentials')).length;
    const surrogates = `x = "\ud800\udfff\ud83d"\nKEY = "${key}"\n`;
    assert.equal(credentials(await client.open('file:///bad/utf.py', 'python', surrogates)), 1);
    const minified = `var a=${'[1,{b:"c"},function(d){return d+1}],'.repeat(30_000)}0;var k="${key}";`;
    assert.ok(minified.length > 1_000_000);
    assert.equal(credentials(await client.open('file:///bad/min.js', 'javascript', minified)), 1);
    const nested = `def f():\n${Array.from({ length: 50 }, (_, i) => `${'    '.repeat(i + 1)}if x${i}:`).join('\n')}\n${'    '.repeat(51)}k = "${key}"\n`;
    assert.equal(credentials(await client.open('file:///bad/nested.py', 'python', nested)), 1);
    const deepJava = `class A { void m() { int x = ${'('.repeat(50)}1${')'.repeat(50)}; String k = "${key}"; } }`;
    assert.equal(credentials(await client.open('file:///bad/Deep.java', 'java', deepJava)), 1);
  });

  test('a file over maxFileSize is skipped with one information message', async () => {
    const client = await start({ settings: { review: { maxFileSize: 1000 } } });
    const uri = 'file:///bad/big.py';
    const big = `KEY = "${key}"\n${'x = 1\n'.repeat(500)}`;
    assert.deepEqual(await client.open(uri, 'python', big), []);
    assert.deepEqual(await client.change(uri, [{ text: big + 'y = 2\n' }]), []);
    assert.equal(client.messages.filter((m) => m.includes('larger than sightline.review.maxFileSize')).length, 1);
  });
});
