// Which roles of a SAML sign-in become profiles, what each is called, and how long a session to ask for.
import type { AppState, SamlIntegration } from '../../../src-shared/profile';
import { RolecallError } from '../errors';
import { AwsCallError } from '../aws/errors';
import type { SamlResponseInfo, SamlRolePair } from './assertion';

/** AssumeRoleWithSAML's DurationSeconds maximum. */
export const MAX_DURATION_SECONDS = 43200;
/** What a MaxSessionDuration refusal is retried with: every role allows an hour. */
export const FALLBACK_DURATION_SECONDS = 3600;

const list = (pairs: SamlRolePair[]) => pairs.map((p) => p.roleArn).join(', ');

/**
 * The roles to assume: those asked for (`wanted`, role ARNs), else the assertion's only one.
 * An encrypted assertion cannot be read here, so it needs the roles and the provider named.
 */
export function chooseRoles(info: Pick<SamlResponseInfo, 'encrypted' | 'roles'>, wanted: string[] = [], principalArn?: string): SamlRolePair[] {
  if (info.encrypted) {
    if (!wanted.length || !principalArn) {
      throw new RolecallError('the SAML assertion is encrypted, so Rolecall cannot read its roles', 'invalid-input', 'name them: --role ROLE_ARN --principal-arn SAML_PROVIDER_ARN');
    }
    return [...new Set(wanted)].map((roleArn) => ({ roleArn, principalArn }));
  }
  if (!wanted.length) {
    if (info.roles.length === 1) return info.roles;
    throw new RolecallError(`the SAML assertion grants ${info.roles.length} roles (${list(info.roles)})`, 'invalid-input', 'pick one or more with --role ARN');
  }
  return [...new Set(wanted)].map((roleArn) => {
    const pair = info.roles.find((p) => p.roleArn === roleArn && (principalArn === undefined || p.principalArn === principalArn));
    if (!pair) throw new RolecallError(`the SAML assertion does not grant ${roleArn}${principalArn ? ` through ${principalArn}` : ''}; it grants ${list(info.roles)}`, 'invalid-input');
    return pair;
  });
}

/** DurationSeconds: the smallest of the SessionDuration attribute, the integration's setting and 43200 (the role's own limit is learnt from STS's refusal). */
export function samlDurationSeconds(sessionDuration: number | undefined, setting: number | undefined): number {
  return Math.max(900, Math.min(sessionDuration ?? MAX_DURATION_SECONDS, setting ?? MAX_DURATION_SECONDS, MAX_DURATION_SECONDS));
}

/** STS refused DurationSeconds as more than the role's MaxSessionDuration. */
export function isMaxSessionDurationRefusal(e: unknown): boolean {
  return e instanceof AwsCallError && e.awsCode === 'ValidationError' && /MaxSessionDuration/i.test(e.message);
}

const ROLE_ARN = /^arn:[\w-]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

/**
 * Profile names for the chosen roles: the profile that already serves this integration and role
 * keeps its name; a new one is INTEGRATION/ROLE, or INTEGRATION/ACCOUNT/ROLE when that name is
 * taken (another account's role of the same name, or another profile).
 */
export function samlProfileNames(state: Pick<AppState, 'profiles'>, integration: SamlIntegration, pairs: SamlRolePair[]): string[] {
  const taken = new Set(state.profiles.map((p) => p.name));
  const names: string[] = [];
  for (const pair of pairs) {
    const existing = state.profiles.find((p) => p.kind === 'saml-role' && p.integration === integration.name && p.roleArn === pair.roleArn);
    if (existing) {
      names.push(existing.name);
      continue;
    }
    const m = ROLE_ARN.exec(pair.roleArn);
    // Profile names take fewer characters than role names (no , or =).
    const safe = (s: string) => s.replace(/[^A-Za-z0-9_.+@-]/g, '-');
    const role = safe(m?.[2] ?? 'role');
    const sameRoleName = pairs.filter((p) => ROLE_ARN.exec(p.roleArn)?.[2] === m?.[2]).length > 1;
    let name = `${integration.name}/${role}`;
    if (sameRoleName || taken.has(name)) name = `${integration.name}/${m?.[1] ?? 'account'}/${role}`;
    if (taken.has(name) || names.includes(name)) {
      throw new RolecallError(`profile '${name}' already exists and is not this SAML role`, 'conflict', `remove or rename it first: rolecall profile remove ${name}`);
    }
    names.push(name);
    taken.add(name);
  }
  return names;
}
