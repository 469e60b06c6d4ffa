// `rolecall profile add NAME --source PROFILE --role-arn ARN [...]`: an assume-role hop.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { profileName } from '../validate';
import { assumeRoleFields, withAssumeRoleOptions, type AssumeRoleOptions } from './profile-options';

export function registerProfileAdd(profile: Command, ctx: CliContext): void {
  withAssumeRoleOptions(profile.command('add').description('add a profile that assumes a role from another profile').argument('<name>', 'new profile name'), true).action(
    async (name: string, o: AssumeRoleOptions) => {
      const { addProfile } = await import('../../core/profiles');
      const { StateStore } = await import('../../core/files/state-store');
      const fields = Object.fromEntries(Object.entries(assumeRoleFields(o)).filter(([, v]) => v !== undefined));
      const added = await addProfile(new StateStore(ctx.paths), { kind: 'assume-role', name: profileName(name), ...fields });
      ctx.print(`Added profile '${added.name}'; to use it from AWS tools: rolecall config write`);
    },
  );
}
