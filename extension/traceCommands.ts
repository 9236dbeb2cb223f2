// Commands of the trace feature: import files, clear the store, open the traces of a function.
import * as vscode from 'vscode';
import { withServerProgress } from './serverProgress';
import { clearTracesRequest, importTracesRequest } from '../server/protocol';
import type { Ctx } from './ctx';
import { TracesPanel } from './webviews/tracesPanel';

export async function importTraces(ctx: Ctx, uris?: vscode.Uri[]): Promise<void> {
  const picked =
    uris ??
    (await vscode.window.showOpenDialog({
      title: 'Import traces: OTLP JSON or protobuf, collector file output, X-Ray, Jaeger or Zipkin JSON',
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: true,
      openLabel: 'Import',
    }));
  if (!picked?.length) return;
  const result = await withServerProgress(ctx, 'Sightline: importing traces', (client, workDoneToken, token) =>
    client.sendRequest(importTracesRequest, { paths: picked.map((u) => u.fsPath), workDoneToken }, token),
  );
  for (const problem of result.problems) ctx.output.warn(problem);
  const problems = result.problems.length > 0 ? ` ${result.problems.length} ${result.problems.length === 1 ? 'problem' : 'problems'} (see the Sightline output).` : '';
  const summary = `${result.cancelled ? 'Import cancelled after' : 'Imported'} ${result.inserted} new spans from ${result.files} ${result.files === 1 ? 'file' : 'files'}${result.duplicates ? ` (${result.duplicates} already stored)` : ''}.${problems}`;
  const actions = result.problems.length > 0 ? ['Show Traces', 'Show Output'] : ['Show Traces'];
  // The command is done when the spans are stored; the summary's buttons answer whenever clicked.
  void (result.problems.length > 0 && result.inserted === 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(`Sightline: ${summary}`, ...actions).then((choice) => {
    if (choice === 'Show Traces') TracesPanel.show(ctx);
    if (choice === 'Show Output') ctx.output.show();
  });
}

export async function clearTraces(ctx: Ctx): Promise<void> {
  const answer = await vscode.window.showWarningMessage('Delete every stored span? Traces already sent to other backends are not affected.', { modal: true }, 'Clear Traces');
  if (answer !== 'Clear Traces') return;
  const client = await ctx.readyClient();
  await client.sendRequest(clearTracesRequest);
  void vscode.window.showInformationMessage('Sightline: the trace store is empty.');
}

export function showTracesForFunction(ctx: Ctx, target: unknown): void {
  const fn = target as { file?: unknown; name?: unknown } | undefined;
  if (typeof fn?.file !== 'string' || typeof fn.name !== 'string') return TracesPanel.show(ctx);
  TracesPanel.show(ctx, { function: { file: fn.file, name: fn.name } });
}
