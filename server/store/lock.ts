// One writer per store directory. The writer holds a LOCK file that names its pid; a second
// writer gets StoreLockedError ("store at X is in use by pid N"). A lock whose pid no longer runs
// (the writer was killed) is stale and taken over. Readers take no lock (see store.ts).
import { closeSync, linkSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE } from './segmentLog';

export class StoreLockedError extends Error {
  readonly code = 'ESTORELOCKED';

  constructor(readonly storePath: string, readonly pid: number) {
    super(`The store at ${storePath} is in use by pid ${pid}${pid === process.pid ? ' (this process)' : ''}: close that one first, or open this one read-only.`);
    this.name = 'StoreLockedError';
  }
}

/** Takes the directory's lock or throws StoreLockedError; returns the function that releases it. */
export function acquireLock(dir: string, report: (message: string) => void): () => void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createLockFile(path)) return () => releaseLock(path);
    const holder = readPid(path);
    if (holder === 'missing') continue;
    if (holder !== 'unreadable' && isRunning(holder)) throw new StoreLockedError(dir, holder);
    report(holder === 'unreadable'
      ? `Removed an unreadable lock file ${path}.`
      : `Took over the lock of ${dir} from pid ${holder}, which is no longer running (it stopped without closing the store).`);
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new Error(`Could not take the lock ${path}: other processes keep taking it.`);
}

/**
 * Creates the lock file with our pid already inside, atomically: the pid is written to a private
 * file that is then hard-linked to LOCK, so no one ever sees an empty lock. File systems without
 * hard links fall back to an exclusive create.
 */
function createLockFile(path: string): boolean {
  const content = `${process.pid}\n`;
  const temporary = `${path}.${process.pid}.${Date.now()}`;
  try {
    writeFileSync(temporary, content, { flag: 'wx' });
    try {
      linkSync(temporary, path);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
    }
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, content);
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      // Already gone.
    }
  }
}

function readPid(path: string): number | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : 'unreadable';
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseLock(path: string): void {
  if (readPid(path) !== process.pid) return;
  try {
    unlinkSync(path);
  } catch {
    // Someone removed it already.
  }
}
