// The one recipe for webview HTML: assets only through asWebviewUri from the extension's own
// folders, a Content-Security-Policy of default-src 'none', and a fresh nonce for each render.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface WebviewPage {
  /** Bundle name under dist/webviews, e.g. 'traces'. */
  script: string;
  title: string;
  /** Stylesheets of the page's own, relative to media/, after the shared webview.css. */
  styles?: string[];
}

/** The folders a Sightline webview may load from: its bundles and the shared media. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webviews'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webviews', `${page.script}.js`));
  const styles = ['webview.css', ...(page.styles ?? [])].map((path) =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', ...path.split('/'))));
  const csp = [
    `default-src 'none'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles.map((style) => `<link href="${style}" rel="stylesheet">`).join('\n')}
<title>${escapeHtml(page.title)}</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
