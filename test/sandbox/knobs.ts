// Knobs that make the sandbox behave like AWS on a bad day: added latency, per-operation rate
// limits (answered with the service's own throttling error), and injected faults.
import { z } from 'zod';

export const FaultKind = z.enum(['internal-error', 'unavailable', 'hang', 'reset']);
export type FaultKind = z.infer<typeof FaultKind>;

export const Knobs = z.object({
  /** Added to every response, in milliseconds. */
  latencyMs: z.number().int().min(0).default(0),
  /** Requests per second allowed per operation, e.g. {"sso:ListAccountRoles": 20}. */
  rateLimits: z.record(z.string(), z.number().positive()).default({}),
  /** Faults to inject: the next `count` calls of `operation` (or of any operation) fail as `kind`. */
  faults: z
    .array(z.object({ operation: z.string().optional(), kind: FaultKind, count: z.number().int().positive().default(1) }))
    .default([]),
});
export type Knobs = z.infer<typeof Knobs>;
export type KnobsInput = z.input<typeof Knobs>;

/** A token bucket per operation, refilled continuously, with a burst of one second's worth. */
class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  admit(op: string, perSecond: number, now = performance.now()): boolean {
    const b = this.buckets.get(op) ?? { tokens: perSecond, at: now };
    b.tokens = Math.min(perSecond, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    this.buckets.set(op, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

export class KnobState {
  knobs: Knobs;
  private limiter = new RateLimiter();
  /** Calls per operation, and how many of them were throttled: what tests and the bench read. */
  readonly calls = new Map<string, number>();
  readonly throttled = new Map<string, number>();

  constructor(input: KnobsInput = {}) {
    this.knobs = Knobs.parse(input);
  }

  set(input: KnobsInput): void {
    this.knobs = Knobs.parse(input);
    this.limiter = new RateLimiter();
  }

  count(op: string): number {
    return this.calls.get(op) ?? 0;
  }

  resetCounts(): void {
    this.calls.clear();
    this.throttled.clear();
  }

  /** Records a call and says what should happen to it. */
  admit(op: string): { fault?: FaultKind; throttled: boolean } {
    this.calls.set(op, this.count(op) + 1);
    const f = this.knobs.faults.find((x) => x.operation === undefined || x.operation === op);
    if (f) {
      f.count -= 1;
      if (f.count <= 0) this.knobs.faults.splice(this.knobs.faults.indexOf(f), 1);
      return { fault: f.kind, throttled: false };
    }
    const limit = this.knobs.rateLimits[op];
    if (limit !== undefined && !this.limiter.admit(op, limit)) {
      this.throttled.set(op, (this.throttled.get(op) ?? 0) + 1);
      return { throttled: true };
    }
    return { throttled: false };
  }
}
