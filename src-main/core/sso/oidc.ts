// SSO OIDC through the AWS SDK (imported lazily, so the CLI's hot path never loads it), and the
// client registration cached in the keychain under `sso-client/<region>/<startUrl hash>` (RegistrationFile).
import type { z } from 'zod';
import { calledEndpoint, sdkClientConfig, withinBudget } from '../aws/client-config';
import { configuredEndpoint } from '../aws/endpoints';
import { fromSdkError, type CalledEndpoint } from '../aws/errors';
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
        if (!out.clientId || !out.clientSecret || !out.clientSecretExpiresAt) throw incomplete('RegisterClient');
        return { clientId: out.clientId, clientSecret: out.clientSecret, clientSecretExpiresAt: out.clientSecretExpiresAt, scopes };
      }),
    startDeviceAuthorization: (input) =>
      call('sso-oidc:StartDeviceAuthorization', async (abortSignal) => {
        const out = await client.send(new sdk.StartDeviceAuthorizationCommand(input), { abortSignal });
        if (!out.deviceCode || !out.userCode || !out.verificationUri || !out.expiresIn) throw incomplete('StartDeviceAuthorization');
        return {
          deviceCode: out.deviceCode,
          userCode: out.userCode,
          verificationUri: out.verificationUri,
          verificationUriComplete: out.verificationUriComplete,
          expiresIn: out.expiresIn,
          interval: out.interval,
        };
      }),
    createToken: (input) =>
      call('sso-oidc:CreateToken', async (abortSignal) => {
        const out = await client.send(new sdk.CreateTokenCommand(input), { abortSignal });
        if (!out.accessToken || !out.expiresIn) throw incomplete('CreateToken');
        return { accessToken: out.accessToken, expiresIn: out.expiresIn, refreshToken: out.refreshToken };
      }),
  };
}

const incomplete = (op: string) => new RolecallError(`${op} answered without the expected fields`, 'aws-error');

/** SDK exceptions carry AWS's OAuth error value in `error`; the class name says the same. */
function toOidcError(err: unknown, operation: string, endpoint: CalledEndpoint): RolecallError {
  if (err instanceof RolecallError) return err;
  const e = err as { name?: string; error?: string; error_description?: string };
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
  const error = e?.error ?? (e?.name ? byName[e.name] : undefined);
  if (!error) return fromSdkError(err, operation, endpoint);
  const detail = e.error_description ? `: ${e.error_description.replace(/\s+/g, ' ').slice(0, 200)}` : '';
  return new OidcError(`${operation} failed: ${error}${detail}`, error === 'access_denied' ? 'access-denied' : 'aws-error', error, { cause: err });
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
