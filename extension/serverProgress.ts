// Long server requests as a cancellable progress notification: the server reports over $/progress
// with a token we make up, and cancelling the notification cancels the request.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import type { Ctx } from './ctx';

export async function withServerProgress<T>(
  ctx: Ctx,
  title: string,
  run: (client: LanguageClient, workDoneToken: string, token: vscode.CancellationToken) => Promise<T>,
): Promise<T> {
  const client = await ctx.readyClient();
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const workDoneToken = randomUUID();
    let reported = 0;
    const subscription = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
      if (value.kind === 'end') return;
      const percentage = value.percentage ?? reported;
      progress.report({ message: value.message, increment: Math.max(0, percentage - reported) });
      reported = Math.max(reported, percentage);
    });
    try {
      return await run(client, workDoneToken, token);
    } finally {
      subscription.dispose();
    }
  });
}
