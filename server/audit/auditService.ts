// CloudTrail events in the store and the questions asked of them: lookups by any combination of
// the LookupEvents attributes (the API allows one at a time), "who changed this?", and the recent
// events of the resources and calls in a file. Every attribute is an index term, so each question
// is an index intersection, newest first, with no scan.
import type { Query, Store, StoredRecord } from '../store/store';
import { whoOf } from './auditViews';
import type { AuditEvent } from './model';
import { eventJson } from './recordText';

export interface AuditLookup {
  eventName?: string;
  eventSource?: string;
  /** User name, role session name, identity or role ARN, or principal id. */
  user?: string;
  /** Resource name or ARN. */
  resource?: string;
  resourceType?: string;
  accessKey?: string;
  eventId?: string;
  readOnly?: boolean;
  errorsOnly?: boolean;
  /** 'management' or 'data' events only. */
  category?: 'management' | 'data';
  errorCode?: string;
  sourceIp?: string;
  /** ms since the epoch, inclusive. */
  from?: number;
  to?: number;
  limit?: number;
}

/** Index term spellings; the code references of a file produce the same ones (codeReferences.ts). */
export const auditTerm = {
  eventName: (v: string) => `en=${v}`,
  eventSource: (v: string) => `es=${v}`,
  resourceName: (v: string) => `rn=${v}`,
  resourceArn: (v: string) => `ra=${v}`,
  resourceType: (v: string) => `rt=${v}`,
  user: (v: string) => `u=${v}`,
  accessKey: (v: string) => `ak=${v}`,
  readOnly: (v: boolean) => `ro=${v ? 1 : 0}`,
  failed: 'err=1',
  errorCode: (v: string) => `ec=${v}`,
  sourceIp: (v: string) => `ip=${v}`,
  management: (v: boolean) => `mg=${v ? 1 : 0}`,
};

const defaultLimit = 50;

export class AuditService {
  constructor(readonly store: Store) {}

  ingest(events: readonly AuditEvent[]) {
    return this.store.append(
      events.map((event) => ({ key: event.id, time: event.time, terms: termsOf(event), body: eventJson(event) })),
    );
  }

  get eventCount(): number {
    return this.store.count();
  }

  clear(): void {
    this.store.clear();
  }

  lookup(q: AuditLookup): AuditEvent[] {
    if (q.eventId) {
      const record = this.store.get(q.eventId);
      return record ? [eventOf(record)] : [];
    }
    const all: string[] = [];
    let any: string[] | undefined;
    if (q.eventName) all.push(auditTerm.eventName(q.eventName));
    if (q.eventSource) all.push(auditTerm.eventSource(q.eventSource));
    if (q.user) all.push(auditTerm.user(q.user));
    if (q.resourceType) all.push(auditTerm.resourceType(q.resourceType));
    if (q.accessKey) all.push(auditTerm.accessKey(q.accessKey));
    if (q.readOnly !== undefined) all.push(auditTerm.readOnly(q.readOnly));
    if (q.errorsOnly) all.push(auditTerm.failed);
    if (q.errorCode) all.push(auditTerm.errorCode(q.errorCode));
    if (q.sourceIp) all.push(auditTerm.sourceIp(q.sourceIp));
    if (q.category) all.push(auditTerm.management(q.category === 'management'));
    if (q.resource) any = [auditTerm.resourceName(q.resource), auditTerm.resourceArn(q.resource)];
    const query: Query = { all, any, from: q.from, to: q.to, limit: q.limit ?? defaultLimit, newestFirst: true };
    return Array.from(this.store.query(query), eventOf);
  }

  /** The events that changed or deleted a resource (writes only), newest first. */
  whoChanged(nameOrArn: string, limit = 20): AuditEvent[] {
    return this.lookup({ resource: nameOrArn, readOnly: false, limit });
  }

  /** Events carrying any of `terms` (a code reference's), newest first; and how many failed since `failuresSince`. */
  eventsFor(terms: { all: string[] } | { any: string[] }, limit: number, failuresSince: number): { events: AuditEvent[]; failures: number; failureCodes: Map<string, number> } {
    const base: Query = 'all' in terms ? { all: terms.all } : { any: terms.any };
    const events = Array.from(this.store.query({ ...base, limit, newestFirst: true }), eventOf);
    const failedQuery: Query = { ...base, all: [...(base.all ?? []), auditTerm.failed], from: failuresSince };
    const failureCodes = new Map<string, number>();
    let failures = 0;
    for (const record of this.store.query({ ...failedQuery, limit: 200 })) {
      const code = eventOf(record).errorCode ?? 'Error';
      failureCodes.set(code, (failureCodes.get(code) ?? 0) + 1);
      failures++;
    }
    if (failures === 200) failures = this.store.count(failedQuery);
    return { events, failures, failureCodes };
  }

  /** Every event in a time window, oldest first: the input of Insights and detections. */
  *between(from: number, to: number): Iterable<AuditEvent> {
    for (const record of this.store.query({ from, to, newestFirst: false })) yield eventOf(record);
  }
}

/** "DeleteBucket by alice (AssumedRole deploy-role) from 203.0.113.7 at 2026-05-01T12:00:00Z". */
export function describeChange(event: AuditEvent): string {
  const who = whoOf(event);
  const failed = event.errorCode ? ` — failed: ${event.errorCode}${event.errorMessage ? ` (${event.errorMessage})` : ''}` : '';
  return `${event.eventName} by ${who} from ${event.sourceIp || 'unknown address'} at ${new Date(event.time).toISOString()}${failed}`;
}

function termsOf(event: AuditEvent): string[] {
  const terms = [auditTerm.eventName(event.eventName), auditTerm.eventSource(event.eventSource), auditTerm.readOnly(event.readOnly), auditTerm.management(event.management)];
  const id = event.identity;
  for (const user of new Set([id.name, id.arn, id.principalId, id.sessionName, id.roleArn, id.roleName].filter((v): v is string => !!v))) terms.push(auditTerm.user(user));
  if (id.accessKeyId) terms.push(auditTerm.accessKey(id.accessKeyId));
  if (event.errorCode) terms.push(auditTerm.failed, auditTerm.errorCode(event.errorCode));
  if (event.sourceIp) terms.push(auditTerm.sourceIp(event.sourceIp));
  for (const r of event.resources) {
    if (r.arn) terms.push(auditTerm.resourceArn(r.arn));
    if (r.name) terms.push(auditTerm.resourceName(r.name));
    if (r.type) terms.push(auditTerm.resourceType(r.type));
  }
  return [...new Set(terms)];
}

function eventOf(record: StoredRecord): AuditEvent {
  return JSON.parse(typeof record.body === 'string' ? record.body : Buffer.from(record.body).toString('utf8')) as AuditEvent;
}
