// The OTLP/HTTP trace receiver: `POST /v1/traces` with JSON or protobuf bodies, optionally
// gzip-compressed, answered as the OTLP specification says: 200 with an ExportTraceServiceResponse
// (with partial_success when some spans were rejected), 400 for a body that is not OTLP, 413 past
// the size limit, 415 for other content types. Any app started with
// OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 shows up live.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGunzip } from 'node:zlib';
import protobuf from 'protobufjs/minimal';
import { readOtlpJson } from '../formats/otlpJson';
import { readOtlpProtobuf } from '../formats/otlpProtobuf';
import type { ReadResult, Span } from '../model';

export const maxBodyBytes = 20 * 1024 * 1024;
/** A gzip body may expand; past this it is refused too (a decompression bomb stays small on the wire). */
export const maxDecodedBytes = 200 * 1024 * 1024;

export interface ReceiverSink {
  ingest(spans: readonly Span[]): void;
  problem(message: string): void;
}

export interface RunningReceiver {
  /** e.g. http://127.0.0.1:4318/v1/traces */
  url: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function startOtlpHttpReceiver(host: string, port: number, sink: ReceiverSink): Promise<RunningReceiver> {
  const server = createServer((request, response) => {
    handle(request, response, sink).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      if (status >= 500) sink.problem(`OTLP receiver: ${message}`);
      reply(response, status, isProtobuf(request) ? 'protobuf' : 'json', { error: message });
    });
  });
  return listen(server, host, port, '/v1/traces');
}

async function handle(request: IncomingMessage, response: ServerResponse, sink: ReceiverSink): Promise<void> {
  allowLocalOrigins(request, response);
  const path = (request.url ?? '').split('?')[0];
  if (request.method === 'OPTIONS') {
    response.writeHead(204).end();
    return;
  }
  if (path !== '/v1/traces') throw new HttpError(404, `No such endpoint: ${path}. Traces go to POST /v1/traces.`);
  if (request.method !== 'POST') throw new HttpError(405, `Use POST for /v1/traces, not ${request.method}.`);
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json' && type !== 'application/x-protobuf') {
    throw new HttpError(415, `Content-Type must be application/json or application/x-protobuf, not '${type || 'none'}'.`);
  }
  const body = await readBody(request);
  const result: ReadResult = type === 'application/json' ? readOtlpJson(body) : readOtlpProtobuf(body);
  const format = type === 'application/json' ? 'json' : 'protobuf';
  if (result.spans.length === 0 && result.problems.length > 0) {
    throw new HttpError(400, `The body is not an OTLP ExportTraceServiceRequest: ${result.problems.slice(0, 3).join('; ')}`);
  }
  // Stored before we answer: a 200 means the spans are on disk.
  if (result.spans.length > 0) sink.ingest(result.spans);
  for (const problem of result.problems.slice(0, 10)) sink.problem(`OTLP receiver: ${problem}`);
  reply(response, 200, format, result.problems.length > 0 ? { rejected: result.problems.length, message: result.problems.slice(0, 3).join('; ') } : {});
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBodyBytes) {
    request.resume();
    throw new HttpError(413, `The body is ${declared} bytes; the limit is ${maxBodyBytes} bytes (20 MiB).`);
  }
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'identity') throw new HttpError(415, `Content-Encoding must be gzip or identity, not '${encoding}'.`);
  const chunks: Buffer[] = [];
  let wire = 0;
  let decoded = 0;
  const gunzip = encoding === 'gzip' ? createGunzip() : undefined;
  const source = gunzip ? request.pipe(gunzip) : request;
  // pipe() does not pass errors on: a destroyed request must end the gunzip stream we read from.
  if (gunzip) request.once('error', (error) => gunzip.destroy(error));
  request.on('data', (chunk: Buffer) => {
    wire += chunk.length;
    if (wire > maxBodyBytes) request.destroy(new HttpError(413, `The body is larger than the limit of ${maxBodyBytes} bytes (20 MiB).`));
  });
  try {
    for await (const chunk of source) {
      decoded += (chunk as Buffer).length;
      if (decoded > maxDecodedBytes) throw new HttpError(413, `The body decompresses to more than ${maxDecodedBytes} bytes.`);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') throw new HttpError(400, `The gzip body is damaged or truncated (${(error as Error).message}).`);
    throw error;
  }
  if (wire > maxBodyBytes) throw new HttpError(413, `The body is larger than the limit of ${maxBodyBytes} bytes (20 MiB).`);
  return Buffer.concat(chunks);
}

/** ExportTraceServiceResponse, or google.rpc.Status for errors, in the request's encoding. */
function reply(response: ServerResponse, status: number, format: 'json' | 'protobuf', body: { rejected?: number; message?: string; error?: string }): void {
  if (response.headersSent) return;
  if (format === 'json') {
    const payload =
      body.error !== undefined ? { code: status === 400 ? 3 : 13, message: body.error }
      : body.rejected ? { partialSuccess: { rejectedSpans: String(body.rejected), errorMessage: body.message } }
      : {};
    response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(payload));
    return;
  }
  const writer = protobuf.Writer.create();
  if (body.error !== undefined) {
    writer.uint32(8).int32(status === 400 ? 3 : 13).uint32(18).string(body.error);
  } else if (body.rejected) {
    const partial = protobuf.Writer.create().uint32(8).int64(body.rejected).uint32(18).string(body.message ?? '').finish();
    writer.uint32(10).bytes(partial);
  }
  response.writeHead(status, { 'Content-Type': 'application/x-protobuf' }).end(Buffer.from(writer.finish()));
}

function isProtobuf(request: IncomingMessage): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-protobuf');
}

/** Browser apps served from localhost may send traces here; pages from elsewhere may not. */
function allowLocalOrigins(request: IncomingMessage, response: ServerResponse): void {
  const origin = request.headers.origin;
  if (origin && /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(origin)) {
    response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    response.setHeader('Access-Control-Allow-Headers', 'Content-Type, Content-Encoding');
    response.setHeader('Vary', 'Origin');
  }
}

export function listen(server: Server, host: string, port: number, path: string): Promise<RunningReceiver> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === 'EADDRINUSE' ? `${host}:${port} is already in use (another collector or Sightline window?)` : `cannot listen on ${host}:${port}: ${error.message}`)),
    );
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${shownHost}:${address.port}${path}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
