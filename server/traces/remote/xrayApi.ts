// AWS X-Ray → spans: GetTraceSummaries over a time window (split into calls of at most 6 hours,
// the API's limit for one call) and a filter expression, following NextToken, then BatchGetTraces
// for the trace ids found, 5 at a time (the API's limit per call), following NextToken, and the
// segment documents of each answer through the X-Ray file reader (formats/xray.ts).
//
// Trace ids found in more than one window are fetched once. Ids X-Ray leaves out of an answer
// (UnprocessedTraceIds) are asked for once more at the end; those still missing are a problem.
// The connection (region, profile, endpoint, credentials) is the one the CloudTrail code uses:
// server/audit/awsConnection.ts. Nothing here logs requests or credentials.

import { BatchGetTracesCommand, GetTraceSummariesCommand, XRayClient, type GetTraceSummariesCommandInput } from '@aws-sdk/client-xray';
import { clientConfig, describeAwsError, type AwsConnection } from '../../audit/awsConnection';
import { XRayReader } from '../formats/xray';
import { ProblemLog } from '../formats/problems';
import type { Span } from '../model';

/** GetTraceSummaries takes a window of at most 6 hours per call. */
export const MAX_WINDOW_MS = 6 * 60 * 60_000;
/** BatchGetTraces takes at most 5 trace ids per call. */
export const MAX_IDS_PER_BATCH = 5;

export interface XRayProgress {
  /** Windows of ≤ 6 h the time range was split into, and how many have been searched completely. */
  windows: number;
  windowsDone: number;
  /** GetTraceSummaries pages read so far. */
  summaryPages: number;
  /** Distinct trace ids found so far. */
  tracesFound: number;
  /** Trace ids asked for with BatchGetTraces so far, and spans delivered. */
  tracesRequested: number;
  spans: number;
}

export interface XRayPullOptions extends AwsConnection {
  /** A client made by the caller (e.g. shared); one is made, and destroyed, per call otherwise. */
  client?: XRayClient;
  /** X-Ray filter expression, e.g. `service("api") AND fault`; none means every trace. */
  filterExpression?: string;
  startTime: Date | number;
  endTime: Date | number;
  /** What the window selects on: 'TraceId' (the default, the trace's start), 'Event' or 'Service'. */
  timeRangeType?: 'TraceId' | 'Event' | 'Service';
  /** Only sampled traces (GetTraceSummaries' Sampling flag). */
  sampling?: boolean;
  /** Stop looking for more traces after this many ids (default: no limit). */
  maxTraces?: number;
  /** Aborts the request in flight; pullXRay then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The spans of each BatchGetTraces answer (complete traces) as they arrive. */
  onBatch(spans: Span[]): void | Promise<void>;
  onProgress?(progress: XRayProgress): void;
}

export interface XRayPullResult {
  /** Distinct trace ids GetTraceSummaries returned (up to maxTraces). */
  traceIds: number;
  spans: number;
  /** Segments that could not be read, traces X-Ray did not return, a repeated NextToken. */
  problems: string[];
  /** True when maxTraces was reached with more summaries possibly left. */
  truncated: boolean;
}

export function createXRayClient(connection: AwsConnection): XRayClient {
  return new XRayClient(clientConfig(connection));
}

function ms(value: Date | number): number {
  return value instanceof Date ? value.getTime() : value;
}

/** [start, end) split into consecutive windows of at most `size` ms, oldest first. */
export function splitWindow(startMs: number, endMs: number, size = MAX_WINDOW_MS): Array<{ start: number; end: number }> {
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) throw new RangeError('startTime and endTime must be valid times');
  if (endMs <= startMs) throw new RangeError('endTime must be after startTime');
  const windows: Array<{ start: number; end: number }> = [];
  for (let start = startMs; start < endMs; start += size) windows.push({ start, end: Math.min(start + size, endMs) });
  return windows;
}

class Failure extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'XRayPullError';
  }
}

/**
 * Pulls the traces matching `filterExpression` in [startTime, endTime] and delivers their spans to
 * `onBatch`. Rejects when an API call fails after the SDK's retries (the message names the
 * operation and the AWS error, never the request) or when `signal` aborts; spans already delivered
 * stay delivered.
 */
export async function pullXRay(options: XRayPullOptions): Promise<XRayPullResult> {
  const windows = splitWindow(ms(options.startTime), ms(options.endTime));
  const client = options.client ?? createXRayClient(options);
  const signal = options.signal;
  const maxTraces = options.maxTraces ?? Infinity;
  const problems = ProblemLog.forInput();
  const result: XRayPullResult = { traceIds: 0, spans: 0, problems: [], truncated: false };
  const progress: XRayProgress = { windows: windows.length, windowsDone: 0, summaryPages: 0, tracesFound: 0, tracesRequested: 0, spans: 0 };
  const seen = new Set<string>();
  const queue: string[] = [];
  const unprocessed: string[] = [];
  const report = () => options.onProgress?.({ ...progress });

  const call = async <T>(operation: string, send: () => Promise<T>): Promise<T> => {
    signal?.throwIfAborted();
    try {
      return await send();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new Failure(`X-Ray ${operation} failed: ${describeAwsError(error)}`, error);
    }
  };

  /** BatchGetTraces for ≤ 5 ids, all its pages; each page's traces → spans → onBatch. */
  const fetchTraces = async (ids: string[], retry: boolean): Promise<void> => {
    progress.tracesRequested += retry ? 0 : ids.length;
    let token: string | undefined;
    const missing = new Set<string>();
    const returned = new Set<string>();
    do {
      const output = await call('BatchGetTraces', () =>
        client.send(new BatchGetTracesCommand({ TraceIds: ids, ...(token ? { NextToken: token } : {}) }), { abortSignal: signal }));
      const spans: Span[] = [];
      const reader = new XRayReader(spans);
      const log = problems.within(`BatchGetTraces ${ids.join(',')}: `);
      for (const trace of output.Traces ?? []) {
        if (trace.Id) returned.add(trace.Id);
        reader.value({ Segments: (trace.Segments ?? []).map((s) => ({ Document: s.Document ?? '' })) }, log, `Traces[${trace.Id ?? '?'}]`);
      }
      reader.finish();
      for (const id of output.UnprocessedTraceIds ?? []) missing.add(id);
      if (spans.length > 0) {
        result.spans += spans.length;
        progress.spans = result.spans;
        await options.onBatch(spans);
      }
      const next = output.NextToken || undefined;
      if (next !== undefined && next === token) {
        problems.add(`BatchGetTraces ${ids.join(',')}: the same NextToken came back twice; stopped`);
        break;
      }
      token = next;
    } while (token !== undefined);
    for (const id of missing) if (!returned.has(id)) unprocessed.push(id);
    report();
  };

  const flush = async (all: boolean): Promise<void> => {
    while (queue.length >= MAX_IDS_PER_BATCH || (all && queue.length > 0)) await fetchTraces(queue.splice(0, MAX_IDS_PER_BATCH), false);
  };

  try {
    search: for (const window of windows) {
      let token: string | undefined;
      const input: GetTraceSummariesCommandInput = {
        StartTime: new Date(window.start),
        EndTime: new Date(window.end),
        ...(options.timeRangeType ? { TimeRangeType: options.timeRangeType } : {}),
        ...(options.sampling !== undefined ? { Sampling: options.sampling } : {}),
        ...(options.filterExpression ? { FilterExpression: options.filterExpression } : {}),
      };
      do {
        const output = await call('GetTraceSummaries', () =>
          client.send(new GetTraceSummariesCommand(token ? { ...input, NextToken: token } : input), { abortSignal: signal }));
        progress.summaryPages++;
        for (const summary of output.TraceSummaries ?? []) {
          const id = summary.Id;
          if (!id || seen.has(id)) continue;
          if (seen.size >= maxTraces) {
            result.truncated = true;
            break search;
          }
          seen.add(id);
          queue.push(id);
        }
        progress.tracesFound = seen.size;
        report();
        await flush(false);
        const next = output.NextToken || undefined;
        if (next !== undefined && next === token) {
          problems.add(`GetTraceSummaries ${new Date(window.start).toISOString()}–${new Date(window.end).toISOString()}: the same NextToken came back twice; stopped`);
          break;
        }
        token = next;
        if (token !== undefined && seen.size >= maxTraces) {
          result.truncated = true;
          break search;
        }
      } while (token !== undefined);
      progress.windowsDone++;
      report();
    }
    await flush(true);
    // Ids X-Ray did not process: once more, in chunks of 5; what is still missing is a problem.
    if (unprocessed.length > 0) {
      const again = unprocessed.splice(0);
      for (let i = 0; i < again.length; i += MAX_IDS_PER_BATCH) await fetchTraces(again.slice(i, i + MAX_IDS_PER_BATCH), true);
      if (unprocessed.length > 0) {
        problems.add(`X-Ray did not return ${unprocessed.length} trace${unprocessed.length === 1 ? '' : 's'} (UnprocessedTraceIds, asked twice): ${unprocessed.slice(0, 5).join(', ')}${unprocessed.length > 5 ? ', …' : ''}`);
      }
    }
  } finally {
    if (!options.client) client.destroy();
  }
  result.traceIds = seen.size;
  result.problems = problems.list();
  return result;
}
