// Bytes of a file → text, or what is wrong with them. Gzip is recognised by its magic bytes, not
// the file name (CloudTrail's `.json.gz` files are sometimes saved decompressed under the same name,
// and the reverse). A truncated gzip stream is reported, and the whole lines that decompressed
// before the cut are handed back so the caller can decide what of them to keep (see documents.ts).

import { isUtf8 } from 'node:buffer';
import { constants as zlibConstants, gunzip, gunzipSync } from 'node:zlib';

export type Decoded =
  | { text: string; gzip: boolean; problem?: undefined }
  | { problem: string; gzip: boolean; partialText?: string };

/** Larger documents are refused: V8 cannot hold a string much above 512 MB, and JSON.parse needs it whole. */
export const DEFAULT_MAX_DECODED_BYTES = 256 * 1024 * 1024;

const OTHER_FORMATS: { magic: number[]; what: string }[] = [
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive, not gzip: unpack it first' },
  { magic: [0x42, 0x5a, 0x68], what: 'bzip2-compressed, not gzip: decompress it first' },
  { magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'xz-compressed, not gzip: decompress it first' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], what: 'zstd-compressed, not gzip: decompress it first' },
  { magic: [0x50, 0x41, 0x52, 0x31], what: 'a Parquet file (CloudTrail Lake or Athena export), not CloudTrail JSON' },
];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  if (bytes.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic[i]) return false;
  return true;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

/**
 * CloudTrail JSON compresses about tenfold; output chunks near the expected size spare one
 * callback (async) or one buffer to concatenate (sync) per default 16 KB chunk.
 */
function outputChunkSize(bytes: Buffer): number {
  return Math.min(4 << 20, Math.max(64 << 10, bytes.length * 12));
}

function gunzipAsync(bytes: Buffer, maxOutputLength: number): Promise<Buffer> {
  const chunkSize = outputChunkSize(bytes);
  return new Promise((resolve, reject) => gunzip(bytes, { maxOutputLength, chunkSize }, (error, result) => (error ? reject(error) : resolve(result))));
}

/** Offset of the first byte that breaks UTF-8, for the message; only called once a check failed. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need: number;
    let min: number;
    if (b < 0x80) { i++; continue; }
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  return control > n / 20;
}

function bytesToText(bytes: Buffer, gzip: boolean): Decoded {
  const after = gzip ? ' after gunzip' : '';
  if (bytes.length === 0) return { problem: gzip ? 'empty after gunzip' : 'empty file', gzip };
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    return { problem: `UTF-16 text${after}; CloudTrail log files are UTF-8`, gzip };
  }
  const bom = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  if (!isUtf8(bytes)) {
    if (looksBinary(bytes)) return { problem: `binary data${after}, not JSON text`, gzip };
    return { problem: `not valid UTF-8${after} (first bad byte at offset ${firstInvalidUtf8(bytes)})`, gzip };
  }
  return { text: bytes.toString('utf8', bom), gzip };
}

/** Bytes that are not gzip → their text or what is wrong with them; undefined for gzip, to inflate first. */
function decodeUnlessGzip(bytes: Buffer, maxBytes: number): Decoded | undefined {
  if (bytes.length === 0) return { problem: 'empty file', gzip: false };
  if (startsWith(bytes, [0x1f, 0x8b])) return undefined;
  for (const { magic, what } of OTHER_FORMATS) if (startsWith(bytes, magic)) return { problem: what, gzip: false };
  if (bytes.length > maxBytes) return { problem: `${mb(bytes.length)}, larger than the ${mb(maxBytes)} Sightline reads as one document; split it (JSON Lines) first`, gzip: false };
  return bytesToText(bytes, false);
}

function inflateProblem(error: unknown, bytes: Buffer, maxBytes: number): Decoded {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
    return { problem: `decompresses to more than ${mb(maxBytes)}, the most Sightline reads as one document`, gzip: true };
  }
  if (e.code === 'Z_BUF_ERROR') {
    let partialText: string | undefined;
    try {
      // Only whole lines can be whole records; the line the cut went through is dropped here.
      const partial = gunzipSync(bytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: maxBytes });
      const whole = partial.subarray(0, partial.lastIndexOf(0x0a) + 1);
      if (isUtf8(whole)) partialText = whole.toString('utf8');
    } catch {
      partialText = undefined;
    }
    return { problem: `gzip data is truncated (the file ends after ${bytes.length} bytes, before the end of the compressed stream)`, gzip: true, partialText };
  }
  return { problem: `gzip data is corrupt (${e.message})`, gzip: true };
}

/**
 * Decodes one file's bytes, inflating on libuv's thread pool. A truncated gzip stream gives a
 * problem and `partialText`: the whole lines that decompressed before the cut.
 */
export async function decodeLogBytes(bytes: Buffer, maxBytes = DEFAULT_MAX_DECODED_BYTES): Promise<Decoded> {
  const plain = decodeUnlessGzip(bytes, maxBytes);
  if (plain) return plain;
  let inflated: Buffer;
  try {
    inflated = await gunzipAsync(bytes, maxBytes);
  } catch (error) {
    return inflateProblem(error, bytes, maxBytes);
  }
  return bytesToText(inflated, true);
}

/** decodeLogBytes inflating in this thread: for worker threads, which have nothing else to do meanwhile. */
export function decodeLogBytesSync(bytes: Buffer, maxBytes = DEFAULT_MAX_DECODED_BYTES): Decoded {
  const plain = decodeUnlessGzip(bytes, maxBytes);
  if (plain) return plain;
  let inflated: Buffer;
  try {
    inflated = gunzipSync(bytes, { maxOutputLength: maxBytes, chunkSize: outputChunkSize(bytes) });
  } catch (error) {
    return inflateProblem(error, bytes, maxBytes);
  }
  return bytesToText(inflated, true);
}
