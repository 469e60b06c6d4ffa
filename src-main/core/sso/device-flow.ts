// The device-code flow (RFC 8628) for shells without a browser: StartDeviceAuthorization, show the
// verification URL and user code, then poll CreateToken (core/device-grant.ts).
import { pollDeviceGrant, type DeviceFlowIo } from '../device-grant';
import { GRANT_DEVICE_CODE, OidcError, type OidcClient, type Registration, type TokenGrant } from './oidc';

export type { DeviceFlowIo } from '../device-grant';

export async function deviceCodeSignIn(oidc: OidcClient, reg: Registration, startUrl: string, name: string, io: DeviceFlowIo): Promise<TokenGrant> {
  const auth = await oidc.startDeviceAuthorization({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl });
  const deadline = io.now() + auth.expiresIn * 1000;
  const againHint = `run: rolecall login sso ${name}`;

  io.print(`To sign in to ${startUrl}, open ${auth.verificationUri} and enter the code: ${auth.userCode}`);
  if (auth.verificationUriComplete) io.print(`(or open ${auth.verificationUriComplete}, which fills in the code)`);
  io.deviceCode?.({ userCode: auth.userCode, verificationUri: auth.verificationUri, verificationUriComplete: auth.verificationUriComplete });
  if (io.openBrowser && auth.verificationUriComplete) await io.openBrowser(auth.verificationUriComplete).catch(() => undefined);
  io.print('Waiting for approval...');

  return pollDeviceGrant(io, {
    interval: auth.interval,
    deadline,
    againHint,
    redeem: () => oidc.createToken({ grantType: GRANT_DEVICE_CODE, clientId: reg.clientId, clientSecret: reg.clientSecret, deviceCode: auth.deviceCode }),
    errorCode: (err) => (err instanceof OidcError ? err.error : undefined),
  });
}
