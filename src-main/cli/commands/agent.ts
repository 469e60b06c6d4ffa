// `rolecall agent status|stop`: the running broker, if any.
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { AgentUnresponsive } from '../../core/agent/client';
import { agentPidFile } from '../../core/agent/wire';
import { RolecallError } from '../../core/errors';
import type { CliContext } from '../context';
import { exitedWithin } from '../../core/process-exists';

/** How long a stopping agent may take to exit before it is signalled (it exits within ~2 s). */
const STOP_WAIT_MS = 5_000;
/** After SIGTERM, how long before SIGKILL. */
const TERM_WAIT_MS = 2_000;

export function registerAgentCommands(program: Command, ctx: CliContext): void {
  const agent = program.command('agent').description('the background broker (started by credential-process, or rolecall serve)');
  agent
    .command('status')
    .description('say whether an agent runs')
    .action(async () => {
      let unresponsive: AgentUnresponsive | undefined;
      const pid = await ctx
        .agent()
        .ping()
        .catch((e: unknown) => {
          if (e instanceof AgentUnresponsive) unresponsive = e;
          return 0;
        });
      if (pid) ctx.print(`agent running (pid ${pid}) on ${ctx.paths.agentSocket}`);
      else if (unresponsive) {
        // Something holds the socket and does not answer: callers go around it, but it is not "no agent".
        ctx.print(`agent not answering on ${ctx.paths.agentSocket}: ${unresponsive.message}`);
        ctx.exitCode = 1;
      } else {
        ctx.print('no agent running');
        ctx.exitCode = 1;
      }
    });
  agent
    .command('stop')
    .description('stop the running agent, and wait until it has exited')
    .option('--force', 'signal it (SIGTERM, then SIGKILL) instead of asking')
    .action(async (o: { force?: boolean }) => {
      const client = ctx.agent();
      let pid: number;
      let force = !!o.force;
      try {
        pid = await client.ping();
      } catch (e) {
        if (!(e instanceof AgentUnresponsive)) return ctx.print('no agent running');
        // Too stopped or hung to be asked: the pid it wrote when it started, if that is still it.
        pid = readPid(agentPidFile(ctx.paths.agentSocket));
        if (!pid || !isOurAgent(pid)) throw new RolecallError(`${e.message}, and its pid is not known: not stopping it`, 'agent', "find and end it: pgrep -u \"$USER\" -af 'rolecall.* serve'");
        force = true;
      }
      if (!force) {
        await client.shutdown().catch((e: unknown) => {
          // The app's broker refuses: it would keep running beside the next agent a CLI starts.
          if (e instanceof RolecallError && e.code === 'conflict') throw e;
        });
      }
      if (force || !(await exitedWithin(pid, STOP_WAIT_MS))) {
        // Only a process that is a Rolecall agent of this user: a pid may have been reused.
        if (!isOurAgent(pid)) throw new RolecallError(`process ${pid} is not a Rolecall agent of this user: not signalling it`, 'agent');
        signal(pid, 'SIGTERM');
        // A stopped (SIGSTOP, Ctrl-Z) agent runs its SIGTERM handler, and stops cleanly, once continued.
        signal(pid, 'SIGCONT');
        if (!(await exitedWithin(pid, TERM_WAIT_MS))) {
          signal(pid, 'SIGKILL');
          if (!(await exitedWithin(pid, TERM_WAIT_MS))) throw new RolecallError(`the agent (pid ${pid}) did not exit, even on SIGKILL`, 'agent');
        }
      }
      ctx.print(`agent stopped (pid ${pid})`);
    });
}

function readPid(file: string): number {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return /^[1-9]\d{0,9}$/.test(text) ? Number(text) : 0;
  } catch {
    return 0;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Gone meanwhile.
  }
}

/** Linux: /proc says the process is this user's and runs `rolecall ... serve`. Elsewhere: the agent's own ping answer is all there is. */
function isOurAgent(pid: number): boolean {
  if (process.platform !== 'linux') return true;
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
    const uid = statSync(`/proc/${pid}`).uid;
    return uid === process.getuid?.() && argv.includes('serve') && (argv[0] === process.execPath || argv.some((a) => /rolecall/i.test(a)));
  } catch {
    return false;
  }
}
