// `rolecall profile remove NAME`: refused while other profiles use it as their source.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { profileName } from '../validate';

export function registerProfileRemove(profile: Command, ctx: CliContext): void {
  profile
    .command('remove')
    .description('remove a profile (an IAM user or AWS sign-in profile also loses its keychain entry)')
    .argument('<name>', 'profile name')
    .action(async (given: string) => {
      // Checked before anything else: with no profiles yet, a lookup alone would never check it.
      const name = profileName(given);
      const { removeProfile } = await import('../../core/profiles');
      const { StateStore } = await import('../../core/files/state-store');
      const store = new StateStore(ctx.paths);
      const existing = (await store.load()).profiles.find((p) => p.name === name);
      if (existing?.kind === 'iam-user') {
        const core = await ctx.core();
        const { removeIamUser } = await import('../../core/iam-users');
        await removeIamUser(core, name);
      } else if (existing?.kind === 'aws-login') {
        const core = await ctx.core();
        const { removeAwsLogin } = await import('../../core/login/manage');
        await removeAwsLogin(core, name);
      } else {
        await removeProfile(store, name);
      }
      // Its cached session goes too (the agent's memory and the keychain).
      await ctx.forget(name);
      ctx.print(`Removed profile '${name}'`);
    });
}
