// The extension's context object: it owns the language client, the output channel, the language
// status item and every disposable, and knows how to start, stop and restart the server.
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { auditChangedNotification, serverStatusNotification, tracesChangedNotification, type ServerStatusParams } from '../server/protocol';
import { reviewedExtensions, serverDocuments } from './documentSelector';
import { ServerStatusItem } from './statusItem';

export type ServerState = 'starting' | 'running' | 'stopped' | 'crashed';

/** How many crashes within `crashWindowMs` the client restarts from before it gives up. */
const maxRestarts = 4;
const crashWindowMs = 3 * 60 * 1000;

export class Ctx implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel('Sightline', { log: true });
  private readonly status = new ServerStatusItem();
  private readonly disposables: vscode.Disposable[] = [];
  private client: LanguageClient | undefined;
  private state: ServerState = 'stopped';
  private lastStatus: ServerStatusParams | undefined;
  private crashTimes: number[] = [];
  /** Set when the server failed to start or crashed too often to be restarted. */
  private gaveUp = false;
  private readonly stateChanged = new vscode.EventEmitter<ServerState>();
  readonly onDidChangeServerState = this.stateChanged.event;
  // The language client keeps one handler per notification: the context owns them and fans out.
  private readonly tracesChanged = new vscode.EventEmitter<{ spans: number; traces: number }>();
  readonly onTracesChanged = this.tracesChanged.event;
  private readonly auditChanged = new vscode.EventEmitter<{ events: number }>();
  readonly onAuditChanged = this.auditChanged.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.disposables.push(this.output, this.status, this.stateChanged, this.tracesChanged, this.auditChanged);
  }

  get serverState(): ServerState {
    return this.state;
  }

  /** The server's own one-line summary, once it has sent one. */
  get serverSummary(): string | undefined {
    return this.lastStatus?.problem ?? this.lastStatus?.summary;
  }

  /** Resolves once the server has loaded its grammars; rejects if it stops for good. */
  whenServerReady(): Promise<void> {
    if (this.state === 'running' && this.lastStatus) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const listener = this.onDidChangeServerState((state) => {
        if (state === 'running' && this.lastStatus) {
          listener.dispose();
          resolve();
        } else if (this.gaveUp) {
          listener.dispose();
          reject(new Error('The Sightline server stopped and will not be restarted; see the Sightline output.'));
        }
      });
    });
  }

  async start(): Promise<void> {
    if (this.client) return;
    await vscode.workspace.fs.createDirectory(this.extension.globalStorageUri);
    const module = this.extension.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: serverDocuments,
      outputChannel: this.output,
      initializationOptions: {
        settings: vscode.workspace.getConfiguration().get('sightline'),
        workspaceTrusted: vscode.workspace.isTrusted,
        storagePath: this.extension.globalStorageUri.fsPath,
      },
      // Hovers link to traces; only our own command may run from them.
      markdown: { isTrusted: { enabledCommands: ['sightline.openTrace', 'sightline.showTracesForFunction'] } },
      synchronize: {
        // Files changed on disk keep a workspace review current; .sightline.json changes the rules.
        fileEvents: [
          vscode.workspace.createFileSystemWatcher(`**/*.{${reviewedExtensions.join(',')}}`),
          vscode.workspace.createFileSystemWatcher('**/.sightline.json'),
        ],
      },
      errorHandler: {
        error: (): ErrorHandlerResult => ({ action: ErrorAction.Continue }),
        closed: (): CloseHandlerResult => this.onServerClosed(),
      },
    };
    const client = new LanguageClient('sightline', 'Sightline', serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((event) => {
      if (event.newState === State.Starting) this.setState('starting');
      else if (event.newState === State.Running) this.setState('running');
      else if (this.state !== 'crashed') this.setState('stopped');
    });
    client.onNotification(tracesChangedNotification, (change) => this.tracesChanged.fire(change));
    client.onNotification(auditChangedNotification, (change) => this.auditChanged.fire(change));
    client.onNotification(serverStatusNotification, (status) => {
      this.lastStatus = status;
      if (status.problem) this.output.error(status.problem);
      this.setState(this.state);
    });
    this.setState('starting');
    try {
      await client.start();
    } catch (error) {
      this.output.error(`The Sightline server did not start: ${String(error)}`);
      this.gaveUp = true;
      this.setState('crashed');
    }
  }

  /** The running client, after the server is ready; throws if it cannot start. */
  async readyClient(): Promise<LanguageClient> {
    if (!this.client) await this.start();
    await this.whenServerReady();
    return this.client!;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.lastStatus = undefined;
    if (client?.needsStop()) await client.stop();
    this.setState('stopped');
  }

  async restart(): Promise<void> {
    this.output.info('Restarting the Sightline server.');
    this.crashTimes = [];
    this.gaveUp = false;
    await this.stop();
    await this.start();
  }

  /** The client's close handler: count the crash, restart unless it keeps crashing. */
  private onServerClosed(): CloseHandlerResult {
    const now = Date.now();
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < crashWindowMs), now];
    this.lastStatus = undefined;
    this.gaveUp = this.crashTimes.length > maxRestarts;
    this.setState('crashed');
    if (!this.gaveUp) {
      this.output.warn(`The Sightline server stopped unexpectedly; restarting (${this.crashTimes.length} of ${maxRestarts}).`);
      return { action: CloseAction.Restart, handled: true };
    }
    void vscode.window
      .showErrorMessage(`The Sightline server crashed ${this.crashTimes.length} times in 3 minutes and will not be restarted.`, 'Restart server', 'Show output')
      .then((choice) => {
        if (choice === 'Restart server') void this.restart();
        if (choice === 'Show output') this.output.show();
      });
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  private setState(state: ServerState): void {
    this.state = state;
    this.status.show(state, this.lastStatus);
    this.stateChanged.fire(state);
  }

  register(...disposables: vscode.Disposable[]): void {
    this.disposables.push(...disposables);
  }

  dispose(): void {
    void this.stop();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
