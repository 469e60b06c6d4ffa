// The broker against the sandbox and the real keychain: every source kind, a 3-hop
// cross-account chain with the 1-hour chain cap, MFA, ExternalId, refusals, caching and
// single-flight.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-shared/profile';
import { getCallerIdentity } from '../../../src-main/core/aws/sts';
import { awsCallerSettings, awsSettingsKey } from '../../../src-main/core/aws/caller-settings';
import { sessionEntryName } from '../../../src-main/core/secrets/keychain-layout';
import { mfaCode, startHarness, type Harness } from '../../helpers/harness';

const ALICE_MFA = 'arn:aws:iam::111122223333:mfa/alice';

const alice: Profile = { name: 'alice', kind: 'iam-user', accessKeyId: 'AKIASANDBOXALICE0001' };
const aliceMfa: Profile = { name: 'alice-mfa', kind: 'iam-user', accessKeyId: 'AKIASANDBOXALICE0001', mfaSerial: ALICE_MFA };
const developer: Profile = {
  name: 'dev/Developer', kind: 'assume-role', sourceProfile: 'alice', roleArn: 'arn:aws:iam::444455556666:role/Developer',
  mfaSerial: ALICE_MFA, durationSeconds: 7200,
};
const deployer: Profile = { name: 'prod/Deployer', kind: 'assume-role', sourceProfile: 'dev/Developer', roleArn: 'arn:aws:iam::777788889999:role/Deployer', durationSeconds: 7200 };
const auditor: Profile = {
  name: 'audit/Auditor', kind: 'assume-role', sourceProfile: 'prod/Deployer', roleArn: 'arn:aws:iam::210987654321:role/Auditor', externalId: 'acme-audit-7f3',
};

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  await h.storeIamUserKey('alice');
  await h.storeIamUserKey('alice-mfa');
});
afterEach(() => h.close());

const whoAmI = (c: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
  getCallerIdentity({ region: 'us-east-1', env: h.env }, c).then((r) => r.Arn);
// The keychain entry of a profile's session for this test's own AWS settings (the sandbox endpoint).
const sessionCacheKey = (profile: string) => sessionEntryName(profile, awsSettingsKey(awsCallerSettings(h.env)));
const secondsLeft = (d: Date | undefined) => Math.round(((d?.getTime() ?? 0) - Date.now()) / 1000);

describe('broker', () => {
  it('hands out an IAM user\'s long-term keys, and a GetSessionToken session when the user has MFA', async () => {
    await h.addProfiles(alice, aliceMfa);
    const keys = await h.core.broker.credentials('alice');
    const aliceKey = h.sandbox.state.org.users[0]!.accessKeys[0]!;
    // Exactly the stored key: no session token, no expiry (the SDK then never refreshes it).
    expect(keys).toEqual({ accessKeyId: aliceKey.accessKeyId, secretAccessKey: aliceKey.secretAccessKey });
    expect(await whoAmI(keys)).toBe('arn:aws:iam::111122223333:user/alice');

    const session = await h.core.broker.credentials('alice-mfa', { mfaCode: mfaCode(h.sandbox, ALICE_MFA) });
    expect(session).toEqual({
      accessKeyId: expect.stringMatching(/^ASIA[A-Z0-9]{16}$/),
      secretAccessKey: expect.stringMatching(/^.{40}$/),
      sessionToken: expect.stringMatching(/^IQoJb3JpZ2luX2Vj/),
      expiration: expect.any(Date),
    });
    expect(secondsLeft(session.expiration)).toBeGreaterThan(3600);
    expect(await whoAmI(session)).toBe('arn:aws:iam::111122223333:user/alice');
  });

  it('walks a 3-hop cross-account chain, capping chained hops at 3600 s without a ValidationError', async () => {
    await h.addProfiles(alice, developer, deployer, auditor);
    const creds = await h.core.broker.credentials('audit/Auditor', { mfaCode: mfaCode(h.sandbox, ALICE_MFA) });
    expect(await whoAmI(creds)).toBe('arn:aws:sts::210987654321:assumed-role/Auditor/alice');
    expect(secondsLeft(creds.expiration)).toBeLessThanOrEqual(3600);
    expect(secondsLeft(creds.expiration)).toBeGreaterThan(3500);
    // The first hop is not chained (long-term keys): it gets the 7200 s it asked for.
    const dev = await h.core.broker.credentials('dev/Developer');
    expect(secondsLeft(dev.expiration)).toBeGreaterThan(7000);
    // The user is told about the cap on the chained hop that asked for more.
    expect(h.notices.some((n) => n.includes("'prod/Deployer'") && n.includes('3600'))).toBe(true);
    expect(h.sandbox.knobs.count('sts:AssumeRole')).toBe(3);
  });

  it('says which MFA device it needs when no code is given', async () => {
    await h.addProfiles(alice, developer);
    await expect(h.core.broker.credentials('dev/Developer')).rejects.toThrow(/needs an MFA code from arn:aws:iam::111122223333:mfa\/alice/);
    expect(h.sandbox.knobs.count('sts:AssumeRole')).toBe(0);
  });

  it('spends one MFA code per device: the role above a GetSessionToken session of that device sends none of its own', async () => {
    const developerViaMfa: Profile = { ...developer, name: 'dev/Developer-via-mfa', sourceProfile: 'alice-mfa', durationSeconds: undefined };
    await h.addProfiles(aliceMfa, developerViaMfa);
    // GetSessionToken takes the code; the session carries the MFA context the role's trust policy
    // asks for, so AssumeRole sends no code (the same one again would be refused: each works once).
    const creds = await h.core.broker.credentials('dev/Developer-via-mfa', { mfaCode: mfaCode(h.sandbox, ALICE_MFA) });
    expect(await whoAmI(creds)).toMatch(/^arn:aws:sts::444455556666:assumed-role\/Developer\//);
    expect(h.sandbox.knobs.count('sts:GetSessionToken')).toBe(1);
    expect(h.sandbox.knobs.count('sts:AssumeRole')).toBe(1);
  });

  it('reports a trust-policy refusal and a missing ExternalId as AccessDenied naming the caller and the role', async () => {
    const noExternalId: Profile = { ...auditor, name: 'audit/no-external-id', externalId: undefined };
    const wrongParent: Profile = { name: 'prod/direct', kind: 'assume-role', sourceProfile: 'alice', roleArn: 'arn:aws:iam::777788889999:role/Deployer' };
    await h.addProfiles(alice, developer, deployer, noExternalId, wrongParent);
    await expect(h.core.broker.credentials('prod/direct')).rejects.toThrow(
      /AccessDenied: User: arn:aws:iam::111122223333:user\/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::777788889999:role\/Deployer/,
    );
    await expect(h.core.broker.credentials('audit/no-external-id', { mfaCode: mfaCode(h.sandbox, ALICE_MFA) })).rejects.toThrow(/AccessDenied/);
    // The hops before the refused one stay cached and usable.
    expect(await whoAmI(await h.core.broker.credentials('prod/Deployer'))).toMatch(/assumed-role\/Deployer\//);
  });

  it('caches in the keychain: a second core (another process) reuses the session without calling STS', async () => {
    await h.addProfiles(alice, developer);
    const first = await h.core.broker.credentials('dev/Developer', { mfaCode: mfaCode(h.sandbox, ALICE_MFA) });
    expect(await h.core.secrets.get(sessionCacheKey('dev/Developer'))).toContain(first.accessKeyId);
    const other = await h.newCore();
    const second = await other.broker.credentials('dev/Developer');
    expect(second.accessKeyId).toBe(first.accessKeyId);
    expect(h.sandbox.knobs.count('sts:AssumeRole')).toBe(1);
  });

  it('refreshes a session once it is inside the refresh-ahead window', async () => {
    await h.addProfiles(alice, { ...developer, mfaSerial: undefined, roleArn: 'arn:aws:iam::444455556666:role/ReadOnly', name: 'dev/ReadOnly' });
    const first = await h.core.broker.credentials('dev/ReadOnly');
    // Age the cached entry as if 50 minutes had passed: its refreshAt is now behind us.
    const key = sessionCacheKey('dev/ReadOnly');
    const entry = JSON.parse((await h.core.secrets.get(key))!);
    entry.refreshAt = new Date(Date.now() - 1000).toISOString();
    await h.core.secrets.set(key, JSON.stringify(entry));
    const fresh = await (await h.newCore()).broker.credentials('dev/ReadOnly');
    expect(fresh.accessKeyId).not.toBe(first.accessKeyId);
    expect(h.sandbox.knobs.count('sts:AssumeRole')).toBe(2);
  });

  it('answers 50 concurrent requests for a cold 2-hop chain with one STS call per hop', async () => {
    await h.addProfiles(alice, developer, deployer);
    const code = mfaCode(h.sandbox, ALICE_MFA);
    const results = await Promise.all(Array.from({ length: 50 }, () => h.core.broker.credentials('prod/Deployer', { mfaCode: code })));
    expect(new Set(results.map((r) => r.accessKeyId)).size).toBe(1);
    expect(h.sandbox.knobs.count('sts:AssumeRole')).toBe(2);
  });

  it('refuses a chain that loops and a missing source with clear messages', async () => {
    await h.addProfiles(
      { name: 'a', kind: 'assume-role', sourceProfile: 'b', roleArn: 'arn:aws:iam::444455556666:role/ReadOnly' },
      { name: 'b', kind: 'assume-role', sourceProfile: 'a', roleArn: 'arn:aws:iam::444455556666:role/ReadOnly' },
      { name: 'orphan', kind: 'assume-role', sourceProfile: 'gone', roleArn: 'arn:aws:iam::444455556666:role/ReadOnly' },
    );
    await expect(h.core.broker.credentials('a')).rejects.toThrow(/loop \(a -> b -> a\)/);
    await expect(h.core.broker.credentials('orphan')).rejects.toThrow(/profile 'gone' \(source of 'orphan'\) does not exist/);
  });

  it('forgets a profile and every profile built on it', async () => {
    await h.addProfiles(alice, developer, deployer);
    await h.core.broker.credentials('prod/Deployer', { mfaCode: mfaCode(h.sandbox, ALICE_MFA) });
    expect((await h.core.broker.sessions()).map((s) => s.profile).sort()).toEqual(['dev/Developer', 'prod/Deployer']);
    await h.core.broker.forget('dev/Developer');
    expect(await h.core.broker.sessions()).toEqual([]);
    expect(await h.core.secrets.get(sessionCacheKey('prod/Deployer'))).toBeNull();
  });
});
