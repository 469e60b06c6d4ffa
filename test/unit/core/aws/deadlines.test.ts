// Every AWS call Rolecall makes gives up in bounded time and says which endpoint failed: hangs,
// resets, 5xx and throttling from the sandbox's knobs, through the product's own STS calls.
import { createServer, type Server } from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import { assumeRole, getCallerIdentity, getSessionToken, type StsContext } from '../../../../src-main/core/aws/sts';
import { getRoleCredentials } from '../../../../src-main/core/aws/sso-portal';
import { createOidcClient } from '../../../../src-main/core/sso/oidc';
import { describeError } from '../../../../src-main/core/errors';
import { DEMO, mfaCode, useDemoSandbox } from '../../../integration/sandbox/sts-fixtures';

const sandbox = useDemoSandbox();
beforeEach(() => sandbox().knobs.resetCounts());
const ctx = (extra: Partial<StsContext> = {}): StsContext => ({ region: 'us-east-1', env: { AWS_ENDPOINT_URL: sandbox().url }, ...extra });

async function timed<T>(p: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = Date.now();
  try {
    const value = await p;
    return { ms: Date.now() - started, value };
  } catch (error) {
    return { ms: Date.now() - started, error };
  }
}

describe('AWS calls that never hang', () => {
  it('one STS answer that never comes costs one response deadline (10 s), then the retry answers', async () => {
    sandbox().knobs.set({ faults: [{ operation: 'sts:GetCallerIdentity', kind: 'hang', count: 1 }] });
    const r = await timed(getCallerIdentity(ctx(), DEMO.alice));
    expect(r.error).toBeUndefined();
    expect(r.value?.Arn).toBe(DEMO.aliceArn);
    expect(sandbox().knobs.count('sts:GetCallerIdentity')).toBe(2);
    expect(r.ms).toBeGreaterThanOrEqual(9_500);
    expect(r.ms).toBeLessThan(20_000);
  }, 30_000);

  it('an STS that never answers ends at the budget with a one-line message naming the endpoint', async () => {
    sandbox().knobs.set({ faults: [{ operation: 'sts:AssumeRole', kind: 'hang', count: 100 }] });
    const r = await timed(assumeRole(ctx({ deadline: Date.now() + 3_000 }), DEMO.alice, { RoleArn: DEMO.readOnly, RoleSessionName: 'x' }));
    expect(r.ms).toBeLessThan(6_000);
    expect(r.error).toMatchObject({ code: 'timeout', operation: 'sts:AssumeRole' });
    const text = describeError(r.error);
    expect(text).toContain(`AWS STS at ${sandbox().url} did not answer within 3 s (sts:AssumeRole)`);
    expect(text).not.toContain('\n');
  }, 15_000);

  it('a reset connection is retried', async () => {
    sandbox().knobs.set({ faults: [{ operation: 'sts:GetCallerIdentity', kind: 'reset', count: 2 }] });
    const r = await timed(getCallerIdentity(ctx(), DEMO.alice));
    expect(r.error).toBeUndefined();
    expect(sandbox().knobs.count('sts:GetCallerIdentity')).toBe(3);
    expect(r.ms).toBeLessThan(10_000);
  }, 15_000);

  it('STS failing with 5xx says so and to try again shortly, after retrying within the budget', async () => {
    sandbox().knobs.set({ faults: [{ operation: 'sts:GetCallerIdentity', kind: 'internal-error', count: 1000 }] });
    const r = await timed(getCallerIdentity(ctx({ deadline: Date.now() + 20_000 }), DEMO.alice));
    expect(sandbox().knobs.count('sts:GetCallerIdentity')).toBeGreaterThan(1);
    expect(r.ms).toBeLessThan(25_000);
    const text = describeError(r.error);
    expect(text).toMatch(/^AWS STS is failing \(HTTP 500 InternalFailure from sts:GetCallerIdentity, \d+ attempts\); try again shortly$/);
  }, 30_000);

  it('a call carrying an MFA code is sent once: a retry would re-send a code AWS may have spent', async () => {
    sandbox().knobs.set({ faults: [{ operation: 'sts:GetSessionToken', kind: 'unavailable', count: 1 }] });
    const r = await timed(getSessionToken(ctx(), DEMO.alice, { SerialNumber: DEMO.mfaSerial, TokenCode: mfaCode(sandbox()) }));
    expect(sandbox().knobs.count('sts:GetSessionToken')).toBe(1);
    expect(describeError(r.error)).toMatch(/^AWS STS is failing \(HTTP 503/);
    // Without a code the same fault is ridden out.
    sandbox().knobs.set({ faults: [{ operation: 'sts:GetSessionToken', kind: 'unavailable', count: 1 }] });
    const plain = await timed(getSessionToken(ctx(), DEMO.alice, {}));
    expect(plain.error).toBeUndefined();
    expect(sandbox().knobs.count('sts:GetSessionToken')).toBe(3);
  }, 15_000);

  it('the one attempt of a call carrying an MFA code may take the whole budget, not one 10 s response deadline', async () => {
    sandbox().knobs.set({ latencyMs: 11_500 });
    const r = await timed(getSessionToken(ctx(), DEMO.alice, { SerialNumber: DEMO.mfaSerial, TokenCode: mfaCode(sandbox()) }));
    sandbox().knobs.set({});
    expect(r.error).toBeUndefined();
    expect(r.value?.accessKeyId).toMatch(/^ASIA/);
    expect(sandbox().knobs.count('sts:GetSessionToken')).toBe(1);
  }, 30_000);

  it('a short run of 5xx is ridden out by the retries', async () => {
    sandbox().knobs.set({ faults: [{ operation: 'sts:GetCallerIdentity', kind: 'unavailable', count: 2 }] });
    const r = await timed(getCallerIdentity(ctx(), DEMO.alice));
    expect(r.error).toBeUndefined();
    expect(r.ms).toBeLessThan(10_000);
  }, 15_000);

  it('throttling: 10 concurrent calls under a 2-per-second limit all succeed within the budget (adaptive retry)', async () => {
    sandbox().knobs.set({ rateLimits: { 'sts:GetCallerIdentity': 2 } });
    const started = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => getCallerIdentity(ctx(), DEMO.alice)));
    const failed = results.filter((x) => x.status === 'rejected').map((x) => describeError((x as PromiseRejectedResult).reason));
    expect(failed).toEqual([]);
    expect(sandbox().knobs.throttled.get('sts:GetCallerIdentity') ?? 0).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 40_000);

  it('an endpoint that refuses connections is named in the message', async () => {
    const closed = await unusedPort();
    const url = `http://127.0.0.1:${closed}`;
    const r = await timed(getCallerIdentity({ region: 'us-east-1', env: { AWS_ENDPOINT_URL_STS: url }, deadline: Date.now() + 10_000 }, DEMO.alice));
    expect(describeError(r.error)).toMatch(new RegExp(`^sts:GetCallerIdentity could not reach AWS STS at ${url.replace(/\./g, '\\.')} \\(.*ECONNREFUSED`));
    expect(r.ms).toBeLessThan(12_000);
  }, 20_000);

  it('the Identity Center portal and SSO OIDC have the same deadlines', async () => {
    sandbox().knobs.set({ faults: [{ kind: 'hang', count: 100 }] });
    const env = { AWS_ENDPOINT_URL: sandbox().url };
    const portal = await timed(getRoleCredentials({ region: 'us-east-1', accessToken: 't', accountId: '111122223333', roleName: 'R' }, env, { deadline: Date.now() + 2_000 }));
    expect(portal.ms).toBeLessThan(5_000);
    expect(describeError(portal.error)).toContain(`the IAM Identity Center portal at ${sandbox().url} did not answer within 2 s (sso:GetRoleCredentials)`);
    // SSO OIDC: one hang costs one response deadline (10 s), then the retry answers.
    sandbox().knobs.set({ faults: [{ operation: 'sso-oidc:RegisterClient', kind: 'hang', count: 1 }] });
    const oidc = await createOidcClient('us-east-1', env);
    const reg = await timed(oidc.registerClient({ flow: 'device', scopes: ['sso:account:access'], issuerUrl: 'https://x.awsapps.com/start' }));
    expect(reg.error).toBeUndefined();
    expect(reg.value?.clientId).toBeTruthy();
    expect(reg.ms).toBeGreaterThanOrEqual(9_500);
    expect(reg.ms).toBeLessThan(20_000);
    expect(sandbox().knobs.count('sso-oidc:RegisterClient')).toBe(2);
  }, 40_000);
});

function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s: Server = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
