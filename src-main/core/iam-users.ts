// IAM users: the secret access key goes to the keychain, the rest (a profile of kind 'iam-user')
// to the state file. Both change under the state lock, so neither is left without the other.
import type { AppState, IamUserProfile } from '../../src-shared/profile';
import { RolecallError } from './errors';
import { checkProfileGraph, parseProfile, removeProfile, type ProfileStateStore } from './profiles';
import { iamUserEntryName } from './secrets/keychain-layout';
import type { SecretStore } from './secrets/secret-store';

export interface IamUserDeps {
  state: ProfileStateStore & { load(): Promise<AppState> };
  secrets: SecretStore;
}

export interface IamUserInput {
  name: string;
  accessKeyId: string;
  secretAccessKey: string;
  mfaSerial?: string;
  region?: string;
  sessionDurationSeconds?: number;
}

// AWS secret access keys are 40 characters of base64; anything else is a paste gone wrong.
const SECRET_ACCESS_KEY = /^[A-Za-z0-9/+=]{40}$/;

export async function addIamUser(deps: IamUserDeps, input: IamUserInput): Promise<IamUserProfile> {
  const profile = parseProfile({
    kind: 'iam-user',
    name: input.name,
    accessKeyId: input.accessKeyId,
    ...(input.mfaSerial ? { mfaSerial: input.mfaSerial } : {}),
    ...(input.region ? { region: input.region } : {}),
    ...(input.sessionDurationSeconds ? { sessionDurationSeconds: input.sessionDurationSeconds } : {}),
  }) as IamUserProfile;
  if (!profile.accessKeyId.startsWith('AKIA')) {
    throw new RolecallError(`profile '${profile.name}': an IAM user's access key id starts with AKIA (ASIA keys are temporary)`, 'invalid-input');
  }
  // The message never repeats the value: it is a secret.
  if (!SECRET_ACCESS_KEY.test(input.secretAccessKey)) {
    throw new RolecallError(`profile '${profile.name}': the secret access key is not 40 characters of letters, digits and / + =`, 'invalid-input');
  }
  const key = iamUserEntryName(profile.name);
  let stored = false;
  try {
    await deps.state.update(async (state) => {
      if (state.profiles.some((p) => p.name === profile.name)) {
        throw new RolecallError(`profile '${profile.name}' already exists`, 'conflict', `choose another name, or remove it first: rolecall profile remove ${profile.name}`);
      }
      state.profiles.push(profile);
      checkProfileGraph(state, profile);
      await deps.secrets.set(key, JSON.stringify({ accessKeyId: profile.accessKeyId, secretAccessKey: input.secretAccessKey }));
      stored = true;
    });
  } catch (e) {
    // The state was not saved: do not leave its secret behind.
    if (stored) await deps.secrets.delete(key).catch(() => undefined);
    throw e;
  }
  return profile;
}

/** Removes the profile and its secret; refuses while other profiles build on it. */
export async function removeIamUser(deps: IamUserDeps, name: string): Promise<void> {
  const state = await deps.state.load();
  const p = state.profiles.find((x) => x.name === name);
  if (p && p.kind !== 'iam-user') throw new RolecallError(`profile '${name}' is not an IAM user (it is ${p.kind})`, 'invalid-input', `run: rolecall profile remove ${name}`);
  await removeProfile(deps.state, name);
  await deps.secrets.delete(iamUserEntryName(name));
}
