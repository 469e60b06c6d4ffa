// `rolecall agent status|stop`: the running broker, if any.
import type { Command } from 'commander';
import type { CliContext } from '../context';

export function registerAgentCommands(program: Command, ctx: CliContext): void {
  const agent = program.command('agent').description('the background broker (started by credential-process, or rolecall serve)');
  agent
    .command('status')
    .description('say whether an agent runs')
    .action(async () => {
      const pid = await ctx.agent().ping().catch(() => 0);
      if (pid) ctx.print(`agent running (pid ${pid}) on ${ctx.paths.agentSocket}`);
      else {
        ctx.print('no agent running');
        ctx.exitCode = 1;
      }
    });
  agent
    .command('stop')
    .description('stop the running agent')
    .action(async () => {
      const client = ctx.agent();
      if (!(await client.alive())) return ctx.print('no agent running');
      await client.shutdown();
      ctx.print('agent stopped');
    });
}
