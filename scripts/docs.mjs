// `npm run docs`: regenerates docs/rules.md from the rules' metadata through the built CLI.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

execFileSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
const markdown = execFileSync(process.execPath, ['dist/cli.js', 'rules', '--format', 'markdown'], { encoding: 'utf8' });
mkdirSync('docs', { recursive: true });
writeFileSync('docs/rules.md', markdown);
console.log('Wrote docs/rules.md');
