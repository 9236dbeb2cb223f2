// CRC-32 (IEEE, as in zlib and gzip) for segment headers and batches. Node's zlib.crc32 is native
// and runs at several GB/s; it exists from Node 20.15 / 22.2, so older runtimes get a table version.
import * as zlib from 'node:zlib';

/** The CRC of `data`, continuing from `previous` (the CRC of what came before it). */
type Crc32 = (data: Uint8Array, previous?: number) => number;

const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

let table: Int32Array | undefined;

function tableCrc32(data: Uint8Array, previous = 0): number {
  if (!table) {
    table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
  }
  let crc = previous ^ -1;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

export const crc32: Crc32 = native ? (data, previous = 0) => native(data, previous) : tableCrc32;

/** The portable version, exported so a test can check both agree. */
export const portableCrc32: Crc32 = tableCrc32;
