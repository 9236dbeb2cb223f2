// The query engine against a plain in-memory model: random records over several blocks, out of
// time order, with replacements and dropped segments; random queries compared answer by answer.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Store, type Query } from '../../../server/store/store';
import { T0, tempDir } from './helpers';
import { random } from '../../support/random';

interface ModelRecord {
  key: string;
  time: number;
  terms: string[];
  version: number;
  seq: number;
}

describe('query engine against a model', () => {
  test('random queries give the model answers, in order', () => {
    const rnd = random(7);
    const store = Store.open(tempDir(), { name: 'model', retention: { maxAgeMs: Infinity, maxBytes: Infinity }, now: () => T0, durable: false });
    const model = new Map<string, ModelRecord>();
    let seq = 0;
    const pick = (n: number) => Math.floor(rnd() * n);
    for (let batch = 0; batch < 12; batch++) {
      // Later batches reach back in time, like an import of older data.
      const base = batch % 3 === 2 ? T0 : T0 + batch * 1_000_000;
      const records = Array.from({ length: 1500 }, () => {
        const key = `k${pick(16_000)}`;
        const terms = [`a=${pick(3)}`, `b=${pick(20)}`, `c=${pick(400)}`, ...(rnd() < 0.1 ? ['rare'] : [])];
        return { key, time: base + pick(2_000_000), terms, version: pick(3), body: key };
      });
      store.append(records);
      for (const r of records) {
        const held = model.get(r.key);
        if (!held || r.version > held.version) model.set(r.key, { key: r.key, time: r.time, terms: r.terms, version: r.version, seq: seq++ });
      }
    }
    const answer = (q: Query): string[] => {
      const matching = [...model.values()].filter((r) =>
        (q.all ?? []).every((t) => r.terms.includes(t)) &&
        (!q.any?.length || q.any.some((t) => r.terms.includes(t))) &&
        r.time >= (q.from ?? -Infinity) && r.time <= (q.to ?? Infinity));
      const newest = q.newestFirst !== false;
      matching.sort((x, y) => (newest ? y.time - x.time || y.seq - x.seq : x.time - y.time || x.seq - y.seq));
      return matching.slice(0, q.limit ?? Infinity).map((r) => r.key);
    };
    assert.equal(store.count(), model.size);
    for (let q = 0; q < 300; q++) {
      const query: Query = {};
      if (rnd() < 0.8) query.all = [`a=${pick(3)}`, `b=${pick(20)}`, `c=${pick(400)}`, 'rare'].filter(() => rnd() < 0.5);
      if (rnd() < 0.3) query.any = [`c=${pick(400)}`, `c=${pick(400)}`, `b=${pick(20)}`].slice(0, 1 + pick(3));
      if (rnd() < 0.4) query.from = T0 + pick(12_000_000);
      if (rnd() < 0.4) query.to = (query.from ?? T0) + pick(6_000_000);
      if (rnd() < 0.7) query.limit = 1 + pick(60);
      if (rnd() < 0.3) query.newestFirst = false;
      const expected = answer(query);
      assert.deepEqual([...store.query(query)].map((r) => r.body), expected, JSON.stringify(query));
      assert.equal(store.count({ ...query, limit: undefined }), answer({ ...query, limit: undefined }).length, JSON.stringify(query));
    }
    store.close();
  });
});
