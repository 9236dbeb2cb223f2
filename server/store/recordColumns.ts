// What the store keeps in memory per record, by ordinal, as parallel typed arrays (25 bytes a
// record): time, the caller's numeric value, where the stored part lies in its segment, and
// whether the record is live. Ordinals below `firstLive` are gone (their segments were dropped);
// the arrays start at `base` so that the memory of such a prefix can be given back.
//
// Records are also grouped in blocks of 4,096 ordinals with the min and max time of each block:
// a query that wants the newest (or oldest) few, or a time window, visits blocks in time order
// and skips those that cannot contribute — which keeps "newest 50" cheap even when records
// arrived out of time order (an import of old logs after live data).

import type { SnapshotReader, SnapshotWriter } from './snapshot';

export const BLOCK_SHIFT = 12;
export const BLOCK_SIZE = 1 << BLOCK_SHIFT;

export class RecordColumns {
  /** Ordinal of array index 0; a multiple of BLOCK_SIZE. */
  base = 0;
  /** The next ordinal to assign. */
  end = 0;
  /** Every ordinal below this is dead. */
  firstLive = 0;
  live = 0;
  /** Records that died since the indexes were last compacted. */
  deadSinceCompaction = 0;

  times: Float64Array = new Float64Array(BLOCK_SIZE);
  values: Float64Array = new Float64Array(BLOCK_SIZE);
  offsets: Uint32Array = new Uint32Array(BLOCK_SIZE);
  lengths: Uint32Array = new Uint32Array(BLOCK_SIZE);
  alive: Uint8Array = new Uint8Array(BLOCK_SIZE);
  blockMin: Float64Array = new Float64Array(1).fill(Infinity);
  blockMax: Float64Array = new Float64Array(1).fill(-Infinity);

  push(time: number, value: number, offset: number, length: number): number {
    const ordinal = this.end;
    const index = ordinal - this.base;
    if (index === this.times.length) this.grow(index * 2);
    this.times[index] = time;
    this.values[index] = value;
    this.offsets[index] = offset;
    this.lengths[index] = length;
    this.alive[index] = 1;
    const block = index >>> BLOCK_SHIFT;
    if (time < this.blockMin[block]) this.blockMin[block] = time;
    if (time > this.blockMax[block]) this.blockMax[block] = time;
    this.end = ordinal + 1;
    this.live++;
    return ordinal;
  }

  isLive(ordinal: number): boolean {
    return ordinal >= this.firstLive && ordinal < this.end && this.alive[ordinal - this.base] === 1;
  }

  kill(ordinal: number): void {
    const index = ordinal - this.base;
    if (ordinal < this.firstLive || this.alive[index] !== 1) return;
    this.alive[index] = 0;
    this.live--;
    this.deadSinceCompaction++;
  }

  /** Kills [from, to): a dropped segment. A dropped prefix also advances firstLive. */
  killRange(from: number, to: number): void {
    for (let ordinal = Math.max(from, this.firstLive); ordinal < to; ordinal++) this.kill(ordinal);
    if (from <= this.firstLive && to > this.firstLive) {
      this.firstLive = to;
      while (this.firstLive < this.end && this.alive[this.firstLive - this.base] !== 1) this.firstLive++;
    }
  }

  time(ordinal: number): number {
    return this.times[ordinal - this.base];
  }

  value(ordinal: number): number {
    return this.values[ordinal - this.base];
  }

  /** Gives back the memory of the dead prefix once it is at least half of the arrays. */
  trimPrefix(): void {
    const newBase = (this.firstLive >>> BLOCK_SHIFT) << BLOCK_SHIFT;
    const shift = newBase - this.base;
    if (shift === 0 || shift * 2 < this.times.length) return;
    const count = this.end - newBase;
    const capacity = Math.max(BLOCK_SIZE, roundUpToBlock(count * 2));
    const move = <T extends Float64Array | Uint32Array | Uint8Array>(array: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(array.subarray(shift, shift + count));
      return next;
    };
    this.times = move(this.times, (n) => new Float64Array(n));
    this.values = move(this.values, (n) => new Float64Array(n));
    this.offsets = move(this.offsets, (n) => new Uint32Array(n));
    this.lengths = move(this.lengths, (n) => new Uint32Array(n));
    this.alive = move(this.alive, (n) => new Uint8Array(n));
    const blockShift = shift >>> BLOCK_SHIFT;
    const blocks = capacity >>> BLOCK_SHIFT;
    const min = new Float64Array(blocks).fill(Infinity);
    const max = new Float64Array(blocks).fill(-Infinity);
    min.set(this.blockMin.subarray(blockShift, blockShift + Math.min(blocks, this.blockMin.length - blockShift)));
    max.set(this.blockMax.subarray(blockShift, blockShift + Math.min(blocks, this.blockMax.length - blockShift)));
    this.blockMin = min;
    this.blockMax = max;
    this.base = newBase;
  }

  save(out: SnapshotWriter): void {
    const count = this.end - this.base;
    out.numbers(this.base, this.end, this.firstLive, this.live, this.deadSinceCompaction);
    out.array(this.times.subarray(0, count));
    out.array(this.values.subarray(0, count));
    out.array(this.offsets.subarray(0, count));
    out.array(this.lengths.subarray(0, count));
    out.array(this.alive.subarray(0, count));
    const blocks = Math.ceil(count / BLOCK_SIZE);
    out.array(this.blockMin.subarray(0, blocks));
    out.array(this.blockMax.subarray(0, blocks));
  }

  load(input: SnapshotReader): void {
    [this.base, this.end, this.firstLive, this.live, this.deadSinceCompaction] = input.numbers();
    const count = this.end - this.base;
    const capacity = Math.max(BLOCK_SIZE, roundUpToBlock(count + 1));
    // Arrays get the capacity push expects: a multiple of BLOCK_SIZE, blocks to match.
    const sized = <T extends Float64Array | Uint32Array | Uint8Array>(array: T, next: T, length: number): T => {
      if (array.length !== length) throw new Error('record section sizes disagree');
      next.set(array);
      return next;
    };
    const blocks = Math.ceil(count / BLOCK_SIZE);
    this.times = sized(input.float64(), new Float64Array(capacity), count);
    this.values = sized(input.float64(), new Float64Array(capacity), count);
    this.offsets = sized(input.uint32(), new Uint32Array(capacity), count);
    this.lengths = sized(input.uint32(), new Uint32Array(capacity), count);
    this.alive = sized(input.uint8(), new Uint8Array(capacity), count);
    this.blockMin = sized(input.float64(), new Float64Array(capacity >>> BLOCK_SHIFT).fill(Infinity), blocks);
    this.blockMax = sized(input.float64(), new Float64Array(capacity >>> BLOCK_SHIFT).fill(-Infinity), blocks);
  }

  clear(): void {
    this.base = this.end = this.firstLive = this.live = this.deadSinceCompaction = 0;
    this.times = new Float64Array(BLOCK_SIZE);
    this.values = new Float64Array(BLOCK_SIZE);
    this.offsets = new Uint32Array(BLOCK_SIZE);
    this.lengths = new Uint32Array(BLOCK_SIZE);
    this.alive = new Uint8Array(BLOCK_SIZE);
    this.blockMin = new Float64Array(1).fill(Infinity);
    this.blockMax = new Float64Array(1).fill(-Infinity);
  }

  get bytes(): number {
    return this.times.byteLength + this.values.byteLength + this.offsets.byteLength + this.lengths.byteLength + this.alive.byteLength;
  }

  private grow(capacity: number): void {
    const grown = <T extends Float64Array | Uint32Array | Uint8Array>(array: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(array);
      return next;
    };
    this.times = grown(this.times, (n) => new Float64Array(n));
    this.values = grown(this.values, (n) => new Float64Array(n));
    this.offsets = grown(this.offsets, (n) => new Uint32Array(n));
    this.lengths = grown(this.lengths, (n) => new Uint32Array(n));
    this.alive = grown(this.alive, (n) => new Uint8Array(n));
    const blocks = capacity >>> BLOCK_SHIFT;
    const min = new Float64Array(blocks).fill(Infinity);
    const max = new Float64Array(blocks).fill(-Infinity);
    min.set(this.blockMin);
    max.set(this.blockMax);
    this.blockMin = min;
    this.blockMax = max;
  }
}

function roundUpToBlock(n: number): number {
  return Math.ceil(n / BLOCK_SIZE) * BLOCK_SIZE;
}
