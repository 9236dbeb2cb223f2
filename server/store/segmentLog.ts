// The segment files of one store directory: finding them, scanning them at open (with recovery
// from a torn tail and from corrupted batches), appending batches durably, reading stored parts
// back by offset, and deleting whole segments for retention. Knows bytes and files, not records.
import { closeSync, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, openSync, readdirSync, readSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  BATCH_HEADER_BYTES, BATCH_MAGIC, encodeSegmentHeader, payloadIsIntact, readBatchHeader, SEGMENT_HEADER_BYTES, segmentHeaderProblem,
  type BatchHeader,
} from './segmentFormat';
import { SNAPSHOT_FILE } from './snapshot';

export const LOCK_FILE = 'LOCK';
const SEGMENT_NAME = /^(\d{8})\.seg$/;

/** One segment file. The ordinal and time fields are kept by the store, which assigns ordinals. */
export interface Segment {
  seq: number;
  name: string;
  path: string;
  fd: number;
  /** Only the newest segment of a writer is open for writing; sealed segments never change. */
  writable: boolean;
  /** Bytes of valid data: the file size, less any tail that recovery ignored. */
  size: number;
  firstOrdinal: number;
  endOrdinal: number;
  minTime: number;
  maxTime: number;
}

/** Called for each intact batch found while scanning; `buffer` is only valid during the call. */
export type BatchVisitor = (segment: Segment, buffer: Buffer, batchStart: number, batchFileOffset: number, header: BatchHeader) => void;

export type Report = (message: string) => void;

const SCAN_CHUNK = 8 * 1024 * 1024;
/** Ordinal range of a segment not scanned yet: above any real ordinal, so lookups by ordinal skip it. */
const UNSCANNED = Number.MAX_SAFE_INTEGER;

export function segmentName(seq: number): string {
  return `${String(seq).padStart(8, '0')}.seg`;
}

export class SegmentLog {
  readonly segments: Segment[] = [];
  private nextSeq = 1;

  private constructor(readonly dir: string, readonly readOnly: boolean, private readonly report: Report, private readonly durable: boolean) {}

  /**
   * Lists the directory: segments in order (each header checked), and a message for anything
   * else. Call `scan` next to read their batches.
   */
  static open(dir: string, readOnly: boolean, durable: boolean, report: Report): SegmentLog {
    const log = new SegmentLog(dir, readOnly, report, durable);
    const found: { seq: number; name: string }[] = [];
    for (const name of readdirSync(dir).sort()) {
      const match = SEGMENT_NAME.exec(name);
      if (match) {
        found.push({ seq: Number(match[1]), name });
        continue;
      }
      if (name === LOCK_FILE || name.startsWith(`${LOCK_FILE}.`) || name === SNAPSHOT_FILE || name === `${SNAPSHOT_FILE}.tmp`) continue;
      const kind = statSync(join(dir, name), { throwIfNoEntry: false })?.isDirectory() ? 'folder' : 'file';
      report(`Ignoring ${join(dir, name)}: this ${kind} is not part of a Sightline store.`);
    }
    for (let i = 0; i < found.length; i++) {
      log.nextSeq = Math.max(log.nextSeq, found[i].seq + 1);
      const segment = log.openSegment(found[i].seq, found[i].name, i === found.length - 1);
      if (segment) log.segments.push(segment);
    }
    return log;
  }

  /** A log with no files, for a reader of a store that was never written. */
  static empty(dir: string, durable: boolean, report: Report): SegmentLog {
    return new SegmentLog(dir, true, report, durable);
  }

  /**
   * Reads the segments in order from where `from` says (undefined: skip it, as a snapshot covers
   * it), calling `onSegment` before a segment read from its start and `visit` for each intact
   * batch. A writer truncates a torn tail of the newest segment; a reader leaves files untouched.
   */
  scan(from: (segment: Segment) => number | undefined, onSegment: (segment: Segment) => void, visit: BatchVisitor): void {
    for (let i = 0; i < this.segments.length; i++) {
      const segment = this.segments[i];
      const start = from(segment);
      if (start === undefined) continue;
      if (start === SEGMENT_HEADER_BYTES) onSegment(segment);
      this.scanSegment(segment, i === this.segments.length - 1, start, visit);
    }
  }

  /** When the segment's file was last modified, in whole ms (what every file system keeps). */
  modified(segment: Segment): number {
    return Math.round(fstatSync(segment.fd).mtimeMs);
  }

  get active(): Segment | undefined {
    return this.segments[this.segments.length - 1];
  }

  get totalBytes(): number {
    let total = 0;
    for (const segment of this.segments) total += segment.size;
    return total;
  }

  /** Starts a new, empty segment that later appends go to; the previous one is sealed. */
  roll(firstOrdinal: number): Segment {
    const previous = this.active;
    if (previous) previous.writable = false;
    const seq = this.nextSeq++;
    const name = segmentName(seq);
    const path = join(this.dir, name);
    const fd = openSync(path, 'wx+');
    const header = encodeSegmentHeader();
    writeAll(fd, header, 0, header.length, 0);
    if (this.durable) {
      fsyncSync(fd);
      syncDirectory(this.dir);
    }
    const segment: Segment = { seq, name, path, fd, writable: true, size: header.length, firstOrdinal, endOrdinal: firstOrdinal, minTime: Infinity, maxTime: -Infinity };
    this.segments.push(segment);
    return segment;
  }

  /**
   * Appends one encoded batch to the active segment and makes it durable. On failure the segment
   * is cut back to its previous size, so a batch is on disk whole or not at all.
   */
  append(batch: Buffer): { segment: Segment; offset: number } {
    const segment = this.active;
    if (!segment?.writable) throw new Error('no segment open for writing');
    const offset = segment.size;
    try {
      writeAll(segment.fd, batch, 0, batch.length, offset);
      if (this.durable) fdatasyncSync(segment.fd);
    } catch (error) {
      try {
        ftruncateSync(segment.fd, offset);
      } catch {
        // The write error is the one to report; a later open truncates the torn tail anyway.
      }
      throw error;
    }
    segment.size = offset + batch.length;
    return { segment, offset };
  }

  read(segment: Segment, offset: number, length: number, into: Buffer): number {
    return readSync(segment.fd, into, 0, length, offset);
  }

  /** Closes and deletes a segment (retention or clear). */
  drop(segment: Segment): void {
    const at = this.segments.indexOf(segment);
    if (at >= 0) this.segments.splice(at, 1);
    closeSync(segment.fd);
    try {
      unlinkSync(segment.path);
    } catch (error) {
      this.report(`Could not delete ${segment.path}: ${(error as Error).message}`);
    }
  }

  close(): void {
    for (const segment of this.segments) closeSync(segment.fd);
    this.segments.length = 0;
  }

  private openSegment(seq: number, name: string, isLast: boolean): Segment | undefined {
    const path = join(this.dir, name);
    const writable = isLast && !this.readOnly;
    const fd = openSync(path, writable ? 'r+' : 'r');
    const size = fstatSync(fd).size;
    const header = Buffer.alloc(SEGMENT_HEADER_BYTES);
    const got = readSync(fd, header, 0, header.length, 0);
    const problem = segmentHeaderProblem(header.subarray(0, got));
    if (problem && writable && size < SEGMENT_HEADER_BYTES) {
      // A crash between creating the newest segment and writing its header: start it afresh.
      const fresh = encodeSegmentHeader();
      writeAll(fd, fresh, 0, fresh.length, 0);
      ftruncateSync(fd, fresh.length);
      if (this.durable) fsyncSync(fd);
      this.report(`Recovered ${path}: it was cut off inside its header (${size} bytes) and was started afresh.`);
      return { seq, name, path, fd, writable, size: fresh.length, firstOrdinal: UNSCANNED, endOrdinal: UNSCANNED, minTime: Infinity, maxTime: -Infinity };
    }
    if (problem) {
      closeSync(fd);
      this.report(`Ignoring ${path}: ${problem}.`);
      return undefined;
    }
    return { seq, name, path, fd, writable, size, firstOrdinal: UNSCANNED, endOrdinal: UNSCANNED, minTime: Infinity, maxTime: -Infinity };
  }

  /**
   * Reads a segment batch by batch. A batch whose header or payload checksum fails is skipped with
   * a message naming the file and offset, and scanning resumes at the next intact batch; damage
   * that reaches the end of the newest segment is a torn write, which a writer truncates.
   */
  private scanSegment(segment: Segment, isLast: boolean, from: number, visit: BatchVisitor): void {
    const reader = new ChunkReader(segment.fd, segment.size);
    let position = from;
    let tornAt: number | undefined;
    while (position < segment.size) {
      if (position + BATCH_HEADER_BYTES > segment.size) {
        tornAt = position;
        break;
      }
      const buffer = reader.load(position, BATCH_HEADER_BYTES);
      const header = readBatchHeader(buffer, reader.at(position));
      if (header) {
        const end = position + BATCH_HEADER_BYTES + header.payloadLength;
        if (end > segment.size) {
          tornAt = position;
          break;
        }
        const whole = reader.load(position, end - position);
        const start = reader.at(position);
        if (payloadIsIntact(whole, start + BATCH_HEADER_BYTES, header)) {
          visit(segment, whole, start, position, header);
          position = end;
          continue;
        }
        if (end === segment.size && isLast) {
          tornAt = position;
          break;
        }
        this.report(`Skipped a damaged batch in ${segment.path} at offset ${position}: its checksum does not match (${header.recordCount} records lost, ${header.payloadLength} bytes).`);
        position = end;
        continue;
      }
      const next = this.findNextBatch(reader, position + 1, segment.size);
      if (next < 0) {
        if (isLast) {
          tornAt = position;
          break;
        }
        this.report(`Ignoring the end of ${segment.path} from offset ${position}: no readable batch follows (${segment.size - position} bytes).`);
        segment.size = position;
        break;
      }
      this.report(`Skipped unreadable bytes in ${segment.path} from offset ${position} to ${next}: not a valid batch header.`);
      position = next;
    }
    if (tornAt === undefined) return;
    const lost = segment.size - tornAt;
    if (!this.readOnly && isLast) {
      ftruncateSync(segment.fd, tornAt);
      if (this.durable) fsyncSync(segment.fd);
      this.report(`Recovered ${segment.path}: truncated a torn write of ${lost} bytes at offset ${tornAt} (the batch in flight when the writer stopped).`);
    } else {
      this.report(`Ignoring an incomplete batch at the end of ${segment.path}, offset ${tornAt} (${lost} bytes); a writer still appending, or one that stopped mid-batch.`);
    }
    segment.size = tornAt;
  }

  /** The offset of the next batch after `from` whose header and payload checksums hold, or -1. */
  private findNextBatch(reader: ChunkReader, from: number, size: number): number {
    const magic = Buffer.alloc(4);
    magic.writeUInt32LE(BATCH_MAGIC);
    let position = from;
    while (position + BATCH_HEADER_BYTES <= size) {
      const window = Math.min(SCAN_CHUNK, size - position);
      const buffer = reader.load(position, window);
      const start = reader.at(position);
      const found = buffer.indexOf(magic, start);
      if (found < 0 || found >= start + window) {
        position += Math.max(1, window - 3);
        continue;
      }
      const candidate = position + (found - start);
      if (candidate + BATCH_HEADER_BYTES > size) return -1;
      const headerBuffer = reader.load(candidate, BATCH_HEADER_BYTES);
      const header = readBatchHeader(headerBuffer, reader.at(candidate));
      if (header && candidate + BATCH_HEADER_BYTES + header.payloadLength <= size) {
        const whole = reader.load(candidate, BATCH_HEADER_BYTES + header.payloadLength);
        if (payloadIsIntact(whole, reader.at(candidate) + BATCH_HEADER_BYTES, header)) return candidate;
      }
      position = candidate + 1;
    }
    return -1;
  }
}

/** Sequential reads in large chunks, re-reading when a requested range crosses the chunk end. */
class ChunkReader {
  private buffer = Buffer.allocUnsafe(SCAN_CHUNK);
  private start = 0;
  private length = 0;

  constructor(private readonly fd: number, private readonly size: number) {}

  /** Makes [position, position + length) available; returns the buffer holding it. */
  load(position: number, length: number): Buffer {
    if (position >= this.start && position + length <= this.start + this.length) return this.buffer;
    if (length > this.buffer.length) this.buffer = Buffer.allocUnsafe(length);
    const want = Math.min(this.buffer.length, this.size - position);
    let got = 0;
    while (got < want) {
      const n = readSync(this.fd, this.buffer, got, want - got, position + got);
      if (n === 0) break;
      got += n;
    }
    this.start = position;
    this.length = got;
    if (got < length) throw new Error(`short read at offset ${position}: ${got} of ${length} bytes`);
    return this.buffer;
  }

  /** Index in the buffer of a file position inside the loaded range. */
  at(position: number): number {
    return position - this.start;
  }
}

function writeAll(fd: number, buffer: Buffer, offset: number, length: number, position: number): void {
  let written = 0;
  while (written < length) written += writeSync(fd, buffer, offset + written, length - written, position + written);
}

/** Makes a created or deleted file name durable; not possible (nor needed) on Windows. */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse to fsync a directory; the data itself is synced already.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
