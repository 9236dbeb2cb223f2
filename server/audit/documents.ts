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

  /** `path[index]`, or just `path` when index is negative. Whether the record became an event. */
  record(value: unknown, path: string, index: number, extra?: AuditResource[]): boolean {
    this.records++;
    const result = convertRecord(value, extra);
    if (result.problem !== undefined) {
      this.recordProblem(`${index >= 0 ? `${path}[${index}]` : path}: ${result.problem}`);
      return false;
    }
    const { event } = result;
    if (this.seen.has(event.id)) {
      this.duplicates++;
      return false;
    }
    this.seen.add(event.id);
    this.events.push(event);
    if (result.remark !== undefined) this.remarks.set(result.remark, (this.remarks.get(result.remark) ?? 0) + 1);
    return true;
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

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const LOG_FILE_HEAD = /[ \t\n\r]*\{[ \t\n\r]*"Records"[ \t\n\r]*:[ \t\n\r]*\[/y;

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isJsonSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Index of the quote that closes the string opened at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  let close = open;
  for (;;) {
    close = text.indexOf('"', close + 1);
    if (close < 0) return -1;
    let before = close - 1;
    while (text.charCodeAt(before) === BACKSLASH) before--;
    if ((close - 1 - before) % 2 === 0) return close;
  }
}

interface RecordsOfLogFile {
  values: unknown[];
  /** Start and end of each record in the text. */
  spans: number[];
}

/**
 * CloudTrail writes every record of a log file with its fields in the same order, so each record
 * starts with the same characters as the first (`{"eventVersion"`). The records are then the
 * pieces between those; a piece is whole if it parses on its own, and if every piece does, the
 * document is valid JSON and these are its records. Undefined when a piece does not parse (a
 * record holding an object that starts the same way, records written with their fields in
 * different orders): recordsByScan reads those.
 */
function recordsByMarker(text: string, first: number, close: number): RecordsOfLogFile | undefined {
  if (text.charCodeAt(first) !== OPEN_BRACE) return undefined;
  const keyStart = skipSpace(text, first + 1);
  const keyEnd = text.charCodeAt(keyStart) === QUOTE ? stringEnd(text, keyStart) : -1;
  if (keyEnd < 0) return undefined;
  const marker = text.slice(first, keyEnd + 1);
  const values: unknown[] = [];
  const spans: number[] = [];
  for (let start = first; ;) {
    let next = text.indexOf(marker, start + marker.length);
    if (next > close) next = -1;
    // The piece ends at the comma before the next record, or at the bracket that closes Records.
    let end = next;
    if (next >= 0) {
      while (isJsonSpace(text.charCodeAt(end - 1))) end--;
      if (text.charCodeAt(end - 1) !== COMMA) return undefined;
      end--;
    } else {
      end = close;
    }
    while (end > start && isJsonSpace(text.charCodeAt(end - 1))) end--;
    try {
      values.push(JSON.parse(text.slice(start, end)));
    } catch {
      return undefined;
    }
    spans.push(start, end);
    if (next < 0) return { values, spans };
    start = next;
  }
}

/**
 * The records of any log file, found by following its structure character by character (strings
 * skipped whole), then checked by parsing the whole document. Undefined if it is not valid JSON.
 */
function recordsByScan(text: string, first: number, close: number): RecordsOfLogFile | undefined {
  const spans: number[] = [];
  let i = first;
  while (i < close) {
    const start = i;
    let depth = 0;
    let c = 0;
    for (; i < close; i++) {
      c = text.charCodeAt(i);
      if (c === QUOTE) {
        i = stringEnd(text, i);
        if (i < 0) return undefined;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
      } else if (c === COMMA && depth === 0) {
        break;
      }
    }
    let end = i;
    while (end > start && isJsonSpace(text.charCodeAt(end - 1))) end--;
    spans.push(start, end);
    i = skipSpace(text, i + 1);
  }
  let values: unknown;
  try {
    values = (JSON.parse(text) as { Records: unknown }).Records;
  } catch {
    return undefined;
  }
  if (!Array.isArray(values) || values.length !== spans.length / 2) return undefined;
  return { values, spans };
}

/**
 * readAuditDocument for a CloudTrail log file — a document that is `{"Records":[…]}` and nothing
 * else, JSON whitespace aside — that also tells where each event's record is in the text (start and
 * end offsets, two per event), so that an import worker can send that text instead of the parsed
 * record (recordText.ts). Undefined for documents of any other shape and for those that are not
 * valid JSON: readAuditDocument reads those.
 */
export function readLogFileRecords(text: string, label: string, options: DocumentOptions = {}): (DocumentResult & { recordSpans: number[] }) | undefined {
  LOG_FILE_HEAD.lastIndex = 0;
  if (!LOG_FILE_HEAD.test(text)) return undefined;
  const first = skipSpace(text, LOG_FILE_HEAD.lastIndex);
  // The bracket that closes Records: only whitespace and the closing brace may follow it.
  const close = text.lastIndexOf(']');
  const brace = skipSpace(text, close + 1);
  if (close < first || text.charCodeAt(brace) !== CLOSE_BRACE || skipSpace(text, brace + 1) !== text.length) return undefined;
  const found = first === close ? { values: [], spans: [] } : recordsByMarker(text, first, close) ?? recordsByScan(text, first, close);
  if (!found) return undefined;
  const reader = new DocumentReader(label, options.maxRecordProblems ?? 10);
  const recordSpans: number[] = [];
  for (let i = 0; i < found.values.length; i++) {
    if (reader.record(found.values[i], 'Records', i)) recordSpans.push(found.spans[2 * i], found.spans[2 * i + 1]);
  }
  return { ...reader.result(), recordSpans };
}
