// The device-code flow (RFC 8628) for shells without a browser: show the verification URL and
// user code, poll CreateToken at the interval AWS gives, 5 s slower after each slow_down, and
// stop cleanly when the code expires or the person denies it.
import { RolecallError } from '../errors';
import { GRANT_DEVICE_CODE, OidcError, type OidcClient, type Registration, type TokenGrant } from './oidc';

export interface DeviceFlowIo {
  /** A line for the person (stderr in the CLI). */
  print(line: string): void;
  /** Opens the verification page when a browser is at hand; absent with --no-browser or none. */
  openBrowser?: (url: string) => Promise<void>;
  sleep(ms: number): Promise<void>;
  now(): number;
  signal?: AbortSignal;
  /** The code and page as data, for a face that shows them itself (the app's sign-in dialog). */
  deviceCode?: (info: { userCode: string; verificationUri: string; verificationUriComplete?: string }) => void;
}

const DEFAULT_INTERVAL_SECONDS = 5;
const SLOW_DOWN_SECONDS = 5;

export async function deviceCodeSignIn(oidc: OidcClient, reg: Registration, startUrl: string, name: string, io: DeviceFlowIo): Promise<TokenGrant> {
  const auth = await oidc.startDeviceAuthorization({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl });
  const deadline = io.now() + auth.expiresIn * 1000;
  const againHint = `run: rolecall login sso ${name}`;

  io.print(`To sign in to ${startUrl}, open ${auth.verificationUri} and enter the code: ${auth.userCode}`);
  if (auth.verificationUriComplete) io.print(`(or open ${auth.verificationUriComplete}, which fills in the code)`);
  io.deviceCode?.({ userCode: auth.userCode, verificationUri: auth.verificationUri, verificationUriComplete: auth.verificationUriComplete });
  if (io.openBrowser && auth.verificationUriComplete) await io.openBrowser(auth.verificationUriComplete).catch(() => undefined);
  io.print('Waiting for approval...');

  let interval = auth.interval && auth.interval > 0 ? auth.interval : DEFAULT_INTERVAL_SECONDS;
  for (;;) {
    await io.sleep(interval * 1000);
    if (io.signal?.aborted) throw new RolecallError('the sign-in was cancelled', 'timeout');
    try {
      return await oidc.createToken({ grantType: GRANT_DEVICE_CODE, clientId: reg.clientId, clientSecret: reg.clientSecret, deviceCode: auth.deviceCode });
    } catch (err) {
      if (!(err instanceof OidcError)) throw err;
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
