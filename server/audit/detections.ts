// Security detections over audit events: the CIS AWS Foundations Benchmark monitoring controls
// (detectionsCis.ts) and Sightline's own checks for changes that expose resources or mint long-lived
// credentials (detectionsExposure.ts), registered in one table. Pure logic over AuditEvent values,
// shared by the Audit view and `sightline audit detections`.

import type { AuditEvent } from './model';
import { cisDetections } from './detectionsCis';
import { exposureDetections } from './detectionsExposure';

export type DetectionSeverity = 'high' | 'medium' | 'low';

export interface Detection {
  /** Stable id: `cis-<control>-<slug>` for CIS controls, `<service>-<slug>` for Sightline's own. */
  id: string;
  title: string;
  severity: DetectionSeverity;
  /** Where the rule comes from, e.g. "CIS AWS Foundations Benchmark v3.0.0, control 4.3". */
  reference: string;
  /** Why it matters, one paragraph, for hovers, the view and the CLI. */
  rationale: string;
  /** The CloudWatch Logs filter pattern the benchmark prescribes, when the rule is one; `matches` runs this text. */
  filterPattern?: string;
  matches(event: AuditEvent): boolean;
  /** When set, only events with one of these eventNames can match, and runDetections asks no others. */
  eventNames?: ReadonlySet<string>;
  /** The one-line account of a matching event; without it, "<eventName> by <who>[ on <resource>]". */
  describe?(event: AuditEvent, who: string): string;
  /** The resource to name for a matching event, when the derived resources do not say it best. */
  resourceOf?(event: AuditEvent): string | undefined;
}

export interface DetectionHit {
  detectionId: string;
  severity: DetectionSeverity;
  eventId: string;
  time: number;
  who: string;
  /** The API call: eventSource's service and eventName, e.g. "ec2:AuthorizeSecurityGroupIngress". */
  what: string;
  /** Name or ARN of what the call acted on; '' when the record names nothing. */
  resource: string;
  summary: string;
}

/** Every detection, CIS controls in benchmark order first. */
export const detections: readonly Detection[] = [...cisDetections, ...exposureDetections];

/** Who made the call, as people say it: the user, role session, service or "root". */
export function callerName(event: AuditEvent): string {
  const { identity } = event;
  return identity.name || identity.arn || identity.principalId || 'an unknown caller';
}

function defaultResource(event: AuditEvent): string {
  const first = event.resources[0];
  return first?.name ?? first?.arn ?? '';
}

function serviceOf(eventSource: string): string {
  const dot = eventSource.indexOf('.');
  return dot > 0 ? eventSource.slice(0, dot) : eventSource;
}

/**
 * Every (event, detection) match, in event order and, within an event, in table order. One pass;
 * each event is put only to the detections that can match its eventName (most CIS controls name
 * theirs), a list made the first time the name is seen.
 */
export function runDetections(events: Iterable<AuditEvent>, table: readonly Detection[] = detections): DetectionHit[] {
  const hits: DetectionHit[] = [];
  const byName = new Map<string, readonly Detection[]>();
  for (const event of events) {
    let candidates = byName.get(event.eventName);
    if (!candidates) {
      const name = event.eventName;
      byName.set(name, (candidates = table.filter((detection) => !detection.eventNames || detection.eventNames.has(name))));
    }
    for (const detection of candidates) {
      if (!detection.matches(event)) continue;
      const who = callerName(event);
      const resource = detection.resourceOf?.(event) ?? defaultResource(event);
      hits.push({
        detectionId: detection.id,
        severity: detection.severity,
        eventId: event.id,
        time: event.time,
        who,
        what: `${serviceOf(event.eventSource)}:${event.eventName}`,
        resource,
        summary: detection.describe?.(event, who) ?? `${event.eventName} by ${who}${resource ? ` on ${resource}` : ''}`,
      });
    }
  }
  return hits;
}
