// A SAML sign-in's SAMLResponse (from the login window, or a file captured elsewhere) becomes
// profiles with live sessions: read and checked here first, every chosen role assumed, and only
// when every call succeeded is anything stored (the sessions and the response in the keychain,
// the profiles in the state file). A refused response leaves everything as it was.
import type { SamlIntegration, SamlRoleProfile } from '../../../src-shared/profile';
import { awsCallerSettings, awsSettingsKey } from '../aws/caller-settings';
import type { IssuedCredentials } from '../aws/sts';
import { refreshTime, writeCachedSession, deleteCachedSessions } from '../broker/session-cache';
import { RolecallError } from '../errors';
import type { StateStore } from '../files/state-store';
import { parseProfile } from '../profiles';
import { samlResponseEntryName, SamlResponseSecret } from '../secrets/keychain-entries';
import type { SecretStore } from '../secrets/secret-store';
import { readSamlResponse, type SamlRolePair } from './assertion';
import { assumeSamlRole, samlStsRegion } from './assume';
import { chooseRoles, samlDurationSeconds, samlProfileNames } from './roles';

/** How long an encrypted assertion (whose NotOnOrAfter only AWS can read) is kept: AWS redeems one within 5 minutes of issue. */
const ENCRYPTED_ASSERTION_KEPT_MS = 5 * 60_000;

export interface SamlSignInDeps {
  state: Pick<StateStore, 'load' | 'update'>;
  secrets: SecretStore;
  /** The caller's environment: its AWS settings choose the endpoints and name the cached sessions. */
  env: NodeJS.ProcessEnv;
  /** Ends the sessions a running broker holds for a profile that is signed in anew. */
  forgetProfile?: (profile: string) => Promise<void>;
  now?: () => number;
}

export interface SamlSignInInput {
  integration: string;
  /** Base64, as the IdP posted it. */
  samlResponse: string;
  /** Role ARNs to assume; none: the assertion's only role. */
  roles?: string[];
  /** The SAML provider, for an encrypted assertion (required then) or to pick among pairs. */
  principalArn?: string;
  onNotice?: (message: string) => void;
}

export interface SamlSignedInRole {
  profile: string;
  roleArn: string;
  expiration: Date;
}

export function findSamlIntegration(integrations: SamlIntegration[], name: string): SamlIntegration {
  const found = integrations.find((i) => i.name === name);
  if (!found) throw new RolecallError(`no SAML integration '${name}'`, 'not-found', 'add it first: rolecall saml add NAME --url IDP_SIGN_IN_URL');
  return found;
}

export async function signInWithSamlResponse(deps: SamlSignInDeps, input: SamlSignInInput): Promise<SamlSignedInRole[]> {
  const now = deps.now ?? Date.now;
  const state = await deps.state.load();
  const integration = findSamlIntegration(state.samlIntegrations, input.integration);
  const info = readSamlResponse(input.samlResponse, new Date(now()));
  const pairs = chooseRoles(info, input.roles, input.principalArn);
  const names = samlProfileNames(state, integration, pairs);
  const region = samlStsRegion(integration.region, info.acs, deps.env);
  const durationSeconds = samlDurationSeconds(info.sessionDuration, integration.durationSeconds);
  const settings = awsCallerSettings(deps.env);
  const env = { ...settings };

  // Every role first: a refusal of any stores nothing.
  const started = now();
  const deadline = started + 60_000;
  const issued: { pair: SamlRolePair; name: string; creds: IssuedCredentials }[] = [];
  for (const [i, pair] of pairs.entries()) {
    const creds = await assumeSamlRole({ region, env, deadline }, info.samlResponse, pair, durationSeconds, (m) => input.onNotice?.(m));
    issued.push({ pair, name: names[i] as string, creds });
  }

  const existing = new Set(state.profiles.map((p) => p.name));
  for (const { name } of issued) if (existing.has(name)) await deps.forgetProfile?.(name);
  const settingsKey = awsSettingsKey(settings);
  const written: string[] = [];
  const response: SamlResponseSecret = {
    samlResponse: info.samlResponse,
    notOnOrAfter: new Date(info.notOnOrAfter?.getTime() ?? started + ENCRYPTED_ASSERTION_KEPT_MS).toISOString(),
    durationSeconds,
    region,
  };
  try {
    await deps.secrets.set(samlResponseEntryName(integration.name), JSON.stringify(SamlResponseSecret.parse(response)));
    for (const { name, creds } of issued) {
      written.push(name);
      await writeCachedSession(deps.secrets, name, settingsKey, {
        result: { ...creds, credentialType: 'role' },
        refreshAt: refreshTime(creds.expiration, started, state.settings.refreshAheadSeconds),
      });
    }
    await deps.state.update((s) => {
      for (const { pair, name } of issued) {
        const profile = parseProfile({
          kind: 'saml-role',
          name,
          integration: integration.name,
          roleArn: pair.roleArn,
          principalArn: pair.principalArn,
          ...(integration.region ? { region: integration.region } : {}),
        }) as SamlRoleProfile;
        const at = s.profiles.findIndex((p) => p.name === name);
        const current = s.profiles[at];
        if (current && !(current.kind === 'saml-role' && current.integration === integration.name && current.roleArn === pair.roleArn)) {
          throw new RolecallError(`profile '${name}' already exists and is not this SAML role`, 'conflict', `remove or rename it first: rolecall profile remove ${name}`);
        }
        // A profile signed in again keeps what the person set on it (alias, favorite, region).
        if (current) s.profiles[at] = { ...current, principalArn: pair.principalArn };
        else s.profiles.push(profile);
      }
      if (!s.samlIntegrations.some((x) => x.name === integration.name)) throw new RolecallError(`the SAML integration '${integration.name}' was removed meanwhile`, 'not-found');
    });
  } catch (e) {
    // Nothing half-stored: the sessions of profiles that were not saved, and the response, go again.
    for (const name of written) if (!existing.has(name)) await deleteCachedSessions(deps.secrets, name, [settingsKey]).catch(() => undefined);
    await deps.secrets.delete(samlResponseEntryName(integration.name)).catch(() => undefined);
    throw e;
  }
  return issued.map(({ name, pair, creds }) => ({ profile: name, roleArn: pair.roleArn, expiration: creds.expiration }));
}
