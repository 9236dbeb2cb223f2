// Starts and stops the live receivers as the settings say, and keeps their complaints about bad
// senders to a readable trickle in the log.
import type { Settings } from '../../settings';
import type { Span } from '../model';
import { startOtlpHttpReceiver, type RunningReceiver } from './otlpHttp';
import { startXRayUdpReceiver, type RunningUdpReceiver } from './xrayUdp';

export interface ReceiverStatus {
  otlp?: { url: string; error?: string };
  xrayDaemon?: { address: string; error?: string };
}

type Endpoint = Settings['traces']['otlp'];

export class TraceReceivers {
  private otlp: RunningReceiver | undefined;
  private xray: RunningUdpReceiver | undefined;
  private otlpKey = '';
  private xrayKey = '';
  readonly status: ReceiverStatus = {};
  private problemsThisMinute = 0;
  private suppressed = 0;
  private readonly resetTimer: NodeJS.Timeout;

  constructor(
    private readonly ingest: (spans: readonly Span[]) => void,
    private readonly log: (message: string) => void,
  ) {
    this.resetTimer = setInterval(() => {
      if (this.suppressed > 0) this.log(`… and ${this.suppressed} more receiver problems in the last minute.`);
      this.problemsThisMinute = 0;
      this.suppressed = 0;
    }, 60_000);
    this.resetTimer.unref();
  }

  /** Brings the receivers in line with the settings: starts, stops or rebinds only what changed. */
  async apply(otlp: Endpoint, xray: Endpoint): Promise<void> {
    const sink = { ingest: (spans: readonly Span[]) => this.ingest(spans), problem: (message: string) => this.problem(message) };
    const otlpKey = otlp.enabled ? `${otlp.host}:${otlp.port}` : '';
    if (otlpKey !== this.otlpKey) {
      await this.otlp?.close();
      this.otlp = undefined;
      this.status.otlp = undefined;
      this.otlpKey = otlpKey;
      if (otlp.enabled) {
        try {
          this.otlp = await startOtlpHttpReceiver(otlp.host, otlp.port, sink);
          this.status.otlp = { url: this.otlp.url };
          this.log(`Receiving OTLP/HTTP traces at ${this.otlp.url}`);
        } catch (error) {
          this.status.otlp = { url: `http://${otlp.host}:${otlp.port}/v1/traces`, error: (error as Error).message };
          this.log(`The OTLP receiver is not running: ${(error as Error).message}`);
        }
      }
    }
    const xrayKey = xray.enabled ? `${xray.host}:${xray.port}` : '';
    if (xrayKey !== this.xrayKey) {
      await this.xray?.close();
      this.xray = undefined;
      this.status.xrayDaemon = undefined;
      this.xrayKey = xrayKey;
      if (xray.enabled) {
        try {
          this.xray = await startXRayUdpReceiver(xray.host, xray.port, sink);
          this.status.xrayDaemon = { address: this.xray.address };
          this.log(`Receiving X-Ray segments on UDP ${this.xray.address}`);
        } catch (error) {
          this.status.xrayDaemon = { address: `${xray.host}:${xray.port}`, error: (error as Error).message };
          this.log(`The X-Ray receiver is not running: ${(error as Error).message}`);
        }
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.resetTimer);
    await Promise.all([this.otlp?.close(), this.xray?.close()]);
  }

  private problem(message: string): void {
    if (++this.problemsThisMinute <= 20) this.log(message);
    else this.suppressed++;
  }
}
