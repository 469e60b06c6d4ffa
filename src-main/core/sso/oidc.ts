// SSO OIDC through the AWS SDK (imported lazily, so the CLI's hot path never loads it), and the
// client registration cached in the keychain under `sso-client/<region>/<startUrl hash>` (RegistrationFile).
import { z } from 'zod';
import { calledEndpoint, sdkClientConfig, serviceName, withinBudget } from '../aws/client-config';
import { configuredEndpoint } from '../aws/endpoints';
import { fromSdkError, type CalledEndpoint } from '../aws/errors';
import { oneLine } from '../../../src-shared/untrusted-text';
import { RolecallError, type ErrorCode } from '../errors';
import { Registration, RegistrationFile, ssoClientEntryName } from '../secrets/keychain-entries';
import type { SecretStore } from '../secrets/secret-store';

export const GRANT_DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';
export const DEFAULT_SCOPES = ['sso:account:access'];
/** The AWS CLI registers this redirect URI; AWS accepts any port on the loopback address. */
export const REGISTERED_REDIRECT_URI = 'http://127.0.0.1/oauth/callback';
/** Renew a registration that has less than this left, so it outlives the sign-in made with it. */
const RENEW_BEFORE_MS = 7 * 24 * 3600_000;

export type SignInFlow = 'pkce' | 'device';

/** An SSO OIDC error, with AWS's OAuth error value (authorization_pending, slow_down, invalid_grant, ...). */
export class OidcError extends RolecallError {
  constructor(
    message: string,
    code: ErrorCode,
    readonly error: string,
    options?: { cause?: unknown },
  ) {
    super(message, code, undefined, options);
  }
}

export interface TokenGrant {
  accessToken: string;
  expiresIn: number;
  refreshToken?: string;
}

export interface OidcClient {
  registerClient(input: { flow: SignInFlow; scopes: string[]; issuerUrl: string }): Promise<Registration>;
  startDeviceAuthorization(input: { clientId: string; clientSecret: string; startUrl: string }): Promise<{
    deviceCode: string;
    userCode: string;
    verificationUri: string;
    verificationUriComplete?: string;
    expiresIn: number;
    interval?: number;
  }>;
  createToken(
    input: { clientId: string; clientSecret: string } & (
      | { grantType: typeof GRANT_DEVICE_CODE; deviceCode: string }
      | { grantType: 'authorization_code'; code: string; redirectUri: string; codeVerifier: string }
      | { grantType: 'refresh_token'; refreshToken: string }
    ),
  ): Promise<TokenGrant>;
}

export { Registration };

/** The OIDC endpoint: AWS_ENDPOINT_URL_SSO_OIDC / AWS_ENDPOINT_URL, else AWS's regional one. */
export function oidcEndpoint(region: string, env: NodeJS.ProcessEnv): string {
  return configuredEndpoint('sso-oidc', env) ?? `https://oidc.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

export async function createOidcClient(region: string, env: NodeJS.ProcessEnv): Promise<OidcClient> {
  const sdk = await import('@aws-sdk/client-sso-oidc');
  const client = new sdk.SSOOIDCClient(await sdkClientConfig('sso-oidc', region, env));
  const endpoint = calledEndpoint('sso-oidc', region, env);
  const call = async <T>(operation: string, fn: (abortSignal: AbortSignal) => Promise<T>): Promise<T> => {
    try {
      return await withinBudget({ service: 'sso-oidc', region, env }, operation, fn);
    } catch (err) {
      throw toOidcError(err, operation, endpoint);
    }
  };
  return {
    registerClient: ({ flow, scopes, issuerUrl }) =>
      call('sso-oidc:RegisterClient', async (abortSignal) => {
        const out = await client.send(
          new sdk.RegisterClientCommand({
            clientName: 'rolecall',
            clientType: 'public',
            scopes,
            ...(flow === 'pkce'
              ? { grantTypes: ['authorization_code', 'refresh_token'], redirectUris: [REGISTERED_REDIRECT_URI], issuerUrl }
              : { grantTypes: [GRANT_DEVICE_CODE, 'refresh_token'] }),
          }),
          { abortSignal },
        );
        const r = checked('RegisterClient', RegisterClientAnswer, out);
        return { clientId: r.clientId, clientSecret: r.clientSecret, clientSecretExpiresAt: r.clientSecretExpiresAt, scopes };
      }),
    startDeviceAuthorization: (input) =>
      call('sso-oidc:StartDeviceAuthorization', async (abortSignal) => {
        const out = await client.send(new sdk.StartDeviceAuthorizationCommand(input), { abortSignal });
        const a = checked('StartDeviceAuthorization', StartDeviceAuthorizationAnswer, out);
        return {
          deviceCode: a.deviceCode,
          userCode: a.userCode,
          verificationUri: a.verificationUri,
          verificationUriComplete: a.verificationUriComplete,
          expiresIn: a.expiresIn,
          interval: a.interval,
        };
      }),
    createToken: (input) =>
      call('sso-oidc:CreateToken', async (abortSignal) => {
        const out = await client.send(new sdk.CreateTokenCommand(input), { abortSignal });
        const t = checked('CreateToken', CreateTokenAnswer, out);
        return { accessToken: t.accessToken, expiresIn: t.expiresIn, refreshToken: t.refreshToken };
      }),
  };
}

// The SDK copies the JSON as it comes ("accessToken":[] stays an array), so each answer is
// checked against the sso-oidc model: tokens and codes are strings, ExpirationInSeconds and
// IntervalInSeconds integers, clientSecretExpiresAt a Long of epoch seconds.
const token = z.string().min(1);
const seconds = z.number().int().positive();
// Optional in the model; an empty or null one is taken as absent (there is nothing to use).
const optional = <T extends z.ZodType>(t: T) => z.union([t, z.literal(''), z.null()]).optional().transform((v) => (v === '' || v === null ? undefined : v));
const RegisterClientAnswer = z.object({ clientId: token, clientSecret: token, clientSecretExpiresAt: seconds });
const StartDeviceAuthorizationAnswer = z.object({
  deviceCode: token,
  userCode: token,
  verificationUri: token,
  verificationUriComplete: optional(token),
  expiresIn: seconds,
  // Polling falls back to its own interval when this is not above 0.
  interval: optional(z.number().int()),
});
const CreateTokenAnswer = z.object({ accessToken: token, expiresIn: seconds, refreshToken: optional(token), tokenType: optional(z.string()), idToken: optional(z.string()) });

const EXPECTED: Record<string, string> = { expiresIn: 'a positive whole number of seconds', interval: 'a whole number of seconds', clientSecretExpiresAt: 'a time in epoch seconds' };

/** The answer as the model has it, or one line naming the field that is not (never its value). */
function checked<T>(op: string, schema: z.ZodType<T>, out: object): T {
  const r = schema.safeParse(out);
  if (r.success) return r.data;
  const field = String(r.error.issues[0]?.path[0] ?? '');
  const why = (out as Record<string, unknown>)[field] === undefined ? `no ${field}` : `${field} is not ${EXPECTED[field] ?? 'a non-empty string'}`;
  throw new RolecallError(`${serviceName['sso-oidc']} sent an answer Rolecall cannot use (sso-oidc:${op}: ${why})`, 'aws-error');
}

/** SDK exceptions carry AWS's OAuth error value in `error`; the class name says the same. */
function toOidcError(err: unknown, operation: string, endpoint: CalledEndpoint): RolecallError {
  if (err instanceof RolecallError) return err;
  const e = (err ?? {}) as { name?: unknown; error?: unknown; error_description?: unknown };
  const byName: Record<string, string> = {
    AuthorizationPendingException: 'authorization_pending',
    SlowDownException: 'slow_down',
    ExpiredTokenException: 'expired_token',
    AccessDeniedException: 'access_denied',
    InvalidGrantException: 'invalid_grant',
    InvalidClientException: 'invalid_client',
    UnauthorizedClientException: 'unauthorized_client',
    InvalidScopeException: 'invalid_scope',
    InvalidRequestException: 'invalid_request',
    UnsupportedGrantTypeException: 'unsupported_grant_type',
  };
  // Own keys only: a class named "constructor" or "toString" is no OAuth error.
  const error = (typeof e.error === 'string' && e.error ? e.error : undefined) ?? (typeof e.name === 'string' && Object.hasOwn(byName, e.name) ? byName[e.name] : undefined);
  if (!error) return fromSdkError(err, operation, endpoint);
  // Both come from whatever answered: shown folded, escaped and bounded.
  const description = typeof e.error_description === 'string' ? e.error_description.replace(/\s+/g, ' ').trim() : '';
  const detail = description ? `: ${oneLine(description, 200)}` : '';
  return new OidcError(`${operation} failed: ${oneLine(error, 64)}${detail}`, error === 'access_denied' ? 'access-denied' : 'aws-error', error, { cause: err });
}


/** A registration per (region, start URL, flow), reused until it nears clientSecretExpiresAt. */
export async function cachedRegistration(
  secrets: SecretStore,
  oidc: OidcClient,
  input: { region: string; startUrl: string; flow: SignInFlow; scopes: string[]; now: number },
): Promise<Registration> {
  const key = ssoClientEntryName(input.region, input.startUrl);
  const stored = await readJson(secrets, key, RegistrationFile);
  const current = stored?.[input.flow];
  const sameScopes = current && current.scopes.join(' ') === input.scopes.join(' ');
  if (current && sameScopes && current.clientSecretExpiresAt * 1000 - input.now > RENEW_BEFORE_MS) return current;
  const fresh = await oidc.registerClient({ flow: input.flow, scopes: input.scopes, issuerUrl: input.startUrl });
  await secrets.set(key, JSON.stringify({ ...stored, [input.flow]: fresh }));
  return fresh;
}

export async function deleteRegistration(secrets: SecretStore, region: string, startUrl: string): Promise<void> {
  await secrets.delete(ssoClientEntryName(region, startUrl));
}

/** A keychain value parsed with its schema; an unreadable one counts as absent (it is re-made). */
export async function readJson<T>(secrets: SecretStore, key: string, schema: z.ZodType<T>): Promise<T | null> {
  const text = await secrets.get(key);
  if (text === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
