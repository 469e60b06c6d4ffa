// The authorization endpoint of the PKCE flow, as the AWS CLI opens it:
//   GET  /authorize?response_type=code&client_id&redirect_uri&state&code_challenge_method=S256&scopes&code_challenge
//        -> sign-in form (fields: see signInPage in html.ts; the query travels in hidden fields)
//   POST /authorize -> 302 to redirect_uri?code=..&state=.. (approve) or ?error=access_denied&state=.. (deny)
// An unknown client or a redirect_uri the client did not register gets an error page, never a
// redirect (RFC 6749 4.1.2.1); other request errors go back to the client as ?error=...
import type { RequestContext } from '../service';
import { formParams, messagePage, redirect, sendHtml, signInPage } from './html';
import { GRANT_AUTHORIZATION_CODE, grantAllowed, identityCenterOf, type ClientRegistration } from './store';
import type { IdentityCenter } from '../org';

const FORWARDED = ['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'scopes'];
const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

/** RFC 8252 7.3: a loopback redirect URI registered without a port matches the same URI on any port. */
export function redirectUriMatches(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  let r: URL, q: URL;
  try {
    r = new URL(registered);
    q = new URL(requested);
  } catch {
    return false;
  }
  return (
    r.protocol === 'http:' &&
    q.protocol === 'http:' &&
    LOOPBACK.includes(r.hostname) &&
    r.hostname === q.hostname &&
    r.port === '' &&
    r.pathname === q.pathname &&
    r.search === q.search
  );
}

type Checked =
  | { kind: 'ok'; client: ClientRegistration; instance: IdentityCenter; redirectUri: string; state: string | null; codeChallenge: string; scopes: string[] }
  | { kind: 'page'; message: string }
  | { kind: 'redirect'; location: string };

function check(ctx: RequestContext, p: URLSearchParams): Checked {
  const store = identityCenterOf(ctx.state);
  const client = store.liveClient(p.get('client_id') ?? '');
  if (!client) return { kind: 'page', message: 'The application is not registered, or its registration has expired (invalid_client).' };
  const redirectUri = p.get('redirect_uri') ?? '';
  if (!client.redirectUris.some((r) => redirectUriMatches(r, redirectUri))) {
    return { kind: 'page', message: `The redirect_uri is not one the application registered: ${redirectUri}` };
  }
  const state = p.get('state');
  const back = (error: string, description: string): Checked => {
    const u = new URL(redirectUri);
    u.searchParams.set('error', error);
    u.searchParams.set('error_description', description);
    if (state !== null) u.searchParams.set('state', state);
    return { kind: 'redirect', location: u.toString() };
  };
  if (p.get('response_type') !== 'code') return back('unsupported_response_type', 'response_type must be code');
  if (!grantAllowed(client, GRANT_AUTHORIZATION_CODE)) return back('unauthorized_client', 'The client is not registered for the authorization_code grant.');
  const codeChallenge = p.get('code_challenge') ?? '';
  if (p.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) {
    return back('invalid_request', 'A code_challenge with code_challenge_method S256 is required.');
  }
  const asked = (p.get('scopes') ?? '').split(/[\s,]+/).filter(Boolean);
  const unknown = asked.find((s) => !client.scopes.includes(s));
  if (unknown !== undefined) return back('invalid_scope', `Scope not registered for this client: ${unknown}`);
  const instance = client.issuerUrl === undefined ? undefined : store.instanceByStartUrl(client.issuerUrl);
  if (!instance) return back('invalid_request', 'The client was registered without the issuerUrl of an IAM Identity Center instance.');
  return { kind: 'ok', client, instance, redirectUri, state, codeChallenge, scopes: asked.length ? asked : client.scopes };
}

export function authorizePage(ctx: RequestContext): void {
  const p = formParams(ctx);
  const checked = check(ctx, p);
  if (checked.kind === 'page') return sendHtml(ctx, 400, messagePage('Something went wrong', checked.message, true));
  if (checked.kind === 'redirect') return redirect(ctx, 302, checked.location);

  const hidden = Object.fromEntries(FORWARDED.flatMap((k) => (p.has(k) ? [[k, p.get(k) ?? '']] : [])));
  const form = (error?: string) =>
    signInPage({ title: 'Allow access', intro: `Sign in to allow ${checked.client.clientName} to access your AWS accounts.`, action: '/authorize', hidden, error });
  if (ctx.req.method !== 'POST') return sendHtml(ctx, 200, form());

  const action = p.get('action');
  if (action !== 'approve' && action !== 'deny') return sendHtml(ctx, 400, form('Choose to allow or deny access.'));
  const store = identityCenterOf(ctx.state);
  const user = store.authenticate(checked.instance, p.get('username') ?? '', p.get('password') ?? '');
  if (!user) return sendHtml(ctx, 200, form('Incorrect username or password.'));

  const back = new URL(checked.redirectUri);
  if (action === 'deny') {
    back.searchParams.set('error', 'access_denied');
  } else {
    const ac = store.issueAuthorizationCode({
      clientId: checked.client.clientId,
      redirectUri: checked.redirectUri,
      codeChallenge: checked.codeChallenge,
      scopes: checked.scopes,
      session: store.signIn(checked.instance, user.userName),
    });
    back.searchParams.set('code', ac.code);
  }
  if (checked.state !== null) back.searchParams.set('state', checked.state);
  redirect(ctx, 302, back.toString());
}
