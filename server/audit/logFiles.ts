// Which files under the paths given to an import are CloudTrail log files. Folders are walked in
// name order, in the layout CloudTrail delivers to S3 or any other:
//   AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<time>_<id>.json.gz
//   AWSLogs/o-<org>/<account>/CloudTrail/…                       (organisation trails)
//   AWSLogs/<account>/CloudTrail-Insight/<region>/YYYY/MM/DD/…  (Insights events: read)
//   AWSLogs/<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/…   (digests: hashes, not events: skipped)
// In folders only JSON-looking names are taken (.json, .json.gz, .jsonl, .ndjson, .gz …); a file
// named explicitly is always read and judged by its content.

import { promises as fs } from 'node:fs';
import { join } from 'node:path';

export interface LogFile {
  path: string;
  size: number;
}

export interface LogFileList {
  files: LogFile[];
  /** Files left out of folder walks: digests, and names that are not JSON. */
  skipped: number;
  /** Paths that do not exist or cannot be listed. */
  problems: string[];
}

const LOG_NAME = /\.(json|jsonl|ndjson)(\.gz)?$|\.gz$/i;
const DIGEST_FOLDER = 'CloudTrail-Digest';
const DIGEST_NAME = '_CloudTrail-Digest_';

export function isLogFileName(name: string): boolean {
  return LOG_NAME.test(name) && !name.includes(DIGEST_NAME);
}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT': return 'no such file or folder';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'ELOOP': return 'too many symbolic links';
    default: return e.message ?? String(error);
  }
}

/** Lists the log files under `paths` (files and folders), in a stable order. */
export async function listLogFiles(paths: readonly string[], signal?: AbortSignal): Promise<LogFileList> {
  const list: LogFileList = { files: [], skipped: 0, problems: [] };
  const visited = new Set<string>();
  const taken = new Set<string>();

  const addFile = (path: string, size: number) => {
    if (taken.has(path)) return;
    taken.add(path);
    list.files.push({ path, size });
  };

  const walk = async (dir: string): Promise<void> => {
    if (signal?.aborted) return;
    let real: string;
    try {
      real = await fs.realpath(dir);
    } catch (error) {
      list.problems.push(`${dir}: ${reason(error)}`);
      return;
    }
    if (visited.has(real)) return;
    visited.add(real);
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      list.problems.push(`${dir}: cannot list the folder (${reason(error)})`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // This folder's files first (their sizes looked up together), then its subfolders.
    const files: string[] = [];
    const folders: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await fs.stat(path);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch (error) {
          list.problems.push(`${path}: a broken symbolic link (${reason(error)})`);
          continue;
        }
      }
      if (isDir) {
        if (entry.name === DIGEST_FOLDER) list.skipped++;
        else folders.push(path);
      } else if (isFile) {
        if (isLogFileName(entry.name)) files.push(path);
        else list.skipped++;
      }
    }
    const sizes = await Promise.all(files.map((path) => fs.stat(path).then((s) => s.size, (error: unknown) => error)));
    sizes.forEach((size, i) => {
      if (typeof size === 'number') addFile(files[i], size);
      else list.problems.push(`${files[i]}: ${reason(size)}`);
    });
    for (const folder of folders) await walk(folder);
  };

  for (const path of paths) {
    if (signal?.aborted) break;
    let stat;
    try {
      stat = await fs.stat(path);
    } catch (error) {
      list.problems.push(`${path}: ${reason(error)}`);
      continue;
    }
    if (stat.isDirectory()) await walk(path);
    else if (stat.isFile()) addFile(path, stat.size);
    else list.problems.push(`${path}: not a file or folder`);
  }
  return list;
}
