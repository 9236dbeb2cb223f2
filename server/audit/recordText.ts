// Events whose record is kept as JSON text until something reads it. An import's worker threads
// parse and convert the files, then send back each event as its index view (every field but the
// record) and its record as JSON text: sending the parsed records instead would cost the receiving
// thread — the server's — as much as parsing them itself. That thread stores the text as it came
// (`eventJson`), so it never parses an imported record; whoever reads `record` gets it parsed
// then. To every reader such an event is a plain object with the same fields as one converted in
// this thread: the record is an own enumerable property (JSON.stringify, spreads and deepEqual see it).

import type { AuditEvent } from './model';

/** An event without its record: what crosses from an import worker as a value. */
export type EventView = Omit<AuditEvent, 'record'>;

/**
 * Where an event keeps its record's text until the record is read: a property no reader sees (not
 * enumerable, keyed by a symbol). A WeakMap from events to texts would do the same, but costs the
 * garbage collector far more with hundreds of thousands of young events.
 */
const RECORD_TEXT = Symbol('recordText');

interface WithText {
  [RECORD_TEXT]?: string;
}

function settle(event: WithText, record: unknown): void {
  event[RECORD_TEXT] = undefined;
  Object.defineProperty(event, 'record', { value: record, writable: true, enumerable: true, configurable: true });
}

// One accessor pair for all events, so that they share one object shape.
const lazyRecord: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: WithText): unknown {
    const record: unknown = JSON.parse(this[RECORD_TEXT]!);
    settle(this, record);
    return record;
  },
  set(this: WithText, record: unknown): void {
    settle(this, record);
  },
};

const hiddenText: PropertyDescriptor = { value: undefined, writable: true, enumerable: false, configurable: false };

/** Makes `view` the event whose record is `text` (the JSON of a CloudTrail record). */
export function withRecordText(view: EventView, text: string): AuditEvent {
  Object.defineProperty(view, RECORD_TEXT, hiddenText);
  (view as WithText)[RECORD_TEXT] = text;
  return Object.defineProperty(view, 'record', lazyRecord) as AuditEvent;
}

/** The event without its record (which is not read: a record still text stays so). */
export function withoutRecord(event: AuditEvent): EventView {
  const view: Record<string, unknown> = {};
  for (const key of Object.keys(event)) {
    if (key !== 'record') view[key] = (event as unknown as Record<string, unknown>)[key];
  }
  return view as unknown as EventView;
}

/** JSON.stringify(event), with a record not read yet written as the text it came as (last). */
export function eventJson(event: AuditEvent): string {
  const text = (event as WithText)[RECORD_TEXT];
  if (text === undefined) return JSON.stringify(event);
  const view = JSON.stringify(withoutRecord(event));
  return `${view.slice(0, -1)}${view.length > 2 ? ',' : ''}"record":${text}}`;
}
