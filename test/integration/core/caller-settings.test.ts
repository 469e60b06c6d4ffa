// A caller's AWS settings are its own: one broker serving two callers whose AWS_ENDPOINT_URL
// point at two different sandboxes makes each caller's calls (STS, the Identity Center portal
// with its bearer token, the token refresh) only to that caller's endpoint, and never serves a
// session issued through one endpoint to the other caller.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-shared/profile';
import { awsCallerSettings, awsSettingsKey, type AwsCallerSettings } from '../../../src-main/core/aws/caller-settings';
import { getCallerIdentity } from '../../../src-main/core/aws/sts';
import { sessionEntryName, ssoTokenEntryName, type TokenRecord } from '../../../src-main/core/secrets/keychain-entries';
import { demoOrg, startHarness, type Harness } from '../../helpers/harness';
import { startSandbox, type Sandbox } from '../../sandbox/server';

const alice: Profile = { name: 'alice', kind: 'iam-user', accessKeyId: 'AKIASANDBOXALICE0001' };
const readOnly: Profile = { name: 'dev/ReadOnly', kind: 'assume-role', sourceProfile: 'alice', roleArn: 'arn:aws:iam::444455556666:role/ReadOnly' };
const ssoAdmin: Profile = { name: 'sso-admin', kind: 'sso-role', ssoSession: 'acme', accountId: '444455556666', roleName: 'AdministratorAccess' };

let h: Harness;
/** The second caller's AWS: the same organization, another endpoint. */
let other: Sandbox;
let callerA: AwsCallerSettings;
let callerB: AwsCallerSettings;

beforeEach(async () => {
  h = await startHarness();
  other = await startSandbox({ org: demoOrg() });
  callerA = awsCallerSettings({ AWS_ENDPOINT_URL: h.sandbox.url, AWS_REGION: 'us-east-1' });
  callerB = awsCallerSettings({ AWS_ENDPOINT_URL: other.url, AWS_REGION: 'us-east-1' });
  await h.storeIamUserKey('alice');
  await h.addProfiles(alice, readOnly, ssoAdmin);
  await h.core.state.update((s) => {
    s.ssoSessions.push({ name: 'acme', startUrl: 'https://d-90677c3a1b.awsapps.com/start', region: 'us-east-1' });
  });
});
afterEach(async () => {
  await other.close();
  await h.close();
});

const assumeRoleCalls = () => [h.sandbox.knobs.count('sts:AssumeRole'), other.knobs.count('sts:AssumeRole')];
const whoAmI = (url: string, c: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
  getCallerIdentity({ region: 'us-east-1', env: { AWS_ENDPOINT_URL: url } }, c).then((r) => r.Arn);

describe("a broker serving callers with different AWS settings", () => {
  it("tells its own face (the app's countdowns) only of sessions issued under its own settings", async () => {
    const told: string[] = [];
    // The broker's own environment is caller A's.
    const core = await h.newCore({ onSession: (profile, s) => told.push(`${profile} ${s.expiration ? 'issued' : 'ended'}`) });
    await core.broker.credentials('dev/ReadOnly', { awsSettings: callerB });
    expect(told).toEqual([]);
    await core.broker.credentials('dev/ReadOnly', { awsSettings: callerA });
    expect(told).toEqual(['dev/ReadOnly issued']);
  });

  it("calls each caller's own STS and keeps their sessions apart", async () => {
    const a = await h.core.broker.credentials('dev/ReadOnly', { awsSettings: callerA });
    expect(assumeRoleCalls()).toEqual([1, 0]);

    const b = await h.core.broker.credentials('dev/ReadOnly', { awsSettings: callerB });
    expect(assumeRoleCalls()).toEqual([1, 1]);
    expect(b.accessKeyId).not.toBe(a.accessKeyId);
    // Each session is good only where it was issued: B's came from B's STS.
    expect(await whoAmI(other.url, b)).toMatch(/assumed-role\/ReadOnly\//);
    await expect(whoAmI(h.sandbox.url, b)).rejects.toThrow(/InvalidClientTokenId/);

    // Asked again, each caller gets its own cached session and no call is made.
    expect((await h.core.broker.credentials('dev/ReadOnly', { awsSettings: callerA })).accessKeyId).toBe(a.accessKeyId);
    expect((await h.core.broker.credentials('dev/ReadOnly', { awsSettings: callerB })).accessKeyId).toBe(b.accessKeyId);
    // An in-process caller brings no settings: the broker's own environment's are A's.
    expect((await h.core.broker.credentials('dev/ReadOnly')).accessKeyId).toBe(a.accessKeyId);
    expect(assumeRoleCalls()).toEqual([1, 1]);
  });

  it('keeps them apart in the keychain too: another process is served each caller\'s own', async () => {
    const a = await h.core.broker.credentials('dev/ReadOnly', { awsSettings: callerA });
    const b = await h.core.broker.credentials('dev/ReadOnly', { awsSettings: callerB });
    expect(await h.core.secrets.get(sessionEntryName('dev/ReadOnly', awsSettingsKey(callerA)))).toContain(a.accessKeyId);
    expect(await h.core.secrets.get(sessionEntryName('dev/ReadOnly', awsSettingsKey(callerB)))).toContain(b.accessKeyId);

    const second = await h.newCore();
    expect((await second.broker.credentials('dev/ReadOnly', { awsSettings: callerB })).accessKeyId).toBe(b.accessKeyId);
    expect((await second.broker.credentials('dev/ReadOnly', { awsSettings: callerA })).accessKeyId).toBe(a.accessKeyId);
    expect(assumeRoleCalls()).toEqual([1, 1]);

    // Forgetting a profile ends its sessions under every caller's settings.
    await second.broker.forget('alice');
    expect(await h.core.secrets.get(sessionEntryName('dev/ReadOnly', awsSettingsKey(callerB)))).toBeNull();
    expect(await h.core.secrets.get(sessionEntryName('dev/ReadOnly', awsSettingsKey(callerA)))).toBeNull();
  });

  it("sends the Identity Center access token and its refresh only to the caller's own endpoints", async () => {
    const now = Date.now();
    const record = (o: Partial<TokenRecord>): TokenRecord => ({
      startUrl: 'https://d-90677c3a1b.awsapps.com/start',
      region: 'us-east-1',
      accessToken: 'planted-access-token',
      expiresAt: new Date(now + 3600_000).toISOString(),
      clientId: 'planted-client',
      clientSecret: 'planted-secret',
      registrationExpiresAt: new Date(now + 30 * 86400_000).toISOString(),
      flow: 'device',
      ...o,
    });
    const plant = (o: Partial<TokenRecord> = {}) => h.core.secrets.set(ssoTokenEntryName('acme'), JSON.stringify(record(o)));
    const calls = (op: string) => [h.sandbox.knobs.count(op), other.knobs.count(op)];

    // Neither sandbox issued the planted token, so both refuse it: what matters is who was asked.
    await plant();
    await expect(h.core.broker.credentials('sso-admin', { awsSettings: callerB })).rejects.toMatchObject({ code: 'sign-in-required' });
    expect(calls('sso:GetRoleCredentials')).toEqual([0, 1]);
    await plant();
    await expect(h.core.broker.credentials('sso-admin', { awsSettings: callerA })).rejects.toMatchObject({ code: 'sign-in-required' });
    expect(calls('sso:GetRoleCredentials')).toEqual([1, 1]);

    // An access token near its expiry is refreshed first, with the refresh token: at B's SSO OIDC for B.
    await plant({ expiresAt: new Date(now + 60_000).toISOString(), refreshToken: 'planted-refresh-token' });
    await expect(h.core.broker.credentials('sso-admin', { awsSettings: callerB })).rejects.toThrow();
    expect(calls('sso-oidc:CreateToken')).toEqual([0, 1]);
  });
});
