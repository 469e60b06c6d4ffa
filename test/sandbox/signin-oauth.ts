// AWS Sign-In's OAuth endpoints behind `aws login` (the signin 2023-01-01 model and the AWS CLI's
// awscli/customizations/login): a sign-in page at /v1/authorize (IAM user name and console
// password from the organization file, an MFA code when the user has a device, or the root user
// by the account's email), the cross-device confirmation page that shows base64("state=..&code=.."),
// and CreateOAuth2Token at POST /v1/token (rest-json) with the authorization_code grant (PKCE
// S256 checked) and the refresh_token grant. Every token call carries a DPoP proof (RFC 9449):
// its ES256 signature by the embedded jwk, typ, htm/htu, iat window and jti (each used once) are
// checked, and refresh tokens are bound to the key's RFC 7638 thumbprint. Refresh tokens rotate
// on every refresh (the old one is refused) and end 12 hours after sign-in; the credentials
// (900 s) are a session STS knows, whose GetCallerIdentity is the login session's ARN.
import { createHash, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import { z } from 'zod';
import { escapeHtml, formParams, messagePage, redirect, sendHtml } from './identity-center/html';
import { userArn, type User } from './org';
import type { RequestContext, Service } from './service';
import { send } from './service';
import { ExpiringMap, type SandboxState } from './state';
import { verifyTotp } from './totp';

export const SAME_DEVICE_CLIENT_ID = 'arn:aws:signin:::devtools/same-device';
export const CROSS_DEVICE_CLIENT_ID = 'arn:aws:signin:::devtools/cross-device';
export const CONFIRMATION_PATH = '/v1/sessions/confirmation';
/** CreateOAuth2Token's access token: SigV4 credentials this long. */
export const LOGIN_CREDENTIAL_SECONDS = 900;
/** A sign-in's refresh tokens end this long after the person signed in. */
export const LOGIN_SESSION_SECONDS = 12 * 3600;
const AUTH_CODE_SECONDS = 300;
/** A proof's iat may be this far from the host clock (both sides read the same one). */
const IAT_PAST_SECONDS = 300;
const IAT_FUTURE_SECONDS = 60;

/** Who signed in, as the login session remembers them. */
interface SignedIn {
  /** The idToken's sub: the user's or root's ARN. */
  loginSession: string;
  accountId: string;
  /** The IAM user; undefined for the root user. */
  userName?: string;
  /** The password the person signed in with: a later change ends the sign-in. */
  password: string;
  mfaAuthenticated: boolean;
  /** Sandbox clock, ms. */
  signedInAt: number;
}

interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  who: SignedIn;
  expiresAt: number;
}

interface RefreshGrant {
  clientId: string;
  /** RFC 7638 thumbprint of the DPoP key the token is bound to. */
  jkt: string;
  who: SignedIn;
}

class TokenError extends Error {
  constructor(
    readonly type: 'AccessDeniedException' | 'ValidationException' | 'TooManyRequestsError' | 'InternalServerException',
    readonly error: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const accessDenied = (error: 'TOKEN_EXPIRED' | 'AUTHCODE_EXPIRED' | 'USER_CREDENTIALS_CHANGED' | 'INSUFFICIENT_PERMISSIONS', message: string) =>
  new TokenError('AccessDeniedException', error, message, error === 'TOKEN_EXPIRED' || error === 'AUTHCODE_EXPIRED' ? 401 : 403);
const invalid = (error: 'INVALID_REQUEST' | 'invalid_request' | 'invalid_grant' | 'unsupported_grant_type', message: string) =>
  new TokenError('ValidationException', error, message, 400);

function sendTokenError(ctx: RequestContext, e: TokenError): void {
  // rest-json: the error's name in x-amzn-ErrorType, its members in the body.
  send(ctx.res, e.status, JSON.stringify({ error: e.error, message: e.message }), {
    'content-type': 'application/json',
    'x-amzn-ErrorType': e.type,
    'x-amzn-RequestId': ctx.requestId,
  });
}

const TokenInput = z.object({
  clientId: z.string(),
  grantType: z.string(),
  code: z.string().optional(),
  redirectUri: z.string().optional(),
  codeVerifier: z.string().optional(),
  refreshToken: z.string().optional(),
});

const isLoopbackCallback = (uri: string) => /^http:\/\/127\.0\.0\.1:\d{1,5}\/oauth\/callback$/.test(uri);
const b64urlSha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

export function createSigninOAuthService(state: SandboxState): Service {
  const now = () => state.now().getTime();
  const codes = new ExpiringMap<string, AuthorizationCode>(now, (c) => c.expiresAt);
  const refreshTokens = new ExpiringMap<string, RefreshGrant>(now, (g) => g.who.signedInAt + LOGIN_SESSION_SECONDS * 1000);
  // jti values are kept until their proof could no longer pass the iat window anyway.
  const usedJti = new ExpiringMap<string, number>(Date.now, (at) => at + (IAT_PAST_SECONDS + IAT_FUTURE_SECONDS) * 1000);
  let idTokenKey: ReturnType<typeof generateKeyPair> | undefined;

  const signInPage = (ctx: RequestContext, hidden: Record<string, string>, error?: string) => {
    const fields = Object.entries(hidden)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('\n');
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to AWS</title></head><body><main>
<h1>Sign in to AWS</h1>
<p>Allow the AWS command line (${escapeHtml(hidden.client_id ?? '')}) to use your sign-in.</p>
${error ? `<p id="error" role="alert">${escapeHtml(error)}</p>\n` : ''}<form id="signin" method="post" action="/v1/authorize">
${fields}
<p><label for="account">Account ID or alias (IAM user)</label> <input type="text" id="account" name="account"></p>
<p><label for="username">IAM user name, or the root user's email</label> <input type="text" id="username" name="username" autocomplete="username"></p>
<p><label for="password">Password</label> <input type="password" id="password" name="password" autocomplete="current-password"></p>
<p><label for="mfa_code">MFA code (when the user has a device)</label> <input type="text" id="mfa_code" name="mfa_code" autocomplete="one-time-code"></p>
<p><button type="submit" id="approve" name="action" value="approve">Sign in</button></p>
</form></main></body></html>
`;
    sendHtml(ctx, error ? 401 : 200, html);
  };

  /** The authorize request's parameters, checked as the CLI sends them; a message when they are wrong. */
  function authorizeRequest(ctx: RequestContext, p: URLSearchParams): { request: Record<string, string> } | { problem: string } {
    const get = (k: string) => p.get(k) ?? '';
    if (get('response_type') !== 'code') return { problem: 'response_type must be code' };
    const clientId = get('client_id');
    if (clientId !== SAME_DEVICE_CLIENT_ID && clientId !== CROSS_DEVICE_CLIENT_ID) return { problem: 'unknown client_id' };
    if (get('code_challenge_method') !== 'SHA-256') return { problem: 'code_challenge_method must be SHA-256' };
    if (!/^[A-Za-z0-9_-]{43}$/.test(get('code_challenge'))) return { problem: 'code_challenge must be the base64url SHA-256 of the code verifier' };
    if (get('scope') !== 'openid') return { problem: 'scope must be openid' };
    if (!get('state')) return { problem: 'state is required' };
    const redirectUri = get('redirect_uri');
    const ok = clientId === SAME_DEVICE_CLIENT_ID ? isLoopbackCallback(redirectUri) : redirectUri === `${ctx.baseUrl}${CONFIRMATION_PATH}`;
    if (!ok) return { problem: 'redirect_uri is not allowed for this client' };
    const request: Record<string, string> = {};
    for (const k of ['response_type', 'client_id', 'state', 'code_challenge_method', 'scope', 'redirect_uri', 'code_challenge']) request[k] = get(k);
    return { request };
  }

  /** The person the form names, if the password (and the MFA code, for a user with a device) is right. */
  function signIn(form: URLSearchParams): SignedIn | string {
    const userName = (form.get('username') ?? '').trim();
    const password = form.get('password') ?? '';
    const org = state.org;
    if (userName.includes('@')) {
      const account = org.accounts.find((a) => a.email.toLowerCase() === userName.toLowerCase());
      if (!account?.rootPassword || account.rootPassword !== password) return 'Your authentication information is incorrect. Please try again.';
      return { loginSession: `arn:${org.partition}:iam::${account.id}:root`, accountId: account.id, password, mfaAuthenticated: false, signedInAt: now() };
    }
    const accountRef = (form.get('account') ?? '').trim();
    const account = org.accounts.find((a) => a.id === accountRef || a.name === accountRef);
    const user: User | undefined = account && org.users.find((u) => u.accountId === account.id && u.name === userName);
    if (!user?.password || user.password !== password) return 'Your authentication information is incorrect. Please try again.';
    let mfaAuthenticated = false;
    if (user.mfaDevices.length > 0) {
      const code = (form.get('mfa_code') ?? '').trim();
      const device = user.mfaDevices.find((d) => {
        const step = verifyTotp(d.seed, code, state.now());
        return step !== undefined && !state.mfaStepUsed(d.serialNumber, step);
      });
      if (!device) return 'The MFA code is not valid. Wait for the next code and try again.';
      state.useMfaStep(device.serialNumber, verifyTotp(device.seed, code, state.now()) as number);
      mfaAuthenticated = true;
    }
    return { loginSession: userArn(org, user), accountId: user.accountId, userName: user.name, password, mfaAuthenticated, signedInAt: now() };
  }

  function authorize(ctx: RequestContext): void {
    const params = formParams(ctx);
    const checked = authorizeRequest(ctx, params);
    if ('problem' in checked) return sendHtml(ctx, 400, messagePage('Sign-in request not valid', checked.problem, true));
    const { request } = checked;
    if (ctx.req.method !== 'POST') return signInPage(ctx, request);
    const who = signIn(params);
    if (typeof who === 'string') return signInPage(ctx, request, who);
    const code = randomBytes(32).toString('base64url');
    codes.set(code, {
      clientId: request.client_id as string,
      redirectUri: request.redirect_uri as string,
      codeChallenge: request.code_challenge as string,
      who,
      expiresAt: now() + AUTH_CODE_SECONDS * 1000,
    });
    const target = new URL(request.redirect_uri as string);
    target.searchParams.set('code', code);
    target.searchParams.set('state', request.state as string);
    redirect(ctx, 302, target.toString());
  }

  /** Cross device: the page that shows the code the person pastes into the terminal. */
  function confirmation(ctx: RequestContext): void {
    const code = ctx.url.searchParams.get('code');
    const st = ctx.url.searchParams.get('state');
    if (!code || !st) return sendHtml(ctx, 400, messagePage('Sign-in not complete', 'The page was opened without a code.', true));
    const verification = Buffer.from(`state=${encodeURIComponent(st)}&code=${encodeURIComponent(code)}`, 'utf8').toString('base64');
    sendHtml(
      ctx,
      200,
      `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Signed in</title></head><body><main>
<h1>Signed in</h1>
<p>Enter this authorization code in your terminal:</p>
<pre id="verification-code">${escapeHtml(verification)}</pre>
</main></body></html>
`,
    );
  }

  /** The DPoP proof's key thumbprint, when the proof holds (RFC 9449 section 4.3); a TokenError otherwise. */
  async function checkDpop(ctx: RequestContext): Promise<string> {
    const header = ctx.req.headers.dpop;
    if (typeof header !== 'string' || header.split('.').length !== 3) throw invalid('invalid_request', 'A DPoP proof is required (one DPoP header).');
    let jwk: JWK;
    try {
      const h = decodeProtectedHeader(header);
      if (h.typ !== 'dpop+jwt' || h.alg !== 'ES256') throw new Error('typ/alg');
      jwk = h.jwk as JWK;
      if (!jwk || jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string' || 'd' in jwk) throw new Error('jwk');
    } catch {
      throw invalid('invalid_request', 'Invalid DPoP proof: the header must have typ dpop+jwt, alg ES256 and a public P-256 jwk.');
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(header, await importJWK({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, 'ES256'), { typ: 'dpop+jwt', algorithms: ['ES256'] }));
    } catch {
      throw invalid('invalid_request', 'Invalid DPoP proof: the signature does not verify with the proof\'s jwk.');
    }
    const htu = `${ctx.baseUrl}${ctx.url.pathname}`;
    if (payload.htm !== ctx.req.method) throw invalid('invalid_request', 'Invalid DPoP proof: htm does not match the request method.');
    if (payload.htu !== htu) throw invalid('invalid_request', 'Invalid DPoP proof: htu does not match the request URI.');
    const nowS = Date.now() / 1000;
    if (typeof payload.iat !== 'number' || payload.iat < nowS - IAT_PAST_SECONDS || payload.iat > nowS + IAT_FUTURE_SECONDS) {
      throw invalid('invalid_request', 'Invalid DPoP proof: iat is outside the accepted window.');
    }
    if (typeof payload.jti !== 'string' || payload.jti.length < 16) throw invalid('invalid_request', 'Invalid DPoP proof: jti is required.');
    if (usedJti.has(payload.jti)) throw invalid('invalid_request', 'Invalid DPoP proof: this proof (jti) was already used.');
    usedJti.set(payload.jti, Date.now());
    return calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, 'sha256');
  }

  /** The sign-in still stands: the password is unchanged and the user may still use local development sign-in. */
  function stillAllowed(who: SignedIn): void {
    const org = state.org;
    if (who.userName === undefined) {
      const account = org.accounts.find((a) => a.id === who.accountId);
      if (account?.rootPassword !== who.password) throw accessDenied('USER_CREDENTIALS_CHANGED', 'The user\'s credentials changed since the sign-in. Sign in again.');
      return;
    }
    const user = org.users.find((u) => u.accountId === who.accountId && u.name === who.userName);
    if (!user || user.password !== who.password) throw accessDenied('USER_CREDENTIALS_CHANGED', 'The user\'s credentials changed since the sign-in. Sign in again.');
    if (!user.signInLocalDevelopmentAccess) {
      throw accessDenied('INSUFFICIENT_PERMISSIONS', `User: ${who.loginSession} is not authorized to perform: signin:CreateOAuth2Token`);
    }
  }

  async function idTokenFor(ctx: RequestContext, who: SignedIn, clientId: string): Promise<string> {
    idTokenKey ??= generateKeyPair('ES256');
    const { privateKey } = await idTokenKey;
    const iat = Math.floor(now() / 1000);
    return new SignJWT({ sub: who.loginSession, aud: clientId, iss: ctx.baseUrl, iat, exp: iat + LOGIN_CREDENTIAL_SECONDS })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .sign(privateKey);
  }

  async function issue(ctx: RequestContext, who: SignedIn, clientId: string, jkt: string): Promise<void> {
    const rec = state.issue(
      {
        // A temporary session of the user (or root) that STS knows; a role assumed from it is role chaining.
        kind: 'session-token',
        accountId: who.accountId,
        arn: who.loginSession,
        userId: who.userName === undefined ? who.accountId : state.uniqueIdFor(who.loginSession, 'AIDA'),
        userArn: who.loginSession,
        mfaAuthenticated: who.mfaAuthenticated,
        roleChained: false,
        issuedBy: 'CreateOAuth2Token',
      },
      LOGIN_CREDENTIAL_SECONDS,
    );
    const refreshToken = `rt-${randomBytes(48).toString('base64url')}`;
    refreshTokens.set(refreshToken, { clientId, jkt, who });
    const body = {
      accessToken: { accessKeyId: rec.accessKeyId, secretAccessKey: rec.secretAccessKey, sessionToken: rec.sessionToken },
      tokenType: 'aws_sigv4',
      expiresIn: LOGIN_CREDENTIAL_SECONDS,
      refreshToken,
      idToken: await idTokenFor(ctx, who, clientId),
    };
    send(ctx.res, 200, JSON.stringify(body), { 'content-type': 'application/json', 'x-amzn-RequestId': ctx.requestId });
  }

  async function token(ctx: RequestContext): Promise<void> {
    let input: z.infer<typeof TokenInput>;
    try {
      input = TokenInput.parse(JSON.parse(ctx.body.toString('utf8')));
    } catch {
      throw invalid('INVALID_REQUEST', 'The request body is not a valid CreateOAuth2Token request (clientId and grantType are required).');
    }
    if (input.clientId !== SAME_DEVICE_CLIENT_ID && input.clientId !== CROSS_DEVICE_CLIENT_ID) throw invalid('invalid_request', 'Unknown clientId.');
    const jkt = await checkDpop(ctx);
    if (input.grantType === 'authorization_code') {
      if (!input.code || !input.codeVerifier) throw invalid('invalid_request', 'code and codeVerifier are required for the authorization_code grant.');
      const grant = codes.get(input.code);
      if (!grant || grant.clientId !== input.clientId) throw invalid('invalid_grant', 'The authorization code is not valid.');
      codes.delete(input.code); // one use, whatever happens next
      if (grant.expiresAt <= now()) throw accessDenied('AUTHCODE_EXPIRED', 'The authorization code expired. Sign in again.');
      if ((input.redirectUri ?? '') !== grant.redirectUri) throw invalid('invalid_grant', 'redirectUri does not match the authorization request.');
      if (b64urlSha256(input.codeVerifier) !== grant.codeChallenge) throw invalid('invalid_grant', 'The code verifier does not match the code challenge.');
      stillAllowed(grant.who);
      return issue(ctx, grant.who, input.clientId, jkt);
    }
    if (input.grantType === 'refresh_token') {
      if (!input.refreshToken) throw invalid('invalid_request', 'refreshToken is required for the refresh_token grant.');
      const grant = refreshTokens.get(input.refreshToken);
      if (!grant || grant.clientId !== input.clientId) throw invalid('invalid_grant', 'The refresh token is not valid (it may have been used already: refresh tokens rotate).');
      if (grant.jkt !== jkt) throw invalid('invalid_grant', 'The refresh token is bound to another DPoP key.');
      if (grant.who.signedInAt + LOGIN_SESSION_SECONDS * 1000 <= now()) {
        refreshTokens.delete(input.refreshToken);
        throw accessDenied('TOKEN_EXPIRED', 'The sign-in session expired. Sign in again.');
      }
      stillAllowed(grant.who);
      // Rotation: the token just redeemed is refused from now on.
      refreshTokens.delete(input.refreshToken);
      return issue(ctx, grant.who, input.clientId, jkt);
    }
    throw invalid('unsupported_grant_type', 'grantType must be authorization_code or refresh_token.');
  }

  return {
    name: 'signin-oauth',
    operationOf(ctx) {
      const path = ctx.url.pathname;
      if (path === '/v1/authorize') return 'signin:Authorize';
      if (path === CONFIRMATION_PATH) return 'signin:SessionsConfirmation';
      if (path === '/v1/token') return 'signin:CreateOAuth2Token';
      return undefined;
    },
    async handle(ctx, op) {
      if (op === 'signin:Authorize') return authorize(ctx);
      if (op === 'signin:SessionsConfirmation') return confirmation(ctx);
      if (ctx.req.method !== 'POST') return send(ctx.res, 405, 'Method Not Allowed', { 'content-type': 'text/plain' });
      try {
        await token(ctx);
      } catch (err) {
        if (err instanceof TokenError) return sendTokenError(ctx, err);
        throw err;
      }
    },
    sendThrottled(ctx) {
      sendTokenError(ctx, new TokenError('TooManyRequestsError', 'rate_exceeded', 'Rate exceeded.', 429));
    },
    sendServerError(ctx, status) {
      sendTokenError(ctx, new TokenError('InternalServerException', status === 503 ? 'service_unavailable' : 'server_error', 'An internal error occurred.', status));
    },
  };
}
