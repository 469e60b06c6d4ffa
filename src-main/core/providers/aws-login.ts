// AWS sign-in (`aws login`): CreateOAuth2Token's refresh_token grant with the keychain's refresh
// token and DPoP key gives 15-minute credentials. The broker calls this under its lock for the
// profile, and the rotated refresh token is stored before the credentials are handed out, so the
// next holder of the lock redeems the new one. With the AWS CLI cache shared (writeAwsLoginCache),
// a token another tool rotated there is taken up first. The credentials count as a role session: a role
// assumed from them is role chaining (the 1-hour cap).
import type { AwsLoginProfile } from '../../../src-shared/profile';
import { RolecallError } from '../errors';
import { AwsCallError } from '../aws/errors';
import { readAwsLoginCache, writeAwsLoginCache } from '../login/aws-cache';
import { DEFAULT_SIGNIN_REGION, signinBaseUrl } from '../login/endpoint';
import { accountOf, readAwsLoginSecret, writeAwsLoginSecret } from '../login/store';
import { createOAuth2Token } from '../login/token';
import type { Provider, StepContext, StepResult } from './types';

export async function awsLoginCredentials(profile: AwsLoginProfile, ctx: StepContext): Promise<StepResult> {
  const secret = await readAwsLoginSecret(ctx.secrets, profile.name);
  if (!secret) {
    throw new RolecallError(`profile '${profile.name}': no AWS sign-in in the keychain`, 'sign-in-required', `run: rolecall login aws ${profile.name}`);
  }
  const region = secret.signInRegion || profile.region || DEFAULT_SIGNIN_REGION;
  const call = { baseUrl: signinBaseUrl(region, ctx.env), dpopKey: secret.dpopKey, deadline: ctx.sts.deadline, name: profile.name };
  const redeem = (refreshToken: string) => createOAuth2Token(call, { clientId: secret.clientId, grantType: 'refresh_token', refreshToken });
  // A shared cache another tool refreshed from holds the newer token: the one in the keychain is spent.
  const shared = profile.writeAwsLoginCache ? await sharedRefreshToken(secret.loginSession, secret.dpopKey, secret.refreshToken) : undefined;
  let out;
  try {
    out = await redeem(shared ?? secret.refreshToken);
  } catch (err) {
    // The cache's token was older after all (a cache write of ours that failed): try the keychain's.
    if (!shared || !(err instanceof AwsCallError && err.code === 'sign-in-required')) throw err;
    out = await redeem(secret.refreshToken);
  }
  const rotated = { ...secret, refreshToken: out.refreshToken, ...(out.idToken ? { idToken: out.idToken } : {}) };
  try {
    await writeAwsLoginSecret(ctx.secrets, profile.name, rotated);
  } catch (err) {
    // The old token is spent: without the new one stored, the next refresh needs a new sign-in.
    throw new RolecallError(`profile '${profile.name}': the refreshed AWS sign-in could not be stored in the keychain`, 'keychain', `run: rolecall login aws ${profile.name}`, { cause: err });
  }
  const credentials = { ...out.accessToken, expiration: new Date(Date.now() + out.expiresIn * 1000) };
  if (profile.writeAwsLoginCache) {
    // Where this process's AWS tools look (HOME, AWS_LOGIN_CACHE_DIRECTORY): not a caller setting, which are endpoints and region only.
    await writeAwsLoginCache(rotated, credentials, accountOf(secret.loginSession), process.env).catch((e: unknown) =>
      ctx.notice(`profile '${profile.name}': the AWS CLI login cache was not updated: ${e instanceof Error ? e.message : String(e)}`),
    );
  }
  return { ...credentials, credentialType: 'role', arn: secret.loginSession };
}

/** The AWS CLI cache's refresh token, when it is this sign-in's (same DPoP key) and not the one Rolecall holds. */
async function sharedRefreshToken(loginSession: string, dpopKey: string, held: string): Promise<string | undefined> {
  const cache = await readAwsLoginCache(loginSession, process.env).catch(() => undefined);
  return cache && cache.dpopKey.trim() === dpopKey.trim() && cache.refreshToken !== held ? cache.refreshToken : undefined;
}

export const awsLoginProvider: Provider<AwsLoginProfile> = {
  parent: () => undefined,
  issuesSession: () => true,
  credentials: awsLoginCredentials,
};
