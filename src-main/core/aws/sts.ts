// The STS calls the broker makes, through the AWS SDK, imported lazily so that the
// credential_process hot path never pays for it.
import type { Credentials } from '../../../src-shared/profile';
import { CALL_BUDGET_MS, calledEndpoint, sdkClientConfig, withinBudget, type CallDeadline } from './client-config';
import { fromSdkError } from './errors';
import { RolecallError } from '../errors';

export interface StsContext extends CallDeadline {
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

async function client(ctx: StsContext, credentials?: Credentials, retries = true) {
  const { STSClient } = await loadSts();
  return new STSClient({
    // The one attempt of a call that cannot be retried may take the whole budget: a slow answer
    // (a loaded machine, a slow link) is still an answer, and cutting it short spends the code.
    ...(await sdkClientConfig('sts', ctx.region, ctx.env, retries ? {} : { retries, responseTimeoutMs: CALL_BUDGET_MS })),
    credentials: credentials && {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    },
  });
}

type StsClient = Awaited<ReturnType<typeof client>>;

/**
 * One STS call within the context's budget; errors name the endpoint. A call carrying an MFA
 * TokenCode is tried once: each code works once, and AWS may have spent it on an attempt whose
 * answer was lost (a 5xx or a response timeout), so a retry would only be refused as a reused code.
 */
async function send<T>(
  ctx: StsContext,
  credentials: Credentials | undefined,
  operation: string,
  call: (c: StsClient, abortSignal: AbortSignal) => Promise<T>,
  input?: { TokenCode?: string },
): Promise<T> {
  try {
    const c = await client(ctx, credentials, !input?.TokenCode);
    return await withinBudget({ service: 'sts', ...ctx }, operation, (abortSignal) => call(c, abortSignal));
  } catch (err) {
    throw fromSdkError(err, operation, calledEndpoint('sts', ctx.region, ctx.env));
  }
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
  const out = await send(ctx, parent, 'sts:AssumeRole', (c, abortSignal) => c.send(new AssumeRoleCommand(input), { abortSignal }), input);
  return issued('AssumeRole', out.Credentials, out.AssumedRoleUser?.Arn);
}

export async function getSessionToken(
  ctx: StsContext,
  user: Credentials,
  input: { DurationSeconds?: number; SerialNumber?: string; TokenCode?: string },
): Promise<IssuedCredentials> {
  const { GetSessionTokenCommand } = await loadSts();
  const out = await send(ctx, user, 'sts:GetSessionToken', (c, abortSignal) => c.send(new GetSessionTokenCommand(input), { abortSignal }), input);
  return issued('GetSessionToken', out.Credentials);
}

export async function assumeRoleWithWebIdentity(
  ctx: StsContext,
  input: { RoleArn: string; RoleSessionName: string; WebIdentityToken: string; DurationSeconds?: number },
): Promise<IssuedCredentials> {
  const { AssumeRoleWithWebIdentityCommand } = await loadSts();
  const out = await send(ctx, undefined, 'sts:AssumeRoleWithWebIdentity', (c, abortSignal) => c.send(new AssumeRoleWithWebIdentityCommand(input), { abortSignal }));
  return issued('AssumeRoleWithWebIdentity', out.Credentials, out.AssumedRoleUser?.Arn);
}

export async function assumeRoleWithSAML(
  ctx: StsContext,
  input: { RoleArn: string; PrincipalArn: string; SAMLAssertion: string; DurationSeconds?: number },
): Promise<IssuedCredentials> {
  const { AssumeRoleWithSAMLCommand } = await loadSts();
  const out = await send(ctx, undefined, 'sts:AssumeRoleWithSAML', (c, abortSignal) => c.send(new AssumeRoleWithSAMLCommand(input), { abortSignal }));
  return issued('AssumeRoleWithSAML', out.Credentials, out.AssumedRoleUser?.Arn);
}

export interface CallerIdentity {
  Account: string;
  Arn: string;
  UserId: string;
}

export async function getCallerIdentity(ctx: StsContext, creds: Credentials): Promise<CallerIdentity> {
  const { GetCallerIdentityCommand } = await loadSts();
  const out = await send(ctx, creds, 'sts:GetCallerIdentity', (c, abortSignal) => c.send(new GetCallerIdentityCommand({}), { abortSignal }));
  return { Account: out.Account ?? '', Arn: out.Arn ?? '', UserId: out.UserId ?? '' };
}
