// Keeping an AWS sign-in as a profile: after `rolecall login aws NAME`, or taken over from the AWS
// CLI's login cache, NAME is a profile of kind 'aws-login' (state file: no secrets) and its
// refresh material is in the keychain (aws-login/NAME). A sign-in again under the same name
// replaces the material and ends the sessions made from the old one.
import type { AppState, AwsLoginProfile } from '../../../src-shared/profile';
import { RolecallError } from '../errors';
import { checkProfileGraph, parseProfile, removeProfile, type ProfileStateStore } from '../profiles';
import { awsLoginEntryName } from '../secrets/keychain-layout';
import type { SecretStore } from '../secrets/secret-store';
import { readAwsLoginCache, secretFromAwsLoginCache, writeAwsLoginCache } from './aws-cache';
import { DEFAULT_SIGNIN_REGION } from './endpoint';
import type { AwsSignedIn } from './sign-in';
import { accountOf, readAwsLoginSecret, writeAwsLoginSecret, type AwsLoginSecret } from './store';

export interface AwsLoginDeps {
  state: ProfileStateStore & { load(): Promise<AppState> };
  secrets: SecretStore;
  env: NodeJS.ProcessEnv;
  /** Ends the profile's sessions (and those built on it) wherever they are served. */
  forgetProfile?: (profile: string) => Promise<void>;
}

export interface SaveAwsLoginInput {
  name: string;
  region: string;
  secret: AwsLoginSecret;
  writeAwsLoginCache?: boolean;
}

/** Stores the sign-in and its profile; a name taken by another kind of profile is refused, and nothing is left half-stored. */
export async function saveAwsLogin(deps: AwsLoginDeps, input: SaveAwsLoginInput): Promise<AwsLoginProfile> {
  const profile = parseProfile({
    kind: 'aws-login',
    name: input.name,
    region: input.region,
    loginSession: input.secret.loginSession,
    ...(input.writeAwsLoginCache ? { writeAwsLoginCache: true } : {}),
  }) as AwsLoginProfile;
  const before = await readAwsLoginSecret(deps.secrets, profile.name);
  let stored = false;
  try {
    await deps.state.update(async (state) => {
      const at = state.profiles.findIndex((p) => p.name === profile.name);
      const current = state.profiles[at];
      if (current && current.kind !== 'aws-login') {
        throw new RolecallError(`profile '${profile.name}' already exists and is not an AWS sign-in (it is ${current.kind})`, 'conflict', `choose another name, or remove it first: rolecall profile remove ${profile.name}`);
      }
      // Signed in again: what the person set on it (alias, favorite) stays.
      if (current) state.profiles[at] = { ...current, region: profile.region, loginSession: profile.loginSession, writeAwsLoginCache: profile.writeAwsLoginCache };
      else state.profiles.push(profile);
      checkProfileGraph(state, profile);
      await writeAwsLoginSecret(deps.secrets, profile.name, input.secret);
      stored = true;
    });
  } catch (e) {
    if (stored) {
      if (before) await writeAwsLoginSecret(deps.secrets, profile.name, before).catch(() => undefined);
      else await deps.secrets.delete(awsLoginEntryName(profile.name)).catch(() => undefined);
    }
    throw e;
  }
  await deps.forgetProfile?.(profile.name);
  return profile;
}

/** After `rolecall login aws`: stores it, and writes the AWS CLI's cache when asked. Returns the cache file written, if any. */
export async function keepAwsSignIn(deps: AwsLoginDeps, input: { name: string; region: string; signedIn: AwsSignedIn; writeAwsLoginCache?: boolean }): Promise<{ profile: AwsLoginProfile; cacheFile?: string }> {
  const profile = await saveAwsLogin(deps, { name: input.name, region: input.region, secret: input.signedIn.secret, writeAwsLoginCache: input.writeAwsLoginCache });
  const cacheFile = input.writeAwsLoginCache ? await writeAwsLoginCache(input.signedIn.secret, input.signedIn.credentials, input.signedIn.accountId, deps.env) : undefined;
  return { profile, cacheFile };
}

/**
 * Takes over an existing `aws login` from the AWS CLI's login cache: profile NAME serves the
 * login session. For `rolecall config import` (a profile with login_session) and
 * `rolecall login aws NAME --from-aws-cache ARN`. Unless writeAwsLoginCache is set, the CLI's
 * copy stops refreshing once Rolecall rotates the refresh token: that is the caller's to say.
 */
export async function importAwsLoginCache(deps: AwsLoginDeps, input: { name: string; loginSession: string; region?: string; writeAwsLoginCache?: boolean }): Promise<AwsLoginProfile> {
  const cache = await readAwsLoginCache(input.loginSession, deps.env);
  if (cache.accessToken.accountId !== accountOf(input.loginSession)) {
    throw new RolecallError(`the AWS CLI login cache for ${input.loginSession} names another account (${cache.accessToken.accountId.slice(0, 12)})`, 'invalid-input');
  }
  const region = input.region ?? cache.signInRegion ?? DEFAULT_SIGNIN_REGION;
  return saveAwsLogin(deps, { name: input.name, region, secret: secretFromAwsLoginCache(input.loginSession, cache, region), writeAwsLoginCache: input.writeAwsLoginCache });
}

/** Removes the profile and its sign-in's refresh material (refused while other profiles build on it, as any removal). */
export async function removeAwsLogin(deps: Pick<AwsLoginDeps, 'state' | 'secrets'>, name: string): Promise<void> {
  await removeProfile(deps.state, name);
  await deps.secrets.delete(awsLoginEntryName(name));
}
