// The index snapshot: the in-memory indexes written to one file when a writer closes, so that the
// next open loads them (typed arrays, read as they were written) instead of re-reading and
// re-indexing every batch of every segment. It names the segments it covers with their size and
// mtime; at open it is used only if they still match (see Store.load), and whatever was appended
// after it is scanned as usual. A snapshot that does not match, or fails its checksum, is ignored.
//
//   "SLSNAPSH" | u32 version | u32 crc32 of everything after the 16-byte header | sections…
//   each array section: f64 element count | elements | padding to 8 bytes
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { crc32 } from './checksum';

export const SNAPSHOT_FILE = 'index.snapshot';
const MAGIC = Buffer.from('SLSNAPSH', 'latin1');
const VERSION = 1;
const HEADER = 16;

type Numbers = Float64Array | Uint32Array | Int32Array | Uint8Array;

export class SnapshotWriter {
  private readonly chunks: Buffer[] = [];

  numbers(...values: number[]): void {
    this.array(Float64Array.from(values));
  }

  array(values: Numbers): void {
    const count = Buffer.alloc(8);
    count.writeDoubleLE(values.length);
    this.chunks.push(count, Buffer.from(values.buffer, values.byteOffset, values.byteLength));
    const padding = (8 - (values.byteLength % 8)) % 8;
    if (padding) this.chunks.push(Buffer.alloc(padding));
  }

  /** Writes the file beside its final name, syncs it, then renames it into place. */
  save(path: string): void {
    const header = Buffer.alloc(HEADER);
    MAGIC.copy(header);
    header.writeUInt32LE(VERSION, 8);
    let crc = 0;
    for (const chunk of this.chunks) crc = crc32(chunk, crc);
    header.writeUInt32LE(crc, 12);
    const temporary = `${path}.tmp`;
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, header);
      for (const chunk of this.chunks) writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  }
}

export class SnapshotReader {
  private offset = HEADER;

  private constructor(private readonly data: Buffer) {}

  /** The snapshot at `path`, or the reason it cannot be used. */
  static open(path: string): SnapshotReader | string {
    let data: Buffer;
    try {
      data = readFileSync(path);
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'none' : (error as Error).message;
    }
    if (data.length < HEADER || !data.subarray(0, 8).equals(MAGIC)) return 'not a snapshot file';
    if (data.readUInt32LE(8) !== VERSION) return `snapshot version ${data.readUInt32LE(8)}`;
    if (crc32(data.subarray(HEADER)) !== data.readUInt32LE(12)) return 'checksum mismatch';
    // Typed-array views need 8-byte alignment within their ArrayBuffer; make sure of it.
    if (data.byteOffset % 8 !== 0) data = Buffer.from(data);
    return new SnapshotReader(data);
  }

  numbers(): number[] {
    return [...this.float64()];
  }

  float64(): Float64Array {
    return this.take((count, at) => new Float64Array(this.data.buffer, this.data.byteOffset + at, count).slice(), 8);
  }

  uint32(): Uint32Array {
    return this.take((count, at) => new Uint32Array(this.data.buffer, this.data.byteOffset + at, count).slice(), 4);
  }

  int32(): Int32Array {
    return this.take((count, at) => new Int32Array(this.data.buffer, this.data.byteOffset + at, count).slice(), 4);
  }

  uint8(): Uint8Array {
    return this.take((count, at) => new Uint8Array(this.data.buffer, this.data.byteOffset + at, count).slice(), 1);
  }

  private take<T extends Numbers>(make: (count: number, at: number) => T, size: number): T {
    if (this.offset + 8 > this.data.length) throw new Error('snapshot ends early');
    const count = this.data.readDoubleLE(this.offset);
    const at = this.offset + 8;
    const bytes = count * size;
    if (!Number.isInteger(count) || count < 0 || at + bytes > this.data.length) throw new Error('snapshot section out of range');
    this.offset = at + bytes + ((8 - (bytes % 8)) % 8);
    return make(count, at);
  }
}
