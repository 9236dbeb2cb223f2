// Paths the tests share. Tests run from the repository root (npm scripts), bundled into out/test.
import { resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..', '..');
export const grammarDir = resolve(repoRoot, 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm');
export const fixturesDir = resolve(repoRoot, 'test', 'fixtures');
export const distDir = resolve(repoRoot, 'dist');
