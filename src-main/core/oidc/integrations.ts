// OIDC integrations in the state file: add (each role ARN becomes an 'oidc-role' profile named
// INTEGRATION/RoleName), list, remove (its profiles, not while others build on them; their sessions;
// its sign-in in the keychain).
import { OidcIntegration, type AppState, type OidcRoleProfile } from '../../../src-shared/profile';
import { describeIssue } from '../../../src-shared/names';
import { dependentsOf } from '../chain';
import { RolecallError } from '../errors';
import type { StateStore } from '../files/state-store';
import { oidcTokenEntryName } from '../secrets/keychain-layout';
import type { SecretStore } from '../secrets/secret-store';
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

export const oidcProfilesOf = (state: Pick<AppState, 'profiles'>, integration: string) =>
  state.profiles.filter((p) => p.kind === 'oidc-role' && p.integration === integration).map((p) => p.name);

export async function addOidcIntegration(state: Pick<StateStore, 'update'>, input: unknown): Promise<{ integration: OidcIntegration; profiles: string[] }> {
  const integration = parseOidcIntegration(input);
  const profiles = profilesFor(integration);
  await state.update((s) => {
    if (s.oidcIntegrations.some((i) => i.name === integration.name)) {
      throw new RolecallError(`OIDC integration '${integration.name}' already exists`, 'conflict', `remove it first: rolecall oidc remove ${integration.name}`);
    }
    const taken = profiles.filter((p) => s.profiles.some((x) => x.name === p.name)).map((p) => `'${p.name}'`);
    if (taken.length) throw new RolecallError(`OIDC integration '${integration.name}': profile ${taken.join(', ')} already exists`, 'conflict', 'choose another integration name');
    s.oidcIntegrations.push(integration);
    s.profiles.push(...profiles);
  });
  return { integration, profiles: profiles.map((p) => p.name) };
}

/** Removes the integration, its profiles and its sign-in; returns the profiles removed. */
export async function removeOidcIntegration(
  deps: { state: Pick<StateStore, 'load' | 'update'>; secrets: SecretStore; forgetProfile?: (profile: string) => Promise<void> },
  name: string,
): Promise<string[]> {
  let removed: string[] = [];
  const before = await deps.state.load();
  if (before.oidcIntegrations.some((i) => i.name === name) && !oidcProfilesOf(before, name).some((p) => dependentsOf(before.profiles, p).length)) {
    for (const p of oidcProfilesOf(before, name)) await deps.forgetProfile?.(p);
  }
  await deps.state.update((s) => {
    if (!s.oidcIntegrations.some((i) => i.name === name)) throw new RolecallError(`no OIDC integration '${name}'`, 'not-found', 'run: rolecall oidc list');
    removed = oidcProfilesOf(s, name);
    const outside = [...new Set(removed.flatMap((p) => dependentsOf(s.profiles, p)))].filter((d) => !removed.includes(d));
    if (outside.length) {
      throw new RolecallError(`OIDC integration '${name}' has profiles that ${outside.map((d) => `'${d}'`).join(', ')} build on`, 'conflict', 'remove those first, or give them another source');
    }
    s.profiles = s.profiles.filter((p) => !removed.includes(p.name));
    s.oidcIntegrations = s.oidcIntegrations.filter((i) => i.name !== name);
  });
  await deps.secrets.delete(oidcTokenEntryName(name));
  return removed;
}
