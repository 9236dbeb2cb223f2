// The inverted index: each distinct term ('svc=checkout', 'file=src/app.py') is interned once to
// a small integer, and owns a postings list — the ordinals of the records that carry it, in
// ascending order (records get ordinals in append order, so pushing keeps lists sorted). Postings
// are Uint32Arrays that grow by doubling: 4 bytes per (record, term) pair.
import type { SnapshotReader, SnapshotWriter } from './snapshot';

export class TermIndex {
  private readonly names: string[] = [];
  /**
   * UTF-8 bytes of every term, back to back, and where each starts: batch term tables are written
   * from here, and terms read while opening are compared here without making strings of them.
   */
  private bytes: Uint8Array = new Uint8Array(1 << 16);
  private bytesUsed = 0;
  private starts: Uint32Array = new Uint32Array(1024);
  /** Each term's 32-bit hash (a full comparison confirms a match). */
  private hashes: Uint32Array = new Uint32Array(1024);
  /** Open addressing over term ids (-1: empty), probed by the low hash bits. */
  private table: Int32Array = new Int32Array(2048).fill(-1);
  private lists: Uint32Array[] = [];
  private lengths: number[] = [];
  /** Term ids by field (the text before the first '='), for prefix listings such as 'svc='. */
  private readonly fields = new Map<string, number[]>();

  get size(): number {
    return this.names.length;
  }

  /**
   * The id of a term, interning it if new. Terms are found through our own hash of their UTF-8
   * bytes, not a Map of strings: callers build term strings afresh per record ('svc=' + name),
   * and looking such strings up in a Map of 100k+ terms was measured at several times the cost.
   */
  intern(term: string): number {
    const hash = hashTermString(term);
    const mask = this.table.length - 1;
    let slot = hash & mask;
    for (let id = this.table[slot]; id >= 0; slot = (slot + 1) & mask, id = this.table[slot]) {
      // V8 compares two flat strings natively: faster than walking the stored bytes in JS.
      if (this.hashes[id] === hash && this.names[id] === term) return id;
    }
    const encoded = Buffer.from(term, 'utf8');
    return this.insert(term, encoded, 0, encoded.length, hash);
  }

  /** `intern` for a term given as UTF-8 bytes (a batch's term table, while opening). */
  internBytes(buffer: Uint8Array, start: number, end: number): number {
    const hash = hashTermBytes(buffer, start, end);
    const mask = this.table.length - 1;
    let slot = hash & mask;
    for (let id = this.table[slot]; id >= 0; slot = (slot + 1) & mask, id = this.table[slot]) {
      if (this.hashes[id] === hash && this.equalsBytes(id, buffer, start, end)) return id;
    }
    return this.insert(Buffer.from(buffer.buffer, buffer.byteOffset + start, end - start).toString('utf8'), buffer, start, end, hash);
  }

  id(term: string): number | undefined {
    const hash = hashTermString(term);
    const mask = this.table.length - 1;
    let slot = hash & mask;
    for (let id = this.table[slot]; id >= 0; slot = (slot + 1) & mask, id = this.table[slot]) {
      if (this.hashes[id] === hash && this.names[id] === term) return id;
    }
    return undefined;
  }

  name(id: number): string {
    return this.names[id];
  }

  /** The term's UTF-8 bytes (a view into the index's own storage: copy, do not keep). */
  utf8(id: number): Uint8Array {
    return this.bytes.subarray(this.starts[id], this.starts[id + 1]);
  }

  private insert(term: string, buffer: Uint8Array, start: number, end: number, hash: number): number {
    const id = this.names.length;
    const length = end - start;
    if (this.bytesUsed + length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.bytesUsed + length));
      grown.set(this.bytes.subarray(0, this.bytesUsed));
      this.bytes = grown;
    }
    this.bytes.set(buffer.subarray(start, end), this.bytesUsed);
    if (id + 2 > this.starts.length) {
      this.starts = grownUint32(this.starts, this.starts.length * 2);
      this.hashes = grownUint32(this.hashes, this.starts.length);
    }
    this.starts[id] = this.bytesUsed;
    this.bytesUsed += length;
    this.starts[id + 1] = this.bytesUsed;
    this.hashes[id] = hash;
    this.names.push(term);
    this.lists.push(EMPTY);
    this.lengths.push(0);
    const field = fieldOf(term);
    let members = this.fields.get(field);
    if (!members) this.fields.set(field, (members = []));
    members.push(id);
    if ((id + 1) * 2 > this.table.length) this.rehash(this.table.length * 2);
    else this.place(id);
    return id;
  }

  private place(id: number): void {
    const mask = this.table.length - 1;
    let slot = this.hashes[id] & mask;
    while (this.table[slot] >= 0) slot = (slot + 1) & mask;
    this.table[slot] = id;
  }

  private rehash(size: number): void {
    this.table = new Int32Array(size).fill(-1);
    for (let id = 0; id < this.names.length; id++) this.place(id);
  }

  private equalsBytes(id: number, buffer: Uint8Array, start: number, end: number): boolean {
    const from = this.starts[id];
    if (this.starts[id + 1] - from !== end - start) return false;
    const bytes = this.bytes;
    for (let i = 0; i < end - start; i++) if (bytes[from + i] !== buffer[start + i]) return false;
    return true;
  }

  /** Adds an ordinal, which must be greater than every ordinal already in the list. */
  add(id: number, ordinal: number): void {
    let list = this.lists[id];
    const length = this.lengths[id];
    if (length === list.length) {
      const bigger = new Uint32Array(length < 4 ? 4 : length * 2);
      bigger.set(list);
      this.lists[id] = list = bigger;
    }
    list[length] = ordinal;
    this.lengths[id] = length + 1;
  }

  /** The postings of a term, ascending; a view that stays valid until the next add or compaction. */
  postings(id: number): Uint32Array {
    return this.lists[id].subarray(0, this.lengths[id]);
  }

  /** Ids of the terms that start with `prefix`, sorted by term. */
  idsWithPrefix(prefix: string): number[] {
    const eq = prefix.indexOf('=');
    const candidates = eq >= 0 ? (this.fields.get(prefix.slice(0, eq)) ?? []) : this.names.map((_, id) => id);
    const matching = candidates.filter((id) => this.names[id].startsWith(prefix));
    return matching.sort((a, b) => (this.names[a] < this.names[b] ? -1 : this.names[a] > this.names[b] ? 1 : 0));
  }

  /** Drops the ordinals `keep` rejects from every list and releases spare capacity. */
  compact(keep: (ordinal: number) => boolean): void {
    for (let id = 0; id < this.lists.length; id++) {
      const list = this.lists[id];
      const length = this.lengths[id];
      let kept = 0;
      for (let i = 0; i < length; i++) if (keep(list[i])) list[kept++] = list[i];
      this.lists[id] = kept === 0 ? EMPTY : list.length > kept * 2 ? list.slice(0, kept) : list;
      this.lengths[id] = kept;
    }
  }

  save(out: SnapshotWriter): void {
    const count = this.names.length;
    out.array(this.bytes.subarray(0, this.bytesUsed));
    out.array(this.starts.subarray(0, count + 1));
    out.array(this.hashes.subarray(0, count));
    out.array(Uint32Array.from(this.lengths));
    let total = 0;
    for (const length of this.lengths) total += length;
    const postings = new Uint32Array(total);
    let at = 0;
    for (let id = 0; id < count; id++) {
      postings.set(this.lists[id].subarray(0, this.lengths[id]), at);
      at += this.lengths[id];
    }
    out.array(postings);
  }

  /** Replaces the contents with a snapshot's (written by `save`). */
  load(input: SnapshotReader): void {
    this.clear();
    const bytes = input.uint8();
    const starts = input.uint32();
    const count = starts.length - 1;
    const hashes = input.uint32();
    const lengths = input.uint32();
    const postings = input.uint32();
    if (hashes.length !== count || lengths.length !== count) throw new Error('term section sizes disagree');
    this.bytes = bytes.length > 0 ? bytes : new Uint8Array(1 << 16);
    this.bytesUsed = bytes.length;
    this.starts = starts.length > 1 ? starts : new Uint32Array(1024);
    let at = 0;
    for (let id = 0; id < count; id++) {
      const term = Buffer.from(bytes.buffer, bytes.byteOffset + starts[id], starts[id + 1] - starts[id]).toString('utf8');
      this.names.push(term);
      const field = fieldOf(term);
      let members = this.fields.get(field);
      if (!members) this.fields.set(field, (members = []));
      members.push(id);
      // Views into the one loaded array: a list that grows is copied out by `add` first.
      this.lists.push(lengths[id] === 0 ? EMPTY : postings.subarray(at, at + lengths[id]));
      this.lengths.push(lengths[id]);
      at += lengths[id];
    }
    if (at !== postings.length) throw new Error('postings section size disagrees');
    // Room to grow: the per-id arrays must hold one more id than there are terms.
    if (this.starts.length < count + 2) this.starts = grownUint32(this.starts, count + 2);
    this.hashes = grownUint32(hashes, this.starts.length);
    this.rehash(1 << Math.ceil(Math.log2(Math.max(2048, count * 2 + 2))));
  }

  clear(): void {
    this.names.length = 0;
    this.bytesUsed = 0;
    this.table.fill(-1);
    this.lists = [];
    this.lengths = [];
    this.fields.clear();
  }

  /** Bytes held by postings (capacity, not length): the index's main memory cost. */
  get postingsBytes(): number {
    let bytes = this.bytes.byteLength + this.table.byteLength + this.starts.byteLength + this.hashes.byteLength;
    for (const list of this.lists) bytes += list.byteLength;
    return bytes;
  }
}

const EMPTY = new Uint32Array(0);

/**
 * FNV-1a over a term's UTF-8 bytes, finished with murmur3's mixer: 32 bits suffice, since a match
 * is confirmed by comparing the terms. ASCII terms are hashed from their char codes (= their bytes).
 */
export function hashTermString(term: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) {
    const c = term.charCodeAt(i);
    if (c >= 0x80) {
      const bytes = Buffer.from(term, 'utf8');
      return hashTermBytes(bytes, 0, bytes.length);
    }
    h = Math.imul(h ^ c, 0x01000193);
  }
  return mix(h);
}

export function hashTermBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return mix(h);
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function grownUint32(array: Uint32Array, size: number): Uint32Array {
  const grown = new Uint32Array(size);
  grown.set(array);
  return grown;
}

function fieldOf(term: string): string {
  const eq = term.indexOf('=');
  return eq >= 0 ? term.slice(0, eq) : '';
}

/** First index in `list[from, to)` whose value is ≥ `value` (lists are ascending). */
export function lowerBound(list: Uint32Array, value: number, from = 0, to = list.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Like lowerBound, but gallops from `from` first: cheap when the target is near. */
export function gallop(list: Uint32Array, value: number, from: number, to: number): number {
  if (from >= to || list[from] >= value) return from;
  let step = 1;
  let lo = from;
  let hi = from + 1;
  while (hi < to && list[hi] < value) {
    lo = hi;
    step *= 2;
    hi = from + step;
  }
  return lowerBound(list, value, lo + 1, Math.min(hi + 1, to));
}
