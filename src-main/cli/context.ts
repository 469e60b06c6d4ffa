// What every command gets: the paths, the IO streams, and the core built on first use (so
// commands that need no AWS call never load the SDK). Credentials come from the running agent
// when there is one (one broker, one cache for every process), else from the in-process core.
import type { Credentials } from '../../src-shared/profile';
import { AgentClient, AgentNotTrusted, AgentUnavailable } from '../core/agent/client';
import type { CredentialRequest, SessionInfo } from '../core/broker/types';
import type { Core } from '../core/core';
import { resolvePaths, type RolecallPaths } from '../core/paths';
import { withMfaRetry } from './hot/credential-process';
import { aboutProfile, type CliIO } from './output';

export class CliContext {
  readonly paths: RolecallPaths;
  /** What the process exits with when the command returns normally (exec: the child's code). */
  exitCode = 0;
  private corePromise?: Promise<Core>;

  constructor(readonly io: CliIO) {
    this.paths = resolvePaths(io.env);
  }

  /** The core, created once, on first use. */
  core(): Promise<Core> {
    // Sessions that a logout or a pruning sync ends are ended in the running agent too.
    this.corePromise ??= import('./core-factory').then((m) => m.createCliCore(this.io, { interactive: true, forgetProfile: (p) => this.forget(p) }));
    return this.corePromise;
  }

  agent(): AgentClient {
    // This process's AWS settings travel with its requests; the agent's own environment is not ours.
    return new AgentClient(this.paths, { env: this.io.env });
  }

  /** Credentials through the agent if one runs, else the in-process broker; asks for an MFA code at a terminal. */
  credentials(profile: string, request: CredentialRequest = {}): Promise<Credentials> {
    return withMfaRetry(this.io, { profile, ...request }, ({ profile: p, ...r }) =>
      this.viaAgent(
        // The agent's broker hands back its notices (a capped duration); print them as the in-process one does.
        (a) => a.credentials(p, { ...r, onNotice: (m) => this.notice(m), onProgress: (m) => this.notice(m) }),
        async (c) => c.broker.credentials(p, r),
      ),
    ).catch((e: unknown) => {
      throw aboutProfile(profile, e);
    });
  }

  sessions(): Promise<SessionInfo[]> {
    return this.viaAgent(
      (a) => a.sessions(),
      (c) => c.broker.sessions(),
    );
  }

  /** Drops cached sessions of a profile (and those built on it) wherever they are held. */
  async forget(profile: string): Promise<void> {
    await this.viaAgent(
      (a) => a.forget(profile),
      (c) => c.broker.forget(profile),
    );
  }

  print(line: string): void {
    this.io.stdout.write(line + '\n');
  }

  notice(line: string): void {
    this.io.stderr.write(`rolecall: ${line}\n`);
  }

  private async viaAgent<T>(withAgent: (a: AgentClient) => Promise<T>, inProcess: (c: Core) => Promise<T>): Promise<T> {
    try {
      return await withAgent(this.agent());
    } catch (e) {
      if (!(e instanceof AgentUnavailable)) throw e;
      // Something at the socket failed the owner checks or the handshake: never used, but said.
      if (e instanceof AgentNotTrusted) this.notice(e.message);
    }
    return inProcess(await this.core());
  }
}
