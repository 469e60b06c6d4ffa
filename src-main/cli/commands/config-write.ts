// `rolecall config write`: Rolecall's profiles into the AWS config file's managed block, each as
// credential_process = [<native helper>] <launcher> credential-process --profile NAME, both in the
// data dir (core/files/launcher.ts) so the lines outlive a moved or re-installed Rolecall; on
// Windows <node> <this rolecall script> instead.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { regionOf } from '../../core/chain';

/**
 * The CLI entry AWS tools should run: rolecall.cjs, also when this run came through the earlier
 * entry name (rolecall.mjs, kept so old credential_process lines work), which starts slower.
 */
function entryScript(script: string): string {
  if (path.basename(script) !== 'rolecall.mjs') return script;
  const cjs = path.join(path.dirname(script), 'rolecall.cjs');
  return existsSync(cjs) ? cjs : script;
}

/** The native credential_process helper built beside the CLI entry, if this machine could build it. */
export function nativeHelper(script: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform === 'win32') return undefined;
  const helper = path.join(path.dirname(script), 'rolecall-credential-process');
  return existsSync(helper) ? helper : undefined;
}

export function registerConfigWrite(config: Command, ctx: CliContext): void {
  config
    .command('write')
    .description('write every Rolecall profile into the AWS config file (between # BEGIN ROLECALL and # END ROLECALL)')
    .action(() => writeAwsConfig(ctx));
}

/** Writes the managed block from the state (config write, and the commands that change profiles when config writing is on). */
export async function writeAwsConfig(ctx: CliContext): Promise<void> {
  const { StateStore } = await import('../../core/files/state-store');
  const { credentialProcessCommand, launcherCommand, profilesOutsideBlock, renderManagedBlock, writeManagedBlock } = await import('../../core/files/aws-config');
  const { installLauncher, launcherPaths } = await import('../../core/files/launcher');
  const { withFileLock } = await import('../../core/lock');
  const script = entryScript(path.resolve(process.argv[1] ?? ''));
  const helper = nativeHelper(script);
  const file = ctx.paths.awsConfigFile;
  // Two runs at once (the app and a terminal) must not each write from a stale read.
  const { changed, entries, keptDefault } = await withFileLock(path.join(ctx.paths.locksDir, 'aws-config.lock'), async () => {
    const state = await new StateStore(ctx.paths).load();
    // The packaged app's CLI runs on the app's own runtime (Electron as Node).
    const install = { nodePath: process.execPath, script, helper, electronAsNode: Boolean(process.versions.electron) };
    const installed = launcherPaths(ctx.paths, install);
    const entry = (name: string, profile: string) => ({
      name,
      region: regionOf(state.profiles, profile),
      credentialProcess: installed
        ? launcherCommand(installed.launcher, profile, process.platform, installed.helper)
        : credentialProcessCommand(process.execPath, script, profile, process.platform, helper),
    });
    const entries = state.profiles.map((p) => entry(p.name, p.name));
    // The profile made the default (settings.defaultProfile) also serves [default], unless the
    // user has a [default] of their own outside the block: that one is never overwritten.
    const def = state.settings.defaultProfile;
    let keptDefault: string | undefined;
    if (def && state.profiles.some((p) => p.name === def) && !state.profiles.some((p) => p.name === 'default')) {
      if ((await profilesOutsideBlock(file)).has('default')) keptDefault = def;
      else entries.push(entry('default', def));
    }
    const afterChecks = () => installLauncher(ctx.paths, install).then(() => undefined);
    return { changed: await writeManagedBlock(file, renderManagedBlock(entries), { afterChecks }), entries, keptDefault };
  });
  const n = `${entries.length} profile${entries.length === 1 ? '' : 's'}`;
  ctx.print(changed ? `Wrote ${n} to ${file}` : `${file} is up to date (${n})`);
  if (keptDefault) ctx.print(`Kept your own [default] in ${file}: Rolecall's default profile '${keptDefault}' is not written there (remove that section to use it, or run with AWS_PROFILE=${keptDefault})`);
}
