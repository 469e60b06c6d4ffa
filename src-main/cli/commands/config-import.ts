// `rolecall config import [--file F]`: brings the AWS CLI's profiles into Rolecall (read with
// the AWS SDK's own INI loader); names Rolecall already has are left alone. `--take-over` also
// moves static keys into the keychain and puts Rolecall's profiles in the imported sections'
// place (core/files/take-over.ts); `--undo` puts the files back.
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
    .option('--take-over', 'also move static keys into the keychain and replace the imported sections with Rolecall profiles (shows the plan and asks)')
    .option('--yes', 'with --take-over: do it without asking')
    .option('--undo', 'restore the AWS config and credentials files from before the last take-over')
    .action(async (o: { file?: string; credentialsFile?: string; takeOver?: boolean; yes?: boolean; undo?: boolean }) => {
      if (o.undo) {
        if (o.takeOver || o.file || o.credentialsFile) throw new RolecallError('--undo takes no other option', 'invalid-input');
        return undo(ctx);
      }
      if (o.takeOver) {
        if (o.file || o.credentialsFile) throw new RolecallError('--take-over works on the files AWS tools read (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE); give no --file', 'invalid-input');
        return takeOverCommand(ctx, !!o.yes);
      }
      if (o.yes) throw new RolecallError('--yes goes with --take-over', 'invalid-input');
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

async function takeOverCommand(ctx: CliContext, yes: boolean): Promise<void> {
  const { planTakeOver, takeOver, TAKE_OVER_BACKUP_ENTRY } = await import('../../core/files/take-over');
  const { StateStore } = await import('../../core/files/state-store');
  const files = { configFile: ctx.paths.awsConfigFile, credentialsFile: ctx.paths.awsCredentialsFile };
  const store = new StateStore(ctx.paths);
  const plan = await planTakeOver(files, await store.load());
  for (const line of describePlan(plan)) ctx.print(line);
  if (plan.existing.length) {
    throw new RolecallError(
      `${plan.existing.map((n) => `'${n}'`).join(', ')} ${plan.existing.length === 1 ? 'is' : 'are'} both in Rolecall and in ${plan.configFile}; nothing changed`,
      'conflict',
      `rename the Rolecall profile (rolecall profile rename ${plan.existing[0]} NEW) or remove it (rolecall profile remove ${plan.existing[0]}), then take over again`,
    );
  }
  if (!plan.willImport.length) return ctx.print('Nothing to take over.');
  const core = await ctx.core();
  if (await core.secrets.get(TAKE_OVER_BACKUP_ENTRY)) {
    throw new RolecallError('an earlier take-over can still be undone; a second one would replace its backup; nothing changed', 'conflict', 'undo it first (rolecall config import --undo), or import without --take-over');
  }
  if (!yes) {
    const { canPrompt, promptLine } = await import('../prompt');
    if (!canPrompt(ctx.io)) return ctx.print('Nothing changed: run it again with --yes to do this.');
    if (!/^y(es)?$/i.test(await promptLine(ctx.io, 'Take over? [y/N] '))) return ctx.print('Nothing changed.');
  }
  const r = await takeOver(plan, core);
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
  ctx.print(`Took over ${n(r.added.length, 'profile')}${r.keysMoved.length ? `; ${n(r.keysMoved.length, 'access key')} now in the OS keychain` : ''}`);
  const { writeRolecallBlock } = await import('../write-block');
  await writeRolecallBlock(ctx);
  ctx.print('Undo: rolecall config import --undo');
}

/** The plan, as the person is asked to approve it: every key moved, profile imported, section replaced, and what is left. */
function describePlan(plan: import('../../core/files/take-over').TakeOverPlan): string[] {
  const profiles = plan.willImport;
  const keys = new Set(plan.imported.secretKeys.map((k) => k.name));
  const lines = [`Rolecall will take over ${plan.configFile} and ${plan.credentialsFile}:`];
  for (const p of profiles) {
    if (p.kind === 'iam-user' && keys.has(p.name)) {
      lines.push(`  move the access key ${p.accessKeyId} of '${p.name}' into the OS keychain${p.mfaSerial ? ` (MFA device ${p.mfaSerial})` : ''}`);
    }
  }
  for (const a of plan.imported.adopted) {
    lines.push(`  '${a.name}' runs ${a.tool}: ${a.target === a.name ? 'its own settings' : `the settings of '${a.target}'`} are imported instead`);
  }
  for (const p of profiles) lines.push(`  import ${shownName(p.name)} (${kindText(p)})`);
  for (const s of plan.imported.ssoSessions) lines.push(`  import Identity Center ${s.name} (${s.startUrl}, ${s.region})`);
  const where = [
    plan.configSections.length ? `${plan.configSections.join(', ')} in ${plan.configFile}` : '',
    plan.credentialsSections.length ? `${plan.credentialsSections.join(', ')} in ${plan.credentialsFile}` : '',
  ].filter(Boolean);
  if (where.length) lines.push(`  replace ${where.join(' and ')} with Rolecall's profiles of the same names; every other line stays`);
  for (const s of [...plan.imported.skipped, ...plan.left]) lines.push(`  leave ${shownName(s.name)}: ${s.reason}`);
  for (const name of plan.existing) lines.push(`  leave ${shownName(name)}: Rolecall already has a profile of that name`);
  lines.push('  keep a copy of both files in the OS keychain, for: rolecall config import --undo');
  return lines;
}

function kindText(p: import('../../../src-shared/profile').Profile): string {
  switch (p.kind) {
    case 'iam-user':
      return p.mfaSerial ? 'IAM user with MFA' : 'IAM user';
    case 'assume-role':
      return `assume ${p.roleArn} from '${p.sourceProfile}'${p.mfaSerial ? ' with MFA' : ''}`;
    case 'sso-role':
      return `Identity Center ${p.ssoSession}: ${p.accountId} ${p.roleName}`;
    default:
      return p.kind;
  }
}

async function undo(ctx: CliContext): Promise<void> {
  const { undoTakeOver } = await import('../../core/files/take-over');
  const core = await ctx.core();
  const r = await undoTakeOver(core);
  for (const p of r.removedProfiles) await ctx.forget(p).catch(() => undefined);
  ctx.print(`Restored ${r.files.join(' and ')} as they were before the take-over`);
  if (r.removedProfiles.length) ctx.print(`Removed from Rolecall: ${r.removedProfiles.join(', ')}`);
  for (const p of r.keptProfiles) ctx.notice(`kept '${p}': profiles added since build on it`);
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
