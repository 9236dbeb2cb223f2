// The view's filter: words typed in the filter box (each must appear in some shown field of the
// event, or in the title of its group) and the two toggles. Groups are ordered by their newest event.
import type { AuditEventView, AuditGroup } from '../../server/protocol';

export interface EventFilter {
  text: string;
  errorsOnly: boolean;
  writesOnly: boolean;
}

export const noFilter: EventFilter = { text: '', errorsOnly: false, writesOnly: false };

export function isFiltering(filter: EventFilter): boolean {
  return filter.errorsOnly || filter.writesOnly || words(filter.text).length > 0;
}

function words(text: string): string[] {
  return text.toLowerCase().split(/\s+/).filter(Boolean);
}

/** Every field the view shows for an event, and the words of its badges, in lower case. */
const searchable = new WeakMap<AuditEventView, string>();
function searchText(event: AuditEventView): string {
  let text = searchable.get(event);
  if (text === undefined) {
    const time = Number.isFinite(event.time) ? new Date(event.time).toISOString() : '';
    text = [
      time, event.who, event.identityType, event.eventName, event.eventSource,
      event.readOnly ? 'read' : 'write', event.management ? 'management' : 'data',
      ...event.resources.flatMap((r) => [r.name, r.arn, r.type]),
      event.sourceIp, event.region, event.userAgent, event.errorCode, event.errorMessage,
    ].filter((v): v is string => typeof v === 'string' && v !== '').join('\n').toLowerCase();
    searchable.set(event, text);
  }
  return text;
}

export function eventMatches(event: AuditEventView, filter: EventFilter, context = ''): boolean {
  if (filter.errorsOnly && !event.errorCode) return false;
  if (filter.writesOnly && event.readOnly) return false;
  const wanted = words(filter.text);
  if (wanted.length === 0) return true;
  const haystack = context ? `${context.toLowerCase()}\n${searchText(event)}` : searchText(event);
  return wanted.every((word) => haystack.includes(word));
}

export function filterEvents(events: readonly AuditEventView[], filter: EventFilter, context = ''): AuditEventView[] {
  return events.filter((event) => eventMatches(event, filter, context));
}

export interface ShownGroup {
  group: AuditGroup;
  /** The group's events that pass the filter, newest first. */
  events: AuditEventView[];
}

const newestFirst = (a: AuditEventView, b: AuditEventView) => b.time - a.time;

/**
 * The groups to show, newest event first; groups without events after them. While filtering, a
 * group none of whose events pass is left out.
 */
export function shownGroups(groups: readonly AuditGroup[], filter: EventFilter): ShownGroup[] {
  const filtering = isFiltering(filter);
  const shown = groups
    .map((group) => ({ group, events: filterEvents([...group.events].sort(newestFirst), filter, group.title) }))
    .filter((g) => !filtering || g.events.length > 0);
  const newest = (g: ShownGroup) => (g.events.length ? g.events[0].time : Number.MIN_SAFE_INTEGER);
  // Array.prototype.sort is stable: groups with equal newest times keep the server's order.
  return shown.sort((a, b) => newest(b) - newest(a));
}
