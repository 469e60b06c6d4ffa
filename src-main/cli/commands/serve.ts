// `rolecall serve [--idle-exit SECONDS]`: a headless broker hosting the agent socket, in the
// foreground until interrupted; with --idle-exit (how credential-process starts it in the
// background) it exits after that long without a request.
import type { Command } from 'commander';
import { isRolecallError } from '../../core/errors';
import type { CliContext } from '../context';
import { wholeSeconds } from '../validate';

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run a broker that CLI processes share through the agent socket')
    .option('--idle-exit <seconds>', 'exit after this many seconds without a request')
    .action(async (o: { idleExit?: string }) => {
      const idleSeconds = wholeSeconds(o.idleExit, '--idle-exit');
      const core = await ctx.core();
      const { AgentServer } = await import('../../core/agent/server');
      let stop: () => void = () => undefined;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      const server = new AgentServer(core.broker, core.paths, { idleSeconds, onIdle: () => stop(), onShutdown: () => stop() });
      try {
        await server.listen();
      } catch (e) {
        // Started in the background while another agent won the race: that one serves.
        if (idleSeconds && isRolecallError(e) && e.code === 'conflict') return;
        throw e;
      }
      const onSignal = () => stop();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      if (!idleSeconds) ctx.notice(`agent listening on ${server.socketPath} (Ctrl-C to stop)`);
      await stopped;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await server.close();
    });
}
