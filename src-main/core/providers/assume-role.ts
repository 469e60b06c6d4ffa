// AssumeRole from the parent's credentials. A parent holding role or GetSessionToken
// credentials makes this hop role chaining, which AWS caps at one hour: we ask for at most
// 3600 seconds there and say so, instead of provoking STS's ValidationError.
import type { AssumeRoleProfile } from '../../../src-shared/profile';
import { RolecallError } from '../errors';
import { assumeRole } from '../aws/sts';
import { defaultSessionName } from './session-name';
import type { Provider, StepContext, StepResult } from './types';

export const CHAINED_SESSION_LIMIT_SECONDS = 3600;
const DEFAULT_DURATION_SECONDS = 3600;

export const isRoleChaining = (parent: StepResult) => parent.credentialType !== 'iam-user';

export async function assumeRoleCredentials(profile: AssumeRoleProfile, ctx: StepContext): Promise<StepResult> {
  const parent = ctx.parent;
  if (!parent) throw new RolecallError(`profile '${profile.name}': no source credentials`, 'invalid-input');
  const asked = profile.durationSeconds ?? DEFAULT_DURATION_SECONDS;
  const chained = isRoleChaining(parent);
  const duration = chained ? Math.min(asked, CHAINED_SESSION_LIMIT_SECONDS) : asked;
  if (duration < asked) {
    ctx.notice(
      `profile '${profile.name}': asked for ${asked} s; AWS caps role chaining at ${CHAINED_SESSION_LIMIT_SECONDS} s, so ${duration} s`,
    );
  }
  // One prompt per device per chain (as aws-vault does): a parent session issued with this
  // device's code already carries the MFA context the role's trust policy asks for.
  const sendMfa = !!profile.mfaSerial && parent.mfaSerial !== profile.mfaSerial;
  const result = await assumeRole(ctx.sts, parent, {
    RoleArn: profile.roleArn,
    RoleSessionName: profile.roleSessionName ?? (await defaultSessionName(ctx)),
    DurationSeconds: duration,
    ExternalId: profile.externalId,
    SerialNumber: sendMfa ? profile.mfaSerial : undefined,
    TokenCode: sendMfa && profile.mfaSerial ? await ctx.mfaCode(profile.mfaSerial) : undefined,
    SourceIdentity: profile.sourceIdentity,
    Tags: profile.tags,
    TransitiveTagKeys: profile.transitiveTagKeys,
    Policy: profile.policy,
    PolicyArns: profile.policyArns?.map((arn) => ({ arn })),
  });
  const mfaSerial = sendMfa ? profile.mfaSerial : parent.mfaSerial;
  return { ...result, credentialType: 'role', ...(mfaSerial ? { mfaSerial } : {}), durationAsked: asked, durationRequested: duration };
}

export const assumeRoleProvider: Provider<AssumeRoleProfile> = {
  parent: (p) => p.sourceProfile,
  issuesSession: () => true,
  credentials: assumeRoleCredentials,
};
