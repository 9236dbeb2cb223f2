// Activation: register commands and views, start the server without waiting for it, return fast.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Ctx, type ServerState } from './ctx';
import type { DocumentState } from '../media/audit/messages';
import { AuditViewProvider } from './webviews/auditView';

/** What activate() returns: used by the integration tests and open to other extensions. */
export interface SightlineApi {
  serverState(): ServerState;
  onDidChangeServerState: vscode.Event<ServerState>;
  whenServerReady(): Promise<void>;
  /**
   * What the Audit view's page was last given to render: the followed file and its event groups.
   * Read-only, so the integration tests can see the view's content from the extension host, which
   * cannot read a webview's DOM.
   */
  auditViewDocument(): DocumentState;
  /** Fires with each document state the Audit view sends its page (loading, ready, failed, no editor). */
  onDidPostAuditViewDocument: vscode.Event<DocumentState>;
}

let ctx: Ctx | undefined;

export function activate(extension: vscode.ExtensionContext): SightlineApi {
  const context = new Ctx(extension);
  ctx = context;
  extension.subscriptions.push(context);
  registerCommands(context);
  const auditView = new AuditViewProvider(context);
  context.register(vscode.window.registerWebviewViewProvider(AuditViewProvider.viewType, auditView));
  // The server reads .sightline.json only in a trusted workspace: restart it once trust is granted.
  context.register(vscode.workspace.onDidGrantWorkspaceTrust(() => void context.restart()));
  void context.start();
  return {
    serverState: () => context.serverState,
    onDidChangeServerState: context.onDidChangeServerState,
    whenServerReady: () => context.whenServerReady(),
    auditViewDocument: () => auditView.document,
    onDidPostAuditViewDocument: auditView.onDidPostDocument,
  };
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}
