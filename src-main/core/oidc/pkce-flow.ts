// The authorization code flow with PKCE (RFC 7636) on a loopback redirect (RFC 8252), as a native
// app does it with any OpenID Provider: the verifier, state and loopback catcher are the Identity
// Center flow's (sso/pkce.ts, sso/loopback.ts); the authorize URL is the standard one (`scope`,
// a nonce, and prompt=consent when offline_access is asked for, as OpenID Connect Core 11 requires).
import { randomBytes } from 'node:crypto';
import type { OidcIntegration } from '../../../src-shared/profile';
import { RolecallError } from '../errors';
import { startLoopback } from '../sso/loopback';
import { presentAuthorizeUrl, type PkceFlowIo } from '../sso/pkce-flow';
import { createPkce } from '../sso/pkce';
import type { OidcEndpoints } from './discovery';
import { redeem, type TokenGrant } from './grant';

export type { PkceFlowIo } from '../sso/pkce-flow';

export function authorizeUrl(endpoint: string, q: { clientId: string; redirectUri: string; scopes: string[]; state: string; nonce: string; codeChallenge: string }): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: q.clientId,
    redirect_uri: q.redirectUri,
    scope: q.scopes.join(' '),
    state: q.state,
    nonce: q.nonce,
    code_challenge: q.codeChallenge,
    code_challenge_method: 'S256',
  });
  if (q.scopes.includes('offline_access')) params.set('prompt', 'consent');
  const u = new URL(endpoint);
  for (const [k, v] of params) u.searchParams.set(k, v);
  return u.toString();
}

export async function pkceSignIn(endpoints: OidcEndpoints, integration: OidcIntegration, io: PkceFlowIo): Promise<TokenGrant & { nonce: string }> {
  if (!endpoints.authorizationEndpoint) {
    throw new RolecallError(`the identity provider of '${integration.name}' has no authorization_endpoint`, 'invalid-input', `sign in with a device code: rolecall login oidc ${integration.name} --device-code`);
  }
  const pkce = createPkce();
  const nonce = randomBytes(24).toString('base64url');
  const loopback = await startLoopback(pkce.state, { timeoutMs: io.timeoutMs, signal: io.signal });
  try {
    const url = authorizeUrl(endpoints.authorizationEndpoint, {
      clientId: integration.clientId,
      redirectUri: loopback.redirectUri,
      scopes: integration.scopes,
      state: pkce.state,
      nonce,
      codeChallenge: pkce.codeChallenge,
    });
    await presentAuthorizeUrl(io, url, integration.name);
    const code = await loopback.code;
    const grant = await redeem(
      endpoints,
      { grant_type: 'authorization_code', code, redirect_uri: loopback.redirectUri, client_id: integration.clientId, code_verifier: pkce.codeVerifier },
      `the sign-in to '${integration.name}'`,
    );
    return { ...grant, nonce };
  } finally {
    await loopback.close();
  }
}
