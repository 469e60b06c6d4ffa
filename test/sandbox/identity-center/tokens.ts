// SSO OIDC CreateToken: the device code, authorization code (PKCE S256) and refresh token grants.
import { z } from 'zod';
import type { RequestContext } from '../service';
import {
  GRANT_DEVICE_CODE,
  GRANT_REFRESH_TOKEN,
  KNOWN_GRANTS,
  grantAllowed,
  s256,
  type ClientRegistration,
  type IdentityCenterStore,
  type SignInSession,
} from './store';
import { readClientCall, sendJson, sendOidcError, type OidcException } from './wire';

const CreateTokenRequest = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  grantType: z.string().min(1),
  deviceCode: z.string().optional(),
  code: z.string().optional(),
  refreshToken: z.string().optional(),
  scope: z.array(z.string()).optional(),
  redirectUri: z.string().optional(),
  codeVerifier: z.string().optional(),
});
type CreateTokenRequest = z.infer<typeof CreateTokenRequest>;

/** Slack for network jitter when judging whether a device poll came before its interval was up. */
const POLL_TOLERANCE_MS = 250;

type Outcome = { session: SignInSession; scopes: string[] } | { exception: OidcException; description: string };

export function createToken(ctx: RequestContext): void {
  const call = readClientCall(ctx, CreateTokenRequest);
  if (!call) return;
  const { store, req, client } = call;
  if (!KNOWN_GRANTS.includes(req.grantType)) return sendOidcError(ctx, 'UnsupportedGrantTypeException', `Unsupported grant type: ${req.grantType}`);
  if (!grantAllowed(client, req.grantType)) return sendOidcError(ctx, 'UnauthorizedClientException', `The client is not registered for the ${req.grantType} grant.`);
  const badScope = req.scope?.find((s) => !client.scopes.includes(s));
  if (badScope !== undefined) return sendOidcError(ctx, 'InvalidScopeException', `Scope not registered for this client: ${badScope}`);

  const outcome =
    req.grantType === GRANT_DEVICE_CODE
      ? deviceCodeGrant(store, client, req)
      : req.grantType === GRANT_REFRESH_TOKEN
        ? refreshTokenGrant(store, client, req)
        : authorizationCodeGrant(store, client, req);
  if ('exception' in outcome) return sendOidcError(ctx, outcome.exception, outcome.description);
  if (!store.sessionLive(outcome.session)) return sendOidcError(ctx, 'InvalidGrantException', 'The sign-in session has ended.');

  const issued = store.issueTokens(client, outcome.session, req.scope ?? outcome.scopes);
  sendJson(ctx, 200, {
    accessToken: issued.accessToken.accessToken,
    tokenType: 'Bearer',
    expiresIn: issued.expiresIn,
    ...(issued.refreshToken ? { refreshToken: issued.refreshToken.refreshToken } : {}),
  });
}

function deviceCodeGrant(store: IdentityCenterStore, client: ClientRegistration, req: CreateTokenRequest): Outcome {
  if (!req.deviceCode) return { exception: 'InvalidRequestException', description: 'deviceCode is required for the device code grant.' };
  const da = store.deviceAuthorizations.get(req.deviceCode);
  if (!da || da.clientId !== client.clientId || da.status === 'redeemed') return { exception: 'InvalidGrantException', description: 'Invalid device code provided' };
  const now = store.now();
  if (da.expiresAt.getTime() <= now) return { exception: 'ExpiredTokenException', description: 'Device code has expired' };
  if (da.status === 'denied') return { exception: 'AccessDeniedException', description: 'The user denied the authorization request.' };
  const tooSoon = da.lastPolledAt !== undefined && now - da.lastPolledAt < da.intervalSeconds * 1000 - POLL_TOLERANCE_MS;
  da.lastPolledAt = now;
  if (tooSoon) {
    da.intervalSeconds += 5;
    return { exception: 'SlowDownException', description: `Client is polling too fast; wait ${da.intervalSeconds} seconds between polls.` };
  }
  if (da.status === 'pending' || !da.session) return { exception: 'AuthorizationPendingException', description: 'Authorization is still pending.' };
  da.status = 'redeemed';
  return { session: da.session, scopes: client.scopes };
}

function refreshTokenGrant(store: IdentityCenterStore, client: ClientRegistration, req: CreateTokenRequest): Outcome {
  if (!req.refreshToken) return { exception: 'InvalidRequestException', description: 'refreshToken is required for the refresh_token grant.' };
  const rt = store.refreshTokens.get(req.refreshToken);
  if (!rt || rt.clientId !== client.clientId || rt.spent || !store.sessionLive(rt.session)) {
    return { exception: 'InvalidGrantException', description: 'Invalid refresh token provided' };
  }
  rt.spent = true;
  return { session: rt.session, scopes: rt.scopes };
}

function authorizationCodeGrant(store: IdentityCenterStore, client: ClientRegistration, req: CreateTokenRequest): Outcome {
  if (!req.code || !req.redirectUri || !req.codeVerifier) {
    return { exception: 'InvalidRequestException', description: 'code, redirectUri and codeVerifier are required for the authorization_code grant.' };
  }
  const ac = store.authorizationCodes.get(req.code);
  if (!ac || ac.clientId !== client.clientId || ac.redeemed || ac.expiresAt.getTime() <= store.now()) {
    return { exception: 'InvalidGrantException', description: 'Invalid authorization code provided' };
  }
  if (ac.redirectUri !== req.redirectUri) return { exception: 'InvalidGrantException', description: 'redirectUri does not match the authorization request.' };
  if (s256(req.codeVerifier) !== ac.codeChallenge) return { exception: 'InvalidGrantException', description: 'Invalid code verifier provided' };
  ac.redeemed = true;
  return { session: ac.session, scopes: ac.scopes };
}
