// Reviews one file from disk for the CLI and workspace scans: the same engine as the editor, with
// every way a file can be unreadable turned into a message that names the file.
import { readFileSync, statSync } from 'node:fs';
import { reviewTree, type RuleFailure } from './engine';
import { languageForId, languageIdForPath } from './languages';
import type { Parsers } from './parser';
import type { Finding } from './rule';
import type { Settings } from '../settings';

export interface FileReview {
  path: string;
  findings: Finding[];
  /** Why the file was not reviewed, if it was not. */
  skipped?: string;
  failures: RuleFailure[];
}

export function reviewFile(parsers: Parsers, path: string, settings: Settings): FileReview {
  const none = (skipped: string): FileReview => ({ path, findings: [], skipped, failures: [] });
  const info = languageForId(languageIdForPath(path) ?? '');
  if (!info) return none('not a Python, Java, JavaScript or TypeScript file');
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    return none(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (size > settings.review.maxFileSize) {
    return none(`larger than sightline.review.maxFileSize (${size} > ${settings.review.maxFileSize} bytes)`);
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return none(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (bytes.includes(0)) return none('binary content (NUL bytes)');
  const text = bytes.toString('utf8');
  const tree = parsers.parse(info.grammar, text);
  try {
    const { findings, failures } = reviewTree(info.language, tree, text, settings);
    return { path, findings, failures };
  } finally {
    tree.delete();
  }
}
