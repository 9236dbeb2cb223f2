// `sightline receive`: the OTLP/HTTP and X-Ray receivers without an editor, storing into the
// same store the extension and the other commands read. Runs until interrupted.
import { parseArgs } from 'node:util';
import { storeDir, UsageError } from '../cliSupport';
import { applyProjectConfig } from '../review/projectConfig';
import { defaultSettings } from '../settings';
import { dayMs, openStore } from '../storage';
import { WorkspaceFiles } from '../workspaceFiles';
import { TraceReceivers } from './receivers/receivers';
import { TraceService } from './traceService';

export async function receiveCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { store: { type: 'string' }, host: { type: 'string' }, 'otlp-port': { type: 'string' }, 'xray-port': { type: 'string' }, 'no-xray': { type: 'boolean' }, 'no-otlp': { type: 'boolean' } },
  });
  const port = (text: string | undefined, fallback: number, option: string) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${option} takes a port number, not '${text}'.`);
    return n;
  };
  const { settings, problem } = applyProjectConfig(defaultSettings, process.cwd());
  if (problem) throw new UsageError(problem);
  const host = values.host ?? '127.0.0.1';
  const otlp = { enabled: !values['no-otlp'], host, port: port(values['otlp-port'], settings.traces.otlp.port, '--otlp-port') };
  const xray = { enabled: !values['no-xray'], host, port: port(values['xray-port'], settings.traces.xrayDaemon.port, '--xray-port') };
  const opened = openStore(storeDir(values.store), { name: 'spans', retention: { maxAgeMs: settings.traces.retentionDays * dayMs, maxBytes: settings.traces.maxStorageMB * 1024 * 1024 } });
  if (opened.readOnly) throw new Error(opened.problems[0]);
  const service = new TraceService(opened.store, new WorkspaceFiles([process.cwd()], () => []), () => ({ pathMappings: {}, windowMs: dayMs, sloMs: {} }));
  let received = 0;
  const receivers = new TraceReceivers(
    (spans) => {
      service.ingest(spans);
      received += spans.length;
    },
    (message) => process.stderr.write(`${message}\n`),
  );
  await receivers.apply(otlp, xray);
  const running = [receivers.status.otlp, receivers.status.xrayDaemon].filter((s) => s && !s.error);
  if (running.length === 0) {
    opened.store.close();
    throw new Error('No receiver could start; see the messages above.');
  }
  process.stderr.write(`Storing spans in ${storeDir(values.store)}; Ctrl+C stops.\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await receivers.close();
  opened.store.close();
  process.stderr.write(`Received ${received} spans.\n`);
  return 0;
}
