// The real server process over LSP: open, edit, close, and exact diagnostics at each step.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LspClient } from '../support/lspClient';

const key = 'AKIAIOSFODNN7EXAMPLF';
let client: LspClient;

before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

describe('hard-coded credentials over LSP', () => {
  test('the server reports itself ready with its languages', async () => {
    const status = await client.ready();
    assert.equal(status.health, 'ready');
    assert.match(status.summary, /Python, Java, JavaScript, TypeScript/);
  });

  test('Python: appears within the edit that completes the key, and goes once removed', async () => {
    const uri = 'file:///work/demo/creds.py';
    const partial = `import boto3\n\nKEY = "${key.slice(0, -1)}"\n`;
    assert.deepEqual(await client.open(uri, 'python', partial), []);

    const completed = await client.change(uri, [{ range: { start: { line: 2, character: 26 }, end: { line: 2, character: 26 } }, text: key.slice(-1) }]);
    assert.equal(completed.length, 1);
    assert.equal(completed[0].code, 'python/hardcoded-credentials');
    assert.equal(completed[0].source, 'sightline');
    assert.equal(completed[0].severity, 2);
    assert.deepEqual(completed[0].range, { start: { line: 2, character: 7 }, end: { line: 2, character: 27 } });
    assert.ok(completed[0].codeDescription?.href.includes('hardcoded-credentials'));

    const shifted = await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# header\n' }]);
    assert.deepEqual(shifted.map((d) => d.range.start), [{ line: 3, character: 7 }]);

    const removed = await client.change(uri, [{ range: { start: { line: 3, character: 7 }, end: { line: 3, character: 27 } }, text: '' }]);
    assert.deepEqual(removed, []);
    assert.deepEqual(await client.close(uri), []);
  });

  const cases: [string, string, string, { line: number; character: number }][] = [
    ['Inventory.java', 'java', `class Inventory {\n    private static final String ID = "${key}";\n}\n`, { line: 1, character: 38 }],
    ['notify.js', 'javascript', `const id = '${key}';\n`, { line: 0, character: 12 }],
    ['billing.ts', 'typescript', `export const cfg = {\n  accessKeyId: "${key}",\n};\n`, { line: 1, character: 16 }],
    ['View.tsx', 'typescriptreact', `export const V = () => <span data-k="${key}" />;\n`, { line: 0, character: 37 }],
  ];
  for (const [name, languageId, text, start] of cases) {
    test(`${languageId}: one warning at the key`, async () => {
      const uri = `file:///work/demo/${name}`;
      const diagnostics = await client.open(uri, languageId, text);
      const language = languageId === 'typescriptreact' ? 'typescript' : languageId;
      assert.deepEqual(
        diagnostics.map((d) => ({ code: d.code, start: d.range.start, severity: d.severity })),
        [{ code: `${language}/hardcoded-credentials`, start, severity: 2 }],
      );
      assert.deepEqual(await client.close(uri), []);
    });
  }

  test('a whole-document change (no range) is handled like an incremental one', async () => {
    const uri = 'file:///work/demo/full.py';
    await client.open(uri, 'python', 'x = 1\n');
    const diagnostics = await client.change(uri, [{ text: `x = "${key}"\n` }]);
    assert.deepEqual(diagnostics.map((d) => d.range.start), [{ line: 0, character: 5 }]);
    await client.close(uri);
  });
});
