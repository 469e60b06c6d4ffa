// The wire format of IAM Identity Center's two REST-JSON services as clients parse it: the
// exception name in x-amzn-ErrorType (read before the body), and the body fields each service
// uses: SSO OIDC {error, error_description}, the portal {message}.
import type { RequestContext } from '../service';
import { send } from '../service';
import type { z } from 'zod';
import { identityCenterOf, type ClientRegistration, type IdentityCenterStore } from './store';

const OIDC_NAMESPACE = 'http://internal.amazon.com/coral/com.amazonaws.sso.oidc/';
const PORTAL_NAMESPACE = 'http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/';

/** Status and OAuth error code of each SSO OIDC exception, as botocore's model gives them. */
const OIDC_EXCEPTIONS = {
  AccessDeniedException: [400, 'access_denied'],
  AuthorizationPendingException: [400, 'authorization_pending'],
  ExpiredTokenException: [400, 'expired_token'],
  InternalServerException: [500, 'server_error'],
  InvalidClientException: [401, 'invalid_client'],
  InvalidClientMetadataException: [400, 'invalid_client_metadata'],
  InvalidGrantException: [400, 'invalid_grant'],
  InvalidRedirectUriException: [400, 'invalid_redirect_uri'],
  InvalidRequestException: [400, 'invalid_request'],
  InvalidScopeException: [400, 'invalid_scope'],
  SlowDownException: [400, 'slow_down'],
  UnauthorizedClientException: [400, 'unauthorized_client'],
  UnsupportedGrantTypeException: [400, 'unsupported_grant_type'],
} as const satisfies Record<string, readonly [number, string]>;
export type OidcException = keyof typeof OIDC_EXCEPTIONS;

export function sendJson(ctx: RequestContext, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(ctx.res, status, body === undefined ? '' : JSON.stringify(body), {
    'content-type': 'application/json',
    'x-amzn-RequestId': ctx.requestId,
    ...headers,
  });
}

export function sendOidcError(ctx: RequestContext, exception: OidcException, description: string): void {
  const [status, error] = OIDC_EXCEPTIONS[exception];
  sendJson(ctx, status, { error, error_description: description }, { 'x-amzn-ErrorType': `${exception}:${OIDC_NAMESPACE}` });
}

/** 503, which botocore does not model for SSO OIDC: named like the modelled exceptions, namespace included. */
export function sendOidcUnavailable(ctx: RequestContext): void {
  sendJson(ctx, 503, { message: 'Service Unavailable' }, { 'x-amzn-ErrorType': `ServiceUnavailableException:${OIDC_NAMESPACE}` });
}

/** Portal exceptions: the modelled ones plus ForbiddenException (403), which AWS answers for a role the user lacks. */
export type PortalException =
  | 'UnauthorizedException'
  | 'TooManyRequestsException'
  | 'InvalidRequestException'
  | 'ResourceNotFoundException'
  | 'ForbiddenException'
  | 'InternalFailure'
  | 'ServiceUnavailable';
const PORTAL_STATUS: Record<PortalException, number> = {
  UnauthorizedException: 401,
  TooManyRequestsException: 429,
  InvalidRequestException: 400,
  ResourceNotFoundException: 404,
  ForbiddenException: 403,
  InternalFailure: 500,
  ServiceUnavailable: 503,
};

export function sendPortalError(ctx: RequestContext, exception: PortalException, message: string): void {
  sendJson(ctx, PORTAL_STATUS[exception], { message }, { 'x-amzn-ErrorType': `${exception}:${PORTAL_NAMESPACE}` });
}

/** The JSON body parsed against a schema; a wrong body is the caller's error, never a crash. */
export function parseBody<T extends z.ZodType>(ctx: RequestContext, schema: T): { ok: true; value: z.infer<T> } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(ctx.body.toString('utf8') || '{}');
  } catch {
    return { ok: false, problem: 'The request body is not valid JSON.' };
  }
  const r = schema.safeParse(json);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, problem: r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') };
}

/**
 * A registered client's call (StartDeviceAuthorization, CreateToken): the body parsed against the
 * schema, then the live registration its clientId and clientSecret name. When either is wrong the
 * error (InvalidRequestException, InvalidClientException) is already sent and the answer is undefined.
 */
export function readClientCall<T extends z.ZodType<{ clientId: string; clientSecret: string }>>(
  ctx: RequestContext,
  schema: T,
): { store: IdentityCenterStore; req: z.infer<T>; client: ClientRegistration } | undefined {
  const parsed = parseBody(ctx, schema);
  if (!parsed.ok) {
    sendOidcError(ctx, 'InvalidRequestException', parsed.problem);
    return undefined;
  }
  const store = identityCenterOf(ctx.state);
  const client = store.client(parsed.value.clientId, parsed.value.clientSecret);
  if (!client) {
    sendOidcError(ctx, 'InvalidClientException', 'Invalid client, or its registration has expired.');
    return undefined;
  }
  return { store, req: parsed.value, client };
}
