// What IAM Identity Center remembers between calls: client registrations, device authorizations,
// authorization codes, sign-in sessions and the tokens they issued. One store per sandbox, shared
// by the SSO OIDC endpoint, its browser pages and the portal, all judged by the sandbox clock.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { IdentityCenter } from '../org';
import { ExpiringMap, type SandboxState } from '../state';
import { AssignmentIndex } from './assignments';

export const GRANT_DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';
export const GRANT_AUTHORIZATION_CODE = 'authorization_code';
export const GRANT_REFRESH_TOKEN = 'refresh_token';
export const KNOWN_GRANTS = [GRANT_DEVICE_CODE, GRANT_AUTHORIZATION_CODE, GRANT_REFRESH_TOKEN];

/** AWS answers clientSecretExpiresAt 90 days after registration. */
export const REGISTRATION_SECONDS = 90 * 24 * 3600;
export const DEVICE_AUTHORIZATION_SECONDS = 600;
/** AWS hands out interval 1; every slow_down adds 5 (RFC 8628 section 3.5). */
export const DEVICE_POLL_INTERVAL_SECONDS = 1;
export const AUTHORIZATION_CODE_SECONDS = 300;

export interface ClientRegistration {
  clientId: string;
  clientSecret: string;
  clientName: string;
  scopes: string[];
  /** Absent when the client did not restrict its grants. */
  grantTypes?: string[];
  redirectUris: string[];
  issuerUrl?: string;
  issuedAt: Date;
  expiresAt: Date;
}

export interface SignInSession {
  instance: IdentityCenter;
  userName: string;
  expiresAt: Date;
  loggedOut: boolean;
}

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  clientId: string;
  instance: IdentityCenter;
  expiresAt: Date;
  intervalSeconds: number;
  lastPolledAt?: number;
  status: 'pending' | 'approved' | 'denied' | 'redeemed';
  session?: SignInSession;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: string[];
  session: SignInSession;
  expiresAt: Date;
  redeemed: boolean;
}

export interface AccessToken {
  accessToken: string;
  clientId: string;
  session: SignInSession;
  expiresAt: Date;
}

export interface RefreshToken {
  refreshToken: string;
  clientId: string;
  scopes: string[];
  session: SignInSession;
  /** Refresh tokens rotate: once used, this one is spent. */
  spent: boolean;
}

const opaque = (prefix: string, bytes: number) => prefix + randomBytes(bytes).toString('base64url');
// AWS user codes are 8 letters shown as XXXX-XXXX; leave out letters easily misread.
const USER_CODE_LETTERS = 'BCDFGHJKLMNPQRSTVWXZ';
const newUserCode = () => {
  let s = '';
  for (let i = 0; i < 8; i++) s += USER_CODE_LETTERS[randomInt(USER_CODE_LETTERS.length)];
  return `${s.slice(0, 4)}-${s.slice(4)}`;
};

/** Start URLs compare without trailing slashes or a trailing "#/", as people paste them both ways. */
export const normalizeStartUrl = (u: string) => u.trim().replace(/#\/?$/, '').replace(/\/+$/, '').toLowerCase();

export class IdentityCenterStore {
  // Each forgets what expired a day ago once it grows large (see ExpiringMap).
  readonly registrations = this.expiring<ClientRegistration>((r) => r.expiresAt);
  readonly deviceAuthorizations = this.expiring<DeviceAuthorization>((d) => d.expiresAt);
  readonly deviceByUserCode = this.expiring<DeviceAuthorization>((d) => d.expiresAt);
  readonly authorizationCodes = this.expiring<AuthorizationCode>((c) => c.expiresAt);
  readonly accessTokens = this.expiring<AccessToken>((t) => t.expiresAt);
  /** A refresh token lives as long as its sign-in session. */
  readonly refreshTokens = this.expiring<RefreshToken>((t) => t.session.expiresAt);
  readonly assignments: AssignmentIndex;

  constructor(readonly state: SandboxState) {
    this.assignments = new AssignmentIndex(state.org);
  }

  now(): number {
    return this.state.now().getTime();
  }

  private expiring<V>(expiresAt: (v: V) => Date): ExpiringMap<string, V> {
    return new ExpiringMap<string, V>(
      () => this.now(),
      (v) => expiresAt(v).getTime(),
    );
  }

  instanceByStartUrl(startUrl: string): IdentityCenter | undefined {
    const want = normalizeStartUrl(startUrl);
    return this.state.org.identityCenter.find((ic) => normalizeStartUrl(ic.startUrl) === want);
  }

  /** The Identity Center user, if the name and password match. */
  authenticate(instance: IdentityCenter, userName: string, password: string) {
    const user = instance.users.find((u) => u.userName.toLowerCase() === userName.trim().toLowerCase());
    return user && user.password === password ? user : undefined;
  }

  register(fields: Omit<ClientRegistration, 'clientId' | 'clientSecret' | 'issuedAt' | 'expiresAt'>): ClientRegistration {
    const issuedAt = new Date(Math.floor(this.now() / 1000) * 1000);
    const reg: ClientRegistration = {
      ...fields,
      clientId: opaque('', 16),
      clientSecret: opaque('eyJraWQiOiJrZXktc2FuZGJveCJ9.', 96),
      issuedAt,
      expiresAt: new Date(issuedAt.getTime() + REGISTRATION_SECONDS * 1000),
    };
    this.registrations.set(reg.clientId, reg);
    return reg;
  }

  /** The registration when clientId and clientSecret match a live one. */
  client(clientId: string, clientSecret: string): ClientRegistration | undefined {
    const reg = this.registrations.get(clientId);
    if (!reg || reg.clientSecret !== clientSecret || reg.expiresAt.getTime() <= this.now()) return undefined;
    return reg;
  }

  liveClient(clientId: string): ClientRegistration | undefined {
    const reg = this.registrations.get(clientId);
    return reg && reg.expiresAt.getTime() > this.now() ? reg : undefined;
  }

  startDeviceAuthorization(clientId: string, instance: IdentityCenter): DeviceAuthorization {
    let userCode = newUserCode();
    while (this.deviceByUserCode.has(userCode)) userCode = newUserCode();
    const da: DeviceAuthorization = {
      deviceCode: opaque('', 64),
      userCode,
      clientId,
      instance,
      expiresAt: new Date(this.now() + DEVICE_AUTHORIZATION_SECONDS * 1000),
      intervalSeconds: DEVICE_POLL_INTERVAL_SECONDS,
      status: 'pending',
    };
    this.deviceAuthorizations.set(da.deviceCode, da);
    this.deviceByUserCode.set(userCode, da);
    return da;
  }

  /** A pending device authorization a person may still approve, found by the code they typed. */
  pendingDevice(userCode: string): DeviceAuthorization | undefined {
    const letters = userCode.toUpperCase().replace(/[^A-Z]/g, '');
    const da = this.deviceByUserCode.get(`${letters.slice(0, 4)}-${letters.slice(4)}`);
    return da && da.status === 'pending' && da.expiresAt.getTime() > this.now() ? da : undefined;
  }

  signIn(instance: IdentityCenter, userName: string): SignInSession {
    return { instance, userName, expiresAt: new Date(this.now() + instance.sessionSeconds * 1000), loggedOut: false };
  }

  sessionLive(s: SignInSession): boolean {
    return !s.loggedOut && s.expiresAt.getTime() > this.now();
  }

  issueAuthorizationCode(fields: Omit<AuthorizationCode, 'code' | 'expiresAt' | 'redeemed'>): AuthorizationCode {
    const ac: AuthorizationCode = { ...fields, code: opaque('', 48), expiresAt: new Date(this.now() + AUTHORIZATION_CODE_SECONDS * 1000), redeemed: false };
    this.authorizationCodes.set(ac.code, ac);
    return ac;
  }

  /** Issues an access token (and a refresh token when the client may refresh) for a sign-in session. */
  issueTokens(client: ClientRegistration, session: SignInSession, scopes: string[]) {
    const lifetimeMs = Math.min(session.instance.accessTokenSeconds * 1000, session.expiresAt.getTime() - this.now());
    const at: AccessToken = { accessToken: opaque('aoa', 180), clientId: client.clientId, session, expiresAt: new Date(this.now() + lifetimeMs) };
    this.accessTokens.set(at.accessToken, at);
    let rt: RefreshToken | undefined;
    if (mayRefresh(client)) {
      rt = { refreshToken: opaque('aor', 180), clientId: client.clientId, scopes, session, spent: false };
      this.refreshTokens.set(rt.refreshToken, rt);
    }
    return { accessToken: at, refreshToken: rt, expiresIn: Math.max(0, Math.floor(lifetimeMs / 1000)) };
  }

  /** The access token's record while it and its sign-in session are live. */
  liveAccessToken(token: string): AccessToken | undefined {
    const at = this.accessTokens.get(token);
    return at && at.expiresAt.getTime() > this.now() && this.sessionLive(at.session) ? at : undefined;
  }
}

/** AWS issues refresh tokens to clients that asked for the refresh_token grant or registered scopes. */
export function mayRefresh(client: ClientRegistration): boolean {
  return client.grantTypes ? client.grantTypes.includes(GRANT_REFRESH_TOKEN) : client.scopes.length > 0;
}

/** A client that listed its grants may use only those; one that did not may use device code and refresh. */
export function grantAllowed(client: ClientRegistration, grant: string): boolean {
  if (client.grantTypes) return client.grantTypes.includes(grant);
  return grant === GRANT_DEVICE_CODE || grant === GRANT_REFRESH_TOKEN;
}

export const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

const stores = new WeakMap<SandboxState, IdentityCenterStore>();
/** The store of one sandbox; the SSO OIDC and portal services share it through the sandbox state. */
export function identityCenterOf(state: SandboxState): IdentityCenterStore {
  let s = stores.get(state);
  if (!s) {
    s = new IdentityCenterStore(state);
    stores.set(state, s);
  }
  return s;
}
