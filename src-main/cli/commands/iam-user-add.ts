// `rolecall iam-user add NAME --access-key-id AKIA... [--mfa-serial ARN] [--region R]`. The
// secret access key is read from stdin (piped) or a hidden prompt, never from the command line,
// where `ps` and shell history would show it.
import type { Command } from 'commander';
import { RolecallError } from '../../core/errors';
import type { CliContext } from '../context';
import type { CliIO } from '../output';
import { profileName, wholeSeconds } from '../validate';

export function registerIamUserAdd(iamUser: Command, ctx: CliContext): void {
  iamUser
    .command('add')
    .description('add an IAM user; the secret access key is read from stdin or a hidden prompt')
    .argument('<name>', 'profile name')
    .requiredOption('--access-key-id <id>', 'the access key id (AKIA...)')
    .option('--mfa-serial <arn>', 'MFA device: credentials become a GetSessionToken session')
    .option('--session-duration <seconds>', 'GetSessionToken DurationSeconds (900-129600)')
    .option('--region <region>', 'region for this profile')
    .action(async (name: string, o: { accessKeyId: string; mfaSerial?: string; sessionDuration?: string; region?: string }) => {
      const profile = profileName(name);
      const sessionDurationSeconds = wholeSeconds(o.sessionDuration, '--session-duration');
      const { parseProfile } = await import('../../core/profiles');
      // Check the visible fields before asking for the secret.
      parseProfile({ kind: 'iam-user', name: profile, accessKeyId: o.accessKeyId, mfaSerial: o.mfaSerial, region: o.region, sessionDurationSeconds });
      const secretAccessKey = await readSecret(ctx.io, `Secret access key for ${o.accessKeyId}: `);
      const core = await ctx.core();
      const { addIamUser } = await import('../../core/iam-users');
      await addIamUser(core, { name: profile, accessKeyId: o.accessKeyId, secretAccessKey, mfaSerial: o.mfaSerial, region: o.region, sessionDurationSeconds });
      ctx.print(`Added IAM user profile '${profile}' (secret key in the OS keychain)`);
    });
}

async function readSecret(io: CliIO, question: string): Promise<string> {
  if (io.stdin.isTTY) {
    const { promptHidden } = await import('../prompt');
    return promptHidden(io, question);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > 4096) throw new RolecallError('the secret access key on stdin is too long (expected one line)', 'invalid-input');
    chunks.push(b);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) throw new RolecallError('no secret access key on stdin: pipe it in, or run this at a terminal to be asked', 'invalid-input');
  return text;
}
