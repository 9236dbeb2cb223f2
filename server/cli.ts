// `sightline` on the command line: the same engine as the language server, for CI and scripts.
// Exit codes: 0 no findings at or above --fail-on, 1 such findings exist, 2 usage or input errors.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findReviewFiles } from './review/fileWalker';
import { Parsers } from './review/parser';
import { applyProjectConfig } from './review/projectConfig';
import type { FileReview } from './review/reviewFile';
import { defaultWorkerScript, reviewFiles } from './review/reviewPool';
import { ruleCatalog } from './review/ruleCatalog';
import { rulesMarkdown } from './review/ruleDocs';
import { toSarif } from './review/sarif';
import { toText } from './review/textReport';
import { UsageError } from './cliSupport';
import { defaultSettings, type SeverityName } from './settings';
import { tracesCommand } from './traces/traceCli';
import { auditCommand } from './audit/auditCli';
import { receiveCommand } from './traces/receiveCli';
import { version } from './version';

const usage = `Usage: sightline <command> [options]

Commands:
  review <paths...>   Review Python, Java, JavaScript and TypeScript files, with the rules
                      configured in ./.sightline.json if there is one.
      --format text|json|sarif   output format (default: text)
      --output <file>            write the report to a file instead of standard output
      --fail-on <severity>       exit 1 when findings at or above error|warning|info|hint exist (default: warning)
      --jobs <n>                 review on at most n threads (default: one per core)

  rules               List the review rules.
      --format text|json|markdown
  traces <command>    Import, list and summarise traces (sightline traces --help).
  audit <command>     Import CloudTrail logs and look up events (sightline audit --help).
  receive             Run the OTLP/HTTP (127.0.0.1:4318) and X-Ray UDP (127.0.0.1:2000) receivers into the store.
      --store <dir>  --host <addr>  --otlp-port <n>  --xray-port <n>  --no-otlp  --no-xray

Options:
  --help      show this help
  --version   show the version
`;

const severityRank: Record<SeverityName, number> = { hint: 0, info: 1, warning: 2, error: 3 };
const formats = ['text', 'json', 'sarif'] as const;

async function review(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      output: { type: 'string' },
      'fail-on': { type: 'string', default: 'warning' },
      jobs: { type: 'string' },
    },
  });
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) throw new UsageError(`--jobs must be a whole number of at least 1, not '${values.jobs}'.`);
  const format = values.format as (typeof formats)[number];
  if (!formats.includes(format)) throw new UsageError(`--format must be one of ${formats.join(', ')}, not '${values.format}'.`);
  const failOn = values['fail-on'] as SeverityName;
  if (!(failOn in severityRank)) throw new UsageError(`--fail-on must be one of error, warning, info, hint, not '${values['fail-on']}'.`);
  if (positionals.length === 0) throw new UsageError('review needs at least one file or folder.');

  const baseDir = process.cwd();
  const { settings, problem } = applyProjectConfig(defaultSettings, baseDir);
  if (problem) throw new UsageError(problem);
  const { files, missing } = findReviewFiles(positionals, [baseDir], settings.review.exclude);
  if (missing.length > 0) throw new UsageError(`No such file or folder: ${missing.join(', ')}`);

  const wasmDir = join(__dirname, 'grammars');
  const reviews: FileReview[] = await reviewFiles(files, settings, wasmDir, () => Parsers.load(wasmDir), defaultWorkerScript(__dirname), jobs);
  for (const r of reviews) {
    for (const failure of r.failures) process.stderr.write(`sightline: rule ${failure.ruleId} failed on ${r.path}: ${String(failure.error)}\n`);
  }

  const report =
    format === 'sarif' ? JSON.stringify(toSarif(reviews, baseDir), null, 2) + '\n'
    : format === 'json' ? JSON.stringify(reviews.flatMap((r) => r.findings.map((f) => ({ file: r.path, ...f }))), null, 2) + '\n'
    : toText(reviews, baseDir);
  if (values.output) writeFileSync(values.output, report);
  else process.stdout.write(report);

  const failing = reviews.some((r) => r.findings.some((f) => severityRank[f.severity] >= severityRank[failOn]));
  return failing ? 1 : 0;
}

async function rules(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { format: { type: 'string', default: 'text' } } });
  if (values.format === 'markdown') process.stdout.write(rulesMarkdown());
  else if (values.format === 'json') process.stdout.write(JSON.stringify(ruleCatalog().map(({ id, meta }) => ({ id, ...meta })), null, 2) + '\n');
  else if (values.format === 'text') for (const { id, meta } of ruleCatalog()) process.stdout.write(`${id.padEnd(48)} ${meta.severity.padEnd(8)} ${meta.title}\n`);
  else throw new UsageError(`--format must be one of text, json, markdown, not '${values.format}'.`);
  return 0;
}

const commands: Record<string, (args: string[]) => Promise<number>> = { review, rules, traces: tracesCommand, audit: auditCommand, receive: receiveCommand };

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === 'help') {
    process.stdout.write(usage);
    return command === undefined ? 2 : 0;
  }
  const run = commands[command];
  if (!run) throw new UsageError(`Unknown command '${command}'.`);
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    const isUsage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`sightline: ${(error as Error).message ?? String(error)}\n${isUsage ? `\n${usage}` : ''}`);
    process.exitCode = 2;
  },
);
