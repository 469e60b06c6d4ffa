// An Identity Center instance's tokens, in the keychain as `sso-token/<name>` (a TokenRecord): the
// access token, the refresh token and the client registration that can redeem it. Access tokens are
// refreshed silently; a refresh AWS refuses (invalid_grant, an expired registration) ends the
// sign-in, and the person is asked to sign in again.
import type { SsoSession } from '../../../src-shared/profile';
import { RolecallError } from '../errors';
import { ssoTokenEntryName, TokenRecord } from '../secrets/keychain-entries';
import type { SecretStore } from '../secrets/secret-store';
import { OidcError, readJson, type OidcClient, type Registration, type SignInFlow, type TokenGrant } from './oidc';

export { TokenRecord };

/** Refresh this long before the access token expires: the AWS CLI treats less as stale too. */
export const REFRESH_AHEAD_MS = 15 * 60_000;

export const signInRequired = (name: string, why: string, cause?: unknown) =>
  new RolecallError(`${why}; sign in again`, 'sign-in-required', `run: rolecall login sso ${name}`, { cause });

export class TokenStore {
  constructor(private readonly secrets: SecretStore) {}

  get(name: string): Promise<TokenRecord | null> {
    return readJson(this.secrets, ssoTokenEntryName(name), TokenRecord);
  }

  set(name: string, record: TokenRecord): Promise<void> {
    return this.secrets.set(ssoTokenEntryName(name), JSON.stringify(record));
  }

  delete(name: string): Promise<boolean> {
    return this.secrets.delete(ssoTokenEntryName(name));
  }
}

export function recordFromGrant(session: SsoSession, reg: Registration, flow: SignInFlow, grant: TokenGrant, now: number): TokenRecord {
  return {
    startUrl: session.startUrl,
    region: session.region,
    accessToken: grant.accessToken,
    expiresAt: new Date(now + grant.expiresIn * 1000).toISOString(),
    refreshToken: grant.refreshToken,
    clientId: reg.clientId,
    clientSecret: reg.clientSecret,
    registrationExpiresAt: new Date(reg.clientSecretExpiresAt * 1000).toISOString(),
    flow,
  };
}

export const expiresAtOf = (r: TokenRecord) => new Date(r.expiresAt);
/** Good for use without a refresh. */
export const isFresh = (r: TokenRecord, now: number) => expiresAtOf(r).getTime() - now > (r.refreshToken ? REFRESH_AHEAD_MS : 60_000);
export const isUnexpired = (r: TokenRecord, now: number) => expiresAtOf(r).getTime() > now;
/** A record for another start URL or region (the instance was re-pointed) is not this instance's. */
export const belongsTo = (r: TokenRecord, s: SsoSession) => r.startUrl === s.startUrl && r.region === s.region;

/**
 * Redeems the refresh token. AWS rotates it, so the new one replaces the old. Throws
 * 'sign-in-required' when AWS will not refresh (the caller then drops the record).
 */
export async function refreshRecord(oidc: OidcClient, name: string, r: TokenRecord, now: number): Promise<TokenRecord> {
  if (!r.refreshToken) throw signInRequired(name, `the Identity Center sign-in for ${name} has expired`);
  if (new Date(r.registrationExpiresAt).getTime() <= now) throw signInRequired(name, `Rolecall's client registration for ${name} has expired`);
  try {
    const grant = await oidc.createToken({ grantType: 'refresh_token', clientId: r.clientId, clientSecret: r.clientSecret, refreshToken: r.refreshToken });
    return { ...r, accessToken: grant.accessToken, expiresAt: new Date(now + grant.expiresIn * 1000).toISOString(), refreshToken: grant.refreshToken ?? r.refreshToken };
  } catch (err) {
    if (err instanceof OidcError && ['invalid_grant', 'invalid_client', 'unauthorized_client', 'expired_token', 'access_denied'].includes(err.error)) {
      throw signInRequired(name, `the Identity Center sign-in for ${name} has ended (${err.error})`, err);
    }
    throw err;
  }
}
