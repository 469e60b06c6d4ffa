// Console sign-in URLs as data, in every partition: which federation endpoint is asked, whether
// SessionDuration is sent (only for role credentials that are not role chaining), which
// credentials go in the Session parameter (GetFederationToken's for IAM users), and where the
// login lands. The sandbox serves only the aws partition; these need no server.
import { describe, expect, it } from 'vitest';
import type { Credentials, Profile } from '../../../src-shared/profile';
import { consoleLogin, type ConsoleDeps } from '../../../src-main/core/console/console-login';
import { ALLOW_ALL_POLICY } from '../../../src-main/core/console/federation-token';

const PARTITIONS = [
  { region: 'us-west-2', arn: 'aws', signin: 'us-west-2.signin.aws.amazon.com', console: 'us-west-2.console.aws.amazon.com' },
  { region: 'cn-north-1', arn: 'aws-cn', signin: 'cn-north-1.signin.amazonaws.cn', console: 'cn-north-1.console.amazonaws.cn' },
  { region: 'us-gov-west-1', arn: 'aws-us-gov', signin: 'us-gov-west-1.signin.amazonaws-us-gov.com', console: 'us-gov-west-1.console.amazonaws-us-gov.com' },
  { region: 'eusc-de-east-1', arn: 'aws-eusc', signin: 'eusc-de-east-1.signin.amazonaws-eusc.eu', console: 'eusc-de-east-1.console.amazonaws-eusc.eu' },
  { region: 'us-iso-east-1', arn: 'aws-iso', signin: 'us-iso-east-1.signin.c2shome.ic.gov', console: 'us-iso-east-1.console.c2shome.ic.gov' },
  { region: 'us-isob-east-1', arn: 'aws-iso-b', signin: 'us-isob-east-1.signin.sc2shome.sgov.gov', console: 'us-isob-east-1.console.sc2shome.sgov.gov' },
];

function profilesIn(arn: string, region: string): Profile[] {
  const role = (account: string, name: string) => `arn:${arn}:iam::${account}:role/${name}` as string;
  return [
    { kind: 'sso-role', name: 'sso', region, ssoSession: 'acme', accountId: '444455556666', roleName: 'AdministratorAccess' },
    { kind: 'iam-user', name: 'alice', region, accessKeyId: 'AKIAEXAMPLEALICE0001' },
    { kind: 'iam-user', name: 'alice-mfa', region, accessKeyId: 'AKIAEXAMPLEALICE0001', mfaSerial: `arn:${arn}:iam::111122223333:mfa/alice` },
    { kind: 'assume-role', name: 'first-hop', sourceProfile: 'alice', roleArn: role('444455556666', 'ReadOnly') },
    { kind: 'assume-role', name: 'from-mfa', sourceProfile: 'alice-mfa', roleArn: role('444455556666', 'Developer') },
    { kind: 'assume-role', name: 'chained', sourceProfile: 'sso', roleArn: role('777788889999', 'Deployer') },
    { kind: 'web-identity', name: 'ci', region, roleArn: role('444455556666', 'CiDeployer'), webIdentityTokenFile: '/tmp/token' },
  ] as Profile[];
}

const session = (id: string): Credentials => ({ accessKeyId: id, secretAccessKey: `secret-${id}`, sessionToken: `token-${id}`, expiration: new Date(Date.now() + 3600_000) });

/** Runs consoleLogin with stand-ins for the broker, the keychain, STS and the federation endpoint. */
async function signIn(profiles: Profile[], profile: string, extra: Partial<Parameters<typeof consoleLogin>[1]> = {}) {
  const asked: URL[] = [];
  const federation: { region: string; durationSeconds: number; keys: Credentials }[] = [];
  const notices: string[] = [];
  const deps: ConsoleDeps = {
    env: {},
    profiles,
    roleCredentials: async (p) => session(`ASIAROLE-${p}`),
    iamUserKeys: async (u) => ({ accessKeyId: u.accessKeyId, secretAccessKey: 'long-term-secret' }),
    notice: (m) => notices.push(m),
    federationToken: async (ctx, keys, durationSeconds) => {
      federation.push({ region: ctx.region, durationSeconds, keys });
      return { ...session('ASIAFEDERATED'), expiration: new Date(Date.now() + durationSeconds * 1000), arn: 'arn:aws:sts::111122223333:federated-user/alice' };
    },
    fetch: (async (url: URL) => {
      asked.push(new URL(url));
      return new Response(JSON.stringify({ SigninToken: 'TOKEN-123' }), { status: 200 });
    }) as unknown as typeof fetch,
  };
  const login = await consoleLogin(deps, { profile, ...extra });
  const [request] = asked;
  const sent = JSON.parse(request?.searchParams.get('Session') ?? '{}') as Record<string, string>;
  return { login, request: request!, sent, federation, notices, url: new URL(login.url) };
}

describe('console sign-in URLs in every partition', () => {
  for (const p of PARTITIONS) {
    describe(p.arn, () => {
      const profiles = profilesIn(p.arn, p.region);

      it('an Identity Center role: its credentials, SessionDuration 43200, the regional sign-in and console hosts', async () => {
        const { request, sent, url, login } = await signIn(profiles, 'sso');
        expect(`${request.origin}${request.pathname}`).toBe(`https://${p.signin}/federation`);
        expect(request.searchParams.get('Action')).toBe('getSigninToken');
        expect(request.searchParams.get('SessionDuration')).toBe('43200');
        expect(sent).toEqual({ sessionId: 'ASIAROLE-sso', sessionKey: 'secret-ASIAROLE-sso', sessionToken: 'token-ASIAROLE-sso' });
        expect(`${url.origin}${url.pathname}`).toBe(`https://${p.signin}/federation`);
        expect(Object.fromEntries(url.searchParams)).toEqual({
          Action: 'login',
          Issuer: 'Rolecall',
          Destination: `https://${p.console}/console/home?region=${p.region}`,
          SigninToken: 'TOKEN-123',
        });
        expect(login.partition.name).toBe(p.arn);
      });

      it('role chaining (a role from a role, a role from an MFA session): no SessionDuration', async () => {
        for (const name of ['chained', 'from-mfa']) {
          const { request, sent } = await signIn(profiles, name, { region: p.region });
          expect([name, request.searchParams.has('SessionDuration')]).toEqual([name, false]);
          expect(sent.sessionId).toBe(`ASIAROLE-${name}`);
        }
      });

      it("a role from an IAM user's long-term keys and a web identity role: SessionDuration as asked", async () => {
        for (const name of ['first-hop', 'ci']) {
          const { request } = await signIn(profiles, name, { region: p.region, durationSeconds: 7200 });
          expect([name, request.searchParams.get('SessionDuration')]).toEqual([name, '7200']);
        }
      });

      it('an IAM user, with or without MFA: GetFederationToken from its long-term keys for the console duration, no SessionDuration', async () => {
        for (const name of ['alice', 'alice-mfa']) {
          const { request, sent, federation, notices } = await signIn(profiles, name, { durationSeconds: 5400 });
          expect(federation).toEqual([{ region: p.region, durationSeconds: 5400, keys: { accessKeyId: 'AKIAEXAMPLEALICE0001', secretAccessKey: 'long-term-secret' } }]);
          expect(sent.sessionId).toBe('ASIAFEDERATED');
          expect(request.searchParams.has('SessionDuration')).toBe(false);
          expect(notices.some((n) => n.includes('carries no MFA context'))).toBe(name === 'alice-mfa');
        }
      });

      it('--sign-out-first: the partition-wide sign-in host signs out, then goes on to the login URL', async () => {
        const { login } = await signIn(profiles, 'sso', { signOutFirst: true });
        const out = new URL(login.url);
        const signinHost = p.signin.replace(`${p.region}.`, '');
        expect(`${out.origin}${out.pathname}`).toBe(`https://${signinHost}/oauth`);
        expect(out.searchParams.get('Action')).toBe('logout');
        expect(new URL(out.searchParams.get('redirect_uri')!).searchParams.get('SigninToken')).toBe('TOKEN-123');
      });
    });
  }

  it('AWS_ENDPOINT_URL_SIGNIN replaces the sign-in host (with /federation appended), in any partition', async () => {
    const asked: URL[] = [];
    const login = await consoleLogin(
      {
        env: { AWS_ENDPOINT_URL_SIGNIN: 'http://127.0.0.1:9999/' },
        profiles: profilesIn('aws-cn', 'cn-north-1'),
        roleCredentials: async () => session('ASIAX'),
        iamUserKeys: async () => ({ accessKeyId: 'AKIA', secretAccessKey: 'x' }),
        notice: () => undefined,
        fetch: (async (u: URL) => (asked.push(new URL(u)), new Response('{"SigninToken":"T"}'))) as unknown as typeof fetch,
      },
      { profile: 'sso' },
    );
    const url = new URL(login.url);
    expect(`${asked[0]?.origin}${asked[0]?.pathname}`).toBe('http://127.0.0.1:9999/federation');
    expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:9999/federation');
    expect(url.searchParams.get('Destination')).toBe('https://cn-north-1.console.amazonaws.cn/console/home?region=cn-north-1');
  });

  it("GetFederationToken's session policy allows everything, so the console has the user's own permissions", () => {
    expect(JSON.parse(ALLOW_ALL_POLICY)).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  });

  it("refuses to sign a profile in to another partition's console", async () => {
    await expect(signIn(profilesIn('aws', 'us-east-1'), 'first-hop', { region: 'cn-north-1' })).rejects.toThrow(
      "profile 'first-hop' is in the aws partition, but cn-north-1 is in aws-cn; give a region of aws",
    );
  });
});
