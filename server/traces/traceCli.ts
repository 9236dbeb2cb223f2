// `sightline traces …`: import files into the store, list traces, and print the per-function
// numbers the CodeLens shows, from the same engine and the same store format as the extension.
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatOption, parseDuration, storeDir, UsageError } from '../cliSupport';
import { functionDefinitions } from '../review/functions';
import { languageForId, languageIdForPath } from '../review/languages';
import { Parsers } from '../review/parser';
import { applyProjectConfig } from '../review/projectConfig';
import { defaultSettings, type Settings } from '../settings';
import { dayMs, hourMs, openStore } from '../storage';
import { WorkspaceFiles } from '../workspaceFiles';
import { importTraces } from './importTraces';
import { formatMs } from './statistics';
import { TraceService } from './traceService';

const usage = `Usage: sightline traces <command> [options]   (every command takes --store <dir>, default .sightline/)

  import <paths...>                 import trace files or folders (OTLP JSON/protobuf, collector file, X-Ray, Jaeger, Zipkin)
  list [--service S] [--operation O] [--min-duration 250ms] [--max-duration 2s] [--errors]
       [--sort newest|slowest|most-errors] [--limit N] [--format text|json]
  functions <source-file> [--format text|json]   per function: calls, p50, p95, error rate (as the CodeLens)
`;

function open(dirOption: string | undefined, settings: Settings, writable: boolean): { service: TraceService; close(): void } {
  const opened = openStore(storeDir(dirOption), {
    name: 'spans',
    retention: { maxAgeMs: settings.traces.retentionDays * dayMs, maxBytes: settings.traces.maxStorageMB * 1024 * 1024 },
    readOnly: !writable,
  });
  for (const problem of opened.problems) process.stderr.write(`sightline: ${problem}\n`);
  if (writable && opened.readOnly) throw new Error(opened.problems[0]);
  const files = new WorkspaceFiles([process.cwd()], () => settings.review.exclude);
  const service = new TraceService(opened.store, files, () => ({
    pathMappings: settings.traces.pathMappings,
    windowMs: settings.traces.statisticsWindowHours * hourMs,
    sloMs: settings.traces.latencySlo,
  }));
  return { service, close: () => opened.store.close() };
}

function projectSettings(): Settings {
  const { settings, problem } = applyProjectConfig(defaultSettings, process.cwd());
  if (problem) throw new UsageError(problem);
  return settings;
}

export async function tracesCommand(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === '--help' || command === 'help') {
    process.stdout.write(usage);
    return 0;
  }
  const run = commands[command ?? ''];
  if (!run) throw new UsageError(command ? `Unknown traces command '${command}'.\n\n${usage}` : usage);
  return run(rest);
}

const commands: Record<string, (args: string[]) => Promise<number>> = {
  async import(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { store: { type: 'string' } } });
    if (positionals.length === 0) throw new UsageError('traces import needs at least one file or folder.');
    const settings = projectSettings();
    const { service, close } = open(values.store, settings, true);
    try {
      const summary = await importTraces(positionals.map((p) => resolve(p)), service, () => undefined, () => false);
      for (const problem of summary.problems) process.stderr.write(`sightline: ${problem}\n`);
      process.stdout.write(`Imported ${summary.inserted} new spans from ${summary.files} files (${summary.duplicates} already stored); the store holds ${service.spanCount} spans in ${service.traceCount} traces.\n`);
      return summary.problems.length > 0 && summary.spans === 0 ? 1 : 0;
    } finally {
      close();
    }
  },

  async list(args) {
    const { values } = parseArgs({
      args,
      options: {
        store: { type: 'string' }, service: { type: 'string' }, operation: { type: 'string' },
        'min-duration': { type: 'string' }, 'max-duration': { type: 'string' }, errors: { type: 'boolean' },
        sort: { type: 'string' }, limit: { type: 'string' }, format: { type: 'string' },
      },
    });
    const format = formatOption(values.format, ['text', 'json']);
    const sorts = ['newest', 'oldest', 'slowest', 'fastest', 'most-errors'] as const;
    const sort = (values.sort ?? 'newest') as (typeof sorts)[number];
    if (!sorts.includes(sort)) throw new UsageError(`--sort must be one of ${sorts.join(', ')}.`);
    const limit = values.limit === undefined ? 50 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a whole number of at least 1, not '${values.limit}'.`);
    const { service, close } = open(values.store, projectSettings(), false);
    try {
      const traces = service.listTraces({
        service: values.service, operation: values.operation, errorsOnly: values.errors, sort, limit,
        minDurationMs: values['min-duration'] ? parseDuration(values['min-duration'], '--min-duration') : undefined,
        maxDurationMs: values['max-duration'] ? parseDuration(values['max-duration'], '--max-duration') : undefined,
      });
      if (format === 'json') process.stdout.write(JSON.stringify(traces, null, 2) + '\n');
      else {
        for (const t of traces) {
          const when = new Date(Number(BigInt(t.startNs) / 1_000_000n)).toISOString();
          const failure = t.errorClass ? `  ${t.errorClass} ×${t.errorCount}` : '';
          process.stdout.write(`${t.traceId}  ${when}  ${formatMs(t.durationMs).padStart(8)}  ${String(t.spanCount).padStart(6)} spans  ${t.rootService} ${t.rootName}${failure}\n`);
        }
        process.stdout.write(`${traces.length} ${traces.length === 1 ? 'trace' : 'traces'}.\n`);
      }
      return 0;
    } finally {
      close();
    }
  },

  async functions(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { store: { type: 'string' }, format: { type: 'string' } } });
    const format = formatOption(values.format, ['text', 'json']);
    if (positionals.length !== 1) throw new UsageError('traces functions takes one source file.');
    const file = resolve(positionals[0]);
    const info = languageForId(languageIdForPath(file) ?? '');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`${positionals[0]} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
    }
    // The CodeLens places numbers on the definitions in the syntax tree; so does this.
    let definitions: ReturnType<typeof functionDefinitions> = [];
    if (info) {
      const parsers = await Parsers.load(join(__dirname, 'grammars'));
      const tree = parsers.parse(info.grammar, text);
      definitions = functionDefinitions(info.language, tree.rootNode);
      tree.delete();
    }
    const { service, close } = open(values.store, projectSettings(), false);
    try {
      const rows = service.functionStats(file, definitions.map((d) => d.name)).map((s) => {
        const def = definitions.find((d) => d.name === s.name && (s.line === undefined || Math.abs(d.line + 1 - s.line) <= 3)) ?? definitions.find((d) => d.name === s.name);
        return { function: s.function, file: relative(process.cwd(), file) || file, line: def ? def.line + 1 : (s.line ?? null), calls: s.calls, p50Ms: s.p50Ms, p95Ms: s.p95Ms, errorRate: s.errorRate, ...(s.weak ? { matchedBy: 'name' } : {}) };
      });
      if (format === 'json') process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      else {
        for (const r of rows) {
          process.stdout.write(`${r.file}:${r.line ?? '?'}  ${r.function}  ${r.calls} calls · p50 ${formatMs(r.p50Ms)} · p95 ${formatMs(r.p95Ms)} · ${(r.errorRate * 100).toFixed(1)}% errors${'matchedBy' in r ? ' (matched by span name)' : ''}\n`);
        }
        if (rows.length === 0) process.stdout.write(`No spans in the store point at ${positionals[0]}.\n`);
      }
      return 0;
    } finally {
      close();
    }
  },
};
