// The Audit view in the panel area: a webview view that VS Code creates when it is first shown.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { connectWebview } from './webviewBridge';
import { webviewHtml, webviewOptions } from './webviewHtml';

export class AuditViewProvider implements vscode.WebviewViewProvider {
  static readonly viewType = 'sightline.auditView';

  constructor(private readonly ctx: Ctx) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.ctx.extension.extensionUri);
    view.webview.html = webviewHtml(view.webview, this.ctx.extension.extensionUri, { script: 'audit', title: 'Sightline Audit' });
    const bridge = connectWebview(this.ctx, view.webview);
    view.onDidDispose(() => bridge.dispose());
  }
}
