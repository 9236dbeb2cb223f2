// Finds the files a review covers: every reviewable file under the given paths, skipping
// excluded globs and never following symbolic links out of the tree.
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { isExcluded } from './fileFilter';
import { languageIdForPath } from './languages';

export interface WalkResult {
  files: string[];
  /** Paths the user named that do not exist or cannot be read. */
  missing: string[];
}

export function findReviewFiles(paths: readonly string[], roots: readonly string[], exclude: readonly string[]): WalkResult {
  const files: string[] = [];
  const missing: string[] = [];
  const visit = (path: string, named: boolean) => {
    let stats: Stats;
    try {
      stats = lstatSync(path);
    } catch {
      if (named) missing.push(path);
      return;
    }
    if (!named && isExcluded(path, roots, exclude)) return;
    if (stats.isDirectory()) {
      let names: string[];
      try {
        names = readdirSync(path).sort();
      } catch {
        if (named) missing.push(path);
        return;
      }
      for (const name of names) visit(join(path, name), false);
    } else if (stats.isFile() && languageIdForPath(path)) {
      files.push(path);
    }
  };
  for (const path of paths) visit(resolve(path), true);
  return { files, missing };
}
