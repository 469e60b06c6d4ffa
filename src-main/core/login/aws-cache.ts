// The AWS CLI's and SDKs' login cache (botocore's LoginTokenLoader, the SDK's
// LoginCredentialsFetcher): $AWS_LOGIN_CACHE_DIRECTORY or ~/.aws/login/cache, one file per login
// session named by the SHA-256 (hex) of the session's ARN. Rolecall reads it to take over an
// existing `aws login`, and writes it only when asked: both sides rotate the one refresh token,
// so two tools refreshing from separate copies would each end the other's.
import { createHash } from 'node:crypto';
import { readFile, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { fileErrorText, RolecallError } from '../errors';
import { writeFileAtomic } from '../files/atomic';
import { AwsLoginSecret, CROSS_DEVICE_CLIENT_ID, SAME_DEVICE_CLIENT_ID, type AwsLoginSecret as Secret } from './store';

const MAX_CACHE_BYTES = 64 * 1024;

export const AwsLoginCacheFile = z.object({
  accessToken: z.object({
    accessKeyId: z.string(),
    secretAccessKey: z.string(),
    sessionToken: z.string(),
    accountId: z.string(),
    expiresAt: z.string(),
  }),
  tokenType: z.string().optional(),
  clientId: z.enum([SAME_DEVICE_CLIENT_ID, CROSS_DEVICE_CLIENT_ID]),
  refreshToken: z.string().min(1),
  idToken: z.string().optional(),
  dpopKey: z.string().includes('PRIVATE KEY'),
  signInRegion: z.string().optional(),
});
export type AwsLoginCacheFile = z.infer<typeof AwsLoginCacheFile>;

export function awsLoginCacheDir(env: NodeJS.ProcessEnv): string {
  return env.AWS_LOGIN_CACHE_DIRECTORY || path.join(env.HOME || homedir(), '.aws', 'login', 'cache');
}

export const awsLoginCacheFile = (loginSession: string, env: NodeJS.ProcessEnv) =>
  path.join(awsLoginCacheDir(env), `${createHash('sha256').update(loginSession, 'utf8').digest('hex')}.json`);

/** The cache entry of a login session; a clear error when it is missing or not of the CLI's shape (never quoting it: it holds secrets). */
export async function readAwsLoginCache(loginSession: string, env: NodeJS.ProcessEnv): Promise<AwsLoginCacheFile> {
  const file = awsLoginCacheFile(loginSession, env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new RolecallError(
      missing ? `no AWS CLI login cache for ${loginSession} (looked for ${file})` : `cannot read the AWS CLI login cache ${file}: ${fileErrorText(e)}`,
      missing ? 'not-found' : 'file',
      missing ? 'sign in with the AWS CLI first (aws login), or with Rolecall: rolecall login aws NAME' : undefined,
    );
  }
  let json: unknown;
  try {
    json = text.length <= MAX_CACHE_BYTES ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const parsed = AwsLoginCacheFile.safeParse(json);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || 'the file';
    throw new RolecallError(`the AWS CLI login cache ${file} is not a login token (${field} is missing or wrong)`, 'invalid-input', 'sign in again with the AWS CLI (aws login), or with Rolecall: rolecall login aws NAME');
  }
  return parsed.data;
}

/** The keychain secret a cache entry becomes; `region` is the profile's, used when the entry names no signInRegion. */
export function secretFromAwsLoginCache(loginSession: string, c: AwsLoginCacheFile, region: string): Secret {
  return AwsLoginSecret.parse({
    loginSession,
    clientId: c.clientId,
    refreshToken: c.refreshToken,
    dpopKey: c.dpopKey,
    idToken: c.idToken,
    tokenType: c.tokenType,
    signInRegion: c.signInRegion || region,
  });
}

export interface IssuedLoginCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** Writes the cache entry as the AWS CLI does (mode 0600), atomically: a reader never sees half of it. */
export async function writeAwsLoginCache(secret: Secret, creds: IssuedLoginCredentials, accountId: string, env: NodeJS.ProcessEnv): Promise<string> {
  const file = awsLoginCacheFile(secret.loginSession, env);
  const body: AwsLoginCacheFile = {
    accessToken: {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken,
      accountId,
      // RFC 3339 without fractions, as the CLI writes it.
      expiresAt: creds.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    tokenType: secret.tokenType ?? 'aws_sigv4',
    clientId: secret.clientId,
    refreshToken: secret.refreshToken,
    ...(secret.idToken ? { idToken: secret.idToken } : {}),
    dpopKey: secret.dpopKey,
    signInRegion: secret.signInRegion,
  };
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new RolecallError(`cannot create ${path.dirname(file)}: ${fileErrorText(e)}`, 'file');
  }
  await writeFileAtomic(file, JSON.stringify(body, null, 2), { mode: 0o600 });
  return file;
}
