// The agent's waits (issue 14): a listener that accepts but never answers costs the caller the
// short liveness check; a credentials request waits a short budget unless the agent says a
// person is signing in (progress lines, each restarting the wait, said to the caller once); and
// a stopping agent answers its pending requests "stopping", which callers take as "no agent".
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Credentials } from '../../../src-shared/profile';
import { AgentClient, AgentUnavailable, AgentUnresponsive, HANDSHAKE_TIMEOUT_MS } from '../../../src-main/core/agent/client';
import { AgentServer } from '../../../src-main/core/agent/server';
import { ensureAgentToken } from '../../../src-main/core/agent/token';
import type { CredentialBroker } from '../../../src-main/core/broker/types';
import { ensureSocketDir, resolvePaths, type RolecallPaths } from '../../../src-main/core/paths';

const CREDS: Credentials = { accessKeyId: 'ASIASTUB', secretAccessKey: 'stub-secret', sessionToken: 'stub-token', expiration: new Date('2031-01-02T03:04:05.000Z') };

/** A broker whose answers take `delayMs` (forever for Infinity). */
class SlowBroker implements CredentialBroker {
  constructor(public delayMs: number) {}
  async credentials(): Promise<Credentials> {
    if (this.delayMs === Infinity) return new Promise(() => undefined);
    await new Promise((r) => setTimeout(r, this.delayMs));
    return CREDS;
  }
  async sessions() {
    return [];
  }
  async forget() {}
}

let dir: string;
let paths: RolecallPaths;
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rc-liveness-'));
  paths = resolvePaths({ ROLECALL_HOME: dir });
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
  await rm(dir, { recursive: true, force: true });
});

async function start(broker: CredentialBroker, opts: ConstructorParameters<typeof AgentServer>[2] = {}): Promise<AgentServer> {
  const s = new AgentServer(broker, paths, opts);
  closers.push(() => s.close());
  await s.listen();
  return s;
}

async function failure(p: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - started };
}

describe('agent liveness and waits', () => {
  it('a listener that accepts and never answers (a stopped agent) fails the caller within the liveness check', async () => {
    await ensureSocketDir(paths);
    await ensureAgentToken(paths.agentTokenFile);
    const accepted: net.Socket[] = [];
    const frozen = net.createServer((c) => void accepted.push(c));
    await new Promise<void>((r) => frozen.listen(paths.agentSocket, r));
    closers.push(() => {
      accepted.forEach((c) => c.destroy());
      return new Promise((r) => frozen.close(() => r()));
    });
    const { error, ms } = await failure(new AgentClient(paths).credentials('dev'));
    expect(error).toBeInstanceOf(AgentUnresponsive);
    expect((error as Error).message).toBe('the Rolecall agent did not answer within 1.5 s (stopped or hung?)');
    expect(ms).toBeGreaterThanOrEqual(HANDSHAKE_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(HANDSHAKE_TIMEOUT_MS + 1_000);
  });

  it('without a sign-in in progress, a slow answer ends at the credentials wait', async () => {
    await start(new SlowBroker(1_500));
    const { error } = await failure(new AgentClient(paths, { credentialsTimeoutMs: 500 }).credentials('dev'));
    expect((error as Error).message).toBe('The Rolecall agent did not answer within 1 s');
    expect((error as { code?: string }).code).toBe('timeout');
  });

  it('while a person signs in, progress lines keep the caller waiting past its wait, and it is told once what to do', async () => {
    const server = await start(new SlowBroker(1_500), { progressIntervalMs: 100 });
    server.signInProgress('acme', 'waiting for you to sign in to acme: open https://device.sso.example/ and enter the code: ABCD-EFGH');
    const told: string[] = [];
    const creds = await new AgentClient(paths, { credentialsTimeoutMs: 500 }).credentials('dev', { onProgress: (m) => told.push(m) });
    expect(creds).toEqual(CREDS);
    expect(told).toEqual(['waiting for you to sign in to acme: open https://device.sso.example/ and enter the code: ABCD-EFGH']);

    // Once the sign-in ended, no more progress: the short wait applies again.
    server.signInProgress('acme', undefined);
    const { error } = await failure(new AgentClient(paths, { credentialsTimeoutMs: 500 }).credentials('dev'));
    expect((error as { code?: string }).code).toBe('timeout');
  });

  it('a stopping agent answers its pending request "stopping" at once, which the caller takes as no agent', async () => {
    const server = await start(new SlowBroker(Infinity));
    const pending = failure(new AgentClient(paths).credentials('dev'));
    await new Promise((r) => setTimeout(r, 200));
    expect(server.pendingRequests).toBe(1);
    const closing = Date.now();
    await server.close();
    const { error } = await pending;
    expect(error).toBeInstanceOf(AgentUnavailable);
    expect((error as Error).message).toMatch(/it is stopping/);
    expect(Date.now() - closing).toBeLessThan(1_000);
    // And the socket is gone: later callers find no agent rather than a dead one.
    expect(await new AgentClient(paths).alive()).toBe(false);
  });
});
