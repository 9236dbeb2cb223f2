// `npm start`: build, then open examples/demo in a VS Code with Sightline loaded from this folder
// as an extension under development. VS Code desktop when `code` is on PATH; otherwise
// code-server in the browser (installed on first use into .tools/).
//
//   SIGHTLINE_EDITOR=code-server   use code-server even when `code` is on PATH
//   SIGHTLINE_PORT=8080            code-server's port (default 8080; a free one if that is taken)
//   SIGHTLINE_VERBOSE=1            print code-server's own log
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  QUIET_SETTINGS, ensureCodeServer, freePort, isPortFree, repoRoot, startCodeServer, workbenchUrl,
} from './codeServer.mjs';

const demo = join(repoRoot, 'examples', 'demo');
const stateDir = join(repoRoot, '.tools', 'start');

function fail(message) {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

console.log('Building Sightline (node esbuild.mjs)...');
if (spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' }).status !== 0) {
  fail('the build failed; see above.');
}
// Fresh demo traces and CloudTrail events, dated from now so the CodeLens window includes them.
spawnSync(process.execPath, ['scripts/demoData.mjs'], { cwd: repoRoot, stdio: 'inherit' });

const editor = process.env.SIGHTLINE_EDITOR ?? (onPath('code') ? 'code' : 'code-server');
if (editor === 'code') {
  console.log(`Opening ${demo} in VS Code with Sightline under development...`);
  const code = spawn('code', [`--extensionDevelopmentPath=${repoRoot}`, demo], { stdio: 'inherit' });
  code.on('exit', (status) => process.exit(status ?? 0));
} else if (editor === 'code-server') {
  await startInBrowser();
} else {
  fail(`SIGHTLINE_EDITOR must be "code" or "code-server", not "${editor}".`);
}

async function startInBrowser() {
  try {
    await ensureCodeServer();
  } catch (error) {
    fail(error.message);
  }
  const wanted = Number(process.env.SIGHTLINE_PORT ?? 8080);
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) fail(`SIGHTLINE_PORT is not a port: ${process.env.SIGHTLINE_PORT}`);
  let port = wanted;
  if (!(await isPortFree(wanted))) {
    port = await freePort();
    console.log(`Port ${wanted} is taken; using ${port} instead.`);
  }
  const userDataDir = join(stateDir, 'user-data');
  const server = await startCodeServer({
    workspace: demo,
    port,
    // Kept between runs, so the editor's layout and any settings you change survive a restart.
    userDataDir,
    extensionsDir: join(stateDir, 'extensions'),
    settings: existsSync(join(userDataDir, 'User', 'settings.json')) ? undefined : QUIET_SETTINGS,
    onOutput: process.env.SIGHTLINE_VERBOSE === '1' ? (text) => process.stdout.write(text) : undefined,
  });
  const url = workbenchUrl(server.url, { folder: demo, extensionDevelopmentPath: repoRoot });
  console.log(`
Sightline is running in code-server ${server.url} with the demo workspace.
Open this URL in a browser (it loads Sightline from ${repoRoot}):

  ${url}

Then try: open app.py (a warning on line 8); run "Sightline: Import Traces…" on
examples/demo/traces for CodeLens numbers above handler(); run "Sightline: Import CloudTrail
Logs…" on examples/demo/cloudtrail and open the Audit view in the panel.

After changing the code: \`npm run build\` (or keep \`npm run build:watch\` running), then
"Developer: Reload Window" from the command palette. Ctrl+C stops code-server.
`);

  let stopping = false;
  const shutDown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping code-server...');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutDown);
  process.on('SIGTERM', shutDown);
  process.on('SIGHUP', shutDown);
  const status = await server.whenExited;
  if (!stopping) fail(`code-server stopped by itself (${status}):\n${server.output().slice(-4000)}`);
}
