// What OIDC and SAML integrations share in the state file: each brings profiles of its own kind,
// and removing one removes them too (not while other profiles build on them), ends their sessions
// first and deletes its sign-in from the keychain. One piece, so the two cannot drift apart.
import type { AppState } from '../../src-shared/profile';
import { dependentsOf } from './chain';
import { RolecallError } from './errors';
import type { StateStore } from './files/state-store';
import type { SecretStore } from './secrets/secret-store';

export interface IntegrationKind {
  /** As messages name it: OIDC, SAML. */
  label: string;
  /** Its `rolecall` command group, for the hints. */
  command: 'oidc' | 'saml';
  field: 'oidcIntegrations' | 'samlIntegrations';
  profileKind: 'oidc-role' | 'saml-role';
  /** Its sign-in's keychain entry. */
  secretEntry: (integration: string) => string;
}

type IntegrationState = Pick<AppState, 'profiles' | IntegrationKind['field']>;

const exists = (state: IntegrationState, kind: IntegrationKind, name: string) => state[kind.field].some((i) => i.name === name);

/** The names of the profiles the integration brought. */
export function integrationProfilesOf(state: Pick<AppState, 'profiles'>, kind: IntegrationKind, integration: string): string[] {
  return state.profiles.filter((p) => p.kind === kind.profileKind && 'integration' in p && p.integration === integration).map((p) => p.name);
}

/** Refuses a second integration of that kind and name. */
export function refuseExistingIntegration(state: IntegrationState, kind: IntegrationKind, name: string): void {
  if (exists(state, kind, name)) throw new RolecallError(`${kind.label} integration '${name}' already exists`, 'conflict', `remove it first: rolecall ${kind.command} remove ${name}`);
}

/** Removes the integration, its profiles and its sign-in; returns the profiles removed. */
export async function removeIntegration(
  deps: { state: Pick<StateStore, 'load' | 'update'>; secrets: SecretStore; forgetProfile?: (profile: string) => Promise<void> },
  kind: IntegrationKind,
  name: string,
): Promise<string[]> {
  let removed: string[] = [];
  // Their sessions end first (the broker finds what builds on a profile in the state), unless the removal will be refused.
  const before = await deps.state.load();
  const profiles = integrationProfilesOf(before, kind, name);
  if (exists(before, kind, name) && !profiles.some((p) => dependentsOf(before.profiles, p).length)) {
    for (const p of profiles) await deps.forgetProfile?.(p);
  }
  await deps.state.update((s) => {
    if (!exists(s, kind, name)) throw new RolecallError(`no ${kind.label} integration '${name}'`, 'not-found', `run: rolecall ${kind.command} list`);
    removed = integrationProfilesOf(s, kind, name);
    const outside = [...new Set(removed.flatMap((p) => dependentsOf(s.profiles, p)))].filter((d) => !removed.includes(d));
    if (outside.length) {
      throw new RolecallError(`${kind.label} integration '${name}' has profiles that ${outside.map((d) => `'${d}'`).join(', ')} build on`, 'conflict', 'remove those first, or give them another source');
    }
    s.profiles = s.profiles.filter((p) => !removed.includes(p.name));
    const integrations: { name: string }[] = s[kind.field];
    integrations.splice(integrations.findIndex((i) => i.name === name), 1);
  });
  await deps.secrets.delete(kind.secretEntry(name));
  return removed;
}
