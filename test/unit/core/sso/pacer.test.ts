// The sync's pacing against a simulated token-bucket service (as the sandbox and AWS limit calls),
// on a virtual clock: fast, deterministic, and the same arithmetic as a real 50-second sync.
import { describe, expect, it } from 'vitest';
import { AdaptivePacer, paced } from '../../../../src-main/core/sso/pacer';

function simulate(limitPerSecond: number, calls: number) {
  let now = 0;
  const bucket = { tokens: limitPerSecond, at: 0 };
  let throttled = 0;
  const pacer = new AdaptivePacer({ now: () => now, sleep: async (ms) => void (now += ms), random: () => 0.5 });
  const call = async () => {
    now += 5; // a round trip
    bucket.tokens = Math.min(limitPerSecond, bucket.tokens + ((now - bucket.at) / 1000) * limitPerSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      throttled++;
      throw Object.assign(new Error('Too many requests'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
    }
    bucket.tokens -= 1;
  };
  return (async () => {
    for (let i = 0; i < calls; i++) await paced(pacer, call);
    return { seconds: now / 1000, throttled, rate: pacer.rate };
  })();
}

describe('adaptive pacing', () => {
  it.each([5, 20, 40])('finds a %d req/s limit: within 10 percent of the floor, under 1 call in 10 throttled, none surfaced', async (limit) => {
    const calls = limit * 50;
    const r = await simulate(limit, calls);
    const floor = calls / limit;
    expect(r.seconds / floor).toBeLessThan(1.1);
    expect(r.throttled / calls).toBeLessThan(0.1);
    expect(r.rate).toBeGreaterThan(limit * 0.7);
  });

  it('surfaces other errors at once, and throttling only after many tries', async () => {
    const pacer = new AdaptivePacer({ sleep: async () => undefined });
    let n = 0;
    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    await expect(paced(pacer, async () => (n++, Promise.reject(denied)))).rejects.toBe(denied);
    expect(n).toBe(1);
    const throttle = Object.assign(new Error('slow'), { name: 'TooManyRequestsException' });
    n = 0;
    await expect(paced(pacer, async () => (n++, Promise.reject(throttle)), { maxThrottleRetries: 7 })).rejects.toBe(throttle);
    expect(n).toBe(8);
  });
});
