// `aws-login/<profile>` in the keychain: what refreshes an AWS sign-in. The DPoP private key and
// the refresh token are secrets and live only here (and, when the person opts in, in the AWS
// CLI's own login cache, which is that tool's format and choice).
import { z } from 'zod';
import { awsLoginEntryName } from '../secrets/keychain-layout';
import { readJsonSecret, type SecretStore } from '../secrets/secret-store';

export const SAME_DEVICE_CLIENT_ID = 'arn:aws:signin:::devtools/same-device';
export const CROSS_DEVICE_CLIENT_ID = 'arn:aws:signin:::devtools/cross-device';

export const AwsLoginSecret = z.object({
  /** The idToken's sub: whose sign-in this is. */
  loginSession: z.string().min(1),
  clientId: z.enum([SAME_DEVICE_CLIENT_ID, CROSS_DEVICE_CLIENT_ID]),
  refreshToken: z.string().min(1),
  /** SEC1 PEM ("EC PRIVATE KEY") of the P-256 key every proof is signed with. */
  dpopKey: z.string().includes('PRIVATE KEY'),
  idToken: z.string().optional(),
  tokenType: z.string().optional(),
  /** The region whose sign-in endpoint issued the refresh token (the AWS cache's signInRegion). */
  signInRegion: z.string().min(1),
});
export type AwsLoginSecret = z.infer<typeof AwsLoginSecret>;

export const readAwsLoginSecret = (secrets: SecretStore, profile: string) => readJsonSecret(secrets, awsLoginEntryName(profile), AwsLoginSecret);

export async function writeAwsLoginSecret(secrets: SecretStore, profile: string, secret: AwsLoginSecret): Promise<void> {
  await secrets.set(awsLoginEntryName(profile), JSON.stringify(AwsLoginSecret.parse(secret)));
}

/** The login session's claims from an idToken (a JWT): only read, as the AWS CLI does; the token came straight from the token endpoint over TLS. */
export function loginSessionOf(idToken: string | undefined): string | undefined {
  const payload = idToken?.split('.')[1];
  if (!payload) return undefined;
  try {
    const sub = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/** The account of a login session ARN (its fifth field). */
export const accountOf = (loginSession: string): string => loginSession.split(':')[4] ?? '';
