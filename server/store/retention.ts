// Which whole segments retention drops. Deleting a file is the only cost, which is why retention
// works in segments: records are never rewritten. Consequence: a record outlives its age limit
// until every record of its segment has (segments roll at a fraction of the size limit).

export interface Retention {
  /** Records older than this (by their time) go; also the oldest time `append` accepts. */
  maxAgeMs: number;
  /** Segment bytes on disk; the oldest segments go first when the total is above it. */
  maxBytes: number;
}

export const DEFAULT_RETENTION: Retention = { maxAgeMs: 30 * 24 * 3600 * 1000, maxBytes: 1024 * 1024 * 1024 };

export interface RetainedSegment {
  size: number;
  maxTime: number;
  /** Whether it holds records at all; an empty new segment is never expired by age. */
  empty: boolean;
}

/**
 * Indexes (ascending) of the segments to drop, given segments in append order (the last one is
 * the one being written). By age: every segment whose newest record is older than the limit. By
 * size: then the oldest remaining ones until the total fits, never the one being written.
 */
export function segmentsToDrop(segments: readonly RetainedSegment[], retention: Retention, now: number): number[] {
  const cutoff = now - retention.maxAgeMs;
  const drop = new Set<number>();
  let total = 0;
  segments.forEach((segment, i) => {
    if (!segment.empty && segment.maxTime < cutoff) drop.add(i);
    else total += segment.size;
  });
  for (let i = 0; i < segments.length - 1 && total > retention.maxBytes; i++) {
    if (drop.has(i)) continue;
    drop.add(i);
    total -= segments[i].size;
  }
  return [...drop].sort((a, b) => a - b);
}

export function checkRetention(retention: Partial<Retention> | undefined): Retention {
  const merged = { ...DEFAULT_RETENTION, ...retention };
  for (const field of ['maxAgeMs', 'maxBytes'] as const) {
    const value = merged[field];
    if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) throw new TypeError(`retention.${field} must be a positive number (or Infinity), not ${String(value)}`);
  }
  return merged;
}
