// `rolecall profile edit NAME [options]`: changes the given fields, leaves the rest.
import type { Command } from 'commander';
import { RolecallError } from '../../core/errors';
import type { CliContext } from '../context';
import { profileName } from '../validate';
import { assumeRoleFields, withAssumeRoleOptions, type AssumeRoleOptions } from './profile-options';

export function registerProfileEdit(profile: Command, ctx: CliContext): void {
  withAssumeRoleOptions(profile.command('edit').description("change an assume-role profile's settings").argument('<name>', 'profile name'), false).action(
    async (name: string, o: AssumeRoleOptions) => {
      const { editProfile } = await import('../../core/profiles');
      const { StateStore } = await import('../../core/files/state-store');
      const changes = assumeRoleFields(o);
      if (Object.values(changes).every((v) => v === undefined)) throw new RolecallError('nothing to change: give at least one option (see rolecall profile edit --help)', 'invalid-input');
      const edited = await editProfile(new StateStore(ctx.paths), profileName(name), changes);
      // Sessions issued under the old settings must not be handed out again.
      await ctx.forget(edited.name);
      ctx.print(`Updated profile '${edited.name}'`);
    },
  );
}
