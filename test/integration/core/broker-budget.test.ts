// One credential request's AWS calls share one budget (about 30 s for credential_process), started
// by its first AWS call: a chain whose hops each hang once must not cost a budget per hop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-shared/profile';
import { describeError } from '../../../src-main/core/errors';
import { sharedParentOrg, sharedParentProfiles, startMemoryHarness, type MemoryHarness } from '../../helpers/memory-harness';

const [alice, readOnly, reports] = sharedParentProfiles as [Profile, Profile, Profile];
let h: MemoryHarness;

beforeEach(async () => {
  h = await startMemoryHarness({ org: sharedParentOrg() });
  await h.addProfiles(alice, readOnly, reports);
});
afterEach(() => h.close());

describe('the budget of one credential request', () => {
  it('is shared by every hop: a hang on each of two hops ends the request at the budget, not one budget per hop', async () => {
    // Each hang costs one 10 s response deadline, then the retry answers: ~10 s for the first hop,
    // ~10 s more for the second. With a budget per call (15 s each) both hops would succeed at ~20 s.
    const broker = h.newBroker({ callBudgetMs: 15_000 });
    h.sandbox.knobs.set({ faults: [{ operation: 'sts:AssumeRole', kind: 'hang', count: 1 }] });
    // The first hop's retry (the 2nd AssumeRole) arms the second hang, for the second hop's first call.
    const knobs = h.sandbox.knobs;
    const admit = knobs.admit.bind(knobs);
    knobs.admit = (op) => {
      const r = admit(op);
      if (op === 'sts:AssumeRole' && knobs.count(op) === 2) knobs.set({ faults: [{ operation: 'sts:AssumeRole', kind: 'hang', count: 1 }] });
      return r;
    };
    const started = Date.now();
    const error = await broker.credentials('prod/Reports').then(
      () => undefined,
      (e: unknown) => e,
    );
    const ms = Date.now() - started;
    expect(describeError(error)).toMatch(/^AWS STS at \S+ did not answer within \d+ s \(sts:AssumeRole\)/);
    expect(ms).toBeGreaterThanOrEqual(14_000);
    expect(ms).toBeLessThan(19_000);
  }, 60_000);

  it('is started by the first AWS call and is the request\'s own: the next request gets a whole budget', async () => {
    const broker = h.newBroker({ callBudgetMs: 15_000 });
    h.sandbox.knobs.set({ faults: [{ operation: 'sts:AssumeRole', kind: 'hang', count: 1 }] });
    const first = await broker.credentials('dev/ReadOnly');
    expect(first.accessKeyId).toMatch(/^ASIA/);
    h.sandbox.knobs.set({ faults: [{ operation: 'sts:AssumeRole', kind: 'hang', count: 1 }] });
    const second = await broker.credentials('prod/Reports');
    expect(second.accessKeyId).toMatch(/^ASIA/);
  }, 60_000);
});
