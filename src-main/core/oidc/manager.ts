// OIDC web identity for the rest of Rolecall: sign-in (PKCE in a browser, or the device code),
// status, and the id_tokens the broker sends to AssumeRoleWithWebIdentity (OidcIdTokenSource),
// renewed silently with the refresh token. Every token is checked (id-token.ts) before it is kept.
// Refresh tokens rotate, and a rotated one used twice ends the grant at most IdPs: one refresh per
// integration at a time, across processes (a file lock, and a second look at the keychain once held).
import type { OidcIntegration } from '../../../src-shared/profile';
import { RolecallError } from '../errors';
import type { StateStore } from '../files/state-store';
import { lockFileFor, withFileLock } from '../lock';
import type { RolecallPaths } from '../paths';
import type { OidcIdTokenSource } from '../providers/types';
import { oidcTokenEntryName, OidcTokenRecord } from '../secrets/keychain-entries';
import { JsonSecret, type SecretStore } from '../secrets/secret-store';
import { SingleFlight } from '../single-flight';
import { browserLikelyAvailable, systemBrowserOpener } from '../sso/open-browser';
import { BrowserUnavailableError } from '../sso/pkce-flow';
import { SIGN_IN_TIMEOUT_MS, type SignInIo } from '../sso/sign-in';
import { deviceCodeSignIn } from './device-flow';
import { discover, type OidcEndpoints } from './discovery';
import { redeem, type TokenGrant } from './grant';
import { OAuthError } from './http';
import { checkIdToken, fetchJwks } from './id-token';
import { pkceSignIn } from './pkce-flow';

/** Renew an id_token with less than this left: STS must still see it valid. */
export const ID_TOKEN_REFRESH_AHEAD_MS = 5 * 60_000;
/** A token with less than this left is not sent at all. */
const ID_TOKEN_MIN_MS = 30_000;

/** The same as an Identity Center sign-in's. */
export type OidcSignInIo = SignInIo;

export interface OidcSignInChoice {
  deviceCode?: boolean;
  noBrowser?: boolean;
  signal?: AbortSignal;
}

export type OidcStatus = { state: 'signed-in'; expiresAt: Date; renewable: boolean } | { state: 'sign-in-required' };

export interface OidcManagerOptions {
  paths: Pick<RolecallPaths, 'locksDir'>;
  state: Pick<StateStore, 'load'>;
  secrets: SecretStore;
  env?: NodeJS.ProcessEnv;
  io?: Partial<OidcSignInIo>;
}

type IdTokenGrant = { idToken: string; expiresAt: Date; sessionName?: string };

/** AWS's RoleSessionName alphabet and length: the person's email, user name or sub made to fit, or none. */
export function sessionNameOf(claims: Record<string, unknown>): string | undefined {
  for (const c of [claims.email, claims.preferred_username, claims.sub]) {
    if (typeof c !== 'string') continue;
    const name = c.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
    if (name.length >= 2) return name;
  }
  return undefined;
}

export const oidcSignInRequired = (name: string, why: string, cause?: unknown) =>
  new RolecallError(`${why}; sign in again`, 'sign-in-required', `run: rolecall login oidc ${name}`, { cause });

export class OidcManager implements OidcIdTokenSource {
  private readonly io: OidcSignInIo;
  private readonly flights = new SingleFlight<string, IdTokenGrant>();

  constructor(private readonly o: OidcManagerOptions) {
    const env = o.env ?? process.env;
    this.io = {
      print: (line) => process.stderr.write(`${line}\n`),
      openBrowser: systemBrowserOpener(env),
      browserAvailable: () => browserLikelyAvailable(env),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      now: () => Date.now(),
      ...o.io,
    };
  }

  /** Signs in afresh, replacing the integration's tokens; nothing is stored unless the id_token passes every check. */
  async login(name: string, choice: OidcSignInChoice = {}, io: Partial<OidcSignInIo> = {}): Promise<{ expiresAt: Date; flow: OidcTokenRecord['flow']; subject: string }> {
    const integration = await this.integration(name);
    const sio = { ...this.io, ...io };
    const endpoints = await discover(integration.issuer);
    const canOpen = !choice.noBrowser && sio.browserAvailable();
    const device = () =>
      deviceCodeSignIn(endpoints, integration, { print: sio.print, openBrowser: canOpen ? sio.openBrowser : undefined, sleep: sio.sleep, now: sio.now, signal: choice.signal, deviceCode: sio.deviceCode });
    let flow: OidcTokenRecord['flow'] = choice.deviceCode || (!choice.noBrowser && !canOpen) ? 'device' : 'pkce';
    let grant: TokenGrant & { nonce?: string };
    if (flow === 'device') grant = await device();
    else {
      try {
        grant = await pkceSignIn(endpoints, integration, { print: sio.print, openBrowser: canOpen ? sio.openBrowser : undefined, timeoutMs: SIGN_IN_TIMEOUT_MS, signal: choice.signal });
      } catch (err) {
        if (!(err instanceof BrowserUnavailableError)) throw err;
        sio.print('No browser could be opened; signing in with a device code instead.');
        flow = 'device';
        grant = await device();
      }
    }
    const { record, subject } = await this.checked(integration, endpoints, grant, flow, sio.now(), grant.nonce);
    await this.locked(name, () => this.tokens(name).set(record));
    return { expiresAt: new Date(record.idTokenExpiresAt), flow, subject };
  }

  /** The integration's id_token, renewed with the refresh token when near expiry; one renewal at a time. */
  idToken(name: string): Promise<IdTokenGrant> {
    return this.flights.run(name, async () => {
      const integration = await this.integration(name);
      const stored = await this.usable(integration);
      if (stored && this.fresh(stored)) return this.handOut(stored);
      return this.locked(name, () => this.renew(integration));
    });
  }

  async status(name: string): Promise<OidcStatus> {
    const integration = await this.integration(name);
    const r = await this.usable(integration);
    if (r && (r.refreshToken || new Date(r.idTokenExpiresAt).getTime() > this.io.now())) return { state: 'signed-in', expiresAt: new Date(r.idTokenExpiresAt), renewable: Boolean(r.refreshToken) };
    return { state: 'sign-in-required' };
  }

  async integrations(): Promise<OidcIntegration[]> {
    return (await this.o.state.load()).oidcIntegrations;
  }

  private async integration(name: string): Promise<OidcIntegration> {
    const i = (await this.o.state.load()).oidcIntegrations.find((x) => x.name === name);
    if (!i) throw new RolecallError(`no OIDC integration named '${name}'`, 'not-found', 'run: rolecall oidc add NAME --issuer URL --client-id ID --role-arn ARN');
    return i;
  }

  private tokens(name: string) {
    return new JsonSecret(this.o.secrets, oidcTokenEntryName(name), OidcTokenRecord);
  }

  /** The stored sign-in, when it belongs to the integration as it is now (not re-pointed to another issuer or client). */
  private async usable(i: OidcIntegration): Promise<OidcTokenRecord | null> {
    const r = await this.tokens(i.name).get();
    return r && r.issuer === i.issuer && r.clientId === i.clientId ? r : null;
  }

  private fresh(r: OidcTokenRecord): boolean {
    const left = new Date(r.idTokenExpiresAt).getTime() - this.io.now();
    return left > (r.refreshToken ? ID_TOKEN_REFRESH_AHEAD_MS : ID_TOKEN_MIN_MS);
  }

  private handOut(r: OidcTokenRecord): IdTokenGrant {
    return { idToken: r.idToken, expiresAt: new Date(r.idTokenExpiresAt), ...(r.sessionName ? { sessionName: r.sessionName } : {}) };
  }

  /** Under the lock, with a second look: another process may have renewed meanwhile. */
  private async renew(i: OidcIntegration): Promise<IdTokenGrant> {
    const now = this.io.now();
    const r = await this.usable(i);
    if (!r) throw oidcSignInRequired(i.name, `not signed in to the OIDC integration '${i.name}'`);
    if (this.fresh(r)) return this.handOut(r);
    const leftMs = new Date(r.idTokenExpiresAt).getTime() - now;
    if (!r.refreshToken) {
      if (leftMs > ID_TOKEN_MIN_MS) return this.handOut(r);
      throw oidcSignInRequired(i.name, `the id_token of '${i.name}' has expired and there is no refresh token`);
    }
    const endpoints: OidcEndpoints = { issuer: r.issuer, tokenEndpoint: r.tokenEndpoint, jwksUri: r.jwksUri };
    let grant: TokenGrant;
    try {
      grant = await redeem(endpoints, { grant_type: 'refresh_token', refresh_token: r.refreshToken, client_id: i.clientId, scope: i.scopes.join(' ') }, `renewing the sign-in to '${i.name}'`);
    } catch (err) {
      if (err instanceof OAuthError && ['invalid_grant', 'invalid_client', 'unauthorized_client', 'access_denied'].includes(err.error)) {
        await this.tokens(i.name).delete();
        throw oidcSignInRequired(i.name, `the identity provider ended the sign-in to '${i.name}' (${err.error})`, err);
      }
      // The IdP cannot be reached: the id_token still works a while.
      if (leftMs > ID_TOKEN_MIN_MS) return this.handOut(r);
      throw err;
    }
    // The provider may keep the refresh token (no rotation): then the old one stays.
    const { record: next, subject } = await this.checked(i, endpoints, { ...grant, refreshToken: grant.refreshToken ?? r.refreshToken }, r.flow, now);
    if (r.subject !== undefined && subject !== r.subject) {
      await this.tokens(i.name).delete();
      throw oidcSignInRequired(i.name, `the identity provider renewed the sign-in to '${i.name}' for someone else (another sub)`);
    }
    await this.tokens(i.name).set(next);
    return this.handOut(next);
  }

  private async checked(i: OidcIntegration, endpoints: OidcEndpoints, grant: TokenGrant, flow: OidcTokenRecord['flow'], now: number, nonce?: string): Promise<{ record: OidcTokenRecord; subject: string }> {
    const { claims, expiresAt } = checkIdToken(grant.idToken, await fetchJwks(endpoints.jwksUri), { issuer: i.issuer, clientId: i.clientId, nonce, now });
    const record: OidcTokenRecord = {
      issuer: i.issuer,
      clientId: i.clientId,
      tokenEndpoint: endpoints.tokenEndpoint,
      jwksUri: endpoints.jwksUri,
      idToken: grant.idToken,
      idTokenExpiresAt: expiresAt.toISOString(),
      ...(grant.refreshToken ? { refreshToken: grant.refreshToken } : {}),
      flow,
      subject: String(claims.sub),
      ...(sessionNameOf(claims) ? { sessionName: sessionNameOf(claims) } : {}),
    };
    return { record, subject: String(claims.sub) };
  }

  private locked<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return withFileLock(lockFileFor(this.o.paths.locksDir, 'oidc', name), fn, { timeoutMs: 60_000, staleMs: 30_000, pollMs: 25 });
  }
}
