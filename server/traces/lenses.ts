// CodeLens and hover content for trace statistics on the functions of an open document.
import type { FunctionDefinition } from '../review/functions';
import { formatGolden, formatMs } from './statistics';
import type { TraceService } from './traceService';

export const showTracesForFunctionCommand = 'sightline.showTracesForFunction';
export const openTraceCommand = 'sightline.openTrace';

export interface FunctionLens {
  line: number;
  title: string;
  tooltip: string;
  arguments: [{ file: string; name: string }];
}

export function functionLenses(service: TraceService, filePath: string, definitions: readonly FunctionDefinition[]): FunctionLens[] {
  const stats = service.functionStats(filePath, definitions.map((d) => d.name));
  const lenses: FunctionLens[] = [];
  for (const s of stats) {
    const defs = definitions.filter((d) => d.name === s.name);
    // Several definitions with one name (overloads, methods of two classes): the reported line decides.
    const def = defs.find((d) => s.line !== undefined && Math.abs(d.line + 1 - s.line) <= 3) ?? defs[0];
    const line = def?.line ?? (s.line !== undefined ? s.line - 1 : undefined);
    if (line === undefined) continue;
    const weak = s.weak ? ' (matched by span name)' : '';
    lenses.push({
      line,
      title: `${formatGolden(s)}${s.weak ? ' · by name' : ''}`,
      tooltip: `Spans of ${s.function} in the last statistics window${weak}. Click to see its traces.`,
      arguments: [{ file: filePath, name: s.name }],
    });
  }
  return lenses;
}

/** Markdown for a hover on a function name: its slowest and latest failing traces. */
export function functionHover(service: TraceService, filePath: string, name: string): string | undefined {
  const filter = { function: { file: filePath, name } };
  const slowest = service.listTraces({ ...filter, sort: 'slowest', limit: 3 });
  if (slowest.length === 0) return undefined;
  const failing = service.listTraces({ ...filter, errorsOnly: true, sort: 'newest', limit: 3 });
  const link = (traceId: string, label: string) => `[${label}](command:${openTraceCommand}?${encodeURIComponent(JSON.stringify([traceId]))})`;
  const line = (t: (typeof slowest)[number]) =>
    `- ${link(t.traceId, `${t.rootService} ${escapeMarkdown(t.rootName)}`)} · ${formatMs(t.durationMs)} · ${new Date(Number(BigInt(t.startNs) / 1_000_000n)).toISOString()}${t.errorClass ? ` · ${t.errorClass}` : ''}`;
  const parts = [`**Traces through \`${escapeMarkdown(name)}\`**`, '', 'Slowest:', ...slowest.map(line)];
  if (failing.length > 0) parts.push('', 'Latest failing:', ...failing.map(line));
  return parts.join('\n');
}

/** Span names come from whoever sent the spans: never let them become markdown or links. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, (c) => `\\${c}`);
}
