// GetRoleCredentials from the Identity Center portal, through the AWS SDK (imported lazily).
import { calledEndpoint, sdkClientConfig, withinBudget, type CallDeadline } from './client-config';
import { fromSdkError } from './errors';
import type { IssuedCredentials } from './sts';
import { RolecallError } from '../errors';

export async function getRoleCredentials(
  input: { region: string; accessToken: string; accountId: string; roleName: string },
  env: NodeJS.ProcessEnv,
  budget: CallDeadline = {},
): Promise<IssuedCredentials> {
  const { SSOClient, GetRoleCredentialsCommand } = await import('@aws-sdk/client-sso');
  const sso = new SSOClient(await sdkClientConfig('sso', input.region, env));
  try {
    const command = new GetRoleCredentialsCommand({ accessToken: input.accessToken, accountId: input.accountId, roleName: input.roleName });
    const out = await withinBudget({ service: 'sso', region: input.region, env, ...budget }, 'sso:GetRoleCredentials', (abortSignal) => sso.send(command, { abortSignal }));
    const c = out.roleCredentials;
    if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken || !c.expiration) {
      throw new RolecallError('GetRoleCredentials answered without complete credentials', 'aws-error');
    }
    // The portal gives expiration in epoch milliseconds.
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: new Date(c.expiration) };
  } catch (err) {
    throw fromSdkError(err, 'sso:GetRoleCredentials', calledEndpoint('sso', input.region, env));
  }
}
