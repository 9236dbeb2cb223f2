// Drives the built language server process over stdio, as an editor would, for the server tests
// and the latency benchmark. Every wait is on a message from the server, with a timeout.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { serverStatusNotification, type ServerStatusParams } from '../../server/protocol';
import { distDir } from './paths';

type Waiter = { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void };

export class LspClient {
  private readonly waiters = new Set<Waiter>();
  readonly logs: string[] = [];
  readonly messages: string[] = [];
  private readonly versions = new Map<string, number>();
  private status: ServerStatusParams | undefined;
  private statusWaiters: ((s: ServerStatusParams) => void)[] = [];

  /** What the server gets when it pulls the `sightline` section; change it, then call settingsChanged(). */
  settings: unknown = {};
  readonly progress: unknown[] = [];

  private constructor(readonly process: ChildProcess, readonly connection: ProtocolConnection) {}

  static async start(options: { settings?: unknown; rootPath?: string; workspaceTrusted?: boolean; storagePath?: string; nodeArgs?: string[] } = {}): Promise<LspClient> {
    // nodeArgs go to the server's node, e.g. --cpu-prof to profile it from a benchmark.
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(distDir, 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection);
    child.stderr!.on('data', (chunk: Buffer) => client.logs.push(chunk.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      for (const waiter of [...client.waiters]) {
        if (waiter.uri === params.uri && waiter.accept(params)) {
          client.waiters.delete(waiter);
          waiter.resolve(params);
        }
      }
    });
    connection.onNotification(serverStatusNotification.method, (params: ServerStatusParams) => {
      client.status = params;
      for (const resolve of client.statusWaiters.splice(0)) resolve(params);
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => void client.logs.push(params.message));
    connection.onNotification('window/showMessage', (params: { message: string }) => void client.messages.push(params.message));
    // Receivers bind real ports: off unless a test asks for them (with port 0 for a free one).
    const quiet = { traces: { otlp: { enabled: false }, xrayDaemon: { enabled: false } } };
    const given = (options.settings ?? {}) as { traces?: object };
    client.settings = { ...quiet, ...given, traces: { ...quiet.traces, ...given.traces } };
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => client.settings));
    connection.onNotification('$/progress', (params: unknown) => void client.progress.push(params));
    connection.onRequest('client/registerCapability', () => null);
    connection.listen();
    const rootUri = options.rootPath ? pathToFileURL(options.rootPath).href : null;
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      initializationOptions: { workspaceTrusted: options.workspaceTrusted ?? true, storagePath: options.storagePath ?? mkdtempSync(join(tmpdir(), 'sightline-lsp-store-')) },
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'root' }] : null,
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    await client.ready();
    return client;
  }

  /** Resolves with the server's status once it has loaded its grammars. */
  ready(timeoutMs = 10_000): Promise<ServerStatusParams> {
    if (this.status) return Promise.resolve(this.status);
    return withTimeout(new Promise((resolve) => this.statusWaiters.push(resolve)), timeoutMs, 'the server status notification');
  }

  /** Registers interest in the next diagnostics for `uri` that satisfy `accept`, before the action that causes them. */
  nextDiagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const promise = new Promise<PublishDiagnosticsParams>((resolve) => this.waiters.add({ uri, accept, resolve }));
    return withTimeout(promise, timeoutMs, `diagnostics for ${uri}`).then((p) => p.diagnostics);
  }

  /** Opens a document and returns the first diagnostics published for it. */
  async open(uri: string, languageId: string, text: string): Promise<Diagnostic[]> {
    this.versions.set(uri, 1);
    const diagnostics = this.nextDiagnostics(uri, (p) => p.version === 1 || p.version === undefined);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return diagnostics;
  }

  /** Sends one didChange and returns the diagnostics published for exactly that version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const diagnostics = this.nextDiagnostics(uri, (p) => p.version === version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return diagnostics;
  }

  /** Tells the server the settings changed; it pulls them again and re-reviews open documents. */
  async settingsChanged(): Promise<void> {
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  async close(uri: string): Promise<Diagnostic[]> {
    const diagnostics = this.nextDiagnostics(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    return diagnostics;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    try {
      await withTimeout(this.connection.sendRequest(ShutdownRequest.type), 5_000, 'shutdown');
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      this.process.kill('SIGKILL');
    }
    await exited;
    this.connection.dispose();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
