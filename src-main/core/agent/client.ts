// Talks to a running agent. On the credential_process hot path, so it imports only Node
// built-ins and the zod-free wire helpers. It trusts nothing at the socket path: before
// connecting it checks who owns the socket and its directory, and before sending a request it
// makes the agent prove it knows the token (handshake.ts); the token itself never leaves.
import { lstatSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Credentials } from '../../../src-shared/profile';
import { awsCallerSettings } from '../aws/caller-settings';
import type { CredentialRequest, SessionInfo } from '../broker/types';
import { isRolecallError, RolecallError } from '../errors';
import type { RolecallPaths } from '../paths';
import { agentEndpoint, HANDSHAKE_VERSION, isNonce, newNonce, parseMessage, proofMatches, proofOf } from './handshake';
import { readAgentToken } from './token';
import { AGENT_STOPPING, credentialsFromWire, MAX_LINE_BYTES, MAX_PRE_AUTH_BYTES, parseResponse, progressOf, sessionsFromWire, type AgentRequestType } from './wire';

/**
 * How long a credentials request waits for its answer: the broker's AWS budget (CALL_BUDGET_MS,
 * 30 s, not imported: it would pull the SDK's config into the hot path) plus a lock a stopped
 * owner holds (taken over after 10 s). A sign-in the agent walks a person through takes longer:
 * the agent then sends progress lines, each of which restarts this wait.
 */
export const CREDENTIALS_TIMEOUT_MS = 45_000;

/**
 * The liveness check before a caller commits to waiting: a live agent answers the handshake in
 * under a millisecond (median; 300 pings on 2 cores: p99 37 ms and max 148 ms with both busy, max
 * 286 ms with four busy loops); a stopped or hung one never does, and its caller should use the
 * keychain cache or work in-process instead.
 */
export const HANDSHAKE_TIMEOUT_MS = 1_500;

/** No agent answers here: callers fall back to doing the work themselves. */
export class AgentUnavailable extends RolecallError {
  constructor(detail: string, message = `No Rolecall agent is running (${detail})`, hint = 'start one: rolecall serve') {
    super(message, 'agent', hint);
  }
}

/** An agent is there (it accepts connections) but did not answer the handshake: stopped (SIGSTOP) or hung. */
export class AgentUnresponsive extends AgentUnavailable {
  constructor(ms: number) {
    super(`it did not answer within ${(ms / 1000).toFixed(1)} s`, `the Rolecall agent did not answer within ${(ms / 1000).toFixed(1)} s (stopped or hung?)`, 'end it: rolecall agent stop (a new one starts on demand)');
  }
}

/**
 * Something at the agent's socket failed the checks (another user's directory or socket, or a
 * listener that cannot prove it knows the token). It is never used: callers say so and work
 * in-process, as when no agent runs.
 */
export class AgentNotTrusted extends AgentUnavailable {
  constructor(
    readonly socket: string,
    readonly reason: string,
  ) {
    super(reason, `not using the agent at ${socket}: ${reason}; working in-process`, 'if it is not yours, remove it');
  }
}

export interface AgentClientOptions {
  /** How long the agent has to prove itself (the liveness check): default HANDSHAKE_TIMEOUT_MS. */
  handshakeTimeoutMs?: number;
  /** How long to wait for an answer that needs no AWS call. */
  quickTimeoutMs?: number;
  /** How long to wait for credentials (the broker may be calling AWS); each progress line restarts it. */
  credentialsTimeoutMs?: number;
  /** The caller's environment: its AWS settings travel with each credentials request. Default process.env. */
  env?: NodeJS.ProcessEnv;
}

export class AgentClient {
  constructor(
    private readonly paths: Pick<RolecallPaths, 'agentSocket' | 'agentTokenFile'>,
    private readonly options: AgentClientOptions = {},
  ) {}

  /**
   * Credentials from the agent's broker; the notices it gave while getting them go to
   * req.onNotice, and what a person must do meanwhile (sign in) to req.onProgress, once.
   */
  async credentials(profile: string, req: CredentialRequest & { onProgress?: (message: string) => void } = {}): Promise<Credentials> {
    const fields = {
      profile,
      ...(req.mfaCode ? { mfaCode: req.mfaCode } : {}),
      ...(req.forceRefresh ? { forceRefresh: true } : {}),
      // Always sent, empty included: the agent's own environment must never stand in for the caller's.
      awsSettings: req.awsSettings ?? awsCallerSettings(this.options.env ?? process.env),
    };
    // A person signing in: said once, however many progress lines restart the wait.
    let told: string | undefined;
    const onProgress = (m: string) => {
      if (m !== told) req.onProgress?.(m);
      told = m;
    };
    const { credentials, notices } = credentialsFromWire(await this.request('credentials', fields, this.options.credentialsTimeoutMs ?? CREDENTIALS_TIMEOUT_MS, onProgress));
    for (const n of notices) req.onNotice?.(n);
    return credentials;
  }

  async sessions(): Promise<SessionInfo[]> {
    return sessionsFromWire(await this.request('sessions', {}));
  }

  async forget(profile: string): Promise<void> {
    await this.request('forget', { profile });
  }

  /** The agent's pid. */
  async ping(): Promise<number> {
    const r = (await this.request('ping', {})) as { pid?: unknown } | null;
    return typeof r?.pid === 'number' ? r.pid : 0;
  }

  /** True when an agent answers (and proves itself). */
  async alive(): Promise<boolean> {
    return this.ping().then(
      () => true,
      () => false,
    );
  }

  async shutdown(): Promise<void> {
    await this.request('shutdown', {});
  }

  /**
   * Asks the agent to hand the socket over: it stops accepting at once, finishes the requests in
   * flight and exits. Resolves its pid; a RolecallError when it refuses.
   */
  async handover(): Promise<number> {
    const r = (await this.request('handover', {})) as { pid?: unknown } | null;
    return typeof r?.pid === 'number' ? r.pid : 0;
  }

  async request(type: AgentRequestType, fields: Record<string, unknown>, timeoutMs = this.options.quickTimeoutMs ?? 5000, onProgress?: (m: string) => void): Promise<unknown> {
    const token = await readAgentToken(this.paths.agentTokenFile);
    if (!token) throw new AgentUnavailable('no agent token');
    const socket = this.paths.agentSocket;
    if (process.platform !== 'win32') await checkSocketOwner(socket);
    const line = await exchange(
      { endpoint: agentEndpoint(socket, token), socket, token },
      JSON.stringify({ type, ...fields }) + '\n',
      this.options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
      timeoutMs,
      onProgress,
    );
    try {
      return parseResponse(line);
    } catch (e) {
      // Stopped before it answered: no agent, so the caller works without one.
      if (isRolecallError(e) && e.code === 'agent' && e.message === AGENT_STOPPING) throw new AgentUnavailable('it is stopping');
      throw e;
    }
  }
}

/**
 * Before connecting: the socket's directory must be ours, a real directory (not a symlink) that
 * no one else may enter, and the socket ours too. Otherwise another user could have made it (a
 * computable path under a shared temp dir) to catch our requests.
 */
export async function checkSocketOwner(socket: string, uid: number | undefined = process.getuid?.()): Promise<void> {
  if (uid === undefined) return;
  const dir = path.dirname(socket);
  // Synchronous, as the token read: two lstat calls, on the hot path, with nothing to overlap.
  const st = (p: string) => {
    try {
      return lstatSync(p);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return null;
      throw new AgentNotTrusted(socket, `cannot inspect ${p} (${e.code ?? e.message})`);
    }
  };
  const d = st(dir);
  if (!d) throw new AgentUnavailable('no socket');
  if (d.isSymbolicLink()) throw new AgentNotTrusted(socket, `its directory ${dir} is a symbolic link`);
  if (!d.isDirectory()) throw new AgentNotTrusted(socket, `${dir} is not a directory`);
  if (d.uid !== uid) throw new AgentNotTrusted(socket, `its directory ${dir} belongs to another user (uid ${d.uid})`);
  const s = st(socket);
  // A regular file or nothing: no agent (a crashed one's leftovers are the next agent's to clear).
  if (!s || !s.isSocket()) throw new AgentUnavailable('no socket');
  if (s.uid !== uid) throw new AgentNotTrusted(socket, `the socket belongs to another user (uid ${s.uid})`);
  if (d.mode & 0o077) throw new AgentNotTrusted(socket, `its directory ${dir} is open to other users (mode ${(d.mode & 0o777).toString(8)})`);
}

interface Peer {
  endpoint: string;
  /** For messages: the path people know. */
  socket: string;
  token: string;
}

/** The handshake, then one request line, and one answer line back (progress lines before it go to onProgress). */
function exchange(peer: Peer, message: string, handshakeTimeoutMs: number, timeoutMs: number, onProgress?: (m: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(peer.endpoint);
    const clientNonce = newNonce();
    let buffer = '';
    let connected = false;
    let proven = false;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (err: Error | null, line?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(line ?? '');
    };
    const arm = (ms: number, err: () => Error) => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(err()), ms);
    };
    const armAnswer = () => arm(timeoutMs, () => new RolecallError(`The Rolecall agent did not answer within ${Math.round(timeoutMs / 1000)} s`, 'timeout', 'restart it: rolecall agent stop, then try again'));
    // Until the agent has proven itself it gets the short timeout: a listener that accepts and
    // stays silent (a stopped agent's socket still accepts) must not hold the caller.
    arm(handshakeTimeoutMs, () => (connected ? new AgentUnresponsive(handshakeTimeoutMs) : new AgentUnavailable(`it did not accept a connection within ${(handshakeTimeoutMs / 1000).toFixed(1)} s`)));
    sock.setEncoding('utf8');
    sock.once('connect', () => {
      connected = true;
      sock.write(JSON.stringify({ type: 'hello', v: HANDSHAKE_VERSION, clientNonce }) + '\n');
    });
    const onChallenge = (line: string) => {
      const m = parseMessage(line);
      if (!m || m.type !== 'challenge' || !isNonce(m.serverNonce) || !proofMatches(peer.token, 'server', clientNonce, m.serverNonce, m.serverProof)) {
        return finish(new AgentNotTrusted(peer.socket, 'it could not prove it knows the agent token'));
      }
      proven = true;
      armAnswer();
      sock.write(JSON.stringify({ type: 'proof', clientProof: proofOf(peer.token, 'client', clientNonce, m.serverNonce) }) + '\n' + message);
    };
    sock.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while (!settled && (nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!proven) onChallenge(line);
        else {
          const progress = progressOf(line);
          if (progress === undefined) return finish(null, line);
          armAnswer();
          onProgress?.(progress);
        }
      }
      if (!proven && buffer.length > MAX_PRE_AUTH_BYTES) finish(new AgentNotTrusted(peer.socket, 'it sent an over-long handshake'));
      else if (buffer.length > MAX_LINE_BYTES) finish(new RolecallError('The Rolecall agent sent an over-long answer', 'agent'));
    });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      finish(connected ? new AgentUnavailable(`connection lost: ${e.code ?? e.message}`) : new AgentUnavailable(e.code ?? e.message));
    });
    // Closed without an answer: an agent that refused our proof, or one that died meanwhile.
    sock.once('close', () => finish(new AgentUnavailable('it closed the connection without answering')));
  });
}
