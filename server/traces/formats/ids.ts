// Trace and span ids as the model holds them: lowercase hex, 32 digits for a trace, 16 for a span.
// OTLP/JSON senders disagree on the encoding — the spec says hex, protobuf-to-JSON marshallers
// write base64 — so the OTLP reader takes both, deciding by length (a 16-byte id is 32 hex digits
// but 22–24 base64 characters; an 8-byte one 16 hex digits but 11–12 base64 characters).

export type IdBytes = 16 | 8;

const lowerHex = /^[0-9a-f]+$/;
const anyHex = /^[0-9a-fA-F]+$/;
const base64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const zeroTrace = '0'.repeat(32);
const zeroSpan = '0'.repeat(16);

/** A 16- or 8-byte array as hex; Buffer's encoder is native and the fastest there is. */
export function bytesToHex(bytes: Uint8Array): string {
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('hex');
}

function fromBase64(text: string, bytes: IdBytes): string | undefined {
  const n = text.length;
  const padded = bytes === 16 ? n === 24 || n === 22 : n === 12 || n === 11;
  if (!padded || !base64.test(text)) return undefined;
  const decoded = Buffer.from(text, 'base64');
  return decoded.length === bytes ? decoded.toString('hex') : undefined;
}

/**
 * An OTLP id — hex or base64 text from JSON, bytes from protobuf — as lowercase hex.
 * '' when absent or empty (no parent), undefined when it is not an id of that many bytes.
 */
export function otlpId(value: unknown, bytes: IdBytes): string | undefined {
  if (typeof value === 'string') {
    if (value.length === 0) return '';
    if (value.length === bytes * 2) {
      if (lowerHex.test(value)) return value;
      if (anyHex.test(value)) return value.toLowerCase();
    }
    return fromBase64(value, bytes);
  }
  if (value === undefined || value === null) return '';
  if (value instanceof Uint8Array) {
    if (value.length === 0) return '';
    return value.length === bytes ? bytesToHex(value) : undefined;
  }
  // protobufjs leaves an empty array as the default of an unset bytes field.
  if (Array.isArray(value) && value.length === 0) return '';
  return undefined;
}

/**
 * A hex id that may have lost its leading zeros (Jaeger and Zipkin print 64-bit ids; older
 * Jaeger versions drop leading zeros): left-padded to the model's width. undefined when not hex
 * or too long.
 */
export function paddedHexId(value: unknown, bytes: IdBytes): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > bytes * 2 || !anyHex.test(value)) return undefined;
  const lower = lowerHex.test(value) ? value : value.toLowerCase();
  return lower.length === bytes * 2 ? lower : lower.padStart(bytes * 2, '0');
}

/** All zeros: the W3C and OTLP spelling of "no id" (for the model's 32- and 16-digit ids). */
export function isZeroId(hex: string): boolean {
  return hex === zeroTrace || hex === zeroSpan;
}
