import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { otlpId, paddedHexId } from '../../../server/traces/formats/ids';
import { nsBetween, nsFromDecimal, nsFromUnixNano, signedLong, unsignedLongToDecimal } from '../../../server/traces/formats/nanoseconds';

describe('ids', () => {
  test('OTLP ids in hex (any case) and base64 (padded, unpadded, URL-safe) all become lowercase hex', () => {
    const trace = '5b8efff798038103d269b633813fc60c';
    for (const text of [trace, trace.toUpperCase(), 'W47/95gDgQPSabYzgT/GDA==', 'W47/95gDgQPSabYzgT/GDA', 'W47_95gDgQPSabYzgT_GDA']) assert.equal(otlpId(text, 16), trace, text);
    for (const text of ['eee19b7ec3c1b174', 'EEE19B7EC3C1B174', '7uGbfsPBsXQ=', '7uGbfsPBsXQ']) assert.equal(otlpId(text, 8), 'eee19b7ec3c1b174', text);
    assert.equal(otlpId(Buffer.from(trace, 'hex'), 16), trace);
    assert.equal(otlpId(new Uint8Array(Buffer.from('eee19b7ec3c1b174', 'hex')), 8), 'eee19b7ec3c1b174');
  });

  test('absent ids are empty; ids of the wrong size or alphabet are invalid', () => {
    for (const absent of ['', undefined, null, new Uint8Array(0), []]) assert.equal(otlpId(absent, 8), '');
    for (const bad of ['abc', 'eee19b7ec3c1b17g', '5b8efff798038103d269b633813fc60c', 'W47/95gDgQPSabYzgT/GDA==', '!!!!!!!!!!!!', 42, {}, Buffer.alloc(7)]) {
      assert.equal(otlpId(bad, 8), undefined, String(bad));
    }
    assert.equal(otlpId('7uGbfsPBsXQ=', 16), undefined);
  });

  test('Jaeger and Zipkin hex ids are left-padded to full width', () => {
    assert.equal(paddedHexId('5af7183fb1d4cf5f', 16), '00000000000000005af7183fb1d4cf5f');
    assert.equal(paddedHexId('3F2A', 8), '0000000000003f2a');
    assert.equal(paddedHexId('x', 8), undefined);
    assert.equal(paddedHexId('0'.repeat(17), 8), undefined);
  });
});

describe('nanosecond times', () => {
  test('decimal strings past 2^53 are kept digit for digit', () => {
    assert.equal(nsFromUnixNano('1700000000123456789'), '1700000000123456789');
    assert.equal(nsFromUnixNano('0001'), '1');
    assert.equal(nsFromUnixNano(1_700_000_000_123), '1700000000123');
    assert.equal(nsFromUnixNano({ low: 1032178965, high: 395812094, unsigned: true }), '1700000000123456789');
    for (const bad of ['1.5', '-1', 'soon', '123456789012345678901', -5, NaN, null, {}]) assert.equal(nsFromUnixNano(bad), undefined, String(bad));
  });

  test('64-bit halves join exactly, with and without BigInt', () => {
    for (let i = 0; i < 2000; i++) {
      const high = i === 0 ? 0xffffffff : i === 1 ? 0x200000 : Math.floor(Math.random() * 2 ** 32);
      const low = i % 2 ? 0xffffffff : Math.floor(Math.random() * 2 ** 32);
      assert.equal(unsignedLongToDecimal(low | 0, high | 0), ((BigInt(high) << 32n) | BigInt(low)).toString());
    }
    assert.equal(signedLong(5, 0), 5);
    assert.equal(signedLong(-1, -1), -1);
    assert.equal(signedLong(1, 0x80000000 | 0), '-9223372036854775807');
  });

  test('float seconds and microseconds move the decimal point in text, never through a float multiply', () => {
    assert.equal(nsFromDecimal(1478293361.271, 9), '1478293361271000000');
    assert.equal(nsFromDecimal(1.478293361271e9, 9), '1478293361271000000');
    assert.equal(nsFromDecimal(1700000000.123456, 9), '1700000000123456000');
    assert.equal(nsFromDecimal('1700000000.1234567891', 9), '1700000000123456789');
    assert.equal(nsFromDecimal(1700000000, 9), '1700000000000000000');
    assert.equal(nsFromDecimal(0.5, 9), '500000000');
    assert.equal(nsFromDecimal(1e-7, 9), '100');
    assert.equal(nsFromDecimal(1556604172355737, 3), '1556604172355737000');
    assert.equal(nsFromDecimal(1.5, 3), '1500');
    assert.equal(nsFromDecimal(0, 3), '0');
    for (const bad of [-1, NaN, Infinity, '12a', '', null]) assert.equal(nsFromDecimal(bad, 9), undefined, String(bad));
    // What a float multiply would give: 1478293361.271 * 1e9 is not 1478293361271000000.
    assert.notEqual(BigInt(1478293361.271 * 1e9).toString(), '1478293361271000000');
  });

  test('durations between two decimal times are exact', () => {
    assert.equal(nsBetween('1700000000123456789', '1700000000373456789'), 250_000_000);
    assert.equal(nsBetween('1699999999999999999', '1700000000000000001'), 2);
    assert.equal(nsBetween('1000', '2500'), 1500);
    assert.equal(nsBetween('999999999999999999', '1000000000000000001'), 2);
    // 30 days: past the 15-digit fast path.
    assert.equal(nsBetween('1700000000000000000', '1702592000000000000'), 2_592_000_000_000_000);
    assert.equal(nsBetween('1700000000000000005', '1700000000000000000'), -5);
  });
});
