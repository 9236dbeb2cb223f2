// The workspace the suite in test/vscode/suite/ runs in, for both runners (code-server and desktop):
// a copy of test/fixtures/workspace (the suite edits its files) with the demo as demo/ in it, for the
// Audit view's tests. The demo's sources come from git; its CloudTrail logs and traces are generated
// afresh by scripts/demoData.mjs (they are git-ignored and dated from now).
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Fills `workspace` (a folder that does not exist yet); throws when the demo data cannot be made. */
export function prepareSuiteWorkspace(workspace) {
  cpSync(join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const demo = join(repoRoot, 'examples', 'demo');
  const demoCopy = join(workspace, 'demo');
  cpSync(demo, demoCopy, { recursive: true, filter: (path) => !['traces', 'cloudtrail', '.sightline'].includes(relative(demo, path)) });
  const generated = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'demoData.mjs'), demoCopy], { encoding: 'utf8' });
  if (generated.status !== 0) throw new Error(`scripts/demoData.mjs failed:\n${generated.stderr}${generated.error ?? ''}`);
}
