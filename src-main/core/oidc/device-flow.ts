// The device authorization grant (RFC 8628) against any OpenID Provider: show the verification URI
// and user code, poll the token endpoint at the interval given (5 s when none; 5 s more after each
// slow_down), stop when the code expires or the person denies it.
import { z } from 'zod';
import { oneLine } from '../../../src-shared/untrusted-text';
import { RolecallError } from '../errors';
import type { OidcIntegration } from '../../../src-shared/profile';
import { checkIdpUrl, type OidcEndpoints } from './discovery';
import { GRANT_DEVICE_CODE, redeem, type TokenGrant } from './grant';
import { OAuthError, postForm } from './http';

export interface DeviceFlowIo {
  print(line: string): void;
  openBrowser?: (url: string) => Promise<void>;
  sleep(ms: number): Promise<void>;
  now(): number;
  signal?: AbortSignal;
  /** The code and page as data, for a window that shows them in a dialog instead of printed lines. */
  deviceCode?: (d: { userCode: string; verificationUri: string; verificationUriComplete?: string }) => void;
}

const DeviceAuthorization = z.object({
  device_code: z.string().min(1).max(4096),
  user_code: z.string().min(1).max(64),
  verification_uri: z.string().url(),
  verification_uri_complete: z.string().url().optional(),
  expires_in: z.number().positive(),
  interval: z.number().positive().optional(),
});

const DEFAULT_INTERVAL_SECONDS = 5;
const SLOW_DOWN_SECONDS = 5;

export async function deviceCodeSignIn(endpoints: OidcEndpoints, integration: OidcIntegration, io: DeviceFlowIo): Promise<TokenGrant> {
  if (!endpoints.deviceAuthorizationEndpoint) {
    throw new RolecallError(`the identity provider of '${integration.name}' offers no device authorization (no device_authorization_endpoint)`, 'invalid-input', `sign in in a browser: rolecall login oidc ${integration.name}`);
  }
  const what = `the device authorization for '${integration.name}'`;
  const parsed = DeviceAuthorization.safeParse(await postForm(endpoints.deviceAuthorizationEndpoint, { client_id: integration.clientId, scope: integration.scopes.join(' ') }, what));
  if (!parsed.success) throw new RolecallError(`${what}: the identity provider's answer is not a device authorization`, 'aws-error');
  const auth = parsed.data;
  checkIdpUrl(auth.verification_uri, 'the verification URI');
  const againHint = `run: rolecall login oidc ${integration.name} --device-code`;
  const deadline = io.now() + auth.expires_in * 1000;

  io.deviceCode?.({ userCode: auth.user_code, verificationUri: auth.verification_uri, verificationUriComplete: auth.verification_uri_complete });
  io.print(`To sign in to ${integration.name}, open ${oneLine(auth.verification_uri, 300)} and enter the code: ${oneLine(auth.user_code, 64)}`);
  if (auth.verification_uri_complete) io.print(`(or open ${oneLine(auth.verification_uri_complete, 400)}, which fills in the code)`);
  if (io.openBrowser && auth.verification_uri_complete) await io.openBrowser(auth.verification_uri_complete).catch(() => undefined);
  io.print('Waiting for approval...');

  let interval = auth.interval ?? DEFAULT_INTERVAL_SECONDS;
  for (;;) {
    await io.sleep(interval * 1000);
    if (io.signal?.aborted) throw new RolecallError('the sign-in was cancelled', 'timeout');
    try {
      return await redeem(endpoints, { grant_type: GRANT_DEVICE_CODE, device_code: auth.device_code, client_id: integration.clientId }, `the sign-in to '${integration.name}'`);
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      if (err.error === 'authorization_pending') {
        if (io.now() < deadline) continue;
        throw new RolecallError('the sign-in code expired before it was approved', 'timeout', againHint);
      }
      if (err.error === 'slow_down') {
        interval += SLOW_DOWN_SECONDS;
        continue;
      }
      if (err.error === 'expired_token') throw new RolecallError('the sign-in code expired before it was approved', 'timeout', againHint);
      if (err.error === 'access_denied') throw new RolecallError('the sign-in was denied in the browser', 'access-denied', againHint);
      throw err;
    }
  }
}
