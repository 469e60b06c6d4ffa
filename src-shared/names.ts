// Validation of values that end up in ~/.aws/config or on a shell command line. A profile name
// that could break the INI file (brackets, newlines, ';' '#') or a shell (quotes, '$', backticks)
// is refused where it enters, not escaped later.
import { z } from 'zod';

export const PROFILE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.+@/-]{0,127}$/;

export const ProfileName = z
  .string()
  .regex(
    PROFILE_NAME_PATTERN,
    'a profile name is 1-128 characters of letters, digits and _ . + @ / -, starting with a letter or digit (no spaces, brackets, quotes, ; # $ or backticks)',
  );

/** Names of Identity Center instances and IAM users inside Rolecall: the same safe alphabet. */
export const IntegrationName = ProfileName;

/** AWS: RoleSessionName 2-64 of [\w+=,.@-]. */
export const RoleSessionName = z.string().regex(/^[\w+=,.@-]{2,64}$/, 'RoleSessionName is 2-64 characters of letters, digits and + = , . @ _ -');
/** AWS: ExternalId 2-1224 of [\w+=,.@:/-]. */
export const ExternalId = z.string().regex(/^[\w+=,.@:/-]{2,1224}$/, 'ExternalId is 2-1224 characters of letters, digits and + = , . @ : / _ -');
/** AWS: SourceIdentity 2-64 of [\w+=,.@-], not starting with "aws:". */
export const SourceIdentity = z
  .string()
  .regex(/^[\w+=,.@-]{2,64}$/, 'SourceIdentity is 2-64 characters of letters, digits and + = , . @ _ -')
  .refine((s) => !s.toLowerCase().startsWith('aws:'), 'SourceIdentity may not start with "aws:"');
export const AccessKeyId = z.string().regex(/^(AKIA|ASIA)[A-Z0-9]{12,124}$/, 'an access key id looks like AKIA followed by letters and digits');
export const AccountId = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits');
// Partition prefixes have two letters or more: us-east-1, eusc-de-east-1.
export const Region = z.string().regex(/^[a-z]{2,}(-[a-z]+)+-\d+$/, 'a region looks like us-east-1');
/** Role ARNs in the partitions the SDK's partition table knows (src-main/core/console/partition-data.ts; a test keeps them equal). */
export const RoleArn = z
  .string()
  .regex(/^arn:aws(-cn|-us-gov|-eusc|-iso(-[bef])?)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'a role ARN looks like arn:aws:iam::123456789012:role/Name');
/** MFA device serial: a virtual device ARN or a hardware serial (9-256 of [\w+=/:,.@-]). */
export const MfaSerial = z.string().regex(/^[\w+=/:,.@-]{9,256}$/, 'an MFA serial is a device ARN like arn:aws:iam::123456789012:mfa/name');
export const DurationSeconds = z.number().int().min(900).max(43200);

/** Formats the first issue of a failed zod parse as one line for people. */
export function describeIssue(err: z.ZodError, what: string): string {
  const i = err.issues[0];
  if (!i) return `${what} is invalid`;
  const at = i.path.length ? ` (${i.path.join('.')})` : '';
  return `${what}${at}: ${i.message}`;
}
