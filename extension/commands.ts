// Every command as a factory from the context to its handler, registered from this one table.
import * as vscode from 'vscode';
import { importAudit, lookupAudit, whoChanged } from './auditCommands';
import { commandIds, type CommandId } from './commandIds';
import type { Ctx } from './ctx';
import { disableRule, reviewWorkspace, showRules } from './reviewCommands';
import { connectCloudTrail, connectJaeger, connectXRay, queryAthena } from './sourceCommands';
import { clearTraces, importTraces, showTracesForFunction } from './traceCommands';
import { TracesPanel } from './webviews/tracesPanel';

type CommandFactory = (ctx: Ctx) => (...args: unknown[]) => unknown;

const commands: Record<CommandId, CommandFactory> = {
  [commandIds.showTraces]: (ctx) => () => TracesPanel.show(ctx),
  [commandIds.restartServer]: (ctx) => () => ctx.restart(),
  [commandIds.showOutput]: (ctx) => () => ctx.output.show(),
  [commandIds.reviewWorkspace]: (ctx) => () => reviewWorkspace(ctx),
  [commandIds.showRules]: (ctx) => () => showRules(ctx),
  [commandIds.disableRule]: () => (ruleId) => disableRule(ruleId),
  [commandIds.importTraces]: (ctx) => (uri, uris) => importTraces(ctx, uriList(uri, uris)),
  [commandIds.clearTraces]: (ctx) => () => clearTraces(ctx),
  [commandIds.connectXRay]: (ctx) => () => connectXRay(ctx),
  [commandIds.connectJaeger]: (ctx) => () => connectJaeger(ctx),
  [commandIds.connectCloudTrail]: (ctx) => () => connectCloudTrail(ctx),
  [commandIds.queryAthena]: (ctx) => () => queryAthena(ctx),
  [commandIds.showTracesForFunction]: (ctx) => (target) => showTracesForFunction(ctx, target),
  [commandIds.openTrace]: (ctx) => (traceId) => (typeof traceId === 'string' ? TracesPanel.showTrace(ctx, traceId) : TracesPanel.show(ctx)),
  [commandIds.importAudit]: (ctx) => (uri, uris) => importAudit(ctx, uriList(uri, uris)),
  [commandIds.lookupAudit]: (ctx) => () => lookupAudit(ctx),
  [commandIds.whoChanged]: (ctx) => (resource) => whoChanged(ctx, resource),
};

export function registerCommands(ctx: Ctx): void {
  for (const [id, factory] of Object.entries(commands)) {
    ctx.register(vscode.commands.registerCommand(id, factory(ctx)));
  }
}

/** From the explorer's context menu a command gets the clicked file and the whole selection. */
function uriList(uri: unknown, uris: unknown): vscode.Uri[] | undefined {
  if (Array.isArray(uris) && uris.every((u) => u instanceof vscode.Uri)) return uris as vscode.Uri[];
  return uri instanceof vscode.Uri ? [uri] : undefined;
}
