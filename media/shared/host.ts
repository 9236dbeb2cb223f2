// The webview's side of the typed messages: a typed postMessage and a typed listener.
import type { FromWebview, ToWebview } from './messages';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

export function post(message: FromWebview): void {
  vscode.postMessage(message);
}

export function onMessage(handler: (message: ToWebview) => void): void {
  window.addEventListener('message', (event: MessageEvent<ToWebview>) => handler(event.data));
}
