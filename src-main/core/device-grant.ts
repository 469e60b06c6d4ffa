// What the device authorization grant (RFC 8628) does the same for every authorization server
// (IAM Identity Center's SSO OIDC, a company's OpenID Provider): show the code, then poll the
// token endpoint at the interval given (5 s when none; 5 s slower after each slow_down) and stop
// when the code expires, the person denies it, or the sign-in is cancelled.
import { RolecallError } from './errors';

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

export interface DevicePoll<T> {
  /** The interval the server gave, in seconds (absent or not positive: 5). */
  interval?: number;
  /** When the code expires (io.now() milliseconds). */
  deadline: number;
  /** What to run to try again, for the messages. */
  againHint: string;
  /** One token request with the device code. */
  redeem(): Promise<T>;
  /** The RFC 8628 error code of a failed request ('authorization_pending', 'slow_down', ...), undefined for other failures. */
  errorCode(err: unknown): string | undefined;
}

const DEFAULT_INTERVAL_SECONDS = 5;
const SLOW_DOWN_SECONDS = 5;

export async function pollDeviceGrant<T>(io: DeviceFlowIo, poll: DevicePoll<T>): Promise<T> {
  let interval = poll.interval && poll.interval > 0 ? poll.interval : DEFAULT_INTERVAL_SECONDS;
  const expired = () => new RolecallError('the sign-in code expired before it was approved', 'timeout', poll.againHint);
  for (;;) {
    await io.sleep(interval * 1000);
    if (io.signal?.aborted) throw new RolecallError('the sign-in was cancelled', 'timeout');
    try {
      return await poll.redeem();
    } catch (err) {
      const code = poll.errorCode(err);
      if (code === 'authorization_pending') {
        if (io.now() < poll.deadline) continue;
        throw expired();
      }
      if (code === 'slow_down') {
        interval += SLOW_DOWN_SECONDS;
        continue;
      }
      if (code === 'expired_token') throw expired();
      if (code === 'access_denied') throw new RolecallError('the sign-in was denied in the browser', 'access-denied', poll.againHint);
      throw err;
    }
  }
}
