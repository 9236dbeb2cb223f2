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
