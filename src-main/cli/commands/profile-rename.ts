// `rolecall profile rename OLD NEW`: the profiles built on it follow; an IAM user's key moves to
// the new name's keychain entry; the managed block is rewritten when config writing is on.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { profileName } from '../validate';

export function registerProfileRename(profile: Command, ctx: CliContext): void {
  profile
    .command('rename')
    .description('rename a profile; profiles that use it as their source follow')
    .argument('<old>', 'current name')
    .argument('<new>', 'new name')
    .action(async (oldGiven: string, newGiven: string) => {
      const from = profileName(oldGiven);
      const to = profileName(newGiven, 'new profile name');
      const { renameProfile } = await import('../../core/profiles');
      const { StateStore } = await import('../../core/files/state-store');
      const { iamUserEntryName } = await import('../../core/secrets/keychain-layout');
      const store = new StateStore(ctx.paths);
      const existing = (await store.load()).profiles.find((p) => p.name === from);
      // Sessions are kept by name: the old name's go (the agent's memory and the keychain).
      if (existing) await ctx.forget(from);
      let movedKey = false;
      const secrets = existing?.kind === 'iam-user' ? (await ctx.core()).secrets : undefined;
      if (secrets) {
        const key = await secrets.get(iamUserEntryName(from));
        if (key !== null && (await secrets.get(iamUserEntryName(to))) === null) {
          await secrets.set(iamUserEntryName(to), key);
          movedKey = true;
        }
      }
      let result;
      try {
        result = await renameProfile(store, from, to);
      } catch (e) {
        if (movedKey) await secrets?.delete(iamUserEntryName(to));
        throw e;
      }
      if (movedKey) await secrets?.delete(iamUserEntryName(from));
      const { dependents } = result;
      ctx.print(`Renamed profile '${from}' to '${to}'${dependents.length ? `; ${dependents.map((d) => `'${d}'`).join(', ')} now use${dependents.length === 1 ? 's' : ''} it as source` : ''}`);
      const { hasManagedBlock, writeRolecallBlock } = await import('../write-block');
      if (await hasManagedBlock(ctx)) await writeRolecallBlock(ctx);
    });
}
