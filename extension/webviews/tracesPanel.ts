// The trace viewer panel: one editor-area webview, revealed again rather than duplicated.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { connectWebview } from './webviewBridge';
import { webviewHtml, webviewOptions } from './webviewHtml';

export class TracesPanel {
  static readonly viewType = 'sightline.traces';
  private static current: TracesPanel | undefined;

  static show(ctx: Ctx): void {
    if (TracesPanel.current) {
      TracesPanel.current.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(TracesPanel.viewType, 'Sightline Traces', vscode.ViewColumn.Active, {
      ...webviewOptions(ctx.extension.extensionUri),
      retainContextWhenHidden: false,
    });
    TracesPanel.current = new TracesPanel(ctx, panel);
  }

  private constructor(ctx: Ctx, readonly panel: vscode.WebviewPanel) {
    panel.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'icons', 'sightline.svg');
    panel.webview.html = webviewHtml(panel.webview, ctx.extension.extensionUri, { script: 'traces', title: 'Sightline Traces' });
    const bridge = connectWebview(ctx, panel.webview);
    panel.onDidDispose(() => {
      bridge.dispose();
      TracesPanel.current = undefined;
    });
  }
}
