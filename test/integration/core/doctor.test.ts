// `doctor` walks every hop of a chain and explains the one that fails.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Profile } from '../../../src-shared/profile';
import { mfaCode, startHarness, type Harness } from '../../helpers/harness';

const ALICE_MFA = 'arn:aws:iam::111122223333:mfa/alice';
const profiles: Profile[] = [
  { name: 'alice', kind: 'iam-user', accessKeyId: 'AKIASANDBOXALICE0001' },
  { name: 'dev', kind: 'assume-role', sourceProfile: 'alice', roleArn: 'arn:aws:iam::444455556666:role/Developer', mfaSerial: ALICE_MFA },
  { name: 'prod', kind: 'assume-role', sourceProfile: 'dev', roleArn: 'arn:aws:iam::777788889999:role/Deployer', durationSeconds: 7200 },
  { name: 'audit', kind: 'assume-role', sourceProfile: 'prod', roleArn: 'arn:aws:iam::210987654321:role/Auditor', externalId: 'acme-audit-7f3' },
  { name: 'audit-no-id', kind: 'assume-role', sourceProfile: 'prod', roleArn: 'arn:aws:iam::210987654321:role/Auditor' },
  { name: 'readonly-long', kind: 'assume-role', sourceProfile: 'alice', roleArn: 'arn:aws:iam::444455556666:role/ReadOnly', durationSeconds: 43200 },
  { name: 'sso-admin', kind: 'sso-role', ssoSession: 'acme', accountId: '444455556666', roleName: 'AdministratorAccess' },
];

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  await h.storeIamUserKey('alice');
  await h.addProfiles(...profiles);
  await h.core.state.update((s) => {
    s.ssoSessions.push({ name: 'acme', startUrl: 'https://d-90677c3a1b.awsapps.com/start', region: 'us-east-1' });
  });
});
afterEach(() => h.close());

it('reports every hop of a working 3-hop chain with its identity and the chain cap', async () => {
  const report = await h.core.doctor('audit', { mfaCode: mfaCode(h.sandbox, ALICE_MFA) });
  expect(report.ok).toBe(true);
  expect(report.hops.map((x) => [x.profile, x.identity])).toEqual([
    ['alice', 'arn:aws:iam::111122223333:user/alice'],
    ['dev', 'arn:aws:sts::444455556666:assumed-role/Developer/alice'],
    ['prod', 'arn:aws:sts::777788889999:assumed-role/Deployer/alice'],
    ['audit', 'arn:aws:sts::210987654321:assumed-role/Auditor/alice'],
  ]);
  const prod = report.hops[2]!;
  expect([prod.durationAsked, prod.durationRequested]).toEqual([7200, 3600]);
});

it('points at the missing ExternalId on the hop that fails, after the hops that work', async () => {
  const report = await h.core.doctor('audit-no-id', { mfaCode: mfaCode(h.sandbox, ALICE_MFA) });
  expect(report.ok).toBe(false);
  expect(report.hops.map((x) => x.ok)).toEqual([true, true, true, false]);
  const failed = report.hops[3]!;
  expect(failed.error).toMatch(/AccessDenied/);
  expect(failed.likelyCause).toMatch(/arn:aws:sts::777788889999:assumed-role\/Deployer\/alice/);
  expect(failed.likelyCause).toMatch(/ExternalId/);
});

it('explains a duration above the role\'s MaxSessionDuration, a missing MFA code, and a missing sign-in', async () => {
  const long = await h.core.doctor('readonly-long');
  expect(long.hops[1]!.likelyCause).toMatch(/MaxSessionDuration/);
  const noCode = await h.core.doctor('prod');
  expect(noCode.hops.map((x) => x.profile)).toEqual(['alice', 'dev']);
  expect(noCode.hops[1]!.likelyCause).toMatch(/MFA code/);
  const sso = await h.core.doctor('sso-admin');
  expect(sso.hops[0]!.likelyCause).toMatch(/sign in again/);
});
