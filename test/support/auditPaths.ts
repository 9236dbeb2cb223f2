// Paths for the audit tests, found from the bundled test file upwards (the shared paths.ts assumes
// a test sits directly in <out>/test/<tier>/, and audit tests sit one folder deeper).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'sightline') return dir;
    if (dirname(dir) === dir) throw new Error(`no sightline package.json above ${from}`);
  }
}

export const repoRoot = findRepoRoot(__dirname);
export const auditFixturesDir = join(repoRoot, 'test', 'fixtures', 'audit');
