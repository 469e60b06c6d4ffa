// The device authorization grant (RFC 8628) against any OpenID Provider: ask for a code at its
// device_authorization_endpoint, show the verification URI and user code, then poll its token
// endpoint (core/device-grant.ts).
import { z } from 'zod';
import { oneLine } from '../../../src-shared/untrusted-text';
import { pollDeviceGrant, type DeviceFlowIo } from '../device-grant';
import { RolecallError } from '../errors';
import type { OidcIntegration } from '../../../src-shared/profile';
import { checkIdpUrl, type OidcEndpoints } from './discovery';
import { GRANT_DEVICE_CODE, redeem, type TokenGrant } from './grant';
import { OAuthError, postForm } from './http';

export type { DeviceFlowIo } from '../device-grant';

const DeviceAuthorization = z.object({
  device_code: z.string().min(1).max(4096),
  user_code: z.string().min(1).max(64),
  verification_uri: z.string().url(),
  verification_uri_complete: z.string().url().optional(),
  expires_in: z.number().positive(),
  interval: z.number().positive().optional(),
});

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

  return pollDeviceGrant(io, {
    interval: auth.interval,
    deadline,
    againHint,
    redeem: () => redeem(endpoints, { grant_type: GRANT_DEVICE_CODE, device_code: auth.device_code, client_id: integration.clientId }, `the sign-in to '${integration.name}'`),
    errorCode: (err) => (err instanceof OAuthError ? err.error : undefined),
  });
}
