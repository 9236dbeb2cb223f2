// The Audit view's built bundle (dist/webviews/audit.js) in headless Chromium, outside VS Code. It
// reuses the trace panel's page server (test/support/tracesPage.ts: media/, dist/webviews/, a VS
// Code theme's variables and the acquireVsCodeApi stand-in) and serves its own page, made like the
// webview recipe's (the same CSP with a fresh nonce), at /audit.html. A fake extension answers the
// view with an AuditForDocument built from generated CloudTrail records, converted the way the
// server converts them (server/audit/model.ts, auditViews.ts).
import type { Browser, Page } from 'playwright-core';
import type { AuditFromWebview, AuditToWebview, DocumentState } from '../../media/audit/messages';
import type { AuditSourceCommand } from '../../media/shared/messages';
import { toView } from '../../server/audit/auditViews';
import { convertRecord } from '../../server/audit/model';
import type { AuditEventView, AuditForDocument, AuditGroup } from '../../server/protocol';
import { CloudTrailGenerator } from './cloudTrailGenerator';
import { recipePage, type PageServer } from './tracesPage';

export { chromiumOptions, repoRoot, startPageServer, type PageServer } from './tracesPage';

export const documentUri = 'file:///workspace/orders/archive_orders.py';
export const documentName = 'orders/archive_orders.py';

// ---- Data ----

type Json = Record<string, unknown>;

function viewOf(record: Json): AuditEventView {
  const converted = convertRecord(record);
  if (!converted.event) throw new Error(`the generator made a record the server would skip: ${converted.problem}`);
  return toView(converted.event);
}

const isoSeconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** A record with attacker-chosen strings everywhere the view shows one. */
export const hostile = {
  html: '<img src=x onerror=alert(1)>',
  script: '<script>alert(2)</script>',
  javascriptUrl: 'javascript:alert(document.domain)',
  /** "mallory" then RIGHT-TO-LEFT OVERRIDE, so "gpj.exe" would read "exe.jpg". */
  rtl: 'mallory\u202Egpj.exe',
};

export function hostileRecord(template: Json, time: number): Json {
  const identity = template.userIdentity as Json;
  return {
    ...template,
    eventID: 'e0000000-0000-4000-8000-00000000bad1',
    eventTime: isoSeconds(time),
    eventName: 'PutObject',
    readOnly: false,
    userIdentity: { ...identity, type: 'IAMUser', userName: hostile.rtl, arn: `arn:aws:iam::111122223333:user/${hostile.rtl}` },
    sourceIPAddress: hostile.javascriptUrl,
    userAgent: hostile.html,
    requestParameters: { bucketName: 'orders-archive', key: `${hostile.html}.txt`, Host: hostile.script },
    resources: undefined,
    errorCode: hostile.script,
    errorMessage: `${hostile.javascriptUrl} ${hostile.html} [click](command:workbench.action.quit)`,
  };
}

export interface AuditFixture {
  document: AuditForDocument;
  /** The event with hostile strings, in the first group. */
  hostileEvent: AuditEventView;
}

/**
 * What the server would answer for a Python file that archives orders to S3: groups for two
 * buckets, a table, three API calls and a queue with no events, in an order that is not newest
 * first (the view orders them). Events are generated over the three days before `nowMs`, plus a
 * burst of AccessDenied on DeleteObject in the last hours and one event with hostile strings.
 */
export function generateAuditDocument(nowMs: number, seed = 7): AuditFixture {
  const generator = new CloudTrailGenerator(seed);
  const records = generator.records(2500, { account: '111122223333', region: 'eu-west-1', start: nowMs - 3 * 86_400_000, end: nowMs - 20 * 60_000 });
  const deleteTemplate = records.find((r) => r.eventName === 'DeleteObject' && (r.userIdentity as Json).type === 'AssumedRole')!;
  // A role that keeps failing to delete: what the view must make stand out.
  for (let i = 0; i < 6; i++) {
    records.push({
      ...deleteTemplate,
      eventID: `d0000000-0000-4000-8000-00000000000${i}`,
      eventTime: isoSeconds(nowMs - (40 + i * 23) * 60_000),
      errorCode: 'AccessDenied',
      errorMessage: 'User: arn:aws:sts::111122223333:assumed-role/ci-runner/build-4711 is not authorized to perform: s3:DeleteObject on resource: "arn:aws:s3:::orders-archive/2026/01/05/orders-000123.json" because no identity-based policy allows the s3:DeleteObject action',
      requestParameters: { bucketName: 'orders-archive', key: '2026/01/05/orders-000123.json', Host: 'orders-archive.s3.eu-west-1.amazonaws.com' },
      resources: undefined,
      responseElements: null,
      userIdentity: {
        ...(deleteTemplate.userIdentity as Json),
        arn: 'arn:aws:sts::111122223333:assumed-role/ci-runner/build-4711',
        sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/ci-runner', userName: 'ci-runner' } },
      },
      sourceIPAddress: '192.0.2.44',
      userAgent: 'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#standard Botocore/1.34.69',
    });
  }
  const putTemplate = records.find((r) => r.eventName === 'PutObject')!;
  const hostileEvent = viewOf(hostileRecord(putTemplate, nowMs - 5 * 60_000));
  const events = [...records.map(viewOf)].sort((a, b) => b.time - a.time);

  const dayAgo = nowMs - 86_400_000;
  const group = (title: string, kind: AuditGroup['kind'], lines: number[], matches: (e: AuditEventView) => boolean = () => false, extra: AuditEventView[] = []): AuditGroup => {
    const mine = [...extra, ...events.filter(matches)].sort((a, b) => b.time - a.time).slice(0, 50);
    const failed = [...extra, ...events.filter(matches)].filter((e) => e.errorCode && e.time >= dayAgo);
    const codes = new Map<string, number>();
    for (const e of failed) codes.set(e.errorCode!, (codes.get(e.errorCode!) ?? 0) + 1);
    return { title, kind, lines, events: mine, failures: failed.length, failureCodes: [...codes].map(([code, count]) => ({ code, count })) };
  };
  const touches = (name: string) => (e: AuditEventView) => e.resources.some((r) => r.name === name);
  const call = (source: string, name: string) => (e: AuditEventView) => e.eventSource === source && e.eventName === name;
  // Deliberately not newest first: the view orders groups by their newest event.
  const groups: AuditGroup[] = [
    group('arn:aws:sqs:eu-west-1:111122223333:orders-dlq', 'resource', [61]),
    group('FeatureFlags', 'resource', [18, 74], touches('FeatureFlags')),
    group('dynamodb:PutItem', 'call', [52], call('dynamodb.amazonaws.com', 'PutItem')),
    group('s3:DeleteObject', 'call', [44, 97], call('s3.amazonaws.com', 'DeleteObject')),
    group('orders-archive', 'resource', [11, 29, 44], touches('orders-archive'), [hostileEvent]),
    group('s3:PutObject', 'call', [31], call('s3.amazonaws.com', 'PutObject')),
  ];
  return { document: { uri: documentUri, groups, storedEvents: events.length + 1 }, hostileEvent };
}

// ---- The page ----

export interface AuditOpenOptions {
  theme?: 'dark' | 'light';
  width?: number;
  height?: number;
  /** A webview state to start from, as VS Code gives it back to a page shown again. */
  state?: unknown;
  /** What the extension sends once the page is ready (default: the generated document). */
  document?: DocumentState;
  sources?: AuditSourceCommand[];
}

/** The extension's side of one Audit view page: records what the page sends, answers 'ready'. */
export class FakeAuditExtension {
  readonly received: AuditFromWebview[] = [];
  readonly problems: string[] = [];
  dialogs = 0;
  private readonly waiters: { predicate: (m: AuditFromWebview) => boolean; resolve: (m: AuditFromWebview) => void }[] = [];

  private constructor(readonly page: Page, public document: DocumentState, public sources: AuditSourceCommand[]) {}

  /** Opens the page, waits for 'ready', and answers it as the extension does: server, sources, document. */
  static async open(browser: Browser, server: PageServer, fixture: AuditFixture, options: AuditOpenOptions = {}): Promise<FakeAuditExtension> {
    const page = await browser.newPage({ viewport: { width: options.width ?? 1400, height: options.height ?? 520 } });
    const document: DocumentState = options.document ?? { kind: 'ready', uri: documentUri, fileName: documentName, audit: fixture.document };
    // Well inside a test's time limit, so a wait that fails says which one.
    page.setDefaultTimeout(5000);
    const host = new FakeAuditExtension(page, document, options.sources ?? ['sightline.importAudit']);
    page.on('pageerror', (error) => host.problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) host.problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('dialog', (dialog) => {
      host.dialogs++;
      void dialog.dismiss();
    });
    await page.exposeFunction('sightlineHost', (message: AuditFromWebview) => host.receive(message));
    if (options.state !== undefined) await page.addInitScript((state) => ((window as unknown as { __sightlineInitialState: unknown }).__sightlineInitialState = state), options.state);
    await page.route(`${server.origin}/audit.html*`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: recipePage(server.origin, options.theme ?? 'dark', { title: 'Sightline Audit', panel: 'audit' }) }));
    const ready = host.waitFor((m) => m.type === 'ready');
    await page.goto(`${server.origin}/audit.html`);
    await ready;
    await host.send({ type: 'server', server: { state: 'running', summary: '4 languages · 30 rules' } });
    await host.send({ type: 'sources', available: host.sources });
    await host.send({ type: 'document', document: host.document });
    return host;
  }

  /** Sends a message to the page as webview.postMessage would (as JSON, like VS Code). */
  async send(message: AuditToWebview): Promise<void> {
    await this.page.evaluate((json) => window.postMessage(JSON.parse(json), '*'), JSON.stringify(message));
  }

  /** The next message (from now, or already received after index `since`) that matches. */
  waitFor(predicate: (m: AuditFromWebview) => boolean, since = this.received.length, timeoutMs = 10_000): Promise<AuditFromWebview> {
    const already = this.received.slice(since).find(predicate);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message from the view in ${timeoutMs} ms; got ${JSON.stringify(this.received.slice(since).map((m) => m.type))}`)), timeoutMs);
      this.waiters.push({ predicate, resolve: (m) => { clearTimeout(timer); resolve(m); } });
    });
  }

  /** The webview state the page saved last. */
  savedState(): Promise<unknown> {
    return this.page.evaluate(() => (window as unknown as { __sightlineState(): unknown }).__sightlineState());
  }

  private receive(message: AuditFromWebview): void {
    this.received.push(message);
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(message)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  }
}
