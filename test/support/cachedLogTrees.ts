// CloudTrail log trees for benchmarks that need hundreds of MB of input: written once by the
// generator into /tmp/sightline-bench/<name>/ and reused by later runs (writing 1M records takes
// a minute or more; the generator is deterministic, so a cached tree is the tree a new run would
// write). A tree counts as cached only when its manifest exists: the manifest is written last, so
// a run killed while writing leaves no manifest and the next run starts the tree again.
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLogTree, type LogTreeOptions } from './cloudTrailGenerator';

export interface CachedLogTree {
  root: string;
  /** Event log files, sorted. */
  files: string[];
  /** Records written (no repeats unless a part asked for them). */
  records: number;
  distinct: number;
  /** Bytes on disk. */
  bytes: number;
  /** Bytes once decompressed: what a reader parses. */
  uncompressedBytes: number;
  gzipFiles: number;
  plainFiles: number;
  /** Whether this run wrote the tree, and how long that took. */
  built: boolean;
  buildMs: number;
}

type Manifest = Omit<CachedLogTree, 'root' | 'built' | 'buildMs'>;

/** The uncompressed size of a gzip file from its trailer (ISIZE, modulo 2^32: fine for log files). */
function gzipContentSize(path: string): number {
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  try {
    const trailer = Buffer.alloc(4);
    readSync(fd, trailer, 0, 4, size - 4);
    return trailer.readUInt32LE(0);
  } finally {
    closeSync(fd);
  }
}

/**
 * The tree `name` under /tmp/sightline-bench/, made of `parts` written one after another into the
 * same root (e.g. a gzip part and a plain-JSON part in the same account and Region folders). Bump
 * the name when the parts change.
 */
export async function cachedLogTree(name: string, parts: readonly LogTreeOptions[]): Promise<CachedLogTree> {
  const root = join(tmpdir(), 'sightline-bench', name);
  const manifestPath = join(root, 'manifest.json');
  if (existsSync(manifestPath)) {
    return { root, ...(JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest), built: false, buildMs: 0 };
  }
  rmSync(root, { recursive: true, force: true });
  const started = performance.now();
  const manifest: Manifest = { files: [], records: 0, distinct: 0, bytes: 0, uncompressedBytes: 0, gzipFiles: 0, plainFiles: 0 };
  for (const part of parts) {
    const tree = await writeLogTree(root, part);
    manifest.files.push(...tree.files);
    manifest.records += tree.records;
    manifest.distinct += tree.distinct;
    manifest.bytes += tree.bytes;
  }
  manifest.files.sort();
  for (const file of manifest.files) {
    if (file.endsWith('.gz')) {
      manifest.gzipFiles++;
      manifest.uncompressedBytes += gzipContentSize(file);
    } else {
      manifest.plainFiles++;
      manifest.uncompressedBytes += statSync(file).size;
    }
  }
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return { root, ...manifest, built: true, buildMs: performance.now() - started };
}

export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}
