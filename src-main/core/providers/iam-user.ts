// IAM user: long-term keys from the keychain; with an MFA device, a GetSessionToken session.
import { z } from 'zod';
import type { IamUserProfile } from '../../../src-shared/profile';
import { RolecallError } from '../errors';
import { getSessionToken } from '../aws/sts';
import type { StepContext, StepResult } from './types';

export const IamUserSecret = z.object({ accessKeyId: z.string().min(16), secretAccessKey: z.string().min(1) });
export const iamUserSecretKey = (profile: string) => `iam-user/${profile}`;

export async function iamUserCredentials(profile: IamUserProfile, ctx: StepContext): Promise<StepResult> {
  const raw = await ctx.secrets.get(iamUserSecretKey(profile.name));
  const parsed = raw === null ? undefined : IamUserSecret.safeParse(safeJson(raw));
  if (!parsed?.success) {
    throw new RolecallError(
      `profile '${profile.name}': no secret access key for ${profile.accessKeyId} in the keychain`,
      'not-found',
      `run: rolecall iam-user add ${profile.name} --access-key-id ${profile.accessKeyId}`,
    );
  }
  const keys = parsed.data;
  if (!profile.mfaSerial) return { ...keys, credentialType: 'iam-user' };
  const code = await ctx.mfaCode(profile.mfaSerial);
  const session = await getSessionToken(ctx.sts, keys, {
    DurationSeconds: profile.sessionDurationSeconds,
    SerialNumber: profile.mfaSerial,
    TokenCode: code,
  });
  return { ...session, arn: undefined, credentialType: 'session-token', durationAsked: profile.sessionDurationSeconds };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
