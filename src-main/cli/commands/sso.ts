// `rolecall login sso`, `rolecall logout [NAME]`, `rolecall sync [NAME]` and `rolecall sso status`:
// IAM Identity Center from the command line. Sign-in prompts and progress go to stderr; results
// to stdout.
import type { Command } from 'commander';
import { oneLine } from '../../../src-shared/untrusted-text';
import { RolecallError } from '../../core/errors';
import type { SsoManager } from '../../core/sso/manager';
import type { SyncProgress } from '../../core/sso/sync';
import type { CliContext } from '../context';
import { profileName } from '../validate';

async function manager(ctx: CliContext): Promise<SsoManager> {
  return (await ctx.core()).sso;
}

const instanceName = (name: string | undefined) => (name === undefined ? undefined : profileName(name, 'Identity Center instance name'));
const isTty = (s: NodeJS.WritableStream) => Boolean((s as { isTTY?: boolean }).isTTY);

export function registerSsoCommands(program: Command, ctx: CliContext): void {
  const login = program.commands.find((c) => c.name() === 'login') ?? program.command('login').description('sign in');
  login
    .command('sso')
    .description('sign in to an IAM Identity Center instance (again), replacing its tokens')
    .argument('[name]', 'the instance, as Rolecall names it')
    .option('--start-url <url>', 'the AWS access portal URL, e.g. https://acme.awsapps.com/start')
    .option('--region <region>', 'the Identity Center region')
    .option('--name <name>', 'a name for the instance (default: from the start URL)')
    .option('--device-code', 'use the device-code flow (for SSH sessions and hosts without a browser)')
    .option('--no-browser', 'print the sign-in URL instead of opening a browser')
    .action(async (arg: string | undefined, o: { startUrl?: string; region?: string; name?: string; deviceCode?: boolean; browser: boolean }) => {
      if (arg !== undefined && o.name !== undefined && arg !== o.name) {
        throw new RolecallError(`login sso: the instance is named twice ('${oneLine(arg, 64)}' and --name '${oneLine(o.name, 64)}'); give one name`, 'invalid-input');
      }
      const name = instanceName(o.name ?? arg);
      const m = await manager(ctx);
      const region = o.region ?? (await askRegion(ctx, m, name, o.startUrl));
      const r = await m.login({ name, startUrl: o.startUrl, region, deviceCode: o.deviceCode, noBrowser: !o.browser });
      ctx.print(`Signed in to ${r.name} (access token valid until ${r.expiresAt.toISOString()})`);
    });

  program
    .command('logout')
    .description('sign out of an IAM Identity Center instance (all, without a name) and end its sessions')
    .argument('[name]', 'the instance')
    .action(async (arg: string | undefined) => {
      const names = await (await manager(ctx)).logout(instanceName(arg));
      ctx.print(names.length ? names.map((n) => `Signed out of ${n}`).join('\n') : 'No Identity Center instances to sign out of');
    });

  program
    .command('sync')
    .description('turn every account and role an Identity Center sign-in grants into profiles (all instances, without a name)')
    .argument('[name]', 'the instance')
    .action(async (arg: string | undefined) => {
      const m = await manager(ctx);
      const names = arg ? [instanceName(arg) as string] : (await m.sessions()).map((s) => s.name);
      if (!names.length) return ctx.print('No Identity Center instances yet: rolecall login sso --start-url URL --region REGION');
      let added = 0;
      for (const name of names) {
        const progress = progressLine(ctx, name);
        const r = await m.sync(name, { onProgress: progress.update }).finally(progress.done);
        added += r.added.length;
        ctx.print(`${name}: ${r.accounts} accounts, ${r.roles} roles; ${r.added.length} profiles added, ${r.removed.length} removed (${(r.durationMs / 1000).toFixed(1)} s)`);
        for (const p of r.orphaned) ctx.notice(`kept '${p}': its role is gone, but other profiles build on it`);
      }
      // The managed block says it is replaced on sync: with config writing on (the block is in the
      // file), it is; otherwise AWS tools cannot see the synced profiles yet, so say how.
      const { hasManagedBlock, writeRolecallBlock } = await import('../write-block');
      if (await hasManagedBlock(ctx)) await writeRolecallBlock(ctx);
      else if (added) ctx.print('To use them from AWS tools (aws --profile NAME): rolecall config write');
    });

  program
    .command('sso')
    .description('IAM Identity Center instances')
    .command('status')
    .description('each instance and whether it is signed in')
    .action(async () => {
      const m = await manager(ctx);
      const sessions = await m.sessions();
      if (!sessions.length) return ctx.print('No Identity Center instances yet: rolecall login sso --start-url URL --region REGION');
      for (const s of sessions) {
        const st = await m.status(s.name);
        const what =
          st.state === 'signed-in'
            ? st.expiresAt.getTime() > Date.now()
              ? `signed in until ${st.expiresAt.toISOString()}${st.source === 'aws-cli' ? ' (the AWS CLI sign-in)' : ''}`
              : 'signed in (the access token is renewed on next use)'
            : st.state === 'refreshing'
              ? 'refreshing'
              : st.neverSignedIn
                ? `not signed in yet: rolecall login sso ${s.name}`
                : `sign in again: rolecall login sso ${s.name}`;
        ctx.print(`${s.name}\t${s.startUrl}\t${s.region}\t${what}`);
      }
    });
}

/** A new instance's region, asked alone at a terminal when only --start-url was given; undefined otherwise (login then says what is missing). */
async function askRegion(ctx: CliContext, m: SsoManager, name: string | undefined, startUrl: string | undefined): Promise<string | undefined> {
  if (!startUrl) return undefined;
  const known = await m.sessions();
  if (known.some((s) => (name ? s.name === name : s.startUrl === startUrl.trim()))) return undefined;
  const { canPrompt, promptLine } = await import('../prompt');
  if (!canPrompt(ctx.io)) return undefined;
  return (await promptLine(ctx.io, `IAM Identity Center region of ${oneLine(startUrl, 200)} (e.g. us-east-1): `)) || undefined;
}

/** A progress line on a terminal (stderr), redrawn at most ten times a second; nothing elsewhere. */
function progressLine(ctx: CliContext, name: string) {
  const tty = isTty(ctx.io.stderr);
  let last = 0;
  let shown = false;
  return {
    update: (p: SyncProgress) => {
      if (!tty || performance.now() - last < 100) return;
      last = performance.now();
      shown = true;
      const of = p.listingDone ? `${p.accounts}` : `${p.accounts}+`;
      ctx.io.stderr.write(`\r\x1b[K${name}: ${p.accountsDone}/${of} accounts, ${p.roles} roles`);
    },
    done: () => {
      if (shown) ctx.io.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
