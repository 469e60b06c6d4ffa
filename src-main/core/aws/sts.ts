// The STS calls the broker makes, through the AWS SDK, imported lazily so that the
// credential_process hot path never pays for it.
import type { Credentials } from '../../../src-shared/profile';
import { configuredEndpoint } from './endpoints';
import { fromSdkError } from './errors';
import { RolecallError } from '../errors';

export interface StsContext {
  region: string;
  env: NodeJS.ProcessEnv;
}

export interface IssuedCredentials extends Credentials {
  expiration: Date;
  /** The principal these credentials act as, when STS told us (AssumedRoleUser.Arn). */
  arn?: string;
}

type StsModule = typeof import('@aws-sdk/client-sts');
let stsModule: Promise<StsModule> | undefined;
const loadSts = () => (stsModule ??= import('@aws-sdk/client-sts'));

async function client(ctx: StsContext, credentials?: Credentials) {
  const { STSClient } = await loadSts();
  return new STSClient({
    region: ctx.region,
    endpoint: configuredEndpoint('sts', ctx.env),
    credentials: credentials && {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    },
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
  });
}

function issued(op: string, c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } | undefined, arn?: string): IssuedCredentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new RolecallError(`${op} answered without complete credentials`, 'aws-error');
  }
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration, arn };
}

export interface AssumeRoleInput {
  RoleArn: string;
  RoleSessionName: string;
  DurationSeconds?: number;
  ExternalId?: string;
  SerialNumber?: string;
  TokenCode?: string;
  SourceIdentity?: string;
  Tags?: { Key: string; Value: string }[];
  TransitiveTagKeys?: string[];
  Policy?: string;
  PolicyArns?: { arn: string }[];
}

export async function assumeRole(ctx: StsContext, parent: Credentials, input: AssumeRoleInput): Promise<IssuedCredentials> {
  const { AssumeRoleCommand } = await loadSts();
  try {
    const out = await (await client(ctx, parent)).send(new AssumeRoleCommand(input));
    return issued('AssumeRole', out.Credentials, out.AssumedRoleUser?.Arn);
  } catch (err) {
    throw fromSdkError(err, 'sts:AssumeRole');
  }
}

export async function getSessionToken(
  ctx: StsContext,
  user: Credentials,
  input: { DurationSeconds?: number; SerialNumber?: string; TokenCode?: string },
): Promise<IssuedCredentials> {
  const { GetSessionTokenCommand } = await loadSts();
  try {
    const out = await (await client(ctx, user)).send(new GetSessionTokenCommand(input));
    return issued('GetSessionToken', out.Credentials);
  } catch (err) {
    throw fromSdkError(err, 'sts:GetSessionToken');
  }
}

export async function assumeRoleWithWebIdentity(
  ctx: StsContext,
  input: { RoleArn: string; RoleSessionName: string; WebIdentityToken: string; DurationSeconds?: number },
): Promise<IssuedCredentials> {
  const { AssumeRoleWithWebIdentityCommand } = await loadSts();
  try {
    const out = await (await client(ctx)).send(new AssumeRoleWithWebIdentityCommand(input));
    return issued('AssumeRoleWithWebIdentity', out.Credentials, out.AssumedRoleUser?.Arn);
  } catch (err) {
    throw fromSdkError(err, 'sts:AssumeRoleWithWebIdentity');
  }
}

export interface CallerIdentity {
  Account: string;
  Arn: string;
  UserId: string;
}

export async function getCallerIdentity(ctx: StsContext, creds: Credentials): Promise<CallerIdentity> {
  const { GetCallerIdentityCommand } = await loadSts();
  try {
    const out = await (await client(ctx, creds)).send(new GetCallerIdentityCommand({}));
    return { Account: out.Account ?? '', Arn: out.Arn ?? '', UserId: out.UserId ?? '' };
  } catch (err) {
    throw fromSdkError(err, 'sts:GetCallerIdentity');
  }
}
