// Which files the review skips: the user's exclude globs, matched against the path relative to
// each workspace root (and the absolute path, for files outside every root).
import { minimatch } from 'minimatch';
import { relative, sep } from 'node:path';

export function isExcluded(filePath: string, roots: readonly string[], globs: readonly string[]): boolean {
  if (globs.length === 0) return false;
  const candidates = [toSlashes(filePath)];
  for (const root of roots) {
    const rel = relative(root, filePath);
    if (rel && !rel.startsWith('..')) candidates.push(toSlashes(rel));
  }
  return globs.some((glob) => candidates.some((path) => minimatch(path, glob, { dot: true })));
}

function toSlashes(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
