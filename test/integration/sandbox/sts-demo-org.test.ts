// The demo organization (demo-org.json), loaded through parseOrganization as `npm run sandbox`
// loads it: its accounts, roles and Identity Center are what the demo promises, and the
// 3-hop cross-account chain alice -> Developer -> Deployer -> Auditor works end to end.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { DEMO, identityOf, loadDemoOrg, mfaCode, stsClient, useDemoSandbox } from './sts-fixtures';

const sandbox = useDemoSandbox();

describe('demo-org.json', () => {
  it('describes the Acme organization the demo promises', () => {
    const org = loadDemoOrg();
    expect(org.accounts.map((a) => `${a.id} ${a.name}`)).toEqual([
      '111122223333 acme-identity',
      '444455556666 acme-dev',
      '777788889999 acme-prod',
      '210987654321 acme-audit',
    ]);
    expect(Object.fromEntries(org.roles.map((r) => [`${r.accountId}/${r.name}`, r.maxSessionDuration]))).toMatchObject({
      '444455556666/Developer': 43200,
      '444455556666/ReadOnly': 14400,
      '777788889999/Deployer': 7200,
      '210987654321/Auditor': 7200,
    });
    const ic = org.identityCenter[0];
    expect(ic).toMatchObject({ startUrl: 'https://d-90677c3a1b.awsapps.com/start', region: 'us-east-1' });
    expect(ic?.users[0]?.userName).toBe('alice');
    expect(ic?.users[0]?.assignments.map((a) => `${a.accountId}:${a.roleName}`)).toEqual([
      '444455556666:AdministratorAccess',
      '444455556666:ReadOnlyAccess',
      '777788889999:ReadOnlyAccess',
      '777788889999:PowerUserAccess',
      '210987654321:ReadOnlyAccess',
    ]);
  });

  it('chains alice (MFA) -> Developer -> Deployer -> Auditor, carrying source identity and MFA-ness', async () => {
    const dev = await stsClient(sandbox(), DEMO.alice).send(
      new AssumeRoleCommand({
        RoleArn: DEMO.developer,
        RoleSessionName: 'alice',
        SerialNumber: DEMO.mfaSerial,
        TokenCode: mfaCode(sandbox()),
        SourceIdentity: 'alice',
        Tags: [{ Key: 'project', Value: 'rolecall' }],
        TransitiveTagKeys: ['project'],
        DurationSeconds: 43200,
      }),
    );
    expect(dev.Credentials?.Expiration?.getTime()).toBeGreaterThan(Date.now() + 43100_000);
    const deployer = await stsClient(sandbox(), identityOf(dev.Credentials)).send(new AssumeRoleCommand({ RoleArn: DEMO.deployer, RoleSessionName: 'alice' }));
    expect(deployer.SourceIdentity).toBe('alice');
    const deployerClient = stsClient(sandbox(), identityOf(deployer.Credentials));
    await expect(deployerClient.send(new AssumeRoleCommand({ RoleArn: DEMO.auditor, RoleSessionName: 'alice', ExternalId: 'wrong-id' }))).rejects.toMatchObject({
      name: 'AccessDenied',
    });
    await expect(
      deployerClient.send(new AssumeRoleCommand({ RoleArn: DEMO.auditor, RoleSessionName: 'alice', ExternalId: DEMO.auditorExternalId, DurationSeconds: 7200 })),
    ).rejects.toMatchObject({ message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.' });
    const auditor = await deployerClient.send(new AssumeRoleCommand({ RoleArn: DEMO.auditor, RoleSessionName: 'alice', ExternalId: DEMO.auditorExternalId }));
    const id = await stsClient(sandbox(), identityOf(auditor.Credentials)).send(new GetCallerIdentityCommand({}));
    expect(id).toMatchObject({ Arn: 'arn:aws:sts::210987654321:assumed-role/Auditor/alice', Account: '210987654321' });
    const record = sandbox().state.credentials.get(auditor.Credentials?.AccessKeyId ?? '');
    expect(record).toMatchObject({ roleChained: true, mfaAuthenticated: true, sourceIdentity: 'alice', transitiveTags: { project: 'rolecall' } });
  });

  it('accepts Identity Center role credentials the portal issues, as the role session they are', async () => {
    const roleArn = 'arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef';
    const sso = sandbox().state.issue(
      {
        kind: 'assumed-role',
        accountId: '444455556666',
        arn: 'arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice',
        userId: `${sandbox().state.uniqueIdFor(roleArn, 'AROA')}:alice`,
        roleArn,
        mfaAuthenticated: false,
        roleChained: false,
        issuedBy: 'GetRoleCredentials',
      },
      3600,
    );
    const client = stsClient(sandbox(), { accessKeyId: sso.accessKeyId, secretAccessKey: sso.secretAccessKey, sessionToken: sso.sessionToken });
    expect((await client.send(new GetCallerIdentityCommand({}))).Arn).toBe(sso.arn);
    await expect(client.send(new AssumeRoleCommand({ RoleArn: DEMO.deployer, RoleSessionName: 'alice' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: ${sso.arn} is not authorized to perform: sts:AssumeRole on resource: ${DEMO.deployer}`,
    });
  });

  it('is what `npm run sandbox` serves by default', async () => {
    const child = spawn('node_modules/.bin/tsx', ['test/sandbox/main.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const id = await stsClient({ url }, DEMO.alice).send(new GetCallerIdentityCommand({}));
      expect(id.Arn).toBe(DEMO.aliceArn);
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
  });
});
