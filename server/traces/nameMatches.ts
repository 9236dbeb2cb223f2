// Where a span without a code location probably ran: the workspace functions its name names. Span
// names are mostly not function names (`GET /orders/{id}`, `SELECT orders`, `redis GET`), so only
// names shaped like one are tried — `create_order`, `OrderService.create`, `pkg.Orders/PlaceOrder`,
// X-Ray's `## handler` — and only when they single out a few definitions: a guess that lists every
// `handler` in a workspace of Lambda functions tells the reader nothing. The weaker sibling of the
// `code.*` attributes, and always labelled as such.
import type { Span } from './model';

/** A function or method a workspace file defines. */
export interface FunctionSite {
  /** Absolute path of the file. */
  path: string;
  name: string;
  /** 0-based line of the definition. */
  line: number;
  /** The class (or other type) the method is declared in. */
  container?: string;
}

export interface FunctionLookup {
  /** Definitions with exactly this name. */
  named(name: string): readonly FunctionSite[];
}

/** The function a span's name points at. */
export interface WantedFunction {
  /** Names a definition may have: the span's, and for an RPC method its lowerCamelCase form too. */
  names: string[];
  /** The class, module or RPC service the name is qualified with (its last segment). */
  qualifier?: string;
}

/** More definitions than this for one span is a guess too vague to show. */
export const maxNameMatches = 5;

const identifier = /^[A-Za-z_$][\w$]*$/;
const qualifiedName = /^[A-Za-z_$][\w$]*(?:(?:\.|::|#)[A-Za-z_$][\w$]*)+$/;
/** gRPC's span name: `package.Service/Method`. */
const rpcName = /^(?:[A-Za-z_$][\w$]*\.)*([A-Za-z_$][\w$]*)\/([A-Za-z_$][\w$]*)$/;
/** aws-xray-sdk's `@xray_recorder.capture()` names a subsegment after the function: `## handler`. */
const xrayCapture = /^## (\S+)$/;
/** Implementations of a gRPC service `Orders` are often classes `OrdersImpl` (Java) or `OrdersServicer` (Python). */
const implementationSuffix = /^(?:Impl|Servicer)?$/;
const testPath = /(?:^|\/)(?:tests?|__tests__|specs?)\/|(?:^|\/)test_[^/]*$|_test\.\w+$|\.(?:test|spec)\.\w+$|Tests?\.java$/;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** `com.example.Orders` → `Orders`; `App\Orders` → `Orders`. */
function lastSegment(name: string | undefined): string | undefined {
  const last = name?.split(/::|[.\\/#]/).pop();
  return last && identifier.test(last) ? last : undefined;
}

function wanted(name: string, qualifier: string | undefined, rpc: boolean): WantedFunction | undefined {
  // Too short to single anything out, or a protocol verb or command (GET, MGET, INSERT) rather than a function.
  if (!identifier.test(name) || name.length < 3 || /^[A-Z0-9_$]+$/.test(name)) return undefined;
  const names = [name];
  // grpc-java and grpc-node implement `PlaceOrder` as `placeOrder`.
  if (rpc && /^[A-Z]/.test(name)) names.push(name[0].toLowerCase() + name.slice(1));
  return qualifier === undefined ? { names } : { names, qualifier };
}

/**
 * The function a span names, for spans without a code location: its `code.function` attribute
 * when it has only that, its RPC method, or its name when shaped like a function's. Client and
 * producer spans name what they call elsewhere, not code here; they get none.
 */
export function wantedFunction(span: Span): WantedFunction | undefined {
  if (span.code?.filePath || span.kind === 'client' || span.kind === 'producer') return undefined;
  if (span.code?.functionName) return wanted(span.code.functionName, lastSegment(span.code.namespace), false);
  const method = text(span.attributes['rpc.method']);
  if (method) return wanted(method, lastSegment(text(span.attributes['rpc.service'])), true);
  const name = span.name.trim();
  const capture = xrayCapture.exec(name);
  if (capture) return wanted(capture[1], undefined, false);
  const rpc = rpcName.exec(name);
  if (rpc) return wanted(rpc[2], rpc[1], true);
  if (qualifiedName.test(name)) {
    const parts = name.split(/::|[.#]/);
    return wanted(parts[parts.length - 1], parts[parts.length - 2], false);
  }
  return wanted(name, undefined, false);
}

function fileStem(path: string): string {
  const file = path.split(/[\\/]/).pop() ?? '';
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(0, dot) : file;
}

/** `fraud-check`, `fraud_check` and `FraudCheck` are one name for a service or a folder. */
function folded(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
}

function qualifies(site: FunctionSite, qualifier: string): boolean {
  const q = qualifier.toLowerCase();
  if (fileStem(site.path).toLowerCase() === q) return true;
  const container = site.container?.toLowerCase();
  return container !== undefined && container.startsWith(q) && implementationSuffix.test(site.container!.slice(q.length));
}

/**
 * The workspace functions a span's name matches, likeliest first: those in a folder named like the
 * span's service, then the rest, test code last. A qualifier must agree (the class, a gRPC
 * implementation class, or the file). More than `maxNameMatches`, even within the service's
 * folder, is no match at all.
 */
export function nameMatches(want: WantedFunction, functions: FunctionLookup, service: string): FunctionSite[] {
  let sites = want.names.flatMap((name) => functions.named(name));
  if (want.qualifier !== undefined) sites = sites.filter((site) => qualifies(site, want.qualifier!));
  const home = folded(service);
  const inService = (site: FunctionSite) => home !== '' && site.path.split(/[\\/]/).slice(0, -1).some((segment) => folded(segment) === home);
  if (sites.length > maxNameMatches) sites = sites.filter(inService);
  if (sites.length > maxNameMatches) return [];
  const rank = (site: FunctionSite) => (inService(site) ? 0 : 1) + (testPath.test(site.path.replace(/\\/g, '/')) ? 2 : 0);
  return sites.sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path) || a.line - b.line);
}
