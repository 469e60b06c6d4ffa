// The AWS SDK for JavaScript v3 against the sandbox's STS: the calls Rolecall makes, and the
// errors a user would see, with AWS's codes, statuses and messages.
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
} from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { UNKNOWN_ACTION_OPERATION } from '../../sandbox/sts';
import { DEMO, identityOf, mfaCode, stsClient, stsSigner, useDemoSandbox, type AwsCredentialIdentity } from './sts-fixtures';

const sandbox = useDemoSandbox();

const alice = () => stsClient(sandbox(), DEMO.alice);

async function developerSession(sessionName = 'alice'): Promise<AwsCredentialIdentity> {
  const out = await alice().send(
    new AssumeRoleCommand({ RoleArn: DEMO.developer, RoleSessionName: sessionName, SerialNumber: DEMO.mfaSerial, TokenCode: mfaCode(sandbox()) }),
  );
  return identityOf(out.Credentials);
}

describe('GetCallerIdentity', () => {
  it('names the IAM user behind a long-term access key', async () => {
    const id = await alice().send(new GetCallerIdentityCommand({}));
    expect(id.Arn).toBe(DEMO.aliceArn);
    expect(id.Account).toBe('111122223333');
    expect(id.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(id.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('names the assumed-role session behind role credentials', async () => {
    const creds = await developerSession('alice-laptop');
    const id = await stsClient(sandbox(), creds).send(new GetCallerIdentityCommand({}));
    expect(id.Arn).toBe('arn:aws:sts::444455556666:assumed-role/Developer/alice-laptop');
    expect(id.UserId).toMatch(/^AROA[A-Z2-7]{17}:alice-laptop$/);
    expect(id.Account).toBe('444455556666');
  });
});

describe('AssumeRole', () => {
  it('issues ASIA credentials for the default hour, with the assumed-role user', async () => {
    const before = Date.now();
    const out = await alice().send(new AssumeRoleCommand({ RoleArn: DEMO.readOnly, RoleSessionName: 'reader' }));
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials?.Expiration?.getTime()).toBeGreaterThanOrEqual(before + 3599_000);
    expect(out.Credentials?.Expiration?.getTime()).toBeLessThanOrEqual(Date.now() + 3600_000);
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::444455556666:assumed-role/ReadOnly/reader');
    expect(out.PackedPolicySize).toBeUndefined();
  });

  it('refuses a role whose trust policy requires MFA when no code is given, in AWS words', async () => {
    await expect(alice().send(new AssumeRoleCommand({ RoleArn: DEMO.developer, RoleSessionName: 'sess' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: ${DEMO.aliceArn} is not authorized to perform: sts:AssumeRole on resource: ${DEMO.developer}`,
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('refuses a wrong MFA code and a role that does not exist like an untrusted one', async () => {
    const wrong = mfaCode(sandbox()) === '000000' ? '111111' : '000000';
    await expect(
      alice().send(new AssumeRoleCommand({ RoleArn: DEMO.developer, RoleSessionName: 'sess', SerialNumber: DEMO.mfaSerial, TokenCode: wrong })),
    ).rejects.toMatchObject({ name: 'AccessDenied', message: 'MultiFactorAuthentication failed with invalid MFA one time pass code. ' });
    const missing = 'arn:aws:iam::444455556666:role/NoSuchRole';
    await expect(alice().send(new AssumeRoleCommand({ RoleArn: missing, RoleSessionName: 'sess' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: ${DEMO.aliceArn} is not authorized to perform: sts:AssumeRole on resource: ${missing}`,
    });
  });

  it('holds DurationSeconds to MaxSessionDuration, and to one hour when chaining', async () => {
    const long = await alice().send(new AssumeRoleCommand({ RoleArn: DEMO.readOnly, RoleSessionName: 'sess', DurationSeconds: 14400 }));
    expect(long.Credentials?.Expiration?.getTime()).toBeGreaterThan(Date.now() + 14300_000);
    await expect(alice().send(new AssumeRoleCommand({ RoleArn: DEMO.readOnly, RoleSessionName: 'sess', DurationSeconds: 14401 }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      $metadata: { httpStatusCode: 400 },
    });
    const developer = stsClient(sandbox(), await developerSession());
    await expect(developer.send(new AssumeRoleCommand({ RoleArn: DEMO.deployer, RoleSessionName: 'sess', DurationSeconds: 3601 }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    });
  });

  it('validates parameters with the model constraints, as AWS reports them', async () => {
    await expect(
      alice().send(new AssumeRoleCommand({ RoleArn: DEMO.readOnly, RoleSessionName: 'has space', DurationSeconds: 60 })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message:
        "2 validation errors detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*; " +
        "Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    });
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await expect(alice().send(new AssumeRoleCommand({ RoleArn: DEMO.readOnly, RoleSessionName: 'sess', Tags: tags }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(/^1 validation error detected: Value '\[k0=v, .*\]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/),
    });
  });

  it('checks session policies: a malformed one is refused, a good one is packed', async () => {
    await expect(alice().send(new AssumeRoleCommand({ RoleArn: DEMO.readOnly, RoleSessionName: 'sess', Policy: '{not json' }))).rejects.toMatchObject({
      name: 'MalformedPolicyDocumentException',
      $metadata: { httpStatusCode: 400 },
    });
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    const out = await alice().send(new AssumeRoleCommand({ RoleArn: DEMO.readOnly, RoleSessionName: 'sess', Policy: policy }));
    expect(out.PackedPolicySize).toBeGreaterThan(0);
    expect(out.PackedPolicySize).toBeLessThanOrEqual(100);
  });
});

describe('GetSessionToken', () => {
  it('issues MFA-authenticated user credentials for 12 hours by default; they satisfy MFA trust but are chained', async () => {
    const before = Date.now();
    const out = await alice().send(new GetSessionTokenCommand({ SerialNumber: DEMO.mfaSerial, TokenCode: mfaCode(sandbox()) }));
    expect(out.Credentials?.Expiration?.getTime()).toBeGreaterThanOrEqual(before + 43199_000);
    const session = stsClient(sandbox(), identityOf(out.Credentials));
    expect((await session.send(new GetCallerIdentityCommand({}))).Arn).toBe(DEMO.aliceArn);
    const dev = await session.send(new AssumeRoleCommand({ RoleArn: DEMO.developer, RoleSessionName: 'mfa-session' }));
    expect(dev.AssumedRoleUser?.Arn).toBe('arn:aws:sts::444455556666:assumed-role/Developer/mfa-session');
    await expect(session.send(new AssumeRoleCommand({ RoleArn: DEMO.developer, RoleSessionName: 'sess', DurationSeconds: 7200 }))).rejects.toMatchObject({
      message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    });
  });

  it('refuses session credentials and durations beyond 36 hours', async () => {
    const out = await alice().send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const session = stsClient(sandbox(), identityOf(out.Credentials));
    await expect(session.send(new GetSessionTokenCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: 'Cannot call GetSessionToken with session credentials',
    });
    // Without MFA the session does not satisfy the Developer trust policy.
    await expect(session.send(new AssumeRoleCommand({ RoleArn: DEMO.developer, RoleSessionName: 'sess' }))).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(alice().send(new GetSessionTokenCommand({ DurationSeconds: 129601 }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600",
    });
  });
});

describe('GetFederationToken', () => {
  it('issues a federated user that may call GetCallerIdentity but no other STS operation', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const out = await alice().send(new GetFederationTokenCommand({ Name: 'bob', Policy: policy }));
    expect(out.FederatedUser).toEqual({ FederatedUserId: '111122223333:bob', Arn: 'arn:aws:sts::111122223333:federated-user/bob' });
    expect(out.PackedPolicySize).toBeGreaterThan(0);
    const fed = stsClient(sandbox(), identityOf(out.Credentials));
    expect((await fed.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:sts::111122223333:federated-user/bob');
    await expect(fed.send(new AssumeRoleCommand({ RoleArn: DEMO.readOnly, RoleSessionName: 'sess' }))).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(fed.send(new GetFederationTokenCommand({ Name: 'carol' }))).rejects.toMatchObject({
      message: 'Cannot call GetFederationToken with session credentials',
    });
    await expect(alice().send(new GetFederationTokenCommand({ Name: 'b' }))).rejects.toMatchObject({
      message: "1 validation error detected: Value 'b' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 2",
    });
  });
});

describe('SigV4', () => {
  it('refuses a wrong secret, an unknown key, a wrong session token and expired credentials', async () => {
    const wrongSecret = stsClient(sandbox(), { ...DEMO.alice, secretAccessKey: 'x'.repeat(40) });
    await expect(wrongSecret.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      message: expect.stringContaining('The request signature we calculated does not match the signature you provided.'),
      $metadata: { httpStatusCode: 403 },
    });
    const unknown = stsClient(sandbox(), { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'y'.repeat(40) });
    await expect(unknown.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
    });
    const creds = await developerSession();
    for (const sessionToken of [undefined, `${creds.sessionToken}x`]) {
      await expect(stsClient(sandbox(), { ...creds, sessionToken }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
        name: 'InvalidClientTokenId',
      });
    }
    // Relative: an MFA code taken above may have moved the sandbox clock on a step.
    sandbox().state.clockOffsetMs += 3601_000;
    await expect(stsClient(sandbox(), creds).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'ExpiredToken',
      message: 'The security token included in the request is expired',
      $metadata: { httpStatusCode: 403 },
    });
  });
});

describe('SigV4 on the wire', () => {
  const read = async (res: Response) => {
    const text = await res.text();
    return { status: res.status, code: /<Code>(.*?)<\/Code>/.exec(text)?.[1], message: /<Message>(.*?)<\/Message>/.exec(text)?.[1], text };
  };
  const host = () => new URL(sandbox().url);
  const query = (q: Record<string, string | string[] | null>) =>
    Object.entries(q)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('&');

  it('accepts a presigned GetCallerIdentity URL, and refuses it once altered', async () => {
    const presigned = await stsSigner(DEMO.alice).presign(
      { method: 'GET', protocol: 'http:', hostname: host().hostname, port: Number(host().port), path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: { host: host().host } },
      { expiresIn: 60 },
    );
    const url = `${sandbox().url}/?${query(presigned.query ?? {})}`;
    const ok = await read(await fetch(url));
    expect(ok.status).toBe(200);
    expect(ok.text).toContain(`<Arn>${DEMO.aliceArn}</Arn>`);
    const altered = await read(await fetch(url.replace('Version=2011-06-15', 'Version=2011-06-15&DurationSeconds=900')));
    expect(altered).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });

  it('refuses a request signed 20 minutes ago, an unsigned one, and an unknown action', async () => {
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const sign = (signingDate?: Date, action = 'GetCallerIdentity') =>
      stsSigner(DEMO.alice).sign(
        {
          method: 'POST',
          protocol: 'http:',
          hostname: host().hostname,
          port: Number(host().port),
          path: '/',
          headers: { host: host().host, 'content-type': 'application/x-www-form-urlencoded' },
          body: body.replace('GetCallerIdentity', action),
        },
        { signingDate },
      );
    const old = await sign(new Date(Date.now() - 20 * 60_000));
    expect(await read(await fetch(`${sandbox().url}/`, { method: 'POST', headers: old.headers, body }))).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: expect.stringMatching(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z/),
    });
    const unsigned = await read(await fetch(`${sandbox().url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }));
    expect(unsigned).toMatchObject({ status: 403, code: 'MissingAuthenticationToken' });
    const unknown = await sign(undefined, 'MakeMeAdmin');
    expect(await read(await fetch(`${sandbox().url}/`, { method: 'POST', headers: unknown.headers, body: body.replace('GetCallerIdentity', 'MakeMeAdmin') }))).toMatchObject({
      status: 400,
      code: 'InvalidAction',
      message: 'Could not find operation MakeMeAdmin for version 2011-06-15',
    });
  });

  it('counts every unknown Action under one knob name, so made-up actions cannot grow the call counter', async () => {
    sandbox().knobs.resetCounts();
    for (const action of ['MakeMeAdmin', 'Nope1', 'Nope2', 'toString', '__proto__']) {
      const res = await fetch(`${sandbox().url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `Action=${action}&Version=2011-06-15`,
      });
      expect(await read(res)).toMatchObject({ status: 400, code: 'InvalidAction', message: `Could not find operation ${action} for version 2011-06-15` });
    }
    expect(Object.fromEntries(sandbox().knobs.calls)).toEqual({ [UNKNOWN_ACTION_OPERATION]: 5 });
  });
});

describe('knobs', () => {
  it('answers over the rate limit with STS\'s Throttling error', async () => {
    sandbox().knobs.set({ rateLimits: { 'sts:GetCallerIdentity': 1 } });
    await alice().send(new GetCallerIdentityCommand({}));
    await expect(alice().send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'Throttling',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('injects 500 and 503 faults as STS server errors; the SDK retries past one', async () => {
    sandbox().knobs.set({ faults: [{ operation: 'sts:GetCallerIdentity', kind: 'internal-error', count: 1 }] });
    await expect(alice().send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'InternalFailure',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
    sandbox().knobs.set({ faults: [{ operation: 'sts:AssumeRole', kind: 'unavailable', count: 1 }] });
    const retried = await stsClient(sandbox(), DEMO.alice, 3).send(new AssumeRoleCommand({ RoleArn: DEMO.readOnly, RoleSessionName: 'retry' }));
    expect(retried.AssumedRoleUser?.Arn).toBe('arn:aws:sts::444455556666:assumed-role/ReadOnly/retry');
    expect(sandbox().knobs.count('sts:AssumeRole')).toBeGreaterThanOrEqual(2);
  });
});
