// Adaptive pacing for APIs with an unknown rate limit (the Identity Center portal answers
// TooManyRequestsException past roughly 20 calls a second). Calls are spaced at a rate that
// starts modestly and grows quickly until the first throttle (slow start); from then on it grows
// by about one call a second per second and, on a throttle, drops by 15% and to no more than the
// rate that recently got through (AIMD), so it settles just under the service's limit. A throttled call waits a jittered, growing backoff and is tried again.
const WINDOW_MS = 2_000;

export interface PacerOptions {
  initialRate?: number;
  minRate?: number;
  maxRate?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export class AdaptivePacer {
  rate: number;
  private readonly minRate: number;
  private readonly maxRate: number;
  private nextSlot = 0;
  private slowStart = true;
  private lastDecrease = -Infinity;
  /** When recent calls succeeded (the last WINDOW_MS). */
  private readonly successes: number[] = [];
  private readonly now: () => number;
  private readonly sleepFn: (ms: number) => Promise<void>;
  readonly random: () => number;

  constructor(o: PacerOptions = {}) {
    this.rate = o.initialRate ?? 10;
    this.minRate = o.minRate ?? 0.5;
    this.maxRate = o.maxRate ?? 50;
    this.now = o.now ?? (() => performance.now());
    this.sleepFn = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = o.random ?? Math.random;
  }

  /** Waits for this call's slot. */
  async take(): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + 1000 / this.rate;
    if (slot > now) await this.sleepFn(slot - now);
  }

  onSuccess(): void {
    const now = this.now();
    this.successes.push(now);
    while ((this.successes[0] ?? now) < now - WINDOW_MS) this.successes.shift();
    this.rate = Math.min(this.maxRate, this.slowStart ? this.rate * 1.03 : this.rate + 0.05);
  }

  onThrottle(): void {
    const now = this.now();
    // While throttled, what got through lately is the service's sustained rate (plus any burst it
    // allowed): never pace faster than that.
    const achieved = this.successes.filter((t) => t >= now - WINDOW_MS).length / (WINDOW_MS / 1000);
    this.slowStart = false;
    // Throttles that answer calls sent before the last decrease say nothing new about the rate.
    const cut = now - this.lastDecrease >= 1000 / this.rate + 250 ? 0.85 : 1;
    if (cut < 1) this.lastDecrease = now;
    this.rate = Math.max(this.minRate, Math.min(this.rate * cut, Math.max(achieved, this.minRate)));
  }

  /** Full-jitter exponential backoff: a random wait up to 100 ms x 2^attempt, at most 5 s. */
  backoffMs(attempt: number): number {
    return this.random() * Math.min(5_000, 100 * 2 ** attempt);
  }

  sleep(ms: number): Promise<void> {
    return this.sleepFn(ms);
  }
}

export function isThrottle(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name === 'TooManyRequestsException' || e?.name === 'ThrottlingException' || e?.$metadata?.httpStatusCode === 429;
}

/** A 5xx answer, or a connection that broke or timed out: worth another try. */
function isTransient(err: unknown): boolean {
  const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if ((e?.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|socket hang up|TimeoutError/i.test(`${e?.name} ${e?.code} ${e?.message}`);
}

/** Runs fn at the pacer's rate, retrying throttles (and a few server errors) so none reaches the user. */
export async function paced<T>(pacer: AdaptivePacer, fn: () => Promise<T>, o: { maxThrottleRetries?: number; maxServerRetries?: number } = {}): Promise<T> {
  const maxThrottle = o.maxThrottleRetries ?? 30;
  const maxServer = o.maxServerRetries ?? 3;
  let throttles = 0;
  let serverErrors = 0;
  for (;;) {
    await pacer.take();
    try {
      const out = await fn();
      pacer.onSuccess();
      return out;
    } catch (err) {
      if (isThrottle(err) && throttles < maxThrottle) {
        pacer.onThrottle();
        await pacer.sleep(pacer.backoffMs(throttles++));
        continue;
      }
      if (isTransient(err) && serverErrors < maxServer) {
        await pacer.sleep(pacer.backoffMs(++serverErrors + 2));
        continue;
      }
      throw err;
    }
  }
}
