// The sandbox's OpenID Connect identity provider: the certified `oidc-provider` package, configured
// (not imitated), mounted at SANDBOX_URL/oidc. Public native clients from the organization file sign
// people in with the device authorization grant (RFC 8628) or the authorization code with PKCE on a
// loopback redirect, and redeem refresh tokens (rotated, as oidc-provider does for public clients).
// It signs id_tokens with the demo OIDC key, whose public JWK the org file registers with IAM, so
// the sandbox's AssumeRoleWithWebIdentity trusts exactly what this IdP issues.
//
// Pages (plain HTML forms with stable ids, for Playwright and plain form posts):
//   /oidc/device                 user code input and confirmation (oidc-provider's device pages)
//   /oidc/interaction/UID        sign-in form: username, password, button id "sign-in"
//                                consent form: buttons id "allow" / "deny"
import { createPrivateKey } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import Provider, { type Adapter, type AdapterPayload, type Configuration } from 'oidc-provider';
import { demoKeys } from './idp-signing';
import { escapeHtml } from './identity-center/html';
import type { OidcIdp } from './org';
import { send, type RequestContext, type Service } from './service';

export const OIDC_IDP_PATH = '/oidc';

/** The org file's "{{sandbox}}": the sandbox's host:port, known once it listens (the IdP's issuer is on it). */
export const SANDBOX_HOST_PLACEHOLDER = '{{sandbox}}';

/** The organization with every "{{sandbox}}" replaced by the sandbox's 127.0.0.1:PORT. */
export function withSandboxHost<T>(org: T, host: string): T {
  return JSON.parse(JSON.stringify(org).replaceAll(SANDBOX_HOST_PLACEHOLDER, host)) as T;
}

const page = (title: string, body: string) =>
  `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n<main>\n<h1>${escapeHtml(title)}</h1>\n${body}\n</main>\n</body>\n</html>\n`;

function signingJwk() {
  const jwk = createPrivateKey(demoKeys.oidcPrivateKey).export({ format: 'jwk' });
  return { ...jwk, kid: demoKeys.oidcKeyId, alg: 'RS256', use: 'sig' };
}

interface Stored {
  payload: AdapterPayload;
  expiresAt: number;
}

/**
 * oidc-provider's storage, in memory for this sandbox (its own MemoryAdapter is the same, with a
 * warning on every start). Expired entries are dropped when read, and swept once the map is large.
 */
function memoryAdapter(): new (model: string) => Adapter {
  const store = new Map<string, Stored>();
  const grants = new Map<string, Set<string>>();
  const live = (key: string) => {
    const e = store.get(key);
    if (e && e.expiresAt <= Date.now()) store.delete(key);
    return e && e.expiresAt > Date.now() ? e : undefined;
  };
  return class implements Adapter {
    constructor(private readonly model: string) {}
    private key = (id: string) => `${this.model}:${id}`;
    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      if (store.size > 10_000) for (const k of [...store.keys()]) live(k);
      store.set(this.key(id), { payload, expiresAt: Date.now() + expiresIn * 1000 });
      if (payload.grantId) grants.set(payload.grantId, (grants.get(payload.grantId) ?? new Set()).add(this.key(id)));
    }
    async find(id: string) {
      return live(this.key(id))?.payload;
    }
    async findByUid(uid: string) {
      for (const k of store.keys()) if (k.startsWith(`${this.model}:`) && live(k)?.payload.uid === uid) return live(k)?.payload;
      return undefined;
    }
    async findByUserCode(userCode: string) {
      for (const k of store.keys()) if (k.startsWith(`${this.model}:`) && live(k)?.payload.userCode === userCode) return live(k)?.payload;
      return undefined;
    }
    async consume(id: string) {
      const e = live(this.key(id));
      if (e) e.payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const k of grants.get(grantId) ?? []) store.delete(k);
      grants.delete(grantId);
    }
  };
}

function configuration(idp: OidcIdp): Configuration {
  const users = new Map(idp.users.map((u) => [u.userName, u]));
  return {
    clients: idp.clients.map((c) => ({
      client_id: c.clientId,
      client_name: c.clientName ?? c.clientId,
      // A desktop app is a public native client: no secret, PKCE required, loopback redirects on any port (RFC 8252).
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/oauth/callback'],
    })),
    adapter: memoryAdapter(),
    jwks: { keys: [signingJwk()] },
    responseTypes: ['code'],
    // Sandbox-only cookie signing key, published like the demo keys.
    cookies: { keys: ['rolecall-sandbox-oidc-idp-cookies-not-a-secret'] },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: {
      devInteractions: { enabled: false },
      deviceFlow: {
        enabled: true,
        userCodeInputSource: async (ctx, form, _out, err) => {
          const error = err ? `<p id="error">${escapeHtml(err.name === 'NoCodeError' || (err as { userCode?: string }).userCode ? 'That code is not valid.' : 'The sign-in could not go on.')}</p>` : '';
          ctx.body = page('Enter your code', `${error}${form}<button id="continue" type="submit" form="op.deviceInputForm">Continue</button>`);
        },
        userCodeConfirmSource: async (ctx, form, client, _deviceInfo, userCode) => {
          ctx.body = page(
            'Confirm the device',
            `<p>${escapeHtml(client.clientName ?? client.clientId)} shows the code <code id="user-code">${escapeHtml(userCode)}</code>.</p>${form}` +
              `<button id="confirm" type="submit" form="op.deviceConfirmForm">Continue</button>` +
              `<button id="abort" type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Abort</button>`,
          );
        },
        successSource: async (ctx) => {
          ctx.body = page('Signed in', '<p id="done">The device is signed in. You can close this window.</p>');
        },
      },
      revocation: { enabled: true },
    },
    // The token endpoint is reached by native apps, not browsers: no origins to allow.
    clientBasedCORS: () => false,
    pkce: { required: () => true },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      DeviceCode: 600,
      IdToken: idp.idTokenSeconds,
      RefreshToken: idp.refreshTokenSeconds,
      Interaction: 3600,
      Session: idp.refreshTokenSeconds,
      Grant: idp.refreshTokenSeconds,
    },
    // Refresh tokens are issued as oidc-provider does by default: offline_access granted (which
    // the authorization request gets only with prompt=consent) to a client allowed the grant.
    findAccount: async (_ctx, sub) => {
      const user = users.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: user.email, email_verified: true, name: user.userName }),
      };
    },
    interactions: { url: (_ctx, interaction) => `${OIDC_IDP_PATH}/interaction/${interaction.uid}` },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Sign-in error', `<p id="error">${escapeHtml(String(out.error))}: ${escapeHtml(String(out.error_description ?? ''))}</p>`);
    },
  };
}

/** A request oidc-provider can read: the sandbox server has already read the body, so it is replayed. */
function replay(req: IncomingMessage, body: Buffer, url: string): IncomingMessage {
  const copy = Readable.from(body.length ? [body] : []) as unknown as IncomingMessage & { originalUrl: string };
  Object.assign(copy, {
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    method: req.method,
    url,
    originalUrl: req.url,
    socket: req.socket,
    connection: req.socket,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
  });
  return copy;
}

export function createOidcIdpService(idp: OidcIdp | undefined): Service {
  // Made on the first request: the issuer is on the port the sandbox got.
  let provider: { op: Provider; callback: ReturnType<Provider['callback']> } | undefined;
  const providerFor = (baseUrl: string, o: OidcIdp) => {
    if (!provider) {
      const op = new Provider(`${baseUrl}${OIDC_IDP_PATH}`, configuration(o));
      provider = { op, callback: op.callback() };
    }
    return provider;
  };
  const users = new Map((idp?.users ?? []).map((u) => [u.userName, u]));

  return {
    name: 'oidc-idp',
    operationOf: (ctx) => {
      const p = ctx.url.pathname;
      if (!idp || (p !== OIDC_IDP_PATH && !p.startsWith(`${OIDC_IDP_PATH}/`))) return undefined;
      return `oidc-idp:${p.slice(OIDC_IDP_PATH.length).split('/')[1] || 'root'}`;
    },
    async handle(ctx) {
      if (!idp) return;
      const { op, callback } = providerFor(ctx.baseUrl, idp);
      const rest = ctx.url.pathname.slice(OIDC_IDP_PATH.length);
      if (rest.startsWith('/interaction/')) return interaction(op, ctx, users);
      const inner = replay(ctx.req, ctx.body, `${rest || '/'}${ctx.url.search}`);
      await new Promise<void>((resolve) => {
        ctx.res.once('close', resolve);
        void callback(inner, ctx.res);
      });
    },
    sendThrottled: (ctx) => send(ctx.res, 429, JSON.stringify({ error: 'slow_down', error_description: 'too many requests' }), { 'content-type': 'application/json' }),
    sendServerError: (ctx, status) => send(ctx.res, status, JSON.stringify({ error: 'server_error' }), { 'content-type': 'application/json' }),
  };
}

type Users = Map<string, OidcIdp['users'][number]>;

/** The sign-in and consent pages oidc-provider sends a person to (its `interactions.url`). */
async function interaction(op: Provider, ctx: RequestContext, users: Users): Promise<void> {
  const { req, res } = ctx;
  const html = (status: number, title: string, body: string) => send(res, status, page(title, body), { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  let details: Awaited<ReturnType<Provider['interactionDetails']>>;
  try {
    details = await op.interactionDetails(req, res);
  } catch {
    return html(400, 'Sign-in expired', '<p id="error">This sign-in has expired or was not started here. Start again.</p>');
  }
  const base = `${OIDC_IDP_PATH}/interaction/${details.uid}`;
  const form = new URLSearchParams(ctx.req.method === 'POST' ? ctx.body.toString('utf8') : '');
  const prompt = details.prompt.name;

  const loginForm = (error?: string) =>
    html(
      error ? 401 : 200,
      'Sign in',
      `${error ? `<p id="error">${escapeHtml(error)}</p>` : ''}<form id="signin" method="post" action="${base}">` +
        `<label>User name <input id="username" name="username" autocomplete="username"></label>` +
        `<label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label>` +
        `<button id="sign-in" type="submit" name="action" value="login">Sign in</button></form>`,
    );
  const consentForm = () =>
    html(
      200,
      'Allow access',
      `<p>${escapeHtml(String(details.params.client_id))} asks to sign you in${String(details.params.scope ?? '').includes('offline_access') ? ' and stay signed in' : ''}.</p>` +
        `<form id="consent" method="post" action="${base}">` +
        `<button id="allow" type="submit" name="action" value="allow">Allow</button>` +
        `<button id="deny" type="submit" name="action" value="deny">Deny</button></form>`,
    );

  if (ctx.req.method !== 'POST') return prompt === 'login' ? loginForm() : consentForm();
  const action = form.get('action');
  if (prompt === 'login') {
    const user = users.get(form.get('username') ?? '');
    if (!user || user.password !== form.get('password')) return loginForm('Wrong user name or password.');
    return op.interactionFinished(req, res, { login: { accountId: user.userName } }, { mergeWithLastSubmission: false });
  }
  if (action === 'deny') {
    return op.interactionFinished(req, res, { error: 'access_denied', error_description: 'The person denied access.' }, { mergeWithLastSubmission: false });
  }
  const accountId = details.session?.accountId;
  const clientId = String(details.params.client_id);
  const grant = details.grantId ? await op.Grant.find(details.grantId) : new op.Grant({ accountId, clientId });
  if (!grant) return html(400, 'Sign-in expired', '<p id="error">This sign-in has expired. Start again.</p>');
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  return op.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}
