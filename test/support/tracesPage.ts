// The trace panel's built bundle (dist/webviews/traces.js) in headless Chromium, outside VS Code:
// a tiny HTTP server on 127.0.0.1 serves a page made like the webview recipe's (the same CSP, the
// same stylesheets, a VS Code theme's variables), and `acquireVsCodeApi` is a small host that
// hands every message to Node, where a fake extension answers from generated traces (span details
// through the server's own spanDetail, over the demo workspace).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { TracesFromWebview, TracesRequestKind, TracesToWebview } from '../../media/traces/messages';
import type { TraceSourcesStatus, TraceTimeline } from '../../server/protocol';
import { spanDetail, type SpanWorkspace } from '../../server/traces/spanDetail';
import { comparisonOf, demoWorkspace, filterTraces, serviceMapOf, timelineOf, type GeneratedTrace } from './traceData';

/** Found from here rather than fixed, so this works from test/ and from its bundle in out*\/test/. */
export function findRepoRoot(from: string = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'esbuild.mjs')) && existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`no repository root above ${from}`);
}

export const repoRoot = findRepoRoot();

/** A panel's page as extension/webviews/webviewHtml.ts builds it: its CSP, a fresh nonce, its CSS and bundle. */
export function recipePage(origin: string, theme: 'dark' | 'light', page: { title: string; panel: 'traces' | 'audit' }): string {
  const nonce = randomBytes(16).toString('base64');
  const kind = theme === 'light' ? 'vscode-light' : 'vscode-dark';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${recipeCsp(origin, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="/theme.css" rel="stylesheet">
<link href="/media/webview.css" rel="stylesheet">
<link href="/media/${page.panel}/${page.panel}.css" rel="stylesheet">
<title>${page.title}</title>
</head>
<body class="${kind}" data-vscode-theme-kind="${kind}">
<main id="app" aria-live="polite"></main>
<script nonce="${nonce}" src="/host.js"></script>
<script nonce="${nonce}" src="/dist/webviews/${page.panel}.js"></script>
</body>
</html>`;
}

/** The Content-Security-Policy of extension/webviews/webviewHtml.ts, with this server as cspSource. */
export function recipeCsp(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/** Colours of VS Code's Dark Modern and Light Modern themes, as VS Code sets them in a webview. */
const themeCss = `
body.vscode-dark {
  --vscode-font-family: system-ui, "Ubuntu", "Droid Sans", sans-serif; --vscode-font-size: 13px;
  --vscode-editor-font-family: "DejaVu Sans Mono", "Droid Sans Mono", monospace;
  --vscode-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d; --vscode-errorForeground: #f85149;
  --vscode-editor-background: #1f1f1f; --vscode-editor-foreground: #cccccc; --vscode-sideBar-background: #181818;
  --vscode-panel-border: #2b2b2b; --vscode-widget-border: #313131; --vscode-focusBorder: #0078d4;
  --vscode-input-background: #313131; --vscode-input-foreground: #cccccc; --vscode-input-border: #3c3c3c;
  --vscode-input-placeholderForeground: #989898; --vscode-inputValidation-errorBorder: #be1100;
  --vscode-dropdown-background: #313131; --vscode-dropdown-border: #3c3c3c; --vscode-dropdown-foreground: #cccccc;
  --vscode-list-hoverBackground: #2a2d2e; --vscode-list-activeSelectionBackground: #04395e;
  --vscode-list-activeSelectionForeground: #ffffff; --vscode-list-inactiveSelectionBackground: #37373d;
  --vscode-list-focusOutline: #0078d4; --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff;
  --vscode-button-hoverBackground: #026ec1; --vscode-button-secondaryBackground: #313131;
  --vscode-button-secondaryForeground: #cccccc; --vscode-button-secondaryHoverBackground: #3c3c3c;
  --vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8;
  --vscode-charts-red: #f14c4c; --vscode-charts-orange: #d18616; --vscode-charts-yellow: #cca700;
  --vscode-charts-green: #89d185; --vscode-charts-blue: #3794ff; --vscode-charts-purple: #b180d7;
  --vscode-textLink-foreground: #4daafc; --vscode-textCodeBlock-background: #2b2b2b;
  --vscode-textBlockQuote-background: #2b2b2b; --vscode-editorInfo-foreground: #3794ff;
  --vscode-progressBar-background: #0078d4; --vscode-editorWidget-background: #202020;
  --vscode-editor-findMatchHighlightBackground: rgba(234, 92, 0, 0.33); --vscode-editor-selectionBackground: #264f78;
  --vscode-tab-activeForeground: #ffffff; --vscode-tab-inactiveForeground: #9d9d9d; --vscode-panelTitle-activeBorder: #0078d4;
  --vscode-icon-foreground: #cccccc; --vscode-toolbar-hoverBackground: rgba(90, 93, 94, 0.31);
  --vscode-editorIndentGuide-background1: #404040; --vscode-sash-hoverBorder: #0078d4;
  --vscode-scrollbarSlider-background: rgba(121, 121, 121, 0.4);
}
body.vscode-light {
  --vscode-font-family: system-ui, "Ubuntu", "Droid Sans", sans-serif; --vscode-font-size: 13px;
  --vscode-editor-font-family: "DejaVu Sans Mono", "Droid Sans Mono", monospace;
  --vscode-foreground: #3b3b3b; --vscode-descriptionForeground: #717171; --vscode-errorForeground: #f85149;
  --vscode-editor-background: #ffffff; --vscode-editor-foreground: #3b3b3b; --vscode-sideBar-background: #f8f8f8;
  --vscode-panel-border: #e5e5e5; --vscode-widget-border: #e5e5e5; --vscode-focusBorder: #005fb8;
  --vscode-input-background: #ffffff; --vscode-input-foreground: #3b3b3b; --vscode-input-border: #cecece;
  --vscode-input-placeholderForeground: #767676; --vscode-inputValidation-errorBorder: #be1100;
  --vscode-dropdown-background: #ffffff; --vscode-dropdown-border: #cecece; --vscode-dropdown-foreground: #3b3b3b;
  --vscode-list-hoverBackground: #f2f2f2; --vscode-list-activeSelectionBackground: #e8e8e8;
  --vscode-list-activeSelectionForeground: #000000; --vscode-list-inactiveSelectionBackground: #e4e6f1;
  --vscode-list-focusOutline: #005fb8; --vscode-button-background: #005fb8; --vscode-button-foreground: #ffffff;
  --vscode-button-hoverBackground: #0258a8; --vscode-button-secondaryBackground: #e5e5e5;
  --vscode-button-secondaryForeground: #3b3b3b; --vscode-button-secondaryHoverBackground: #cccccc;
  --vscode-badge-background: #cccccc; --vscode-badge-foreground: #3b3b3b;
  --vscode-charts-red: #e51400; --vscode-charts-orange: #d18616; --vscode-charts-yellow: #bf8803;
  --vscode-charts-green: #388a34; --vscode-charts-blue: #1a85ff; --vscode-charts-purple: #652d90;
  --vscode-textLink-foreground: #005fb8; --vscode-textCodeBlock-background: #f2f2f2;
  --vscode-textBlockQuote-background: #f8f8f8; --vscode-editorInfo-foreground: #1a85ff;
  --vscode-progressBar-background: #005fb8; --vscode-editorWidget-background: #f8f8f8;
  --vscode-editor-findMatchHighlightBackground: rgba(234, 92, 0, 0.33); --vscode-editor-selectionBackground: #add6ff;
  --vscode-tab-activeForeground: #3b3b3b; --vscode-tab-inactiveForeground: #868686; --vscode-panelTitle-activeBorder: #005fb8;
  --vscode-icon-foreground: #3b3b3b; --vscode-toolbar-hoverBackground: rgba(184, 184, 184, 0.31);
  --vscode-editorIndentGuide-background1: #d3d3d3; --vscode-sash-hoverBorder: #005fb8;
  --vscode-scrollbarSlider-background: rgba(100, 100, 100, 0.4);
}
/* VS Code's default webview styles for scrollbars. */
::-webkit-scrollbar { width: 10px; height: 10px; }
::-webkit-scrollbar-corner { background-color: var(--vscode-editor-background); }
::-webkit-scrollbar-thumb { background-color: var(--vscode-scrollbarSlider-background); }
`;

/** The stand-in for acquireVsCodeApi: messages go to Node through an exposed binding; state stays in the page. */
const hostJs = `
(() => {
  let state = window.__sightlineInitialState;
  window.__sightlineState = () => state;
  window.acquireVsCodeApi = () => ({
    postMessage: (message) => window.sightlineHost(JSON.parse(JSON.stringify(message))),
    getState: () => state,
    setState: (next) => { state = next; },
  });
})();
`;

const contentTypes: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.map': 'application/json' };

export interface PageServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves the page, the host stub, the theme, media/ and dist/webviews/ from the repository. */
export async function startPageServer(): Promise<PageServer> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string | Buffer) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const theme = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
      return send(200, 'text/html; charset=utf-8', recipePage(origin(), theme, { title: 'Sightline Traces', panel: 'traces' }));
    }
    if (url.pathname === '/host.js') return send(200, 'text/javascript', hostJs);
    if (url.pathname === '/favicon.ico') return send(204, 'image/x-icon', '');
    if (url.pathname === '/theme.css') return send(200, 'text/css', themeCss);
    const file = normalize(join(repoRoot, decodeURIComponent(url.pathname)));
    const allowed = [join(repoRoot, 'media'), join(repoRoot, 'dist', 'webviews')].some((dir) => file.startsWith(dir + '/'));
    if (!allowed || !existsSync(file)) return send(404, 'text/plain', 'not found');
    return send(200, contentTypes[extname(file)] ?? 'application/octet-stream', readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin: origin(), close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Chromium as scripts/codeServer.mjs launches it for the UI tests. */
export async function chromiumOptions(): Promise<{ executablePath: string; args: string[] }> {
  const { CHROMIUM } = await import(pathToFileURL(join(repoRoot, 'scripts', 'codeServer.mjs')).href) as { CHROMIUM: { executablePath: string; args: string[] } };
  return CHROMIUM;
}

type Reply = TracesToWebview | undefined;

export interface OpenOptions {
  theme?: 'dark' | 'light';
  /** A webview state to start from, as VS Code gives it back to a page shown again. */
  state?: unknown;
  width?: number;
  height?: number;
  /** What sightline/traceSources answers, from the first request on. */
  sources?: FakeExtension['sources'];
}

/**
 * The extension's side for one page: records what the panel sends and answers its requests
 * from generated traces. `hold` keeps answers of a kind back until `release`; `fail` answers
 * the next request of a kind with an error.
 */
export class FakeExtension {
  readonly received: TracesFromWebview[] = [];
  readonly problems: string[] = [];
  dialogs = 0;
  /** Timelines served instead of building one from spans (e.g. a 100k-span trace). */
  readonly timelines = new Map<string, TraceTimeline>();
  private readonly builtTimelines = new Map<string, TraceTimeline>();
  private readonly held = new Map<TracesRequestKind, Reply[]>();
  private readonly failing = new Map<TracesRequestKind, string>();
  private readonly waiters: { predicate: (m: TracesFromWebview) => boolean; resolve: (m: TracesFromWebview) => void }[] = [];
  /** Latency SLOs for the service map, by service. */
  slo: Record<string, number> = {};
  /** The receivers as sightline/traceSources reports them. */
  sources: Omit<TraceSourcesStatus, 'spans' | 'traces'> = {
    otlp: { url: 'http://127.0.0.1:4318/v1/traces' },
    xrayDaemon: { address: '127.0.0.1:2000' },
    readOnly: false,
  };

  constructor(readonly page: Page, public traces: GeneratedTrace[], private readonly workspace: SpanWorkspace) {}

  /** Opens the page and waits until the panel said it is ready. */
  static async open(browser: Browser, server: PageServer, traces: GeneratedTrace[], options: OpenOptions = {}): Promise<FakeExtension> {
    const page = await browser.newPage({ viewport: { width: options.width ?? 1500, height: options.height ?? 900 } });
    const host = new FakeExtension(page, traces, await demoWorkspace());
    if (options.sources) host.sources = options.sources;
    page.on('pageerror', (error) => host.problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) host.problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('dialog', (dialog) => {
      host.dialogs++;
      void dialog.dismiss();
    });
    await page.exposeFunction('sightlineHost', (message: TracesFromWebview) => host.receive(message));
    if (options.state !== undefined) await page.addInitScript((state) => ((window as unknown as { __sightlineInitialState: unknown }).__sightlineInitialState = state), options.state);
    const ready = host.waitFor((m) => m.type === 'ready');
    await page.goto(`${server.origin}/?theme=${options.theme ?? 'dark'}`);
    await ready;
    await host.send({ type: 'server', server: { state: 'running', summary: '4 languages · 30 rules' } });
    return host;
  }

  /** Sends a message to the panel as the extension's webview.postMessage would. */
  async send(message: TracesToWebview): Promise<void> {
    // As JSON, which is how VS Code carries webview messages (and far faster than Playwright's
    // own serialisation of a 100k-span timeline's arrays).
    await this.page.evaluate((json) => window.postMessage(JSON.parse(json), '*'), JSON.stringify(message));
  }

  /** The next message (from now, or already received after index `since`) that matches. */
  waitFor<T extends TracesFromWebview>(predicate: (m: TracesFromWebview) => m is T, since?: number, timeoutMs?: number): Promise<T>;
  waitFor(predicate: (m: TracesFromWebview) => boolean, since?: number, timeoutMs?: number): Promise<TracesFromWebview>;
  waitFor(predicate: (m: TracesFromWebview) => boolean, since = this.received.length, timeoutMs = 10_000): Promise<TracesFromWebview> {
    const already = this.received.slice(since).find(predicate);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message from the panel in ${timeoutMs} ms; got ${JSON.stringify(this.received.slice(since).map((m) => m.type))}`)), timeoutMs);
      this.waiters.push({ predicate, resolve: (m) => { clearTimeout(timer); resolve(m); } });
    });
  }

  /** Requests of a kind received so far. */
  requests<K extends TracesFromWebview['type']>(type: K): Extract<TracesFromWebview, { type: K }>[] {
    return this.received.filter((m): m is Extract<TracesFromWebview, { type: K }> => m.type === type);
  }

  hold(kind: TracesRequestKind): void {
    this.held.set(kind, this.held.get(kind) ?? []);
  }

  async release(kind: TracesRequestKind): Promise<void> {
    const replies = this.held.get(kind) ?? [];
    this.held.delete(kind);
    for (const reply of replies) if (reply) await this.send(reply);
  }

  fail(kind: TracesRequestKind, message: string): void {
    this.failing.set(kind, message);
  }

  timelineFor(traceId: string): TraceTimeline | null {
    const given = this.timelines.get(traceId);
    if (given) return given;
    const trace = this.traces.find((t) => t.summary.traceId === traceId);
    if (!trace) return null;
    if (!this.builtTimelines.has(traceId)) this.builtTimelines.set(traceId, timelineOf(trace.spans));
    return this.builtTimelines.get(traceId)!;
  }

  private async receive(message: TracesFromWebview): Promise<void> {
    this.received.push(message);
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(message)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
    if (!('id' in message)) return;
    const failure = this.failing.get(message.type);
    const reply: Reply = failure !== undefined
      ? { type: 'error', id: message.id, request: message.type, message: failure }
      : this.answer(message);
    this.failing.delete(message.type);
    const held = this.held.get(message.type);
    if (held) held.push(reply);
    else if (reply) await this.send(reply);
  }

  private answer(message: TracesFromWebview): Reply {
    const byId = (traceId: string) => this.traces.find((t) => t.summary.traceId === traceId);
    switch (message.type) {
      case 'query':
        return { type: 'traces', id: message.id, traces: filterTraces(this.traces, message.query) };
      case 'openTrace':
        return { type: 'timeline', id: message.id, traceId: message.traceId, timeline: this.timelineFor(message.traceId) };
      case 'selectSpan': {
        const span = byId(message.traceId)?.spans.find((s) => s.spanId === message.spanId);
        return { type: 'span', id: message.id, traceId: message.traceId, spanId: message.spanId, span: span ? spanDetail(span, this.workspace) : null };
      }
      case 'serviceMap': {
        const matching = new Set(filterTraces(this.traces, { ...message.query, limit: Infinity }).map((t) => t.traceId));
        return { type: 'serviceMap', id: message.id, map: serviceMapOf(this.traces.filter((t) => matching.has(t.summary.traceId)), this.slo) };
      }
      case 'compare': {
        const left = byId(message.left);
        const right = byId(message.right);
        return { type: 'comparison', id: message.id, comparison: left && right ? comparisonOf(left, right) : null };
      }
      case 'sources':
        return {
          type: 'sources',
          id: message.id,
          sources: { ...this.sources, spans: this.traces.reduce((n, t) => n + t.spans.length, 0), traces: this.traces.length },
        };
      default:
        return undefined;
    }
  }
}
