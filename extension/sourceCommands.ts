// Commands that pull from remote backends: the X-Ray API and Jaeger for traces, CloudTrail
// LookupEvents and Athena for audit events. Answers are remembered per workspace.
import * as vscode from 'vscode';
import { pullCloudTrailRequest, pullJaegerRequest, pullXRayRequest, queryAthenaRequest, type PullResult } from '../server/protocol';
import type { Ctx } from './ctx';
import { withServerProgress } from './serverProgress';
import { TracesPanel } from './webviews/tracesPanel';

/** Asks for each field in turn, offering the last answers; undefined if the user escapes. */
async function ask(ctx: Ctx, key: string, fields: { name: string; prompt: string; value?: string; optional?: boolean; validate?: (v: string) => string | undefined }[]): Promise<Record<string, string> | undefined> {
  const remembered = ctx.extension.workspaceState.get<Record<string, string>>(`sightline.${key}`, {});
  const answers: Record<string, string> = {};
  for (const [i, field] of fields.entries()) {
    const value = await vscode.window.showInputBox({
      title: `${field.prompt} (${i + 1}/${fields.length})`,
      value: remembered[field.name] ?? field.value ?? '',
      prompt: field.optional ? 'Optional: leave empty to skip.' : undefined,
      ignoreFocusOut: true,
      validateInput: (v) => (!field.optional && v.trim() === '' ? 'Required.' : field.validate?.(v.trim())),
    });
    if (value === undefined) return undefined;
    answers[field.name] = value.trim();
  }
  await ctx.extension.workspaceState.update(`sightline.${key}`, answers);
  return answers;
}

const number = (v: string) => (/^\d+(\.\d+)?$/.test(v) && Number(v) > 0 ? undefined : 'A positive number.');
const awsFields = [
  { name: 'region', prompt: 'AWS Region', value: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1' },
  { name: 'profile', prompt: 'AWS profile (from ~/.aws/config)', optional: true },
  { name: 'endpoint', prompt: 'Endpoint URL, for a VPC endpoint or a local emulator', optional: true },
];
const optional = (v: string | undefined) => (v ? v : undefined);

function summarise(ctx: Ctx, what: string, result: PullResult, show: () => void): void {
  for (const problem of result.problems) ctx.output.warn(problem);
  const problems = result.problems.length ? ` ${result.problems.length} problems (see the Sightline output).` : '';
  void vscode.window.showInformationMessage(`Sightline: read ${result.read} ${what}, ${result.inserted} new.${problems}`, 'Show').then((choice) => choice && show());
}

export async function connectXRay(ctx: Ctx): Promise<void> {
  const a = await ask(ctx, 'xray', [...awsFields, { name: 'filter', prompt: 'X-Ray filter expression, e.g. service("orders") AND fault', optional: true }, { name: 'minutes', prompt: 'How many minutes back', value: '60', validate: number }]);
  if (!a) return;
  const result = await withServerProgress(ctx, 'Sightline: reading traces from X-Ray', (client, workDoneToken, token) =>
    client.sendRequest(pullXRayRequest, { region: a.region, profile: optional(a.profile), endpoint: optional(a.endpoint), filterExpression: optional(a.filter), lookbackMinutes: Number(a.minutes), workDoneToken }, token),
  );
  summarise(ctx, 'traces', result, () => TracesPanel.show(ctx));
}

export async function connectJaeger(ctx: Ctx): Promise<void> {
  const a = await ask(ctx, 'jaeger', [
    { name: 'url', prompt: 'Jaeger query URL', value: 'http://localhost:16686', validate: (v) => (/^https?:\/\//.test(v) ? undefined : 'An http:// or https:// URL.') },
    { name: 'service', prompt: 'Service (all services if empty)', optional: true },
    { name: 'minutes', prompt: 'How many minutes back', value: '60', validate: number },
    { name: 'limit', prompt: 'Traces per service at most', value: '100', validate: number },
  ]);
  if (!a) return;
  const result = await withServerProgress(ctx, 'Sightline: reading traces from Jaeger', (client, workDoneToken, token) =>
    client.sendRequest(pullJaegerRequest, { baseUrl: a.url, service: optional(a.service), lookbackMinutes: Number(a.minutes), limit: Number(a.limit), workDoneToken }, token),
  );
  summarise(ctx, 'traces', result, () => TracesPanel.show(ctx));
}

export async function connectCloudTrail(ctx: Ctx): Promise<void> {
  const a = await ask(ctx, 'cloudtrail', [...awsFields, { name: 'minutes', prompt: 'How many minutes back (LookupEvents keeps 90 days; it allows 2 requests a second)', value: '1440', validate: number }]);
  if (!a) return;
  const result = await withServerProgress(ctx, 'Sightline: reading CloudTrail events', (client, workDoneToken, token) =>
    client.sendRequest(pullCloudTrailRequest, { region: a.region, profile: optional(a.profile), endpoint: optional(a.endpoint), lookbackMinutes: Number(a.minutes), workDoneToken }, token),
  );
  summarise(ctx, 'events', result, () => void vscode.commands.executeCommand('sightline.auditView.focus'));
}

export async function queryAthena(ctx: Ctx): Promise<void> {
  const a = await ask(ctx, 'athena', [
    ...awsFields,
    { name: 'database', prompt: 'Athena database', value: 'default' },
    { name: 'table', prompt: 'CloudTrail table', value: 'cloudtrail_logs' },
    { name: 'workgroup', prompt: 'Workgroup', value: 'primary', optional: true },
    { name: 'output', prompt: 'Query result location (s3://…), unless the workgroup sets one', optional: true },
    { name: 'days', prompt: 'How many days back', value: '30', validate: number },
    { name: 'eventName', prompt: 'Only this event name', optional: true },
    { name: 'resource', prompt: 'Only events touching this resource name or ARN', optional: true },
  ]);
  if (!a) return;
  const result = await withServerProgress(ctx, 'Sightline: querying CloudTrail logs with Athena', (client, workDoneToken, token) =>
    client.sendRequest(queryAthenaRequest, {
      region: a.region, profile: optional(a.profile), endpoint: optional(a.endpoint), database: a.database, table: a.table, workgroup: optional(a.workgroup),
      outputLocation: optional(a.output), sinceDays: Number(a.days), eventName: optional(a.eventName), resource: optional(a.resource), workDoneToken,
    }, token),
  );
  summarise(ctx, 'events', result, () => void vscode.commands.executeCommand('sightline.auditView.focus'));
}
