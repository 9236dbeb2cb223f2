// Key → ordinal, for deduplication and `get`. Keys are not kept in memory: the table holds a
// 64-bit hash of each key's UTF-8 bytes and the record's ordinal (12 bytes a slot, open addressing
// with linear probing), and a hash match is confirmed by reading the key back from the segment.
// Slots of records that died (replaced, or dropped by retention) are reused and purged on growth.
import type { SnapshotReader, SnapshotWriter } from './snapshot';

/** What the key index asks about the records it points to. */
export interface Liveness {
  isLive(ordinal: number): boolean;
}

export class KeyIndex {
  /** Three int32s a slot, kept together for one cache miss a probe: hash high, hash low, ordinal (-1: empty). */
  private table: Int32Array;
  private mask: number;
  /** Slots holding an ordinal, live or dead. */
  private used = 0;

  constructor(private readonly records: Liveness, capacity = 1 << 12) {
    this.table = emptyTable(slotsFor(capacity));
    this.mask = this.table.length / 3 - 1;
  }

  /**
   * The slot of the live record whose key has this hash and for which `sameKey` agrees,
   * or -1. `sameKey` reads the candidate's key; it is called only on a full 64-bit match.
   */
  find(high: number, low: number, sameKey: (ordinal: number) => boolean): number {
    const { table, mask, records } = this;
    const h = high | 0;
    const l = low | 0;
    for (let slot = l & mask; ; slot = (slot + 1) & mask) {
      const at = slot * 3;
      const ordinal = table[at + 2];
      if (ordinal < 0) return -1;
      if (table[at + 1] === l && table[at] === h && records.isLive(ordinal) && sameKey(ordinal)) return slot;
    }
  }

  ordinalAt(slot: number): number {
    return this.table[slot * 3 + 2];
  }

  /** Points a found slot at the record that replaced the one it held. */
  replaceAt(slot: number, ordinal: number): void {
    this.table[slot * 3 + 2] = ordinal;
  }

  /** Adds a key known to be absent; takes the first dead or empty slot on its probe path. */
  insert(high: number, low: number, ordinal: number): void {
    if ((this.used + 1) * 10 > (this.mask + 1) * 7) this.rehash(this.used + 1);
    const { table, mask, records } = this;
    for (let slot = (low | 0) & mask; ; slot = (slot + 1) & mask) {
      const at = slot * 3;
      const held = table[at + 2];
      if (held < 0 || !records.isLive(held)) {
        if (held < 0) this.used++;
        table[at] = high | 0;
        table[at + 1] = low | 0;
        table[at + 2] = ordinal;
        return;
      }
    }
  }

  /** Rebuilds the table with only live entries, sized for `expected` of them. */
  rehash(expected = 0): void {
    const old = this.table;
    let live = 0;
    for (let at = 0; at < old.length; at += 3) if (old[at + 2] >= 0 && this.records.isLive(old[at + 2])) live++;
    this.table = emptyTable(slotsFor(Math.max(live, expected) * 2));
    this.mask = this.table.length / 3 - 1;
    this.used = 0;
    const { table, mask } = this;
    for (let from = 0; from < old.length; from += 3) {
      const ordinal = old[from + 2];
      if (ordinal < 0 || !this.records.isLive(ordinal)) continue;
      for (let slot = old[from + 1] & mask; ; slot = (slot + 1) & mask) {
        const at = slot * 3;
        if (table[at + 2] >= 0) continue;
        table[at] = old[from];
        table[at + 1] = old[from + 1];
        table[at + 2] = ordinal;
        this.used++;
        break;
      }
    }
  }

  save(out: SnapshotWriter): void {
    out.numbers(this.used);
    out.array(this.table);
  }

  load(input: SnapshotReader): void {
    const [used] = input.numbers();
    const table = input.int32();
    const slots = table.length / 3;
    if (!Number.isInteger(slots) || slots < 16 || (slots & (slots - 1)) !== 0) throw new Error('key table size is not a power of two');
    this.table = table;
    this.mask = slots - 1;
    this.used = used;
  }

  clear(): void {
    this.table = emptyTable(slotsFor(1 << 12));
    this.mask = this.table.length / 3 - 1;
    this.used = 0;
  }

  get bytes(): number {
    return this.table.byteLength;
  }
}

function slotsFor(capacity: number): number {
  return 1 << Math.ceil(Math.log2(Math.max(16, capacity)));
}

function emptyTable(slots: number): Int32Array {
  const table = new Int32Array(slots * 3);
  for (let at = 2; at < table.length; at += 3) table[at] = -1;
  return table;
}

/** A 64-bit hash as two 32-bit halves: [high, low]. */
export type KeyHash = Uint32Array;

/**
 * Hashes the UTF-8 bytes of a key given as a string. ASCII keys (trace and span ids, CloudTrail
 * event ids) are hashed straight from their char codes, which equal their bytes.
 */
export function hashKeyString(key: string, out: KeyHash): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c >= 0x80) {
      const bytes = Buffer.from(key, 'utf8');
      hashKeyBytes(bytes, 0, bytes.length, out);
      return;
    }
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  finish(h1, h2, key.length, out);
}

export function hashKeyBytes(bytes: Uint8Array, start: number, end: number, out: KeyHash): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  finish(h1, h2, end - start, out);
}

/** murmur3's finaliser on each half, so that the low bits used for slots are well mixed. */
function finish(h1: number, h2: number, length: number, out: KeyHash): void {
  out[0] = mix(h2 ^ length);
  out[1] = mix(h1 ^ Math.imul(length, 0x9e3779b1));
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
