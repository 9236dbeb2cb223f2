// `.sightline.json` in a workspace root: the team's configuration, committed with the code, read by
// the editor and the CLI alike so CI and every developer see the same findings and code links. It
// has the shape of the `sightline` settings section: { "review": {...}, "traces": {...} }.
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
  const { review, traces, audit } = (raw ?? {}) as { review?: Record<string, unknown>; traces?: Record<string, unknown>; audit?: Record<string, unknown> };
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(raw) || [review, traces, audit].some((section) => section !== undefined && !isObject(section))) {
    return { settings: base, problem: `${path} must be an object like { "review": { "rules": { "python/sql-injection": "error" } }, "traces": { "pathMappings": { "/var/task/": "src/" } } }` };
  }
  const resolved = resolveSettings({ review: { ...base.review, ...review }, traces: { ...base.traces, ...traces }, audit: { ...base.audit, ...audit } });
  const file = resolved.review;
  return {
    settings: {
      ...base,
      audit: resolved.audit,
      traces: { ...resolved.traces, pathMappings: { ...base.traces.pathMappings, ...resolved.traces.pathMappings } },
      review: {
        ...file,
        rules: { ...base.review.rules, ...file.rules },
        exclude: [...new Set([...base.review.exclude, ...(Array.isArray(review?.exclude) ? file.exclude : [])])],
      },
    },
  };
}
