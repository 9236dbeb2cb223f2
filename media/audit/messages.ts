// Messages between the Audit view and the extension, one discriminated union per direction, on top
// of the shared ones (server state, ready, runCommand). The extension follows the active editor and
// sends what sightline/auditForDocument answers for it; lookups from the command palette arrive as
// results the view switches to, with a way back. The Insights & detections tab gets what
// sightline/auditFindings answers, from the first time it is shown on, kept up to date as events arrive.
import type { AuditEventView, AuditFindings, AuditForDocument } from '../../server/protocol';
import type { AuditSourceCommand, FromWebview, ToWebview } from '../shared/messages';

/** The view's subject: the document in the active editor and its events. */
export type DocumentState =
  | { kind: 'noEditor' }
  | { kind: 'loading'; uri: string; fileName: string }
  | { kind: 'ready'; uri: string; fileName: string; audit: AuditForDocument }
  | { kind: 'failed'; uri: string; fileName: string; message: string };

/** The Insights & detections of the stored events. */
export type FindingsState =
  | { kind: 'loading' }
  | { kind: 'ready'; findings: AuditFindings }
  | { kind: 'failed'; message: string };

/** The answer to "Sightline: Look Up Audit Events…" or "Who Changed This?" → Show all. */
export interface LookupResults {
  /** Increases with every lookup: the page switches to a lookup it has not shown yet. */
  id: number;
  /** What was asked, e.g. "EventName DeleteBucket · last 7 days". */
  title: string;
  /** Newest first, as the server answered. */
  events: AuditEventView[];
  /** The most the server was asked for: when `events` has this many, there may be more. */
  limit?: number;
}

export type AuditToWebview =
  | ToWebview
  | { type: 'document'; document: DocumentState }
  /** `show`: switch to the results now (a new lookup); otherwise only remember them (a reloaded page). */
  | { type: 'lookup'; results: LookupResults; show: boolean }
  /** Which of the commands that bring events in are registered, for the empty state's buttons. */
  | { type: 'sources'; available: AuditSourceCommand[] }
  | { type: 'findings'; findings: FindingsState };

export type AuditFromWebview =
  | FromWebview
  /** Open the full CloudTrail record of an event the view was sent, as read-only JSON. */
  | { type: 'openRecord'; eventId: string }
  /** Reveal a 0-based line of the document the view's events are for. */
  | { type: 'revealLine'; uri: string; line: number }
  /** Ask the server again for the document's events. */
  | { type: 'refresh' }
  /** The Insights & detections tab is shown: load them unless they are loaded and up to date. */
  | { type: 'loadFindings' }
  /** Ask the server again for the Insights & detections. */
  | { type: 'refreshFindings' }
  /** Look up the events an insight counted; they arrive as lookup results. */
  | { type: 'showInsightEvents'; insightId: string };
