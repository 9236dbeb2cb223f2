// The extension's side of the typed webview messages that every Sightline panel shares:
// the panel says it is ready, gets the server state and its changes, and may ask for a command.
import * as vscode from 'vscode';
import type { FromWebview, ServerView, ToWebview } from '../../media/shared/messages';
import type { Ctx } from '../ctx';

export function connectWebview(ctx: Ctx, webview: vscode.Webview): vscode.Disposable {
  const post = (message: ToWebview) => void webview.postMessage(message);
  const serverView = (): ServerView => ({ state: ctx.serverState, summary: ctx.serverSummary });
  const subscriptions = [
    webview.onDidReceiveMessage((message: FromWebview) => {
      switch (message.type) {
        case 'ready':
          post({ type: 'server', server: serverView() });
          break;
        case 'runCommand':
          void vscode.commands.executeCommand(message.command);
          break;
      }
    }),
    ctx.onDidChangeServerState(() => post({ type: 'server', server: serverView() })),
  ];
  return vscode.Disposable.from(...subscriptions);
}
