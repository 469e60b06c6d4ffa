// `rolecall login aws NAME [--region R] [--remote] [--write-aws-cache]`: AWS sign-in as the
// AWS CLI's `aws login` does it, in the browser; NAME becomes the profile serving the sign-in's
// credentials. `--from-aws-cache ARN` takes over a sign-in the AWS CLI made instead.
// Prompts and progress go to stderr; the result to stdout.
import type { Command } from 'commander';
import { Region } from '../../../src-shared/names';
import { LoginSessionArn } from '../../../src-shared/profile';
import { defaultRegion } from '../../core/aws/endpoints';
import { RolecallError } from '../../core/errors';
import type { CliContext } from '../context';
import type { CliIO } from '../output';
import { profileName } from '../validate';

const MAX_CODE_BYTES = 8192;

export function registerLoginAws(program: Command, ctx: CliContext): void {
  const login = program.commands.find((c) => c.name() === 'login') ?? program.command('login').description('sign in');
  login
    .command('aws')
    .description('sign in with your AWS console sign-in (as aws login does); NAME becomes the profile that serves its credentials')
    .argument('<name>', 'profile name')
    .option('--region <region>', 'the sign-in region (default: the profile\'s, else AWS_REGION, else us-east-1)')
    .option('--remote', 'sign in from a browser on another device and paste the code it shows (SSH sessions)')
    .option('--from-aws-cache <login-session>', "take over a sign-in the AWS CLI made (its ~/.aws/login/cache entry for this login_session ARN)")
    .option(
      '--write-aws-cache',
      "also keep the AWS CLI's login cache current for tools that read login_session themselves; off by default, because both sides rotate the one refresh token and the tool that refreshes second is signed out",
    )
    .action(async (name: string, o: { region?: string; remote?: boolean; fromAwsCache?: string; writeAwsCache?: boolean }) => {
      const profile = profileName(name);
      const region = o.region === undefined ? undefined : Region.safeParse(o.region);
      if (region && !region.success) throw new RolecallError(`login aws: --region: not a region (a region looks like us-east-1)`, 'invalid-input');
      const core = await ctx.core();
      const deps = { state: core.state, secrets: core.secrets, env: ctx.io.env, forgetProfile: (p: string) => ctx.forget(p) };
      const current = (await core.state.load()).profiles.find((p) => p.name === profile);
      const signInRegion = region?.data ?? (current?.kind === 'aws-login' ? current.region : undefined) ?? defaultRegion(ctx.io.env);
      const writeAwsLoginCache = o.writeAwsCache ?? (current?.kind === 'aws-login' ? current.writeAwsLoginCache : undefined);

      if (o.fromAwsCache !== undefined) {
        const session = LoginSessionArn.safeParse(o.fromAwsCache);
        if (!session.success) throw new RolecallError('login aws: --from-aws-cache: a login session is an ARN such as arn:aws:iam::123456789012:user/alice', 'invalid-input');
        const { importAwsLoginCache } = await import('../../core/login/manage');
        await importAwsLoginCache(deps, { name: profile, loginSession: session.data, region: region?.data, writeAwsLoginCache });
        ctx.print(`Profile '${profile}' now serves ${session.data} (taken over from the AWS CLI's login cache)`);
        if (!writeAwsLoginCache) ctx.notice(`the AWS CLI's own copy of this sign-in stops refreshing once Rolecall rotates its refresh token; pass --write-aws-cache to keep it current`);
        return;
      }

      const { signInWithAws } = await import('../../core/login/sign-in');
      const { systemBrowserOpener } = await import('../../core/sso/open-browser');
      const signedIn = await signInWithAws(
        { name: profile, region: signInRegion, env: ctx.io.env, remote: !!o.remote },
        { openBrowser: systemBrowserOpener(ctx.io.env), tell: (line) => ctx.io.stderr.write(`${line}\n`), readCode: (q) => readCode(ctx.io, q) },
      );
      const { keepAwsSignIn } = await import('../../core/login/manage');
      const { cacheFile } = await keepAwsSignIn(deps, { name: profile, region: signInRegion, signedIn, writeAwsLoginCache });
      ctx.print(`Signed in as ${signedIn.secret.loginSession}: profile '${profile}' serves its credentials (the sign-in lasts up to 12 hours)`);
      if (cacheFile) ctx.notice(`wrote the AWS CLI login cache ${cacheFile} (login_session = ${signedIn.secret.loginSession})`);
    });
}

/** The pasted code: a prompt at a terminal, else the first line of stdin. */
async function readCode(io: CliIO, question: string): Promise<string> {
  const { canPrompt, promptLine } = await import('../prompt');
  if (canPrompt(io)) return promptLine(io, question);
  io.stderr.write(question);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > MAX_CODE_BYTES) throw new RolecallError('the authorization code on stdin is too long (expected one line)', 'invalid-input');
    chunks.push(b);
    if (b.includes(10)) break;
  }
  const line = Buffer.concat(chunks).toString('utf8').split('\n')[0]?.trim() ?? '';
  if (!line) throw new RolecallError('no authorization code on stdin: paste the code the sign-in page showed', 'invalid-input');
  return line;
}
