// Talks to a running agent. On the credential_process hot path, so it imports only Node
// built-ins and the zod-free wire helpers.
import net from 'node:net';
import type { Credentials } from '../../../src-shared/profile';
import type { CredentialRequest, SessionInfo } from '../broker/types';
import { RolecallError } from '../errors';
import type { RolecallPaths } from '../paths';
import { readAgentToken } from './token';
import { credentialsFromWire, MAX_LINE_BYTES, parseResponse, sessionsFromWire, type AgentRequestType } from './wire';

// Long enough for an Identity Center sign-in the agent may be walking a person through (10 minutes at most).
const CREDENTIALS_TIMEOUT_MS = 11 * 60_000;

/** No agent answers here: callers fall back to doing the work themselves. */
export class AgentUnavailable extends RolecallError {
  constructor(detail: string) {
    super(`No Rolecall agent is running (${detail})`, 'agent', 'start one: rolecall serve');
  }
}

export interface AgentClientOptions {
  /** How long to wait for an answer that needs no AWS call. */
  quickTimeoutMs?: number;
  /** How long to wait for credentials (the broker may be calling AWS). */
  credentialsTimeoutMs?: number;
}

export class AgentClient {
  constructor(
    private readonly paths: Pick<RolecallPaths, 'agentSocket' | 'agentTokenFile'>,
    private readonly options: AgentClientOptions = {},
  ) {}

  /** Credentials from the agent's broker; the notices it gave while getting them go to req.onNotice. */
  async credentials(profile: string, req: CredentialRequest = {}): Promise<Credentials> {
    const fields = { profile, ...(req.mfaCode ? { mfaCode: req.mfaCode } : {}), ...(req.forceRefresh ? { forceRefresh: true } : {}) };
    const { credentials, notices } = credentialsFromWire(await this.request('credentials', fields, this.options.credentialsTimeoutMs ?? CREDENTIALS_TIMEOUT_MS));
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

  /** True when an agent answers. */
  async alive(): Promise<boolean> {
    return this.ping().then(
      () => true,
      () => false,
    );
  }

  async shutdown(): Promise<void> {
    await this.request('shutdown', {});
  }

  async request(type: AgentRequestType, fields: Record<string, unknown>, timeoutMs = this.options.quickTimeoutMs ?? 5000): Promise<unknown> {
    const token = await readAgentToken(this.paths.agentTokenFile);
    if (!token) throw new AgentUnavailable('no agent token');
    const line = await exchange(this.paths.agentSocket, JSON.stringify({ token, type, ...fields }) + '\n', timeoutMs);
    return parseResponse(line);
  }
}

/** Sends one line and reads one line back. */
function exchange(socketPath: string, message: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(socketPath);
    let buffer = '';
    let connected = false;
    let settled = false;
    const finish = (err: Error | null, line?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(line ?? '');
    };
    const timer = setTimeout(
      () => finish(new RolecallError(`The Rolecall agent did not answer within ${Math.round(timeoutMs / 1000)}s`, 'timeout', 'restart it: rolecall agent stop, then try again')),
      timeoutMs,
    );
    sock.setEncoding('utf8');
    sock.once('connect', () => {
      connected = true;
      sock.write(message);
    });
    sock.on('data', (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl >= 0) finish(null, buffer.slice(0, nl));
      else if (buffer.length > MAX_LINE_BYTES) finish(new RolecallError('The Rolecall agent sent an over-long answer', 'agent'));
    });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      finish(connected ? new AgentUnavailable(`connection lost: ${e.code ?? e.message}`) : new AgentUnavailable(e.code ?? e.message));
    });
    // Closed without an answer: an agent that refused our token, or one that died meanwhile.
    sock.once('close', () => finish(new AgentUnavailable('it closed the connection without answering')));
  });
}
