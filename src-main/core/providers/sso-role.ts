// Identity Center role: GetRoleCredentials with the instance's access token.
import type { SsoRoleProfile } from '../../../src-shared/profile';
import { AwsCallError } from '../aws/errors';
import { getRoleCredentials } from '../aws/sso-portal';
import { RolecallError } from '../errors';
import type { Provider, StepContext, StepResult } from './types';

export async function ssoRoleCredentials(profile: SsoRoleProfile, ctx: StepContext): Promise<StepResult> {
  const session = ctx.ssoSessions.find((s) => s.name === profile.ssoSession);
  if (!session) {
    throw new RolecallError(`profile '${profile.name}': no Identity Center instance named '${profile.ssoSession}'`, 'not-found', 'run: rolecall list');
  }
  const { accessToken } = await ctx.sso.accessToken(session.name, ctx.env);
  try {
    const creds = await getRoleCredentials({ region: session.region, accessToken, accountId: profile.accountId, roleName: profile.roleName }, ctx.env, { deadline: ctx.sts.deadline });
    return { ...creds, credentialType: 'role' };
  } catch (err) {
    if (err instanceof AwsCallError && err.awsCode === 'UnauthorizedException') {
      await ctx.sso.rejected?.(session.name, accessToken);
      throw new RolecallError(`profile '${profile.name}': the Identity Center session for ${session.name} expired`, 'sign-in-required', `run: rolecall login sso ${session.name}`, { cause: err });
    }
    if (err instanceof AwsCallError && /Forbidden|ResourceNotFound/.test(err.awsCode)) {
      throw new RolecallError(
        `profile '${profile.name}': ${session.name} no longer grants ${profile.roleName} in account ${profile.accountId}`,
        'access-denied',
        `run: rolecall sync ${session.name}`,
        { cause: err },
      );
    }
    throw err;
  }
}

export const ssoRoleProvider: Provider<SsoRoleProfile> = {
  parent: () => undefined,
  issuesSession: () => true,
  credentials: ssoRoleCredentials,
};
