// A SAML 2.0 identity provider people sign in to, as a company's IdP would be for AWS: its
// IdP-initiated sign-in URL for AWS (/saml-idp/PROVIDER/sso) shows a login form (users and
// passwords from the organization's samlProviders[].users), keeps an IdP session in a cookie so a
// second sign-in needs no password, and answers with a page that posts a signed SAMLResponse
// (Role pairs, RoleSessionName, SessionDuration, Recipient, NotOnOrAfter) to AWS's sign-in ACS
// URL of the organization's partition, as every IdP's AWS application does. It signs with the
// demo key of demo-keys/ (idp-signing.ts, xml-crypto), whose certificate the provider registers.
import { randomBytes } from 'node:crypto';
import { escapeHtml } from './identity-center/html';
import { buildSamlResponse } from './idp-signing';
import { samlProviderArn, type Organization, type SamlProvider } from './org';
import { send, type RequestContext, type Service } from './service';

const SESSION_COOKIE = 'sandbox-saml-idp-session';
/** How long the IdP remembers a sign-in (a typical IdP session: 8 hours). */
const IDP_SESSION_MS = 8 * 3600 * 1000;
const ACS_URL = { aws: 'https://signin.aws.amazon.com/saml', 'aws-us-gov': 'https://signin.amazonaws-us-gov.com/saml', 'aws-cn': 'https://signin.amazonaws.cn/saml' } as const;

interface IdpSession {
  provider: string;
  userName: string;
  expiresAt: number;
}

const PATH = /^\/saml-idp\/([^/]+)\/(sso|login)$/;

const page = (title: string, body: string) =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main>\n${body}\n</main></body></html>\n`;

function html(ctx: RequestContext, status: number, body: string, headers: Record<string, string> = {}): void {
  send(ctx.res, status, body, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
}

/** The login form: fields "username" and "password", button id "sign-in"; an error in id "error". */
function loginPage(provider: SamlProvider, error?: string): string {
  return page(
    `Sign in to ${provider.name}`,
    `<h1>Sign in to ${escapeHtml(provider.name)}</h1>
${error ? `<p id="error" role="alert">${escapeHtml(error)}</p>\n` : ''}<form id="login" method="post" action="/saml-idp/${encodeURIComponent(provider.name)}/login">
<p><label for="username">Username</label> <input type="text" id="username" name="username" autocomplete="username"></p>
<p><label for="password">Password</label> <input type="password" id="password" name="password" autocomplete="current-password"></p>
<p><button type="submit" id="sign-in">Sign in</button></p>
</form>`,
  );
}

/** What every IdP's AWS application answers: a form that posts itself to the ACS URL. */
function postPage(acsUrl: string, samlResponse: string): string {
  return page(
    'Signing in to AWS',
    `<form id="saml-post" method="post" action="${escapeHtml(acsUrl)}">
<input type="hidden" name="SAMLResponse" value="${escapeHtml(samlResponse)}">
<input type="hidden" name="RelayState" value="">
<noscript><button type="submit">Continue to AWS</button></noscript>
</form>
<script>document.getElementById('saml-post').submit();</script>`,
  );
}

const roleArnOf = (org: Organization, provider: SamlProvider, role: string) =>
  role.startsWith('arn:') ? role : `arn:${org.partition}:iam::${provider.accountId}:role/${role.replace(/^\//, '')}`;

function cookieOf(ctx: RequestContext): string | undefined {
  for (const part of (ctx.req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === SESSION_COOKIE) return v;
  }
  return undefined;
}

export function createSamlIdpService(): Service {
  const sessions = new Map<string, IdpSession>();

  function answer(ctx: RequestContext, provider: SamlProvider, userName: string, headers: Record<string, string> = {}): void {
    const org = ctx.state.org;
    const user = provider.users.find((u) => u.userName === userName);
    if (!user) return html(ctx, 200, loginPage(provider), headers);
    const acsUrl = ACS_URL[org.partition];
    const samlResponse = buildSamlResponse({
      roles: user.roles.map((r) => `${roleArnOf(org, provider, r)},${samlProviderArn(org, provider)}`),
      roleSessionName: user.userName,
      ...(user.sessionDuration !== undefined ? { sessionDuration: user.sessionDuration } : {}),
      issuer: `${ctx.baseUrl}/saml-idp/${provider.name}`,
      nameId: user.userName,
      recipient: acsUrl,
      audience: acsUrl,
      issueInstant: ctx.state.now(),
      sign: 'assertion',
    });
    html(ctx, 200, postPage(acsUrl, samlResponse), headers);
  }

  return {
    name: 'saml-idp',
    operationOf: (ctx) => {
      const m = PATH.exec(ctx.url.pathname);
      if (!m) return undefined;
      return m[2] === 'sso' && ctx.req.method === 'GET' ? 'saml-idp:SignIn' : m[2] === 'login' && ctx.req.method === 'POST' ? 'saml-idp:Login' : undefined;
    },
    handle(ctx, operation) {
      const name = decodeURIComponent(PATH.exec(ctx.url.pathname)?.[1] ?? '');
      const provider = ctx.state.org.samlProviders.find((p) => p.name === name);
      if (!provider) return html(ctx, 404, page('Not found', `<p id="error">No identity provider named ${escapeHtml(name)}.</p>`));
      const now = ctx.state.now().getTime();
      if (operation === 'saml-idp:SignIn') {
        const held = sessions.get(cookieOf(ctx) ?? '');
        // Signed in here before: straight on to AWS, no password (what silent re-authentication relies on).
        if (held && held.provider === provider.name && held.expiresAt > now) return answer(ctx, provider, held.userName);
        return html(ctx, 200, loginPage(provider));
      }
      const form = new URLSearchParams(ctx.body.toString('utf8'));
      const user = provider.users.find((u) => u.userName === form.get('username'));
      if (!user || user.password !== form.get('password')) return html(ctx, 401, loginPage(provider, 'The username or password is not right.'));
      const id = randomBytes(24).toString('base64url');
      sessions.set(id, { provider: provider.name, userName: user.userName, expiresAt: now + IDP_SESSION_MS });
      answer(ctx, provider, user.userName, { 'set-cookie': `${SESSION_COOKIE}=${id}; Path=/saml-idp/; HttpOnly; SameSite=Lax` });
    },
    sendThrottled(ctx) {
      html(ctx, 429, page('Too many requests', '<p id="error">Too many requests; try again shortly.</p>'));
    },
    sendServerError(ctx, status) {
      html(ctx, status, page('Server error', '<p id="error">The identity provider failed; try again shortly.</p>'));
    },
  };
}
