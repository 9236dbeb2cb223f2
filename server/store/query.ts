// Answers a query with ordinals, from the in-memory indexes alone (no disk access):
// `all` terms intersected, `any` terms united, a time window, newest or oldest first, a limit.
//
// The work is done block by block (4,096 ordinals; see recordColumns.ts). With a limit, blocks are
// visited from the newest (or oldest) by their max (min) time, and the walk stops as soon as the
// next block cannot hold anything better than the worst of the best found so far. Inside a block,
// postings are cut to the block's ordinal range by binary search and intersected by galloping
// from the shortest list.
import { BLOCK_SHIFT, BLOCK_SIZE, type RecordColumns } from './recordColumns';
import { gallop, lowerBound, type TermIndex } from './termIndex';

export interface Query {
  /** Terms that must all be present. */
  all?: readonly string[];
  /** Of these terms, at least one must be present. */
  any?: readonly string[];
  /** Inclusive bounds on the record time (ms since the epoch). */
  from?: number;
  to?: number;
  limit?: number;
  /** Default true: newest first. False: oldest first. */
  newestFirst?: boolean;
}

/** Validates a query; throws a TypeError that names the bad field. */
export function checkQuery(query: Query): void {
  for (const field of ['all', 'any'] as const) {
    const terms = query[field];
    if (terms !== undefined && (!Array.isArray(terms) || terms.some((t) => typeof t !== 'string'))) throw new TypeError(`query.${field} must be an array of strings`);
  }
  for (const field of ['from', 'to'] as const) {
    const value = query[field];
    if (value !== undefined && (typeof value !== 'number' || Number.isNaN(value))) throw new TypeError(`query.${field} must be a number (ms since the epoch)`);
  }
  if (query.limit !== undefined && !(Number.isInteger(query.limit) && query.limit >= 0)) throw new TypeError('query.limit must be a non-negative integer');
}

/**
 * The ordinals of the live records matching `query`. `ordered` false lets a caller that only
 * counts or aggregates skip the sort (the limit still applies, to whichever records come first).
 */
export function selectOrdinals(columns: RecordColumns, index: TermIndex, query: Query, ordered = true): number[] {
  const limit = query.limit ?? Infinity;
  if (limit === 0 || columns.live === 0) return [];
  const allLists: Uint32Array[] = [];
  for (const term of query.all ?? []) {
    const id = index.id(term);
    if (id === undefined) return [];
    allLists.push(index.postings(id));
  }
  const anyLists: Uint32Array[] = [];
  for (const term of new Set(query.any ?? [])) {
    const id = index.id(term);
    if (id !== undefined) anyLists.push(index.postings(id));
  }
  if ((query.any?.length ?? 0) > 0 && anyLists.length === 0) return [];

  const from = query.from ?? -Infinity;
  const to = query.to ?? Infinity;
  const newest = query.newestFirst !== false;
  const bounded = ordered && limit !== Infinity;
  const { blockMin, blockMax, base } = columns;

  const blocks: number[] = [];
  const firstBlock = (columns.firstLive - base) >>> BLOCK_SHIFT;
  const lastBlock = (columns.end - 1 - base) >>> BLOCK_SHIFT;
  for (let b = firstBlock; b <= lastBlock; b++) if (blockMax[b] >= from && blockMin[b] <= to) blocks.push(b);
  if (bounded) blocks.sort(newest ? (a, b) => blockMax[b] - blockMax[a] : (a, b) => blockMin[a] - blockMin[b]);

  const times = columns.times;
  const alive = columns.alive;
  const found: number[] = [];
  const best = bounded ? new TopK(limit, times, base, newest) : undefined;
  const accept = (ordinal: number): boolean => {
    const i = ordinal - base;
    if (alive[i] !== 1) return true;
    const time = times[i];
    if (time < from || time > to) return true;
    if (best) best.offer(ordinal);
    else found.push(ordinal);
    return found.length < limit;
  };

  const cursors = new Int32Array(allLists.length + anyLists.length);
  for (const block of blocks) {
    if (best?.full) {
      const worst = best.worstTime;
      if (newest ? blockMax[block] < worst : blockMin[block] > worst) break;
    }
    const lo = Math.max(columns.firstLive, base + block * BLOCK_SIZE);
    const hi = Math.min(columns.end, base + (block + 1) * BLOCK_SIZE);
    if (!matchBlock(lo, hi, allLists, anyLists, cursors, accept)) break;
  }
  if (best) return best.sorted();
  if (ordered) {
    found.sort(newest ? (a, b) => times[b - base] - times[a - base] || b - a : (a, b) => times[a - base] - times[b - base] || a - b);
  }
  return found;
}

/**
 * Calls `accept` for each ordinal in [lo, hi) that is in every `all` list and in some `any` list,
 * in ascending order. Returns false as soon as `accept` does (enough found).
 */
function matchBlock(lo: number, hi: number, allLists: Uint32Array[], anyLists: Uint32Array[], cursors: Int32Array, accept: (ordinal: number) => boolean): boolean {
  if (allLists.length === 0 && anyLists.length === 0) {
    for (let ordinal = lo; ordinal < hi; ordinal++) if (!accept(ordinal)) return false;
    return true;
  }
  if (allLists.length === 0) return unionInRange(lo, hi, anyLists, accept);

  // Cut every list to [lo, hi); the shortest drives.
  let driver = -1;
  let driverStart = 0;
  let driverEnd = 0;
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < allLists.length; i++) {
    const list = allLists[i];
    const s = lowerBound(list, lo);
    const e = lowerBound(list, hi, s);
    if (s === e) return true;
    starts.push(s);
    ends.push(e);
    if (driver < 0 || e - s < driverEnd - driverStart) {
      driver = i;
      driverStart = s;
      driverEnd = e;
    }
  }
  const anyStarts: number[] = [];
  const anyEnds: number[] = [];
  for (const list of anyLists) {
    const s = lowerBound(list, lo);
    anyStarts.push(s);
    anyEnds.push(lowerBound(list, hi, s));
  }
  for (let i = 0; i < allLists.length; i++) cursors[i] = starts[i];
  for (let i = 0; i < anyLists.length; i++) cursors[allLists.length + i] = anyStarts[i];

  const driverList = allLists[driver];
  candidates: for (let d = driverStart; d < driverEnd; d++) {
    const ordinal = driverList[d];
    for (let i = 0; i < allLists.length; i++) {
      if (i === driver) continue;
      const list = allLists[i];
      const at = gallop(list, ordinal, cursors[i], ends[i]);
      cursors[i] = at;
      if (at >= ends[i]) return true;
      if (list[at] !== ordinal) continue candidates;
    }
    if (anyLists.length > 0) {
      let inAny = false;
      for (let i = 0; i < anyLists.length; i++) {
        const c = allLists.length + i;
        const at = gallop(anyLists[i], ordinal, cursors[c], anyEnds[i]);
        cursors[c] = at;
        if (at < anyEnds[i] && anyLists[i][at] === ordinal) {
          inAny = true;
          break;
        }
      }
      if (!inAny) continue;
    }
    if (!accept(ordinal)) return false;
  }
  return true;
}

function unionInRange(lo: number, hi: number, lists: Uint32Array[], accept: (ordinal: number) => boolean): boolean {
  if (lists.length === 1) {
    const list = lists[0];
    for (let i = lowerBound(list, lo), end = lowerBound(list, hi); i < end; i++) if (!accept(list[i])) return false;
    return true;
  }
  // Mark the block's members in a bitmap of the block, then walk it in order.
  const marks = new Uint8Array(hi - lo);
  let any = false;
  for (const list of lists) {
    for (let i = lowerBound(list, lo), end = lowerBound(list, hi); i < end; i++) {
      marks[list[i] - lo] = 1;
      any = true;
    }
  }
  if (!any) return true;
  for (let i = 0; i < marks.length; i++) if (marks[i] === 1 && !accept(lo + i)) return false;
  return true;
}

/** The `limit` best ordinals by (time, ordinal): a binary heap with the worst at the root. */
class TopK {
  private readonly heap: number[] = [];

  constructor(private readonly limit: number, private readonly times: Float64Array, private readonly base: number, private readonly newest: boolean) {}

  get full(): boolean {
    return this.heap.length >= this.limit;
  }

  get worstTime(): number {
    return this.times[this.heap[0] - this.base];
  }

  offer(ordinal: number): void {
    const heap = this.heap;
    if (heap.length < this.limit) {
      heap.push(ordinal);
      this.up(heap.length - 1);
    } else if (this.better(ordinal, heap[0])) {
      heap[0] = ordinal;
      this.down(0);
    }
  }

  sorted(): number[] {
    return [...this.heap].sort((a, b) => (this.better(a, b) ? -1 : 1));
  }

  /** Whether a ranks before b in the requested order. */
  private better(a: number, b: number): boolean {
    const ta = this.times[a - this.base];
    const tb = this.times[b - this.base];
    if (ta !== tb) return this.newest ? ta > tb : ta < tb;
    return this.newest ? a > b : a < b;
  }

  private up(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.better(heap[parent], heap[i])) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < heap.length && this.better(heap[worst], heap[left])) worst = left;
      if (right < heap.length && this.better(heap[worst], heap[right])) worst = right;
      if (worst === i) return;
      [heap[worst], heap[i]] = [heap[i], heap[worst]];
      i = worst;
    }
  }
}
