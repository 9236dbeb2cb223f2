// The X-Ray daemon's UDP protocol, so apps instrumented with an X-Ray SDK send here unchanged:
// each datagram is a header line `{"format":"json","version":1}` and one segment document.
// Segments are buffered briefly and stored in batches (a store write per datagram would be
// slow); junk datagrams are reported, never fatal.
import { createSocket } from 'node:dgram';
import { readXRay } from '../formats/xray';
import type { Span } from '../model';
import type { ReceiverSink } from './otlpHttp';

const header = '{"format":"json","version":1}';
const flushMs = 100;
const flushSpans = 2000;

export interface RunningUdpReceiver {
  address: string;
  /** Stores whatever is buffered; resolves when it is stored. */
  flush(): void;
  close(): Promise<void>;
}

export function startXRayUdpReceiver(host: string, port: number, sink: ReceiverSink): Promise<RunningUdpReceiver> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  let buffered: Span[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (buffered.length === 0) return;
    const spans = buffered;
    buffered = [];
    sink.ingest(spans);
  };
  socket.on('message', (message, remote) => {
    const text = message.toString('utf8');
    const newline = text.indexOf('\n');
    const first = newline < 0 ? '' : text.slice(0, newline).trim();
    let headerOk = false;
    try {
      const parsed = JSON.parse(first) as { format?: unknown; version?: unknown };
      headerOk = parsed.format === 'json' && parsed.version === 1;
    } catch {
      headerOk = false;
    }
    if (!headerOk) {
      sink.problem(`X-Ray receiver: a ${message.length}-byte datagram from ${remote.address}:${remote.port} does not start with the header ${header}; ignored.`);
      return;
    }
    const result = readXRay(text.slice(newline + 1), `datagram from ${remote.address}:${remote.port}`);
    for (const problem of result.problems.slice(0, 3)) sink.problem(`X-Ray receiver: ${problem}`);
    if (result.spans.length === 0) return;
    buffered.push(...result.spans);
    if (buffered.length >= flushSpans) flush();
    else timer ??= setTimeout(flush, flushMs);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === 'EADDRINUSE' ? `UDP ${host}:${port} is already in use (is an X-Ray daemon running?)` : `cannot listen on UDP ${host}:${port}: ${error.message}`)),
    );
    socket.bind(port, host, () => {
      socket.removeAllListeners('error');
      socket.on('error', (error) => sink.problem(`X-Ray receiver: ${error.message}`));
      const address = socket.address();
      resolve({
        address: `${address.address}:${address.port}`,
        flush,
        close: () =>
          new Promise((done) => {
            flush();
            socket.close(() => done());
          }),
      });
    });
  });
}
