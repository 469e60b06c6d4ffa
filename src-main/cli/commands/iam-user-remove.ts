// `rolecall iam-user remove NAME`: the profile and its keychain entry.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { profileName } from '../validate';

export function registerIamUserRemove(iamUser: Command, ctx: CliContext): void {
  iamUser
    .command('remove')
    .description('remove an IAM user profile and its secret key from the keychain')
    .argument('<name>', 'profile name')
    .action(async (name: string) => {
      const core = await ctx.core();
      const { removeIamUser } = await import('../../core/iam-users');
      await removeIamUser(core, profileName(name));
      await ctx.forget(name);
      ctx.print(`Removed IAM user profile '${name}'`);
    });
}
