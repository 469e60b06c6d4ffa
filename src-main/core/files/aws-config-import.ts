// Importing the user's existing AWS CLI profiles into Rolecall's model. The files are read as the
// AWS SDK reads them; what Rolecall cannot or must not take over is listed with a reason. Static
// keys are only read when asked to take them over (they then go to the keychain, never the state).
import type { z } from 'zod';
import { IntegrationName, ProfileName } from '../../../src-shared/names';
import { Profile, SsoSession } from '../../../src-shared/profile';
import { oneLine, quoted } from '../../../src-shared/untrusted-text';
import { chainOf, indexProfiles } from '../chain';
import { checkIniSyntax, configProfileNames, findManagedBlock, isSpecialSection, parseAwsFiles } from './aws-ini';

export interface AwsConfigImport {
  profiles: Profile[];
  ssoSessions: SsoSession[];
  /** Profiles (by name) and sso-sessions (as "sso-session NAME") left out, and why. */
  skipped: { name: string; reason: string }[];
  /** With takeOver: the secret access key of each imported IAM user profile, for the keychain. */
  secretKeys: { name: string; secretAccessKey: string }[];
  /** aws-vault and granted credential_process profiles, and the profile whose settings they were given. */
  adopted: { name: string; tool: 'aws-vault' | 'granted'; target: string }[];
}

export interface ImportOptions {
  /** Static keys become IAM user profiles (their secret keys returned in secretKeys) instead of being skipped. */
  takeOver?: boolean;
}

type Section = Record<string, string | undefined>;

// Profile fields and the INI keys they come from, so validation messages speak the file's words.
const INI_KEY: Record<string, string> = {
  name: 'profile name', region: 'region', sourceProfile: 'source_profile', roleArn: 'role_arn', roleSessionName: 'role_session_name',
  externalId: 'external_id', mfaSerial: 'mfa_serial', durationSeconds: 'duration_seconds', sourceIdentity: 'source_identity',
  webIdentityTokenFile: 'web_identity_token_file', ssoSession: 'sso_session', accountId: 'sso_account_id', roleName: 'sso_role_name',
  startUrl: 'sso_start_url', registrationScopes: 'sso_registration_scopes', accessKeyId: 'aws_access_key_id', sessionDurationSeconds: 'duration_seconds',
};
// An Identity Center's region is written sso_region (a profile's own region is region).
const SSO_SESSION_KEY: Record<string, string> = { ...INI_KEY, region: 'sso_region' };

const STATIC_KEYS = 'static keys: rolecall config import --take-over moves them into the keychain (or rolecall iam-user add, then import again)';

// AWS secret access keys are 40 characters of base64 (as iam-users.ts checks).
const SECRET_ACCESS_KEY = /^[A-Za-z0-9/+=]{40}$/;

export async function importAwsConfig(
  configText: string,
  credentialsText = '',
  files: { config?: string; credentials?: string } = {},
  options: ImportOptions = {},
): Promise<AwsConfigImport> {
  const configName = files.config ?? '~/.aws/config';
  checkIniSyntax(configText, configName);
  checkIniSyntax(credentialsText, files.credentials ?? '~/.aws/credentials');
  const range = findManagedBlock(configText, configName);
  const managed = range ? await configProfileNames(configText.slice(range.start, range.end)) : new Set<string>();
  const { config, credentials } = await parseAwsFiles(configText, credentialsText);

  const result: AwsConfigImport = { profiles: [], ssoSessions: [], skipped: [], secretKeys: [], adopted: [] };
  const skip = (name: string, reason: string) => result.skipped.push({ name, reason });

  for (const [key, s] of Object.entries(config)) {
    if (!key.startsWith('sso-session.')) continue;
    const name = key.slice('sso-session.'.length);
    const scopes = s.sso_registration_scopes?.split(',').map((x) => x.trim()).filter(Boolean);
    const session = SsoSession.safeParse({ name, startUrl: s.sso_start_url, region: s.sso_region, ...(scopes ? { registrationScopes: scopes } : {}) });
    if (session.success) result.ssoSessions.push(session.data);
    else skip(`sso-session ${name}`, firstProblem(session.error, SSO_SESSION_KEY));
  }
  const explicitSessions = new Set(result.ssoSessions.map((x) => x.name));

  // As the SDK merges them: the credentials file's settings win over the config file's.
  const merged: Record<string, Section> = {};
  for (const [name, s] of Object.entries(config)) if (!isSpecialSection(name)) merged[name] = { ...s };
  for (const [name, s] of Object.entries(credentials)) merged[name] = { ...merged[name], ...s };
  adoptCredentialProcess(merged, result.adopted);

  for (const [name, s] of Object.entries(merged)) {
    if (managed.has(name)) continue; // Rolecall's own credential_process entries
    const validName = ProfileName.safeParse(name);
    if (!validName.success) {
      skip(name, `profile name: ${validName.error.issues[0]?.message}`);
      continue;
    }
    const mapped = mapProfile(name, s, merged, explicitSessions, result.ssoSessions, !!options.takeOver);
    if (typeof mapped === 'string') {
      skip(name, mapped);
      continue;
    }
    const profile = Profile.safeParse(mapped.profile);
    if (!profile.success) {
      skip(name, firstProblem(profile.error));
      continue;
    }
    if (mapped.newSession) result.ssoSessions.push(mapped.newSession);
    if (mapped.secretAccessKey !== undefined) result.secretKeys.push({ name, secretAccessKey: mapped.secretAccessKey });
    result.profiles.push(profile.data);
  }
  // Profiles whose source_profile chain loops can never be resolved: said here, in the file's words.
  const index = indexProfiles(result.profiles);
  const looping = new Map(result.profiles.flatMap((p) => {
    const { problem } = chainOf(index, p.name);
    return problem?.kind === 'loop' ? [[p.name, problem.path] as const] : [];
  }));
  for (const [name, path] of looping) skip(name, `source_profile forms a loop (${path.join(' -> ')})`);
  result.profiles = result.profiles.filter((p) => !looping.has(p.name));
  result.secretKeys = result.secretKeys.filter((k) => !looping.has(k.name));
  return result;
}

/**
 * aws-vault's `credential_process = aws-vault exec NAME --json` (or `export --format=json NAME`)
 * and granted's `granted credential-process --profile NAME` only hand out what profile NAME sets
 * up: such a profile is given NAME's settings (its own region kept), so it is imported as what it
 * stands for.
 */
function adoptCredentialProcess(merged: Record<string, Section>, adopted: AwsConfigImport['adopted']): void {
  const original = Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, { ...v }]));
  for (const [name, s] of Object.entries(original)) {
    const found = s.credential_process === undefined ? undefined : credentialProcessTool(s.credential_process);
    if (!found) continue;
    const target = found.profile ?? name;
    const { credential_process: _self, ...own } = s;
    const { credential_process: _target, ...targetSettings } = original[target] ?? {};
    merged[name] = target === name ? own : { ...targetSettings, ...(own.region !== undefined ? { region: own.region } : {}) };
    adopted.push({ name, tool: found.tool, target });
  }
}

/** Which tool a credential_process line runs, and the profile it names; undefined for other tools. */
export function credentialProcessTool(line: string): { tool: 'aws-vault' | 'granted'; profile?: string } | undefined {
  const words = line.trim().split(/\s+/);
  const program = (words[0] ?? '').replace(/^["']|["']$/g, '').split('/').pop();
  if (program === 'aws-vault' && (words[1] === 'exec' || words[1] === 'export')) {
    // Flags with a separate value; the first other non-flag word is the profile.
    const withValue = new Set(['--duration', '-d', '--region', '--mfa-token', '-t', '--prompt', '--format', '--backend']);
    for (let i = 2; i < words.length; i++) {
      const w = words[i] as string;
      if (w === '--') break;
      if (w.startsWith('-')) {
        if (withValue.has(w)) i++;
        continue;
      }
      return { tool: 'aws-vault', profile: w };
    }
    return { tool: 'aws-vault' };
  }
  if (program === 'granted' && words[1] === 'credential-process') {
    for (let i = 2; i < words.length; i++) {
      const w = words[i] as string;
      if (w.startsWith('--profile=')) return { tool: 'granted', profile: w.slice('--profile='.length) };
      if (w === '--profile' && words[i + 1]) return { tool: 'granted', profile: words[i + 1] };
    }
    return { tool: 'granted' };
  }
  return undefined;
}

type Mapped = { profile: Record<string, unknown>; newSession?: SsoSession; secretAccessKey?: string } | string;

function mapProfile(name: string, s: Section, all: Record<string, Section>, explicitSessions: Set<string>, sessions: SsoSession[], takeOver: boolean): Mapped {
  const common = { name, ...opt('region', s.region) };
  if (s.role_arn !== undefined) {
    const hop = {
      ...common,
      roleArn: s.role_arn,
      ...opt('roleSessionName', s.role_session_name),
      ...opt('durationSeconds', num(s.duration_seconds)),
    };
    if (s.web_identity_token_file !== undefined) return { profile: { ...hop, kind: 'web-identity', webIdentityTokenFile: s.web_identity_token_file } };
    if (s.source_profile !== undefined) {
      if (s.source_profile === name) return `source_profile names the profile itself; ${STATIC_KEYS} under another name, then point source_profile at it`;
      if (!all[s.source_profile]) return `source_profile ${quoted(s.source_profile)} is not defined`;
      return {
        profile: {
          ...hop,
          kind: 'assume-role',
          sourceProfile: s.source_profile,
          ...opt('mfaSerial', s.mfa_serial),
          ...opt('externalId', s.external_id),
          ...opt('sourceIdentity', s.source_identity),
        },
      };
    }
    if (s.credential_source !== undefined) {
      return `credential_source ${oneLine(s.credential_source, 64)} takes credentials from the machine the AWS tool runs on (environment, EC2 or ECS metadata); Rolecall cannot import it`;
    }
    return 'role_arn without source_profile, web_identity_token_file or credential_source';
  }
  if (s.sso_session !== undefined || s.sso_start_url !== undefined || s.sso_account_id !== undefined || s.sso_role_name !== undefined) {
    return mapSsoProfile(common, s, explicitSessions, sessions);
  }
  if (s.credential_process !== undefined) return 'credential_process: another tool provides these credentials';
  if (s.aws_access_key_id !== undefined || s.aws_secret_access_key !== undefined || s.aws_session_token !== undefined) {
    return takeOver ? mapStaticKeys(common, s) : STATIC_KEYS;
  }
  return 'no credential settings (only settings such as region)';
}

/** Long-term keys as an IAM user profile (with its mfa_serial); the secret goes to the keychain. Messages never show a key. */
function mapStaticKeys(common: { name: string }, s: Section): Mapped {
  if (s.aws_session_token !== undefined) return 'temporary keys (aws_session_token): nothing lasting to take over';
  if (s.aws_access_key_id === undefined || s.aws_secret_access_key === undefined) return 'aws_access_key_id and aws_secret_access_key are both needed';
  if (!s.aws_access_key_id.startsWith('AKIA')) return "aws_access_key_id: an IAM user's access key id starts with AKIA";
  if (!SECRET_ACCESS_KEY.test(s.aws_secret_access_key)) return 'aws_secret_access_key: not 40 characters of letters, digits and / + =';
  return {
    profile: { ...common, kind: 'iam-user', accessKeyId: s.aws_access_key_id, ...opt('mfaSerial', s.mfa_serial), ...opt('sessionDurationSeconds', num(s.duration_seconds)) },
    secretAccessKey: s.aws_secret_access_key,
  };
}

function mapSsoProfile(common: { name: string }, s: Section, explicitSessions: Set<string>, sessions: SsoSession[]): Mapped {
  if (s.sso_account_id === undefined || s.sso_role_name === undefined) {
    return 'no sso_account_id and sso_role_name (a profile only for signing in)';
  }
  const role = { ...common, kind: 'sso-role', accountId: s.sso_account_id, roleName: s.sso_role_name };
  if (s.sso_session !== undefined) {
    if (!explicitSessions.has(s.sso_session)) return `sso_session ${quoted(s.sso_session)} has no valid [sso-session] section of that name`;
    return { profile: { ...role, ssoSession: s.sso_session } };
  }
  // The legacy form carries the Identity Center instance in the profile itself.
  if (s.sso_start_url === undefined || s.sso_region === undefined) return 'sso_start_url and sso_region are both needed (or sso_session)';
  const same = sessions.find((x) => x.startUrl === s.sso_start_url && x.region === s.sso_region);
  if (same) return { profile: { ...role, ssoSession: same.name } };
  const newSession = SsoSession.safeParse({ name: sessionName(s.sso_start_url, sessions), startUrl: s.sso_start_url, region: s.sso_region });
  if (!newSession.success) return firstProblem(newSession.error, SSO_SESSION_KEY);
  return { profile: { ...role, ssoSession: newSession.data.name }, newSession: newSession.data };
}

/** "https://acme.awsapps.com/start" -> "acme" (then "acme-2", ... when taken). */
function sessionName(startUrl: string, sessions: SsoSession[]): string {
  let base = 'sso';
  try {
    const label = new URL(startUrl).hostname.split('.')[0] ?? '';
    const clean = label.replace(/[^A-Za-z0-9_.+@-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 100);
    if (IntegrationName.safeParse(clean).success) base = clean;
  } catch {
    // An invalid URL fails validation right after; the name does not matter.
  }
  const taken = new Set(sessions.map((x) => x.name));
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  return name;
}

const opt = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));

// A non-number stays a string so validation reports it.
const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : v);

function firstProblem(err: z.ZodError, keys = INI_KEY): string {
  const issue = err.issues[0];
  if (!issue) return 'invalid';
  const field = issue.path[0];
  const key = typeof field === 'string' ? (keys[field] ?? field) : undefined;
  return key ? `${key}: ${issue.message}` : issue.message;
}

