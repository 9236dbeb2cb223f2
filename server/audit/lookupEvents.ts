// Live CloudTrail: the LookupEvents API (management and Insights events of the last 90 days) through
// @aws-sdk/client-cloudtrail, and a poller that keeps fetching what is new.
//
// The API's rules, kept here: one lookup attribute per call (more are matched locally on the
// results of the first); pages of at most 50 followed by NextToken with every other parameter
// unchanged; 2 requests per second per account and Region — every attempt, the SDK's retries
// included, waits for a token from the Region's shared bucket, and a ThrottlingException drains the
// bucket before the SDK retries it with its backoff.

import { CloudTrailClient, LookupEventsCommand, type LookupAttributeKey, type LookupEventsCommandInput, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-cloudtrail';
import type { FinalizeRequestMiddleware } from '@smithy/types';
import { clientConfig, describeAwsError, type AwsConnection } from './awsConnection';
import { readParsedValue } from './documents';
import type { AuditEvent } from './model';
import { sharedLookupLimiter, type TokenBucket } from './rateLimiter';

export type { LookupAttributeKey } from '@aws-sdk/client-cloudtrail';

export interface LookupAttribute {
  key: LookupAttributeKey;
  value: string;
}

export interface LookupQuery {
  startTime?: Date | number;
  endTime?: Date | number;
  /** The API takes one; the first is sent and the others are matched on what it returns. */
  attributes?: readonly LookupAttribute[];
  /** 'insight' for Insights events; management events otherwise. */
  eventCategory?: 'insight';
  /** Events per page, 1–50 (default 50). */
  pageSize?: number;
  signal?: AbortSignal;
}

export interface LookupOptions extends AwsConnection, LookupQuery {
  /** A client from createCloudTrailClient; one is made (and destroyed) per call otherwise. */
  client?: CloudTrailClient;
  /** Stop after this many events (default 1000); the result says whether more were left. */
  maxEvents?: number;
  /** Each page's events as they arrive (after local attribute matching). */
  onPage?(events: AuditEvent[]): void | Promise<void>;
}

export interface LookupPage {
  page: number;
  events: AuditEvent[];
  problems: string[];
  nextToken?: string;
}

export interface LookupResult {
  events: AuditEvent[];
  problems: string[];
  pages: number;
  /** True when maxEvents was reached with more pages left. */
  truncated: boolean;
}

const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded']);

export function isThrottling(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return THROTTLING.has(error.name) || status === 429;
}

/** The shared bucket's key: the Region, and what may tell accounts apart before any answer. */
function limiterKey(connection: AwsConnection): string {
  return [connection.region, connection.endpoint ?? '', connection.profile ?? process.env.AWS_PROFILE ?? ''].join('|');
}

/**
 * A CloudTrail client whose LookupEvents attempts are paced by `limiter` (by default the bucket
 * shared by every client for the same Region, profile and endpoint in this process).
 */
export function createCloudTrailClient(connection: AwsConnection, limiter: TokenBucket = sharedLookupLimiter(limiterKey(connection))): CloudTrailClient {
  const client = new CloudTrailClient(clientConfig(connection));
  const pace: FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next, context) => async (args) => {
    if (context.commandName !== 'LookupEventsCommand') return next(args);
    await limiter.take();
    try {
      return await next(args);
    } catch (error) {
      if (isThrottling(error)) limiter.drain();
      throw error;
    }
  };
  // Inside the retry loop (each attempt), before signing (so the signature is as fresh as the send).
  client.middlewareStack.addRelativeTo(pace, { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: 'sightlineLookupPacing', override: true });
  return client;
}

function toDate(value: Date | number | undefined): Date | undefined {
  return value === undefined ? undefined : value instanceof Date ? value : new Date(value);
}

/** Whether an event matches a lookup attribute the way CloudTrail's event history does. */
export function matchesLookupAttribute(event: AuditEvent, attribute: LookupAttribute): boolean {
  const v = attribute.value;
  switch (attribute.key) {
    case 'EventId': return event.id === v;
    case 'EventName': return event.eventName === v;
    case 'EventSource': return event.eventSource === v;
    case 'ReadOnly': return String(event.readOnly) === v.toLowerCase();
    case 'AccessKeyId': return event.identity.accessKeyId === v;
    case 'Username': return event.identity.name === v || event.identity.sessionName === v || event.record.userIdentity?.userName === v;
    case 'ResourceType': return event.resources.some((r) => r.type === v);
    case 'ResourceName': return event.resources.some((r) => r.name === v || r.arn === v);
    default: return false;
  }
}

/**
 * The pages of one lookup, newest events first. Stop early by leaving the loop; the signal aborts
 * the request in flight.
 */
export async function* lookupEventPages(client: CloudTrailClient, query: LookupQuery, label = 'LookupEvents'): AsyncGenerator<LookupPage> {
  const [sent, ...matched] = query.attributes ?? [];
  const pageSize = query.pageSize ?? 50;
  if (!(pageSize >= 1 && pageSize <= 50)) throw new RangeError(`pageSize must be 1–50 (LookupEvents' MaxResults), not ${pageSize}`);
  const input: LookupEventsCommandInput = {
    StartTime: toDate(query.startTime),
    EndTime: toDate(query.endTime),
    LookupAttributes: sent ? [{ AttributeKey: sent.key, AttributeValue: sent.value }] : undefined,
    EventCategory: query.eventCategory,
    MaxResults: pageSize,
  };
  let token: string | undefined;
  let page = 0;
  do {
    query.signal?.throwIfAborted();
    const output = await client.send(new LookupEventsCommand(token === undefined ? input : { ...input, NextToken: token }), { abortSignal: query.signal });
    page++;
    const read = readParsedValue({ Events: output.Events ?? [] }, `${label} page ${page}`);
    const events = matched.length ? read.events.filter((e) => matched.every((a) => matchesLookupAttribute(e, a))) : read.events;
    const next = output.NextToken || undefined;
    if (next !== undefined && next === token) {
      yield { page, events, problems: [...read.problems, `${label} page ${page}: the same NextToken came back twice; stopped`] };
      return;
    }
    yield { page, events, problems: read.problems, nextToken: next };
    token = next;
  } while (token !== undefined);
}

/** One lookup, all pages up to maxEvents. Errors (after the SDK's retries) are thrown. */
export async function lookupEvents(options: LookupOptions): Promise<LookupResult> {
  const client = options.client ?? createCloudTrailClient(options);
  const maxEvents = options.maxEvents ?? 1000;
  const result: LookupResult = { events: [], problems: [], pages: 0, truncated: false };
  const seen = new Set<string>();
  try {
    for await (const page of lookupEventPages(client, options, `LookupEvents ${options.region}`)) {
      result.pages = page.page;
      result.problems.push(...page.problems);
      const fresh = page.events.filter((e) => !seen.has(e.id));
      const room = maxEvents - result.events.length;
      const taken = fresh.length > room ? fresh.slice(0, room) : fresh;
      for (const e of taken) {
        seen.add(e.id);
        result.events.push(e);
      }
      if (taken.length && options.onPage) await options.onPage(taken);
      if (result.events.length >= maxEvents) {
        result.truncated = fresh.length > room || page.nextToken !== undefined;
        break;
      }
    }
  } finally {
    if (!options.client) client.destroy();
  }
  return result;
}

export interface PollingOptions extends AwsConnection, Omit<LookupQuery, 'startTime' | 'endTime' | 'signal'> {
  client?: CloudTrailClient;
  intervalMs: number;
  /** New events (never one already delivered by this poller), per page. */
  onBatch(events: AuditEvent[]): void | Promise<void>;
  /** A failed poll (after the SDK's retries) or a throwing onBatch; polling goes on. */
  onError?(error: Error): void;
  /** Records that could not be read. */
  onProblems?(problems: string[]): void;
  /** Where the first poll starts (default: 15 minutes ago). */
  since?: Date | number;
  /**
   * How far before the newest event seen each poll starts again (default 5 minutes): CloudTrail
   * typically shows an event about 5 minutes after the call, so later polls still find events
   * older than the newest one already seen; eventIDs keep them from being delivered twice.
   */
  overlapMs?: number;
  now?: () => number;
}

export interface Poller {
  /** Stops the timer and aborts the poll in flight; resolves once it has ended. */
  stop(): Promise<void>;
  /** The newest eventTime delivered, in ms (the start, before any). */
  readonly newest: number;
}

/** Polls LookupEvents every `intervalMs` (after the previous poll ends) for events newer than the newest seen. */
export function startPolling(options: PollingOptions): Poller {
  const now = options.now ?? Date.now;
  const client = options.client ?? createCloudTrailClient(options);
  const overlapMs = options.overlapMs ?? 5 * 60_000;
  const controller = new AbortController();
  const seen = new Map<string, number>();
  let newest = options.since !== undefined ? +toDate(options.since)! : now() - 15 * 60_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const report = (error: unknown) => {
    if (stopped) return;
    try {
      options.onError?.(error instanceof Error ? new Error(describeAwsError(error), { cause: error }) : new Error(String(error)));
    } catch {
      // A throwing onError must not end the polling (nor crash the process with an unhandled rejection).
    }
  };

  const pollOnce = async () => {
    let latest = newest;
    const query: LookupQuery = {
      attributes: options.attributes, eventCategory: options.eventCategory, pageSize: options.pageSize,
      startTime: Math.max(0, newest - overlapMs), signal: controller.signal,
    };
    for await (const page of lookupEventPages(client, query, `LookupEvents ${options.region}`)) {
      if (page.problems.length) options.onProblems?.(page.problems);
      const fresh = page.events.filter((event) => !seen.has(event.id));
      if (fresh.length === 0) continue;
      // Marked as seen once delivered: a batch the sink refused comes again with the next poll.
      await options.onBatch(fresh);
      for (const event of fresh) {
        seen.set(event.id, event.time);
        if (event.time > latest) latest = event.time;
      }
    }
    // Only a poll that read every page moves the start on: pages come newest first, so a failed
    // poll may have missed older events that the next one must still ask for.
    newest = latest;
    for (const [id, time] of seen) if (time < newest - overlapMs) seen.delete(id);
  };

  const tick = async () => {
    running = pollOnce().catch(report);
    await running;
    running = undefined;
    if (!stopped) timer = setTimeout(tick, options.intervalMs);
  };
  void tick();

  return {
    get newest() {
      return newest;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
      await running;
      if (!options.client) client.destroy();
    },
  };
}
