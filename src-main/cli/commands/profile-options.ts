// The assume-role options shared by `profile add` and `profile edit`, turned into profile fields.
import type { Command } from 'commander';
import { wholeSeconds } from '../validate';

export interface AssumeRoleOptions {
  source?: string;
  roleArn?: string;
  externalId?: string;
  mfaSerial?: string;
  duration?: string;
  sessionName?: string;
  sourceIdentity?: string;
  region?: string;
}

export function withAssumeRoleOptions(cmd: Command, required: boolean): Command {
  const add = (flags: string, description: string) => (required ? cmd.requiredOption(flags, description) : cmd.option(flags, description));
  add('--source <profile>', 'the profile whose credentials assume the role');
  add('--role-arn <arn>', 'the role to assume');
  return cmd
    .option('--external-id <id>', "ExternalId the role's trust policy requires")
    .option('--mfa-serial <arn>', 'MFA device the trust policy requires')
    .option('--duration <seconds>', 'DurationSeconds to ask for (900-43200; a chained hop gets at most 3600)')
    .option('--session-name <name>', 'RoleSessionName (default: derived from who you are)')
    .option('--source-identity <id>', 'SourceIdentity')
    .option('--region <region>', 'region for this profile');
}

/** Profile fields from the options; absent options stay undefined (an edit leaves them alone). */
export function assumeRoleFields(o: AssumeRoleOptions): Record<string, unknown> {
  return {
    sourceProfile: o.source,
    roleArn: o.roleArn,
    externalId: o.externalId,
    mfaSerial: o.mfaSerial,
    durationSeconds: wholeSeconds(o.duration, '--duration'),
    roleSessionName: o.sessionName,
    sourceIdentity: o.sourceIdentity,
    region: o.region,
  };
}
