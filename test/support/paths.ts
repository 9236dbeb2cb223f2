// Paths the tests share, found from the bundled test file upwards: tests sit at different depths
// (out/test/unit/, out/test/unit/audit/, …) and in different output folders (SIGHTLINE_TEST_OUT).
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
export const grammarDir = join(repoRoot, 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm');
export const fixturesDir = join(repoRoot, 'test', 'fixtures');
export const auditFixturesDir = join(fixturesDir, 'audit');
export const distDir = join(repoRoot, 'dist');
