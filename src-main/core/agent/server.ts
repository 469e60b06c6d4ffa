// The agent: the broker's face on a local socket, so every CLI process and the app share one
// broker (one cache, one refresh per hop). Newline-delimited JSON. A connection first goes
// through the mutual challenge-response of handshake.ts (the token never crosses the socket);
// until it has, it may send only a few KB, and only a few dozen such connections are kept.
import { chmod, lstat, readFile, unlink } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { describeIssue } from '../../../src-shared/names';
import type { CredentialBroker } from '../broker/types';
import { RolecallError, isRolecallError } from '../errors';
import { writeFileAtomic } from '../files/atomic';
import { withFileLock } from '../lock';
import { ensureSocketDir, type RolecallPaths } from '../paths';
import { AgentRequest } from './protocol';
import { agentEndpoint, HANDSHAKE_VERSION, isNonce, newNonce, parseMessage, proofMatches, proofOf } from './handshake';
import { ensureAgentToken } from './token';
import { AGENT_STOPPING, agentPidFile, MAX_LINE_BYTES, MAX_PRE_AUTH_BYTES, toWireCredentials, toWireSession, type AgentLine, type AgentResponse, type WireError } from './wire';

export interface AgentServerOptions {
  /** Call onIdle after this many seconds without a request (0 or absent: never). */
  idleSeconds?: number;
  onIdle?: () => void;
  /** What a 'shutdown' request does once answered; by default the server closes. */
  onShutdown?: () => void;
  /**
   * Why this agent does not stop on a 'shutdown' request (it is the app, whose broker would stay
   * and a CLI would start a second one beside it); absent: it stops.
   */
  refuseShutdown?: string;
  /** Why this agent does not hand the socket over (it serves a web page, it is the app); absent: it does. */
  refuseHandover?: string;
  /** Called once a handover has finished the requests in flight and closed the server (the process should exit). */
  onHandover?: () => void;
  /** How long a handover waits for requests in flight (a sign-in may take minutes) before answering them "stopping". */
  handoverDrainMs?: number;
  /** A connection must authenticate within this time. */
  authTimeoutMs?: number;
  /** How often a credentials request waiting on a person's sign-in is told so (default PROGRESS_INTERVAL_MS). */
  progressIntervalMs?: number;
}

/**
 * While a person is signing in, each pending credentials request gets a progress line this often:
 * the client waits only a short budget for an answer, and each line restarts it.
 */
export const PROGRESS_INTERVAL_MS = 5_000;

/** A handover's wait for requests in flight: a credentials request's own budget (client.ts). */
export const HANDOVER_DRAIN_MS = 45_000;

/** A request being answered: what close() must answer with "stopping" and progress lines reach. */
interface Pending {
  id?: string | number;
  type: AgentRequest['type'];
  reply: (line: AgentLine) => void;
}

/** Connections kept while they have not proven they know the token. */
export const MAX_UNPROVEN_CONNECTIONS = 64;

export class AgentServer {
  private server?: net.Server;
  /** Settles when the listening server has closed (set when it stops accepting). */
  private serverClosed?: Promise<void>;
  private token = '';
  private readonly connections = new Set<net.Socket>();
  /** Connections that have not proven they know the token yet, oldest first. */
  private readonly unproven = new Set<net.Socket>();
  private inFlight = 0;
  private idleTimer?: NodeJS.Timeout;
  private readonly pending = new Set<Pending>();
  /** Identity Center sign-ins waiting on a person: instance -> what they must do. */
  private readonly signIns = new Map<string, string>();
  private progressTimer?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    private readonly broker: CredentialBroker,
    private readonly paths: RolecallPaths,
    private readonly options: AgentServerOptions = {},
  ) {}

  get socketPath(): string {
    return this.paths.agentSocket;
  }

  /** Starts listening; RolecallError('conflict') when another agent already answers on the socket. */
  async listen(): Promise<void> {
    await ensureSocketDir(this.paths);
    this.token = await ensureAgentToken(this.paths.agentTokenFile);
    const socket = agentEndpoint(this.paths.agentSocket, this.token);
    // Under a lock, so two agents starting at once cannot both judge the socket stale and
    // the second unlink the first one's fresh socket.
    await withFileLock(path.join(this.paths.locksDir, 'agent-listen.lock'), async () => {
      if (process.platform !== 'win32' && (await lstat(socket).catch(() => null))) {
        if (await answers(socket)) throw new RolecallError(`A Rolecall agent is already running (${socket})`, 'conflict', 'stop it first: rolecall agent stop');
        await unlink(socket).catch(() => undefined);
      }
      const server = net.createServer((c) => this.onConnection(c));
      // umask during bind, so the socket is never reachable by others, even for an instant.
      const oldMask = process.platform === 'win32' ? undefined : process.umask(0o177);
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(socket, () => {
            server.off('error', reject);
            resolve();
          });
        });
      } finally {
        if (oldMask !== undefined) process.umask(oldMask);
      }
      if (process.platform !== 'win32') await chmod(socket, 0o600);
      server.on('error', () => undefined);
      this.server = server;
      // A convenience for `agent stop`, which without it can still stop an agent that answers.
      await writeFileAtomic(agentPidFile(this.paths.agentSocket), `${process.pid}\n`, { mode: 0o600 }).catch(() => undefined);
    }, { timeoutMs: 10_000, staleMs: 10_000 });
    this.touch();
  }

  /**
   * Stops listening, answers every pending request with "the agent is stopping" (its caller then
   * works without the agent), drops open connections and removes the socket. The broker's work
   * behind those requests may go on: the caller of close() decides how long to let it.
   */
  async close(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.idleTimer);
    clearTimeout(this.progressTimer);
    this.progressTimer = undefined;
    const closed = this.stopAccepting();
    if (!closed) return;
    for (const p of this.pending) p.reply({ id: p.id, ok: false, error: stoppingError() });
    this.pending.clear();
    for (const c of this.connections) c.end();
    // end() lets the answers above go out; a peer that does not read them is cut off shortly.
    const cut = setTimeout(() => this.connections.forEach((c) => c.destroy()), 200);
    await closed;
    clearTimeout(cut);
    // Ours only: a new agent may already have taken the socket over.
    const pidFile = agentPidFile(this.paths.agentSocket);
    if ((await readFile(pidFile, 'utf8').catch(() => '')).trim() === String(process.pid)) await unlink(pidFile).catch(() => undefined);
  }

  /** No new connections from now on (the socket is removed at once); resolves when the server has closed. */
  private stopAccepting(): Promise<void> | undefined {
    const server = this.server;
    this.server = undefined;
    if (server) this.serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    return this.serverClosed;
  }

  /**
   * After a handover was answered: the socket is already free for the new broker; the requests in
   * flight are finished here (up to handoverDrainMs), then the server closes and onHandover runs.
   */
  private async finishHandover(): Promise<void> {
    const deadline = Date.now() + (this.options.handoverDrainMs ?? HANDOVER_DRAIN_MS);
    while (this.pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await this.close();
    this.options.onHandover?.();
  }

  /** Requests being answered now (credentials, sessions, ...). */
  get pendingRequests(): number {
    return this.pending.size;
  }

  /**
   * An Identity Center sign-in of `instance` waits on a person (`what` says what they must do),
   * or, with undefined, has ended. Meanwhile pending credentials requests get progress lines,
   * which keep their callers waiting (a sign-in may take minutes) and tell them why.
   */
  signInProgress(instance: string, what: string | undefined): void {
    if (what === undefined) this.signIns.delete(instance);
    else this.signIns.set(instance, what);
    if (!this.signIns.size) {
      clearTimeout(this.progressTimer);
      this.progressTimer = undefined;
      return;
    }
    // Soon, not at once: a sign-in prints its instructions in a few lines, sent as one.
    if (!this.progressTimer) {
      this.progressTimer = setTimeout(() => {
        this.sendProgress();
        this.progressTimer = setInterval(() => this.sendProgress(), this.options.progressIntervalMs ?? PROGRESS_INTERVAL_MS);
      }, 100);
    }
  }

  private sendProgress(): void {
    const progress = [...this.signIns.values()].join('; ');
    for (const p of this.pending) if (p.type === 'credentials') p.reply({ id: p.id, progress });
  }

  private touch(): void {
    clearTimeout(this.idleTimer);
    const seconds = this.options.idleSeconds ?? 0;
    if (!seconds || !this.options.onIdle || !this.server) return;
    this.idleTimer = setTimeout(() => {
      if (this.inFlight > 0) return this.touch();
      this.options.onIdle?.();
    }, seconds * 1000);
  }

  private onConnection(sock: net.Socket): void {
    this.connections.add(sock);
    // Unauthenticated connections are capped: a new one pushes out the oldest that has not
    // proven itself yet (a real caller does so within a millisecond or two of connecting).
    if (this.unproven.size >= MAX_UNPROVEN_CONNECTIONS) {
      const oldest = this.unproven.values().next().value;
      if (oldest) {
        this.unproven.delete(oldest);
        oldest.destroy();
      }
    }
    this.unproven.add(sock);
    const authTimer = setTimeout(() => sock.destroy(), this.options.authTimeoutMs ?? 5000);
    sock.on('close', () => {
      this.connections.delete(sock);
      this.unproven.delete(sock);
      clearTimeout(authTimer);
    });
    sock.on('error', () => undefined);
    sock.setEncoding('utf8');
    let stage: 'hello' | 'proof' | 'ready' = 'hello';
    let clientNonce = '';
    let serverNonce = '';
    let preAuthBytes = 0;
    let buffer = '';
    let queue = Promise.resolve();
    const reply = (r: AgentLine) => {
      if (!sock.destroyed && sock.writable) sock.write(JSON.stringify(r) + '\n');
    };

    // Until the caller has proven it knows the token, anything unexpected ends the connection
    // without a word: it learns nothing about the agent, not even why.
    const handshake = (line: string) => {
      const m = parseMessage(line);
      if (stage === 'hello') {
        if (!m || m.type !== 'hello' || m.v !== HANDSHAKE_VERSION || !isNonce(m.clientNonce)) return void sock.destroy();
        clientNonce = m.clientNonce;
        serverNonce = newNonce();
        stage = 'proof';
        return void sock.write(JSON.stringify({ type: 'challenge', serverNonce, serverProof: proofOf(this.token, 'server', clientNonce, serverNonce) }) + '\n');
      }
      if (!m || m.type !== 'proof' || !proofMatches(this.token, 'client', clientNonce, serverNonce, m.clientProof)) return void sock.destroy();
      stage = 'ready';
      this.unproven.delete(sock);
      clearTimeout(authTimer);
    };

    sock.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0 && !sock.destroyed) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (stage !== 'ready') {
          preAuthBytes += line.length + 1;
          if (preAuthBytes > MAX_PRE_AUTH_BYTES) return void sock.destroy();
          handshake(line);
        } else if (line.trim()) handle(line);
      }
      if (sock.destroyed) return;
      if (stage !== 'ready' && preAuthBytes + buffer.length > MAX_PRE_AUTH_BYTES) sock.destroy();
      else if (buffer.length > MAX_LINE_BYTES) {
        reply({ ok: false, error: { message: 'request too large', code: 'invalid-input' } });
        sock.destroy();
      }
    });

    // Lines are handled one at a time, in order, so answers come back in the order asked.
    const handle = (line: string) => {
      queue = queue.then(() => answer(line)).catch(() => void sock.destroy());
    };
    const answer = async (line: string) => {
      if (sock.destroyed) return;
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch {
        return reply({ ok: false, error: { message: 'bad request: not JSON', code: 'invalid-input' } });
      }
      const m = (typeof msg === 'object' && msg !== null ? msg : {}) as { id?: unknown };
      const id = typeof m.id === 'string' || typeof m.id === 'number' ? m.id : undefined;
      const parsed = AgentRequest.safeParse(msg);
      if (!parsed.success) return reply({ id, ok: false, error: { message: describeIssue(parsed.error, 'bad request'), code: 'invalid-input' } });
      if (this.stopping) return reply({ id, ok: false, error: stoppingError() });
      // Answered once: by the broker, or by close() with "stopping", whichever comes first.
      let answered = false;
      const p: Pending = {
        id,
        type: parsed.data.type,
        reply: (r) => {
          if (answered) return;
          if ('ok' in r) answered = true;
          reply(r);
        },
      };
      this.pending.add(p);
      if (p.type === 'credentials' && this.signIns.size) p.reply({ id, progress: [...this.signIns.values()].join('; ') });
      const r = await this.dispatch(parsed.data);
      this.pending.delete(p);
      p.reply(r);
      if (parsed.data.type === 'shutdown' && r.ok) sock.end(() => (this.options.onShutdown ?? (() => void this.close()))());
      if (parsed.data.type === 'handover' && r.ok) {
        // Not on the end's callback: a taker that drops the connection must not leave this agent
        // alive and deaf (no socket, no idle timer).
        sock.end();
        void this.finishHandover();
      }
    };
  }

  private async dispatch(req: AgentRequest): Promise<AgentResponse> {
    this.inFlight++;
    this.touch();
    try {
      const result = await this.run(req);
      return { id: req.id, ok: true, result };
    } catch (e) {
      return { id: req.id, ok: false, error: toWireError(e) };
    } finally {
      this.inFlight--;
      this.touch();
    }
  }

  private async run(req: AgentRequest): Promise<unknown> {
    switch (req.type) {
      case 'credentials': {
        // The notices this request causes go back to its caller, who prints them as an in-process broker would.
        const notices: string[] = [];
        const opts = {
          ...(req.mfaCode ? { mfaCode: req.mfaCode } : {}),
          ...(req.forceRefresh ? { forceRefresh: true } : {}),
          // The caller's own endpoints and region, never this process's: the agent serves many shells.
          awsSettings: req.awsSettings ?? {},
          onNotice: (m: string) => notices.push(m),
        };
        return toWireCredentials(await this.broker.credentials(req.profile, opts), notices);
      }
      case 'sessions':
        return (await this.broker.sessions()).map(toWireSession);
      case 'forget':
        await this.broker.forget(req.profile);
        return {};
      case 'ping':
        return { pid: process.pid };
      case 'shutdown':
        if (this.options.refuseShutdown !== undefined) throw new RolecallError(`the Rolecall agent (pid ${process.pid}) does not stop on request: ${this.options.refuseShutdown}`, 'conflict', 'quit the Rolecall app (its tray menu: Quit)');
        return { pid: process.pid };
      case 'handover':
        if (this.options.refuseHandover !== undefined) throw new RolecallError(`the Rolecall agent (pid ${process.pid}) does not hand over: ${this.options.refuseHandover}`, 'conflict', 'stop it first: rolecall agent stop');
        // Before the answer, so the new broker finds the socket free; requests already here go on.
        this.stopping = true;
        clearTimeout(this.idleTimer);
        void this.stopAccepting();
        return { pid: process.pid };
    }
  }
}

const stoppingError = (): WireError => ({ message: AGENT_STOPPING, code: 'agent', hint: 'try again: a new agent starts on demand' });

function toWireError(e: unknown): WireError {
  if (isRolecallError(e)) return { message: e.message, code: e.code, ...(e.hint ? { hint: e.hint } : {}) };
  return { message: e instanceof Error ? e.message : String(e), code: 'agent' };
}

/** True when something accepts connections on the socket. */
function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(socket);
    const done = (v: boolean) => {
      c.destroy();
      resolve(v);
    };
    c.once('connect', () => done(true));
    c.once('error', () => done(false));
    c.setTimeout(1000, () => done(false));
  });
}
