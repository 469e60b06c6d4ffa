// An OIDC role: AssumeRoleWithWebIdentity with the id_token of the integration's sign-in, renewed
// silently with its refresh token (oidc/manager.ts). A kind of its own rather than a web-identity
// profile with a second token source: the token file and the sign-in share nothing but the STS call,
// and a profile with exactly one of two optional fields would be checked in every reader.
import type { OidcRoleProfile } from '../../../src-shared/profile';
import { assumeRoleWithWebIdentity } from '../aws/sts';
import { RolecallError } from '../errors';
import { defaultSessionName } from './session-name';
import type { Provider, StepContext, StepResult } from './types';

export async function oidcRoleCredentials(profile: OidcRoleProfile, ctx: StepContext): Promise<StepResult> {
  if (!ctx.oidc) throw new RolecallError(`profile '${profile.name}': this Rolecall cannot sign in to OIDC integrations`, 'sign-in-required', `run: rolecall login oidc ${profile.integration}`);
  const { idToken, sessionName } = await ctx.oidc.idToken(profile.integration);
  const result = await assumeRoleWithWebIdentity(ctx.sts, {
    RoleArn: profile.roleArn,
    // The person's name where the token gives one, so CloudTrail says who assumed the role.
    RoleSessionName: profile.roleSessionName ?? sessionName ?? (await defaultSessionName(ctx)),
    WebIdentityToken: idToken,
    DurationSeconds: profile.durationSeconds,
  });
  return { ...result, credentialType: 'role', durationAsked: profile.durationSeconds };
}

export const oidcRoleProvider: Provider<OidcRoleProfile> = {
  parent: () => undefined,
  issuesSession: () => true,
  credentials: oidcRoleCredentials,
};
