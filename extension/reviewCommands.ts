// Commands of the review feature: review the whole workspace, list the rules, turn a rule off.
import * as vscode from 'vscode';
import { withServerProgress } from './serverProgress';
import { listRulesRequest, reviewWorkspaceRequest } from '../server/protocol';
import type { Ctx } from './ctx';

export async function reviewWorkspace(ctx: Ctx): Promise<void> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage('Sightline: open a folder to review a workspace.');
    return;
  }
  const result = await withServerProgress(ctx, 'Sightline: reviewing the workspace', (client, workDoneToken, token) =>
    client.sendRequest(reviewWorkspaceRequest, { workDoneToken }, token),
  );
  const skipped = result.skipped.length > 0 ? ` ${result.skipped.length} skipped (see the Sightline output).` : '';
  for (const s of result.skipped) ctx.output.info(`Not reviewed: ${s.path}: ${s.reason}`);
  const summary = `${result.cancelled ? 'Review cancelled after' : 'Reviewed'} ${result.files} files: ${result.findings} ${result.findings === 1 ? 'finding' : 'findings'}.${skipped}`;
  void vscode.window.showInformationMessage(`Sightline: ${summary}`, 'Show Problems').then((choice) => {
    if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
}

export async function showRules(ctx: Ctx): Promise<void> {
  const client = await ctx.readyClient();
  const rules = await client.sendRequest(listRulesRequest);
  const picked = await vscode.window.showQuickPick(
    rules.map((rule) => ({
      label: rule.id,
      description: rule.title,
      detail: [rule.category, rule.severity, rule.cwe ? `CWE-${rule.cwe}` : undefined].filter(Boolean).join(' · '),
      rule,
    })),
    { title: 'Sightline review rules', matchOnDescription: true, matchOnDetail: true, placeHolder: 'Pick a rule to change its severity' },
  );
  if (!picked) return;
  const choice = await vscode.window.showQuickPick(['error', 'warning', 'info', 'hint', 'off', 'default'], { title: `Severity of ${picked.rule.id} in this workspace` });
  if (choice) await setRuleSetting(picked.rule.id, choice === 'default' ? undefined : choice);
}

export async function disableRule(ruleId: unknown): Promise<void> {
  if (typeof ruleId !== 'string') return;
  await setRuleSetting(ruleId, 'off');
  void vscode.window.showInformationMessage(`Sightline: ${ruleId} is off in this workspace (sightline.review.rules).`);
}

/** Writes one rule's severity into the workspace settings, keeping the others. */
async function setRuleSetting(ruleId: string, value: string | undefined): Promise<void> {
  const config = vscode.workspace.getConfiguration('sightline.review');
  const rules = { ...(config.inspect<Record<string, string>>('rules')?.workspaceValue ?? {}) };
  if (value === undefined) delete rules[ruleId];
  else rules[ruleId] = value;
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('rules', rules, target);
}
