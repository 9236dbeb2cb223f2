// Custom LSP methods shared by the extension and the server. Every `sightline/*` method is declared
// here once, with its parameter and result types, and both sides import these constants.
import { NotificationType, RequestType, RequestType0, type WorkDoneProgressParams } from 'vscode-languageserver-protocol';

export type ServerHealth = 'ready' | 'degraded';

export interface ServerStatusParams {
  health: ServerHealth;
  /** One line for the language status item, e.g. "4 languages · 1 rule". */
  summary: string;
  /** Set when health is 'degraded': what failed, for the output channel and the status item. */
  problem?: string;
}

/** Server → client whenever the server's health or summary changes. */
export const serverStatusNotification = new NotificationType<ServerStatusParams>('sightline/serverStatus');

export interface RuleDescription {
  id: string;
  title: string;
  category: string;
  severity: string;
  cwe?: number;
}

/** Client → server: the review rules the server runs, for "Sightline: Show Review Rules". */
export const listRulesRequest = new RequestType0<RuleDescription[], void>('sightline/listRules');

export type ReviewWorkspaceParams = WorkDoneProgressParams;

export interface ReviewWorkspaceResult {
  files: number;
  findings: number;
  /** Files that were found but not reviewed, with the reason (too large, binary, unreadable). */
  skipped: { path: string; reason: string }[];
  cancelled: boolean;
}

/** Client → server: review every supported file in the workspace; progress over $/progress, cancellable. */
export const reviewWorkspaceRequest = new RequestType<ReviewWorkspaceParams, ReviewWorkspaceResult, void>('sightline/reviewWorkspace');

// ---- Traces -------------------------------------------------------------------------------------

export type ErrorClassName = 'error' | 'fault' | 'throttle';

export interface TraceQuery {
  service?: string;
  operation?: string;
  minDurationMs?: number;
  maxDurationMs?: number;
  errorsOnly?: boolean;
  /** `key=value` on any span attribute. */
  attribute?: { key: string; value: string };
  /** Free text matched against service, operation and attribute values. */
  text?: string;
  /** Only traces with a span linked to this function (from a CodeLens click). */
  function?: { file: string; name: string };
  sort?: 'newest' | 'oldest' | 'slowest' | 'fastest' | 'most-errors';
  limit?: number;
}

export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootName: string;
  /** Nanoseconds since the epoch, decimal string. */
  startNs: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  /** The worst failure in the trace. */
  errorClass?: ErrorClassName;
  services: string[];
}

/** Client → server: traces matching a query, for the trace list. */
export const listTracesRequest = new RequestType<TraceQuery, TraceSummary[], void>('sightline/listTraces');

/**
 * One trace as the timeline draws it: columns of equal length, one row per span, in depth-first
 * order, with strings interned. A 100,000-span trace stays a few megabytes this way; details of
 * one span come from sightline/getSpan when it is selected.
 */
export interface TraceTimeline {
  traceId: string;
  startNs: string;
  durationMs: number;
  spanIds: string[];
  /** Row index of the parent, -1 for roots (and for spans whose parent never arrived). */
  parent: number[];
  depth: number[];
  /** Start relative to the trace start (startMs) and duration (spanMs), in milliseconds. */
  startMs: number[];
  spanMs: number[];
  /** Time not covered by children, in milliseconds. */
  selfMs: number[];
  /** Index into `strings`. */
  service: number[];
  name: number[];
  /** 0 none, 1 error, 2 fault, 3 throttle. */
  failure: number[];
  /** 1 when the span is on the critical path. */
  critical: number[];
  /** 1 when the span has a source location. */
  hasCode: number[];
  strings: string[];
}

export const getTraceRequest = new RequestType<{ traceId: string }, TraceTimeline | null, void>('sightline/getTrace');

/** A place in a workspace file: a file URI and a 0-based line. */
export interface SpanLocation {
  uri: string;
  line: number;
  function?: string;
  /** 'attributes': the span's code attributes or stack say so; 'name': only a function's name agrees, a weaker match. */
  match: 'attributes' | 'name';
}

export interface SpanDetail {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  service: string;
  name: string;
  kind: string;
  startNs: string;
  durationMs: number;
  status: string;
  statusMessage?: string;
  errorClass?: ErrorClassName;
  attributes: { key: string; value: string }[];
  events: { name: string; offsetMs: number; attributes: { key: string; value: string }[] }[];
  /**
   * Where the span's code is, resolved against the workspace: the one place its code attributes
   * name (match 'attributes'); without them, the workspace functions its name matches, likeliest
   * first (match 'name'); empty when neither finds a workspace file.
   */
  locations: SpanLocation[];
  /** Stack frames of an exception event, each resolved to a workspace file where possible. */
  stack?: { text: string; uri?: string; line?: number }[];
}

export const getSpanRequest = new RequestType<{ traceId: string; spanId: string }, SpanDetail | null, void>('sightline/getSpan');

export interface ServiceMapNode {
  service: string;
  requests: number;
  p95Ms: number;
  errorRate: number;
  faultRate: number;
  throttleRate: number;
  /** Set when a latency SLO is configured for the service and its p95 misses it. */
  sloMs?: number;
  missesSlo: boolean;
}

export interface ServiceMapEdge {
  from: string;
  to: string;
  requests: number;
  p95Ms: number;
  errorRate: number;
  faultRate: number;
  throttleRate: number;
}

export const serviceMapRequest = new RequestType<{ query?: TraceQuery }, { nodes: ServiceMapNode[]; edges: ServiceMapEdge[] }, void>('sightline/serviceMap');

export interface TraceComparison {
  left: TraceSummary;
  right: TraceSummary;
  /** Spans matched by service + operation path; durations in ms, undefined where a side lacks it. */
  rows: { path: string; service: string; name: string; leftMs?: number; rightMs?: number; deltaMs: number }[];
}

export const compareTracesRequest = new RequestType<{ left: string; right: string }, TraceComparison | null, void>('sightline/compareTraces');

/** Server → client: spans arrived or were cleared; panels refresh, CodeLenses update. */
export const tracesChangedNotification = new NotificationType<{ spans: number; traces: number }>('sightline/tracesChanged');

export interface ImportTracesParams extends WorkDoneProgressParams {
  paths: string[];
}

export interface ImportTracesResult {
  files: number;
  spans: number;
  inserted: number;
  duplicates: number;
  /** One line per bad file or part of a file, naming it and what is wrong. */
  problems: string[];
  cancelled: boolean;
}

/** Client → server: import trace files or folders into the store; progress over $/progress, cancellable. */
export const importTracesRequest = new RequestType<ImportTracesParams, ImportTracesResult, void>('sightline/importTraces');

/** Client → server: forget every stored span. */
export const clearTracesRequest = new RequestType0<void, void>('sightline/clearTraces');

export interface TraceSourcesStatus {
  otlp?: { url: string; error?: string };
  xrayDaemon?: { address: string; error?: string };
  spans: number;
  traces: number;
  readOnly: boolean;
}

/** Client → server: where spans can come from right now and how many are stored. */
export const traceSourcesRequest = new RequestType0<TraceSourcesStatus, void>('sightline/traceSources');

// ---- Audit --------------------------------------------------------------------------------------

/** One CloudTrail event as the Audit view and the lookups show it. Every string is from the record: render as text. */
export interface AuditEventView {
  id: string;
  /** ms since the epoch. */
  time: number;
  eventName: string;
  eventSource: string;
  readOnly: boolean;
  management: boolean;
  /** "alice", "alice (AssumedRole deploy-role)", "ec2.amazonaws.com (AWSService)". */
  who: string;
  identityType: string;
  resources: { name?: string; arn?: string; type?: string }[];
  sourceIp: string;
  region: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
}

export interface AuditLookupParams {
  eventName?: string;
  eventSource?: string;
  user?: string;
  resource?: string;
  resourceType?: string;
  accessKey?: string;
  eventId?: string;
  readOnly?: boolean;
  errorsOnly?: boolean;
  category?: 'management' | 'data';
  errorCode?: string;
  from?: number;
  to?: number;
  limit?: number;
}

export const lookupAuditRequest = new RequestType<AuditLookupParams, AuditEventView[], void>('sightline/lookupAudit');

export interface WhoChangedResult {
  events: AuditEventView[];
  /** One line per change: "DeleteBucket by alice (AssumedRole deploy-role) from 203.0.113.7 at …". */
  lines: string[];
}

export const whoChangedRequest = new RequestType<{ resource: string }, WhoChangedResult, void>('sightline/whoChanged');

export interface AuditGroup {
  /** What the code references: a resource name/ARN or an API call like `s3:DeleteObject`. */
  title: string;
  kind: 'call' | 'resource';
  /** 0-based lines of the document that reference it. */
  lines: number[];
  events: AuditEventView[];
  /** Failed events in the last 24 hours, by error code. */
  failures: number;
  failureCodes: { code: string; count: number }[];
}

export interface AuditForDocument {
  uri: string;
  groups: AuditGroup[];
  /** Events stored in all: 0 means nothing has been imported yet. */
  storedEvents: number;
}

export const auditForDocumentRequest = new RequestType<{ uri: string }, AuditForDocument, void>('sightline/auditForDocument');

/** The full CloudTrail record of one event, as stored, for the read-only JSON view. */
export const auditRecordRequest = new RequestType<{ eventId: string }, unknown, void>('sightline/auditRecord');

export interface ImportAuditParams extends WorkDoneProgressParams {
  paths: string[];
}

export interface ImportAuditResult {
  files: number;
  records: number;
  inserted: number;
  duplicates: number;
  problems: string[];
  cancelled: boolean;
}

export const importAuditRequest = new RequestType<ImportAuditParams, ImportAuditResult, void>('sightline/importAudit');

/** Server → client: events were stored; the Audit view refreshes. */
export const auditChangedNotification = new NotificationType<{ events: number }>('sightline/auditChanged');

/** A value of an attribute (identity ARN, user agent, error code) during an insight and its baseline. */
export interface AuditInsightAttribution {
  /** As recorded; "null" for none, as CloudTrail writes it. */
  value: string;
  /** Calls or errors with this value per bucket, during the insight and during its baseline. */
  insightAverage: number;
  baselineAverage: number;
  /** Part of the insight's calls or errors with this value, 0–1. */
  insightShare: number;
}

/** An unusual API call rate or error rate, detected in the stored events or delivered by CloudTrail Insights. */
export interface AuditInsightView {
  id: string;
  type: 'ApiCallRateInsight' | 'ApiErrorRateInsight';
  /** 'detected': found by Sightline in the stored events; 'cloudtrail': an Insights record CloudTrail delivered. */
  origin: 'detected' | 'cloudtrail';
  eventSource: string;
  eventName: string;
  account: string;
  region: string;
  /** The error code an error-rate insight is about. */
  errorCode?: string;
  /** ms since the epoch; end exclusive. */
  start: number;
  end: number;
  ongoing: boolean;
  /** The bucket the averages are per, in ms (a minute unless configured otherwise). */
  bucketMs: number;
  baselineAverage: number;
  insightAverage: number;
  /** The fewest calls or errors in a bucket that were unusual against this baseline (detected insights only). */
  unusualFrom?: number;
  /** Top values, busiest first. */
  identities: AuditInsightAttribution[];
  userAgents: AuditInsightAttribution[];
  errorCodes: AuditInsightAttribution[];
  /** CloudTrail's Insights records (Start, End) behind a 'cloudtrail' insight; they open like events. */
  recordIds: string[];
}

/** One event a detection matched. Every string is from the record: render as text. */
export interface AuditDetectionSample {
  eventId: string;
  eventName: string;
  time: number;
  who: string;
  resource: string;
  /** "AuthorizeSecurityGroupIngress by alice opened sg-0a1b to 0.0.0.0/0 on tcp/22". */
  summary: string;
}

export interface AuditDetectionView {
  id: string;
  title: string;
  severity: 'high' | 'medium' | 'low';
  /** Where the rule comes from, e.g. "CIS AWS Foundations Benchmark v3.0.0, control 4.3". */
  reference: string;
  rationale: string;
  /** Matching events in the window, the first and last of them, and the newest few. */
  count: number;
  firstSeen: number;
  lastSeen: number;
  samples: AuditDetectionSample[];
}

/** Insights and detections over the two weeks up to the newest stored event, for the Audit view. */
export interface AuditFindings {
  storedEvents: number;
  /** The window, in ms: from the start of a UTC day to the newest stored event (or now, if that is earlier). */
  from: number;
  to: number;
  /** Events stored in the window. */
  events: number;
  /** The oldest event read, the baselines' week before the window included; Insights need a day of history. */
  historyFrom?: number;
  /** How many detections ran; `detections` lists those that matched, most severe first. */
  detectionsChecked: number;
  detections: AuditDetectionView[];
  /** Oldest first. */
  insights: AuditInsightView[];
}

/** Client → server: the Insights and detections of the stored events; the first answer over a large store takes a while. */
export const auditFindingsRequest = new RequestType0<AuditFindings, void>('sightline/auditFindings');

// ---- Remote sources (traces and audit) ------------------------------------------------------------

export interface AwsConnectionParams {
  region: string;
  profile?: string;
  /** Another endpoint than AWS's own (a VPC endpoint, LocalStack). */
  endpoint?: string;
}

export interface PullResult {
  /** Traces or events read from the source. */
  read: number;
  inserted: number;
  problems: string[];
}

export type PullXRayParams = AwsConnectionParams & WorkDoneProgressParams & { filterExpression?: string; lookbackMinutes: number };
export const pullXRayRequest = new RequestType<PullXRayParams, PullResult, void>('sightline/pullXRay');

export type PullJaegerParams = WorkDoneProgressParams & { baseUrl: string; service?: string; lookbackMinutes: number; limit: number };
export const pullJaegerRequest = new RequestType<PullJaegerParams, PullResult, void>('sightline/pullJaeger');

export type PullCloudTrailParams = AwsConnectionParams & WorkDoneProgressParams & { lookbackMinutes: number };
export const pullCloudTrailRequest = new RequestType<PullCloudTrailParams, PullResult, void>('sightline/pullCloudTrail');

export type QueryAthenaParams = AwsConnectionParams &
  WorkDoneProgressParams & { database: string; table: string; workgroup?: string; outputLocation?: string; sinceDays: number; eventName?: string; resource?: string; user?: string };
export const queryAthenaRequest = new RequestType<QueryAthenaParams, PullResult, void>('sightline/queryAthena');
