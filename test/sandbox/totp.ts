// Virtual MFA devices as IAM runs them: RFC 6238 TOTP, SHA-1, 30-second steps, 6 digits, and a
// code from the step before or after also accepted (clock drift between phone and AWS).
import { Secret, TOTP } from 'otpauth';

const options = (seed: string) => ({ secret: Secret.fromBase32(seed), algorithm: 'SHA1', digits: 6, period: 30 });

/** The code the device shows at `at` (tests compute the code a user would type). */
export function totpCode(seed: string, at: Date): string {
  return TOTP.generate({ ...options(seed), timestamp: at.getTime() });
}

export function verifyTotp(seed: string, code: string, now: Date): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return TOTP.validate({ ...options(seed), token: code, timestamp: now.getTime(), window: 1 }) !== null;
}
