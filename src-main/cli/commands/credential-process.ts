// `rolecall credential-process [--profile] NAME`: what AWS tools run through credential_process.
// main.ts normally answers it on the hot path; this command handles what the hot path leaves:
// --help, and arguments that need a proper explanation.
import type { Command } from 'commander';
import { oneLine } from '../../../src-shared/untrusted-text';
import { RolecallError } from '../../core/errors';
import type { CliContext } from '../context';
import { runCredentialProcess } from '../hot/credential-process';
import { mfaCode, profileName } from '../validate';

export function registerCredentialProcess(program: Command, ctx: CliContext): void {
  program
    .command('credential-process')
    .description('print credentials for a profile as credential_process JSON (what AWS tools run)')
    .argument('[name]', 'profile name (or --profile NAME)')
    .option('--profile <name>', 'profile name')
    .option('--mfa-code <code>', 'MFA code, for a profile that needs one')
    .option('--force-refresh', 'ignore cached credentials')
    .action(async (positional: string | undefined, o: { profile?: string; mfaCode?: string; forceRefresh?: boolean }) => {
      if (positional !== undefined && o.profile !== undefined && positional !== o.profile) {
        throw new RolecallError(`two profiles given ('${oneLine(positional, 64)}' and --profile '${oneLine(o.profile, 64)}'); give one`, 'invalid-input');
      }
      const given = o.profile ?? positional;
      if (!given) throw new RolecallError('a profile is required: rolecall credential-process --profile NAME', 'invalid-input');
      const profile = profileName(given);
      const code = mfaCode(o.mfaCode);
      ctx.exitCode = await runCredentialProcess({ profile, ...(code ? { mfaCode: code } : {}), ...(o.forceRefresh ? { forceRefresh: true } : {}) }, ctx.io);
    });
}
