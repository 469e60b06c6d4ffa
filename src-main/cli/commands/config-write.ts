// `rolecall config write`: Rolecall's profiles into the AWS config file's managed block, each as
// credential_process = [<native helper>] <launcher> credential-process --profile NAME, both in the
// data dir (core/files/launcher.ts) so the lines outlive a moved or re-installed Rolecall; on
// Windows <node> <this rolecall script> instead.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Install } from '../../core/files/launcher';
import type { CliContext } from '../context';

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

/** This CLI as the credential_process lines name it. */
export function cliInstall(): Install {
  const script = entryScript(path.resolve(process.argv[1] ?? ''));
  // The packaged app's CLI runs on the app's own runtime (Electron as Node).
  return { nodePath: process.execPath, script, helper: nativeHelper(script), electronAsNode: Boolean(process.versions.electron) };
}

export function registerConfigWrite(config: Command, ctx: CliContext): void {
  config
    .command('write')
    .description('write every Rolecall profile into the AWS config file (between # BEGIN ROLECALL and # END ROLECALL)')
    .action(() => writeAwsConfig(ctx));
}

/** Writes the managed block from the state (config write, and the commands that change profiles when config writing is on). */
export async function writeAwsConfig(ctx: CliContext): Promise<void> {
  const { writeManagedBlockFromState } = await import('../../core/files/managed-block');
  const { changed, count, file, keptDefault } = await writeManagedBlockFromState(ctx.paths, cliInstall());
  const n = `${count} profile${count === 1 ? '' : 's'}`;
  ctx.print(changed ? `Wrote ${n} to ${file}` : `${file} is up to date (${n})`);
  if (keptDefault) ctx.print(`Kept your own [default] in ${file}: Rolecall's default profile '${keptDefault}' is not written there (remove that section to use it, or run with AWS_PROFILE=${keptDefault})`);
}
