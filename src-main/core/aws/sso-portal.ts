// GetRoleCredentials from the Identity Center portal, through the AWS SDK (imported lazily).
import { z } from 'zod';
import { calledEndpoint, sdkClientConfig, serviceName, withinBudget, type CallDeadline } from './client-config';
import { fromSdkError } from './errors';
import type { IssuedCredentials } from './sts';
import { RolecallError } from '../errors';

// The SDK copies the JSON as it comes ("secretAccessKey":{} stays an object, "expiration":" " a
// string), so the answer is checked against the portal's model (RoleCredentials: three strings
// and a Long of epoch milliseconds) before anything is stored or printed.
const nonEmpty = (field: string) => z.string({ error: (i) => (i.input === undefined ? `no ${field}` : `${field} is not a string`) }).min(1, `${field} is empty`);
const RoleCredentials = z.object(
  {
    accessKeyId: nonEmpty('accessKeyId'),
    secretAccessKey: nonEmpty('secretAccessKey'),
    sessionToken: nonEmpty('sessionToken'),
    expiration: z
      .number({ error: (i) => (i.input === undefined ? 'no expiration' : 'expiration is not a number of epoch milliseconds') })
      // A Date holds at most 8.64e15 ms either side of 1970; past that it is Invalid Date.
      .refine((ms) => !Number.isNaN(new Date(ms).getTime()), 'expiration is not a time'),
  },
  { error: (i) => (i.input === undefined || i.input === null ? 'no roleCredentials' : 'roleCredentials is not an object') },
);

/** The answer's credentials, or one line saying why they cannot be used (never quoting a value). */
export function portalCredentials(roleCredentials: unknown, url: string, now = Date.now()): IssuedCredentials {
  const refuse = (why: string) =>
    new RolecallError(`${serviceName.sso} sent credentials Rolecall cannot use (sso:GetRoleCredentials: ${why})`, 'aws-error', `if it persists, check what answers at ${url}`);
  const parsed = RoleCredentials.safeParse(roleCredentials);
  if (!parsed.success) throw refuse(parsed.error.issues[0]?.message ?? 'not credentials');
  const c = parsed.data;
  // Already over: served, they would only be refused by AWS (and botocore would ask again at once).
  if (c.expiration <= now) throw refuse('their expiration has passed; check this computer\'s clock');
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: new Date(c.expiration) };
}

export async function getRoleCredentials(
  input: { region: string; accessToken: string; accountId: string; roleName: string },
  env: NodeJS.ProcessEnv,
  budget: CallDeadline = {},
): Promise<IssuedCredentials> {
  const { SSOClient, GetRoleCredentialsCommand } = await import('@aws-sdk/client-sso');
  const sso = new SSOClient(await sdkClientConfig('sso', input.region, env));
  const endpoint = calledEndpoint('sso', input.region, env);
  try {
    const command = new GetRoleCredentialsCommand({ accessToken: input.accessToken, accountId: input.accountId, roleName: input.roleName });
    const out = await withinBudget({ service: 'sso', region: input.region, env, ...budget }, 'sso:GetRoleCredentials', (abortSignal) => sso.send(command, { abortSignal }));
    return portalCredentials(out.roleCredentials, endpoint.url);
  } catch (err) {
    throw fromSdkError(err, 'sso:GetRoleCredentials', endpoint);
  }
}
