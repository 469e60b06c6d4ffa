// `rolecall exec NAME [--server] -- CMD...` (or `exec --profile NAME -- CMD...`): runs a command with a profile's credentials in its
// environment, or (--server) with a local container-credentials endpoint that keeps them fresh.
// Exits with the command's exit code.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Command } from 'commander';
import { RolecallError } from '../../core/errors';
import type { CliContext } from '../context';
import { credentialEnv, profileRegion } from '../credential-env';
import { startEcsServer } from '../ecs-server';
import { mfaCode, profileName } from '../validate';

// Variables that would make the child's AWS tools pick other credentials than these.
const CLEARED = [
  'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN',
];

export function registerExec(program: Command, ctx: CliContext): void {
  program
    .command('exec')
    .description("run a command with a profile's credentials (put -- before the command)")
    .argument('[name]', 'profile name (or --profile NAME)')
    .argument('[command...]', 'the command and its arguments')
    .option('--profile <name>', 'profile name, as credential-process takes it')
    .option('--server', 'serve credentials to the command from a local endpoint, refreshed as needed, instead of fixed variables')
    .option('--mfa-code <code>', 'MFA code, for a profile that needs one')
    .action(async (first: string | undefined, rest: string[], o: { profile?: string; server?: boolean; mfaCode?: string }) => {
      // With --profile, the first word is already the command.
      const [name, command] = o.profile !== undefined ? [o.profile, first === undefined ? rest : [first, ...rest]] : [first, rest];
      if (name === undefined) throw new RolecallError("missing required argument 'name'", 'invalid-input');
      if (!command.length) throw new RolecallError("missing required argument 'command'", 'invalid-input');
      const profile = profileName(name);
      const code = mfaCode(o.mfaCode);
      // First fetch here, so a failure (or an MFA prompt) happens before the command starts.
      const creds = await ctx.credentials(profile, code ? { mfaCode: code } : {});
      const env: NodeJS.ProcessEnv = { ...ctx.io.env };
      for (const k of CLEARED) delete env[k];
      let server;
      if (o.server) {
        server = await startEcsServer(() => ctx.credentials(profile));
        const region = await profileRegion(ctx, profile);
        Object.assign(env, {
          AWS_CONTAINER_CREDENTIALS_FULL_URI: server.url,
          AWS_CONTAINER_AUTHORIZATION_TOKEN: server.token,
          ...(region ? { AWS_REGION: region, AWS_DEFAULT_REGION: region } : {}),
        });
      } else {
        for (const [k, v] of Object.entries(await credentialEnv(ctx, profile, creds))) if (v !== undefined) env[k] = v;
      }
      env.ROLECALL_PROFILE = profile;
      try {
        ctx.exitCode = await runChild(command, env, (m) => ctx.notice(m));
      } finally {
        await server?.close();
      }
    });
}

/**
 * Runs the command with the terminal, forwards termination signals, and returns its exit code
 * (128+n after signal n; 127 when it cannot be found, 126 when it cannot be run, as shells do).
 */
function runChild(command: string[], env: NodeJS.ProcessEnv, report: (message: string) => void): Promise<number> {
  const [file, ...args] = command as [string, ...string[]];
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: 'inherit', env });
    // Ctrl-C reaches the child from the terminal itself; rolecall waits for it to finish.
    const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
    const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((s) => [s, forward(s)] as const);
    for (const [s, h] of handlers) process.on(s, h);
    const cleanup = () => handlers.forEach(([s, h]) => process.off(s, h));
    child.once('error', (e: NodeJS.ErrnoException) => {
      cleanup();
      report(e.code === 'ENOENT' ? `cannot run '${file}': command not found` : `cannot run '${file}': ${e.code ?? e.message}`);
      resolve(e.code === 'ENOENT' ? 127 : 126);
    });
    child.once('exit', (code, signal) => {
      cleanup();
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 1) : 1));
    });
  });
}
