// `rolecall console NAME`: signs the profile in to the AWS console (the core does the work) and
// opens the default browser, or `--browser CMD`, or prints the URL with --print (stdout only: it
// holds a live SigninToken). `--switch-role-link` prints the console's Switch Role link instead,
// with no AWS call.
import type { Command } from 'commander';
import type { IamUserProfile, Profile } from '../../../src-shared/profile';
import { RolecallError } from '../../core/errors';
import type { CliContext } from '../context';
import { mfaCode, profileName, wholeSeconds } from '../validate';

interface ConsoleOptions {
  print?: boolean;
  destination?: string;
  region?: string;
  browser?: string;
  signOutFirst?: boolean;
  switchRoleLink?: boolean;
  duration?: string;
  color?: string;
  mfaCode?: string;
}

export function registerConsole(program: Command, ctx: CliContext): void {
  program
    .command('console')
    .description('sign a profile in to the AWS console and open it in the browser')
    .argument('<name>', 'profile name')
    .option('--print', 'print the sign-in URL instead of opening a browser (it is a secret for 15 minutes)')
    .option('--destination <d>', 'a service (ec2, s3, iam, lambda, ...) or a console URL of the profile\'s partition; default: the console home')
    .option('--region <region>', "the console's region (default: the profile's)")
    .option('--browser <command>', 'open with this command (words split at spaces, the URL appended) instead of the default browser')
    .option('--sign-out-first', "sign the browser's current console session out first, so this one replaces it")
    .option('--duration <seconds>', 'console session length, 900-43200 (default 43200: 12 hours)')
    .option('--switch-role-link', "print the console's Switch Role link for this role profile (no AWS call)")
    .option('--color <color>', 'Switch Role colour: red, orange, yellow, green, blue or six hex digits (default: one per account)')
    .option('--mfa-code <code>', 'MFA code, for a profile that needs one')
    .action(async (name: string, o: ConsoleOptions) => {
      const profile = profileName(name);
      const code = mfaCode(o.mfaCode);
      const durationSeconds = wholeSeconds(o.duration, '--duration');
      if (o.print && o.browser) throw new RolecallError('--print and --browser: give one (print the URL, or open it with a command)', 'invalid-input');
      // The SDK warns on stderr about Node < 22; the console modules below load it.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      const { StateStore } = await import('../../core/files/state-store');
      const state = await new StateStore(ctx.paths).load();
      if (o.switchRoleLink) return printSwitchRoleLink(ctx, state.profiles, profile, o);

      const [{ consoleLogin }, { openThroughRedirect, commandOpener }, { systemBrowserOpener }] = await Promise.all([
        import('../../core/console/console-login'),
        import('../../core/console/open-login'),
        import('../../core/sso/open-browser'),
      ]);
      const opener = o.print ? undefined : o.browser !== undefined ? commandOpener(o.browser) : systemBrowserOpener(ctx.io.env);
      const login = await consoleLogin(
        {
          env: ctx.io.env,
          profiles: state.profiles,
          roleCredentials: (p) => ctx.credentials(p, code ? { mfaCode: code } : {}),
          iamUserKeys: (user) => iamUserKeys(ctx, user),
          notice: (m) => ctx.notice(m),
        },
        { profile, region: o.region, destination: o.destination, durationSeconds, signOutFirst: o.signOutFirst },
      );
      if (!opener) return ctx.print(login.url);
      await openThroughRedirect(login.url, opener);
      ctx.notice(`opened the ${login.partition.name} console for '${profile}' in ${login.partition.region}`);
    });
}

async function iamUserKeys(ctx: CliContext, user: IamUserProfile) {
  const [{ readJsonSecret }, { iamUserEntryName, IamUserSecret }] = await Promise.all([
    import('../../core/secrets/secret-store'),
    import('../../core/secrets/keychain-entries'),
  ]);
  const keys = await readJsonSecret((await ctx.core()).secrets, iamUserEntryName(user.name), IamUserSecret);
  if (!keys) {
    throw new RolecallError(
      `profile '${user.name}': no secret access key for ${user.accessKeyId} in the keychain`,
      'not-found',
      `run: rolecall iam-user add ${user.name} --access-key-id ${user.accessKeyId}`,
    );
  }
  return keys;
}

async function printSwitchRoleLink(ctx: CliContext, profiles: Profile[], name: string, o: ConsoleOptions): Promise<void> {
  const [{ consolePartition }, { checkPartition }, sr, { regionOf }, { defaultRegion }] = await Promise.all([
    import('../../core/console/partitions'),
    import('../../core/console/console-login'),
    import('../../core/console/switch-role'),
    import('../../core/chain'),
    import('../../core/aws/endpoints'),
  ]);
  const profile = profiles.find((p) => p.name === name);
  if (!profile) throw new RolecallError(`profile '${name}' does not exist`, 'not-found', 'run: rolecall list');
  const target = sr.switchRoleTarget(profile);
  const color = sr.colorHex(o.color ?? sr.accountColor(target.accountId));
  const partition = consolePartition(o.region ?? regionOf(profiles, name) ?? defaultRegion(ctx.io.env));
  checkPartition(profile, partition);
  ctx.print(sr.switchRoleLink(partition, ctx.io.env, target, { displayName: profile.alias ?? profile.name, color }));
}
