// The timeline's state over a columnar TraceTimeline: which subtrees are collapsed (a bitset over
// rows) and which rows are therefore visible (an index recomputed in one O(n) pass per change).
// Rows arrive in depth-first order, so a span's subtree is the contiguous range
// [row, subtreeEnd[row]) and collapsing it is a jump over that range.
import type { TraceTimeline } from '../../server/protocol';

export class TimelineModel {
  readonly size: number;
  /** One past the last row of each row's subtree. */
  readonly subtreeEnd: Int32Array;
  /** Direct children per row. */
  readonly childCount: Int32Array;
  readonly maxDepth: number;
  /** Rows per failure class (index 1 error, 2 fault, 3 throttle). */
  readonly failures = [0, 0, 0, 0];
  readonly criticalCount: number;
  /** Total self time of the spans on the critical path: where the request's time went. */
  readonly criticalSelfMs: number;
  /** Distinct services, in first-seen order. */
  readonly services: string[];
  private readonly collapsed: Uint32Array;
  private visibleRows: Int32Array;
  private count = 0;

  constructor(readonly timeline: TraceTimeline) {
    const n = timeline.spanIds.length;
    this.size = n;
    this.subtreeEnd = new Int32Array(n);
    this.childCount = new Int32Array(n);
    this.collapsed = new Uint32Array((n + 31) >>> 5);
    this.visibleRows = new Int32Array(n);
    const { parent, depth, failure, critical, selfMs, service } = timeline;
    for (let i = 0; i < n; i++) this.subtreeEnd[i] = i + 1;
    // Children follow their parent in depth-first order; a parent index that does not (bad data)
    // is treated as a root so the ranges stay well-formed.
    for (let i = n - 1; i >= 0; i--) {
      const p = parent[i];
      if (p >= 0 && p < i) {
        if (this.subtreeEnd[i] > this.subtreeEnd[p]) this.subtreeEnd[p] = this.subtreeEnd[i];
        this.childCount[p]++;
      }
    }
    let maxDepth = 0;
    let criticalCount = 0;
    let criticalSelfMs = 0;
    const seen = new Uint8Array(timeline.strings.length);
    const services: string[] = [];
    for (let i = 0; i < n; i++) {
      if (depth[i] > maxDepth) maxDepth = depth[i];
      const f = failure[i];
      if (f >= 1 && f <= 3) this.failures[f]++;
      if (critical[i]) {
        criticalCount++;
        criticalSelfMs += selfMs[i];
      }
      const s = service[i];
      if (!seen[s]) {
        seen[s] = 1;
        services.push(timeline.strings[s] ?? '');
      }
    }
    this.maxDepth = maxDepth;
    this.criticalCount = criticalCount;
    this.criticalSelfMs = criticalSelfMs;
    this.services = services;
    this.rebuild();
  }

  /** Visible rows, in order; valid until the next change. */
  get visible(): Int32Array {
    return this.visibleRows.subarray(0, this.count);
  }

  get visibleCount(): number {
    return this.count;
  }

  /** The row shown at a visible position. */
  rowAt(position: number): number {
    return this.visibleRows[position];
  }

  /** The visible position of a row, or -1 when it is inside a collapsed subtree. */
  positionOf(row: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = this.visibleRows[mid];
      if (value === row) return mid;
      if (value < row) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  hasChildren(row: number): boolean {
    return this.childCount[row] > 0;
  }

  isCollapsed(row: number): boolean {
    return (this.collapsed[row >>> 5] & (1 << (row & 31))) !== 0;
  }

  setCollapsed(row: number, collapsed: boolean): void {
    if (!this.hasChildren(row) || this.isCollapsed(row) === collapsed) return;
    if (collapsed) this.collapsed[row >>> 5] |= 1 << (row & 31);
    else this.collapsed[row >>> 5] &= ~(1 << (row & 31));
    this.rebuild();
  }

  toggle(row: number): void {
    this.setCollapsed(row, !this.isCollapsed(row));
  }

  expandAll(): void {
    this.collapsed.fill(0);
    this.rebuild();
  }

  /** Collapses every span at `depth` that has children, so the tree shows that many levels. */
  collapseToDepth(depth: number): void {
    this.collapsed.fill(0);
    const d = this.timeline.depth;
    for (let i = 0; i < this.size; i++) {
      if (d[i] === depth && this.childCount[i] > 0) this.collapsed[i >>> 5] |= 1 << (i & 31);
    }
    this.rebuild();
  }

  /** Expands the ancestors of `row` so it is visible. */
  reveal(row: number): void {
    let changed = false;
    for (let p = this.timeline.parent[row]; p >= 0 && p < row; p = this.timeline.parent[p]) {
      if (this.isCollapsed(p)) {
        this.collapsed[p >>> 5] &= ~(1 << (p & 31));
        changed = true;
      }
      row = p;
    }
    if (changed) this.rebuild();
  }

  /** The parent row, or -1. */
  parentOf(row: number): number {
    const p = this.timeline.parent[row];
    return p >= 0 && p < row ? p : -1;
  }

  /** One pass over the rows, jumping over collapsed subtrees. */
  private rebuild(): void {
    let count = 0;
    const end = this.subtreeEnd;
    for (let i = 0; i < this.size; ) {
      this.visibleRows[count++] = i;
      i = this.isCollapsed(i) ? end[i] : i + 1;
    }
    this.count = count;
  }
}
