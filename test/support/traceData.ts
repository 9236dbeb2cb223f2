// Deterministic trace data for the trace panel's tests and benchmark: spans in the normalised model
// with realistic shape (fan-out that grows with the work below a span, depth of about 8-12 for
// 100k spans, calls between services along a fixed architecture, internal spans with code
// locations, a few errors, faults and throttles with exceptions, retries), turned into the protocol's
// shapes with the server's own analysis (buildTimeline, compareTraces, serviceMap, spanDetail), so
// the panel sees exactly what the server will send. Span details resolve against a demo workspace
// of Python sources held in memory: parsed with the server's grammars and indexed by the server's
// WorkspaceFunctions, so spans without code attributes get the name matches the server would find.
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TraceQuery, TraceSummary, TraceTimeline } from '../../server/protocol';
import { Parsers } from '../../server/review/parser';
import { resolveWorkspaceFile } from '../../server/traces/codeLinks';
import { compareTraces } from '../../server/traces/compare';
import type { AttributeValue, Span, SpanEvent } from '../../server/traces/model';
import { serviceMap } from '../../server/traces/serviceMap';
import type { SpanWorkspace } from '../../server/traces/spanDetail';
import { buildTimeline } from '../../server/traces/timeline';
import { WorkspaceFunctions } from '../../server/traces/workspaceFunctions';
import { grammarDir } from './paths';
import { random } from './random';

/** A string that must show as text wherever it appears. */
export const hostileText = '<img src=x onerror=alert(1)>';
export const hostileService = '<svg/onload=alert(1)>';

/** Where the demo workspace lives: span locations resolve to files under it. */
const workspaceRoot = '/work/demo';
export const workspaceUri = pathToFileURL(workspaceRoot).href;
/** The spans' code paths are the Lambda's (/var/task/src/…); the workspace holds src/ at its root. */
const pathMappings = { '/var/task/': '' };

/** Who calls whom: a small shop's architecture, so the service map has a shape. */
const callees: Record<string, string[]> = {
  frontend: ['checkout', 'cart', 'users', 'pricing'],
  checkout: ['cart', 'pricing', 'payments', 'inventory', 'shipping', 'email', 'orders-db'],
  cart: ['redis', 'pricing'],
  pricing: ['redis'],
  payments: ['fraud-check', 'orders-db'],
  'fraud-check': ['users', 'redis'],
  inventory: ['orders-db', 'redis'],
  shipping: ['redis'],
  users: ['orders-db', 'redis'],
  email: [],
  'orders-db': [],
  redis: [],
};

const operations: Record<string, string[]> = {
  frontend: ['GET /', 'GET /product/{id}', 'POST /cart', 'GET /checkout', 'POST /checkout', 'renderPage'],
  checkout: ['PlaceOrder', 'validateCart', 'computeTotals', 'reserveStock'],
  cart: ['GetCart', 'AddItem', 'loadCart', 'mergeGuestCart'],
  pricing: ['GetQuote', 'applyDiscounts', 'taxFor'],
  payments: ['Charge', 'authorize', 'capture', 'POST /v1/charges'],
  'fraud-check': ['Score', 'loadSignals', 'evaluateRules'],
  inventory: ['Reserve', 'checkStock', 'GET /stock/{sku}'],
  shipping: ['Quote', 'GetRates', 'pickCarrier'],
  users: ['GetUser', 'loadProfile', 'GET /users/{id}'],
  email: ['SendReceipt', 'renderTemplate'],
  'orders-db': ['SELECT orders', 'INSERT order_items', 'UPDATE stock', 'SELECT users'],
  redis: ['GET', 'SET', 'MGET', 'EXPIRE'],
};

/** Rooted operations the list shows; traces of the same one are comparable. */
export const rootOperations: [string, string][] = [
  ['frontend', 'POST /checkout'],
  ['frontend', 'GET /product/{id}'],
  ['frontend', 'GET /'],
  ['checkout', 'PlaceOrder'],
  ['users', 'GET /users/{id}'],
];

const hex = (value: number, width: number) => value.toString(16).padStart(width, '0').slice(-width);
const isFunctionName = (name: string) => /^[a-z][A-Za-z]+$/.test(name);

export interface TraceOptions {
  /** Seeds the timing and failures. */
  seed: number;
  /** Seeds the tree (fan-out, services, operations); traces with the same shape seed and size have the same tree. */
  shapeSeed?: number;
  spanCount: number;
  /** Epoch milliseconds of the trace start. */
  startMs: number;
  root?: [string, string];
  /** Chance that a span fails (error, fault or throttle). */
  failureRate?: number;
  /** Spans added as retries of leaf calls, which only this trace of its shape has. */
  retries?: number;
  /** Put hostile strings in the root's name, service, attributes and events. */
  hostile?: boolean;
}

/** One trace of exactly `spanCount` spans (plus `retries`). */
export function generateTrace(options: TraceOptions): Span[] {
  const shape = random(options.shapeSeed ?? options.seed);
  const timing = random(options.seed * 7919 + 17);
  const pick = <T>(list: readonly T[]) => list[Math.floor(shape() * list.length)];
  const traceId = hex(options.seed * 2654435761, 8) + hex(options.seed, 8) + hex(options.spanCount, 8) + hex(Math.floor(options.startMs / 1000), 8);
  const [rootService, rootName] = options.root ?? pick(rootOperations);
  const failureRate = options.failureRate ?? 0.01;
  const total = Math.max(1, options.spanCount);
  // Bigger traces take longer: ~30 ms for a handful of spans, a few seconds for 100k.
  const rootDurationNs = Math.round((20 + 8 * Math.sqrt(total) * (0.6 + timing() * 0.8)) * 1e6);
  const startNs = BigInt(Math.round(options.startMs)) * 1_000_000n;
  const spans: Span[] = [];

  const make = (parent: Span | undefined, service: string, name: string, offsetNs: number, durationNs: number): Span => {
    const index = spans.length;
    const start = startNs + BigInt(Math.round(offsetNs));
    const duration = Math.max(1000, Math.round(durationNs));
    const crossService = parent !== undefined && parent.service !== service;
    const span: Span = {
      traceId,
      spanId: hex(options.seed, 6) + hex(index, 10),
      parentSpanId: parent?.spanId,
      service,
      name,
      kind: parent === undefined || crossService ? 'server' : 'internal',
      startNs: start.toString(),
      endNs: (start + BigInt(duration)).toString(),
      durationNs: duration,
      status: 'unset',
      attributes: attributesFor(service, name, index),
      events: [],
      links: [],
      format: 'otlp',
    };
    if (isFunctionName(name) && shape() < 0.7) {
      span.code = { filePath: `/var/task/src/${service}/${name}.py`, functionName: name, line: 10 + Math.floor(shape() * 200), source: 'attributes' };
      span.attributes['code.function'] = name;
      span.attributes['code.filepath'] = span.code.filePath!;
      span.attributes['code.lineno'] = span.code.line!;
    }
    if (timing() < failureRate) fail(span, timing);
    else if (timing() < 0.05) span.events.push(event(span, 0.3, 'cache miss', { 'cache.key': `${service}:${index}` }));
    spans.push(span);
    return span;
  };

  const root = make(undefined, rootService, rootName, 0, rootDurationNs);
  // Depth-first construction with an explicit stack: each span hands its budget of descendants to
  // its children, more children where more work lies below (fan-out ≈ budget^0.35, at least 1-4),
  // and none of it to calls into leaf services (databases, caches) while another child can take it.
  const work: { span: Span; budget: number; depth: number; offsetNs: number }[] = [{ span: root, budget: total - 1, depth: 0, offsetNs: 0 }];
  while (work.length > 0) {
    const { span, budget, depth, offsetNs } = work.pop()!;
    if (budget <= 0) continue;
    const base = depth === 0 ? 2 + Math.floor(shape() * 3) : 1 + Math.floor(shape() * 4);
    const count = Math.min(budget, Math.max(base, Math.ceil(budget ** 0.35)));
    const downstream = callees[span.service] ?? [];
    const kids = Array.from({ length: count }, () => {
      const service = downstream.length > 0 && shape() < 0.6 ? pick(downstream) : span.service;
      return { service, name: pick(operations[service] ?? ['handle']) };
    });
    const canGrow = kids.map((k) => (callees[k.service]?.length ?? 0) > 0 || k.service === span.service);
    const anyGrow = canGrow.some(Boolean);
    const weights = kids.map((_, i) => (anyGrow && !canGrow[i] ? 0 : -Math.log(1 - shape() * 0.999)));
    const sum = weights.reduce((a, b) => a + b, 0) || 1;
    let remaining = budget - count;
    const shares = weights.map((w, i) => {
      const share = i === count - 1 ? remaining : Math.min(remaining, Math.floor(((budget - count) * w) / sum));
      remaining -= share;
      return share;
    });
    if (remaining > 0) shares[weights.indexOf(Math.max(...weights))] += remaining;
    const parallel = shape() < 0.4;
    const slot = span.durationNs / count;
    kids.forEach((kid, c) => {
      // Sequential children share the parent's time; parallel ones overlap from near its start.
      const childOffset = parallel ? offsetNs + timing() * span.durationNs * 0.08 : offsetNs + c * slot + timing() * slot * 0.05;
      const room = parallel ? span.durationNs * 0.97 - (childOffset - offsetNs) : slot * 0.93;
      const child = make(span, kid.service, kid.name, childOffset, Math.max(1000, room * (0.55 + timing() * 0.45)));
      work.push({ span: child, budget: shares[c], depth: depth + 1, offsetNs: childOffset });
    });
  }
  for (let r = 0; r < (options.retries ?? 0); r++) {
    // A retry: a second call of a leaf span right after it, inside the same parent.
    const original = spans[1 + Math.floor(timing() * (spans.length - 1))];
    if (!original) break;
    const parent = spans.find((s) => s.spanId === original.parentSpanId);
    const offset = Number(BigInt(original.endNs) - startNs);
    const retry = make(parent, original.service, original.name, offset, original.durationNs * (0.5 + timing() * 0.5));
    retry.attributes['retry.attempt'] = 2;
  }
  if (options.hostile) makeHostile(root);
  return spans;
}

function attributesFor(service: string, name: string, index: number): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = { 'service.name': service, 'service.version': '1.4.2', 'deployment.environment': 'staging' };
  const http = /^(GET|POST|PUT|DELETE) (\S+)$/.exec(name);
  if (http) {
    attributes['http.request.method'] = http[1];
    attributes['http.route'] = http[2];
    attributes['http.response.status_code'] = 200;
    attributes['url.path'] = http[2].replace('{id}', String(1000 + (index % 97))).replace('{sku}', `SKU-${index % 31}`);
  } else if (service === 'orders-db') {
    attributes['db.system'] = 'postgresql';
    attributes['db.statement'] = `${name} WHERE id = $1`;
  } else if (service === 'redis') {
    attributes['db.system'] = 'redis';
    attributes['db.statement'] = `${name} session:${index % 50}`;
  } else if (/^[A-Z]/.test(name)) {
    attributes['rpc.system'] = 'grpc';
    attributes['rpc.method'] = name;
  }
  return attributes;
}

function event(span: Span, at: number, name: string, attributes: Record<string, AttributeValue>): SpanEvent {
  return { name, timeNs: (BigInt(span.startNs) + BigInt(Math.round(span.durationNs * at))).toString(), attributes };
}

function fail(span: Span, rng: () => number): void {
  const roll = rng();
  const errorClass = roll < 0.5 ? 'error' : roll < 0.85 ? 'fault' : 'throttle';
  span.status = 'error';
  span.errorClass = errorClass;
  const status = errorClass === 'error' ? 404 : errorClass === 'fault' ? 503 : 429;
  span.statusMessage = errorClass === 'fault' ? 'upstream unavailable' : errorClass === 'throttle' ? 'rate exceeded' : 'not found';
  if ('http.response.status_code' in span.attributes) span.attributes['http.response.status_code'] = status;
  if (errorClass === 'fault') {
    span.events.push(event(span, 0.9, 'exception', {
      'exception.type': 'ConnectionError',
      'exception.message': `${span.service} could not reach its dependency`,
      'exception.stacktrace': [
        'Traceback (most recent call last):',
        `  File "/var/task/src/${span.service}/handlers.py", line 42, in handle`,
        `  File "/var/task/src/${span.service}/client.py", line 118, in call`,
        '  File "/usr/lib/python3.12/http/client.py", line 1331, in request',
        'ConnectionError: could not reach its dependency',
      ].join('\n'),
    }));
  }
}

function makeHostile(root: Span): void {
  root.service = hostileService;
  root.name = hostileText;
  root.attributes[hostileText] = hostileText;
  root.attributes['user.comment'] = '<script>alert(1)</script>';
  root.events.push({ name: hostileText, timeNs: root.startNs, attributes: { [hostileText]: '"><img src=x onerror=alert(2)>' } });
  root.status = 'error';
  root.statusMessage = hostileText;
  root.errorClass = 'error';
}

export interface GeneratedTrace {
  summary: TraceSummary;
  spans: Span[];
}

/** Sizes of the two shapes each root operation comes in. */
const shapeSizes = [[40, 64], [380, 240], [120, 90], [60, 44], [25, 18]];

/**
 * `count` traces over the last hour (newest first): each root operation in two shapes, so traces of
 * one shape compare span for span, some with retries only they have; trace `hostileIndex` (if
 * given) carries hostile strings in its root span.
 */
export function generateTraces(count: number, options: { seed?: number; nowMs: number; hostileIndex?: number }): GeneratedTrace[] {
  const seed = options.seed ?? 7;
  const rng = random(seed);
  const traces: GeneratedTrace[] = [];
  for (let i = 0; i < count; i++) {
    const operation = i % rootOperations.length;
    const variant = Math.floor(i / rootOperations.length) % 2;
    const spans = generateTrace({
      seed: seed * 1000 + i,
      shapeSeed: seed * 100 + operation * 2 + variant,
      spanCount: shapeSizes[operation][variant],
      startMs: options.nowMs - 20_000 - i * 47_000 - Math.floor(rng() * 20_000),
      root: rootOperations[operation],
      failureRate: i % 4 === 0 ? 0.04 : 0.005,
      retries: i % 3 === 0 ? 2 : 0,
      hostile: i === options.hostileIndex,
    });
    traces.push({ summary: summarize(spans), spans });
  }
  return traces;
}

const severity = { fault: 3, error: 2, throttle: 1 } as const;

export function summarize(spans: readonly Span[]): TraceSummary {
  const ids = new Set(spans.map((s) => s.spanId));
  const root = spans.find((s) => s.parentSpanId === undefined || !ids.has(s.parentSpanId)) ?? spans[0];
  let start = BigInt(spans[0].startNs);
  let end = BigInt(spans[0].endNs);
  let errorCount = 0;
  let worst: TraceSummary['errorClass'];
  for (const span of spans) {
    if (BigInt(span.startNs) < start) start = BigInt(span.startNs);
    if (BigInt(span.endNs) > end) end = BigInt(span.endNs);
    const failure = span.errorClass ?? (span.status === 'error' ? 'error' : undefined);
    if (failure) {
      errorCount++;
      if (!worst || severity[failure] > severity[worst]) worst = failure;
    }
  }
  return {
    traceId: root.traceId,
    rootService: root.service,
    rootName: root.name,
    startNs: start.toString(),
    durationMs: Number(end - start) / 1e6,
    spanCount: spans.length,
    errorCount,
    errorClass: worst,
    services: [...new Set(spans.map((s) => s.service))],
  };
}

export function timelineOf(spans: readonly Span[]): TraceTimeline {
  const timeline = buildTimeline(spans);
  if (!timeline) throw new Error('a generated trace has spans');
  return timeline;
}

const text = (value: AttributeValue): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * The demo workspace's sources, by path under workspaceRoot: a module for each function-like
 * operation (the code attributes' files), each service's handlers.py and client.py (the stack
 * traces' frames), a gRPC servicer class for services with RPC operations, and a shared helper
 * that has the name of one of the email service's functions too.
 */
function demoSources(): Map<string, string> {
  const sources = new Map<string, string>();
  for (const [service, names] of Object.entries(operations)) {
    for (const name of names.filter(isFunctionName)) {
      sources.set(`src/${service}/${name}.py`, `import logging\n\nlog = logging.getLogger(__name__)\n\n\ndef ${name}(request):\n    log.debug("${name}")\n    return request\n`);
    }
    sources.set(`src/${service}/handlers.py`, 'from .client import call\n\n\ndef handle(event, context):\n    return call(event)\n');
    sources.set(`src/${service}/client.py`, 'def call(request):\n    return request\n');
    const methods = names.filter((name) => /^[A-Z][a-z]\w*$/.test(name));
    if (methods.length > 0) {
      const servicer = service.split('-').map((part) => part[0].toUpperCase() + part.slice(1)).join('');
      sources.set(`src/${service}/servicer.py`, `class ${servicer}Servicer:\n${methods.map((m) => `    def ${m}(self, request, context):\n        return request\n`).join('\n')}`);
    }
  }
  sources.set('src/shared/templates.py', 'def renderTemplate(template, values):\n    return template.format(**values)\n');
  return sources;
}

let demo: Promise<SpanWorkspace> | undefined;

/** The demo workspace as the server's span details see it: file resolution and the function index. */
export function demoWorkspace(): Promise<SpanWorkspace> {
  demo ??= (async () => {
    const sources = demoSources();
    const paths = [...sources.keys()].map((path) => `${workspaceRoot}/${path}`);
    const index = new WorkspaceFunctions(await Parsers.load(grammarDir), {
      files: () => paths,
      read: (path) => sources.get(path.slice(workspaceRoot.length + 1)),
    });
    const files = {
      named: (name: string) => paths.filter((path) => basename(path).toLowerCase() === name.toLowerCase()),
      relativePath: (path: string) => path.slice(workspaceRoot.length + 1),
    };
    return { resolve: (spanPath: string) => resolveWorkspaceFile(spanPath, files, pathMappings), functions: await index.ready() };
  })();
  return demo;
}

/** The list query as the server answers it, over generated traces. */
export function filterTraces(traces: readonly GeneratedTrace[], query: TraceQuery): TraceSummary[] {
  const has = (haystack: string, needle: string) => haystack.toLowerCase().includes(needle.toLowerCase());
  const matches = traces.filter(({ summary, spans }) => {
    if (query.service && !summary.services.some((s) => has(s, query.service!))) return false;
    if (query.operation && !spans.some((s) => has(s.name, query.operation!))) return false;
    if (query.minDurationMs !== undefined && summary.durationMs < query.minDurationMs) return false;
    if (query.maxDurationMs !== undefined && summary.durationMs > query.maxDurationMs) return false;
    if (query.errorsOnly && summary.errorCount === 0) return false;
    if (query.attribute && !spans.some((s) => query.attribute!.key in s.attributes && text(s.attributes[query.attribute!.key]) === query.attribute!.value)) return false;
    if (query.function && !spans.some((s) => s.code?.functionName === query.function!.name)) return false;
    if (query.text && !spans.some((s) => has(s.service, query.text!) || has(s.name, query.text!) || Object.values(s.attributes).some((v) => has(text(v), query.text!)))) return false;
    return true;
  }).map((t) => t.summary);
  const order: Record<NonNullable<TraceQuery['sort']>, (a: TraceSummary, b: TraceSummary) => number> = {
    newest: (a, b) => (BigInt(b.startNs) > BigInt(a.startNs) ? 1 : -1),
    oldest: (a, b) => (BigInt(a.startNs) > BigInt(b.startNs) ? 1 : -1),
    slowest: (a, b) => b.durationMs - a.durationMs,
    fastest: (a, b) => a.durationMs - b.durationMs,
    'most-errors': (a, b) => b.errorCount - a.errorCount,
  };
  return matches.sort(order[query.sort ?? 'newest']).slice(0, query.limit ?? 500);
}

export function serviceMapOf(traces: readonly GeneratedTrace[], slo: Record<string, number> = {}) {
  return serviceMap(traces.map((t) => t.spans), slo);
}

export function comparisonOf(left: GeneratedTrace, right: GeneratedTrace) {
  return compareTraces(left.spans, right.spans, left.summary, right.summary);
}
