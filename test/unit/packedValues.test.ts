// Packed batches of values come back as structured clone would give them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packValues, unpackValues } from '../../server/packedValues';

test('values of every JSON-like kind, nested, in shared and differing shapes, come back equal', () => {
  const proto = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as unknown;
  const values: unknown[] = [
    { id: 'e1', time: 1_700_000_000_123, ok: true, no: false, none: null, gone: undefined, identity: { type: 'IAMUser', name: 'alice' }, resources: [{ arn: 'arn:aws:s3:::b', name: 'b' }] },
    { id: 'e2', time: -0, ok: false, no: true, none: null, gone: undefined, identity: { type: 'Root' }, resources: [] },
    { id: '', time: Number.NaN, text: 'quote " backslash \\ é ✓ 🙂 \u0000', big: 2 ** 60, small: 1e-300, negative: -42.5 },
    [1, 'two', [3, [4]], {}, []],
    'a string on its own', 7, true, null, undefined,
    { 2: 'two', 10: 'ten', b: 'b', 1: 'one' },
    proto,
  ];
  const unpacked = unpackValues(packValues(values));
  assert.deepEqual(unpacked, values);
  assert.equal(Object.getPrototypeOf(unpacked[10]), Object.prototype, '"__proto__" stays an own property');
  assert.deepEqual(Object.keys(unpacked[10] as object), ['__proto__', 'a']);
  assert.ok(Object.is((unpacked[1] as { time: number }).time, -0));
  assert.deepEqual(Object.keys(unpacked[0] as object), Object.keys(values[0] as object), 'keys in their order');
});

test('an empty batch, and batches larger than the first buffers', () => {
  assert.deepEqual(unpackValues(packValues([])), []);
  const many = Array.from({ length: 5000 }, (_, i) => ({ i, name: `n${i}`, tags: [i % 3 === 0, `t${i % 7}`], nested: i % 2 ? { odd: i } : { even: i, more: 'x' } }));
  assert.deepEqual(unpackValues(packValues(many)), many);
});

test('what JSON-like values cannot hold is refused', () => {
  assert.throws(() => packValues([{ f: () => 1 }]), TypeError);
  assert.throws(() => packValues([10n]), TypeError);
  assert.throws(() => packValues([Symbol('s')]), TypeError);
});
