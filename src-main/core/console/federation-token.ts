// An IAM user's way into the console: the federation endpoint refuses user keys and
// GetSessionToken sessions, so Rolecall calls GetFederationToken with the user's long-term keys.
// Its session policy allows everything: AWS grants the intersection of it and the user's own
// policies, i.e. exactly the user's permissions (with no policy at all the session could do
// nothing). Such sessions never carry MFA context, whatever the user's device.
import type { Credentials } from '../../../src-shared/profile';
import { calledEndpoint, sdkClientConfig, withinBudget } from '../aws/client-config';
import { fromSdkError } from '../aws/errors';
import { getCallerIdentity, type IssuedCredentials, type StsContext } from '../aws/sts';
import { RolecallError } from '../errors';

/** Allows every action on every resource: the session keeps exactly the user's own permissions. */
export const ALLOW_ALL_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

/**
 * GetFederationToken's Name (2-32 of [\w+=,.@-]) from the IAM user's name: characters outside
 * the set become '-', a longer name is cut, a one-character one is padded with '-'.
 */
export function federatedUserName(userName: string): string {
  const name = userName.replace(/[^\w+=,.@-]/g, '-').slice(0, 32);
  return name.padEnd(2, '-');
}

/** The IAM user's name from its ARN (arn:aws:iam::123456789012:user/path/alice -> alice). */
export function userNameOf(arn: string): string {
  const m = /^arn:[\w-]+:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!m?.[1]) throw new RolecallError(`these keys are not an IAM user's (they belong to ${arn.slice(0, 200)})`, 'invalid-input');
  return m[1];
}

export interface FederatedSession extends IssuedCredentials {
  /** arn:aws:sts::ACCOUNT:federated-user/NAME */
  arn: string;
}

/** GetFederationToken for the user the keys belong to, lasting `durationSeconds` (the console session's length). */
export async function federationTokenFor(ctx: StsContext, user: Credentials, durationSeconds: number): Promise<FederatedSession> {
  if (user.sessionToken) throw new RolecallError('GetFederationToken needs an IAM user\'s long-term keys, not a session', 'invalid-input');
  const me = await getCallerIdentity(ctx, user);
  const Name = federatedUserName(userNameOf(me.Arn));
  const operation = 'sts:GetFederationToken';
  try {
    const { STSClient, GetFederationTokenCommand } = await import('@aws-sdk/client-sts');
    const client = new STSClient({ ...(await sdkClientConfig('sts', ctx.region, ctx.env)), credentials: user });
    const out = await withinBudget({ service: 'sts', ...ctx }, operation, (abortSignal) =>
      client.send(new GetFederationTokenCommand({ Name, Policy: ALLOW_ALL_POLICY, DurationSeconds: durationSeconds }), { abortSignal }),
    );
    const c = out.Credentials;
    const arn = out.FederatedUser?.Arn;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration || !arn) {
      throw new RolecallError('GetFederationToken answered without complete credentials', 'aws-error');
    }
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration, arn };
  } catch (err) {
    throw fromSdkError(err, operation, calledEndpoint('sts', ctx.region, ctx.env));
  }
}
