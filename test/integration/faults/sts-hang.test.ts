// One STS answer that never comes must not hang the AWS tools behind credential_process (issue
// 14: they sat for 660 s): through the background agent, one hang costs one response deadline and
// a retry; an STS that never answers ends at the 30 s budget with one line naming the endpoint,
// and the agent answers the next request at once.
import { describe, expect, it } from 'vitest';
import { addAliceWithReadOnly, parseJson, timed, useCliHarness, VIA_AGENT } from '../cli/harness';

const h = useCliHarness((h) => addAliceWithReadOnly(h, 'us-east-1'));
const assumeRoleCalls = () => h().sandbox.knobs.count('sts:AssumeRole');

describe('an STS that hangs', () => {
  it('one hang: credential-process --force-refresh through the agent answers after one deadline and a retry', async () => {
    const warm = await h().rolecall(['credential-process', 'dev/ReadOnly'], { env: VIA_AGENT, secretOutput: true });
    expect(warm.code).toBe(0);
    expect((await h().rolecall(['agent', 'status'])).stdout).toMatch(/^agent running/);
    const before = assumeRoleCalls();
    h().sandbox.knobs.set({ faults: [{ operation: 'sts:AssumeRole', kind: 'hang', count: 1 }] });
    const r = await timed(h().rolecall(['credential-process', 'dev/ReadOnly', '--force-refresh'], { env: VIA_AGENT, secretOutput: true, timeoutMs: 60_000 }));
    expect(r.stderr).toBe('');
    expect(parseJson(r.stdout).AccessKeyId).toMatch(/^ASIA/);
    expect(assumeRoleCalls() - before).toBe(2);
    // 10 s response deadline, then the retry; generous for a loaded 2-core machine.
    expect(r.ms).toBeLessThan(25_000);
  }, 90_000);

  it('one hang: aws sts get-caller-identity through credential_process returns in seconds, not minutes', async () => {
    expect((await h().rolecall(['config', 'write'])).code).toBe(0);
    h().sandbox.knobs.set({ faults: [{ operation: 'sts:AssumeRole', kind: 'hang', count: 1 }] });
    const aws = await timed(h().run('/usr/bin/aws', ['--profile', 'dev/ReadOnly', 'sts', 'get-caller-identity', '--endpoint-url', h().sandbox.url, '--output', 'json'], { env: VIA_AGENT, timeoutMs: 90_000 }));
    expect(aws.stderr).toBe('');
    expect(parseJson(aws.stdout).Arn).toMatch(/assumed-role\/ReadOnly\//);
    expect(aws.ms).toBeLessThan(30_000);
  }, 120_000);

  it('an STS that never answers: one line naming the endpoint within the 30 s budget, and the agent is not left stuck', async () => {
    expect((await h().rolecall(['credential-process', 'dev/ReadOnly'], { env: VIA_AGENT, secretOutput: true })).code).toBe(0);
    h().sandbox.knobs.set({ faults: [{ operation: 'sts:AssumeRole', kind: 'hang', count: 1000 }] });
    const r = await timed(h().rolecall(['credential-process', 'dev/ReadOnly', '--force-refresh'], { env: VIA_AGENT, secretOutput: true, timeoutMs: 90_000 }));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^rolecall: .*AWS STS at ${h().sandbox.url.replace(/\./g, '\\.')} did not answer within 30 s \\(sts:AssumeRole\\)[^\\n]*\\n$`));
    expect(r.ms).toBeGreaterThanOrEqual(29_000);
    expect(r.ms).toBeLessThan(45_000);
    expect((await h().rolecall(['agent', 'status'])).stdout).toMatch(/^agent running/);

    h().sandbox.knobs.set({});
    const next = await timed(h().rolecall(['credential-process', 'dev/ReadOnly', '--force-refresh'], { env: VIA_AGENT, secretOutput: true, timeoutMs: 60_000 }));
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    expect(next.ms).toBeLessThan(10_000);
  }, 150_000);
});
