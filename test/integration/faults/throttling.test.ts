// Throttling is ridden out within the budget (issue 14: 5 concurrent forced in-process calls, one
// failed after 6 s). Five CLI processes at once, each assuming a different role, against an STS
// that admits one AssumeRole a second: every one gets credentials, well inside 30 s.
import { expect, it } from 'vitest';
import { addAliceWithReadOnly, parseJson, READ_ONLY_ROLE, useCliHarness } from '../cli/harness';

const h = useCliHarness((h) => addAliceWithReadOnly(h, 'us-east-1'));

it('5 concurrent forced credential-process runs under a 1-per-second AssumeRole limit all succeed within the budget', async () => {
  const names = ['t1', 't2', 't3', 't4', 't5'];
  for (const n of names) expect((await h().rolecall(['profile', 'add', n, '--source', 'alice', '--role-arn', READ_ONLY_ROLE])).code).toBe(0);
  h().sandbox.knobs.set({ rateLimits: { 'sts:AssumeRole': 1 } });
  const started = Date.now();
  const runs = await Promise.all(names.map((n) => h().rolecall(['credential-process', n, '--force-refresh'], { secretOutput: true, timeoutMs: 60_000 })));
  const ms = Date.now() - started;
  expect(runs.map((r) => r.stderr)).toEqual(names.map(() => ''));
  for (const r of runs) expect(parseJson(r.stdout).AccessKeyId).toMatch(/^ASIA/);
  // The limit really bit, so the retries were what saved them.
  expect(h().sandbox.knobs.throttled.get('sts:AssumeRole') ?? 0).toBeGreaterThan(0);
  expect(ms).toBeLessThan(30_000);
}, 90_000);
