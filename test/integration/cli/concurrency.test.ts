// 100 `rolecall credential-process` runs at once on a cold cache (what a parallel Terraform or
// a shell loop does): exactly one STS call per hop of a 4-step chain, and every run prints the
// same credentials. Once with the background agent (the default), once with each process
// running the broker itself (autostart off), where the broker's lock does the work.
import { describe, expect, it } from 'vitest';
import { AgentClient } from '../../../src-main/core/agent/client';
import { mfaCode } from '../../helpers/harness';
import { ALICE_KEY, ALICE_MFA, useCliHarness, type RunResult } from './harness';

const RUNS = 100;

const h = useCliHarness(async (h) => {
  const ok = async (args: string[], input?: string) => expect((await h.rolecall(args, { input })).code).toBe(0);
  // GetSessionToken with MFA, then three AssumeRole hops across accounts (the last with an ExternalId).
  await ok(['iam-user', 'add', 'alice-mfa', '--access-key-id', ALICE_KEY.accessKeyId, '--mfa-serial', ALICE_MFA, '--region', 'us-east-1'], ALICE_KEY.secretAccessKey);
  await ok(['profile', 'add', 'dev/Developer', '--source', 'alice-mfa', '--role-arn', 'arn:aws:iam::444455556666:role/Developer']);
  await ok(['profile', 'add', 'prod/Deployer', '--source', 'dev/Developer', '--role-arn', 'arn:aws:iam::777788889999:role/Deployer']);
  await ok(['profile', 'add', 'audit/Auditor', '--source', 'prod/Deployer', '--role-arn', 'arn:aws:iam::210987654321:role/Auditor', '--external-id', 'acme-audit-7f3']);
  await h.core.state.update((s) => {
    s.settings.agentIdleSeconds = 10; // a leftover agent goes away soon
  });
  h.sandbox.knobs.resetCounts();
});

async function burst(env: NodeJS.ProcessEnv): Promise<{ runs: RunResult[]; ms: number }> {
  const code = mfaCode(h().sandbox, ALICE_MFA);
  const started = Date.now();
  const runs = await Promise.all(
    Array.from({ length: RUNS }, () => h().rolecall(['credential-process', 'audit/Auditor', '--mfa-code', code], { env, secretOutput: true, timeoutMs: 90_000 })),
  );
  return { runs, ms: Date.now() - started };
}

function expectOneCallPerHop({ runs, ms }: { runs: RunResult[]; ms: number }): void {
  const failed = runs.filter((r) => r.code !== 0 || r.stderr !== '');
  const calls = (op: string) => h().sandbox.knobs.count(`sts:${op}`);
  // All in one, so a failure tells at once whether a hop was called twice or one call went wrong.
  expect(
    { failed: failed.length, errors: [...new Set(failed.map((r) => r.stderr))], GetSessionToken: calls('GetSessionToken'), AssumeRole: calls('AssumeRole') },
    `${RUNS} runs in ${ms} ms after the MFA code was read`,
  ).toEqual({ failed: 0, errors: [], GetSessionToken: 1, AssumeRole: 3 });
  expect(ms).toBeLessThan(90_000);
  expect(new Set(runs.map((r) => r.stdout)).size).toBe(1);
  expect(JSON.parse(runs[0]!.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) });
  // The session name comes from who alice is, asked at most once.
  expect(calls('GetCallerIdentity')).toBeLessThanOrEqual(1);
}

describe(`${RUNS} concurrent credential-process runs on a cold cache`, () => {
  it('start one background agent and cause one STS call per hop', { timeout: 120_000 }, async () => {
    expectOneCallPerHop(await burst({ ROLECALL_NO_AUTOSTART: '' }));
    expect(await new AgentClient(h().core.paths).alive()).toBe(true);
  });

  it('with autostart off, cause one STS call per hop through the cross-process lock', { timeout: 180_000 }, async () => {
    expectOneCallPerHop(await burst({ ROLECALL_NO_AUTOSTART: '1' }));
    expect(await new AgentClient(h().core.paths).alive()).toBe(false);
  });
});
