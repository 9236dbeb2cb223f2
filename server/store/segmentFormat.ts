// The bytes of a segment file. A segment is a 16-byte file header followed by batches; a batch is
// what one `append` call wrote, framed so that a reader can tell a whole batch from a torn or
// corrupted one and skip to the next:
//
//   segment header  "SLSEGMNT" | u32 format version | u32 crc32 of the 12 bytes before
//   batch header    u32 magic | u32 payload length | u32 record count | u32 payload crc32 | u32 0 | u32 crc32 of the 20 bytes before
//   payload         u32 length of the record entries | record entries | term table
//   record entry    u32 length of the rest | f64 value | varint term count | varint local term ids…
//                   | stored part: f64 time | f64 version | u16 key length | key (UTF-8) | u8 body kind | body
//                     | u32 crc32 of the stored part before it (checked on every read: bodies are read
//                     back long after the open-time scan, or never scanned when a snapshot was used)
//   term table      u32 count | (u16 length | UTF-8 bytes)…  — a batch's distinct terms, numbered from 0
//
// Only the stored part is read back by offset (`get`, `query`); the rest feeds the in-memory
// indexes when a store is opened. All integers are little-endian.
import { crc32 } from './checksum';

export const SEGMENT_MAGIC = Buffer.from('SLSEGMNT', 'latin1');
export const FORMAT_VERSION = 1;
export const SEGMENT_HEADER_BYTES = 16;
export const BATCH_MAGIC = 0x42544c53; // 'SLTB' read as little-endian u32
export const BATCH_HEADER_BYTES = 24;
/** Offsets are u32 and a batch must fit in a Buffer comfortably: split bigger appends. */
export const MAX_BATCH_BYTES = 512 * 1024 * 1024;
/** Keys and terms are stored with a u16 byte length; 8,192 UTF-16 units always fit. */
export const MAX_KEY_CHARS = 8192;
export const MAX_TERM_CHARS = 8192;

/** Offsets inside the stored part. */
export const STORED_TIME = 0;
export const STORED_VERSION = 8;
export const STORED_KEY_LENGTH = 16;
export const STORED_KEY = 18;

const BODY_BYTES = 0;
const BODY_STRING = 1;

export function encodeSegmentHeader(): Buffer {
  const header = Buffer.alloc(SEGMENT_HEADER_BYTES);
  SEGMENT_MAGIC.copy(header, 0);
  header.writeUInt32LE(FORMAT_VERSION, 8);
  header.writeUInt32LE(crc32(header.subarray(0, 12)), 12);
  return header;
}

/** Why a segment header is not ours, or undefined when it is. */
export function segmentHeaderProblem(header: Buffer): string | undefined {
  if (header.length < SEGMENT_HEADER_BYTES) return `shorter than a segment header (${header.length} bytes)`;
  if (!header.subarray(0, 8).equals(SEGMENT_MAGIC)) return 'not a segment file (wrong magic bytes)';
  if (header.readUInt32LE(12) !== crc32(header.subarray(0, 12))) return 'segment header checksum mismatch';
  const version = header.readUInt32LE(8);
  if (version !== FORMAT_VERSION) return `segment format version ${version}, this Sightline reads ${FORMAT_VERSION}`;
  return undefined;
}

export interface BatchHeader {
  payloadLength: number;
  recordCount: number;
  payloadCrc: number;
}

/** The header at `offset`, or undefined when its magic or its own checksum is wrong. */
export function readBatchHeader(buffer: Buffer, offset: number): BatchHeader | undefined {
  if (buffer.readUInt32LE(offset) !== BATCH_MAGIC) return undefined;
  if (buffer.readUInt32LE(offset + 20) !== crc32(buffer.subarray(offset, offset + 20))) return undefined;
  return { payloadLength: buffer.readUInt32LE(offset + 4), recordCount: buffer.readUInt32LE(offset + 8), payloadCrc: buffer.readUInt32LE(offset + 12) };
}

export function payloadIsIntact(buffer: Buffer, payloadStart: number, header: BatchHeader): boolean {
  return crc32(buffer.subarray(payloadStart, payloadStart + header.payloadLength)) === header.payloadCrc;
}

/**
 * Builds one batch in a reused buffer. Terms come in as global term ids (the store's interned
 * numbering) and are written as batch-local ids plus the batch's term table, so a batch is
 * self-contained on disk while encoding costs no string work per term.
 */
export class BatchEncoder {
  private buffer = Buffer.allocUnsafe(1 << 20);
  private position = 0;
  private count = 0;
  private localIds: Int32Array = new Int32Array(1024);
  private stamps: Int32Array = new Int32Array(1024);
  private epoch = 0;
  private batchTerms: number[] = [];

  begin(): void {
    this.position = BATCH_HEADER_BYTES + 4;
    this.count = 0;
    this.batchTerms.length = 0;
    this.epoch++;
  }

  get records(): number {
    return this.count;
  }

  /** Length of the stored part of the record added last. */
  lastStoredLength = 0;

  /**
   * Appends one record entry whose terms are `termIds[from, to)`; returns where its stored part
   * starts, relative to the batch start (its length is then `lastStoredLength`).
   */
  add(key: string, time: number, version: number, value: number, termIds: ArrayLike<number>, from: number, to: number, body: Uint8Array | string): number {
    const bodyBound = typeof body === 'string' ? body.length * 3 : body.length;
    this.reserve(4 + 8 + 5 * (to - from + 1) + 18 + key.length * 3 + 1 + bodyBound + 4);
    const buffer = this.buffer;
    const entryStart = this.position;
    let p = entryStart + 4;
    buffer.writeDoubleLE(value, p);
    p = writeVarint(buffer, p + 8, to - from);
    for (let i = from; i < to; i++) p = writeVarint(buffer, p, this.localId(termIds[i]));
    const storedStart = p;
    buffer.writeDoubleLE(time, p + STORED_TIME);
    buffer.writeDoubleLE(version, p + STORED_VERSION);
    const keyBytes = buffer.write(key, p + STORED_KEY, 'utf8');
    buffer.writeUInt16LE(keyBytes, p + STORED_KEY_LENGTH);
    p += STORED_KEY + keyBytes;
    if (typeof body === 'string') {
      buffer[p++] = BODY_STRING;
      p += buffer.write(body, p, 'utf8');
    } else {
      buffer[p++] = BODY_BYTES;
      buffer.set(body, p);
      p += body.length;
    }
    buffer.writeUInt32LE(crc32(buffer.subarray(storedStart, p)), p);
    p += 4;
    buffer.writeUInt32LE(p - entryStart - 4, entryStart);
    this.lastStoredLength = p - storedStart;
    this.position = p;
    this.count++;
    return storedStart;
  }

  /** Writes the term table and the header; the returned view is valid until the next `begin`. */
  finish(termBytes: (id: number) => Uint8Array): Buffer {
    const recordsEnd = this.position;
    this.buffer.writeUInt32LE(recordsEnd - BATCH_HEADER_BYTES - 4, BATCH_HEADER_BYTES);
    this.reserve(4);
    this.buffer.writeUInt32LE(this.batchTerms.length, this.position);
    this.position += 4;
    for (const id of this.batchTerms) {
      const bytes = termBytes(id);
      this.reserve(2 + bytes.length);
      this.buffer.writeUInt16LE(bytes.length, this.position);
      this.buffer.set(bytes, this.position + 2);
      this.position += 2 + bytes.length;
    }
    const payloadLength = this.position - BATCH_HEADER_BYTES;
    if (payloadLength > MAX_BATCH_BYTES) throw new RangeError(`a batch of ${payloadLength} bytes is larger than ${MAX_BATCH_BYTES}: append fewer records at a time`);
    const header = this.buffer;
    header.writeUInt32LE(BATCH_MAGIC, 0);
    header.writeUInt32LE(payloadLength, 4);
    header.writeUInt32LE(this.count, 8);
    header.writeUInt32LE(crc32(this.buffer.subarray(BATCH_HEADER_BYTES, this.position)), 12);
    header.writeUInt32LE(0, 16);
    header.writeUInt32LE(crc32(header.subarray(0, 20)), 20);
    return this.buffer.subarray(0, this.position);
  }

  private localId(globalId: number): number {
    if (globalId >= this.stamps.length) {
      const size = Math.max(globalId + 1, this.stamps.length * 2);
      this.stamps = grownInt32(this.stamps, size);
      this.localIds = grownInt32(this.localIds, size);
    }
    if (this.stamps[globalId] !== this.epoch) {
      this.stamps[globalId] = this.epoch;
      this.localIds[globalId] = this.batchTerms.length;
      this.batchTerms.push(globalId);
    }
    return this.localIds[globalId];
  }

  private reserve(bytes: number): void {
    const needed = this.position + bytes;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.buffer.copy(bigger, 0, 0, this.position);
    this.buffer = bigger;
  }
}

function grownInt32(array: Int32Array, size: number): Int32Array {
  const bigger = new Int32Array(size);
  bigger.set(array);
  return bigger;
}

function writeVarint(buffer: Buffer, position: number, value: number): number {
  while (value >= 0x80) {
    buffer[position++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  buffer[position++] = value;
  return position;
}

/** One record entry as the open-time scan sees it; reused from record to record. */
export interface ScannedEntry {
  value: number;
  termCount: number;
  /** Batch-local term ids; only the first termCount are this record's. */
  localTermIds: Uint32Array;
  /** Offset of the stored part in the scanned buffer, and its length. */
  storedStart: number;
  storedLength: number;
}

/**
 * Walks a batch whose checksum was verified: each term of its table (as a byte range), then
 * each record entry. Throws on an inconsistent layout, which a verified checksum makes a bug, not damage.
 */
export function scanBatch(buffer: Buffer, payloadStart: number, payloadLength: number, onTerm: (local: number, start: number, end: number) => void, onEntry: (entry: ScannedEntry) => void): void {
  const payloadEnd = payloadStart + payloadLength;
  const recordsStart = payloadStart + 4;
  const recordsEnd = recordsStart + buffer.readUInt32LE(payloadStart);
  let p = recordsEnd;
  const termCount = buffer.readUInt32LE(p);
  p += 4;
  for (let i = 0; i < termCount; i++) {
    const length = buffer.readUInt16LE(p);
    onTerm(i, p + 2, p + 2 + length);
    p += 2 + length;
  }
  if (p !== payloadEnd) throw new Error(`batch term table ends at ${p}, payload at ${payloadEnd}`);
  const entry: ScannedEntry = { value: 0, termCount: 0, localTermIds: new Uint32Array(16), storedStart: 0, storedLength: 0 };
  p = recordsStart;
  while (p < recordsEnd) {
    const entryEnd = p + 4 + buffer.readUInt32LE(p);
    entry.value = buffer.readDoubleLE(p + 4);
    p += 12;
    let count = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = buffer[p++];
      count |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    if (count > entry.localTermIds.length) entry.localTermIds = new Uint32Array(count * 2);
    const ids = entry.localTermIds;
    for (let i = 0; i < count; i++) {
      let id = 0;
      shift = 0;
      do {
        byte = buffer[p++];
        id |= (byte & 0x7f) << shift;
        shift += 7;
      } while (byte & 0x80);
      ids[i] = id;
    }
    entry.termCount = count;
    entry.storedStart = p;
    entry.storedLength = entryEnd - p;
    onEntry(entry);
    p = entryEnd;
  }
}

export interface StoredPart {
  key: string;
  time: number;
  version: number;
  body: Uint8Array | string;
}

/** The stored part at `start`, or undefined when its checksum does not match (damaged on disk). */
export function decodeStored(buffer: Buffer, start: number, length: number): StoredPart | undefined {
  const end = start + length - 4;
  if (length < STORED_KEY + 5 || crc32(buffer.subarray(start, end)) !== buffer.readUInt32LE(end)) return undefined;
  const keyLength = buffer.readUInt16LE(start + STORED_KEY_LENGTH);
  const keyEnd = start + STORED_KEY + keyLength;
  const kind = buffer[keyEnd];
  const bodyStart = keyEnd + 1;
  return {
    key: buffer.toString('utf8', start + STORED_KEY, keyEnd),
    time: buffer.readDoubleLE(start + STORED_TIME),
    version: buffer.readDoubleLE(start + STORED_VERSION),
    body: kind === BODY_STRING ? buffer.toString('utf8', bodyStart, end) : new Uint8Array(buffer.subarray(bodyStart, end)),
  };
}
