// Activation: register commands and views, start the server without waiting for it, return fast.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Ctx, type ServerState } from './ctx';
import { AuditViewProvider } from './webviews/auditView';

/** What activate() returns: used by the integration tests and open to other extensions. */
export interface SightlineApi {
  serverState(): ServerState;
  onDidChangeServerState: vscode.Event<ServerState>;
  whenServerReady(): Promise<void>;
}

let ctx: Ctx | undefined;

export function activate(extension: vscode.ExtensionContext): SightlineApi {
  const context = new Ctx(extension);
  ctx = context;
  extension.subscriptions.push(context);
  registerCommands(context);
  context.register(vscode.window.registerWebviewViewProvider(AuditViewProvider.viewType, new AuditViewProvider(context)));
  // The server reads .sightline.json only in a trusted workspace: restart it once trust is granted.
  context.register(vscode.workspace.onDidGrantWorkspaceTrust(() => void context.restart()));
  void context.start();
  return {
    serverState: () => context.serverState,
    onDidChangeServerState: context.onDidChangeServerState,
    whenServerReady: () => context.whenServerReady(),
  };
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}
