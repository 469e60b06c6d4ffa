// SSO OIDC RegisterClient and StartDeviceAuthorization.
import { z } from 'zod';
import type { RequestContext } from '../service';
import { GRANT_AUTHORIZATION_CODE, GRANT_DEVICE_CODE, KNOWN_GRANTS, grantAllowed, identityCenterOf } from './store';
import { parseBody, readClientCall, sendJson, sendOidcError } from './wire';

const RegisterClientRequest = z.object({
  clientName: z.string().min(1),
  clientType: z.string().min(1),
  scopes: z.array(z.string()).optional(),
  grantTypes: z.array(z.string()).optional(),
  redirectUris: z.array(z.string()).optional(),
  issuerUrl: z.string().optional(),
  entitledApplicationArn: z.string().optional(),
});

const StartDeviceAuthorizationRequest = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  startUrl: z.string().min(1),
});

/** A redirect URI a public client may register: https anywhere, plain http only back to this machine. */
function redirectUriProblem(uri: string): string | undefined {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return `Invalid redirect URI: ${uri}`;
  }
  if (u.hash) return `A redirect URI may not carry a fragment: ${uri}`;
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) return undefined;
  return `Redirect URI must use https, or http on a loopback address: ${uri}`;
}

export function registerClient(ctx: RequestContext): void {
  const store = identityCenterOf(ctx.state);
  const parsed = parseBody(ctx, RegisterClientRequest);
  if (!parsed.ok) return sendOidcError(ctx, 'InvalidRequestException', parsed.problem);
  const req = parsed.value;
  if (req.clientType !== 'public') return sendOidcError(ctx, 'InvalidClientMetadataException', `Invalid client type: ${req.clientType}. Only public clients are supported.`);
  const scopes = req.scopes ?? [];
  const badScope = scopes.find((s) => !/^[\w.:*/-]+$/.test(s));
  if (badScope !== undefined) return sendOidcError(ctx, 'InvalidScopeException', `Invalid scope: ${badScope}`);
  const badGrant = req.grantTypes?.find((g) => !KNOWN_GRANTS.includes(g));
  if (badGrant !== undefined) return sendOidcError(ctx, 'UnsupportedGrantTypeException', `Unsupported grant type: ${badGrant}`);
  const redirectUris = req.redirectUris ?? [];
  for (const uri of redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) return sendOidcError(ctx, 'InvalidRedirectUriException', problem);
  }
  if (req.grantTypes?.includes(GRANT_AUTHORIZATION_CODE) && redirectUris.length === 0) {
    return sendOidcError(ctx, 'InvalidRedirectUriException', 'The authorization_code grant needs at least one redirect URI.');
  }
  if (req.issuerUrl !== undefined && !store.instanceByStartUrl(req.issuerUrl)) {
    return sendOidcError(ctx, 'InvalidRequestException', `Unknown issuer URL: ${req.issuerUrl}`);
  }
  const reg = store.register({
    clientName: req.clientName,
    scopes,
    grantTypes: req.grantTypes,
    redirectUris,
    issuerUrl: req.issuerUrl,
  });
  sendJson(ctx, 200, {
    clientId: reg.clientId,
    clientSecret: reg.clientSecret,
    clientIdIssuedAt: Math.floor(reg.issuedAt.getTime() / 1000),
    clientSecretExpiresAt: Math.floor(reg.expiresAt.getTime() / 1000),
  });
}

export function startDeviceAuthorization(ctx: RequestContext): void {
  const call = readClientCall(ctx, StartDeviceAuthorizationRequest);
  if (!call) return;
  const { store, req, client } = call;
  if (!grantAllowed(client, GRANT_DEVICE_CODE)) return sendOidcError(ctx, 'UnauthorizedClientException', 'The client is not registered for the device code grant.');
  const instance = store.instanceByStartUrl(req.startUrl);
  if (!instance) return sendOidcError(ctx, 'InvalidRequestException', `Unknown start URL: ${req.startUrl}`);
  const da = store.startDeviceAuthorization(client.clientId, instance);
  sendJson(ctx, 200, {
    deviceCode: da.deviceCode,
    userCode: da.userCode,
    verificationUri: `${ctx.baseUrl}/device`,
    verificationUriComplete: `${ctx.baseUrl}/device?user_code=${da.userCode}`,
    expiresIn: Math.round((da.expiresAt.getTime() - store.now()) / 1000),
    interval: da.intervalSeconds,
  });
}
