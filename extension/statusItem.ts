// The language status item: the server's state at a glance, with the action that state calls for.
import * as vscode from 'vscode';
import type { ServerStatusParams } from '../server/protocol';
import type { ServerState } from './ctx';
import { commandIds } from './commandIds';
import { reviewedDocuments } from './documentSelector';

export class ServerStatusItem implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem('sightline.server', reviewedDocuments);

  constructor() {
    this.item.name = 'Sightline';
  }

  show(state: ServerState, status: ServerStatusParams | undefined): void {
    const item = this.item;
    item.busy = state === 'starting';
    switch (state) {
      case 'starting':
        item.text = 'Sightline: starting';
        item.severity = vscode.LanguageStatusSeverity.Information;
        item.detail = undefined;
        item.command = { title: 'Show output', command: commandIds.showOutput };
        break;
      case 'running':
        item.text = status?.health === 'degraded' ? 'Sightline: degraded' : 'Sightline: running';
        item.severity = status?.health === 'degraded' ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
        item.detail = status?.problem ?? status?.summary;
        item.command = { title: 'Show output', command: commandIds.showOutput };
        break;
      case 'crashed':
        item.text = 'Sightline: crashed';
        item.severity = vscode.LanguageStatusSeverity.Error;
        item.detail = 'See the Sightline output for the server log';
        item.command = { title: 'Restart server', command: commandIds.restartServer };
        break;
      case 'stopped':
        item.text = 'Sightline: stopped';
        item.severity = vscode.LanguageStatusSeverity.Warning;
        item.detail = undefined;
        item.command = { title: 'Restart server', command: commandIds.restartServer };
        break;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
