// Commands of the audit feature: import CloudTrail log files, look events up by any combination of
// the LookupEvents attributes (a multi-step QuickPick), and "who changed this?" for the resource
// under the cursor. Results show in a QuickPick and in the Audit view; an event opens as its record.
import * as vscode from 'vscode';
import { withServerProgress } from './serverProgress';
import { visibleText } from '../media/shared/dataText';
import { relativeTime } from '../media/traces/format';
import { importAuditRequest, lookupAuditRequest, whoChangedRequest, type AuditEventView, type AuditLookupParams } from '../server/protocol';
import type { Ctx } from './ctx';
import { AuditViewProvider, openAuditRecord } from './webviews/auditView';

/** The most events a lookup asks for; the results say when there may be more. */
const lookupLimit = 500;
const showAuditView = () => vscode.commands.executeCommand(`${AuditViewProvider.viewType}.focus`);

// ---- Import ----

export async function importAudit(ctx: Ctx, uris?: vscode.Uri[]): Promise<void> {
  const picked =
    uris ??
    (await vscode.window.showOpenDialog({
      title: 'Import CloudTrail logs: .json and .json.gz files as delivered to S3, AWSLogs folders, lookup-events output',
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: true,
      openLabel: 'Import',
    }));
  if (!picked?.length) return;
  const paths = picked.map((u) => u.fsPath);
  try {
    const result = await withServerProgress(ctx, 'Sightline: importing CloudTrail logs', (client, workDoneToken, token) =>
      client.sendRequest(importAuditRequest, { paths, workDoneToken }, token),
    );
    for (const problem of result.problems) ctx.output.warn(problem);
    const count = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
    const problems = result.problems.length > 0 ? ` ${count(result.problems.length, 'problem', 'problems')} (see the Sightline output).` : '';
    const duplicates = result.duplicates ? ` (${count(result.duplicates, 'event was', 'events were')} already stored)` : '';
    const summary = `${result.cancelled ? 'Import cancelled after' : 'Imported'} ${count(result.inserted, 'new event', 'new events')} from ${count(result.files, 'file', 'files')}${duplicates}.${problems}`;
    ctx.output.info(`CloudTrail import of ${paths.join(', ')}: ${summary}`);
    const actions = result.problems.length > 0 ? ['Show Audit View', 'Show Output'] : ['Show Audit View'];
    const show = result.problems.length > 0 && result.inserted === 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    // The command is done when the events are stored; the summary's buttons answer whenever clicked.
    void show(`Sightline: ${summary}`, ...actions).then((choice) => {
      if (choice === 'Show Audit View') void showAuditView();
      if (choice === 'Show Output') ctx.output.show();
    });
  } catch (error) {
    ctx.output.error(`CloudTrail import of ${paths.join(', ')} failed: ${messageOf(error)}`);
    const choice = await vscode.window.showErrorMessage(`Sightline could not import the CloudTrail logs: ${messageOf(error)}`, 'Show Output');
    if (choice === 'Show Output') ctx.output.show();
  }
}

// ---- Look Up Audit Events… ----

/** What a step or the results QuickPick resolves to when its back button is pressed. */
const back = Symbol('back');
interface StepPosition {
  step: number;
  totalSteps: number;
}
/** Fills in part of the form; resolves to 'next' (true), back, or undefined when cancelled. */
type Step = (at: StepPosition) => Promise<true | typeof back | undefined>;
const lookupTitle = 'Sightline: Look Up Audit Events';

type Attribute = 'EventName' | 'EventSource' | 'Username' | 'ResourceName' | 'ResourceType' | 'AccessKeyId' | 'EventId' | 'ReadOnly';
type TimeRange = 'hour' | 'day' | 'week' | 'quarter' | 'any' | 'custom';

/** What the lookup steps ask, kept per workspace so the next lookup starts from the last one. */
interface LookupForm {
  attributes: Attribute[];
  values: Partial<Record<Attribute, string>>;
  range: TimeRange;
  /** "2026-05-01 .. 2026-05-03T12:00", when range is 'custom'. */
  custom: string;
  errorsOnly: boolean;
  management: boolean;
  data: boolean;
}

const formKey = 'sightline.audit.lookupForm';
const defaultForm: LookupForm = { attributes: [], values: {}, range: 'week', custom: '', errorsOnly: false, management: true, data: true };

interface AttributeInfo {
  key: Attribute;
  description: string;
  placeholder: string;
  /** Puts a typed value into the request. */
  apply(params: AuditLookupParams, value: string): void;
}

const attributeInfo: AttributeInfo[] = [
  { key: 'EventName', description: 'the API call', placeholder: 'DeleteBucket', apply: (p, v) => (p.eventName = v) },
  // "s3" is short for s3.amazonaws.com.
  { key: 'EventSource', description: 'the service', placeholder: 's3.amazonaws.com or s3', apply: (p, v) => (p.eventSource = v.includes('.') ? v : `${v}.amazonaws.com`) },
  { key: 'Username', description: 'user, role, role session or identity ARN', placeholder: 'alice, deploy-role or arn:aws:iam::111122223333:user/alice', apply: (p, v) => (p.user = v) },
  { key: 'ResourceName', description: 'resource name or ARN', placeholder: 'my-bucket or arn:aws:s3:::my-bucket', apply: (p, v) => (p.resource = v) },
  { key: 'ResourceType', description: 'CloudFormation resource type', placeholder: 'AWS::S3::Bucket', apply: (p, v) => (p.resourceType = v) },
  { key: 'AccessKeyId', description: 'the access key that signed the call', placeholder: 'AKIAIOSFODNN7EXAMPLE', apply: (p, v) => (p.accessKey = v) },
  { key: 'EventId', description: 'one event', placeholder: 'the eventID of the record', apply: (p, v) => (p.eventId = v) },
  { key: 'ReadOnly', description: 'reads or writes', placeholder: '', apply: (p, v) => (p.readOnly = v === 'true') },
];

const timeRanges: { range: TimeRange; label: string; description?: string; ms?: number }[] = [
  { range: 'hour', label: 'Last hour', ms: 3_600_000 },
  { range: 'day', label: 'Last 24 hours', ms: 86_400_000 },
  { range: 'week', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { range: 'quarter', label: 'Last 90 days', description: 'as far back as CloudTrail event history goes', ms: 90 * 86_400_000 },
  { range: 'any', label: 'Any time', description: 'every stored event' },
  { range: 'custom', label: 'Custom range…', description: 'from and to, in UTC unless a zone is given' },
];

export async function lookupAudit(ctx: Ctx): Promise<void> {
  const form: LookupForm = { ...defaultForm, ...ctx.extension.workspaceState.get<Partial<LookupForm>>(formKey) };
  const cursorResource = resourceAtCursor(vscode.window.activeTextEditor);
  const steps = (): Step[] => [
    (at) => attributesStep(form, at),
    ...form.attributes.map((attribute): Step => (at) => valueStep(form, attribute, at, attribute === 'ResourceName' ? cursorResource : undefined)),
    (at) => timeStep(form, at),
    ...(form.range === 'custom' ? [(at: StepPosition) => customRangeStep(form, at)] : []),
    (at) => optionsStep(form, at),
  ];
  let index = 0;
  for (;;) {
    const all = steps();
    if (index < all.length) {
      const outcome = await all[index]({ step: index + 1, totalSteps: all.length });
      if (outcome === undefined) return;
      index = outcome === back ? Math.max(0, index - 1) : index + 1;
      continue;
    }
    await ctx.extension.workspaceState.update(formKey, form);
    const outcome = await runLookup(ctx, form);
    if (outcome !== back) return;
    index = all.length - 1;
  }
}

async function runLookup(ctx: Ctx, form: LookupForm): Promise<typeof back | undefined> {
  const params = lookupParams(form, Date.now());
  const title = describeForm(form);
  let events: AuditEventView[];
  try {
    const client = await ctx.readyClient();
    events = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Sightline: looking up audit events' },
      () => client.sendRequest(lookupAuditRequest, params),
    );
  } catch (error) {
    void vscode.window.showErrorMessage(`Sightline could not look up audit events: ${messageOf(error)}`);
    return undefined;
  }
  if (events.length === 0) {
    const choice = await vscode.window.showInformationMessage(`Sightline: no stored events match ${plain(title)}.`, 'Change Lookup…', 'Import CloudTrail Logs…');
    if (choice === 'Change Lookup…') return back;
    if (choice === 'Import CloudTrail Logs…') await vscode.commands.executeCommand('sightline.importAudit');
    return undefined;
  }
  return showEventResults(ctx, title, events, { limit: params.limit, back: true });
}

function lookupParams(form: LookupForm, now: number): AuditLookupParams {
  const params: AuditLookupParams = { limit: lookupLimit };
  for (const attribute of form.attributes) {
    const value = form.values[attribute]?.trim();
    if (value) attributeInfo.find((a) => a.key === attribute)?.apply(params, value);
  }
  const range = timeRanges.find((r) => r.range === form.range);
  if (range?.ms) params.from = now - range.ms;
  if (form.range === 'custom') {
    const parsed = parseRange(form.custom, now);
    if (typeof parsed !== 'string') Object.assign(params, parsed);
  }
  if (form.errorsOnly) params.errorsOnly = true;
  if (form.management !== form.data) params.category = form.management ? 'management' : 'data';
  return params;
}

/** "EventName DeleteBucket · Username alice · last 7 days · errors only". */
function describeForm(form: LookupForm): string {
  const parts = form.attributes.filter((a) => form.values[a]?.trim()).map((a) =>
    a === 'ReadOnly' ? (form.values[a] === 'true' ? 'reads only' : 'writes only') : `${a} ${form.values[a]!.trim()}`);
  if (form.range === 'custom') parts.push(form.custom.trim());
  else parts.push(timeRanges.find((r) => r.range === form.range)!.label.toLowerCase());
  if (form.errorsOnly) parts.push('errors only');
  if (form.management !== form.data) parts.push(form.management ? 'management events' : 'data events');
  return parts.join(' · ');
}

/**
 * "2026-05-01 .. 2026-05-03T12:00" (or "to"): times in UTC unless they name a zone; an empty end is
 * now. Returns the range, or what is wrong with it.
 */
export function parseRange(text: string, now: number): { from: number; to: number } | string {
  const [fromText, toText = '', ...rest] = text.split(/\s*(?:\.\.|\bto\b)\s*/);
  if (rest.length > 0) return 'Give two times: from .. to';
  const from = parseTime(fromText ?? '');
  const to = toText.trim() === '' ? now : parseTime(toText);
  if (from === undefined) return `"${fromText}" is not a time like 2026-05-01 or 2026-05-01T12:00`;
  if (to === undefined) return `"${toText}" is not a time like 2026-05-03 or 2026-05-03T12:00Z`;
  if (to <= from) return 'The end of the range is before its start';
  return { from, to };
}

function parseTime(text: string): number | undefined {
  const t = text.trim();
  let ms: number;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) ms = Date.parse(`${t}T00:00:00Z`);
  else if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t)) ms = Date.parse(`${t.replace(' ', 'T')}Z`);
  else if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(t)) ms = Date.parse(t.replace(' ', 'T'));
  else return undefined;
  return Number.isFinite(ms) ? ms : undefined;
}

// ---- Steps of the lookup: QuickPicks and input boxes with step numbers and a back button ----

interface Choice<T> extends vscode.QuickPickItem {
  value: T;
}

function pick<T>(at: StepPosition, options: {
  placeholder: string;
  items: Choice<T>[];
  many?: boolean;
  /** For `many`: a problem with the chosen items, which keeps the step open. */
  check?: (chosen: readonly Choice<T>[]) => string | undefined;
}): Promise<readonly Choice<T>[] | typeof back | undefined> {
  const input = vscode.window.createQuickPick<Choice<T>>();
  input.title = lookupTitle;
  input.step = at.step;
  input.totalSteps = at.totalSteps;
  input.placeholder = options.placeholder;
  input.canSelectMany = options.many ?? false;
  input.matchOnDescription = true;
  input.ignoreFocusOut = true;
  input.items = options.items;
  if (input.canSelectMany) input.selectedItems = options.items.filter((i) => i.picked);
  else input.activeItems = options.items.filter((i) => i.picked).slice(0, 1);
  input.buttons = at.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  return new Promise((resolve) => {
    const done = (value: readonly Choice<T>[] | typeof back | undefined) => {
      subscriptions.forEach((s) => s.dispose());
      input.dispose();
      resolve(value);
    };
    const subscriptions = [
      input.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && done(back)),
      input.onDidAccept(() => {
        const chosen = input.canSelectMany ? input.selectedItems : input.selectedItems.length ? input.selectedItems : input.activeItems;
        const problem = input.canSelectMany ? options.check?.(chosen) : chosen.length === 0 ? 'Pick one' : undefined;
        if (problem) input.placeholder = problem;
        else done(chosen);
      }),
      input.onDidHide(() => done(undefined)),
    ];
    input.show();
  });
}

function ask(at: StepPosition, options: { prompt: string; placeholder: string; value: string; check: (value: string) => string | undefined }): Promise<string | typeof back | undefined> {
  const input = vscode.window.createInputBox();
  input.title = lookupTitle;
  input.step = at.step;
  input.totalSteps = at.totalSteps;
  input.prompt = options.prompt;
  input.placeholder = options.placeholder;
  input.value = options.value;
  input.ignoreFocusOut = true;
  input.buttons = at.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  return new Promise((resolve) => {
    const done = (value: string | typeof back | undefined) => {
      subscriptions.forEach((s) => s.dispose());
      input.dispose();
      resolve(value);
    };
    const subscriptions = [
      input.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && done(back)),
      input.onDidChangeValue((value) => (input.validationMessage = value.trim() ? options.check(value) : undefined)),
      input.onDidAccept(() => {
        const problem = options.check(input.value);
        input.validationMessage = problem;
        if (!problem) done(input.value.trim());
      }),
      input.onDidHide(() => done(undefined)),
    ];
    input.show();
  });
}

async function attributesStep(form: LookupForm, at: StepPosition): Promise<true | typeof back | undefined> {
  const chosen = await pick(at, {
    placeholder: 'Attributes to look up by: any number, or none for every event in a time range',
    many: true,
    items: attributeInfo.map((a) => ({ label: a.key, description: a.description, value: a.key, picked: form.attributes.includes(a.key) })),
  });
  if (chosen === undefined || chosen === back) return chosen;
  form.attributes = chosen.map((c) => c.value);
  return true;
}

async function valueStep(form: LookupForm, attribute: Attribute, at: StepPosition, suggestion: string | undefined): Promise<true | typeof back | undefined> {
  if (attribute === 'ReadOnly') {
    const chosen = await pick(at, {
      placeholder: 'ReadOnly',
      items: [
        { label: 'Writes only', description: 'ReadOnly false: calls that create, change or delete', value: 'false', picked: form.values.ReadOnly !== 'true' },
        { label: 'Reads only', description: 'ReadOnly true: Get, List and Describe calls', value: 'true', picked: form.values.ReadOnly === 'true' },
      ],
    });
    if (chosen === undefined || chosen === back) return chosen;
    form.values.ReadOnly = chosen[0].value;
    return true;
  }
  const info = attributeInfo.find((a) => a.key === attribute)!;
  const value = await ask(at, {
    prompt: `${attribute}: ${info.description}`,
    placeholder: info.placeholder,
    value: form.values[attribute] ?? suggestion ?? '',
    check: (v) => (v.trim() ? undefined : `Type the ${attribute} to look up, or go back and unpick it`),
  });
  if (value === undefined || value === back) return value;
  form.values[attribute] = value;
  return true;
}

async function timeStep(form: LookupForm, at: StepPosition): Promise<true | typeof back | undefined> {
  const chosen = await pick(at, {
    placeholder: 'Which time range?',
    items: timeRanges.map((r) => ({ label: r.label, description: r.description, value: r.range, picked: r.range === form.range })),
  });
  if (chosen === undefined || chosen === back) return chosen;
  form.range = chosen[0].value;
  return true;
}

async function customRangeStep(form: LookupForm, at: StepPosition): Promise<true | typeof back | undefined> {
  const value = await ask(at, {
    prompt: 'From .. to, in UTC unless a zone is given; leave the end out for "until now"',
    placeholder: '2026-05-01 .. 2026-05-03T12:00',
    value: form.custom,
    check: (v) => {
      const parsed = parseRange(v, Date.now());
      return typeof parsed === 'string' ? parsed : undefined;
    },
  });
  if (value === undefined || value === back) return value;
  form.custom = value;
  return true;
}

async function optionsStep(form: LookupForm, at: StepPosition): Promise<true | typeof back | undefined> {
  const chosen = await pick(at, {
    placeholder: 'Which events? Enter looks them up',
    many: true,
    items: [
      { label: 'Errors only', description: 'events that failed, with an errorCode', value: 'errors', picked: form.errorsOnly },
      { label: 'Management events', description: 'control-plane calls: create, configure, delete', value: 'management', picked: form.management },
      { label: 'Data events', description: 'resource operations: S3 objects, Lambda invocations, DynamoDB items', value: 'data', picked: form.data },
    ],
    check: (c) => (c.some((i) => i.value === 'management' || i.value === 'data') ? undefined : 'Pick management events, data events or both'),
  });
  if (chosen === undefined || chosen === back) return chosen;
  const values = new Set(chosen.map((c) => c.value));
  form.errorsOnly = values.has('errors');
  form.management = values.has('management');
  form.data = values.has('data');
  return true;
}

// ---- Results ----

interface EventItem extends vscode.QuickPickItem {
  event: AuditEventView;
}

/** Text from a record for a QuickPick or a notification: one line, no icons, links or invisible characters. */
export function plain(text: string, max = 240): string {
  const line = visibleText(text)
    // "$(icon)" would render a codicon and "[text](command:…)" a link in a notification.
    .replace(/\$\(/g, '$\u200b(')
    .replace(/\]\(/g, ']\u200b(');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function eventItem(event: AuditEventView, now: number): EventItem {
  const failed = Boolean(event.errorCode);
  const resources = event.resources.map((r) => r.name ?? r.arn).filter((r): r is string => Boolean(r));
  const detail = [
    new Date(event.time).toISOString(),
    resources.length ? `${resources[0]}${resources.length > 1 ? ` +${resources.length - 1}` : ''}` : undefined,
    event.sourceIp,
    event.region,
    failed ? `${event.errorCode}${event.errorMessage ? `: ${event.errorMessage}` : ''}` : undefined,
  ].filter(Boolean).join(' · ');
  return {
    label: plain(`${event.eventName} · ${event.who}`),
    iconPath: failed
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
      : new vscode.ThemeIcon(event.readOnly ? 'eye' : 'edit'),
    description: relativeTime(event.time, now),
    detail: plain(detail),
    event,
  };
}

/**
 * Shows events in the Audit view and in a QuickPick; picking one opens its record. With `back`,
 * the QuickPick has a back button and resolves to `back` when it is pressed.
 */
async function showEventResults(ctx: Ctx, title: string, events: AuditEventView[], options: { limit?: number; back?: boolean } = {}): Promise<typeof back | undefined> {
  await AuditViewProvider.showLookup(title, events, options.limit);
  const now = Date.now();
  const input = vscode.window.createQuickPick<EventItem>();
  const more = options.limit !== undefined && events.length >= options.limit ? ' (the newest)' : '';
  input.title = `Sightline: ${plain(title, 120)} — ${events.length.toLocaleString('en')} ${events.length === 1 ? 'event' : 'events'}${more}`;
  input.placeholder = 'Pick an event to open its full CloudTrail record; type to filter';
  input.matchOnDescription = true;
  input.matchOnDetail = true;
  input.items = events.map((event) => eventItem(event, now));
  input.buttons = options.back ? [vscode.QuickInputButtons.Back] : [];
  return new Promise((resolve) => {
    const done = (value: typeof back | undefined) => {
      subscriptions.forEach((s) => s.dispose());
      input.dispose();
      resolve(value);
    };
    const subscriptions = [
      input.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && done(back)),
      input.onDidAccept(() => {
        const item = input.selectedItems[0] ?? input.activeItems[0];
        done(undefined);
        if (item) void openAuditRecord(ctx, item.event);
      }),
      input.onDidHide(() => done(undefined)),
    ];
    input.show();
  });
}

// ---- Who Changed This? ----

export async function whoChanged(ctx: Ctx, target: unknown): Promise<void> {
  const given = typeof target === 'string' ? target.trim() : '';
  const resource = given || resourceAtCursor(vscode.window.activeTextEditor) || (await vscode.window.showInputBox({
    title: 'Sightline: Who Changed This?',
    prompt: 'The name or ARN of the resource',
    placeHolder: 'my-bucket or arn:aws:s3:::my-bucket',
    ignoreFocusOut: true,
  }))?.trim();
  if (!resource) return;
  let result;
  try {
    const client = await ctx.readyClient();
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Sightline: who changed this?' },
      () => client.sendRequest(whoChangedRequest, { resource }),
    );
  } catch (error) {
    void vscode.window.showErrorMessage(`Sightline could not look up changes to ${plain(resource, 120)}: ${messageOf(error)}`);
    return;
  }
  const { events, lines } = result;
  if (events.length === 0) {
    const choice = await vscode.window.showInformationMessage(
      `Sightline: no stored event changed ${plain(resource, 120)}. Only imported events are searched.`,
      'Import CloudTrail Logs…',
      'Look Up Audit Events…',
    );
    if (choice === 'Import CloudTrail Logs…') await vscode.commands.executeCommand('sightline.importAudit');
    if (choice === 'Look Up Audit Events…') await vscode.commands.executeCommand('sightline.lookupAudit');
    return;
  }
  // The headline is the newest change that went through; failed attempts after it are counted.
  // Events are newest first, so the index of that change is also the number of failed attempts since.
  const newest = Math.max(0, events.findIndex((e) => !e.errorCode));
  const earlier = events.length - 1 - newest;
  const headline = lines[newest] ?? `${events[newest].eventName} by ${events[newest].who} at ${new Date(events[newest].time).toISOString()}`;
  const extra = [
    newest > 0 ? `${newest} failed ${newest === 1 ? 'attempt' : 'attempts'} since` : undefined,
    earlier > 0 ? `${earlier} earlier ${earlier === 1 ? 'change' : 'changes'}` : undefined,
  ].filter(Boolean).join(', ');
  const choice = await vscode.window.showInformationMessage(`Sightline: ${plain(resource, 80)}: ${plain(headline, 400)}${extra ? ` (${extra})` : ''}`, 'Show all', 'Open record');
  if (choice === 'Show all') await showEventResults(ctx, `Changes to ${resource}`, events);
  if (choice === 'Open record') await openAuditRecord(ctx, events[newest]);
}

/**
 * The resource the cursor is on: the selection (one line); else the string literal around the
 * cursor; else the ARN-like word under it. Undefined when there is nothing to take.
 */
export function resourceAtCursor(editor: vscode.TextEditor | undefined): string | undefined {
  if (!editor) return undefined;
  const { document, selection } = editor;
  const usable = (text: string | undefined) => {
    const trimmed = text?.trim().replace(/^["'`]|["'`]$/g, '').trim();
    return trimmed && trimmed.length <= 2048 ? trimmed : undefined;
  };
  if (!selection.isEmpty) return selection.isSingleLine ? usable(document.getText(selection)) : undefined;
  const line = document.lineAt(selection.active.line).text;
  const column = selection.active.character;
  for (const literal of line.matchAll(/(["'`])((?:\\.|(?!\1)[^\\])*)\1/g)) {
    const start = literal.index ?? 0;
    if (column >= start && column <= start + literal[0].length) return usable(literal[2]);
  }
  const range = document.getWordRangeAtPosition(selection.active, /[A-Za-z0-9_\-.:/*@+=,]+/);
  return range ? usable(document.getText(range).replace(/^[.:,]+|[.:,]+$/g, '')) : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
