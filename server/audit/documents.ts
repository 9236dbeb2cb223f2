// Decoded text of one file → audit events. Recognises, by content rather than by file name:
//   - CloudTrail log files and CloudTrail-Insight files: {"Records": [ … ]}
//   - `aws cloudtrail lookup-events` output: {"Events": [{"EventId", …, "CloudTrailEvent": "<JSON>"}], "NextToken"?}
//   - a single record, a JSON array of records (or of lookup-events items)
//   - JSON Lines: one of the above per line
// Every record that cannot be read becomes a problem naming where it is (Records[12], line 40,
// Events[3].CloudTrailEvent) and what is wrong; the others are read. An eventID seen twice in one
// file is read once.

import { convertRecord, describeJson, quote, type AuditEvent, type AuditResource } from './model';

export interface DocumentResult {
  events: AuditEvent[];
  /** Records met, including skipped ones and repeats. */
  records: number;
  /** Records skipped because their eventID came earlier in the same file. */
  duplicates: number;
  /** Each starts with the file's label. */
  problems: string[];
}

export interface DocumentOptions {
  /** Record problems listed per file before the rest are summed up in one line. */
  maxRecordProblems?: number;
}

const RECORD_KEYS = ['eventID', 'eventTime', 'eventName', 'eventSource', 'eventVersion', 'userIdentity', 'insightDetails'];

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function syntaxMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** LookupEvents' own Resources (`[{ResourceType, ResourceName}]`) as audit resources. */
export function lookupResources(value: unknown): AuditResource[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const out: AuditResource[] = [];
  for (const item of value) {
    if (!isObject(item)) continue;
    const name = typeof item.ResourceName === 'string' && item.ResourceName ? item.ResourceName : undefined;
    const type = typeof item.ResourceType === 'string' && item.ResourceType ? item.ResourceType : undefined;
    if (!name && !type) continue;
    const resource: AuditResource = {};
    if (name?.startsWith('arn:')) resource.arn = name;
    else if (name) resource.name = name;
    if (type) resource.type = type;
    out.push(resource);
  }
  return out.length ? out : undefined;
}

class DocumentReader {
  readonly events: AuditEvent[] = [];
  records = 0;
  duplicates = 0;
  private readonly seen = new Set<string>();
  private readonly problems: string[] = [];
  private recordProblems = 0;
  private readonly remarks = new Map<string, number>();

  constructor(private readonly label: string, private readonly maxRecordProblems: number) {}

  problem(message: string): void {
    this.problems.push(`${this.label}: ${message}`);
  }

  private recordProblem(message: string): void {
    this.recordProblems++;
    if (this.recordProblems <= this.maxRecordProblems) this.problem(message);
  }

  /** `path[index]`, or just `path` when index is negative. */
  record(value: unknown, path: string, index: number, extra?: AuditResource[]): void {
    this.records++;
    const result = convertRecord(value, extra);
    if (result.problem !== undefined) {
      this.recordProblem(`${index >= 0 ? `${path}[${index}]` : path}: ${result.problem}`);
      return;
    }
    const { event } = result;
    if (this.seen.has(event.id)) {
      this.duplicates++;
      return;
    }
    this.seen.add(event.id);
    this.events.push(event);
    if (result.remark !== undefined) this.remarks.set(result.remark, (this.remarks.get(result.remark) ?? 0) + 1);
  }

  lookupItem(item: unknown, path: string): void {
    if (!isObject(item)) {
      this.records++;
      this.recordProblem(`${path}: ${describeJson(item)}, not a lookup-events item`);
      return;
    }
    const json = item.CloudTrailEvent;
    const id = typeof item.EventId === 'string' ? ` (EventId ${quote(item.EventId)})` : '';
    if (typeof json !== 'string') {
      this.records++;
      this.recordProblem(`${path}${id}: no CloudTrailEvent string, so no record to read; skipped`);
      return;
    }
    let record: unknown;
    try {
      record = JSON.parse(json);
    } catch (error) {
      this.records++;
      this.recordProblem(`${path}.CloudTrailEvent${id}: not valid JSON (${syntaxMessage(error)}); skipped`);
      return;
    }
    this.record(record, `${path}.CloudTrailEvent`, -1, lookupResources(item.Resources));
  }

  /** Any parsed JSON value; `path` names where it sits ('' for the whole file). */
  value(value: unknown, path: string): void {
    const at = path ? `${path}: ` : '';
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (isObject(item) && 'CloudTrailEvent' in item) this.lookupItem(item, `${path}[${i}]`);
        else this.record(item, path, i);
      }
      return;
    }
    if (!isObject(value)) {
      this.problem(`${at}not CloudTrail: ${describeJson(value)}, where a log file has {"Records": [...]}`);
      return;
    }
    if ('Records' in value) {
      const records = value.Records;
      if (!Array.isArray(records)) {
        this.problem(`${at}"Records" is ${describeJson(records)}, not an array`);
        return;
      }
      const prefix = path ? `${path}.Records` : 'Records';
      for (let i = 0; i < records.length; i++) this.record(records[i], prefix, i);
      return;
    }
    if ('Events' in value) {
      const events = value.Events;
      if (!Array.isArray(events)) {
        this.problem(`${at}"Events" is ${describeJson(events)}, not an array`);
        return;
      }
      const prefix = path ? `${path}.Events` : 'Events';
      for (let i = 0; i < events.length; i++) this.lookupItem(events[i], `${prefix}[${i}]`);
      if (typeof value.NextToken === 'string' && value.NextToken) {
        this.problem(`${at}lookup-events output ends with a NextToken: the events of later pages are not in this file`);
      }
      return;
    }
    if ('CloudTrailEvent' in value) {
      this.lookupItem(value, path || 'lookup-events item');
      return;
    }
    if ('digestStartTime' in value || 'digestPublicKeyFingerprint' in value) {
      this.problem(`${at}a CloudTrail digest file (hashes of log files for integrity validation), not events; skipped`);
      return;
    }
    if (RECORD_KEYS.some((key) => key in value)) {
      this.record(value, path || 'record', -1);
      return;
    }
    const keys = Object.keys(value);
    const shown = keys.slice(0, 5).map((k) => quote(k, 30)).join(', ');
    const more = keys.length > 5 ? ` and ${keys.length - 5} more` : '';
    this.problem(`${at}not CloudTrail: a JSON object with ${keys.length ? `keys ${shown}${more}` : 'no keys'}, where a log file has "Records", lookup-events output "Events", and a record "eventID"`);
  }

  jsonLines(text: string): void {
    let line = 0;
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      line++;
      const content = text.slice(start, end).trim();
      start = end + 1;
      if (content === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(content);
      } catch (error) {
        this.records++;
        this.recordProblem(`line ${line}: not valid JSON (${syntaxMessage(error)}); skipped`);
        continue;
      }
      this.value(value, `line ${line}`);
    }
  }

  result(): DocumentResult {
    const problems = this.problems;
    if (this.recordProblems > this.maxRecordProblems) {
      problems.push(`${this.label}: … and ${this.recordProblems - this.maxRecordProblems} more records with problems (${this.recordProblems} in all)`);
    }
    for (const [remark, count] of this.remarks) {
      problems.push(`${this.label}: ${count} record${count === 1 ? '' : 's'} with ${remark}`);
    }
    return { events: this.events, records: this.records, duplicates: this.duplicates, problems };
  }
}

function firstLine(text: string, from: number): string {
  const end = text.indexOf('\n', from);
  return (end < 0 ? text.slice(from) : text.slice(from, end)).trim();
}

function parsesAlone(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/** Reads an already parsed value (e.g. a LookupEvents response's `{ Events }`); `label` starts every problem. */
export function readParsedValue(value: unknown, label: string, options: DocumentOptions = {}): DocumentResult {
  const reader = new DocumentReader(label, options.maxRecordProblems ?? 10);
  reader.value(value, '');
  return reader.result();
}

/** Reads a whole decoded document; `label` (usually the file path) starts every problem. */
export function readAuditDocument(text: string, label: string, options: DocumentOptions = {}): DocumentResult {
  const reader = new DocumentReader(label, options.maxRecordProblems ?? 10);
  let begin = 0;
  while (begin < text.length && (text.charCodeAt(begin) <= 0x20)) begin++;
  if (begin === text.length) {
    reader.problem('only whitespace, no JSON');
    return reader.result();
  }
  const first = text[begin];
  if (first !== '{' && first !== '[') {
    reader.problem(`not JSON: starts with ${quote(text.slice(begin, begin + 40))}`);
    return reader.result();
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // JSON Lines fails as one document at the second line; its first line stands on its own.
    if (parsesAlone(firstLine(text, begin))) {
      reader.jsonLines(text);
      return reader.result();
    }
    reader.problem(`not valid JSON (${syntaxMessage(error)})`);
    return reader.result();
  }
  reader.value(value, '');
  return reader.result();
}

/**
 * What can still be read from the whole lines of a file that was cut off (a truncated gzip): the
 * lines of a JSON Lines file are records on their own, so those are read. A single JSON document
 * (a CloudTrail log file is one line) cannot be known whole, so none of it is read.
 */
export function readTruncatedLines(text: string, label: string, options: DocumentOptions = {}): DocumentResult | undefined {
  let begin = 0;
  while (begin < text.length && text.charCodeAt(begin) <= 0x20) begin++;
  if (begin === text.length || !parsesAlone(firstLine(text, begin))) return undefined;
  const reader = new DocumentReader(label, options.maxRecordProblems ?? 10);
  reader.jsonLines(text);
  return reader.result();
}
