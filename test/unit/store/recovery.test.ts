// Damage a store on disk the ways crashes and bad disks do, and check what opening it recovers.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { crc32, portableCrc32 } from '../../../server/store/checksum';
import { BATCH_HEADER_BYTES, SEGMENT_HEADER_BYTES } from '../../../server/store/segmentFormat';
import { Store } from '../../../server/store/store';
import { range, span, T0, tempDir } from './helpers';

const options = { name: 'spans', retention: { maxAgeMs: Infinity, maxBytes: Infinity }, now: () => T0 };

/**
 * Five batches of 10 records in one segment; returns the file and each batch's start offset.
 * Unless `keepSnapshot`, the index snapshot that close wrote is removed, as after a crash, so that
 * opening reads the segment itself.
 */
function fiveBatches(dir: string, keepSnapshot = false): { file: string; offsets: number[] } {
  const store = Store.open(dir, options);
  const offsets: number[] = [];
  for (let b = 0; b < 5; b++) {
    offsets.push(store.stats().bytes);
    store.append(range(b * 10, b * 10 + 10).map((i) => span(i)));
  }
  store.close();
  if (!keepSnapshot) rmSync(join(dir, 'spans', 'index.snapshot'));
  return { file: join(dir, 'spans', '00000001.seg'), offsets };
}

function flipByte(file: string, offset: number): void {
  const bytes = readFileSync(file);
  bytes[offset] ^= 0xff;
  writeFileSync(file, bytes);
}

function presentBatches(store: Store): number[] {
  return range(0, 5).filter((b) => store.get(span(b * 10).key) !== undefined);
}

describe('store: recovery', () => {
  test('the checksum agrees with the portable implementation', () => {
    const data = Buffer.from('The quick brown fox jumps over the lazy dog');
    assert.equal(crc32(data), 0x414fa339);
    assert.equal(portableCrc32(data), 0x414fa339);
  });

  test('a torn tail (the batch in flight) is truncated, everything before it kept', () => {
    const dir = tempDir();
    const { file, offsets } = fiveBatches(dir);
    const size = statSync(file).size;
    truncateSync(file, offsets[4] + Math.floor((size - offsets[4]) / 2));
    const problems: string[] = [];
    let store = Store.open(dir, { ...options, onProblem: (m) => problems.push(m) });
    assert.deepEqual(presentBatches(store), [0, 1, 2, 3]);
    assert.equal(store.count(), 40);
    assert.equal(problems.length, 1);
    assert.match(problems[0], new RegExp(`Recovered .*00000001\\.seg: truncated a torn write of \\d+ bytes at offset ${offsets[4]}`));
    assert.deepEqual(store.problems, problems);
    assert.equal(statSync(file).size, offsets[4]);
    store.append(range(40, 50).map((i) => span(i)));
    store.close();
    store = Store.open(dir, options);
    assert.deepEqual(store.problems, []);
    assert.equal(store.count(), 50);
    store.close();
  });

  test('a tail cut inside a batch header, or a few garbage bytes, is also a torn tail', () => {
    for (const cut of [3, BATCH_HEADER_BYTES - 1]) {
      const dir = tempDir();
      const { file, offsets } = fiveBatches(dir);
      truncateSync(file, offsets[4] + cut);
      const store = Store.open(dir, options);
      assert.equal(store.count(), 40, `cut ${cut}`);
      assert.equal(statSync(file).size, offsets[4]);
      store.close();
    }
  });

  test('a reader leaves a torn tail alone and reads what is whole', () => {
    const dir = tempDir();
    const { file, offsets } = fiveBatches(dir);
    truncateSync(file, offsets[4] + 30);
    const reader = Store.open(dir, { ...options, readOnly: true });
    assert.equal(reader.count(), 40);
    assert.match(reader.problems[0], /Ignoring an incomplete batch at the end of .*00000001\.seg, offset \d+/);
    assert.equal(statSync(file).size, offsets[4] + 30);
    reader.close();
  });

  test('a corrupted byte in a batch in the middle skips that batch, named by file and offset; the rest stays readable', () => {
    const dir = tempDir();
    const { file, offsets } = fiveBatches(dir);
    flipByte(file, offsets[2] + BATCH_HEADER_BYTES + 100);
    let store = Store.open(dir, options);
    assert.deepEqual(presentBatches(store), [0, 1, 3, 4]);
    assert.equal(store.count(), 40);
    assert.equal(store.problems.length, 1);
    assert.match(store.problems[0], new RegExp(`Skipped a damaged batch in .*00000001\\.seg at offset ${offsets[2]}: its checksum does not match \\(10 records lost`));
    assert.equal(statSync(file).size > offsets[4], true, 'nothing is truncated');
    assert.equal([...store.query({ all: ['svc=svc1'] })].length, 14);
    // The store stays writable, and the damaged batch's records can be stored again.
    assert.equal(store.append(range(20, 30).map((i) => span(i))).inserted, 10);
    store.close();
    store = Store.open(dir, options);
    assert.equal(store.count(), 50);
    store.close();
  });

  test('a corrupted batch header is skipped by finding the next intact batch', () => {
    const dir = tempDir();
    const { file, offsets } = fiveBatches(dir);
    flipByte(file, offsets[1] + 5);
    const store = Store.open(dir, options);
    assert.deepEqual(presentBatches(store), [0, 2, 3, 4]);
    assert.match(store.problems[0], new RegExp(`Skipped unreadable bytes in .*00000001\\.seg from offset ${offsets[1]} to ${offsets[2]}`));
    store.close();
  });

  test('files that are not ours are ignored with a message; a bad segment header too', () => {
    const dir = tempDir();
    fiveBatches(dir);
    writeFileSync(join(dir, 'spans', 'notes.txt'), 'hello');
    mkdirSync(join(dir, 'spans', 'stuff'));
    writeFileSync(join(dir, 'spans', '00000000.seg'), 'not a segment at all, but long enough');
    const store = Store.open(dir, options);
    assert.equal(store.count(), 50);
    const text = store.problems.join('\n');
    assert.match(text, /Ignoring .*notes\.txt: this file is not part of a Sightline store/);
    assert.match(text, /Ignoring .*stuff: this folder is not part of a Sightline store/);
    assert.match(text, /Ignoring .*00000000\.seg: not a segment file \(wrong magic bytes\)/);
    store.close();
    assert.equal(readFileSync(join(dir, 'spans', 'notes.txt'), 'utf8'), 'hello', 'ignored files are left as they are');
  });

  test('a newest segment cut inside its own header is started afresh', () => {
    const dir = tempDir();
    fiveBatches(dir);
    writeFileSync(join(dir, 'spans', '00000002.seg'), Buffer.from('SLSE'));
    let store = Store.open(dir, options);
    assert.equal(store.count(), 50);
    assert.match(store.problems.join('\n'), /00000002\.seg: it was cut off inside its header/);
    assert.equal(statSync(join(dir, 'spans', '00000002.seg')).size, SEGMENT_HEADER_BYTES);
    store.append([span(60)]);
    store.close();
    store = Store.open(dir, options);
    assert.equal(store.count(), 51);
    assert.deepEqual(store.problems, []);
    store.close();
  });

  test('the index snapshot written at close is used at open, with the same answers', () => {
    const dir = tempDir();
    fiveBatches(dir, true);
    let store = Store.open(dir, options);
    assert.deepEqual(store.problems, []);
    assert.equal(store.count(), 50);
    assert.deepEqual(presentBatches(store), [0, 1, 2, 3, 4]);
    assert.deepEqual(store.terms('svc='), ['svc=svc0', 'svc=svc1', 'svc=svc2']);
    assert.equal(store.append([span(3), span(50)]).inserted, 1, 'deduplication works from the loaded key index');
    assert.equal(store.append([span(4, { version: 2, body: 'v2' })]).replaced, 1);
    store.close();
    store = Store.open(dir, options);
    assert.deepEqual(store.problems, []);
    assert.equal(store.count(), 51);
    assert.equal(store.get(span(4).key)?.body, 'v2');
    assert.equal(store.count('svc=svc1'), 17);
    store.close();
  });

  test('a snapshot that no longer matches its segments is not used', () => {
    const dir = tempDir();
    const { file } = fiveBatches(dir, true);
    const { atime, mtime } = statSync(file);
    utimesSync(file, atime, new Date(mtime.getTime() + 5000));
    let store = Store.open(dir, options);
    assert.match(store.problems.join('\n'), /Not using the index snapshot .*index\.snapshot: .*00000001\.seg was modified after it was written; rebuilding/);
    assert.equal(store.count(), 50);
    store.close();
    const snapshot = join(dir, 'spans', 'index.snapshot');
    flipByte(snapshot, statSync(snapshot).size - 3);
    store = Store.open(dir, options);
    assert.match(store.problems.join('\n'), /Not using the index snapshot .*: checksum mismatch/);
    assert.equal(store.count(), 50);
    store.close();
  });

  test('a record damaged on disk after the snapshot is skipped when read, with file and offset', () => {
    const dir = tempDir();
    const { file, offsets } = fiveBatches(dir, true);
    const { atimeMs, mtimeMs } = statSync(file);
    // Find record 21's body in batch 2 and damage it, keeping the mtime: silent bit rot.
    const bytes = readFileSync(file);
    const at = bytes.indexOf('"i":21', offsets[2]);
    flipByte(file, at + 2);
    utimesSync(file, atimeMs / 1000, mtimeMs / 1000);
    const store = Store.open(dir, options);
    assert.deepEqual(store.problems, [], 'the snapshot was used');
    assert.equal(store.get(span(21).key), undefined);
    assert.match(store.problems[0], /Skipped a damaged record in .*00000001\.seg at offset \d+: its checksum does not match/);
    assert.deepEqual([...store.query({ all: ['svc=svc0'], from: T0 + 20_000, to: T0 + 22_000 })].length, 0);
    assert.equal([...store.query({ all: ['svc=svc2'], from: T0 + 20_000, to: T0 + 30_000 })].length, 4, 'the rest of the batch reads fine');
    store.close();
  });

  test('an empty store directory is a new store', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'spans'));
    const store = Store.open(dir, options);
    assert.equal(store.count(), 0);
    assert.deepEqual(store.problems, []);
    store.close();
  });
});
