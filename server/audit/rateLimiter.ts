// A token bucket for AWS APIs with a request-rate quota. CloudTrail's LookupEvents allows two
// requests per second per account and Region; going above it only earns ThrottlingExceptions, so
// every LookupEvents attempt (retries included) takes a token from the bucket shared by all callers
// for that Region.

export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with an AbortError when `signal` fires first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const error = new Error('The operation was aborted', { cause: reason });
  error.name = 'AbortError';
  return error;
}

const monotonicNow = () => performance.timeOrigin + performance.now();

/** Real time. Its sleep never ends early by this clock (timers are rounded to whole milliseconds). */
export const systemClock: Clock = {
  now: monotonicNow,
  sleep: (ms, signal) => new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const until = monotonicNow() + ms;
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const wait = () => {
      const left = until - monotonicNow();
      if (left <= 0) {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      } else {
        timer = setTimeout(wait, Math.ceil(left));
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    wait();
  }),
};

export interface TokenBucketOptions {
  ratePerSecond: number;
  /** Tokens that may pile up while idle: the largest burst. */
  capacity: number;
  clock?: Clock;
}

/**
 * Callers are served in the order they ask: each take() reserves the next token (the count may go
 * below zero) and waits until it has been refilled. A reservation abandoned through its signal is
 * not given back, which can only make later callers wait longer, never exceed the rate.
 */
export class TokenBucket {
  readonly ratePerSecond: number;
  readonly capacity: number;
  private readonly clock: Clock;
  private tokens: number;
  private updated: number;

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0) || !(options.capacity >= 1)) throw new RangeError('a token bucket needs a positive rate and a capacity of at least 1');
    this.ratePerSecond = options.ratePerSecond;
    this.capacity = options.capacity;
    this.clock = options.clock ?? systemClock;
    this.tokens = options.capacity;
    this.updated = this.clock.now();
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updated) * this.ratePerSecond) / 1000);
    this.updated = now;
  }

  /** Milliseconds until a take() now would proceed. */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) * 1000) / this.ratePerSecond;
  }

  async take(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw abortError(signal);
    this.refill();
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    await this.clock.sleep((-this.tokens * 1000) / this.ratePerSecond, signal);
  }

  /** After a throttling answer: spend what is saved up, so the next caller waits a full interval. */
  drain(): void {
    this.refill();
    if (this.tokens > 0) this.tokens = 0;
  }
}

/**
 * LookupEvents: 2 requests/s. The capacity is 1, not 2: with a burst of 2 a third request half a
 * second later would make three inside one second, and the quota is counted over any second.
 */
export const LOOKUP_EVENTS_RATE = { ratePerSecond: 2, capacity: 1 } as const;

const shared = new Map<string, TokenBucket>();

/**
 * The bucket shared by everything in this process that calls LookupEvents for `key` — the Region,
 * plus whatever tells accounts apart before the first call has answered (profile, endpoint).
 */
export function sharedLookupLimiter(key: string): TokenBucket {
  let bucket = shared.get(key);
  if (!bucket) {
    bucket = new TokenBucket(LOOKUP_EVENTS_RATE);
    shared.set(key, bucket);
  }
  return bucket;
}
