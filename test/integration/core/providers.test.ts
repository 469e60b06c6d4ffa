// Each provider alone, against the sandbox, with a step context made here (secrets in memory):
// what it hands the broker (credentials, their kind, the durations asked), and the one-line
// errors that tell a person what to do when a step cannot be done.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Profile, SsoSession } from '../../../src-shared/profile';
import { assumeRoleCredentials } from '../../../src-main/core/providers/assume-role';
import { iamUserCredentials } from '../../../src-main/core/providers/iam-user';
import { ssoRoleCredentials } from '../../../src-main/core/providers/sso-role';
import { webIdentityCredentials } from '../../../src-main/core/providers/web-identity';
import { samlRoleCredentials } from '../../../src-main/core/providers/saml-role';
import { oidcRoleCredentials } from '../../../src-main/core/providers/oidc-role';
import { awsLoginCredentials } from '../../../src-main/core/providers/aws-login';
import { samlResponseEntryName } from '../../../src-main/core/secrets/keychain-layout';
import type { StepContext, StepResult } from '../../../src-main/core/providers/types';
import { identityCenterOf } from '../../sandbox/identity-center/store';
import { buildSamlResponse, signIdToken } from '../../sandbox/idp-signing';
import { providerFor } from '../../../src-main/core/providers/registry';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { demoOrg, mfaCode } from '../../helpers/harness';
import { ALICE_MFA } from '../../helpers/memory-harness';
import { MemorySecretStore } from '../../helpers/memory-secret-store';

const org = demoOrg();
const aliceKey = org.users[0]!.accessKeys[0]!;
const START_URL = 'https://d-90677c3a1b.awsapps.com/start';
const instance: SsoSession = { name: 'demo', startUrl: START_URL, region: 'us-east-1' };

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox({ org });
  dir = await mkdtemp(path.join(os.tmpdir(), 'rolecall-providers-'));
});
afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

let secrets: MemorySecretStore;
let notices: string[];
let rejected: [string, string][];
let accessToken: string;
beforeEach(async () => {
  secrets = new MemorySecretStore();
  notices = [];
  rejected = [];
  accessToken = 'not-a-token';
  sandbox.knobs.resetCounts();
});

function ctx(o: Partial<StepContext> = {}): StepContext {
  const env = { ...process.env, AWS_ENDPOINT_URL: sandbox.url, AWS_REGION: 'us-east-1' };
  return {
    sts: { region: 'us-east-1', env },
    env,
    secrets,
    sso: {
      accessToken: async () => ({ accessToken, expiresAt: new Date(Date.now() + 3600_000) }),
      rejected: async (s, t) => void rejected.push([s, t]),
    },
    ssoSessions: [instance],
    mfaCode: () => Promise.reject(new Error('no MFA code in this test')),
    notice: (m) => notices.push(m),
    ...o,
  };
}

/** An access token of alice's Identity Center sign-in, as the sandbox would issue after a device-code approval. */
function signInAlice(): string {
  const store = identityCenterOf(sandbox.state);
  const ic = store.instanceByStartUrl(START_URL)!;
  const token = `aoa${Math.random().toString(36).slice(2)}`;
  store.accessTokens.set(token, { accessToken: token, clientId: 'test-client', session: store.signIn(ic, 'alice'), expiresAt: new Date(Date.now() + 3600_000) });
  return token;
}

const iamUser = (extra: Partial<Profile> = {}) => ({ name: 'alice', kind: 'iam-user', accessKeyId: aliceKey.accessKeyId, ...extra }) as Profile & { kind: 'iam-user' };
const storeKey = () => secrets.set('iam-user/alice', JSON.stringify({ accessKeyId: aliceKey.accessKeyId, secretAccessKey: aliceKey.secretAccessKey }));

describe('IAM user', () => {
  it("hands out the long-term keys as they are, calling nothing", async () => {
    await storeKey();
    expect(await iamUserCredentials(iamUser(), ctx())).toEqual({ accessKeyId: aliceKey.accessKeyId, secretAccessKey: aliceKey.secretAccessKey, credentialType: 'iam-user' });
    expect(sandbox.knobs.calls.size).toBe(0);
  });

  it('with an MFA device, asks for a code for that device and returns a GetSessionToken session', async () => {
    await storeKey();
    const asked: string[] = [];
    const r = await iamUserCredentials(iamUser({ mfaSerial: ALICE_MFA, sessionDurationSeconds: 7200 }), ctx({ mfaCode: async (serial) => (asked.push(serial), mfaCode(sandbox, serial)) }));
    expect(asked).toEqual([ALICE_MFA]);
    expect(r).toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/), credentialType: 'session-token', durationAsked: 7200, arn: undefined });
    // The duration asked for is what GetSessionToken issues (its default would be 12 hours).
    expect(Math.round((r.expiration!.getTime() - Date.now()) / 1000)).toBeGreaterThan(7100);
    expect(Math.round((r.expiration!.getTime() - Date.now()) / 1000)).toBeLessThanOrEqual(7200);
    expect(sandbox.knobs.count('sts:GetSessionToken')).toBe(1);
  });

  it.each([['missing', null], ['damaged', '{"accessKeyId":"short"}']])('says how to add a key that is %s, and keeps a damaged one', async (_what, stored) => {
    if (stored) await secrets.set('iam-user/alice', stored);
    await expect(iamUserCredentials(iamUser(), ctx())).rejects.toMatchObject({
      message: `profile 'alice': no secret access key for ${aliceKey.accessKeyId} in the keychain`,
      code: 'not-found',
      hint: `run: rolecall iam-user add alice --access-key-id ${aliceKey.accessKeyId}`,
    });
    expect(secrets.data.get('iam-user/alice') ?? null).toBe(stored);
  });
});

describe('AssumeRole', () => {
  const keys: StepResult = { accessKeyId: aliceKey.accessKeyId, secretAccessKey: aliceKey.secretAccessKey, credentialType: 'iam-user' };
  const readOnly = { name: 'dev/ReadOnly', kind: 'assume-role', sourceProfile: 'alice', roleArn: 'arn:aws:iam::444455556666:role/ReadOnly' } as Profile & { kind: 'assume-role' };

  it('names the session after the parent (asking STS who it is once), and reports the durations', async () => {
    const parent = { ...keys };
    const r = await assumeRoleCredentials(readOnly, ctx({ parent }));
    expect(r).toMatchObject({ arn: 'arn:aws:sts::444455556666:assumed-role/ReadOnly/alice', credentialType: 'role', durationAsked: 3600, durationRequested: 3600 });
    expect(parent.arn).toBe('arn:aws:iam::111122223333:user/alice');
    expect(sandbox.knobs.count('sts:GetCallerIdentity')).toBe(1);
    // The next hop built on the same parent knows its ARN already.
    await assumeRoleCredentials({ ...readOnly, durationSeconds: 7200 }, ctx({ parent }));
    expect(sandbox.knobs.count('sts:GetCallerIdentity')).toBe(1);
    expect(notices).toEqual([]);
  });

  it("uses the profile's own session name, and a chained parent's session name by default", async () => {
    const named = await assumeRoleCredentials({ ...readOnly, roleSessionName: 'deploy-bot' }, ctx({ parent: keys }));
    expect(named.arn).toBe('arn:aws:sts::444455556666:assumed-role/ReadOnly/deploy-bot');
    const deployer = { ...readOnly, name: 'prod', roleArn: 'arn:aws:iam::777788889999:role/Deployer', durationSeconds: 5400 };
    const chained = assumeRoleCredentials(deployer, ctx({ parent: { ...named, credentialType: 'role' } }));
    // ReadOnly is not trusted by Deployer: what matters here is the name it asked with.
    await expect(chained).rejects.toThrow(/User: arn:aws:sts::444455556666:assumed-role\/ReadOnly\/deploy-bot is not authorized/);
    expect(notices).toEqual(["profile 'prod': asked for 5400 s; AWS caps role chaining at 3600 s, so 3600 s"]);
  });

  it('passes managed session policies by ARN', async () => {
    const r = await assumeRoleCredentials({ ...readOnly, policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }, ctx({ parent: { ...keys, arn: 'arn:aws:iam::111122223333:user/alice' } }));
    expect(r.arn).toBe('arn:aws:sts::444455556666:assumed-role/ReadOnly/alice');
  });

  it('refuses to run without parent credentials', async () => {
    await expect(assumeRoleCredentials(readOnly, ctx())).rejects.toMatchObject({ message: "profile 'dev/ReadOnly': no source credentials", code: 'invalid-input' });
  });
});

describe('web identity', () => {
  it('says which token file it cannot read', async () => {
    const file = path.join(dir, 'missing-token');
    const p = { name: 'ci', kind: 'web-identity', roleArn: 'arn:aws:iam::444455556666:role/CiDeployer', webIdentityTokenFile: file } as Profile & { kind: 'web-identity' };
    await expect(webIdentityCredentials(p, ctx())).rejects.toMatchObject({
      message: `profile 'ci': cannot read the web identity token file ${file}`,
      code: 'file',
      cause: expect.objectContaining({ code: 'ENOENT' }),
    });
  });

  it('exchanges the token in the file (trailing newline and all) for a role session named rolecall-<time> by default', async () => {
    const file = path.join(dir, 'good-token');
    await writeFile(file, `${await signIdToken({ aud: 'sts.amazonaws.com', sub: 'repo:acme/app:ref:refs/heads/main' })}\n`);
    const p = { name: 'ci', kind: 'web-identity', roleArn: 'arn:aws:iam::444455556666:role/CiDeployer', webIdentityTokenFile: file, durationSeconds: 900 } as Profile & { kind: 'web-identity' };
    const r = await webIdentityCredentials(p, ctx());
    expect(r).toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/), credentialType: 'role', durationAsked: 900, arn: expect.stringMatching(/^arn:aws:sts::444455556666:assumed-role\/CiDeployer\/rolecall-\d{13}$/) });
  });

  it('sends the token without its trailing newline, and reports the refusal of a bad one', async () => {
    const file = path.join(dir, 'token');
    await writeFile(file, 'not.a.jwt\n');
    const p = { name: 'ci', kind: 'web-identity', roleArn: 'arn:aws:iam::444455556666:role/CiDeployer', webIdentityTokenFile: file } as Profile & { kind: 'web-identity' };
    await expect(webIdentityCredentials(p, ctx())).rejects.toMatchObject({ awsCode: 'InvalidIdentityToken', operation: 'sts:AssumeRoleWithWebIdentity' });
  });
});

describe('Identity Center role', () => {
  const admin = { name: 'demo/Admin', kind: 'sso-role', ssoSession: 'demo', accountId: '444455556666', roleName: 'AdministratorAccess' } as Profile & { kind: 'sso-role' };

  it('gets role credentials with the sign-in\'s access token', async () => {
    accessToken = signInAlice();
    const r = await ssoRoleCredentials(admin, ctx());
    expect(r).toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/), credentialType: 'role' });
    expect(r.expiration!.getTime()).toBeGreaterThan(Date.now());
  });

  it('says an instance that is not set up is not found', async () => {
    await expect(ssoRoleCredentials({ ...admin, ssoSession: 'other' }, ctx())).rejects.toMatchObject({
      message: "profile 'demo/Admin': no Identity Center instance named 'other'",
      code: 'not-found',
      hint: 'run: rolecall list',
    });
  });

  it('ends the sign-in the portal refuses and says to sign in again', async () => {
    await expect(ssoRoleCredentials(admin, ctx())).rejects.toMatchObject({
      message: "profile 'demo/Admin': the Identity Center session for demo expired",
      code: 'sign-in-required',
      hint: 'run: rolecall login sso demo',
      cause: expect.objectContaining({ awsCode: 'UnauthorizedException' }),
    });
    expect(rejected).toEqual([['demo', 'not-a-token']]);
    // A token source that cannot be told (rejected is optional) gets the same answer.
    const quiet = ctx({ sso: { accessToken: async () => ({ accessToken: 'not-a-token', expiresAt: new Date(Date.now() + 3600_000) }) } });
    await expect(ssoRoleCredentials(admin, quiet)).rejects.toMatchObject({ code: 'sign-in-required' });
  });

  it('passes other portal failures on as they are, not as a role no longer granted', async () => {
    accessToken = signInAlice();
    sandbox.knobs.set({ faults: [{ operation: 'sso:GetRoleCredentials', kind: 'internal-error', count: 10 }] });
    try {
      const e = await ssoRoleCredentials(admin, ctx()).then(() => undefined, (err: unknown) => err);
      expect(e).toMatchObject({ code: 'aws-error' });
      expect((e as Error).message).not.toContain('no longer grants');
    } finally {
      sandbox.knobs.set({});
    }
  });

  it('says a role the sign-in no longer grants is gone, and to sync', async () => {
    accessToken = signInAlice();
    await expect(ssoRoleCredentials({ ...admin, roleName: 'Gone' }, ctx())).rejects.toMatchObject({
      message: "profile 'demo/Admin': demo no longer grants Gone in account 444455556666",
      code: 'access-denied',
      hint: 'run: rolecall sync demo',
      cause: expect.objectContaining({ awsCode: 'ForbiddenException' }),
    });
    expect(rejected).toEqual([]);
  });
});

describe('SAML role', () => {
  const SAML_ADMIN = 'arn:aws:iam::777788889999:role/SamlAdmin';
  const CORP_IDP = 'arn:aws:iam::777788889999:saml-provider/corp-idp';
  const admin = { name: 'corp/Admin', kind: 'saml-role', integration: 'corp', roleArn: SAML_ADMIN, principalArn: CORP_IDP } as Profile & { kind: 'saml-role' };
  /** What the integration's sign-in keeps: the SAMLResponse, until its NotOnOrAfter. */
  const captured = (o: { issueInstant?: Date; notOnOrAfter?: Date; durationSeconds?: number } = {}) =>
    secrets.set(
      samlResponseEntryName('corp'),
      JSON.stringify({
        samlResponse: buildSamlResponse({ roles: [`${SAML_ADMIN},${CORP_IDP}`], roleSessionName: 'alice@acme.example', issueInstant: o.issueInstant }),
        notOnOrAfter: (o.notOnOrAfter ?? new Date(Date.now() + 300_000)).toISOString(),
        durationSeconds: o.durationSeconds ?? 7200,
        region: 'us-east-1',
      }),
    );
  const signInAgain = { message: "profile 'corp/Admin': its SAML sign-in to 'corp' has run out", code: 'sign-in-required', hint: 'sign in again: rolecall login saml corp' };

  it("exchanges the sign-in's SAMLResponse for a role session of the duration decided at sign-in", async () => {
    await captured();
    const r = await samlRoleCredentials(admin, ctx());
    expect(r).toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/), credentialType: 'role', durationAsked: 7200, arn: 'arn:aws:sts::777788889999:assumed-role/SamlAdmin/alice@acme.example' });
    expect(Math.round((r.expiration!.getTime() - Date.now()) / 1000)).toBeGreaterThan(7100);
  });

  it.each([
    ['no sign-in kept', undefined],
    ['an assertion with less than 10 s left', 9_000],
  ])('asks for a new sign-in with %s, calling nothing', async (_what, left) => {
    if (left !== undefined) await captured({ notOnOrAfter: new Date(Date.now() + left) });
    await expect(samlRoleCredentials(admin, ctx())).rejects.toMatchObject(signInAgain);
    expect(sandbox.knobs.count('sts:AssumeRoleWithSAML')).toBe(0);
  });

  it('sends an assertion with a little more than 10 s left', async () => {
    await captured({ notOnOrAfter: new Date(Date.now() + 15_000) });
    expect((await samlRoleCredentials(admin, ctx())).credentialType).toBe('role');
  });

  it('asks for a new sign-in when STS finds the assertion expired, and passes other refusals on', async () => {
    await captured({ issueInstant: new Date(Date.now() - 6 * 60_000) });
    await expect(samlRoleCredentials(admin, ctx())).rejects.toMatchObject(signInAgain);
    await captured();
    await expect(samlRoleCredentials({ ...admin, roleArn: 'arn:aws:iam::777788889999:role/Nope' }, ctx())).rejects.toMatchObject({ operation: 'sts:AssumeRoleWithSAML', message: expect.not.stringContaining('has run out') });
  });
});

describe('OIDC role', () => {
  const ci = { name: 'ci', kind: 'oidc-role', integration: 'github', roleArn: 'arn:aws:iam::444455556666:role/CiDeployer' } as Profile & { kind: 'oidc-role' };
  const idTokens = (sessionName?: string): StepContext['oidc'] => ({
    idToken: async (integration) => {
      expect(integration).toBe('github');
      return { idToken: await signIdToken({ aud: 'sts.amazonaws.com', sub: 'repo:acme/app:ref:refs/heads/main' }), expiresAt: new Date(Date.now() + 3600_000), sessionName };
    },
  });

  it('says how to sign in when this Rolecall has no OIDC sign-ins', async () => {
    await expect(oidcRoleCredentials(ci, ctx())).rejects.toMatchObject({
      message: "profile 'ci': this Rolecall cannot sign in to OIDC integrations",
      code: 'sign-in-required',
      hint: 'run: rolecall login oidc github',
    });
  });

  it.each<[string, Partial<Profile>, string | undefined, RegExp]>([
    ['the person the token names', {}, 'alice', /\/alice$/],
    ["the profile's own session name over it", { roleSessionName: 'deploy' }, 'alice', /\/deploy$/],
    ['rolecall-<time> when the token names nobody', {}, undefined, /\/rolecall-\d{13}$/],
  ])('names the session after %s, and reports the duration asked', async (_what, extra, sessionName, arn) => {
    const r = await oidcRoleCredentials({ ...ci, durationSeconds: 900, ...extra } as typeof ci, ctx({ oidc: idTokens(sessionName) }));
    expect(r).toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/), credentialType: 'role', durationAsked: 900, arn: expect.stringMatching(arn) });
  });
});

describe('AWS sign-in', () => {
  it('says how to sign in when the keychain holds no sign-in for the profile', async () => {
    const p = { name: 'me', kind: 'aws-login', loginSession: 'arn:aws:iam::111122223333:user/alice' } as Profile & { kind: 'aws-login' };
    await expect(awsLoginCredentials(p, ctx())).rejects.toMatchObject({ message: "profile 'me': no AWS sign-in in the keychain", code: 'sign-in-required', hint: 'run: rolecall login aws me' });
  });
});

describe('which steps issue a session (cached and locked by the broker)', () => {
  it.each<[string, Profile, boolean]>([
    ['an IAM user without MFA (long-term keys)', { name: 'a', kind: 'iam-user', accessKeyId: aliceKey.accessKeyId }, false],
    ['an IAM user with MFA (GetSessionToken)', { name: 'a', kind: 'iam-user', accessKeyId: aliceKey.accessKeyId, mfaSerial: ALICE_MFA }, true],
    ['a role', { name: 'a', kind: 'assume-role', sourceProfile: 'b', roleArn: 'arn:aws:iam::444455556666:role/R' }, true],
    ['an Identity Center role', { name: 'a', kind: 'sso-role', ssoSession: 'demo', accountId: '444455556666', roleName: 'R' }, true],
    ['a web identity role', { name: 'a', kind: 'web-identity', roleArn: 'arn:aws:iam::444455556666:role/R', webIdentityTokenFile: '/t' }, true],
    ['a SAML role', { name: 'a', kind: 'saml-role', integration: 'corp', roleArn: 'arn:aws:iam::444455556666:role/R', principalArn: 'arn:aws:iam::444455556666:saml-provider/corp' }, true],
    ['an OIDC role', { name: 'a', kind: 'oidc-role', integration: 'github', roleArn: 'arn:aws:iam::444455556666:role/R' }, true],
    ['an AWS sign-in', { name: 'a', kind: 'aws-login', loginSession: 'arn:aws:iam::111122223333:user/alice' }, true],
  ])('%s: %s', (_what, profile, issues) => {
    expect(providerFor(profile).issuesSession(profile)).toBe(issues);
  });
});
