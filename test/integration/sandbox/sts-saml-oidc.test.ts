// AssumeRoleWithSAML and AssumeRoleWithWebIdentity through the AWS SDK for JavaScript v3, with
// SAML Responses and id_tokens signed by the demo IdP keys (and by keys the sandbox must refuse).
import { generateKeyPairSync } from 'node:crypto';
import { AssumeRoleWithSAMLCommand, AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { buildSamlResponse, signIdToken, type SamlResponseOptions } from '../../sandbox/idp-signing';
import { DEMO, identityOf, stsClient, useDemoSandbox } from './sts-fixtures';

const sandbox = useDemoSandbox();

const otherKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('AssumeRoleWithSAML', () => {
  const pair = `${DEMO.samlAdmin},${DEMO.samlProvider}`;
  const saml = (o: Partial<SamlResponseOptions> = {}) =>
    stsClient(sandbox()).send(
      new AssumeRoleWithSAMLCommand({
        RoleArn: DEMO.samlAdmin,
        PrincipalArn: DEMO.samlProvider,
        SAMLAssertion: buildSamlResponse({ roles: [pair], roleSessionName: 'alice@acme.example', ...o }),
      }),
    );

  it('turns a signed assertion naming the role into a role session, with the SAML fields AWS answers', async () => {
    const out = await saml({ nameId: 'alice@acme.example' });
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::777788889999:assumed-role/SamlAdmin/alice@acme.example');
    expect(out).toMatchObject({
      Subject: 'alice@acme.example',
      SubjectType: 'persistent',
      Issuer: 'https://corp-idp.sandbox.rolecall.test/saml',
      Audience: 'https://signin.aws.amazon.com/saml',
      NameQualifier: expect.stringMatching(/^[A-Za-z0-9+/]{27}=$/),
    });
    const id = await stsClient(sandbox(), identityOf(out.Credentials)).send(new GetCallerIdentityCommand({}));
    expect(id.Arn).toBe(out.AssumedRoleUser?.Arn);
  });

  it('accepts the provider-first order of the Role attribute and a signature on the Response', async () => {
    const out = await saml({ roles: [`${DEMO.samlProvider},${DEMO.samlAdmin}`], sign: 'response' });
    expect(out.AssumedRoleUser?.Arn).toContain('assumed-role/SamlAdmin/');
  });

  it('refuses an assertion signed by another key, an unsigned one, and one altered after signing', async () => {
    const refused = { name: 'InvalidIdentityTokenException', message: 'Response signature invalid', $metadata: { httpStatusCode: 400 } };
    await expect(saml({ privateKey: otherKey() })).rejects.toMatchObject(refused);
    await expect(saml({ sign: 'none' })).rejects.toMatchObject(refused);
    const xml = Buffer.from(buildSamlResponse({ roles: [pair], roleSessionName: 'alice' }), 'base64').toString('utf8');
    const altered = Buffer.from(xml.replace('>alice<', '>mallory<')).toString('base64');
    await expect(
      stsClient(sandbox()).send(new AssumeRoleWithSAMLCommand({ RoleArn: DEMO.samlAdmin, PrincipalArn: DEMO.samlProvider, SAMLAssertion: altered })),
    ).rejects.toMatchObject(refused);
  });

  it('refuses an assertion meant for another audience, and one the trust policy SAML:aud condition excludes', async () => {
    await expect(saml({ audience: 'https://app.example.com/saml' })).rejects.toMatchObject({ name: 'InvalidIdentityTokenException' });
    await expect(saml({ recipient: 'https://eu-west-1.signin.aws.amazon.com/saml' })).rejects.toMatchObject({
      name: 'AccessDenied',
      message: 'Not authorized to perform sts:AssumeRoleWithSAML',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('refuses what is not a SAML Response, and a SessionDuration outside 900..43200', async () => {
    const send = (SAMLAssertion: string) =>
      stsClient(sandbox()).send(new AssumeRoleWithSAMLCommand({ RoleArn: DEMO.samlAdmin, PrincipalArn: DEMO.samlProvider, SAMLAssertion }));
    await expect(send('not base64 at all!')).rejects.toMatchObject({ name: 'InvalidIdentityTokenException' });
    await expect(send(Buffer.from('<html>hello</html>').toString('base64'))).rejects.toMatchObject({ name: 'InvalidIdentityTokenException' });
    await expect(send(Buffer.from('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>').toString('base64'))).rejects.toMatchObject({ name: 'InvalidIdentityTokenException' });
    await expect(saml({ sessionDuration: 100 })).rejects.toMatchObject({ name: 'InvalidIdentityTokenException' });
  });

  it('refuses an expired assertion with ExpiredTokenException', async () => {
    sandbox().state.clockOffsetMs = 6 * 60_000;
    await expect(saml()).rejects.toMatchObject({ name: 'ExpiredTokenException', $metadata: { httpStatusCode: 400 } });
  });

  it("ends the session at the IdP's SessionNotOnOrAfter, and refuses one already past or under 900 s ahead as expired", async () => {
    const now = Date.now();
    const limited = await saml({ sessionNotOnOrAfter: new Date(now + 1800_000) });
    const expiresAt = limited.Credentials?.Expiration?.getTime() ?? 0;
    expect(expiresAt).toBeLessThanOrEqual(now + 1800_000);
    expect(expiresAt).toBeGreaterThan(now + 1790_000);
    for (const sessionNotOnOrAfter of [new Date(now - 60_000), new Date(now + 600_000)]) {
      await expect(saml({ sessionNotOnOrAfter })).rejects.toMatchObject({
        name: 'ExpiredTokenException',
        message: expect.stringContaining(`SessionNotOnOrAfter (${sessionNotOnOrAfter.toISOString()}) leaves less than the 900-second minimum session`),
        $metadata: { httpStatusCode: 400 },
      });
    }
  });

  it('refuses a role the assertion does not name, a missing RoleSessionName and an unknown provider', async () => {
    await expect(saml({ roles: [`${DEMO.developer},${DEMO.samlProvider}`] })).rejects.toMatchObject({
      name: 'AccessDenied',
      message: 'Not authorized to perform sts:AssumeRoleWithSAML',
    });
    await expect(saml({ roleSessionName: undefined })).rejects.toMatchObject({
      name: 'InvalidIdentityTokenException',
      message: 'RoleSessionName is required in AuthnResponse',
    });
    await expect(
      stsClient(sandbox()).send(
        new AssumeRoleWithSAMLCommand({
          RoleArn: DEMO.samlAdmin,
          PrincipalArn: 'arn:aws:iam::777788889999:saml-provider/other',
          SAMLAssertion: buildSamlResponse({ roles: [pair], roleSessionName: 'alice' }),
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidIdentityTokenException', message: "Specified provider doesn't exist" });
  });
});

describe('AssumeRoleWithWebIdentity', () => {
  const goodClaims = { sub: 'repo:acme/app:ref:refs/heads/main', aud: 'sts.amazonaws.com' };
  const webIdentity = (token: string) =>
    stsClient(sandbox()).send(new AssumeRoleWithWebIdentityCommand({ RoleArn: DEMO.ciDeployer, RoleSessionName: 'ci-run-42', WebIdentityToken: token }));

  it('turns an id_token from the registered provider into a role session', async () => {
    const out = await webIdentity(await signIdToken(goodClaims));
    expect(out).toMatchObject({
      SubjectFromWebIdentityToken: 'repo:acme/app:ref:refs/heads/main',
      Provider: 'arn:aws:iam::444455556666:oidc-provider/oidc.sandbox.rolecall.test',
      Audience: 'sts.amazonaws.com',
      AssumedRoleUser: { Arn: 'arn:aws:sts::444455556666:assumed-role/CiDeployer/ci-run-42' },
    });
    const id = await stsClient(sandbox(), identityOf(out.Credentials)).send(new GetCallerIdentityCommand({}));
    expect(id.Arn).toBe('arn:aws:sts::444455556666:assumed-role/CiDeployer/ci-run-42');
  });

  it('refuses a token signed by another key, and what is not a JWT', async () => {
    await expect(webIdentity('not.a.jwt')).rejects.toMatchObject({ name: 'InvalidIdentityTokenException' });
    await expect(webIdentity(await signIdToken(goodClaims, { privateKey: otherKey() }))).rejects.toMatchObject({
      name: 'InvalidIdentityTokenException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('refuses a token for another audience, from an unknown issuer, or not yet valid', async () => {
    await expect(webIdentity(await signIdToken({ ...goodClaims, aud: 'another-client' }))).rejects.toMatchObject({
      name: 'InvalidIdentityTokenException',
      message: 'Incorrect token audience',
    });
    await expect(webIdentity(await signIdToken({ ...goodClaims, iss: 'https://idp.elsewhere.example' }))).rejects.toMatchObject({
      name: 'InvalidIdentityTokenException',
      message: 'No OpenIDConnect provider found in your account for https://idp.elsewhere.example',
    });
    await expect(webIdentity(await signIdToken({ ...goodClaims, nbf: Math.floor(Date.now() / 1000) + 600 }))).rejects.toMatchObject({
      name: 'IDPRejectedClaimException',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('refuses an expired token with ExpiredTokenException', async () => {
    const token = await signIdToken(goodClaims, { expiresInSeconds: 60 });
    sandbox().state.clockOffsetMs = 120_000;
    await expect(webIdentity(token)).rejects.toMatchObject({
      name: 'ExpiredTokenException',
      message: expect.stringMatching(/^Token expired: current date\/time \d+ must be before the expiration date\/time\d+$/),
    });
  });

  it('refuses a subject the trust policy does not allow', async () => {
    await expect(webIdentity(await signIdToken({ ...goodClaims, sub: 'repo:mallory/app:ref:refs/heads/main' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      $metadata: { httpStatusCode: 403 },
    });
  });
});
