// IAM user: long-term keys from the keychain; with an MFA device, a GetSessionToken session.
import type { IamUserProfile } from '../../../src-shared/profile';
import { RolecallError } from '../errors';
import { getSessionToken } from '../aws/sts';
import { iamUserEntryName, IamUserSecret } from '../secrets/keychain-entries';
import { readJsonSecret } from '../secrets/secret-store';
import type { Provider, StepContext, StepResult } from './types';

export async function iamUserCredentials(profile: IamUserProfile, ctx: StepContext): Promise<StepResult> {
  // A damaged entry is reported, not deleted: it is the user's only copy of the key.
  const keys = await readJsonSecret(ctx.secrets, iamUserEntryName(profile.name), IamUserSecret);
  if (!keys) {
    throw new RolecallError(
      `profile '${profile.name}': no secret access key for ${profile.accessKeyId} in the keychain`,
      'not-found',
      `run: rolecall iam-user add ${profile.name} --access-key-id ${profile.accessKeyId}`,
    );
  }
  if (!profile.mfaSerial) return { ...keys, credentialType: 'iam-user' };
  const code = await ctx.mfaCode(profile.mfaSerial);
  const session = await getSessionToken(ctx.sts, keys, {
    DurationSeconds: profile.sessionDurationSeconds,
    SerialNumber: profile.mfaSerial,
    TokenCode: code,
  });
  return { ...session, arn: undefined, credentialType: 'session-token', mfaSerial: profile.mfaSerial, durationAsked: profile.sessionDurationSeconds };
}

export const iamUserProvider: Provider<IamUserProfile> = {
  parent: () => undefined,
  // Long-term keys are not a session; with MFA, GetSessionToken issues one.
  issuesSession: (p) => !!p.mfaSerial,
  credentials: iamUserCredentials,
};
