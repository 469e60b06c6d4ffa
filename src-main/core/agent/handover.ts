// Never two brokers: a process that means to serve the agent socket (the app) while a CLI agent
// already serves it asks that agent, as its owner (the client's socket checks and the mutual
// handshake), to hand over; the agent stops accepting, finishes what is in flight and exits, and
// only then does the new one listen. An agent that refuses or cannot be trusted keeps the
// socket, and the caller works without serving it.
import { isRolecallError, RolecallError } from '../errors';
import { exitedWithin } from '../process-exists';
import { AgentNotTrusted, AgentUnavailable, AgentUnresponsive, type AgentClient } from './client';
import { HANDOVER_DRAIN_MS } from './server';

/** What the new broker needs of AgentServer and AgentClient (tests pass the real ones). */
export interface HandoverParties {
  server: { listen(): Promise<void> };
  client: Pick<AgentClient, 'handover'>;
}

export interface HandoverOptions {
  /** How long the old agent may take to exit after answering (its in-flight requests, then a second). */
  exitWaitMs?: number;
  /** Attempts when another agent takes the socket between the handover and the listen (an autostart). */
  attempts?: number;
}

export type HandoverOutcome =
  /** Serving the socket; `replaced` is the pid of the agent that handed over, if one did. */
  | { serving: true; replaced?: number }
  /** Not serving: one line that says why and what the person can do. */
  | { serving: false; reason: string };

/** Listens on the agent socket, taking it over from a running agent when there is one. */
export async function takeOverAgentSocket(parties: HandoverParties, options: HandoverOptions = {}): Promise<HandoverOutcome> {
  const attempts = options.attempts ?? 3;
  let replaced: number | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      await parties.server.listen();
      return replaced === undefined ? { serving: true } : { serving: true, replaced };
    } catch (e) {
      if (!isRolecallError(e) || e.code !== 'conflict') throw e;
      if (attempt >= attempts) return { serving: false, reason: `${e.message}; it kept the socket through ${attempts} handovers` };
    }
    let pid: number;
    try {
      pid = await parties.client.handover();
    } catch (e) {
      // Gone meanwhile (an idle exit, a stop): the socket is free, so listen again.
      if (e instanceof AgentUnavailable && !(e instanceof AgentNotTrusted) && !(e instanceof AgentUnresponsive)) continue;
      return { serving: false, reason: refusal(e) };
    }
    if (pid > 0 && pid !== process.pid && !(await exitedWithin(pid, options.exitWaitMs ?? HANDOVER_DRAIN_MS + 5_000))) {
      return { serving: false, reason: `the Rolecall agent (pid ${pid}) stopped accepting but has not exited; not serving the agent socket (end it: rolecall agent stop --force)` };
    }
    replaced = pid;
  }
}

/** One line for an agent that would not or could not hand over. */
function refusal(e: unknown): string {
  const what = 'not serving the agent socket';
  if (e instanceof AgentNotTrusted) return `${what}: the agent at ${e.socket} is not ours (${e.reason}); if it is not yours, remove it`;
  if (isRolecallError(e) && e.code === 'invalid-input') return `${what}: the running Rolecall agent is an older version that cannot hand over (stop it: rolecall agent stop, then restart the app)`;
  if (isRolecallError(e)) return `${what}: ${e.message}${e.hint ? ` (${e.hint})` : ''}`;
  throw e instanceof Error ? e : new RolecallError(String(e), 'agent');
}
