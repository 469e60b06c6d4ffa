// SAML integrations in the state file: add, list, remove. Removing one removes its profiles (not
// while other profiles build on them), their sessions and the captured response.
import { SamlIntegration, type AppState } from '../../../src-shared/profile';
import { describeIssue } from '../../../src-shared/names';
import { dependentsOf } from '../chain';
import { RolecallError } from '../errors';
import type { StateStore } from '../files/state-store';
import { samlResponseEntryName } from '../secrets/keychain-layout';
import type { SecretStore } from '../secrets/secret-store';

export function parseSamlIntegration(input: unknown): SamlIntegration {
  const r = SamlIntegration.safeParse(input);
  if (r.success) return r.data;
  const name = (input as { name?: unknown } | null)?.name;
  throw new RolecallError(describeIssue(r.error, typeof name === 'string' ? `SAML integration '${name}'` : 'SAML integration'), 'invalid-input');
}

export async function addSamlIntegration(state: Pick<StateStore, 'update'>, input: unknown): Promise<SamlIntegration> {
  const integration = parseSamlIntegration(input);
  await state.update((s) => {
    if (s.samlIntegrations.some((i) => i.name === integration.name)) {
      throw new RolecallError(`SAML integration '${integration.name}' already exists`, 'conflict', `remove it first: rolecall saml remove ${integration.name}`);
    }
    s.samlIntegrations.push(integration);
  });
  return integration;
}

export const samlProfilesOf = (state: Pick<AppState, 'profiles'>, integration: string) =>
  state.profiles.filter((p) => p.kind === 'saml-role' && p.integration === integration).map((p) => p.name);

/** Removes the integration and its profiles; returns the profiles removed. */
export async function removeSamlIntegration(
  deps: { state: Pick<StateStore, 'load' | 'update'>; secrets: SecretStore; forgetProfile?: (profile: string) => Promise<void> },
  name: string,
): Promise<string[]> {
  let removed: string[] = [];
  // Their sessions end first (the broker finds what builds on a profile in the state).
  const before = await deps.state.load();
  if (before.samlIntegrations.some((i) => i.name === name) && !samlProfilesOf(before, name).some((p) => dependentsOf(before.profiles, p).length)) {
    for (const p of samlProfilesOf(before, name)) await deps.forgetProfile?.(p);
  }
  await deps.state.update((s) => {
    if (!s.samlIntegrations.some((i) => i.name === name)) throw new RolecallError(`no SAML integration '${name}'`, 'not-found', 'run: rolecall saml list');
    removed = samlProfilesOf(s, name);
    const outside = [...new Set(removed.flatMap((p) => dependentsOf(s.profiles, p)))].filter((d) => !removed.includes(d));
    if (outside.length) {
      throw new RolecallError(`SAML integration '${name}' has profiles that ${outside.map((d) => `'${d}'`).join(', ')} build on`, 'conflict', 'remove those first, or give them another source');
    }
    s.profiles = s.profiles.filter((p) => !removed.includes(p.name));
    s.samlIntegrations = s.samlIntegrations.filter((i) => i.name !== name);
  });
  await deps.secrets.delete(samlResponseEntryName(name));
  return removed;
}
