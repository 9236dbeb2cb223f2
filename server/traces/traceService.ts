// Spans in the store and the questions asked of them: golden signals per function for CodeLens
// and the CLI, trace lists, timelines, span details, the service map and trace compare. Spans are
// indexed by terms, so the per-function numbers come from the store's indexes and in-memory
// durations without reading a single span body.
import type { SpanDetail, TraceComparison, TraceQuery, TraceSummary, TraceTimeline } from '../protocol';
import type { AppendResult, Store, StoredRecord } from '../store/store';
import type { WorkspaceFiles } from '../workspaceFiles';
import { fileKey, matchWorkspaceFile, resolveWorkspaceFile, type PathMappings } from './codeLinks';
import { compareTraces } from './compare';
import type { Span } from './model';
import { wantedFunction, type FunctionLookup } from './nameMatches';
import { serviceMap } from './serviceMap';
import { spanDetail, stringify } from './spanDetail';
import { golden, type Golden } from './statistics';
import { buildTimeline } from './timeline';

export interface TraceSettings {
  pathMappings: PathMappings;
  /** How far back CodeLens statistics look, in milliseconds. */
  windowMs: number;
  /** Latency objective (p95, ms) per service, for the service map. */
  sloMs: Record<string, number>;
}

export interface FunctionStats extends Golden {
  /** The function as spans name it: `handler`, `OrderService.create`. */
  function: string;
  /** The last segment, matched against function names in the source. */
  name: string;
  /** 1-based line the spans report, if they do. */
  line?: number;
  /** True when matched by span name only, without code attributes. */
  weak: boolean;
}

const separator = '\u0000';
const term = {
  trace: (id: string) => `t=${id}`,
  root: 'root=1',
  service: (s: string) => `svc=${s}`,
  operation: (o: string) => `op=${o}`,
  failed: 'err=1',
  errorClass: (c: string) => `ec=${c}`,
  pathFunction: (path: string, fn: string) => `pf=${path}${separator}${fn}`,
  name: (n: string) => `nm=${n}`,
};

/** Caps on work per request, so one enormous trace or store never stalls the server. */
const maxListCandidates = 2000;
const maxSpansForSummary = 500;
const maxTracesForMap = 500;

export class TraceService {
  /** Code paths seen in spans, by file name, and the functions seen in each: rebuilt from the store. */
  private readonly pathsByName = new Map<string, Set<string>>();
  private readonly functionsByPath = new Map<string, Set<string>>();

  constructor(
    readonly store: Store,
    private readonly files: WorkspaceFiles,
    private readonly settings: () => TraceSettings,
    private readonly now: () => number = Date.now,
    /** The workspace's functions, which spans without a code location are matched to by name. */
    private readonly functions?: { ready(): Promise<FunctionLookup> },
  ) {
    for (const t of store.terms('pf=')) {
      const [path, fn] = t.slice(3).split(separator);
      this.remember(path, fn);
    }
  }

  ingest(spans: readonly Span[]): AppendResult {
    const records = spans.map((span) => {
      const terms = [term.trace(span.traceId), term.service(span.service), term.operation(span.name)];
      if (!span.parentSpanId) terms.push(term.root);
      const failed = span.errorClass !== undefined || span.status === 'error';
      if (failed) terms.push(term.failed);
      if (span.errorClass) terms.push(term.errorClass(span.errorClass));
      const code = span.code;
      if (code?.filePath && code.functionName) {
        const fn = qualified(code.functionName, code.namespace);
        terms.push(term.pathFunction(code.filePath, fn));
        this.remember(code.filePath, fn);
      } else if (!code) {
        terms.push(term.name(span.name));
      }
      return {
        key: `${span.traceId}:${span.spanId}`,
        time: Number(BigInt(span.startNs) / 1_000_000n),
        terms,
        body: JSON.stringify(span),
        // A complete X-Ray segment replaces the in-progress one sent before it.
        version: span.inProgress ? 0 : 1,
        value: span.durationNs / 1e6,
      };
    });
    return this.store.append(records);
  }

  clear(): void {
    this.store.clear();
    this.pathsByName.clear();
    this.functionsByPath.clear();
  }

  get spanCount(): number {
    return this.store.count();
  }

  get traceCount(): number {
    return this.store.count(term.root);
  }

  /**
   * Golden signals for every function the spans attribute to `filePath` (a workspace file), in
   * the statistics window; plus weak matches for `functionNames` (from the file's syntax tree)
   * that only span names point at.
   */
  functionStats(filePath: string, functionNames: readonly string[] = []): FunctionStats[] {
    const from = this.now() - this.settings().windowMs;
    const result: FunctionStats[] = [];
    // The same function can reach us under several span paths (two deployments of one file).
    const byFunction = new Map<string, { durations: number[]; failures: number; line?: number }>();
    for (const path of this.spanPathsFor(filePath)) {
      for (const fn of this.functionsByPath.get(path) ?? []) {
        const t = term.pathFunction(path, fn);
        const durations = this.store.values({ all: [t], from });
        if (durations.length === 0) continue;
        const entry = byFunction.get(fn) ?? { durations: [], failures: 0, line: this.reportedLine(t) };
        for (const d of durations) entry.durations.push(d);
        entry.failures += this.store.count({ all: [t, term.failed], from });
        byFunction.set(fn, entry);
      }
    }
    const strong = new Set<string>();
    for (const [fn, { durations, failures, line }] of byFunction) {
      const name = lastSegment(fn);
      strong.add(name);
      result.push({ function: fn, name, line, weak: false, ...golden(durations, failures) });
    }
    for (const name of new Set(functionNames)) {
      if (strong.has(name)) continue;
      const durations = Array.from(this.store.values({ all: [term.name(name)], from }));
      if (durations.length === 0) continue;
      const failures = this.store.count({ all: [term.name(name), term.failed], from });
      result.push({ function: name, name, weak: true, ...golden(durations, failures) });
    }
    return result;
  }

  /** The span code paths that resolve to this workspace file. */
  private spanPathsFor(filePath: string): string[] {
    const name = fileKey(filePath);
    const candidates = this.files.named(name).map((p) => this.files.relativePath(p));
    const target = this.files.relativePath(filePath);
    const { pathMappings } = this.settings();
    return [...(this.pathsByName.get(name) ?? [])].filter((path) => {
      const match = matchWorkspaceFile(path, candidates.length > 0 ? candidates : [target], pathMappings);
      return match === target;
    });
  }

  private reportedLine(t: string): number | undefined {
    for (const record of this.store.query({ all: [t], limit: 1 })) return spanOf(record).code?.line;
    return undefined;
  }

  listTraces(query: TraceQuery): TraceSummary[] {
    const limit = Math.min(query.limit ?? 200, 1000);
    const traceIds = this.candidateTraces(query);
    const summaries: TraceSummary[] = [];
    for (const traceId of traceIds) {
      const summary = this.summary(traceId);
      if (!summary) continue;
      if (query.minDurationMs !== undefined && summary.durationMs < query.minDurationMs) continue;
      if (query.maxDurationMs !== undefined && summary.durationMs > query.maxDurationMs) continue;
      if ((query.attribute || query.text) && !this.traceMatchesContent(traceId, query)) continue;
      summaries.push(summary);
      if (summaries.length >= limit && (query.sort ?? 'newest') === 'newest') break;
    }
    const sorters: Record<NonNullable<TraceQuery['sort']>, (a: TraceSummary, b: TraceSummary) => number> = {
      newest: (a, b) => compareNs(b.startNs, a.startNs),
      oldest: (a, b) => compareNs(a.startNs, b.startNs),
      slowest: (a, b) => b.durationMs - a.durationMs,
      fastest: (a, b) => a.durationMs - b.durationMs,
      'most-errors': (a, b) => b.errorCount - a.errorCount || compareNs(b.startNs, a.startNs),
    };
    return summaries.sort(sorters[query.sort ?? 'newest']).slice(0, limit);
  }

  /** Trace ids worth summarising for a query, newest first. */
  private candidateTraces(query: TraceQuery): string[] {
    const ids = new Set<string>();
    const take = (records: Iterable<StoredRecord>) => {
      for (const record of records) {
        ids.add(record.key.slice(0, record.key.indexOf(':')));
        if (ids.size >= maxListCandidates) break;
      }
    };
    if (query.function) {
      const terms = this.spanPathsFor(query.function.file).flatMap((path) =>
        [...(this.functionsByPath.get(path) ?? [])].filter((fn) => lastSegment(fn) === query.function!.name).map((fn) => term.pathFunction(path, fn)),
      );
      take(this.store.query({ any: [...terms, term.name(query.function.name)], limit: maxListCandidates * 4 }));
      return [...ids];
    }
    const all = [term.root];
    if (query.service) all.push(term.service(query.service));
    if (query.operation) all.push(term.operation(query.operation));
    if (query.errorsOnly) all.push(term.failed);
    take(this.store.query({ all, limit: maxListCandidates }));
    if (query.errorsOnly) {
      // A trace fails when any span fails, not only its root.
      take(this.store.query({ all: [term.failed], limit: maxListCandidates }));
    }
    return [...ids];
  }

  private traceMatchesContent(traceId: string, query: TraceQuery): boolean {
    const text = query.text?.toLowerCase();
    for (const record of this.store.query({ all: [term.trace(traceId)] })) {
      const span = spanOf(record);
      if (query.attribute) {
        const value = span.attributes[query.attribute.key];
        if (value !== undefined && stringify(value) === query.attribute.value) return !text || matchesText(span, text);
      } else if (text && matchesText(span, text)) {
        return true;
      }
    }
    return false;
  }

  summary(traceId: string): TraceSummary | undefined {
    const t = term.trace(traceId);
    const spanCount = this.store.count(t);
    if (spanCount === 0) return undefined;
    const services = new Set<string>();
    let root: Span | undefined;
    let earliest: Span | undefined;
    let end = 0n;
    let seen = 0;
    for (const record of this.store.query({ all: [t], newestFirst: false })) {
      const span = spanOf(record);
      services.add(span.service);
      if (!span.parentSpanId && !root) root = span;
      if (!earliest || BigInt(span.startNs) < BigInt(earliest.startNs)) earliest = span;
      if (BigInt(span.endNs) > end) end = BigInt(span.endNs);
      if (++seen >= maxSpansForSummary && root) break;
    }
    const top = root ?? earliest!;
    const errorClass = (['fault', 'throttle', 'error'] as const).find((c) => this.store.count({ all: [t, term.errorClass(c)] }) > 0);
    return {
      traceId,
      rootService: top.service,
      rootName: top.name,
      startNs: top.startNs,
      durationMs: root ? root.durationNs / 1e6 : Number(end - BigInt(top.startNs)) / 1e6,
      spanCount,
      errorCount: this.store.count({ all: [t, term.failed] }),
      errorClass,
      services: [...services],
    };
  }

  spans(traceId: string): Span[] {
    return Array.from(this.store.query({ all: [term.trace(traceId)], newestFirst: false }), spanOf);
  }

  timeline(traceId: string): TraceTimeline | null {
    return buildTimeline(this.spans(traceId));
  }

  async span(traceId: string, spanId: string): Promise<SpanDetail | null> {
    const record = this.store.get(`${traceId}:${spanId}`);
    if (!record) return null;
    const span = spanOf(record);
    // Indexing the workspace's functions takes a while the first time: only a span that names one waits for it.
    const functions = this.functions && wantedFunction(span) ? await this.functions.ready() : undefined;
    return spanDetail(span, { resolve: (path) => this.resolve(path), functions });
  }

  /** The workspace file a path from a span or stack frame refers to, if any. */
  resolve(spanPath: string): string | undefined {
    return resolveWorkspaceFile(spanPath, this.files, this.settings().pathMappings);
  }

  serviceMap(query: TraceQuery = {}) {
    const ids = this.candidateTraces(query).slice(0, maxTracesForMap);
    return serviceMap(ids.map((id) => this.spans(id)), this.settings().sloMs);
  }

  compare(left: string, right: string): TraceComparison | null {
    const a = this.summary(left);
    const b = this.summary(right);
    if (!a || !b) return null;
    return compareTraces(this.spans(left), this.spans(right), a, b);
  }

  private remember(path: string, fn: string): void {
    const name = fileKey(path);
    if (!this.pathsByName.has(name)) this.pathsByName.set(name, new Set());
    this.pathsByName.get(name)!.add(path);
    if (!this.functionsByPath.has(path)) this.functionsByPath.set(path, new Set());
    this.functionsByPath.get(path)!.add(fn);
  }
}

function spanOf(record: StoredRecord): Span {
  return JSON.parse(typeof record.body === 'string' ? record.body : Buffer.from(record.body).toString('utf8')) as Span;
}

function qualified(functionName: string, namespace: string | undefined): string {
  return namespace && !functionName.includes('.') ? `${namespace}.${functionName}` : functionName;
}

function lastSegment(fn: string): string {
  const parts = fn.split(/[.:#/]/);
  return parts[parts.length - 1] || fn;
}

function compareNs(a: string, b: string): number {
  const d = BigInt(a) - BigInt(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

function matchesText(span: Span, text: string): boolean {
  if (span.service.toLowerCase().includes(text) || span.name.toLowerCase().includes(text)) return true;
  return Object.values(span.attributes).some((v) => stringify(v).toLowerCase().includes(text));
}
