// The webview's side of the typed messages: a typed postMessage and a typed listener.
import type { FromWebview, ToWebview } from './messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

// acquireVsCodeApi may be called once per page, so every panel shares this one.
const vscode = acquireVsCodeApi();

export function post(message: FromWebview): void {
  vscode.postMessage(message);
}

export function onMessage(handler: (message: ToWebview) => void): void {
  window.addEventListener('message', (event: MessageEvent<ToWebview>) => handler(event.data));
}

/**
 * A panel with messages of its own on top of the shared ones (`From`/`To` include FromWebview and
 * ToWebview), and a state VS Code keeps while the panel is hidden and its page discarded.
 */
export interface PanelHost<From, To, State> {
  post(message: From): void;
  onMessage(handler: (message: To) => void): void;
  state(): State | undefined;
  saveState(state: State): void;
}

export function panelHost<From extends { type: string }, To extends { type: string }, State>(): PanelHost<From | FromWebview, To | ToWebview, State> {
  return {
    post: (message) => vscode.postMessage(message),
    onMessage: (handler) => window.addEventListener('message', (event: MessageEvent<To | ToWebview>) => handler(event.data)),
    state: () => vscode.getState() as State | undefined,
    saveState: (state) => vscode.setState(state),
  };
}
