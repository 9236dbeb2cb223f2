// Which embedded store for server/store/ (issues 4 and 5, "Store"): measured, not guessed.
//   (a) node-sqlite3-wasm — SQLite compiled to WASM with real file persistence — in two schemas:
//       a B-tree postings table (term, rid) with a (term, time) index, and an FTS5 index over
//       the terms (contentless, detail=none), the faster of the two;
//   (b) our append-only segment files + in-memory postings (server/store/).
// Same records for both: N (default 1M) ~500-byte records with 10 index terms of mixed
// cardinality (2 … ~N/10 values), times nearly in order. For each: append throughput (batches of
// 1,000 in one transaction / one fsync'd batch), open (recovery) time with N records, lookups of
// 1 term and of 3 terms, newest first, limit 50, bodies read (p50/p95 of 300 each), disk size.
// node-sqlite3-wasm is not a dependency of Sightline: the bench installs it into
// os.tmpdir()/sightline-bench-deps with npm the first time (or set SIGHTLINE_SQLITE_WASM_DIR).
// Run: node out/test/bench/storeChoice.bench.js   (SIGHTLINE_BENCH_STORE_RECORDS=N to change N,
// SIGHTLINE_BENCH_SQLITE_BTREE_RECORDS for the B-tree schema, default 100k: it is the slowest)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../server/store/store';
import { header, int, ms, percentile } from './report';
import { random } from '../support/random';

const N = Number(process.env.SIGHTLINE_BENCH_STORE_RECORDS ?? 1_000_000);
const BTREE_N = Math.min(N, Number(process.env.SIGHTLINE_BENCH_SQLITE_BTREE_RECORDS ?? 100_000));
const BATCH = 1000;
const QUERIES = 300;
const SQLITE_VERSION = '0.8.60';
const T0 = Date.UTC(2026, 0, 1);

// ---------------------------------------------------------------------------------------------
// The records
// ---------------------------------------------------------------------------------------------

/** Field name and number of distinct values; the last is one value per 10 records (a trace id). */
const FIELDS: [string, number][] = [
  ['ro', 2], ['region', 16], ['src', 20], ['type', 40], ['user', 100], ['key', 200], ['name', 300], ['ip', 2000], ['res', 20_000], ['trace', Math.ceil(N / 10)],
];

interface BenchRecord {
  key: string;
  time: number;
  terms: string[];
  body: string;
}

const PAD = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(8);

/** Record i, the same on every call: skewed values (a few common, many rare), ~500 bytes of JSON. */
function makeRecord(i: number): BenchRecord {
  const rnd = random(i * 7 + 1);
  const terms = FIELDS.map(([field, n], f) => {
    const v = f === FIELDS.length - 1 ? Math.floor(i / 10) : Math.floor(n * rnd() * rnd());
    return `${field}=${field}-${v}`;
  });
  const time = T0 + i * 10 + Math.floor(rnd() * 5000);
  const key = `${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}-${i.toString(16).padStart(4, '0').slice(-4)}-4${i.toString(16).padStart(3, '0').slice(-3)}-8000-${i.toString(16).padStart(12, '0')}`;
  const body = JSON.stringify({ eventID: key, eventTime: new Date(time).toISOString(), terms, pad: PAD.slice(0, 500 - 40 - terms.join('').length - key.length) });
  return { key, time, terms, body };
}

function batchOf(start: number): BenchRecord[] {
  const records: BenchRecord[] = [];
  for (let i = start; i < Math.min(start + BATCH, N); i++) records.push(makeRecord(i));
  return records;
}

/** The lookups both stores answer: 30 single terms per field, and 3 terms taken from one record. */
function makeQueries(count: number): { single: string[][]; triple: string[][] } {
  const rnd = random(42);
  const single: string[][] = [];
  const triple: string[][] = [];
  for (let q = 0; q < QUERIES; q++) {
    const record = makeRecord(Math.floor(rnd() * count));
    single.push([record.terms[q % FIELDS.length]]);
    const picks = new Set<number>();
    while (picks.size < 3) picks.add(Math.floor(rnd() * (FIELDS.length - 1)));
    triple.push([...picks].map((f) => record.terms[f]));
  }
  return { single, triple };
}

interface Figures {
  label: string;
  records: number;
  appendPerSecond: number;
  /** Records per second of this process's CPU time: the figure a shared, loaded machine distorts least. */
  appendPerCpuSecond: number;
  openMs: number;
  single: number[];
  triple: number[];
  diskBytes: number;
  note?: string;
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    total += stat.isDirectory() ? dirBytes(path) : stat.size;
  }
  return total;
}

/** A database file and its WAL, if any. */
function fileBytes(path: string): number {
  return statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
}

/** Wall and CPU time of the measured parts only. */
class Stopwatch {
  wallMs = 0;
  cpuMs = 0;

  time<T>(work: () => T): T {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    try {
      return work();
    } finally {
      const used = process.cpuUsage(cpu);
      this.cpuMs += (used.user + used.system) / 1000;
      this.wallMs += performance.now() - wall;
    }
  }
}

function timeQueries(queries: string[][], run: (terms: string[]) => number): number[] {
  return queries.map((terms) => {
    const started = performance.now();
    run(terms);
    return performance.now() - started;
  });
}

// ---------------------------------------------------------------------------------------------
// (b) the segment store
// ---------------------------------------------------------------------------------------------

function benchSegments(root: string, durable: boolean): Figures {
  const dir = join(root, durable ? 'segments' : 'segments-nosync');
  let store = Store.open(dir, { name: 'bench', retention: { maxAgeMs: Infinity, maxBytes: Infinity }, durable });
  const watch = new Stopwatch();
  for (let start = 0; start < N; start += BATCH) {
    const batch = batchOf(start);
    watch.time(() => store.append(batch));
  }
  store.close();
  const began = performance.now();
  store = Store.open(dir, { name: 'bench', retention: { maxAgeMs: Infinity, maxBytes: Infinity } });
  const openMs = performance.now() - began;
  const { single, triple } = makeQueries(N);
  const run = (terms: string[]) => {
    let n = 0;
    for (const record of store.query({ all: terms, limit: 50 })) n += record.body.length > 0 ? 1 : 0;
    return n;
  };
  timeQueries(single.slice(0, 20), run);
  const figures: Figures = {
    label: `(b) segment files + in-memory postings${durable ? '' : ', no fsync'}`,
    records: store.count(),
    appendPerSecond: N / (watch.wallMs / 1000),
    appendPerCpuSecond: N / (watch.cpuMs / 1000),
    openMs,
    single: timeQueries(single, run),
    triple: timeQueries(triple, run),
    diskBytes: dirBytes(dir),
    note: `of which the index snapshot ${(statSync(join(dir, 'bench', 'index.snapshot')).size / 1024 / 1024).toFixed(0)} MB; index memory ${(store.stats().indexBytes / 1024 / 1024).toFixed(0)} MB in typed arrays, heap used ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MB`,
  };
  store.close();
  return figures;
}

// ---------------------------------------------------------------------------------------------
// (a) node-sqlite3-wasm
// ---------------------------------------------------------------------------------------------

interface SqliteStatement {
  run(values?: unknown[]): { lastInsertRowid: number | bigint };
  all(values?: unknown[]): Record<string, unknown>[];
  finalize(): void;
}
interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  all(sql: string, values?: unknown[]): Record<string, unknown>[];
  close(): void;
}
type SqliteModule = { Database: new (path: string) => SqliteDatabase };

function loadSqlite(): SqliteModule {
  const dirs = [process.env.SIGHTLINE_SQLITE_WASM_DIR, join(tmpdir(), 'sightline-bench-deps')].filter((d): d is string => !!d);
  for (const dir of dirs) {
    if (existsSync(join(dir, 'node_modules', 'node-sqlite3-wasm'))) return createRequire(join(dir, 'index.js'))('node-sqlite3-wasm') as SqliteModule;
  }
  const dir = dirs[dirs.length - 1];
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{ "name": "sightline-bench-deps", "private": true }\n');
  console.log(`  installing node-sqlite3-wasm@${SQLITE_VERSION} into ${dir} (npm) …`);
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', `node-sqlite3-wasm@${SQLITE_VERSION}`], { cwd: dir, encoding: 'utf8' });
  if (npm.status !== 0) throw new Error(`npm install node-sqlite3-wasm failed: ${npm.stderr}`);
  return createRequire(join(dir, 'index.js'))('node-sqlite3-wasm') as SqliteModule;
}

/** Pragmas that favour SQLite: WAL (exclusive locking: the WASM VFS has no shared memory), synchronous=NORMAL. */
function openSqlite(sqlite: SqliteModule, path: string): SqliteDatabase {
  const db = new sqlite.Database(path);
  db.exec('PRAGMA locking_mode=EXCLUSIVE');
  db.all('PRAGMA journal_mode=WAL');
  db.exec('PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536');
  return db;
}

function benchSqliteFts(sqlite: SqliteModule, root: string): Figures {
  const path = join(root, 'fts.db');
  let db = openSqlite(sqlite, path);
  db.exec(`CREATE TABLE records(rid INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, time REAL NOT NULL, body TEXT NOT NULL);
    CREATE TABLE terms(id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE);
    CREATE VIRTUAL TABLE postings USING fts5(tokens, content='', detail=none);`);
  let termIds = new Map<string, number>();
  const insertTerm = db.prepare('INSERT INTO terms(id, term) VALUES (?, ?)');
  const insertRecord = db.prepare('INSERT OR IGNORE INTO records(key, time, body) VALUES (?, ?, ?)');
  const insertPostings = db.prepare('INSERT INTO postings(rowid, tokens) VALUES (?, ?)');
  const token = (term: string) => {
    let id = termIds.get(term);
    if (id === undefined) {
      id = termIds.size + 1;
      termIds.set(term, id);
      insertTerm.run([id, term]);
    }
    return `t${id}`;
  };
  const watch = new Stopwatch();
  for (let start = 0; start < N; start += BATCH) {
    const batch = batchOf(start);
    watch.time(() => {
      db.exec('BEGIN');
      for (const record of batch) {
        const rid = insertRecord.run([record.key, record.time, record.body]).lastInsertRowid;
        insertPostings.run([rid, record.terms.map(token).join(' ')]);
      }
      db.exec('COMMIT');
    });
    if (start > 0 && start % 200_000 === 0) console.log(`    … sqlite fts5: ${int(start)} records, ${int(start / (watch.wallMs / 1000))}/s so far`);
  }
  // Unfinalized statements keep a closed connection (and its lock) alive.
  for (const statement of [insertTerm, insertRecord, insertPostings]) statement.finalize();
  db.close();
  const began = performance.now();
  db = openSqlite(sqlite, path);
  termIds = new Map(db.all('SELECT id, term FROM terms').map((row) => [String(row.term), Number(row.id)]));
  const openMs = performance.now() - began;
  // Newest first by rowid, which follows time here only because records arrive nearly in order.
  const select = db.prepare('SELECT r.key, r.time, r.body FROM records r WHERE r.rid IN (SELECT rowid FROM postings WHERE postings MATCH ? ORDER BY rowid DESC LIMIT 50) ORDER BY r.rid DESC');
  const run = (terms: string[]) => {
    const ids = terms.map((t) => termIds.get(t));
    if (ids.some((id) => id === undefined)) return 0;
    return select.all([ids.map((id) => `t${id}`).join(' AND ')]).length;
  };
  const { single, triple } = makeQueries(N);
  timeQueries(single.slice(0, 20), run);
  const figures: Figures = {
    label: '(a) node-sqlite3-wasm, FTS5 postings',
    records: Number(db.all('SELECT count(*) AS n FROM records')[0].n),
    appendPerSecond: N / (watch.wallMs / 1000),
    appendPerCpuSecond: N / (watch.cpuMs / 1000),
    openMs,
    single: timeQueries(single, run),
    triple: timeQueries(triple, run),
    diskBytes: fileBytes(path),
    note: 'newest first = by rowid (insertion order), not by time',
  };
  select.finalize();
  db.close();
  return figures;
}

function benchSqliteBtree(sqlite: SqliteModule, root: string): Figures {
  const path = join(root, 'btree.db');
  let db = openSqlite(sqlite, path);
  db.exec(`CREATE TABLE records(rid INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, time REAL NOT NULL, body TEXT NOT NULL);
    CREATE TABLE terms(id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE);
    CREATE TABLE postings(term INTEGER NOT NULL, rid INTEGER NOT NULL, time REAL NOT NULL, PRIMARY KEY(term, rid)) WITHOUT ROWID;
    CREATE INDEX postings_by_time ON postings(term, time, rid);`);
  let termIds = new Map<string, number>();
  const insertTerm = db.prepare('INSERT INTO terms(id, term) VALUES (?, ?)');
  const insertRecord = db.prepare('INSERT OR IGNORE INTO records(key, time, body) VALUES (?, ?, ?)');
  const insertPosting = db.prepare('INSERT INTO postings(term, rid, time) VALUES (?, ?, ?)');
  const watch = new Stopwatch();
  for (let start = 0; start < BTREE_N; start += BATCH) {
    const batch = batchOf(start).slice(0, BTREE_N - start);
    watch.time(() => {
      db.exec('BEGIN');
      for (const record of batch) {
        const rid = insertRecord.run([record.key, record.time, record.body]).lastInsertRowid;
        for (const term of record.terms) {
          let id = termIds.get(term);
          if (id === undefined) {
            id = termIds.size + 1;
            termIds.set(term, id);
            insertTerm.run([id, term]);
          }
          insertPosting.run([id, rid, record.time]);
        }
      }
      db.exec('COMMIT');
    });
  }
  for (const statement of [insertTerm, insertRecord, insertPosting]) statement.finalize();
  db.close();
  const began = performance.now();
  db = openSqlite(sqlite, path);
  termIds = new Map(db.all('SELECT id, term FROM terms').map((row) => [String(row.term), Number(row.id)]));
  const openMs = performance.now() - began;
  const one = db.prepare('SELECT r.key, r.time, r.body FROM postings p JOIN records r ON r.rid = p.rid WHERE p.term = ? ORDER BY p.time DESC LIMIT 50');
  const three = db.prepare(`SELECT r.key, r.time, r.body FROM postings p JOIN records r ON r.rid = p.rid WHERE p.term = ?
    AND EXISTS (SELECT 1 FROM postings q WHERE q.term = ? AND q.rid = p.rid) AND EXISTS (SELECT 1 FROM postings s WHERE s.term = ? AND s.rid = p.rid)
    ORDER BY p.time DESC LIMIT 50`);
  const run = (terms: string[]) => {
    const ids = terms.map((t) => termIds.get(t));
    if (ids.some((id) => id === undefined)) return 0;
    return (ids.length === 1 ? one : three).all(ids).length;
  };
  const { single, triple } = makeQueries(BTREE_N);
  timeQueries(single.slice(0, 20), run);
  const figures: Figures = {
    label: `(a) node-sqlite3-wasm, B-tree postings table (${int(BTREE_N)} records only)`,
    records: BTREE_N,
    appendPerSecond: BTREE_N / (watch.wallMs / 1000),
    appendPerCpuSecond: BTREE_N / (watch.cpuMs / 1000),
    openMs,
    single: timeQueries(single, run),
    triple: timeQueries(triple, run),
    diskBytes: fileBytes(path),
  };
  one.finalize();
  three.finalize();
  db.close();
  return figures;
}

function print(f: Figures): void {
  console.log(`  ${f.label}`);
  console.log(`    records ${int(f.records)}; append ${int(f.appendPerSecond)} records/s (${int(f.appendPerCpuSecond)} per CPU-second); open ${ms(f.openMs)}; disk ${(f.diskBytes / 1024 / 1024).toFixed(0)} MB (${int(f.diskBytes / f.records)} B/record)`);
  console.log(`    1 term, newest 50:  p50 ${ms(percentile(f.single, 50))}  p95 ${ms(percentile(f.single, 95))}`);
  console.log(`    3 terms, newest 50: p50 ${ms(percentile(f.triple, 50))}  p95 ${ms(percentile(f.triple, 95))}`);
  if (f.note) console.log(`    ${f.note}`);
}

function main(): void {
  header(`Store choice: ${int(N)} records of ~500 bytes with 10 terms, batches of ${int(BATCH)}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}`);
  const root = mkdtempSync(join(tmpdir(), 'sightline-store-choice-'));
  try {
    const sample = makeRecord(12345);
    console.log(`  a record: ${sample.body.length} bytes of body, terms ${sample.terms.join(' ')}\n`);
    print(benchSegments(root, true));
    print(benchSegments(root, false));
    const sqlite = loadSqlite();
    print(benchSqliteBtree(sqlite, root));
    print(benchSqliteFts(sqlite, root));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main();
