// Events whose record is JSON text until read, and the records of log files found in their text.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readAuditDocument, readLogFileRecords } from '../../../server/audit/documents';
import type { AuditEvent } from '../../../server/audit/model';
import { eventJson, withoutRecord, withRecordText } from '../../../server/audit/recordText';
import { CloudTrailGenerator } from '../../support/cloudTrailGenerator';

const generator = new CloudTrailGenerator(21);
const records = (count: number) => generator.records(count, { account: '111122223333', region: 'eu-west-1', start: Date.parse('2026-03-01T00:00:00Z'), end: Date.parse('2026-03-01T02:00:00Z') });

function eventsOf(text: string): AuditEvent[] {
  const read = readAuditDocument(text, 'f');
  assert.deepEqual(read.problems, []);
  return read.events;
}

function lazyCopy(event: AuditEvent): AuditEvent {
  return withRecordText(structuredClone(withoutRecord(event)), JSON.stringify(event.record));
}

describe('events with their record as text', () => {
  test('look like the event converted here: keys, JSON, spreads and deep equality', () => {
    for (const event of eventsOf(JSON.stringify({ Records: records(20) }))) {
      const lazy = lazyCopy(event);
      assert.deepEqual(JSON.parse(eventJson(lazy)), JSON.parse(JSON.stringify(event)), 'the stored JSON, before the record is read');
      assert.equal(typeof Object.getOwnPropertyDescriptor(lazy, 'record')?.get, 'function', 'eventJson did not read the record');
      assert.deepEqual(new Set(Object.keys(lazy)), new Set(Object.keys(event)));
      assert.deepEqual(JSON.parse(JSON.stringify(lazy)), JSON.parse(JSON.stringify(event)));
      assert.deepEqual(lazy, event);
      assert.deepEqual({ ...lazy }, { ...event });
      assert.deepEqual(JSON.parse(eventJson(lazy)), JSON.parse(JSON.stringify(event)), 'the stored JSON, after');
    }
  });

  test('reading the record parses it once; setting it replaces it, and the store then writes the new one', () => {
    const [event] = eventsOf(JSON.stringify({ Records: records(1) }));
    const lazy = lazyCopy(event);
    const first = lazy.record;
    assert.equal(lazy.record, first, 'the same object on every read');
    first.userAgent = 'changed by a reader';
    assert.equal(JSON.parse(eventJson(lazy)).record.userAgent, 'changed by a reader', 'once read, the record is written from the object');

    const replaced = lazyCopy(event);
    replaced.record = { ...event.record, eventName: 'Replaced' };
    assert.equal(replaced.record.eventName, 'Replaced');
    assert.equal(JSON.parse(eventJson(replaced)).record.eventName, 'Replaced');
  });

  test('eventJson of an event converted here is JSON.stringify', () => {
    const [event] = eventsOf(JSON.stringify({ Records: records(1) }));
    assert.equal(eventJson(event), JSON.stringify(event));
  });
});

describe('the records of a log file, found in its text', () => {
  const check = (text: string) => {
    const split = readLogFileRecords(text, 'f');
    assert.ok(split, 'read as a log file');
    const whole = readAuditDocument(text, 'f');
    const { recordSpans, ...result } = split;
    assert.deepEqual(result, whole);
    assert.equal(recordSpans.length, 2 * whole.events.length);
    whole.events.forEach((event, i) => assert.deepEqual(JSON.parse(text.slice(recordSpans[2 * i], recordSpans[2 * i + 1])), event.record));
    return split;
  };

  test('as CloudTrail writes them, pretty-printed, and with strings that hold brackets, quotes and backslashes', () => {
    const recs = records(30);
    check(JSON.stringify({ Records: recs }));
    check(JSON.stringify({ Records: recs }, null, 2));
    check(` \n{ "Records" :\t[ ${recs.slice(0, 3).map((r) => JSON.stringify(r)).join(' ,\n ')} ] }\n`);
    const tricky = recs.slice(0, 4).map((r, i) => ({ ...r, userAgent: ['}]{[,', 'a \\"quoted\\" one", {"eventVersion"', 'ends with a backslash \\', '\\\\"'][i] }));
    check(JSON.stringify({ Records: tricky }));
    check('{"Records":[]}');
  });

  test('a record holding an object that starts like a record, records of other shapes, bad and repeated records', () => {
    const [a, b, c] = records(3);
    const { eventVersion, ...rest } = b;
    const reordered = { ...rest, eventVersion };
    const nested = { ...c, requestParameters: { inner: { eventVersion: '1.08' } } };
    const split = check(JSON.stringify({ Records: [a, nested, reordered, 'junk', { eventVersion: '1.08' }, a, 42] }));
    assert.equal(split.events.length, 3);
    assert.equal(split.duplicates, 1);
  });

  test('other documents are left to readAuditDocument', () => {
    const [a] = records(1);
    for (const text of [
      JSON.stringify([a]), JSON.stringify(a), `${JSON.stringify(a)}\n${JSON.stringify(a)}\n`, JSON.stringify({ Records: [a], NextToken: 'x' }),
      JSON.stringify({ Events: [] }), `${JSON.stringify({ Records: [a] })} trailing`, JSON.stringify({ Records: [a] }).slice(0, -2),
      '{"Records":[{"eventID":"x",}]}', '{"Records":[1,]}', '{"Records":[,1]}', '{"Records":{}}', '{"Records":["unterminated]}',
    ]) {
      assert.equal(readLogFileRecords(text, 'f'), undefined, text.slice(0, 60));
    }
  });
});
