// Trust policies as AssumeRole callers meet them: principal forms, Deny over Allow, conditions
// (StringLike, IfExists), sts:TagSession for tags, transitive tags and source identity carried
// down a role chain. A small organization written for these cases.
import { AssumeRoleCommand, type Tag } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import type { OrganizationInput } from '../../sandbox/org';
import { identityOf, stsClient, useDemoSandbox, type AwsCredentialIdentity } from './sts-fixtures';

const A = '111111111111';
const B = '222222222222';
const carol = { accessKeyId: 'AKIACAROLCAROLCAROL1', secretAccessKey: 'sandbox-only-carol-secret-0123456789abcd' };
const dave = { accessKeyId: 'AKIADAVEDAVEDAVEDAV1', secretAccessKey: 'sandbox-only-dave-secret-0123456789abcde' };
const role = (name: string, ...Statement: Array<Record<string, unknown>>) => ({ accountId: B, name, trustPolicy: { Version: '2012-10-17', Statement } });
const arn = (name: string) => `arn:aws:iam::${B}:role/${name}`;

const org: OrganizationInput = {
  accounts: [
    { id: A, name: 'people' },
    { id: B, name: 'workloads' },
  ],
  users: [
    { accountId: A, name: 'carol', accessKeys: [carol] },
    { accountId: A, name: 'dave', accessKeys: [dave] },
  ],
  roles: [
    role('ByAccountId', { Effect: 'Allow', Principal: { AWS: A }, Action: 'sts:AssumeRole' }),
    role('CarolOnly', { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/carol` }, Action: 'sts:AssumeRole' }),
    role('ServiceOnly', { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    role(
      'Tagged',
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: ['sts:AssumeRole', 'sts:TagSession'], Condition: { StringLike: { 'aws:RequestTag/team': 'plat*' } } },
      { Effect: 'Deny', Principal: '*', Action: 'sts:*', Condition: { StringEquals: { 'aws:RequestTag/env': 'prod' } } },
    ),
    // A caller with transitive tags passes them on, so the next role must allow sts:TagSession too.
    role('NeedsTeamTag', { Effect: 'Allow', Principal: { AWS: arn('Tagged') }, Action: ['sts:AssumeRole', 'sts:TagSession'], Condition: { StringEquals: { 'aws:PrincipalTag/team': 'platform' } } }),
    role('UntaggedNext', { Effect: 'Allow', Principal: { AWS: arn('Tagged') }, Action: 'sts:AssumeRole' }),
    role('ExternalIdIfExists', { Effect: 'Allow', Principal: { AWS: A }, Action: 'sts:AssumeRole', Condition: { StringEqualsIfExists: { 'sts:ExternalId': 'abc-123' } } }),
    role('Sourced', { Effect: 'Allow', Principal: { AWS: A }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'] }),
    role('SourcedNext', { Effect: 'Allow', Principal: { AWS: arn('Sourced') }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'] }),
    role('UnsourcedNext', { Effect: 'Allow', Principal: { AWS: arn('Sourced') }, Action: 'sts:AssumeRole' }),
  ],
};

const sandbox = useDemoSandbox({ org });

const assume = (creds: AwsCredentialIdentity, name: string, extra: { Tags?: Tag[]; TransitiveTagKeys?: string[]; ExternalId?: string; SourceIdentity?: string } = {}) =>
  stsClient(sandbox(), creds).send(new AssumeRoleCommand({ RoleArn: arn(name), RoleSessionName: 'trust-test', ...extra }));
const deniedFor = (caller: string, action: string, name: string) => ({
  name: 'AccessDenied',
  message: `User: ${caller} is not authorized to perform: ${action} on resource: ${arn(name)}`,
});
const carolArn = `arn:aws:iam::${A}:user/carol`;
/** What a granted AssumeRole answers: the session of that role, named as asked. */
const grants = (name: string) => ({ AssumedRoleUser: { Arn: `arn:aws:sts::${B}:assumed-role/${name}/trust-test` }, Credentials: { AccessKeyId: expect.stringMatching(/^ASIA/) } });

describe('trust policy principals', () => {
  it('matches an account id, a user ARN, and never a user against a Service principal', async () => {
    await expect(assume(carol, 'ByAccountId')).resolves.toMatchObject({ AssumedRoleUser: { Arn: `arn:aws:sts::${B}:assumed-role/ByAccountId/trust-test` } });
    await expect(assume(carol, 'CarolOnly')).resolves.toMatchObject(grants('CarolOnly'));
    await expect(assume(dave, 'CarolOnly')).rejects.toMatchObject(deniedFor(`arn:aws:iam::${A}:user/dave`, 'sts:AssumeRole', 'CarolOnly'));
    await expect(assume(carol, 'ServiceOnly')).rejects.toMatchObject(deniedFor(carolArn, 'sts:AssumeRole', 'ServiceOnly'));
  });
});

describe('trust policy actions and conditions', () => {
  it('asks for sts:TagSession when tags are passed', async () => {
    await expect(assume(carol, 'ByAccountId', { Tags: [{ Key: 'team', Value: 'platform' }] })).rejects.toMatchObject(
      deniedFor(carolArn, 'sts:TagSession', 'ByAccountId'),
    );
  });

  it('evaluates StringLike on request tags, and an explicit Deny beats the Allow', async () => {
    await expect(assume(carol, 'Tagged', { Tags: [{ Key: 'team', Value: 'platform' }] })).resolves.toMatchObject(grants('Tagged'));
    await expect(assume(carol, 'Tagged', { Tags: [{ Key: 'team', Value: 'data' }] })).rejects.toMatchObject(deniedFor(carolArn, 'sts:AssumeRole', 'Tagged'));
    await expect(
      assume(carol, 'Tagged', {
        Tags: [
          { Key: 'team', Value: 'platform' },
          { Key: 'env', Value: 'prod' },
        ],
      }),
    ).rejects.toMatchObject(deniedFor(carolArn, 'sts:AssumeRole', 'Tagged'));
  });

  it('lets an IfExists condition pass when the key is absent, but not when it differs', async () => {
    await expect(assume(carol, 'ExternalIdIfExists')).resolves.toMatchObject(grants('ExternalIdIfExists'));
    await expect(assume(carol, 'ExternalIdIfExists', { ExternalId: 'abc-123' })).resolves.toMatchObject(grants('ExternalIdIfExists'));
    await expect(assume(carol, 'ExternalIdIfExists', { ExternalId: 'zzz-999' })).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});

describe('what a role chain carries', () => {
  it('carries transitive tags to the next hop, and only transitive ones', async () => {
    const tags = [{ Key: 'team', Value: 'platform' }];
    const transitive = identityOf((await assume(carol, 'Tagged', { Tags: tags, TransitiveTagKeys: ['team'] })).Credentials);
    await expect(assume(transitive, 'NeedsTeamTag')).resolves.toMatchObject({ AssumedRoleUser: { Arn: expect.stringContaining('NeedsTeamTag') } });
    const plain = identityOf((await assume(carol, 'Tagged', { Tags: tags })).Credentials);
    await expect(assume(plain, 'NeedsTeamTag')).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(assume(transitive, 'NeedsTeamTag', { Tags: [{ Key: 'team', Value: 'other' }] })).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('asks the next role for sts:TagSession when the caller carries transitive tags, even with no Tags passed', async () => {
    const tags = [{ Key: 'team', Value: 'platform' }];
    const transitive = await assume(carol, 'Tagged', { Tags: tags, TransitiveTagKeys: ['team'] });
    const caller = transitive.AssumedRoleUser?.Arn ?? '';
    await expect(assume(identityOf(transitive.Credentials), 'UntaggedNext')).rejects.toMatchObject(deniedFor(caller, 'sts:TagSession', 'UntaggedNext'));
    // Tags that were not transitive stay behind, and ask nothing of the next role.
    const plain = identityOf((await assume(carol, 'Tagged', { Tags: tags })).Credentials);
    await expect(assume(plain, 'UntaggedNext')).resolves.toMatchObject(grants('UntaggedNext'));
  });

  it('asks every later role for sts:SetSourceIdentity once the chain has a source identity', async () => {
    const sourced = await assume(carol, 'Sourced', { SourceIdentity: 'carol' });
    const caller = sourced.AssumedRoleUser?.Arn ?? '';
    await expect(assume(identityOf(sourced.Credentials), 'UnsourcedNext')).rejects.toMatchObject(deniedFor(caller, 'sts:SetSourceIdentity', 'UnsourcedNext'));
    const unsourced = identityOf((await assume(carol, 'Sourced')).Credentials);
    await expect(assume(unsourced, 'UnsourcedNext')).resolves.toMatchObject(grants('UnsourcedNext'));
  });

  it('keeps the source identity for the rest of the chain and refuses changing it', async () => {
    const first = await assume(carol, 'Sourced', { SourceIdentity: 'carol' });
    expect(first.SourceIdentity).toBe('carol');
    const creds = identityOf(first.Credentials);
    await expect(assume(creds, 'SourcedNext')).resolves.toMatchObject({ SourceIdentity: 'carol' });
    await expect(assume(creds, 'SourcedNext', { SourceIdentity: 'mallory' })).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
