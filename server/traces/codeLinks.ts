// Which workspace file a span's code location points at. Production paths rarely match the
// workspace (`/var/task/app/handler.py` vs `src/app/handler.py`), so the user's path mappings are
// applied first and then the workspace file sharing the longest path suffix wins.

export type PathMappings = Record<string, string>;

/** Splits on / and \, dropping empty and `.` segments. */
function segments(path: string): string[] {
  return path.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
}

/** Applies the first mapping whose prefix the path starts with (longest prefix first). */
export function applyPathMappings(path: string, mappings: PathMappings): string {
  const normalized = path.replace(/\\/g, '/');
  const prefixes = Object.keys(mappings).sort((a, b) => b.length - a.length);
  for (const prefix of prefixes) {
    const from = prefix.replace(/\\/g, '/');
    if (normalized.startsWith(from)) return mappings[prefix].replace(/\\/g, '/') + normalized.slice(from.length);
  }
  return normalized;
}

/** How many trailing segments two paths share. */
export function commonSuffix(a: string, b: string): number {
  const x = segments(a);
  const y = segments(b);
  let n = 0;
  while (n < x.length && n < y.length && x[x.length - 1 - n] === y[y.length - 1 - n]) n++;
  return n;
}

/**
 * The workspace file (relative path) a span's file path refers to: after mappings, an exact
 * relative match wins, else the longest shared suffix (the file name at least); ties go to the
 * shorter workspace path, the likelier home of a deployed file.
 */
export function matchWorkspaceFile(spanPath: string, workspaceFiles: readonly string[], mappings: PathMappings): string | undefined {
  const mapped = applyPathMappings(spanPath, mappings);
  const mappedSegments = segments(mapped).join('/');
  let best: string | undefined;
  let bestScore = 0;
  for (const file of workspaceFiles) {
    const fileSegments = segments(file).join('/');
    if (fileSegments === mappedSegments) return file;
    const score = commonSuffix(mapped, file);
    if (score > bestScore || (score === bestScore && score > 0 && best !== undefined && fileSegments.length < segments(best).join('/').length)) {
      best = file;
      bestScore = score;
    }
  }
  return bestScore > 0 ? best : undefined;
}

/** The workspace's files by name, as WorkspaceFiles keeps them. */
export interface WorkspaceFileNames {
  /** Absolute paths of the workspace files with this file name (case-insensitive). */
  named(fileName: string): string[];
  /** A path relative to the workspace root that holds it, with forward slashes. */
  relativePath(path: string): string;
}

/** The workspace file (absolute path) a path from a span or a stack frame refers to, if any. */
export function resolveWorkspaceFile(spanPath: string, files: WorkspaceFileNames, mappings: PathMappings): string | undefined {
  const candidates = files.named(segments(spanPath).pop() ?? '');
  if (candidates.length === 0) return undefined;
  const relative = candidates.map((p) => files.relativePath(p));
  const match = matchWorkspaceFile(spanPath, relative, mappings);
  return match === undefined ? undefined : candidates[relative.indexOf(match)];
}

/** The file name of a path, lower-cased: the store indexes spans under it to find candidates fast. */
export function fileKey(path: string): string {
  const parts = segments(path);
  return (parts[parts.length - 1] ?? '').toLowerCase();
}
