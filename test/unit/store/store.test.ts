import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Store } from '../../../server/store/store';
import { ids, range, span, T0, tempDir } from './helpers';

function open(dir: string, extra: Partial<Parameters<typeof Store.open>[1]> = {}): Store {
  return Store.open(dir, { name: 'spans', retention: { maxAgeMs: Infinity, maxBytes: Infinity }, now: () => T0, ...extra });
}

describe('store: append and query', () => {
  test('a missing directory is created, and an empty store answers nothing', () => {
    const dir = join(tempDir(), 'not', 'yet');
    const store = open(dir);
    assert.ok(existsSync(join(dir, 'spans')));
    assert.equal(store.count(), 0);
    assert.deepEqual([...store.query({ all: ['svc=svc0'] })], []);
    assert.equal(store.get('nope'), undefined);
    assert.deepEqual(store.terms('svc='), []);
    assert.deepEqual(store.problems, []);
    store.close();
  });

  test('records come back by term, newest first by default, with a limit and a window', () => {
    const store = open(tempDir());
    const result = store.append(range(0, 30).map((i) => span(i)));
    assert.deepEqual(result, { inserted: 30, duplicates: 0, replaced: 0, expired: 0 });
    assert.equal(store.count(), 30);
    assert.deepEqual(ids(store.query({ all: ['svc=svc1'], limit: 3 })), [28, 25, 22]);
    assert.deepEqual(ids(store.query({ all: ['svc=svc1'], limit: 3, newestFirst: false })), [1, 4, 7]);
    assert.deepEqual(ids(store.query({ all: ['svc=svc0', 'error'] })), [24, 12, 0]);
    assert.deepEqual(ids(store.query({ any: ['file=src/f1.py', 'file=src/f2.py'], from: T0 + 10_000, to: T0 + 17_000 })), [17, 16, 12, 11]);
    assert.deepEqual(ids(store.query({ all: ['svc=svc0'], any: ['file=src/f0.py', 'error'] })), [24, 15, 12, 0]);
    assert.deepEqual(ids(store.query({ all: ['svc=unknown'] })), []);
    assert.deepEqual(ids(store.query({ any: ['svc=unknown'] })), []);
    assert.deepEqual(ids(store.query({ limit: 2 })), [29, 28]);
    const first = [...store.query({ limit: 1 })][0];
    assert.deepEqual(first, { key: 'trace2:span29', time: T0 + 29_000, version: 0, value: 29, body: JSON.stringify({ i: 29, name: 'op29' }) });
    store.close();
  });

  test('get, count, values and terms', () => {
    const store = open(tempDir());
    store.append(range(0, 30).map((i) => span(i)));
    assert.equal(store.get('trace1:span12')?.time, T0 + 12_000);
    assert.equal(store.get('trace1:span99'), undefined);
    assert.equal(store.count('svc=svc2'), 10);
    assert.equal(store.count({ all: ['svc=svc2'], from: T0, to: T0 + 9_000 }), 3);
    assert.deepEqual([...store.values({ all: ['fn=src/f1.py#fn1'] })], [1]);
    assert.deepEqual([...store.values({ all: ['file=src/f3.py'], limit: 2 })], [28, 23]);
    assert.deepEqual(store.terms('svc='), ['svc=svc0', 'svc=svc1', 'svc=svc2']);
    assert.deepEqual(store.terms('fn=src/f1.py#'), ['fn=src/f1.py#fn0', 'fn=src/f1.py#fn1', 'fn=src/f1.py#fn2', 'fn=src/f1.py#fn4', 'fn=src/f1.py#fn5', 'fn=src/f1.py#fn6']);
    assert.deepEqual(store.terms('err'), ['error']);
    store.close();
  });

  test('bodies are kept as given: bytes stay bytes, text stays text, including non-ASCII keys', () => {
    const store = open(tempDir());
    const bytes = new Uint8Array([0, 1, 2, 255]);
    store.append([
      { key: 'bytes', time: T0, terms: ['kind=bytes'], body: bytes },
      { key: 'clé-ü-日本', time: T0 + 1, terms: ['kind=text', 'name=naïve'], body: 'héllo <script>' },
      { key: 'empty', time: T0 + 2, terms: [], body: '' },
    ]);
    const got = store.get('bytes')!;
    assert.ok(got.body instanceof Uint8Array && !(typeof got.body === 'string'));
    assert.deepEqual([...(got.body as Uint8Array)], [0, 1, 2, 255]);
    assert.equal(store.get('clé-ü-日本')?.body, 'héllo <script>');
    assert.equal(store.get('empty')?.body, '');
    assert.equal(store.count('name=naïve'), 1);
    assert.equal(store.get('clé-ü-日本')?.value, undefined);
    store.close();
  });

  test('bad records throw before anything is written', () => {
    const store = open(tempDir());
    const good = span(1);
    assert.throws(() => store.append([good, { ...span(2), time: Number.NaN }]), /records\[1\]\.time must be a finite number/);
    assert.throws(() => store.append([{ ...good, key: '' }]), /records\[0\]\.key must be a non-empty string/);
    assert.throws(() => store.append([{ ...good, terms: ['ok', 3 as unknown as string] }]), /records\[0\]\.terms/);
    assert.throws(() => store.append([{ ...good, body: 42 as unknown as string }]), /records\[0\]\.body/);
    assert.throws(() => store.append([{ ...good, version: Infinity }]), /version/);
    assert.throws(() => store.append('x' as never), /array of records/);
    assert.throws(() => store.query({ limit: -1 }), /limit/);
    assert.throws(() => store.query({ all: 'svc=a' as never }), /query\.all/);
    assert.equal(store.count(), 0);
    assert.deepEqual(store.append([]), { inserted: 0, duplicates: 0, replaced: 0, expired: 0 });
    store.close();
    assert.throws(() => store.count(), /is closed/);
    assert.throws(() => Store.open(tempDir(), { name: '../x' }), /store name/);
    assert.throws(() => Store.open(tempDir(), { name: 'x', retention: { maxBytes: -1 } }), /retention\.maxBytes/);
  });
});

describe('store: deduplication and upsert by version', () => {
  test('a key seen again is a duplicate, in the same call or a later one', () => {
    const store = open(tempDir());
    assert.deepEqual(store.append([span(1), span(2), span(1)]), { inserted: 2, duplicates: 1, replaced: 0, expired: 0 });
    assert.deepEqual(store.append([span(2), span(3)]), { inserted: 1, duplicates: 1, replaced: 0, expired: 0 });
    assert.equal(store.count(), 3);
    assert.equal(store.count('svc=svc1'), 1);
    store.close();
  });

  test('a higher version replaces (X-Ray in_progress then complete), an equal or lower one does not', () => {
    const dir = tempDir();
    let store = open(dir);
    const inProgress = span(5, { version: 0, body: 'in progress', terms: ['svc=a', 'state=open'], value: 1 });
    const complete = span(5, { version: 1, body: 'complete', terms: ['svc=a', 'state=done'], value: 120 });
    assert.deepEqual(store.append([inProgress]), { inserted: 1, duplicates: 0, replaced: 0, expired: 0 });
    assert.deepEqual(store.append([complete]), { inserted: 0, duplicates: 0, replaced: 1, expired: 0 });
    assert.deepEqual(store.append([inProgress]), { inserted: 0, duplicates: 1, replaced: 0, expired: 0 });
    assert.deepEqual(store.append([{ ...complete, body: 'again' }]), { inserted: 0, duplicates: 1, replaced: 0, expired: 0 });
    const check = () => {
      assert.equal(store.count(), 1);
      assert.equal(store.get(complete.key)?.body, 'complete');
      assert.equal(store.count('state=open'), 0, 'the replaced version no longer matches its terms');
      assert.equal(store.count('state=done'), 1);
      assert.deepEqual(store.terms('state='), ['state=done']);
      assert.deepEqual([...store.values({ all: ['svc=a'] })], [120]);
    };
    check();
    store.close();
    store = open(dir);
    check();
    store.close();
  });

  test('within one call the highest version wins whatever the order', () => {
    const store = open(tempDir());
    const result = store.append([span(7, { version: 1, body: 'v1' }), span(7, { version: 3, body: 'v3' }), span(7, { version: 2, body: 'v2' })]);
    assert.deepEqual(result, { inserted: 1, duplicates: 2, replaced: 0, expired: 0 });
    assert.equal(store.get(span(7).key)?.body, 'v3');
    store.close();
  });
});

describe('store: reopen and several processes', () => {
  test('everything appended is there after reopening, and appends continue the same segment', () => {
    const dir = tempDir();
    let store = open(dir);
    store.append(range(0, 50).map((i) => span(i)));
    store.append(range(50, 100).map((i) => span(i)));
    const before = store.stats();
    store.close();
    store = open(dir);
    assert.deepEqual(store.problems, []);
    assert.equal(store.count(), 100);
    assert.deepEqual(ids(store.query({ all: ['svc=svc0'], limit: 2 })), [99, 96]);
    assert.equal(store.get('trace4:span42')?.value, 42);
    assert.deepEqual(store.append([span(42), span(100)]), { inserted: 1, duplicates: 1, replaced: 0, expired: 0 });
    assert.equal(store.stats().segments, before.segments);
    store.close();
    assert.deepEqual(readdirSync(join(dir, 'spans')).sort(), ['00000001.seg', 'index.snapshot'], 'the lock is gone after close, the snapshot written');
  });

  test('a second writer is refused with the pid; a reader sees the state at its open', () => {
    const dir = tempDir();
    const writer = open(dir);
    writer.append([span(1)]);
    assert.throws(() => open(dir), (error: Error & { code?: string; pid?: number }) => {
      assert.equal(error.code, 'ESTORELOCKED');
      assert.equal(error.pid, process.pid);
      assert.match(error.message, new RegExp(`store at .*spans is in use by pid ${process.pid}`));
      return true;
    });
    const reader = open(dir, { readOnly: true });
    writer.append([span(2)]);
    assert.equal(reader.count(), 1);
    assert.equal(reader.get(span(1).key)?.value, 1);
    assert.throws(() => reader.append([span(3)]), /read-only/);
    assert.throws(() => reader.clear(), /read-only/);
    reader.close();
    writer.close();
    const again = open(dir);
    assert.equal(again.count(), 2);
    again.close();
  });

  test('a reader of a store that does not exist sees an empty store and creates nothing', () => {
    const dir = join(tempDir(), 'absent');
    const reader = open(dir, { readOnly: true });
    assert.equal(reader.count(), 0);
    assert.equal(existsSync(dir), false);
    reader.close();
  });

  test('clear deletes every record and segment, and the store goes on', () => {
    const dir = tempDir();
    const store = open(dir, { segmentBytes: 2048 });
    store.append(range(0, 40).map((i) => span(i)));
    assert.ok(store.stats().segments >= 1);
    store.clear();
    assert.equal(store.count(), 0);
    assert.equal(store.get(span(1).key), undefined);
    assert.deepEqual(store.terms(''), []);
    assert.deepEqual(store.append([span(1)]), { inserted: 1, duplicates: 0, replaced: 0, expired: 0 });
    store.close();
    const again = open(dir);
    assert.equal(again.count(), 1);
    again.close();
  });

  test('stats count records, bytes and segments', () => {
    const store = open(tempDir(), { segmentBytes: 4096 });
    for (let b = 0; b < 10; b++) store.append(range(b * 20, b * 20 + 20).map((i) => span(i)));
    const stats = store.stats();
    assert.equal(stats.records, 200);
    assert.ok(stats.segments > 1, `rolled segments: ${stats.segments}`);
    assert.ok(stats.bytes > 200 * 40);
    assert.ok(stats.terms >= 3 + 5 + 35 + 1);
    assert.ok(stats.indexBytes > 0);
    store.close();
  });
});

describe('store: time order', () => {
  test('records appended out of time order come back in time order, across many blocks', () => {
    const store = open(tempDir());
    // Live data first, then an import of older data: newest-first must not follow append order.
    const live = range(20_000, 30_000).map((i) => span(i));
    const old = range(0, 20_000).map((i) => span(i));
    store.append(live);
    for (let b = 0; b < old.length; b += 5000) store.append(old.slice(b, b + 5000).reverse());
    assert.deepEqual(ids(store.query({ all: ['svc=svc0'], limit: 3 })), [29_997, 29_994, 29_991]);
    assert.deepEqual(ids(store.query({ all: ['svc=svc0'], limit: 3, newestFirst: false })), [0, 3, 6]);
    assert.deepEqual(ids(store.query({ all: ['error'], from: T0 + 19_990_000, to: T0 + 20_010_000 })), [20_008, 20_004, 20_000, 19_996, 19_992]);
    store.close();
  });
});

