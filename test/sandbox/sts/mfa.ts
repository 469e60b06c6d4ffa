// SerialNumber + TokenCode, as AssumeRole and GetSessionToken check them: the device must be one
// of the calling user's, and the code the one its seed shows now (RFC 6238).
import { userArn } from '../org';
import type { CredentialRecord, SandboxState } from '../state';
import { verifyTotp } from '../totp';
import { accessDenied } from './protocol';

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
      if (verifyTotp(device.seed, tokenCode, state.now())) return true;
      break;
    }
  }
  throw accessDenied(INVALID_CODE);
}
