// The files of the workspace by file name, for linking paths from traces and stack frames to
// the files here. Built on first use by walking the roots (skipping the excluded folders) and kept
// current from file-watcher events, so a lookup is a map access.
import { readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { isExcluded } from './review/fileFilter';

/** Folders never worth walking for source files, whatever the user's excludes say. */
const skipped = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', '.tox', 'target', '.gradle', '.idea', '.sightline']);
const maxFiles = 200_000;

export class WorkspaceFiles {
  private byName: Map<string, Set<string>> | undefined;

  constructor(
    readonly roots: readonly string[],
    private readonly exclude: () => readonly string[],
  ) {}

  /** Absolute paths of workspace files with this file name (case-insensitive). */
  named(fileName: string): string[] {
    return [...(this.index().get(fileName.toLowerCase()) ?? [])];
  }

  /** A path relative to the workspace root that holds it, with forward slashes. */
  relativePath(path: string): string {
    for (const root of this.roots) {
      const rel = relative(root, path);
      if (rel && !rel.startsWith('..')) return rel.split('\\').join('/');
    }
    return path.split('\\').join('/');
  }

  added(path: string): void {
    if (!this.byName) return;
    const key = basename(path).toLowerCase();
    if (!this.byName.has(key)) this.byName.set(key, new Set());
    this.byName.get(key)!.add(path);
  }

  removed(path: string): void {
    this.byName?.get(basename(path).toLowerCase())?.delete(path);
  }

  private index(): Map<string, Set<string>> {
    if (this.byName) return this.byName;
    const byName = new Map<string, Set<string>>();
    let count = 0;
    const globs = this.exclude();
    const walk = (dir: string) => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        if (count >= maxFiles) return;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!skipped.has(entry.name) && !isExcluded(path, this.roots, globs)) walk(path);
        } else if (entry.isFile()) {
          count++;
          const key = entry.name.toLowerCase();
          if (!byName.has(key)) byName.set(key, new Set());
          byName.get(key)!.add(path);
        }
      }
    };
    for (const root of this.roots) walk(root);
    this.byName = byName;
    return byName;
  }
}
