// Times as the model holds them: nanoseconds since the Unix epoch in decimal strings. Nanosecond
// timestamps (≈1.7e18) are past 2^53, so no step here goes through a floating-point number
// that could round them: integers are copied as digits, 64-bit halves joined exactly, and
// fractional seconds or microseconds are shifted by moving the decimal point in the text.

const digits = /^\d{1,20}$/;
const decimal = /^(\d+)(?:\.(\d*))?$/;
const ninePadding = '000000000';
const twoTo32 = 4294967296;

function withoutLeadingZeros(text: string): string {
  let i = 0;
  while (i < text.length - 1 && text.charCodeAt(i) === 48) i++;
  return i === 0 ? text : text.slice(i);
}

/** protobufjs's Long (or anything shaped like it). */
export interface LongBits {
  low: number;
  high: number;
  unsigned?: boolean;
}

export function isLongBits(value: unknown): value is LongBits {
  return typeof value === 'object' && value !== null && typeof (value as LongBits).low === 'number' && typeof (value as LongBits).high === 'number';
}

/**
 * An unsigned 64-bit value as decimal, exactly. Runs for every protobuf timestamp, so no BigInt:
 * long division by 10^9 over 16-bit limbs keeps every intermediate below 2^53.
 */
export function unsignedLongToDecimal(low: number, high: number): string {
  const hi = high >>> 0;
  const lo = low >>> 0;
  if (hi < 0x200000) return String(hi * twoTo32 + lo);
  const q2 = Math.floor(hi / 1e9);
  let rest = hi - q2 * 1e9;
  let part = rest * 65536 + (lo >>> 16);
  const q1 = Math.floor(part / 1e9);
  rest = part - q1 * 1e9;
  part = rest * 65536 + (lo & 0xffff);
  const q0 = Math.floor(part / 1e9);
  rest = part - q0 * 1e9;
  const digits = String(rest);
  return String(q2 * twoTo32 + q1 * 65536 + q0) + ninePadding.slice(digits.length) + digits;
}

/** A signed 64-bit value: a number when exact, else its decimal string. */
export function signedLong(low: number, high: number): number | string {
  if (high >= -0x200000 && high < 0x200000) return high * twoTo32 + (low >>> 0);
  return BigInt.asIntN(64, (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0)).toString();
}

/**
 * An OTLP `*UnixNano` value: a decimal string (the JSON mapping), a number (some exporters; exact
 * only when the JSON text was pre-quoted, see otlpJson.ts) or a Long (protobuf). undefined if not.
 */
export function nsFromUnixNano(value: unknown): string | undefined {
  if (typeof value === 'string') return digits.test(value) ? withoutLeadingZeros(value) : undefined;
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return String(value);
    return Number.isFinite(value) && value >= 0 ? BigInt(Math.round(value)).toString() : undefined;
  }
  if (isLongBits(value)) return unsignedLongToDecimal(value.low, value.high);
  if (typeof value === 'bigint' && value >= 0n) return value.toString();
  return undefined;
}

/**
 * A decimal number of seconds (X-Ray's `1478293361.271`) or microseconds (Jaeger, Zipkin) in
 * nanoseconds, moving the point in the number's text: `scale` is 9 for seconds, 3 for µs.
 * Digits past the nanosecond are dropped. undefined for negatives, NaN and non-numbers.
 */
export function nsFromDecimal(value: unknown, scale: 9 | 3): string | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!(value >= 0) || !Number.isFinite(value)) return undefined;
    if (scale === 3 && Number.isSafeInteger(value)) return value === 0 ? '0' : `${value}000`;
    // String() of a number has no leading zeros and no exponent between 1e-6 and 1e21.
    text = String(value);
    const dot = text.indexOf('.');
    if (dot === -1 && value >= 1) return text + ninePadding.slice(0, scale);
    if (dot > 0 && value >= 1) {
      const fraction = text.length - dot - 1;
      return text.slice(0, dot) + (fraction >= scale ? text.slice(dot + 1, dot + 1 + scale) : text.slice(dot + 1) + ninePadding.slice(0, scale - fraction));
    }
    if (text.includes('e')) return BigInt(Math.round(value * 10 ** scale)).toString();
  } else if (typeof value === 'string') {
    text = value;
  } else {
    return undefined;
  }
  const match = decimal.exec(text);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  const scaled = fraction.length >= scale ? fraction.slice(0, scale) : fraction + ninePadding.slice(0, scale - fraction.length);
  return withoutLeadingZeros(match[1] + scaled);
}

/**
 * end − start in nanoseconds as a number (exact below 2^53 ns, about 104 days). Runs once per span,
 * so it reads digits in place instead of slicing: past the common prefix of two equally long
 * times, at most 15 digits differ for any duration under 11 days, and those are exact in a double.
 */
export function nsBetween(startNs: string, endNs: string): number {
  const n = endNs.length;
  if (n <= 15 && startNs.length <= 15) return Number(endNs) - Number(startNs);
  if (n === startNs.length) {
    let i = 0;
    while (i < n && endNs.charCodeAt(i) === startNs.charCodeAt(i)) i++;
    if (n - i <= 15) {
      let end = 0;
      let start = 0;
      for (let j = i; j < n; j++) {
        end = end * 10 + endNs.charCodeAt(j) - 48;
        start = start * 10 + startNs.charCodeAt(j) - 48;
      }
      return end - start;
    }
  }
  return Number(BigInt(endNs) - BigInt(startNs));
}
