// OIDC integrations in the state file: add (each role ARN becomes an 'oidc-role' profile named
// INTEGRATION/RoleName), list, remove (its profiles, not while others build on them; their sessions;
// its sign-in in the keychain).
import { OidcIntegration, type AppState, type OidcRoleProfile } from '../../../src-shared/profile';
import { describeIssue } from '../../../src-shared/names';
import { RolecallError } from '../errors';
import type { StateStore } from '../files/state-store';
import { integrationProfilesOf, refuseExistingIntegration, removeIntegration, type IntegrationKind } from '../integrations';
import { oidcTokenEntryName } from '../secrets/keychain-layout';
import { checkIdpUrl } from './discovery';

export const DEFAULT_SCOPES = ['openid', 'offline_access'];

export function parseOidcIntegration(input: unknown): OidcIntegration {
  const r = OidcIntegration.safeParse(input);
  const name = (input as { name?: unknown } | null)?.name;
  const what = typeof name === 'string' ? `OIDC integration '${name}'` : 'OIDC integration';
  if (!r.success) throw new RolecallError(describeIssue(r.error, what), 'invalid-input');
  checkIdpUrl(r.data.issuer, `${what}: the issuer`);
  if (!r.data.scopes.includes('openid')) throw new RolecallError(`${what}: the scopes must include openid (an id_token is what STS takes)`, 'invalid-input');
  return { ...r.data, roleArns: [...new Set(r.data.roleArns)] };
}

const roleNameOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** The profiles an integration brings: INTEGRATION/RoleName, or INTEGRATION/RoleName-ACCOUNT when two accounts share the name. */
export function profilesFor(i: OidcIntegration): OidcRoleProfile[] {
  return i.roleArns.map((roleArn) => {
    const roleName = roleNameOf(roleArn);
    const shared = i.roleArns.filter((a) => roleNameOf(a) === roleName).length > 1;
    const accountId = roleArn.split(':')[4] ?? '';
    return {
      name: `${i.name}/${roleName}${shared ? `-${accountId}` : ''}`.slice(0, 128),
      kind: 'oidc-role',
      integration: i.name,
      roleArn,
      ...(i.region ? { region: i.region } : {}),
      ...(i.durationSeconds ? { durationSeconds: i.durationSeconds } : {}),
    };
  });
}

const OIDC: IntegrationKind = { label: 'OIDC', command: 'oidc', field: 'oidcIntegrations', profileKind: 'oidc-role', secretEntry: oidcTokenEntryName };

export const oidcProfilesOf = (state: Pick<AppState, 'profiles'>, integration: string) => integrationProfilesOf(state, OIDC, integration);

export async function addOidcIntegration(state: Pick<StateStore, 'update'>, input: unknown): Promise<{ integration: OidcIntegration; profiles: string[] }> {
  const integration = parseOidcIntegration(input);
  const profiles = profilesFor(integration);
  await state.update((s) => {
    refuseExistingIntegration(s, OIDC, integration.name);
    const taken = profiles.filter((p) => s.profiles.some((x) => x.name === p.name)).map((p) => `'${p.name}'`);
    if (taken.length) throw new RolecallError(`OIDC integration '${integration.name}': profile ${taken.join(', ')} already exists`, 'conflict', 'choose another integration name');
    s.oidcIntegrations.push(integration);
    s.profiles.push(...profiles);
  });
  return { integration, profiles: profiles.map((p) => p.name) };
}

/** Removes the integration, its profiles and its sign-in; returns the profiles removed. */
export const removeOidcIntegration = (deps: Parameters<typeof removeIntegration>[0], name: string) => removeIntegration(deps, OIDC, name);
