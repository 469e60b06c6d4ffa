// SAML integrations in the state file: add, list, remove. Removing one removes its profiles (not
// while other profiles build on them), their sessions and the captured response.
import { SamlIntegration, type AppState } from '../../../src-shared/profile';
import { describeIssue } from '../../../src-shared/names';
import { RolecallError } from '../errors';
import type { StateStore } from '../files/state-store';
import { integrationProfilesOf, refuseExistingIntegration, removeIntegration, type IntegrationKind } from '../integrations';
import { samlResponseEntryName } from '../secrets/keychain-layout';

const SAML: IntegrationKind = { label: 'SAML', command: 'saml', field: 'samlIntegrations', profileKind: 'saml-role', secretEntry: samlResponseEntryName };

export function parseSamlIntegration(input: unknown): SamlIntegration {
  const r = SamlIntegration.safeParse(input);
  if (r.success) return r.data;
  const name = (input as { name?: unknown } | null)?.name;
  throw new RolecallError(describeIssue(r.error, typeof name === 'string' ? `SAML integration '${name}'` : 'SAML integration'), 'invalid-input');
}

export async function addSamlIntegration(state: Pick<StateStore, 'update'>, input: unknown): Promise<SamlIntegration> {
  const integration = parseSamlIntegration(input);
  await state.update((s) => {
    refuseExistingIntegration(s, SAML, integration.name);
    s.samlIntegrations.push(integration);
  });
  return integration;
}

export const samlProfilesOf = (state: Pick<AppState, 'profiles'>, integration: string) => integrationProfilesOf(state, SAML, integration);

/** Removes the integration, its profiles and the captured response; returns the profiles removed. */
export const removeSamlIntegration = (deps: Parameters<typeof removeIntegration>[0], name: string) => removeIntegration(deps, SAML, name);
