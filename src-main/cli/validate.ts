// Checks of command-line values where they enter, with one-line messages that name the option.
// A refused value is quoted escaped and cut short: it may be 100 KB or hold a line break.
import { ProfileName, describeIssue } from '../../src-shared/names';
import { quoted } from '../../src-shared/untrusted-text';
import { RolecallError } from '../core/errors';

const invalid = (message: string) => new RolecallError(message, 'invalid-input');

export function profileName(value: string | undefined, what = 'profile name'): string {
  if (value === undefined || value === '') throw invalid(`a ${what} is required`);
  const r = ProfileName.safeParse(value);
  if (!r.success) throw invalid(describeIssue(r.error, `invalid ${what} ${quoted(value)}`));
  return value;
}

export function mfaCode(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{6}$/.test(value)) throw invalid('--mfa-code: an MFA code is 6 digits');
  return value;
}

export function wholeSeconds(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw invalid(`${option}: expected a whole number of seconds, got ${quoted(value)}`);
  return Number(value);
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], option: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw invalid(`${option}: expected one of ${allowed.join(', ')}, got ${quoted(value)}`);
  return value as T;
}
