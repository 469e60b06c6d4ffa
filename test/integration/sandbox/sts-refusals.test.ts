// What AWS refuses and a lenient imitation would let through, through the JS SDK and Debian's
// AWS CLI v2: an MFA code sent a second time, a chained hop whose caller carries transitive tags
// or a source identity to a role that does not allow them, and keys signed for a region of
// another partition.
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import type { OrganizationInput } from '../../sandbox/org';
import { DEMO, identityOf, loadDemoOrg, mfaCode, runAwsCli, stsClient, useDemoSandbox, type AwsCredentialIdentity, type CliResult } from './sts-fixtures';

const sandbox = useDemoSandbox();
const alice = () => stsClient(sandbox(), DEMO.alice);
const REUSED = 'MultiFactorAuthentication failed with invalid MFA one time pass code. ';

const cliError = (r: CliResult, code: string, operation: string, message: string) => {
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim()).toBe(`An error occurred (${code}) when calling the ${operation} operation: ${message.trim()}`);
};

describe('an MFA code is good for one call', () => {
  it('refuses a code already used for the device, on any operation, and takes the next one', async () => {
    const code = mfaCode(sandbox());
    await expect(alice().send(new GetSessionTokenCommand({ SerialNumber: DEMO.mfaSerial, TokenCode: code }))).resolves.toBeDefined();
    // A retry of the same call...
    await expect(alice().send(new GetSessionTokenCommand({ SerialNumber: DEMO.mfaSerial, TokenCode: code }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: REUSED,
      $metadata: { httpStatusCode: 403 },
    });
    // ...or another hop with it.
    await expect(
      alice().send(new AssumeRoleCommand({ RoleArn: DEMO.developer, RoleSessionName: 'again', SerialNumber: DEMO.mfaSerial, TokenCode: code })),
    ).rejects.toMatchObject({ name: 'AccessDenied', message: REUSED });
    const next = mfaCode(sandbox());
    expect(next).not.toBe(code);
    await expect(
      alice().send(new AssumeRoleCommand({ RoleArn: DEMO.developer, RoleSessionName: 'next', SerialNumber: DEMO.mfaSerial, TokenCode: next })),
    ).resolves.toMatchObject({ AssumedRoleUser: { Arn: 'arn:aws:sts::444455556666:assumed-role/Developer/next' } });
  });

  it('refuses a wrong code without spending the right one', async () => {
    const code = mfaCode(sandbox());
    const wrong = code === '000000' ? '111111' : '000000';
    await expect(alice().send(new GetSessionTokenCommand({ SerialNumber: DEMO.mfaSerial, TokenCode: wrong }))).rejects.toMatchObject({ message: REUSED });
    await expect(alice().send(new GetSessionTokenCommand({ SerialNumber: DEMO.mfaSerial, TokenCode: code }))).resolves.toBeDefined();
  });

  it('lets only one of two AWS CLI processes sending the same code at once through', async () => {
    const code = mfaCode(sandbox());
    const args = ['sts', 'get-session-token', '--serial-number', DEMO.mfaSerial, '--token-code', code];
    const runs = await Promise.all([runAwsCli(sandbox(), args, DEMO.alice), runAwsCli(sandbox(), args, DEMO.alice)]);
    const [ok, refused] = runs[0]?.code === 0 ? runs : [runs[1], runs[0]];
    expect(ok?.code).toBe(0);
    expect((JSON.parse(ok?.stdout ?? '{}') as { Credentials?: { AccessKeyId?: string } }).Credentials?.AccessKeyId).toMatch(/^ASIA/);
    cliError(refused!, 'AccessDenied', 'GetSessionToken', REUSED);
  });
});

describe('SigV4 scopes and partitions', () => {
  const gov = useDemoSandbox({ org: { ...loadDemoOrg(), partition: 'aws-us-gov', region: 'us-gov-west-1' } });
  /** alice's client, signing for `region`. */
  const signedFor = (endpoint: { url: string }, region: string) => new STSClient({ endpoint: endpoint.url, region, maxAttempts: 1, credentials: DEMO.alice });

  it('knows no key signed for a region of another partition (InvalidClientTokenId)', async () => {
    await expect(signedFor(sandbox(), 'eu-west-1').send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Arn: DEMO.aliceArn });
    for (const region of ['us-gov-west-1', 'cn-north-1']) {
      await expect(signedFor(sandbox(), region).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
        name: 'InvalidClientTokenId',
        message: 'The security token included in the request is invalid.',
        $metadata: { httpStatusCode: 403 },
      });
    }
    // An organization in GovCloud takes its own regions and refuses the commercial ones.
    await expect(signedFor(gov(), 'us-gov-east-1').send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
      Arn: 'arn:aws-us-gov:iam::111122223333:user/alice',
    });
    await expect(signedFor(gov(), 'us-east-1').send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
  });

  it('refuses the AWS CLI signing for another partition the same way', async () => {
    const [china, commercial] = await Promise.all([
      runAwsCli(sandbox(), ['--region', 'cn-north-1', 'sts', 'get-caller-identity'], DEMO.alice),
      runAwsCli(gov(), ['sts', 'get-caller-identity'], DEMO.alice),
    ]);
    cliError(china, 'InvalidClientTokenId', 'GetCallerIdentity', 'The security token included in the request is invalid.');
    cliError(commercial, 'InvalidClientTokenId', 'GetCallerIdentity', 'The security token included in the request is invalid.');
  });
});

describe('what a chained caller carries must be allowed by the next role', () => {
  const A = '111111111111';
  const B = '222222222222';
  const frank = { accessKeyId: 'AKIAFRANKFRANKFRANK1', secretAccessKey: 'sandbox-only-frank-secret-0123456789abcd' };
  const role = (name: string, trusted: string, actions: string[]) => ({
    accountId: B,
    name,
    trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: trusted }, Action: actions }] },
  });
  const arn = (name: string) => `arn:aws:iam::${B}:role/${name}`;
  const org: OrganizationInput = {
    accounts: [
      { id: A, name: 'people' },
      { id: B, name: 'workloads' },
    ],
    users: [{ accountId: A, name: 'frank', accessKeys: [frank] }],
    roles: [
      role('First', A, ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']),
      role('AssumeOnly', arn('First'), ['sts:AssumeRole']),
      role('TagsToo', arn('First'), ['sts:AssumeRole', 'sts:TagSession']),
      role('SourceToo', arn('First'), ['sts:AssumeRole', 'sts:SetSourceIdentity']),
    ],
  };
  const chain = useDemoSandbox({ org });
  const first = async (extra: { tagged?: boolean; sourced?: boolean }): Promise<AwsCredentialIdentity> =>
    identityOf(
      (
        await stsClient(chain(), frank).send(
          new AssumeRoleCommand({
            RoleArn: arn('First'),
            RoleSessionName: 'frank',
            ...(extra.tagged ? { Tags: [{ Key: 'team', Value: 'platform' }], TransitiveTagKeys: ['team'] } : {}),
            ...(extra.sourced ? { SourceIdentity: 'frank' } : {}),
          }),
        )
      ).Credentials,
    );
  const cliAssume = (creds: AwsCredentialIdentity, name: string) =>
    runAwsCli(chain(), ['sts', 'assume-role', '--role-arn', arn(name), '--role-session-name', 'frank'], creds);
  const denied = (action: string, name: string) => `User: arn:aws:sts::${B}:assumed-role/First/frank is not authorized to perform: ${action} on resource: ${arn(name)}`;

  it('refuses transitive tags without sts:TagSession and a source identity without sts:SetSourceIdentity (SDK)', async () => {
    const tagged = await first({ tagged: true });
    await expect(stsClient(chain(), tagged).send(new AssumeRoleCommand({ RoleArn: arn('AssumeOnly'), RoleSessionName: 'frank' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: denied('sts:TagSession', 'AssumeOnly'),
    });
    await expect(stsClient(chain(), tagged).send(new AssumeRoleCommand({ RoleArn: arn('TagsToo'), RoleSessionName: 'frank' }))).resolves.toBeDefined();
    const sourced = await first({ sourced: true });
    await expect(stsClient(chain(), sourced).send(new AssumeRoleCommand({ RoleArn: arn('TagsToo'), RoleSessionName: 'frank' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: denied('sts:SetSourceIdentity', 'TagsToo'),
    });
    await expect(stsClient(chain(), sourced).send(new AssumeRoleCommand({ RoleArn: arn('SourceToo'), RoleSessionName: 'frank' }))).resolves.toMatchObject({
      SourceIdentity: 'frank',
    });
    // A caller carrying neither needs neither.
    await expect(stsClient(chain(), await first({})).send(new AssumeRoleCommand({ RoleArn: arn('AssumeOnly'), RoleSessionName: 'frank' }))).resolves.toBeDefined();
  });

  it('refuses the same hops through the AWS CLI', async () => {
    const [tagged, sourced] = await Promise.all([first({ tagged: true }), first({ sourced: true })]);
    const [taggedRun, sourcedRun, allowedRun] = await Promise.all([cliAssume(tagged, 'AssumeOnly'), cliAssume(sourced, 'TagsToo'), cliAssume(sourced, 'SourceToo')]);
    cliError(taggedRun, 'AccessDenied', 'AssumeRole', denied('sts:TagSession', 'AssumeOnly'));
    cliError(sourcedRun, 'AccessDenied', 'AssumeRole', denied('sts:SetSourceIdentity', 'TagsToo'));
    expect(allowedRun.code).toBe(0);
    expect((JSON.parse(allowedRun.stdout) as { SourceIdentity?: string }).SourceIdentity).toBe('frank');
  });
});
