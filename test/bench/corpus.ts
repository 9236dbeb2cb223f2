// Inputs for the review benchmarks, shared by every *.bench.ts:
// - generated 5,000-line Python and Java files (deterministic) with the places a keystroke goes;
// - a corpus of real code of at least 100k lines: Python from the Debian python3 standard library
//   and JavaScript/TypeScript from installed npm packages' own source (no minified bundles), copied once into
//   os.tmpdir()/sightline-bench-corpus and reused while its manifest matches.
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { repoRoot } from '../support/paths';
import { random } from '../support/random';

// ---------------------------------------------------------------------------------------------
// Generated files for the edit-latency benchmark
// ---------------------------------------------------------------------------------------------

/** A place inside a function body where the benchmark types a character (0-based LSP position). */
export interface EditSite {
  line: number;
  character: number;
  /** Inside a string literal, or at the end of a callee name before its `(`: both stay valid code. */
  kind: 'string' | 'identifier';
}

export interface GeneratedFile {
  name: string;
  languageId: 'python' | 'java';
  text: string;
  lines: number;
  /** Functions and methods generated. */
  functions: number;
  sites: EditSite[];
}

/** Collects lines; a `§` in a line marks an edit site and is removed. */
class Writer {
  readonly lines: string[] = [];
  readonly sites: EditSite[] = [];

  emit(block: string): void {
    for (const raw of block.split('\n')) {
      const at = raw.indexOf('§');
      const line = at < 0 ? raw : raw.slice(0, at) + raw.slice(at + 1);
      if (at >= 0) this.sites.push({ line: this.lines.length, character: at, kind: raw[at - 1] === '"' || raw[at - 1] === "'" ? 'string' : 'identifier' });
      this.lines.push(line);
    }
  }
}

const nouns = ['order', 'invoice', 'customer', 'shipment', 'report', 'account', 'payment', 'session', 'upload', 'metric', 'audit', 'ticket'];
const tables = ['orders', 'invoices', 'customers', 'shipments', 'reports', 'accounts', 'payments', 'sessions'];
const buckets = ['acme-data', 'acme-reports', 'acme-uploads', 'acme-archive'];

/** A fake access key id that the hard-coded-credentials rule recognises (AKIA + 16 characters). */
const fakeKeyId = 'AKIAIOSFODNN7EXAMPLF';

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)];
}

// --- Python ---------------------------------------------------------------------------------

type PyTemplate = (n: number, noun: string, rnd: () => number) => string;

const pyFunctions: PyTemplate[] = [
  (n, noun) => `def format_${noun}_report_${n}(items, title="${noun.toUpperCase()} report ${n}"):
    """Builds a plain-text report of the given ${noun}s."""
    lines = [title, "=" * len(title)]
    total = 0.0
    for index, item in enumerate(items):
        name = item.get("§name", "unknown")
        amount = float(item.get("amount", 0))
        total += amount
        lines.append(f"{index:>4} {name:<30} {amount:>10.2f}")
    lines.append("-" * 46)
    lines.append(f"Total: {total:.2f}")
    return "\\n".join(lines)
`,
  (n, noun, rnd) => `def list_${noun}_keys_${n}(bucket="${pick(rnd, buckets)}", prefix="${noun}s/"):
    s3 = boto3.client("s3")
    response = s3.list_objects_v2(Bucket=bucket, Prefix=prefix)
    keys = []
    for obj in response.get("Contents", []):
        if obj["Size"] > 0 and not obj["Key"].endswith("/"):
            keys.append(obj["Key"])
    logger.info("§found %d keys under %s", len(keys), prefix)
    return keys
`,
  (n, noun) => `def load_${noun}_config_${n}(path):
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        logger.warning("config %s not found, using defaults", path)
        data = {}
    except json.JSONDecodeError as error:
        raise ValueError(f"invalid config {path}: {error}") from error
    settings = dict(DEFAULTS)
    settings.update(data)
    validate§_settings(settings)
    return settings
`,
  (n, noun, rnd) => `def save_${noun}s_${n}(records):
    table = dynamodb.Table("${pick(rnd, tables)}")
    written = 0
    with table.batch_writer() as batch:
        for record in records:
            record["updated_at"] = datetime.datetime.now(datetime.timezone.utc).isoformat()
            batch.put_item(Item=record)
            written += 1
    metrics.incr§("${noun}.saved", written)
    return written
`,
  (n, noun) => `def handler_${n}(event, context):
    sqs = boto3.client("sqs")
    body = json.loads(event.get("body") or "{}")
    ${noun}_id = body.get("id")
    if not ${noun}_id:
        return {"statusCode": 400, "body": json.dumps({"error": "§missing id"})}
    sqs.send_message(QueueUrl=QUEUE_URL, MessageBody=json.dumps(body))
    logger.info("queued ${noun} %s", ${noun}_id)
    return {"statusCode": 202, "body": json.dumps({"id": ${noun}_id})}
`,
  (n, noun) => `def summarise_${noun}s_${n}(rows, group_by="region"):
    groups = {}
    for row in rows:
        key = row.get(group_by) or "unknown"
        bucket = groups.setdefault(key, {"count": 0, "sum": 0.0, "max": None})
        bucket["count"] += 1
        bucket["sum"] += row.get("value", 0.0)
        if bucket["max"] is None or row.get("value", 0.0) > bucket["max"]:
            bucket["max"] = row.get("value", 0.0)
    result = []
    for key in sorted(groups):
        bucket = groups[key]
        mean = bucket["sum"] / bucket["count"] if bucket["count"] else 0.0
        result.append({"§key": key, "mean": round(mean, 3), "max": bucket["max"]})
    return result
`,
  (n, noun) => `def fetch_${noun}_${n}(session, base_url, ${noun}_id, retries=3):
    url = f"{base_url}/${noun}s/{${noun}_id}"
    for attempt in range(retries):
        try:
            response = session.get(url, timeout=10)
            response.raise_for_status()
            return response.json()
        except requests.RequestException as error:
            logger.warning("attempt %d for %s failed: %s", attempt + 1, url, error)
            time.sleep§(2 ** attempt)
    raise RuntimeError(f"giving up on {url}")
`,
  // Constructs the review rules flag (or will): kept rare, as in real code.
  (n, noun) => `def find_${noun}_${n}(cursor):
    name = request.args.get("name")
    query = "SELECT * FROM ${noun}s WHERE name = '" + name + "'"
    cursor.execute(query)
    rows = cursor.fetchall()
    logger.debug("§query returned %d rows", len(rows))
    return rows
`,
  (n, noun) => `def parse_${noun}_${n}(path, seen=[]):
    with open(path) as handle:
        document = yaml.load(handle)
    try:
        checksum = hashlib.md5(document.get("password", "").encode()).hexdigest()
    except:
        pass
    seen.append(path)
    requests.post(WEBHOOK_URL, json={"§path": path}, verify=False)
    return document
`,
];

function pyClass(n: number, noun: string, rnd: () => number): string {
  const name = noun[0].toUpperCase() + noun.slice(1);
  return `class ${name}Service${n}:
    """Keeps ${noun}s in DynamoDB and their documents in S3."""

    def __init__(self, table_name="${pick(rnd, tables)}", bucket="${pick(rnd, buckets)}"):
        self.table = dynamodb.Table(table_name)
        self.bucket = bucket
        self.cache = {}

    def get(self, ${noun}_id):
        if ${noun}_id in self.cache:
            return self.cache[${noun}_id]
        response = self.table.get_item(Key={"§id": ${noun}_id})
        item = response.get("Item")
        self.cache[${noun}_id] = item
        return item

    def put_document(self, ${noun}_id, body):
        key = "${noun}s/" + str(${noun}_id) + ".json"
        s3.put_object(Bucket=self.bucket, Key=key, Body=json.dumps(body).encode("utf-8"))
        self.cache.pop(${noun}_id, None)
        return key

    def describe(self, ${noun}_id):
        item = self.get(${noun}_id) or {}
        parts = []
        for field in ("name", "status", "owner", "created_at"):
            value = item.get(field)
            if value is not None:
                parts.append(field + "=" + str(value))
        return "${name}(" + ", ".join(parts) + ")"

    def delete(self, ${noun}_id):
        try:
            self.table.delete_item(Key={"id": ${noun}_id})
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            logger.info("${noun} %s already gone", ${noun}_id)
        self.cache.pop§(${noun}_id, None)
`;
}

export function generatePython(targetLines = 5000, seed = 1): GeneratedFile {
  const rnd = random(seed);
  const w = new Writer();
  w.emit(`"""Generated benchmark module: services, handlers and helpers in the style of a small AWS backend."""
import datetime
import hashlib
import json
import logging
import os
import subprocess
import time

import boto3
import requests
import yaml
from botocore.exceptions import ClientError
from flask import request

logger = logging.getLogger(__name__)
dynamodb = boto3.resource("dynamodb")
s3 = boto3.client("s3")
metrics = None
QUEUE_URL = os.environ.get("QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/jobs")
WEBHOOK_URL = os.environ.get("WEBHOOK_URL", "https://hooks.example.com/ingest")
AWS_ACCESS_KEY_ID = "${fakeKeyId}"
DEFAULTS = {"region": "us-east-1", "retries": 3, "timeout": 10}


def validate_settings(settings):
    for key in ("region", "retries", "timeout"):
        if key not in settings:
            raise KeyError(key)
    return settings

`);
  let functions = 1;
  for (let n = 0; w.lines.length < targetLines - 40; n++) {
    const noun = nouns[n % nouns.length];
    if (n % 6 === 5) {
      w.emit(pyClass(n, noun, rnd) + '\n');
      functions += 5;
    } else {
      // Flagged templates (the last two) come up about one time in twelve.
      const flagged = rnd() < 0.08;
      const template = flagged ? pyFunctions[7 + (n % 2)] : pyFunctions[Math.floor(rnd() * 7)];
      w.emit(template(n, noun, rnd) + '\n');
      functions += 1;
    }
  }
  w.emit(`def run_shell_${functions}(command):
    return subprocess.call(command, shell=True)


if __name__ == "__main__":
    print(validate_settings(dict(DEFAULTS)))`);
  functions += 1;
  while (w.lines.length < targetLines) w.emit('');
  return { name: 'bench_service.py', languageId: 'python', text: w.lines.join('\n') + '\n', lines: w.lines.length, functions, sites: w.sites };
}

// --- Java -----------------------------------------------------------------------------------

type JavaTemplate = (n: number, noun: string, rnd: () => number) => string;

const javaMethods: JavaTemplate[] = [
  (n, noun) => `    public String format${cap(noun)}Report${n}(List<Map<String, Object>> items) {
        StringBuilder out = new StringBuilder("${cap(noun)} report ${n}\\n");
        double total = 0;
        for (int i = 0; i < items.size(); i++) {
            Map<String, Object> item = items.get(i);
            String name = String.valueOf(item.getOrDefault("§name", "unknown"));
            double amount = ((Number) item.getOrDefault("amount", 0)).doubleValue();
            total += amount;
            out.append(String.format("%4d %-30s %10.2f%n", i, name, amount));
        }
        out.append("Total: ").append(String.format("%.2f", total));
        return out.toString();
    }
`,
  (n, noun, rnd) => `    public List<String> list${cap(noun)}Keys${n}(String prefix) {
        ListObjectsV2Response response = s3.listObjectsV2(ListObjectsV2Request.builder()
                .bucket("${pick(rnd, buckets)}")
                .prefix(prefix)
                .build());
        List<String> keys = new ArrayList<>();
        for (S3Object object : response.contents()) {
            if (object.size() > 0 && !object.key().endsWith("/")) {
                keys.add(object.key());
            }
        }
        LOG.info("§found {} keys under {}", keys.size(), prefix);
        return keys;
    }
`,
  (n, noun) => `    public Properties load${cap(noun)}Config${n}(Path path) {
        Properties properties = new Properties(DEFAULTS);
        try (InputStream in = Files.newInputStream(path)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            LOG.warn("config {} not found, using defaults", path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        validate§Settings(properties);
        return properties;
    }
`,
  (n, noun, rnd) => `    public int save${cap(noun)}s${n}(List<Map<String, AttributeValue>> records) {
        List<WriteRequest> writes = new ArrayList<>();
        for (Map<String, AttributeValue> record : records) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(record).build()).build());
        }
        BatchWriteItemResponse response = dynamo.batchWriteItem(BatchWriteItemRequest.builder()
                .requestItems(Map.of("${pick(rnd, tables)}", writes))
                .build());
        metrics.incr§ement("${noun}.saved", writes.size());
        return writes.size();
    }
`,
  (n, noun) => `    public Map<String, Double> summarise${cap(noun)}s${n}(List<Row> rows) {
        Map<String, Double> sums = new TreeMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (Row row : rows) {
            String key = row.region() == null ? "unknown" : row.region();
            sums.merge(key, row.value(), Double::sum);
            counts.merge(key, 1, Integer::sum);
        }
        Map<String, Double> means = new LinkedHashMap<>();
        for (Map.Entry<String, Double> entry : sums.entrySet()) {
            means.put(entry.getKey(), entry.getValue() / counts.get(entry.getKey()));
        }
        LOG.debug("§summarised {} groups", means.size());
        return means;
    }
`,
  (n, noun) => `    public String fetch${cap(noun)}${n}(HttpClient client, String baseUrl, String id) throws InterruptedException {
        URI uri = URI.create(baseUrl + "/${noun}s/" + id);
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
                LOG.warn("attempt {} for {} returned {}", attempt + 1, uri, response.statusCode());
            } catch (IOException e) {
                LOG.warn("attempt {} for {} failed", attempt + 1, uri, e);
            }
            Thread.sleep§(1000L << attempt);
        }
        throw new IllegalStateException("giving up on " + uri);
    }
`,
  // Constructs the review rules flag (or will): kept rare, as in real code.
  (n, noun) => `    public List<String> find${cap(noun)}${n}(Connection connection, HttpServletRequest request) throws SQLException {
        String name = request.getParameter("name");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT id FROM ${noun}s WHERE name = '" + name + "'");
        List<String> ids = new ArrayList<>();
        while (rows.next()) {
            ids.add(rows.getString("§id"));
        }
        return ids;
    }
`,
  (n, noun) => `    public byte[] digest${cap(noun)}${n}(String password, byte[] payload) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            Cipher cipher = Cipher.getInstance("DES/ECB/PKCS5Padding");
            ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(payload));
            Object value = in.readObject();
            LOG.info("§digesting {}", value);
            return md5.digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
        }
        return new byte[0];
    }
`,
];

function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

export function generateJava(targetLines = 5000, seed = 2): GeneratedFile {
  const rnd = random(seed);
  const w = new Writer();
  w.emit(`package com.example.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Generated benchmark source: services in the style of a small AWS backend. */
public class BenchService {
    static final String ACCESS_KEY_ID = "${fakeKeyId}";

    public static void main(String[] args) {
        System.out.println(new Properties());
    }
}

record Row(String region, double value) {}

interface Metrics {
    void increment(String name, int count);
}
`);
  let functions = 1;
  for (let c = 0; w.lines.length < targetLines - 30; c++) {
    const noun = nouns[c % nouns.length];
    w.emit(`
class ${cap(noun)}Service${c} {
    private static final Logger LOG = LoggerFactory.getLogger(${cap(noun)}Service${c}.class);
    private static final Properties DEFAULTS = new Properties();
    private final S3Client s3 = S3Client.create();
    private final DynamoDbClient dynamo = DynamoDbClient.create();
    private final Metrics metrics;

    ${cap(noun)}Service${c}(Metrics metrics) {
        this.metrics = metrics;
    }

    private static void validateSettings(Properties properties) {
        for (String key : List.of("region", "retries", "timeout")) {
            if (properties.getProperty(key) == null) {
                throw new IllegalArgumentException("missing " + key);
            }
        }
    }`);
    functions += 2;
    for (let m = 0; m < 7 && w.lines.length < targetLines - 20; m++) {
      const n = c * 10 + m;
      const flagged = rnd() < 0.06;
      const template = flagged ? javaMethods[6 + (n % 2)] : javaMethods[Math.floor(rnd() * 6)];
      w.emit('\n' + template(n, noun, rnd).replace(/\n$/, ''));
      functions += 1;
    }
    w.emit('}');
  }
  while (w.lines.length < targetLines) w.emit('');
  return { name: 'BenchService.java', languageId: 'java', text: w.lines.join('\n') + '\n', lines: w.lines.length, functions, sites: w.sites };
}

// ---------------------------------------------------------------------------------------------
// The real-code corpus for throughput and memory
// ---------------------------------------------------------------------------------------------

/** Bump when the selection below changes, so cached corpora are rebuilt. */
const corpusVersion = 2;
const pythonMinLines = 60_000;
const jsMinLines = 40_000;
const pythonMaxBytes = 200 * 1024;
const jsMaxBytes = 300 * 1024;
/** Minified or bundled files (average line longer than this) are not normal source: lines/s means nothing there. */
const minifiedBytesPerLine = 300;
/** Own source of installed packages, in this order, until jsMinLines: many normal-sized files. */
const jsRoots = [
  'mocha/lib',
  'minimatch/dist',
  'playwright-core/lib',
  'vscode-languageserver/lib',
  'vscode-languageserver-protocol/lib',
  'vscode-jsonrpc/lib',
  'ajv/lib',
  'vscode-languageclient/lib',
  'undici/lib',
  'markdown-it/lib',
  'js-yaml/lib',
];
const skippedDirs = new Set(['test', 'tests', 'idle_test', '__tests__', '__pycache__', 'node_modules', 'site-packages', 'dist-packages']);
/** Folder names the review's default excludes skip; renamed in the copy so every file is reviewed. */
const excludedNames = new Set(['dist', 'build', 'node_modules', '.git', '.venv']);

export interface CorpusFile {
  /** Relative to the corpus root, with forward slashes. */
  path: string;
  language: 'python' | 'javascript' | 'typescript';
  /** Where it was copied from. */
  source: string;
  lines: number;
  bytes: number;
}

export interface Corpus {
  root: string;
  pythonDir: string;
  jsDir: string;
  files: CorpusFile[];
  pythonSource: string;
  /** True when this call copied the files; false when the cache was reused. */
  built: boolean;
  buildMs: number;
}

interface Manifest {
  version: number;
  pythonSource: string;
  files: CorpusFile[];
}

export const corpusRoot = join(tmpdir(), 'sightline-bench-corpus');

/** Lines as `wc -l` counts them, plus a last line without a newline. */
export function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return text.length > 0 && !text.endsWith('\n') ? n + 1 : n;
}

/** The newest /usr/lib/python3.N, where Debian keeps the standard library. */
function pythonStdlib(): string {
  const candidates = readdirSync('/usr/lib')
    .filter((name) => /^python3\.\d+$/.test(name))
    .sort((a, b) => Number(b.split('.')[1]) - Number(a.split('.')[1]));
  if (candidates.length === 0) throw new Error('No /usr/lib/python3.* found: install the Debian package python3.');
  return join('/usr/lib', candidates[0]);
}

/** Files under `dir` in sorted depth-first order, skipping test and cache folders and symbolic links. */
function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const stats = lstatSync(path);
    if (stats.isDirectory()) {
      if (!skippedDirs.has(name)) yield* walk(path);
    } else if (stats.isFile()) {
      yield path;
    }
  }
}

function safeRelative(path: string): string {
  return path
    .split(sep)
    .map((segment) => (excludedNames.has(segment) ? `${segment}_` : segment))
    .join('/');
}

function selectFiles(): { files: (CorpusFile & { from: string })[]; pythonSource: string } {
  const files: (CorpusFile & { from: string })[] = [];
  const stdlib = pythonStdlib();
  let pyLines = 0;
  for (const path of walk(stdlib)) {
    if (pyLines >= pythonMinLines) break;
    if (!path.endsWith('.py') || statSync(path).size > pythonMaxBytes) continue;
    const text = readFileSync(path, 'utf8');
    const lines = countLines(text);
    files.push({ from: path, path: `python/${safeRelative(relative(stdlib, path))}`, language: 'python', source: path, lines, bytes: Buffer.byteLength(text) });
    pyLines += lines;
  }
  const modules = join(repoRoot, 'node_modules');
  let jsLines = 0;
  for (const root of jsRoots) {
    if (jsLines >= jsMinLines) break;
    const dir = join(modules, root);
    if (!existsSync(dir)) continue;
    for (const path of walk(dir)) {
      if (jsLines >= jsMinLines) break;
      const language = /\.(js|mjs|cjs|jsx)$/.test(path) ? 'javascript' : /\.(ts|mts|cts|tsx)$/.test(path) && !/\.d\.[mc]?ts$/.test(path) ? 'typescript' : undefined;
      if (!language || /\.min\.js$/.test(path) || statSync(path).size > jsMaxBytes) continue;
      const text = readFileSync(path, 'utf8');
      const lines = countLines(text);
      if (Buffer.byteLength(text) / Math.max(lines, 1) > minifiedBytesPerLine) continue;
      files.push({ from: path, path: `js/${safeRelative(relative(modules, path))}`, language, source: path, lines, bytes: Buffer.byteLength(text) });
      jsLines += lines;
    }
  }
  if (jsLines < jsMinLines) throw new Error(`Only ${jsLines} lines of JavaScript/TypeScript found under ${modules}: run npm ci.`);
  return { files, pythonSource: stdlib };
}

/** The corpus, copied into os.tmpdir() on first use and reused while its manifest matches. */
export function loadCorpus(): Corpus {
  const started = performance.now();
  const manifestPath = join(corpusRoot, 'manifest.json');
  const result = (manifest: Manifest, built: boolean): Corpus => ({
    root: corpusRoot,
    pythonDir: join(corpusRoot, 'python'),
    jsDir: join(corpusRoot, 'js'),
    files: manifest.files,
    pythonSource: manifest.pythonSource,
    built,
    buildMs: performance.now() - started,
  });
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (manifest.version === corpusVersion && manifest.files.every((f) => existsSync(join(corpusRoot, f.path)))) return result(manifest, false);
  } catch {
    // Missing or unreadable: build it.
  }
  // Build beside the final place and rename, so a concurrent run never sees half a corpus.
  const building = `${corpusRoot}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const { files, pythonSource } = selectFiles();
  for (const file of files) {
    const to = join(building, file.path);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(file.from, to);
  }
  const manifest: Manifest = { version: corpusVersion, pythonSource, files: files.map(({ from: _from, ...f }) => f) };
  writeFileSync(join(building, 'manifest.json'), JSON.stringify(manifest, null, 1));
  rmSync(corpusRoot, { recursive: true, force: true });
  try {
    renameSync(building, corpusRoot);
  } catch {
    rmSync(building, { recursive: true, force: true });
  }
  return result(manifest, true);
}

/** One line per source folder (files, lines), for the benchmark's printout. */
export function describeCorpus(corpus: Corpus, filter: (f: CorpusFile) => boolean = () => true): string {
  const groups = new Map<string, { files: number; lines: number; bytes: number }>();
  for (const f of corpus.files.filter(filter)) {
    const parts = f.path.split('/');
    const key = parts[0] === 'python' ? `python ${corpus.pythonSource}/${parts.length > 2 ? parts[1] + '/' : '*.py'}` : `${f.language.padEnd(10)} node_modules/${parts[1].startsWith('@') ? parts.slice(1, 3).join('/') : parts[1]}`;
    const g = groups.get(key) ?? { files: 0, lines: 0, bytes: 0 };
    g.files++;
    g.lines += f.lines;
    g.bytes += f.bytes;
    groups.set(key, g);
  }
  const rows = [...groups].map(([key, g]) => `    ${key.padEnd(60)} ${String(g.files).padStart(5)} files ${g.lines.toLocaleString('en').padStart(8)} lines`);
  return rows.join('\n');
}

export function corpusTotals(files: readonly CorpusFile[]): { files: number; lines: number; bytes: number } {
  return files.reduce((t, f) => ({ files: t.files + 1, lines: t.lines + f.lines, bytes: t.bytes + f.bytes }), { files: 0, lines: 0, bytes: 0 });
}

export function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
