// SQL injection: untrusted data in the text of a SQL statement. Only the query text is checked, so
// bound parameters (`cursor.execute("... %s", (x,))`, `?` with a values array, PreparedStatement
// setters) never fire. Method names that are not SQL-specific (`query`, `run`, `get`) count only when
// the receiver is a database handle or the text visibly starts as SQL, so `cache.get(key)` is not a sink.
import { objectProperty, type CallSite } from '../calls';
import type { Node } from '../parser';
import type { Fix, Rule, RuleContext } from '../rule';
import { stringValue } from '../syntax';
import { importedNames, importsModule, leadingText, qualifiedCallee, reportTainted, sinkName, taintedAmong, type TaintedArgument } from './taintedSinks';

const sqlStart = /^\s*\(?\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|UPSERT|MERGE|CREATE|DROP|ALTER|TRUNCATE|WITH|PRAGMA|CALL|EXEC|EXECUTE)\b/i;

/** Receivers that are database handles in JavaScript: `db`, `pool`, `client`, `this.connection`, `sequelize`. */
const jsDatabaseHandle = /(^|[._])(db|database|conn|connection|pool|client|pg|mysql|sql|sqlite|sequelize|knex|manager|datasource|dataSource|queryRunner|tx|trx|transaction)$/i;

/** Java receivers whose execute/query/update is not JDBC: HTTP clients, executors, NoSQL templates. */
const javaNotJdbc = /rest|http|web|client|executor|pool|service|command|task|thread|handler|async|mongo|redis|elastic|kafka|rabbit|jms/i;

export const sqlInjection: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'sql-injection',
    title: 'SQL injection',
    category: 'security',
    severity: 'error',
    cwe: 89,
    why:
      'A SQL statement assembled from request data by concatenation or formatting lets an attacker end the ' +
      'intended statement and write their own, reading or changing any data the application can reach. ' +
      'Escaping by hand is easy to get wrong. Keep the statement text constant and pass values as bound ' +
      'parameters (placeholders with a separate values argument), which the driver never parses as SQL.',
    examples: {
      python: {
        noncompliant: 'cursor.execute("SELECT * FROM users WHERE name = \'" + request.args["name"] + "\'")',
        compliant: 'cursor.execute("SELECT * FROM users WHERE name = %s", (request.args["name"],))',
      },
      java: {
        noncompliant: 'ResultSet rs = statement.executeQuery("SELECT * FROM users WHERE name = \'" + request.getParameter("name") + "\'");',
        compliant:
          'PreparedStatement ps = connection.prepareStatement("SELECT * FROM users WHERE name = ?");\n' +
          'ps.setString(1, request.getParameter("name"));\nResultSet rs = ps.executeQuery();',
      },
      javascript: {
        noncompliant: 'pool.query(`SELECT * FROM users WHERE name = \'${req.query.name}\'`);',
        compliant: "pool.query('SELECT * FROM users WHERE name = $1', [req.query.name]);",
      },
      typescript: {
        noncompliant: 'await prisma.$queryRawUnsafe(`SELECT * FROM users WHERE name = \'${req.query.name}\'`);',
        compliant: 'await prisma.$queryRaw`SELECT * FROM users WHERE name = ${req.query.name}`;',
      },
    },
  },
  check(context: RuleContext) {
    const imports = importedNames(context);
    const hits: TaintedArgument[] = [];
    for (const call of context.calls()) {
      const queries = queryArguments(context, call, qualifiedCallee(imports, call), imports);
      const hit = queries.length > 0 ? taintedAmong(context, call, queries) : undefined;
      if (hit) hits.push(hit);
    }
    reportTainted(
      context,
      hits,
      (hit) => `Untrusted data from ${hit.source.description} is part of the SQL text run by ${sinkName(hit.call)}; pass it as a bound parameter.`,
      (hit) => (context.language === 'python' ? parameterise(hit, placeholderFor(imports)) : []),
    );
  },
};

/** The arguments of `call` that are SQL text, if it runs or prepares SQL. */
function queryArguments(context: RuleContext, call: CallSite, callee: string, imports: ReadonlyMap<string, string>): (Node | undefined)[] {
  const first = call.args[0];
  switch (context.language) {
    case 'python':
      if (call.receiver && /^(execute|executemany|executescript|mogrify)$/.test(call.name)) {
        return [first ?? call.keywords.get('sql') ?? call.keywords.get('query') ?? call.keywords.get('operation') ?? call.keywords.get('statement')];
      }
      if (/^sqlalchemy\.(sql\.)?(expression\.)?text$/.test(callee) || (callee === 'text' && importsModule(imports, 'sqlalchemy'))) return [first];
      if (/(^|\.)RawSQL$/.test(callee) || /(^|\.)read_sql(_query)?$/.test(callee)) return [first ?? call.keywords.get('sql')];
      // Django: Model.objects.raw(sql) and the extra() fragments, which are pasted into the query.
      if (call.name === 'raw' && /\bobjects\b/.test(call.receiver?.text ?? '')) return [first];
      if (call.name === 'extra' && /\bobjects\b|\.filter\(|\.all\(/.test(call.receiver?.text ?? '')) {
        return ['where', 'select', 'tables', 'order_by'].map((k) => call.keywords.get(k));
      }
      return [];
    case 'java':
      if (!call.receiver) return [];
      if (/^(executeQuery|executeUpdate|executeLargeUpdate|prepareStatement|prepareCall|nativeSQL|createQuery|createNativeQuery|createSQLQuery|queryForObject|queryForList|queryForMap|queryForRowSet|queryForStream|queryForLong|queryForInt)$/.test(call.name)) return [first];
      // execute() is also RestTemplate's, HttpClient's and every Executor's.
      if (/^(execute|addBatch)$/.test(call.name) && !javaNotJdbc.test(call.receiver.text)) return [first];
      if (/^(query|update|batchUpdate)$/.test(call.name) && /jdbc|template/i.test(call.receiver.text) && !javaNotJdbc.test(call.receiver.text)) return [first];
      return [];
    default: {
      if (/^\$(queryRawUnsafe|executeRawUnsafe)$/.test(call.name)) return [first];
      if (/^(raw|whereRaw|orWhereRaw|andWhereRaw|havingRaw|orHavingRaw|orderByRaw|groupByRaw|joinRaw|fromRaw)$/.test(call.name) && call.receiver) return [first];
      if (call.name === 'literal' && /^sequelize$/i.test(call.receiver?.text ?? '')) return [first];
      if (!call.receiver || !/^(query|execute|run|get|all|each|exec|prepare)$/.test(call.name)) return [];
      // mysql's `query({ sql, values })`; any other object (a GraphQL `client.query({ query, variables })`) is not SQL text.
      const sql = first?.type === 'object' ? objectProperty(first, 'sql') : first;
      const looksLikeSql = sql !== undefined && sqlStart.test(leadingText(context, sql).text);
      const databaseCall = /^(query|execute)$/.test(call.name) && jsDatabaseHandle.test(call.receiver.text);
      return looksLikeSql || databaseCall ? [sql] : [];
    }
  }
}

/** The DB-API placeholder of the driver the file imports, when exactly one style is in use. */
function placeholderFor(imports: ReadonlyMap<string, string>): string | undefined {
  const qmark = importsModule(imports, 'sqlite3');
  const format = ['psycopg2', 'psycopg', 'pymysql', 'MySQLdb', 'mysql', 'django'].some((m) => importsModule(imports, m));
  if (qmark === format) return undefined;
  return qmark ? '?' : '%s';
}

/**
 * `cursor.execute("... id = '" + x + "'")` or `cursor.execute(f"... id = '{x}'")` →
 * `cursor.execute("... id = %s", (x,))`. Only for one value in a plain string whose quotes, if any,
 * surround exactly that value, and with no `%` or `?` that the driver would then read as placeholders.
 */
function parameterise(hit: TaintedArgument, placeholder: string | undefined): Fix[] {
  const { call, at } = hit;
  if (!placeholder || call.name !== 'execute' || call.args.length !== 1 || call.keywords.size > 0 || call.args[0].id !== at.id) return [];
  const parts = at.type === 'string' ? interpolationParts(at) : concatenationParts(at);
  if (!parts) return [];
  let { before, after } = parts;
  if (/[%?]/.test(before + after)) return [];
  if (before.endsWith("'") !== after.startsWith("'")) return [];
  if (before.endsWith("'")) {
    before = before.slice(0, -1);
    after = after.slice(1);
  }
  if (/["'\\]$/.test(before) || /^["']/.test(after)) return [];
  const value = parts.value.text;
  return [{
    title: `Pass ${value.length > 30 ? 'the value' : value} as a query parameter`,
    edits: [{ at, newText: `${parts.quote}${before}${placeholder}${after}${parts.quote}, (${value},)` }],
  }];
}

interface SqlParts {
  quote: string;
  before: string;
  value: Node;
  after: string;
}

/** `f"...{x}..."` with exactly one plain interpolation and nothing to unescape. */
function interpolationParts(literal: Node): SqlParts | undefined {
  const start = literal.namedChildren.find((c) => c?.type === 'string_start')?.text ?? '';
  if (!/^[fF]("""|'''|"|')$/.test(start)) return undefined;
  const pieces = literal.namedChildren.filter((c): c is Node => !!c && c.type !== 'string_start' && c.type !== 'string_end');
  const holes = pieces.filter((p) => p.type === 'interpolation');
  if (holes.length !== 1 || holes[0].namedChildren.length !== 1) return undefined;
  if (pieces.some((p) => p.type === 'string_content' && p.descendantsOfType('escape_interpolation').length > 0)) return undefined;
  const hole = pieces.indexOf(holes[0]);
  const text = (list: Node[]) => list.map((p) => p.text).join('');
  const value = holes[0].childForFieldName('expression');
  return value ? { quote: start.slice(1), before: text(pieces.slice(0, hole)), value, after: text(pieces.slice(hole + 1)) } : undefined;
}

/** `"..." + x` or `"..." + x + "..."` with plain strings in the same quotes. */
function concatenationParts(expression: Node): SqlParts | undefined {
  const operands: Node[] = [];
  const flatten = (node: Node): boolean => {
    if (node.type !== 'binary_operator') {
      operands.push(node);
      return true;
    }
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    return node.childForFieldName('operator')?.text === '+' && !!left && !!right && flatten(left) && flatten(right);
  };
  if (!flatten(expression) || operands.length < 2 || operands.length > 3) return undefined;
  const [head, value, tail] = operands;
  const plain = (s: Node | undefined) => s?.type === 'string' && /^("""|'''|"|')/.test(s.text) && !s.namedChildren.some((c) => c?.type === 'interpolation');
  if (!plain(head) || value.type === 'string' || (tail && !plain(tail))) return undefined;
  const quote = /^("""|'''|"|')/.exec(head.text)![1];
  if (tail && !tail.text.startsWith(quote)) return undefined;
  return { quote, before: stringValue(head).value, value, after: tail ? stringValue(tail).value : '' };
}
