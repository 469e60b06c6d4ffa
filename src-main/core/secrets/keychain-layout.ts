// What Rolecall keeps in the OS keychain, by entry name, and the shape of the broker's session
// entries. Every entry name is made here; keychain-entries.ts holds the zod schema of every
// entry's value. This half imports only Node built-ins: the credential_process hot path reads
// session entries through it without loading zod or the AWS SDK.
//
//   session/<profile>[#<settings>]   a session the broker issued (SessionEntry), per caller settings
//   iam-user/<profile>               an IAM user's long-term access key
//   sso-token/<instance>             an Identity Center sign-in: access and refresh token, client
//   sso-client/<region>/<start URL>  Rolecall's SSO OIDC client registrations (start URL hashed)
//   saml-response/<integration>      the latest SAMLResponse of a SAML sign-in (a bearer secret, minutes long)
//   oidc-token/<integration>         an OIDC sign-in: id_token, refresh token, the issuer's endpoints
//   aws-login/<profile>              an AWS sign-in (aws login): DPoP private key, refresh token, client id
//   keychain-check                   no secret: written and read to check the keychain works
import { createHash } from 'node:crypto';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Where a profile's session lives for one set of caller settings (awsSettingsKey): the profile's
 * name when there are none (everyday entries keep their names), else the name and a short hash of
 * the settings. '#' cannot appear in a profile name, so no two (profile, settings) pairs meet.
 * The same scope names the broker's memory cache, single-flight and lock.
 */
export function sessionScope(profile: string, settingsKey: string): string {
  return settingsKey ? `${profile}#${settingsHash(settingsKey)}` : profile;
}

/** The profile of a scope made under these settings, or undefined when it was made under others. */
export function profileOfScope(scope: string, settingsKey: string): string | undefined {
  if (!settingsKey) return scope.includes('#') ? undefined : scope;
  const suffix = `#${settingsHash(settingsKey)}`;
  return scope.endsWith(suffix) ? scope.slice(0, -suffix.length) : undefined;
}

// A process sees one or two sets of settings, and listing 10,000 profiles' sessions asks for each.
let lastSettings: { key: string; hash: string } | undefined;
function settingsHash(settingsKey: string): string {
  if (lastSettings?.key !== settingsKey) lastSettings = { key: settingsKey, hash: sha256(settingsKey).slice(0, 16) };
  return lastSettings.hash;
}

export const SESSION_ENTRY_PREFIX = 'session/';
export const sessionEntryName = (profile: string, settingsKey = '') => `${SESSION_ENTRY_PREFIX}${sessionScope(profile, settingsKey)}`;
/** The prefix every session of the profile (under any settings) shares besides the everyday entry. */
/** The profile whose session an entry of that name holds under these settings, else undefined. */
export const profileOfSessionEntry = (entry: string, settingsKey = '') => (entry.startsWith(SESSION_ENTRY_PREFIX) ? profileOfScope(entry.slice(SESSION_ENTRY_PREFIX.length), settingsKey) : undefined);
export const sessionVariantsPrefix = (profile: string) => `${SESSION_ENTRY_PREFIX}${profile}#`;
export const iamUserEntryName = (profile: string) => `iam-user/${profile}`;
/** A harmless entry written or read only to check that the keychain can be reached and keep secrets. */
export const KEYCHAIN_PROBE_ENTRY = 'keychain-check';
export const ssoTokenEntryName = (instance: string) => `sso-token/${instance}`;
export const samlResponseEntryName = (integration: string) => `saml-response/${integration}`;
export const oidcTokenEntryName = (integration: string) => `oidc-token/${integration}`;
export const awsLoginEntryName = (profile: string) => `aws-login/${profile}`;
export const ssoClientEntryName = (region: string, startUrl: string) => `sso-client/${region}/${sha256(startUrl).slice(0, 32)}`;

export const CREDENTIAL_TYPES = ['iam-user', 'session-token', 'role'] as const;

/** A session entry's value (JSON). `refreshAt` is the broker's, so every reader agrees on when a session is stale. */
export interface SessionEntry {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** RFC 3339, as toISOString writes it. */
  expiration: string;
  refreshAt: string;
  credentialType: (typeof CREDENTIAL_TYPES)[number];
  arn?: string;
  /** The MFA device the session was issued with (StepResult.mfaSerial). */
  mfaSerial?: string;
}

// RFC 3339 date-time with seconds and Z or an offset: the rule of zod's datetime({ offset: true }),
// which CachedSession applies (a test holds the two readers equal).
const DATE = '(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8])))';
const DATE_TIME = new RegExp(`^${DATE}T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z|[+-](?:[01]\\d|2[0-3]):[0-5]\\d)$`);

/** A session entry read without zod; undefined when it is not JSON of SessionEntry's shape. */
export function parseSessionEntry(text: string): SessionEntry | undefined {
  let e: unknown;
  try {
    e = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return undefined;
  const o = e as Record<string, unknown>;
  const str = (v: unknown): v is string => typeof v === 'string';
  const optStr = (v: unknown) => v === undefined || str(v);
  const dateTime = (v: unknown): v is string => str(v) && DATE_TIME.test(v);
  if (!str(o.accessKeyId) || !str(o.secretAccessKey) || !optStr(o.sessionToken) || !optStr(o.arn) || !optStr(o.mfaSerial)) return undefined;
  if (!dateTime(o.expiration) || !dateTime(o.refreshAt)) return undefined;
  if (!CREDENTIAL_TYPES.includes(o.credentialType as SessionEntry['credentialType'])) return undefined;
  return {
    accessKeyId: o.accessKeyId,
    secretAccessKey: o.secretAccessKey,
    ...(o.sessionToken !== undefined ? { sessionToken: o.sessionToken as string } : {}),
    expiration: o.expiration,
    refreshAt: o.refreshAt,
    credentialType: o.credentialType as SessionEntry['credentialType'],
    ...(o.arn !== undefined ? { arn: o.arn as string } : {}),
    ...(o.mfaSerial !== undefined ? { mfaSerial: o.mfaSerial as string } : {}),
  };
}
