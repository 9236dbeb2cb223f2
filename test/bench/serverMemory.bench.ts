// Peak memory of the language server (issue 3, "Measured"): the built server (dist/server.js) over
// stdio opens every file of the 100k-line benchmark corpus, one after another, waiting for each
// file's first diagnostics; then every document is closed. Memory is read from /proc/<pid>/status:
// VmHWM (peak resident set) and VmRSS (resident set now). Linux only.
// Run: node out/test/bench/serverMemory.bench.js
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { languageIdForPath } from '../../server/review/languages';
import { LspClient } from '../support/lspClient';
import { corpusTotals, describeCorpus, loadCorpus, mb } from './corpus';
import { countByCode, header, int, median, percentile, procMemory, serverNodeArgs } from './report';

function memoryLine(label: string, pid: number): string {
  const { rss, hwm } = procMemory(pid);
  return `    ${label.padEnd(46)} VmRSS ${mb(rss).padStart(7)} MB   VmHWM (peak) ${mb(hwm).padStart(7)} MB`;
}

async function main(): Promise<void> {
  const began = performance.now();
  const corpus = loadCorpus();
  const totals = corpusTotals(corpus.files);
  header('Server memory with the 100k-line corpus open (dist/server.js over stdio)');
  console.log(`  corpus ${corpus.root} (${corpus.built ? 'copied now' : 'cached'}): ${int(totals.files)} files, ${int(totals.lines)} lines, ${mb(totals.bytes)} MB of text; file list in ${corpus.root}/manifest.json`);
  console.log(describeCorpus(corpus));

  const client = await LspClient.start({ nodeArgs: serverNodeArgs() });
  const pid = client.process.pid!;
  const rows: string[] = [memoryLine('after start (grammars loaded)', pid)];
  const uris: string[] = [];
  const openTimes: number[] = [];
  const diagnostics: { code?: string | number }[] = [];
  try {
    const openStarted = performance.now();
    for (const file of corpus.files) {
      const path = join(corpus.root, file.path);
      const uri = pathToFileURL(path).href;
      const started = performance.now();
      diagnostics.push(...(await client.open(uri, languageIdForPath(path) ?? file.language, readFileSync(path, 'utf8'))));
      openTimes.push(performance.now() - started);
      uris.push(uri);
    }
    const openMs = performance.now() - openStarted;
    rows.push(memoryLine(`after opening all ${uris.length} documents`, pid));

    const closeStarted = performance.now();
    for (const uri of uris) await client.close(uri);
    const closeMs = performance.now() - closeStarted;
    rows.push(memoryLine('after closing all documents', pid));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    rows.push(memoryLine('2 s later', pid));

    console.log(`\n  opened ${uris.length} documents in ${(openMs / 1000).toFixed(1)} s (open → first diagnostics per file: median ${median(openTimes).toFixed(1)} ms, p95 ${percentile(openTimes, 95).toFixed(1)} ms, max ${Math.max(...openTimes).toFixed(1)} ms); closed them in ${(closeMs / 1000).toFixed(1)} s`);
    const slowest = corpus.files.map((f, i) => ({ f, t: openTimes[i] })).sort((a, b) => b.t - a.t).slice(0, 3);
    console.log(`  slowest to first diagnostics: ${slowest.map(({ f, t }) => `${f.path} (${int(f.lines)} lines) ${t.toFixed(0)} ms`).join(', ')}`);
    console.log(`  ${diagnostics.length} diagnostics on open: ${countByCode(diagnostics)}`);
    console.log(`  server process ${pid}:`);
    for (const row of rows) console.log(row);
  } finally {
    await client.stop();
  }
  console.log(`\n  bench time ${((performance.now() - began) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
