import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../../src-main/core/single-flight';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  it('runs one call per key while it is in flight, and shares its result', async () => {
    const sf = new SingleFlight<string, number>();
    const d = deferred<number>();
    let calls = 0;
    const fn = () => (calls++, d.promise);
    const all = Promise.all([sf.run('a', fn), sf.run('a', fn), sf.run('a', fn)]);
    expect(sf.has('a')).toBe(true);
    d.resolve(7);
    expect(await all).toEqual([7, 7, 7]);
    expect(calls).toBe(1);
    expect(sf.has('a')).toBe(false);
  });

  it('keeps different keys apart', async () => {
    const sf = new SingleFlight<string, string>();
    const got = await Promise.all([sf.run('a', async () => 'A'), sf.run('b', async () => 'B')]);
    expect(got).toEqual(['A', 'B']);
  });

  it('shares a failure with the waiting callers but does not cache it', async () => {
    const sf = new SingleFlight<string, number>();
    let calls = 0;
    const failing = () => {
      calls++;
      throw new Error('no network');
    };
    const results = await Promise.allSettled([sf.run('a', failing), sf.run('a', failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    await expect(sf.run('a', async () => 1)).resolves.toBe(1);
  });

  it('starts a new call once the previous one has settled', async () => {
    const sf = new SingleFlight<string, number>();
    let calls = 0;
    await sf.run('a', async () => ++calls);
    await sf.run('a', async () => ++calls);
    expect(calls).toBe(2);
  });
});
