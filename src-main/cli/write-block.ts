// Rewriting the managed block from the commands that change profiles (config import --take-over,
// sync, profile rename): the same code as `rolecall config write`, so there is one way the block
// is made.
import { readFile } from 'node:fs/promises';
import type { CliContext } from './context';

export async function writeRolecallBlock(ctx: CliContext): Promise<void> {
  const { writeAwsConfig } = await import('./commands/config-write');
  await writeAwsConfig(ctx);
}

/** Whether the AWS config file has Rolecall's block: config writing is then on, and changes are written through. */
export async function hasManagedBlock(ctx: CliContext): Promise<boolean> {
  const { BEGIN_MARKER } = await import('../core/files/aws-ini');
  const text = await readFile(ctx.paths.awsConfigFile, 'latin1').catch(() => '');
  return text.split(/\r?\n/).some((l) => l.trim() === BEGIN_MARKER);
}
