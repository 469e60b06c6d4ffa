// The web-identity source: AssumeRoleWithWebIdentity with a token read from a file, as CI
// systems hand it out.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { getCallerIdentity } from '../../../src-main/core/aws/sts';
import { signIdToken } from '../../sandbox/idp-signing';
import { startHarness, type Harness } from '../../helpers/harness';

let h: Harness;
let tokenFile: string;
beforeEach(async () => {
  h = await startHarness();
  tokenFile = path.join(h.dataDir, 'web-identity-token');
  await h.addProfiles(
    { name: 'ci', kind: 'web-identity', roleArn: 'arn:aws:iam::444455556666:role/CiDeployer', webIdentityTokenFile: tokenFile, roleSessionName: 'ci-run-42' },
  );
});
afterEach(() => h.close());

it('exchanges the token in the file for role credentials', async () => {
  await writeFile(tokenFile, await signIdToken({ aud: 'sts.amazonaws.com', sub: 'repo:acme/app:ref:refs/heads/main' }));
  const creds = await h.core.broker.credentials('ci');
  const who = await getCallerIdentity({ region: 'us-east-1', env: h.env }, creds);
  expect(who.Arn).toBe('arn:aws:sts::444455556666:assumed-role/CiDeployer/ci-run-42');
  expect(h.sandbox.knobs.count('sts:AssumeRoleWithWebIdentity')).toBe(1);
});

it('reports a token the trust policy refuses, and a missing token file, clearly', async () => {
  await writeFile(tokenFile, await signIdToken({ aud: 'sts.amazonaws.com', sub: 'repo:someone-else/app:ref:refs/heads/main' }));
  await expect(h.core.broker.credentials('ci')).rejects.toThrow(/sts:AssumeRoleWithWebIdentity failed: AccessDenied/);
  await h.core.state.update((s) => {
    s.profiles = s.profiles.map((p) => (p.kind === 'web-identity' ? { ...p, webIdentityTokenFile: path.join(h.dataDir, 'missing') } : p));
  });
  await expect(h.core.broker.credentials('ci')).rejects.toThrow(/profile 'ci': cannot read the web identity token file .*missing/);
});
