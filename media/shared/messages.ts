// Messages between the extension and its webviews, one discriminated union per direction,
// imported by both sides so neither can send what the other does not understand. Panels with
// messages of their own (media/traces/messages.ts) add theirs to these.

/** What the server is doing, as the panels show it. */
export interface ServerView {
  state: 'starting' | 'running' | 'stopped' | 'crashed';
  summary?: string;
}

export type ToWebview = { type: 'server'; server: ServerView };

/** Commands a panel may ask for; 'sightline.importTraces' is "Sightline: Import Traces…". */
export type WebviewCommand =
  | 'sightline.showOutput'
  | 'sightline.restartServer'
  | 'sightline.importTraces'
  | AuditSourceCommand
  | 'sightline.lookupAudit';

/**
 * The commands that bring CloudTrail events in: Import exists; the Audit view offers the others
 * only once the extension reports them registered (they are planned, not yet built).
 */
export type AuditSourceCommand = 'sightline.importAudit' | 'sightline.connectCloudTrail' | 'sightline.queryAthena';

export type FromWebview =
  | { type: 'ready' }
  | { type: 'runCommand'; command: WebviewCommand };
