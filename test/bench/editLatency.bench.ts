// Edit-to-diagnostics latency over the real LSP connection (issue 3, "Measured"): the built server
// (dist/server.js) over stdio, a generated 5,000-line Python file and a 5,000-line Java file, and
// 100 single-character edits inside function bodies spread over each file, alternately typing a
// character and deleting it again so the file stays valid. Each edit is timed from sending
// didChange to receiving publishDiagnostics for exactly that version.
// Run: node out/test/bench/editLatency.bench.js   (goal: p95 under 30 ms; printed, not asserted)
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node';
import { LspClient } from '../support/lspClient';
import { generateJava, generatePython, type EditSite, type GeneratedFile } from './corpus';
import { countByCode, goal, header, int, ms, percentile, serverNodeArgs } from './report';

const measuredEdits = 100;
/** Edits before the measured ones, so the figures describe a server that has seen a keystroke. */
const warmupEdits = 10;
const goalP95Ms = 30;
const letters = 'etaoinshrdlu';

/** `count` sites evenly spread over the file. */
function spread(sites: readonly EditSite[], count: number): EditSite[] {
  return Array.from({ length: count }, (_, k) => sites[Math.floor(((k + 0.5) * sites.length) / count)]);
}

/** Edit i types a letter at a site (even i) or deletes it again (odd i): pairs restore the text. */
function editAt(site: EditSite, i: number): TextDocumentContentChangeEvent {
  const start = { line: site.line, character: site.character };
  return i % 2 === 0
    ? { range: { start, end: start }, text: letters[(i >> 1) % letters.length] }
    : { range: { start, end: { line: site.line, character: site.character + 1 } }, text: '' };
}

interface LanguageResult {
  file: GeneratedFile;
  openMs: number;
  openDiagnostics: string;
  warmup: number[];
  samples: number[];
  diagnosticCounts: number[];
  firstLine: number;
  lastLine: number;
}

async function measure(client: LspClient, file: GeneratedFile): Promise<LanguageResult> {
  const uri = pathToFileURL(join(tmpdir(), 'sightline-bench', file.name)).href;
  let started = performance.now();
  const initial = await client.open(uri, file.languageId, file.text);
  const openMs = performance.now() - started;

  const run = async (sites: EditSite[], edits: number) => {
    const times: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < edits; i++) {
      const change = editAt(sites[i >> 1], i);
      started = performance.now();
      const diagnostics = await client.change(uri, [change]);
      times.push(performance.now() - started);
      counts.push(diagnostics.length);
    }
    return { times, counts };
  };
  const sites = spread(file.sites, measuredEdits / 2);
  const warm = await run(spread(file.sites, warmupEdits / 2), warmupEdits);
  const measured = await run(sites, measuredEdits);
  await client.close(uri);
  return {
    file,
    openMs,
    openDiagnostics: `${initial.length} diagnostics (${countByCode(initial)})`,
    warmup: warm.times,
    samples: measured.times,
    diagnosticCounts: measured.counts,
    firstLine: sites[0].line + 1,
    lastLine: sites[sites.length - 1].line + 1,
  };
}

async function main(): Promise<void> {
  const began = performance.now();
  const files = [generatePython(), generateJava()];
  header('Edit-to-diagnostics latency over LSP (dist/server.js over stdio)');
  console.log(`  ${measuredEdits} measured single-character edits per file (after ${warmupEdits} warm-up edits), alternating insert/delete inside function bodies`);
  let startMs = performance.now();
  const client = await LspClient.start({ nodeArgs: serverNodeArgs() });
  startMs = performance.now() - startMs;
  console.log(`  server start → ready (grammars loaded): ${ms(startMs)}`);
  const results: LanguageResult[] = [];
  try {
    for (const file of files) results.push(await measure(client, file));
  } finally {
    await client.stop();
  }
  for (const r of results) {
    const { file, samples } = r;
    const p95 = percentile(samples, 95);
    const strings = file.sites.filter((s) => s.kind === 'string').length;
    console.log(`\n  ${file.languageId}: ${file.name}, ${int(file.lines)} lines, ${file.functions} functions/methods, ${int(file.text.length / 1024)} KB`);
    console.log(`    open → first diagnostics: ${ms(r.openMs)}  (${r.openDiagnostics})`);
    console.log(`    edits at ${measuredEdits / 2} places from line ${int(r.firstLine)} to ${int(r.lastLine)} (of ${file.sites.length} sites: ${strings} in strings, ${file.sites.length - strings} in callee names); diagnostics per edit ${Math.min(...r.diagnosticCounts)}–${Math.max(...r.diagnosticCounts)}`);
    console.log(`    warm-up (${r.warmup.length} edits): first ${ms(r.warmup[0])}, max ${ms(Math.max(...r.warmup))}`);
    console.log(`    edit → diagnostics: p50 ${ms(percentile(samples, 50))} · p95 ${ms(p95)} · max ${ms(Math.max(...samples))} · mean ${ms(samples.reduce((a, b) => a + b, 0) / samples.length)}`);
    console.log(`    goal p95 < ${goalP95Ms} ms: ${goal(p95 < goalP95Ms)} (${ms(p95)})`);
  }
  console.log(`\n  bench time ${((performance.now() - began) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
