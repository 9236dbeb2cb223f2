// The injection rules beyond what fixtures can say: the SQL quick fix's exact edit, the related
// location of the source, and the dataflow facts they lean on (a clean reassignment, a typed parameter).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { reviewTree } from '../../server/review/engine';
import { languageForId } from '../../server/review/languages';
import { Parsers } from '../../server/review/parser';
import type { Finding } from '../../server/review/rule';
import { codeInjection } from '../../server/review/rules/codeInjection';
import { logInjection } from '../../server/review/rules/logInjection';
import { osCommandInjection } from '../../server/review/rules/osCommandInjection';
import { pathTraversal } from '../../server/review/rules/pathTraversal';
import { sqlInjection } from '../../server/review/rules/sqlInjection';
import { ssrf } from '../../server/review/rules/ssrf';
import { defaultSettings } from '../../server/settings';
import { grammarDir } from '../support/paths';

const injectionRules = [sqlInjection, osCommandInjection, codeInjection, pathTraversal, ssrf, logInjection];

let parsers: Parsers;
before(async () => {
  parsers = await Parsers.load(grammarDir);
});

function review(languageId: string, text: string): Finding[] {
  const info = languageForId(languageId)!;
  const tree = parsers.parse(info.grammar, text);
  try {
    return reviewTree(info.language, tree, text, defaultSettings, undefined, injectionRules).findings;
  } finally {
    tree.delete();
  }
}

/** The text after applying the finding's only fix. */
function applyFix(text: string, finding: Finding): string {
  assert.equal(finding.fixes?.length, 1, JSON.stringify(finding));
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const edits = [...finding.fixes![0].edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  return edits.reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

const flask = (driver: string, body: string) => `import ${driver}\nfrom flask import request\n\n\ndef find():\n    name = request.args["name"]\n    ${body}\n`;

describe('sql-injection quick fix', () => {
  const fixes: [string, string, string][] = [
    ['sqlite3', `cursor.execute("SELECT * FROM users WHERE name = '" + name + "'")`, `cursor.execute("SELECT * FROM users WHERE name = ?", (name,))`],
    ['psycopg2', `cursor.execute("SELECT * FROM users WHERE name = '" + name + "'")`, `cursor.execute("SELECT * FROM users WHERE name = %s", (name,))`],
    ['pymysql', `cursor.execute(f"SELECT * FROM users WHERE name = '{name}' LIMIT 1")`, `cursor.execute("SELECT * FROM users WHERE name = %s LIMIT 1", (name,))`],
    ['sqlite3', `cursor.execute('DELETE FROM carts WHERE id = ' + name)`, `cursor.execute('DELETE FROM carts WHERE id = ?', (name,))`],
  ];
  for (const [driver, before, after] of fixes) {
    test(`${driver}: ${before}`, () => {
      const text = flask(driver, before);
      const findings = review('python', text);
      assert.equal(findings.length, 1);
      assert.equal(applyFix(text, findings[0]), flask(driver, after));
    });
  }

  const noFix: [string, string][] = [
    ['sqlite3', `cursor.execute(f"SELECT * FROM users WHERE name = '{name}' AND role = '{name}'")`],
    ['psycopg2', `cursor.execute("SELECT * FROM users WHERE name LIKE '%" + name + "%'")`],
    ['psycopg2', `cursor.execute("SELECT * FROM users WHERE name = '" + name)`],
    ['psycopg2', `cursor.execute(f"SELECT * FROM users WHERE name = '{name!r}'")`],
    ['json', `cursor.execute("SELECT * FROM users WHERE name = '" + name + "'")`],
  ];
  for (const [driver, body] of noFix) {
    test(`reports without a fix when the edit is not certain: ${driver}: ${body}`, () => {
      const findings = review('python', flask(driver, body));
      assert.equal(findings.length, 1);
      assert.equal(findings[0].fixes, undefined);
    });
  }
});

describe('injection findings', () => {
  test('point at the sink argument and relate where the data came from', () => {
    const text = 'def lookup(request):\n    host = request.GET["host"]\n    os.system("ping " + host)\n';
    const [finding] = review('python', text);
    assert.equal(finding.ruleId, 'python/os-command-injection');
    assert.deepEqual(finding.range.start, { line: 2, character: 14 });
    assert.deepEqual(finding.related, [{ range: { start: { line: 1, character: 11 }, end: { line: 1, character: 30 } }, message: 'untrusted data enters here: the HTTP request' }]);
  });

  test('a straight-line reassignment with a sanitised value clears the taint; a conditional one does not', () => {
    const clean = '@app.route("/f")\ndef f(name):\n    name = secure_filename(name)\n    return open(name).read()\n';
    assert.deepEqual(review('python', clean), []);
    const conditional = '@app.route("/f")\ndef f(name):\n    if name.endswith(".txt"):\n        name = secure_filename(name)\n    return open(name).read()\n';
    assert.deepEqual(review('python', conditional).map((f) => f.ruleId), ['python/path-traversal']);
  });

  test('a value assigned later reaches an earlier use only around a loop', () => {
    const loop = 'app.get("/x", (req, res) => {\n  let cmd = "ls";\n  for (const part of req.query.parts) {\n    child_process.exec(cmd);\n    cmd = part;\n  }\n});\n';
    assert.deepEqual(review('javascript', loop).map((f) => f.range.start.line), [3]);
    const straight = 'app.get("/x", (req, res) => {\n  let cmd = "ls";\n  child_process.exec(cmd);\n  cmd = req.query.cmd;\n});\n';
    assert.deepEqual(review('javascript', straight), []);
  });

  test('a comprehension carries the taint of what it iterates', () => {
    const text = '@app.route("/f")\ndef f():\n    ids = request.args.getlist("id")\n    cursor.execute("SELECT * FROM t WHERE id IN (" + ",".join("\'" + i + "\'" for i in ids) + ")")\n';
    assert.deepEqual(review('python', text).map((f) => f.ruleId), ['python/sql-injection']);
  });

  test('parameters declared as numbers or UUIDs carry no injection', () => {
    const fastapi = '@api.get("/items/{item_id}")\ndef item(item_id: int, q: str):\n    os.system(f"echo {item_id}")\n    os.system(f"echo {q}")\n';
    assert.deepEqual(review('python', fastapi).map((f) => f.range.start.line), [3]);
  });

  test('a lookup in a constant table is an allow-list', () => {
    const text = 'app.get("/x", (req, res) => {\n  child_process.exec(COMMANDS[req.query.name]);\n  child_process.exec(COMMANDS.get(req.query.name, req.query.fallback));\n});\n';
    assert.deepEqual(review('javascript', text).map((f) => f.range.start.line), [2]);
  });

  // Units without any source word skip the dataflow: each source form must still be seen, spaced
  // out as people write it, in code that is not a request handler.
  test('every source form reaches a sink outside handlers, whitespace and all', () => {
    const cases: [string, string, string][] = [
      ['python', 'def f():\n    q = request . args["q"]\n    os.system("x " + q)\n', 'python/os-command-injection'],
      ['python', 'def f():\n    q = flask.request.get_json()["q"]\n    os.system("x " + q)\n', 'python/os-command-injection'],
      ['python', 'def f():\n    q = input ("?")\n    os.system("x " + q)\n', 'python/os-command-injection'],
      ['python', 'def f():\n    q = raw_input("?")\n    os.system("x " + q)\n', 'python/os-command-injection'],
      ['python', 'q = sys.argv[1]\nos.system("x " + q)\n', 'python/os-command-injection'],
      ['java', 'class A {\n  void f(HttpServletRequest httpReq) throws Exception {\n    String q = httpReq.getParameter("q");\n    Runtime.getRuntime().exec("x " + q);\n  }\n}\n', 'java/os-command-injection'],
      ['java', 'class A {\n  void f(HttpServletRequest request) throws Exception {\n    String q = request.GETHEADER("q");\n    Runtime.getRuntime().exec("x " + q);\n  }\n}\n', 'java/os-command-injection'],
      ['java', 'class A {\n  void f() throws Exception {\n    String q = System.getenv("Q");\n    Runtime.getRuntime().exec("x " + q);\n  }\n}\n', 'java/os-command-injection'],
      ['javascript', 'function f(req) {\n  child_process.exec("x " + req.query.q);\n}\n', 'javascript/os-command-injection'],
      ['javascript', 'function f(ctx) {\n  child_process.exec("x " + ctx.request.body.q);\n}\n', 'javascript/os-command-injection'],
      ['javascript', 'const q = process.argv[2];\nchild_process.exec("x " + q);\n', 'javascript/os-command-injection'],
      ['typescript', 'function f() {\n  eval(window.location.hash);\n}\n', 'typescript/code-injection'],
    ];
    for (const [language, text, ruleId] of cases) {
      assert.deepEqual(review(language, text).map((f) => f.ruleId), [ruleId], `${language}: ${text}`);
    }
  });
});
