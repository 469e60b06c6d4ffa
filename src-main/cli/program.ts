// The full `rolecall` program (commander), for everything but the credential-process hot path.
import { Command, CommanderError } from 'commander';
import { CliContext } from './context';
import { printError, processIO, type CliIO } from './output';
import { registerAgentCommands } from './commands/agent';
import { registerConfigImport } from './commands/config-import';
import { registerConfigWrite } from './commands/config-write';
import { registerConsole } from './commands/console';
import { registerCredentialProcess } from './commands/credential-process';
import { registerDoctor } from './commands/doctor';
import { registerEnv } from './commands/env';
import { registerExec } from './commands/exec';
import { registerIamUserAdd } from './commands/iam-user-add';
import { registerIamUserRemove } from './commands/iam-user-remove';
import { registerList } from './commands/list';
import { registerLoginAws } from './commands/login-aws';
import { registerProfileAdd } from './commands/profile-add';
import { registerProfileEdit } from './commands/profile-edit';
import { registerProfileRemove } from './commands/profile-remove';
import { registerProfileRename } from './commands/profile-rename';
import { registerLoginSaml, registerSamlCommands } from './commands/saml';
import { registerLoginOidc, registerOidcCommands } from './commands/oidc';
import { registerServe } from './commands/serve';
import { registerSsoCommands } from './commands/sso';

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('rolecall')
    .description('AWS credentials for every tool, from one broker: credential_process, env, exec')
    .version('0.1.0');
  // Set before any command is added: subcommands inherit these.
  program.exitOverride().configureOutput({
    writeOut: (s) => ctx.io.stdout.write(s),
    writeErr: (s) => ctx.io.stderr.write(s),
    outputError: (s, write) => write(`rolecall: ${s.replace(/^error: /, '')}`),
  });
  const profile = program.command('profile').description('add, edit and remove assume-role profiles');
  const iamUser = program.command('iam-user').description('IAM users with long-term access keys (kept in the OS keychain)');
  const config = program.command('config').description("Rolecall's profiles in the AWS config file");
  registerCredentialProcess(program, ctx);
  registerEnv(program, ctx);
  registerExec(program, ctx);
  registerConsole(program, ctx);
  registerList(program, ctx);
  registerProfileAdd(profile, ctx);
  registerProfileEdit(profile, ctx);
  registerProfileRemove(profile, ctx);
  registerProfileRename(profile, ctx);
  registerIamUserAdd(iamUser, ctx);
  registerIamUserRemove(iamUser, ctx);
  registerConfigWrite(config, ctx);
  registerConfigImport(config, ctx);
  registerDoctor(program, ctx);
  registerServe(program, ctx);
  registerAgentCommands(program, ctx);
  registerSsoCommands(program, ctx);
  registerSamlCommands(program, ctx);
  registerLoginSaml(program, ctx);
  registerLoginAws(program, ctx);
  registerOidcCommands(program, ctx);
  registerLoginOidc(program, ctx);
  return program;
}

/** Runs the program; resolves to the exit code. */
export async function run(argv: string[], io: CliIO = processIO()): Promise<number> {
  const ctx = new CliContext(io);
  try {
    await buildProgram(ctx).parseAsync(argv);
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has printed its message (or the help); a usage error exits 2.
      return e.exitCode === 0 ? 0 : 2;
    }
    return printError(io, e);
  }
}
