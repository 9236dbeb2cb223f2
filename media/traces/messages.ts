// Messages between the trace viewer panel and the extension, one discriminated union per
// direction, on top of the shared ones (server state, ready, runCommand). The extension relays
// each request to the language server with the matching sightline/* request type and answers
// with the result under the same id; the panel keeps only the answer to its latest request of
// each kind, so a slow answer never overwrites a newer one.
import type {
  ServiceMapEdge,
  ServiceMapNode,
  SpanDetail,
  TraceComparison,
  TraceQuery,
  TraceSummary,
  TraceSourcesStatus,
  TraceTimeline,
} from '../../server/protocol';
import type { FromWebview, ToWebview } from '../shared/messages';

export interface ServiceMapData {
  nodes: ServiceMapNode[];
  edges: ServiceMapEdge[];
}

/** Panel → extension requests that get exactly one answer (or an `error`) with the same id. */
export type TracesRequest =
  | { type: 'query'; id: number; query: TraceQuery }
  | { type: 'openTrace'; id: number; traceId: string }
  | { type: 'selectSpan'; id: number; traceId: string; spanId: string }
  | { type: 'serviceMap'; id: number; query: TraceQuery }
  | { type: 'compare'; id: number; left: string; right: string }
  /** Where spans can come from (receiver addresses, their errors), for the empty state. */
  | { type: 'sources'; id: number };

export type TracesRequestKind = TracesRequest['type'];

export type TracesFromWebview =
  | FromWebview
  | TracesRequest
  /** Open a file at a 0-based line: a URI the extension sent in a SpanDetail (location or stack). */
  | { type: 'openLocation'; uri: string; line: number }
  /** "Go to code" from a timeline row: the extension looks the span's location up and opens it. */
  | { type: 'goToCode'; traceId: string; spanId: string };

export type TracesToWebview =
  | ToWebview
  | { type: 'traces'; id: number; traces: TraceSummary[] }
  | { type: 'timeline'; id: number; traceId: string; timeline: TraceTimeline | null }
  | { type: 'span'; id: number; traceId: string; spanId: string; span: SpanDetail | null }
  | { type: 'serviceMap'; id: number; map: ServiceMapData }
  | { type: 'comparison'; id: number; comparison: TraceComparison | null }
  | { type: 'sources'; id: number; sources: TraceSourcesStatus }
  | { type: 'error'; id: number; request: TracesRequestKind; message: string }
  /** Preset the search (e.g. a CodeLens click: only traces through one function) and run it. */
  | { type: 'filter'; query: TraceQuery }
  /** Open one trace (e.g. from a hover's "slowest trace" link), with a span selected when given. */
  | { type: 'showTrace'; traceId: string; spanId?: string }
  /** Spans arrived or were cleared: the panel refreshes what it shows. */
  | { type: 'tracesChanged'; spans: number; traces: number };
