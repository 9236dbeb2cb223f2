// Every command as a factory from the context to its handler, registered from this one table.
import * as vscode from 'vscode';
import { commandIds, type CommandId } from './commandIds';
import type { Ctx } from './ctx';
import { disableRule, reviewWorkspace, showRules } from './reviewCommands';
import { TracesPanel } from './webviews/tracesPanel';

type CommandFactory = (ctx: Ctx) => (...args: unknown[]) => unknown;

const commands: Record<CommandId, CommandFactory> = {
  [commandIds.showTraces]: (ctx) => () => TracesPanel.show(ctx),
  [commandIds.restartServer]: (ctx) => () => ctx.restart(),
  [commandIds.showOutput]: (ctx) => () => ctx.output.show(),
  [commandIds.reviewWorkspace]: (ctx) => () => reviewWorkspace(ctx),
  [commandIds.showRules]: (ctx) => () => showRules(ctx),
  [commandIds.disableRule]: () => (ruleId) => disableRule(ruleId),
};

export function registerCommands(ctx: Ctx): void {
  for (const [id, factory] of Object.entries(commands)) {
    ctx.register(vscode.commands.registerCommand(id, factory(ctx)));
  }
}
