// `.sightline.json` in a workspace root: the team's review configuration, committed with the code,
// read by the editor and the CLI alike so CI and every developer see the same findings. It has the
// shape of the `sightline` settings section: { "review": { "rules": {...}, "exclude": [...], ... } }.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveSettings, type Settings } from '../settings';

export const projectConfigName = '.sightline.json';

export interface ProjectConfig {
  /** Settings with the file's values laid over the base settings. */
  settings: Settings;
  /** What was wrong with the file, naming it, if it could not be used. */
  problem?: string;
}

/** Lays `.sightline.json` from `root` over `base`: rules merge per id, excludes add up, other values replace. */
export function applyProjectConfig(base: Settings, root: string): ProjectConfig {
  const path = join(root, projectConfigName);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: base };
    return { settings: base, problem: `${path} cannot be read: ${(error as Error).message}` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { settings: base, problem: `${path} is not valid JSON: ${(error as Error).message}` };
  }
  const review = (raw as { review?: Record<string, unknown> } | null)?.review;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || (review !== undefined && (typeof review !== 'object' || review === null))) {
    return { settings: base, problem: `${path} must be an object like { "review": { "rules": { "python/sql-injection": "error" } } }` };
  }
  if (!review) return { settings: base };
  const file = resolveSettings({ review: { ...base.review, ...review } }).review;
  return {
    settings: {
      ...base,
      review: {
        ...file,
        rules: { ...base.review.rules, ...file.rules },
        exclude: [...new Set([...base.review.exclude, ...(Array.isArray(review.exclude) ? file.exclude : [])])],
      },
    },
  };
}
