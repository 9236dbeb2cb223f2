// `sightline audit …`: import CloudTrail logs into the store and answer lookups from it, with the
// same engine and store format as the extension.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatOption, parseDuration, storeDir, UsageError } from '../cliSupport';
import { applyProjectConfig } from '../review/projectConfig';
import { defaultSettings } from '../settings';
import { dayMs, openStore } from '../storage';
import { AuditService, describeChange, type AuditLookup } from './auditService';
import { whoOf } from './auditViews';
import type { AuditEvent } from './model';
import { detections, runDetections } from './detections';
import { detectInsights } from './insights';
import { importAuditPaths } from './readers';

function detectionTitle(id: string): string | undefined {
  return detections.find((d) => d.id === id)?.title;
}

const usage = `Usage: sightline audit <command> [options]   (every command takes --store <dir>, default .sightline/)

  import <paths...>              import CloudTrail log files or folders (.json, .json.gz, AWSLogs trees, lookup-events output)
  lookup [--event-name X] [--event-source S] [--user U] [--resource R] [--resource-type T] [--access-key K]
         [--event-id I] [--read-only true|false] [--errors] [--since 7d | --start T --end T] [--limit N]
         [--format text|json]    (json: the full CloudTrail records, newest first)
  who-changed <name-or-arn> [--format text|json]
  insights [--since 14d] [--format text|json]     unusual API call and error rates against a 7-day baseline
  detections [--since 7d] [--format text|json]    CIS AWS Foundations monitoring events and exposures
`;

/** Imports keep old logs longer than the editor's default window: people import an archive to investigate the past. */
const cliRetentionDays = 400;

function open(dirOption: string | undefined, writable: boolean): { service: AuditService; retentionDays: number; maxStorageMB: number; close(): void } {
  const { settings, problem } = applyProjectConfig(defaultSettings, process.cwd());
  if (problem) throw new UsageError(problem);
  const maxStorageMB = settings.audit.maxStorageMB;
  const retentionDays = Math.max(cliRetentionDays, settings.audit.retentionDays);
  const opened = openStore(storeDir(dirOption), { name: 'audit', readOnly: !writable, retention: { maxAgeMs: retentionDays * dayMs, maxBytes: maxStorageMB * 1024 * 1024 } });
  for (const problem of opened.problems) process.stderr.write(`sightline: ${problem}\n`);
  if (writable && opened.readOnly) throw new Error(opened.problems[0]);
  return { service: new AuditService(opened.store), retentionDays, maxStorageMB, close: () => opened.store.close() };
}

export async function auditCommand(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === '--help' || command === 'help') {
    process.stdout.write(usage);
    return 0;
  }
  const run = commands[command ?? ''];
  if (!run) throw new UsageError(command ? `Unknown audit command '${command}'.\n\n${usage}` : usage);
  return run(rest);
}

/** A progress line that rewrites itself on a terminal, at most a few times a second; silent when piped (CI logs). */
function terminalProgress(): { show(text: string): void; done(): void } {
  if (!process.stderr.isTTY) return { show: () => undefined, done: () => undefined };
  let shownAt = 0;
  let shown = false;
  return {
    show(text) {
      const now = Date.now();
      if (now - shownAt < 250) return;
      shownAt = now;
      shown = true;
      process.stderr.write(`\r\x1b[K${text}`);
    },
    done() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}

function line(event: AuditEvent): string {
  const resource = event.resources.map((r) => r.name ?? r.arn).filter(Boolean).join(', ');
  const failed = event.errorCode ? `  ✗ ${event.errorCode}${event.errorMessage ? `: ${event.errorMessage}` : ''}` : '';
  return `${new Date(event.time).toISOString()}  ${event.eventName.padEnd(28)} ${event.readOnly ? 'read ' : 'write'}  ${whoOf(event)}  ${resource}  ${event.sourceIp}${failed}`;
}

function time(text: string, option: string): number {
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new UsageError(`${option} takes a time such as 2026-11-20T12:00:00Z, not '${text}'.`);
  return t;
}

function windowFrom(since: string | undefined, fallback: string): number {
  return Date.now() - parseDuration(since ?? fallback, '--since');
}

const commands: Record<string, (args: string[]) => Promise<number>> = {
  async insights(args) {
    const { values } = parseArgs({ args, options: { store: { type: 'string' }, since: { type: 'string' }, format: { type: 'string' } } });
    const format = formatOption(values.format, ['text', 'json']);
    // The baseline needs the 7 days before the window too.
    const from = windowFrom(values.since, '14d');
    const { service, close } = open(values.store, false);
    try {
      const insights = detectInsights(service.between(from - 7 * dayMs, Date.now()), { now: Date.now() }).filter((i) => i.end >= from);
      if (format === 'json') process.stdout.write(JSON.stringify(insights, null, 2) + '\n');
      else {
        for (const i of insights) {
          const top = i.attributions.identities[0]?.value;
          process.stdout.write(`${new Date(i.start).toISOString()} → ${i.ongoing ? 'ongoing' : new Date(i.end).toISOString()}  ${i.type}  ${i.eventSource} ${i.eventName}  baseline ${i.baselineAverage.toFixed(2)}/min → ${i.insightAverage.toFixed(2)}/min${top ? `  top identity ${top}` : ''}\n`);
        }
        process.stdout.write(`${insights.length} ${insights.length === 1 ? 'insight' : 'insights'}.\n`);
      }
      return 0;
    } finally {
      close();
    }
  },

  async detections(args) {
    const { values } = parseArgs({ args, options: { store: { type: 'string' }, since: { type: 'string' }, format: { type: 'string' } } });
    const format = formatOption(values.format, ['text', 'json']);
    const { service, close } = open(values.store, false);
    try {
      const hits = runDetections(service.between(windowFrom(values.since, '7d'), Date.now())).sort((a, b) => b.time - a.time);
      if (format === 'json') process.stdout.write(JSON.stringify(hits.map((h) => ({ ...h, title: detectionTitle(h.detectionId) })), null, 2) + '\n');
      else {
        for (const h of hits) process.stdout.write(`${new Date(h.time).toISOString()}  ${h.severity.padEnd(6)}  ${h.detectionId}  ${h.summary}\n`);
        process.stdout.write(`${hits.length} ${hits.length === 1 ? 'detection' : 'detections'}.\n`);
      }
      return 0;
    } finally {
      close();
    }
  },

  async import(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { store: { type: 'string' } } });
    if (positionals.length === 0) throw new UsageError('audit import needs at least one file or folder.');
    const { service, retentionDays, maxStorageMB, close } = open(values.store, true);
    try {
      let inserted = 0;
      let duplicates = 0;
      const before = service.eventCount;
      const progress = terminalProgress();
      const result = await importAuditPaths(positionals.map((p) => resolve(p)), {
        onBatch(events) {
          const added = service.ingest(events);
          inserted += added.inserted + added.replaced;
          duplicates += added.duplicates;
        },
        onProgress: (p) => progress.show(`${p.filesDone} of ${p.filesTotal} files, ${p.records} events, ${Math.round(p.bytes / 1048576)} of ${Math.round(p.bytesTotal / 1048576)} MiB`),
      });
      progress.done();
      for (const problem of result.problems) process.stderr.write(`sightline: ${problem}\n`);
      process.stdout.write(`Imported ${inserted} new events from ${result.files} files (${duplicates + result.duplicates} already stored); the store holds ${service.eventCount} events.\n`);
      const dropped = before + inserted - service.eventCount;
      if (dropped > 0) {
        process.stderr.write(
          `sightline: retention dropped the ${dropped} oldest events to keep the store within ${maxStorageMB} MB and ${retentionDays} days; ` +
            `raise "audit": { "maxStorageMB": … } in .sightline.json to keep more.\n`,
        );
      }
      return result.problems.length > 0 && result.records === 0 ? 1 : 0;
    } finally {
      close();
    }
  },

  async lookup(args) {
    const { values } = parseArgs({
      args,
      options: {
        store: { type: 'string' }, 'event-name': { type: 'string' }, 'event-source': { type: 'string' }, user: { type: 'string' },
        resource: { type: 'string' }, 'resource-type': { type: 'string' }, 'access-key': { type: 'string' }, 'event-id': { type: 'string' },
        'read-only': { type: 'string' }, errors: { type: 'boolean' }, since: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' },
        limit: { type: 'string' }, format: { type: 'string' },
      },
    });
    const format = formatOption(values.format, ['text', 'json']);
    if (values.since && (values.start || values.end)) throw new UsageError('Use --since or --start/--end, not both.');
    const readOnly = values['read-only'];
    if (readOnly !== undefined && readOnly !== 'true' && readOnly !== 'false') throw new UsageError(`--read-only takes true or false, not '${readOnly}'.`);
    const limit = values.limit === undefined ? 50 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a whole number of at least 1, not '${values.limit}'.`);
    const query: AuditLookup = {
      eventName: values['event-name'], eventSource: values['event-source'], user: values.user, resource: values.resource,
      resourceType: values['resource-type'], accessKey: values['access-key'], eventId: values['event-id'],
      readOnly: readOnly === undefined ? undefined : readOnly === 'true', errorsOnly: values.errors, limit,
      from: values.since ? Date.now() - parseDuration(values.since, '--since') : values.start ? time(values.start, '--start') : undefined,
      to: values.end ? time(values.end, '--end') : undefined,
    };
    const { service, close } = open(values.store, false);
    try {
      const events = service.lookup(query);
      if (format === 'json') process.stdout.write(JSON.stringify(events.map((e) => e.record), null, 2) + '\n');
      else process.stdout.write(events.map(line).join('\n') + (events.length ? '\n' : '') + `${events.length} ${events.length === 1 ? 'event' : 'events'}.\n`);
      return 0;
    } finally {
      close();
    }
  },

  async 'who-changed'(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { store: { type: 'string' }, format: { type: 'string' } } });
    const format = formatOption(values.format, ['text', 'json']);
    if (positionals.length !== 1) throw new UsageError('audit who-changed takes one resource name or ARN.');
    const { service, close } = open(values.store, false);
    try {
      const events = service.whoChanged(positionals[0]);
      if (format === 'json') process.stdout.write(JSON.stringify(events.map((e) => ({ summary: describeChange(e), record: e.record })), null, 2) + '\n');
      else process.stdout.write(events.length ? events.map(describeChange).join('\n') + '\n' : `No stored event changed ${positionals[0]}.\n`);
      return 0;
    } finally {
      close();
    }
  },
};
