// `rolecall config import [--file F]`: brings the AWS CLI's profiles into Rolecall (read with
// the AWS SDK's own INI loader); names Rolecall already has are left alone.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { quoted } from '../../../src-shared/untrusted-text';
import { RolecallError } from '../../core/errors';
import type { CliContext } from '../context';

export function registerConfigImport(config: Command, ctx: CliContext): void {
  config
    .command('import')
    .description('import profiles from the AWS config file (sso-session, sso_*, role_arn + source_profile, ...)')
    .option('--file <file>', 'AWS config file to read (default: AWS_CONFIG_FILE or ~/.aws/config)')
    .option('--credentials-file <file>', 'AWS credentials file to read alongside (default: the usual one, unless --file is given)')
    .action(async (o: { file?: string; credentialsFile?: string }) => {
      const { importAwsConfig } = await import('../../core/files/aws-config');
      const { importProfiles } = await import('../../core/profiles');
      const { StateStore } = await import('../../core/files/state-store');
      const configFile = o.file ?? ctx.paths.awsConfigFile;
      const credentialsFile = o.credentialsFile ?? (o.file ? undefined : ctx.paths.awsCredentialsFile);
      const configText = await readText(configFile, !o.file);
      const credentialsText = credentialsFile ? await readText(credentialsFile, !o.credentialsFile) : '';
      const imported = await importAwsConfig(configText, credentialsText, { config: configFile, credentials: credentialsFile });
      const r = await importProfiles(new StateStore(ctx.paths), imported);
      const skipped = [...imported.skipped, ...r.skipped];
      ctx.print(`Imported ${r.added.length} profile${r.added.length === 1 ? '' : 's'}${r.added.length ? ` (${r.added.join(', ')})` : ''}` +
        (r.addedSsoSessions.length ? ` and Identity Center ${r.addedSsoSessions.join(', ')}` : '') + ` from ${configFile}`);
      for (const s of skipped) ctx.print(`  skipped ${shownName(s.name)}: ${s.reason}`);
    });
}

// A section name is the file's text: one that is not a plain name (5 MB long, a "\r" in it) is
// shown quoted, escaped and cut short.
const PLAIN = /^[A-Za-z0-9_.+@/ -]{1,140}$/;
const shownName = (name: string) => (PLAIN.test(name) ? name : quoted(name));

/** The file's text; a missing default file reads as empty, a missing named one is an error. */
async function readText(file: string, missingOk: boolean): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && missingOk) return '';
    throw new RolecallError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(e))}`, code === 'ENOENT' ? 'not-found' : 'file');
  }
}
