// Virtual MFA devices as IAM runs them: RFC 6238 TOTP, SHA-1, 30-second steps, 6 digits, and a
// code from the step before or after also accepted (clock drift between phone and AWS).
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
const options = (seed: string) => ({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_SECONDS });

/** The time step (RFC 6238's counter T) a moment falls in. */
export const totpStep = (at: Date): number => Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);

/** The code the device shows at `at` (tests compute the code a user would type). */
export function totpCode(seed: string, at: Date): string {
  return TOTP.generate({ ...options(seed), timestamp: at.getTime() });
}

/** The code of one time step. */
export const totpCodeOfStep = (seed: string, step: number): string => totpCode(seed, new Date(step * TOTP_PERIOD_SECONDS * 1000));

/** The time step whose code `code` is, among those accepted at `now`; undefined when it is none of them. */
export function verifyTotp(seed: string, code: string, now: Date): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = TOTP.validate({ ...options(seed), token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? undefined : totpStep(now) + delta;
}
