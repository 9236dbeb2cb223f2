// A real VS Code for machines that cannot download VS Code desktop: code-server, installed once
// into .tools/ (git-ignored) and started on a free local port. `npm start`, the suite that runs
// inside the extension host and the end-to-end tests all go through this module.
//
//   node scripts/codeServer.mjs --ensure    install code-server if it is not installed yet
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, unlinkSync, writeFileSync, writeSync,
} from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
/** The ripgrep that code-server's @vscode/ripgrep@1.15.11 would download from GitHub. */
const RIPGREP_CACHE = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11',
  'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
const RIPGREP_PACKAGE = '@vscode/ripgrep-linux-x64@1.18.0';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(repoRoot, '.tools');
const installDir = join(toolsDir, 'code-server');
const installLog = join(toolsDir, 'code-server-install.log');
const installedMarker = join(installDir, 'installed-version');
const lockFile = join(toolsDir, 'code-server-install.lock');
const entryPoint = join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

const log = (message) => console.log(`[code-server] ${message}`);

function isInstalled() {
  return existsSync(entryPoint) && existsSync(installedMarker)
    && readFileSync(installedMarker, 'utf8').trim() === CODE_SERVER_VERSION;
}

/** Installs code-server into .tools/code-server on first use; returns at once when it is there. */
export async function ensureCodeServer() {
  if (isInstalled()) return entryPoint;
  mkdirSync(toolsDir, { recursive: true });
  await withInstallLock(async () => {
    if (isInstalled()) return; // another process installed it while this one waited
    checkPrerequisites();
    const started = Date.now();
    log(`installing code-server ${CODE_SERVER_VERSION} into ${installDir} (about a minute and 300 MB, once)`);
    prepareRipgrepCache();
    await installCodeServer();
    writeFileSync(installedMarker, `${CODE_SERVER_VERSION}\n`);
    log(`installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });
  return entryPoint;
}

/** One installer at a time (e.g. two test runners started together); the others wait for it. */
async function withInstallLock(install) {
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    let holder;
    try {
      holder = Number(readFileSync(lockFile, 'utf8').trim());
    } catch {
      continue; // released between the two calls
    }
    if (!holder) {
      await delay(100); // its holder is still writing its pid
    } else if (!isAlive(holder)) {
      rmSync(lockFile, { force: true }); // left by an install that was killed
    } else {
      log(`waiting for process ${holder}, which is installing code-server`);
      while (existsSync(lockFile) && isAlive(holder)) await delay(500);
    }
  }
  try {
    await install();
  } finally {
    unlinkSync(lockFile);
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Fails early, with the fix, rather than deep inside a native build. */
function checkPrerequisites() {
  const problems = [];
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor !== 20) {
    problems.push(`code-server ${CODE_SERVER_VERSION} requires Node 20 (its "engines"); this is Node ${process.versions.node}.`);
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    problems.push(`the offline ripgrep step supports linux-x64 only; this is ${process.platform}-${process.arch}.`);
  }
  const missing = [];
  if (!onPath('krb5-config') && !existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  for (const [command, pkg] of [['make', 'make'], ['g++', 'g++'], ['python3', 'python3']]) {
    if (!onPath(command)) missing.push(pkg);
  }
  if (missing.length) {
    problems.push(`missing system packages needed to build code-server's native modules: ${missing.join(', ')}.\n`
      + `  Install them with: apt-get install -y --no-install-recommends ${missing.join(' ')}`);
  }
  if (problems.length) {
    throw new Error(`cannot install code-server:\n- ${problems.join('\n- ')}`);
  }
}

function npm(args, options) {
  const result = spawnSync('npm', args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`npm ${args.join(' ')} failed (exit ${result.status}):\n${result.stderr ?? ''}`);
  }
}

/** code-server's ripgrep postinstall looks in this cache before it tries GitHub, which is unreachable here. */
function prepareRipgrepCache() {
  if (existsSync(RIPGREP_CACHE)) return;
  const ripgrepDir = join(toolsDir, 'ripgrep');
  const rgDir = join(ripgrepDir, 'node_modules', '@vscode', 'ripgrep-linux-x64', 'bin');
  if (!existsSync(join(rgDir, 'rg'))) {
    log(`fetching ripgrep from npm (${RIPGREP_PACKAGE})`);
    mkdirSync(ripgrepDir, { recursive: true });
    writeFileSync(join(ripgrepDir, 'package.json'), '{ "private": true }\n');
    npm(['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', RIPGREP_PACKAGE], { cwd: ripgrepDir });
  }
  mkdirSync(dirname(RIPGREP_CACHE), { recursive: true });
  const tar = spawnSync('tar', ['-czf', RIPGREP_CACHE, '-C', rgDir, 'rg'], { encoding: 'utf8' });
  if (tar.status !== 0) {
    rmSync(RIPGREP_CACHE, { force: true });
    throw new Error(`could not write ${RIPGREP_CACHE}: ${tar.stderr}`);
  }
}

/** Node headers for node-gyp: the ones installed with Node, since nodejs.org is unreachable too. */
function nodeHeadersDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined;
}

async function installCodeServer() {
  rmSync(installDir, { recursive: true, force: true }); // a half-finished install is not reused
  mkdirSync(installDir, { recursive: true });
  writeFileSync(join(installDir, 'package.json'), `${JSON.stringify({ name: 'sightline-code-server', private: true }, null, 2)}\n`);
  const nodedir = nodeHeadersDir();
  const env = {
    ...process.env,
    // Its postinstall refuses to run as root without this.
    npm_config_unsafe_perm: 'true',
    // node-pty's postinstall runs `npx node-gyp`, which would otherwise ask before installing.
    npm_config_yes: 'true',
    // Its postinstall runs further `npm install`s inside code-server's own folders (lib/vscode,
    // its extensions), whose package.json files carry no allowScripts of ours; their native
    // builds are the point of the install.
    npm_config_ignore_scripts: 'false',
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    ...(nodedir ? { npm_config_nodedir: nodedir } : {}),
  };
  log(`npm install code-server@${CODE_SERVER_VERSION} (full output: ${installLog})`);
  const out = openSync(installLog, 'w');
  const child = spawn('npm', ['install', '--foreground-scripts', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: installDir, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = Date.now();
  let pending = '';
  const onData = (chunk) => {
    writeSync(out, chunk);
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop();
    // The lifecycle headers ("> kerberos@2.1.1 install") are the milestones worth showing.
    for (const line of lines) if (/^> \S+@\S+ (pre|post)?install$/.test(line.trim())) log(`  ${line.trim().slice(2)}`);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const heartbeat = setInterval(() => log(`  still installing (${Math.round((Date.now() - started) / 1000)} s)`), 20_000);
  const code = await new Promise((resolveExit) => child.on('close', resolveExit));
  clearInterval(heartbeat);
  closeSync(out);
  if (code !== 0 || !existsSync(entryPoint)) {
    const tail = readFileSync(installLog, 'utf8').split('\n').slice(-40).join('\n');
    let hint = '';
    if (/gssapi|krb5/i.test(tail)) hint = '\nThe kerberos module did not build: install the Debian package libkrb5-dev.';
    else if (/ENOTFOUND|EAI_AGAIN/.test(tail)) hint = '\nA step tried to download from a host this machine cannot reach.';
    throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${code}); last lines of ${installLog}:\n${tail}${hint}`);
  }
}

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Whether `port` on 127.0.0.1 can be bound now. */
export function isPortFree(port) {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

function httpStatus(url) {
  return new Promise((resolveStatus) => {
    const request = get(url, (response) => {
      response.resume();
      resolveStatus(response.statusCode);
    });
    request.on('error', () => resolveStatus(undefined));
    request.setTimeout(2_000, () => request.destroy());
  });
}

/** Settings for a quiet, deterministic workbench: no welcome page, no update or telemetry prompts. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
};

/**
 * Starts code-server on 127.0.0.1 and resolves once it answers HTTP.
 * `settings`, if given, are written as the user settings of `userDataDir`.
 * Returns { url, port, stop(), whenExited, output() }: stop() ends code-server and every process it
 * started; whenExited settles when code-server has ended; output() is the tail of its log.
 */
export async function startCodeServer({ workspace, port, userDataDir, extensionsDir, settings, env, onOutput }) {
  const entry = await ensureCodeServer();
  port ??= await freePort();
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  if (settings) writeFileSync(join(userDataDir, 'User', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  // Its own config file, so code-server neither reads nor writes ~/.config/code-server.
  const configFile = join(userDataDir, 'code-server.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const args = [
    entry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--extensions-dir', extensionsDir,
    '--user-data-dir', userDataDir,
    workspace,
  ];
  // Its own process group, so stop() also ends the extension host and the language server.
  const child = spawn(process.execPath, args, {
    cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env },
  });
  let output = '';
  const collect = (chunk) => {
    const text = chunk.toString();
    output = (output + text).slice(-20_000);
    onOutput?.(text);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = false;
  const exit = new Promise((resolveExit) => child.on('exit', (code, signal) => {
    exited = true;
    resolveExit(code ?? signal);
  }));
  const killGroup = (signal) => {
    try { process.kill(-child.pid, signal); } catch { /* already gone */ }
  };
  const onParentExit = () => killGroup('SIGKILL');
  process.on('exit', onParentExit);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while ((await httpStatus(`${url}/healthz`)) !== 200) {
    if (exited) throw new Error(`code-server exited before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      killGroup('SIGKILL');
      throw new Error(`code-server did not answer on ${url} within 60 s:\n${output}`);
    }
    await delay(100);
  }

  async function stop() {
    process.off('exit', onParentExit);
    if (!exited) {
      killGroup('SIGTERM');
      const forced = setTimeout(() => killGroup('SIGKILL'), 5_000);
      await exit;
      clearTimeout(forced);
    }
    killGroup('SIGKILL'); // any child that outlived code-server itself
  }
  return { url, port, stop, whenExited: exit, output: () => output };
}

/** `vscode-remote://` form of a server-side path, as the workbench's payload expects it. */
function remoteUri(authority, path) {
  return `vscode-remote://${authority}${encodeURI(path)}`;
}

/**
 * The workbench URL that opens `folder` with the extension at `extensionDevelopmentPath` loaded
 * as under development, and, if `extensionTestsPath` is given, runs that test module's run().
 */
export function workbenchUrl(serverUrl, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const { host } = new URL(serverUrl);
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(host, extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(host, extensionTestsPath)]);
  let query = `folder=${encodeURIComponent(folder).replaceAll('%2F', '/')}`;
  if (payload.length) query += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return `${serverUrl}/?${query}`;
}

/** Chromium as these machines have it (Debian's), with the flags a headless CI run needs. */
export const CHROMIUM = {
  executablePath: process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--ensure')) {
    try {
      const entry = await ensureCodeServer();
      log(`code-server ${CODE_SERVER_VERSION} is ready: ${entry}`);
    } catch (error) {
      console.error(`[code-server] ${error.message}`);
      process.exit(1);
    }
  } else {
    console.error('usage: node scripts/codeServer.mjs --ensure');
    process.exit(2);
  }
}
