// The embedded durable store that traces/ (spans) and audit/ (CloudTrail events) build on.
// Records — a key, a time, index terms, a body — go to append-only segment files in one batch per
// `append` call; in-memory indexes (term postings, key hashes, per-record columns) answer queries,
// and bodies are read back by offset. At open the indexes come from the snapshot the last writer
// left at close, plus a scan of whatever was appended after it — or from scanning every segment.
// Why this design and not SQLite, the file format, and the multi-process rules: README.md here.
import { existsSync, mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { KeyIndex, hashKeyBytes, hashKeyString } from './keyIndex';
import { acquireLock } from './lock';
import { checkQuery, selectOrdinals, type Query } from './query';
import { RecordColumns } from './recordColumns';
import { checkRetention, segmentsToDrop, type Retention } from './retention';
import {
  SEGMENT_HEADER_BYTES, BATCH_HEADER_BYTES, BatchEncoder, decodeStored, MAX_KEY_CHARS, MAX_TERM_CHARS, scanBatch, STORED_KEY, STORED_KEY_LENGTH, STORED_TIME, STORED_VERSION,
  type ScannedEntry, type StoredPart,
} from './segmentFormat';
import { SegmentLog, type Segment } from './segmentLog';
import { SNAPSHOT_FILE, SnapshotReader, SnapshotWriter } from './snapshot';
import { TermIndex } from './termIndex';

export { StoreLockedError } from './lock';
export type { Query } from './query';
export type { Retention } from './retention';
export { DEFAULT_RETENTION } from './retention';

export interface StoreOptions {
  /** The store's folder inside `dir`: 'spans', 'audit'. */
  name: string;
  retention?: Partial<Retention>;
  /** Open without the lock, never writing: sees the records present at open. */
  readOnly?: boolean;
  /** Size at which a new segment starts; default an eighth of retention.maxBytes, 1–64 MiB. */
  segmentBytes?: number;
  /** fdatasync after every batch (default true). Only tests and benchmarks turn it off. */
  durable?: boolean;
  /** Messages about recovery and ignored files, as they happen (they are also in `problems`). */
  onProblem?: (message: string) => void;
  /** The clock retention uses; tests set it. */
  now?: () => number;
}

export interface AppendRecord {
  /** Deduplication key: 'traceId:spanId', a CloudTrail eventID. */
  key: string;
  /** ms since the epoch: orders query results and decides retention by age. */
  time: number;
  /** Index terms such as 'svc=checkout' or 'file=src/app.py'; a query matches on them. */
  terms: readonly string[];
  body: Uint8Array | string;
  /** A record replaces a stored one with the same key only if its version is higher (default 0). */
  version?: number;
  /** A number kept in memory, readable without the body (`values`): a span's duration, say. */
  value?: number;
}

export interface AppendResult {
  inserted: number;
  /** Records whose key was stored (or came earlier in the same call) with an equal or higher version. */
  duplicates: number;
  /** Records that replaced a stored one of lower version. */
  replaced: number;
  /** Records older than retention.maxAgeMs, not stored. */
  expired: number;
}

export interface StoredRecord {
  key: string;
  time: number;
  version: number;
  value: number | undefined;
  body: Uint8Array | string;
}

export interface StoreStats {
  records: number;
  /** Bytes of segment files. */
  bytes: number;
  segments: number;
  terms: number;
  /** Bytes of the in-memory indexes (typed arrays; not counting term strings). */
  indexBytes: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const MIB = 1024 * 1024;
/** Dead records tolerated in the indexes before they are compacted, beyond the live count. */
const COMPACT_SLACK = 16384;

export class Store {
  private readonly columns = new RecordColumns();
  private readonly index = new TermIndex();
  private keys = new KeyIndex(this.columns);
  private readonly encoder = new BatchEncoder();
  private readonly hash = new Uint32Array(2);
  private scratch = Buffer.allocUnsafe(64 * 1024);
  private log!: SegmentLog;
  private readonly problemList: string[] = [];
  private closed = false;
  /** Whether the indexes differ from the snapshot on disk (then close writes a new one). */
  private dirty = false;

  private constructor(
    /** The store's own folder: `<dir>/<name>`. */
    readonly path: string,
    readonly readOnly: boolean,
    private readonly retention: Retention,
    private readonly segmentBytes: number,
    private readonly now: () => number,
    private readonly onProblem: ((message: string) => void) | undefined,
    private readonly releaseLock: () => void,
  ) {}

  /**
   * Opens (creating if needed) the store `<dir>/<name>`, taking its lock unless read-only, and
   * rebuilds the indexes by scanning the segments, recovering from a torn tail or damaged batches
   * as it goes (see `problems`). Throws StoreLockedError if another process writes to it.
   */
  static open(dir: string, options: StoreOptions): Store {
    if (!NAME.test(options.name ?? '')) throw new TypeError(`store name must be letters, digits, '-' or '_', not ${JSON.stringify(options.name)}`);
    const retention = checkRetention(options.retention);
    const segmentBytes = options.segmentBytes ?? Math.min(64 * MIB, Math.max(MIB, Math.floor(retention.maxBytes / 8)));
    if (!(segmentBytes > 0)) throw new TypeError('segmentBytes must be positive');
    const path = join(dir, options.name);
    const readOnly = options.readOnly === true;
    const messages: string[] = [];
    const report = (message: string) => {
      messages.push(message);
      options.onProblem?.(message);
    };
    if (!readOnly) mkdirSync(path, { recursive: true });
    const release = readOnly ? () => {} : acquireLock(path, report);
    const store = new Store(path, readOnly, retention, segmentBytes, options.now ?? Date.now, options.onProblem, release);
    store.problemList.push(...messages);
    try {
      store.load(options.durable !== false);
    } catch (error) {
      store.log?.close();
      release();
      throw error;
    }
    return store;
  }

  /** What opening found wrong and recovered from, and anything reported since. */
  get problems(): readonly string[] {
    return this.problemList;
  }

  /**
   * Stores a batch of records atomically and durably: one checksummed write and one fdatasync.
   * Invalid input throws a TypeError naming the record, before anything is written.
   */
  append(records: readonly AppendRecord[]): AppendResult {
    this.assertWritable();
    if (!Array.isArray(records)) throw new TypeError('append takes an array of records');
    records.forEach(checkRecord);
    const result: AppendResult = { inserted: 0, duplicates: 0, replaced: 0, expired: 0 };
    const cutoff = this.now() - this.retention.maxAgeMs;

    // Within the call: one record per key, the highest version (the first of equals).
    const n = records.length;
    const hashes = new Uint32Array(2 * n);
    const winners: number[] = [];
    const tableSize = 1 << Math.ceil(Math.log2(2 * n + 1));
    const firstByHash = new Int32Array(tableSize).fill(-1);
    for (let i = 0; i < n; i++) {
      const record = records[i];
      if (record.time < cutoff) {
        result.expired++;
        continue;
      }
      hashKeyString(record.key, this.hash);
      hashes[2 * i] = this.hash[0];
      hashes[2 * i + 1] = this.hash[1];
      let slot = this.hash[1] & (tableSize - 1);
      for (; firstByHash[slot] >= 0; slot = (slot + 1) & (tableSize - 1)) {
        const w = firstByHash[slot];
        if (hashes[2 * winners[w] + 1] === this.hash[1] && hashes[2 * winners[w]] === this.hash[0] && records[winners[w]].key === record.key) break;
      }
      if (firstByHash[slot] < 0) {
        firstByHash[slot] = winners.length;
        winners.push(i);
        continue;
      }
      result.duplicates++;
      const w = firstByHash[slot];
      if ((record.version ?? 0) > (records[winners[w]].version ?? 0)) winners[w] = i;
    }
    winners.sort((x, y) => x - y);

    // Against the store: new, a duplicate, or a replacement of a lower version.
    const accepted: number[] = [];
    const slots: number[] = [];
    let head: { key: string; version: number } | undefined;
    let key = '';
    const sameKey = (ordinal: number) => (head = this.readHead(ordinal)).key === key;
    for (const i of winners) {
      const record = records[i];
      key = record.key;
      const slot = this.keys.find(hashes[2 * i], hashes[2 * i + 1], sameKey);
      if (slot >= 0 && (record.version ?? 0) <= head!.version) {
        result.duplicates++;
        continue;
      }
      accepted.push(i);
      slots.push(slot);
    }
    if (accepted.length === 0) return result;

    // One batch: encode, write, sync.
    const encoder = this.encoder;
    encoder.begin();
    const storedStarts: number[] = [];
    const storedLengths: number[] = [];
    const termIds: number[] = [];
    const termEnds: number[] = [];
    for (const i of accepted) {
      const record = records[i];
      const first = termIds.length;
      for (const term of record.terms) {
        const id = this.index.intern(term);
        if (termIds.indexOf(id, first) < 0) termIds.push(id);
      }
      termEnds.push(termIds.length);
      storedStarts.push(encoder.add(record.key, record.time, record.version ?? 0, record.value ?? NaN, termIds, first, termIds.length, record.body));
      storedLengths.push(encoder.lastStoredLength);
    }
    const batch = encoder.finish((id) => this.index.utf8(id));
    this.prepareSegment(batch.length);
    const { segment, offset } = this.log.append(batch);
    // Commit: the batch is on disk; now the indexes.
    const ordinals: number[] = [];
    let termAt = 0;
    for (let j = 0; j < accepted.length; j++) {
      const record = records[accepted[j]];
      const ordinal = this.columns.push(record.time, record.value ?? NaN, offset + storedStarts[j], storedLengths[j]);
      for (; termAt < termEnds[j]; termAt++) this.index.add(termIds[termAt], ordinal);
      noteTime(segment, record.time);
      ordinals.push(ordinal);
    }
    segment.endOrdinal = this.columns.end;
    this.dirty = true;
    for (let j = 0; j < accepted.length; j++) {
      if (slots[j] < 0) continue;
      this.columns.kill(this.keys.ordinalAt(slots[j]));
      this.keys.replaceAt(slots[j], ordinals[j]);
      result.replaced++;
    }
    for (let j = 0; j < accepted.length; j++) {
      if (slots[j] >= 0) continue;
      this.keys.insert(hashes[2 * accepted[j]], hashes[2 * accepted[j] + 1], ordinals[j]);
      result.inserted++;
    }
    this.enforceRetention();
    return result;
  }

  /**
   * The matching records, newest first unless `newestFirst: false`. Matching uses only memory;
   * bodies are read from disk as the result is iterated.
   */
  query(query: Query = {}): Iterable<StoredRecord> {
    this.assertOpen();
    checkQuery(query);
    const ordinals = selectOrdinals(this.columns, this.index, query);
    const store = this;
    return {
      *[Symbol.iterator]() {
        for (const ordinal of ordinals) {
          if (!store.columns.isLive(ordinal)) continue;
          const record = store.readRecord(ordinal);
          if (record) yield record;
        }
      },
    };
  }

  get(key: string): StoredRecord | undefined {
    this.assertOpen();
    if (typeof key !== 'string') throw new TypeError('get takes a string key');
    hashKeyString(key, this.hash);
    const slot = this.keys.find(this.hash[0], this.hash[1], (o) => this.readHead(o).key === key);
    return slot < 0 ? undefined : this.readRecord(this.keys.ordinalAt(slot));
  }

  /** Live records: all of them, those carrying a term, or those matching a query. */
  count(query?: string | Query): number {
    this.assertOpen();
    if (query === undefined) return this.columns.live;
    const q = typeof query === 'string' ? { all: [query] } : query;
    checkQuery(q);
    return selectOrdinals(this.columns, this.index, q, false).length;
  }

  /**
   * The `value`s of the matching records that have one, read from memory only: the input of
   * per-function percentiles. In no particular order unless the query has a limit.
   */
  values(query: Query): Float64Array {
    this.assertOpen();
    checkQuery(query);
    const ordinals = selectOrdinals(this.columns, this.index, query, query.limit !== undefined);
    const out = new Float64Array(ordinals.length);
    let n = 0;
    for (const ordinal of ordinals) {
      const value = this.columns.value(ordinal);
      if (!Number.isNaN(value)) out[n++] = value;
    }
    return n === out.length ? out : out.slice(0, n);
  }

  /** Terms starting with `prefix` that some live record carries, sorted: `terms('svc=')` lists services. */
  terms(prefix = ''): string[] {
    this.assertOpen();
    const names: string[] = [];
    for (const id of this.index.idsWithPrefix(prefix)) {
      const list = this.index.postings(id);
      for (let i = list.length - 1; i >= 0; i--) {
        if (this.columns.isLive(list[i])) {
          names.push(this.index.name(id));
          break;
        }
      }
    }
    return names;
  }

  /** Drops the segments retention no longer allows; runs after every append, and on demand. */
  enforceRetention(): number {
    this.assertWritable();
    const segments = this.log.segments;
    const drop = segmentsToDrop(segments.map((s) => ({ size: s.size, maxTime: s.maxTime, empty: s.endOrdinal === s.firstOrdinal })), this.retention, this.now());
    for (const segment of drop.map((i) => segments[i])) {
      this.columns.killRange(segment.firstOrdinal, segment.endOrdinal);
      this.log.drop(segment);
    }
    if (drop.length > 0) {
      this.dirty = true;
      this.compactIfWorthIt();
    }
    return drop.length;
  }

  /** Deletes every record and segment. */
  clear(): void {
    this.assertWritable();
    this.removeSnapshot();
    for (const segment of [...this.log.segments]) this.log.drop(segment);
    this.columns.clear();
    this.index.clear();
    this.keys.clear();
    this.dirty = true;
  }

  stats(): StoreStats {
    this.assertOpen();
    return {
      records: this.columns.live,
      bytes: this.log.totalBytes,
      segments: this.log.segments.length,
      terms: this.index.size,
      indexBytes: this.columns.bytes + this.index.postingsBytes + this.keys.bytes,
    };
  }

  /** Writes the index snapshot (if anything changed), closes the files and releases the lock. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.readOnly && this.dirty) this.writeSnapshot();
    } catch (error) {
      this.report(`Could not write the index snapshot of ${this.path}: ${(error as Error).message}; the next open rebuilds it from the segments.`);
    } finally {
      this.log.close();
      this.releaseLock();
    }
  }

  private load(durable: boolean): void {
    if (!existsSync(this.path)) {
      // A reader of a store that was never written: empty, and nothing to create.
      this.log = SegmentLog.empty(this.path, durable, (m) => this.report(m));
      return;
    }
    this.log = SegmentLog.open(this.path, this.readOnly, durable, (m) => this.report(m));
    let globalIds = new Uint32Array(1024);
    let segment: Segment | undefined;
    let batchBuffer: Buffer;
    let batchFileOffset = 0;
    let batchStart = 0;
    const onTerm = (local: number, start: number, end: number) => {
      if (local >= globalIds.length) {
        const grown = new Uint32Array(globalIds.length * 2);
        grown.set(globalIds);
        globalIds = grown;
      }
      globalIds[local] = this.index.internBytes(batchBuffer, start, end);
    };
    let keyStart = 0;
    let keyEnd = 0;
    let current = 0;
    // Reads a record met earlier back from its segment (only on a 64-bit hash match).
    const sameKey = (ordinal: number) => ordinal !== current && this.readKeyBytes(ordinal).equals(batchBuffer.subarray(keyStart, keyEnd));
    const onEntry = (entry: ScannedEntry) => {
      const buffer = batchBuffer;
      const stored = entry.storedStart;
      const time = buffer.readDoubleLE(stored + STORED_TIME);
      const ordinal = this.columns.push(time, entry.value, batchFileOffset + (stored - batchStart), entry.storedLength);
      const ids = entry.localTermIds;
      for (let i = 0; i < entry.termCount; i++) this.index.add(globalIds[ids[i]], ordinal);
      if (time < segment!.minTime) segment!.minTime = time;
      if (time > segment!.maxTime) segment!.maxTime = time;
      segment!.endOrdinal = ordinal + 1;
      // A key seen before was replaced by this later, higher version (duplicates are never written).
      current = ordinal;
      keyStart = stored + STORED_KEY;
      keyEnd = keyStart + buffer.readUInt16LE(stored + STORED_KEY_LENGTH);
      hashKeyBytes(buffer, keyStart, keyEnd, this.hash);
      const slot = this.keys.find(this.hash[0], this.hash[1], sameKey);
      if (slot >= 0) {
        this.columns.kill(this.keys.ordinalAt(slot));
        this.keys.replaceAt(slot, ordinal);
      } else {
        this.keys.insert(this.hash[0], this.hash[1], ordinal);
      }
    };
    const from = this.loadSnapshot() ?? (() => SEGMENT_HEADER_BYTES);
    this.log.scan(
      from,
      (next) => {
        next.firstOrdinal = next.endOrdinal = this.columns.end;
        next.minTime = Infinity;
        next.maxTime = -Infinity;
      },
      (scanned, buffer, start, fileOffset, header) => {
        segment = scanned;
        this.dirty = true;
        batchBuffer = buffer;
        batchStart = start;
        batchFileOffset = fileOffset;
        scanBatch(buffer, start + BATCH_HEADER_BYTES, header.payloadLength, onTerm, onEntry);
      },
    );
    if (!this.readOnly) this.enforceRetention();
  }

  /**
   * Loads the index snapshot if it still describes the segments on disk: each segment it covers
   * is there with the same size and mtime (the newest may have grown: its tail is scanned), and
   * any other segment is newer. Segments it covers that are gone were dropped by retention.
   * Returns where to scan each segment from (undefined: not at all), or undefined for a full scan.
   */
  private loadSnapshot(): ((segment: Segment) => number | undefined) | undefined {
    const file = join(this.path, SNAPSHOT_FILE);
    const stale = (why: string) => {
      this.report(`Not using the index snapshot ${file}: ${why}; rebuilding the indexes from the segments.`);
      return undefined;
    };
    const input = SnapshotReader.open(file);
    if (input === 'none') return undefined;
    if (typeof input === 'string') return stale(input);
    const start = new Map<Segment, number | undefined>();
    const gone: [number, number][] = [];
    try {
      const [count] = input.numbers();
      const covered = input.float64();
      if (covered.length !== count * 7) return stale('its segment list is malformed');
      const bySeq = new Map(this.log.segments.map((s) => [s.seq, s]));
      let newestSeq = 0;
      for (let k = 0; k < count; k++) {
        const [seq, size, modified, firstOrdinal, endOrdinal, minTime, maxTime] = covered.subarray(k * 7, k * 7 + 7);
        newestSeq = Math.max(newestSeq, seq);
        const segment = bySeq.get(seq);
        if (!segment) {
          gone.push([firstOrdinal, endOrdinal]);
          continue;
        }
        if (segment.size < size) return stale(`${segment.path} is shorter than when it was written`);
        if (segment.size > size && k < count - 1) return stale(`${segment.path} grew although it was sealed`);
        if (segment.size === size && this.log.modified(segment) !== modified) return stale(`${segment.path} was modified after it was written`);
        Object.assign(segment, { firstOrdinal, endOrdinal, minTime, maxTime });
        start.set(segment, segment.size > size ? size : undefined);
      }
      for (const segment of this.log.segments) {
        if (start.has(segment)) continue;
        if (segment.seq < newestSeq) return stale(`${segment.path} is not in it`);
        start.set(segment, SEGMENT_HEADER_BYTES);
      }
      this.columns.load(input);
      this.index.load(input);
      this.keys.load(input);
    } catch (error) {
      this.columns.clear();
      this.index.clear();
      this.keys.clear();
      return stale((error as Error).message);
    }
    for (const [first, end] of gone) this.columns.killRange(first, end);
    if (gone.length > 0) this.dirty = true;
    return (segment) => start.get(segment);
  }

  private writeSnapshot(): void {
    const out = new SnapshotWriter();
    const segments = this.log.segments;
    out.numbers(segments.length);
    out.array(Float64Array.from(segments.flatMap((s) => [s.seq, s.size, this.log.modified(s), s.firstOrdinal, s.endOrdinal, s.minTime, s.maxTime])));
    this.columns.save(out);
    this.index.save(out);
    this.keys.save(out);
    out.save(join(this.path, SNAPSHOT_FILE));
  }

  private removeSnapshot(): void {
    try {
      unlinkSync(join(this.path, SNAPSHOT_FILE));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  /** Rolls to a new segment when the active one cannot take a batch of `bytes`. */
  private prepareSegment(bytes: number): void {
    const active = this.log.active;
    if (active?.writable && (active.size + bytes <= this.segmentBytes || active.endOrdinal === active.firstOrdinal)) return;
    this.log.roll(this.columns.end);
  }

  private segmentOf(ordinal: number): Segment {
    const segments = this.log.segments;
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (segments[mid].firstOrdinal <= ordinal) lo = mid;
      else hi = mid - 1;
    }
    const segment = segments[lo];
    if (!segment || ordinal < segment.firstOrdinal || ordinal >= segment.endOrdinal) throw new Error(`record ${ordinal} is in no segment`);
    return segment;
  }

  /** Reads the first `length` bytes of a record's stored part into the scratch buffer. */
  private readStored(ordinal: number, length?: number): Buffer {
    const index = ordinal - this.columns.base;
    const full = this.columns.lengths[index];
    const want = length === undefined ? full : Math.min(full, length);
    if (this.scratch.length < want) this.scratch = Buffer.allocUnsafe(Math.max(want, this.scratch.length * 2));
    const got = this.log.read(this.segmentOf(ordinal), this.columns.offsets[index], want, this.scratch);
    if (got < want) throw new Error(`${this.segmentOf(ordinal).path}: short read of record ${ordinal} at offset ${this.columns.offsets[index]}`);
    return this.scratch;
  }

  private readKeyBytes(ordinal: number): Buffer {
    let buffer = this.readStored(ordinal, STORED_KEY + 256);
    const keyLength = buffer.readUInt16LE(STORED_KEY_LENGTH);
    if (keyLength > 256) buffer = this.readStored(ordinal, STORED_KEY + keyLength);
    return Buffer.from(buffer.subarray(STORED_KEY, STORED_KEY + keyLength));
  }

  private readHead(ordinal: number): { key: string; version: number } {
    const key = this.readKeyBytes(ordinal).toString('utf8');
    return { key, version: this.scratch.readDoubleLE(STORED_VERSION) };
  }

  /** The record, or undefined (with a message) when its bytes on disk no longer match their checksum. */
  private readRecord(ordinal: number): StoredRecord | undefined {
    const length = this.columns.lengths[ordinal - this.columns.base];
    const part: StoredPart | undefined = decodeStored(this.readStored(ordinal), 0, length);
    if (!part) {
      this.report(`Skipped a damaged record in ${this.segmentOf(ordinal).path} at offset ${this.columns.offsets[ordinal - this.columns.base]}: its checksum does not match.`);
      return undefined;
    }
    const value = this.columns.value(ordinal);
    return { key: part.key, time: part.time, version: part.version, value: Number.isNaN(value) ? undefined : value, body: part.body };
  }

  /** Purges dead records from the indexes once they outnumber the live ones. */
  private compactIfWorthIt(): void {
    const columns = this.columns;
    if (columns.deadSinceCompaction <= Math.max(COMPACT_SLACK, columns.live)) return;
    this.index.compact((ordinal) => columns.isLive(ordinal));
    this.keys.rehash();
    columns.trimPrefix();
    columns.deadSinceCompaction = 0;
  }

  private report(message: string): void {
    this.problemList.push(message);
    this.onProblem?.(message);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`the store at ${this.path} is closed`);
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.readOnly) throw new Error(`the store at ${this.path} is open read-only`);
  }
}

function noteTime(segment: Segment, time: number): void {
  if (time < segment.minTime) segment.minTime = time;
  if (time > segment.maxTime) segment.maxTime = time;
}

function checkRecord(record: AppendRecord, i: number): void {
  const where = `records[${i}]`;
  if (record === null || typeof record !== 'object') throw new TypeError(`${where} is not a record object`);
  if (typeof record.key !== 'string' || record.key.length === 0 || record.key.length > MAX_KEY_CHARS) throw new TypeError(`${where}.key must be a non-empty string of at most ${MAX_KEY_CHARS} characters`);
  if (typeof record.time !== 'number' || !Number.isFinite(record.time)) throw new TypeError(`${where}.time must be a finite number (ms since the epoch), not ${String(record.time)}`);
  if (!Array.isArray(record.terms)) throw new TypeError(`${where}.terms must be an array of strings`);
  for (const term of record.terms) {
    if (typeof term !== 'string' || term.length === 0 || term.length > MAX_TERM_CHARS) throw new TypeError(`${where}.terms must hold non-empty strings of at most ${MAX_TERM_CHARS} characters`);
  }
  if (typeof record.body !== 'string' && !(record.body instanceof Uint8Array)) throw new TypeError(`${where}.body must be a string or a Uint8Array`);
  if (record.version !== undefined && (typeof record.version !== 'number' || !Number.isFinite(record.version))) throw new TypeError(`${where}.version must be a finite number`);
  if (record.value !== undefined && (typeof record.value !== 'number' || !Number.isFinite(record.value))) throw new TypeError(`${where}.value must be a finite number`);
}
