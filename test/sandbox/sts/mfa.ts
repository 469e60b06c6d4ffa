// SerialNumber + TokenCode, as AssumeRole and GetSessionToken check them: the device must be one
// of the calling user's, and the code one its seed shows now (RFC 6238) that was not used before.
import { userArn } from '../org';
import type { CredentialRecord, SandboxState } from '../state';
import { TOTP_PERIOD_SECONDS, totpCodeOfStep, totpStep, verifyTotp } from '../totp';
import { accessDenied } from './protocol';

// AWS's words for a wrong code; it answers a reused code with the same ones (AWS-NOTES.md, MFA).
const INVALID_CODE = 'MultiFactorAuthentication failed with invalid MFA one time pass code. ';

/** True when a valid MFA code came with the request, false when none did; throws AccessDenied when it fails. */
export function checkMfa(state: SandboxState, caller: CredentialRecord, serialNumber?: string, tokenCode?: string): boolean {
  if (serialNumber === undefined && tokenCode === undefined) return false;
  if (serialNumber === undefined || tokenCode === undefined) {
    throw accessDenied('MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.');
  }
  for (const user of state.org.users) {
    // A user's device proves only that user; a role session may present a device of its own account.
    const owner = userArn(state.org, user);
    const mayUse = caller.userArn !== undefined ? caller.userArn === owner : caller.accountId === user.accountId;
    const device = user.mfaDevices.find((d) => d.serialNumber === serialNumber);
    if (device && mayUse) {
      const step = verifyTotp(device.seed, tokenCode, state.now());
      // A one-time code is good once: "the verifier MUST NOT accept the second attempt of the OTP
      // after the successful validation has been issued for the first OTP" (RFC 6238, section 5.2,
      // https://datatracker.ietf.org/doc/html/rfc6238#section-5.2). So a retry, a second hop of a
      // chain or a second process re-sending a code is refused as a wrong one is: AccessDenied
      // (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html: "An incorrect
      // MFA code causes the API to return an access denied error").
      if (step === undefined || state.mfaStepUsed(device.serialNumber, step)) break;
      state.useMfaStep(device.serialNumber, step);
      return true;
    }
  }
  throw accessDenied(INVALID_CODE);
}

/**
 * For tests and the demo: a code of the device that the sandbox accepts now and has not seen used,
 * as a person gets one by waiting for the authenticator's next code. When every code accepted now
 * was used, the sandbox clock moves on one 30-second step (as the wait would).
 */
export function unusedMfaCode(state: SandboxState, serialNumber: string): string {
  const device = state.org.users.flatMap((u) => u.mfaDevices).find((d) => d.serialNumber === serialNumber);
  if (!device) throw new Error(`no MFA device ${serialNumber} in the organization`);
  for (;;) {
    const now = state.now();
    const current = totpStep(now);
    // The step before is accepted only while the current one lasts: it is offered only with time to spare.
    const secondsLeft = (current + 1) * TOTP_PERIOD_SECONDS - now.getTime() / 1000;
    const candidates = [current, current + 1, ...(secondsLeft > 10 ? [current - 1] : [])];
    const step = candidates.find((s) => !state.mfaStepUsed(device.serialNumber, s));
    if (step !== undefined) return totpCodeOfStep(device.seed, step);
    state.clockOffsetMs += TOTP_PERIOD_SECONDS * 1000;
  }
}
