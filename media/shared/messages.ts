// Messages between the extension and its webviews, one discriminated union per direction,
// imported by both sides so neither can send what the other does not understand.

/** What the server is doing, as the panels show it. */
export interface ServerView {
  state: 'starting' | 'running' | 'stopped' | 'crashed';
  summary?: string;
}

export type ToWebview = { type: 'server'; server: ServerView };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'runCommand'; command: 'sightline.showOutput' | 'sightline.restartServer' };
