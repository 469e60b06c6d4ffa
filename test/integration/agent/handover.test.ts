// Never two brokers: a broker that means to serve the agent socket (the app) takes it over from a
// running agent. With a stub broker: a request in flight is finished by the old agent after the
// socket has passed on, and refusals are one line. With real processes: a `rolecall serve`
// started by the test hands over to a core in this process, exits, and `rolecall
// credential-process` is then answered by the new broker.
import { spawn, type ChildProcess } from 'node:child_process';
import { lstat, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Credentials } from '../../../src-shared/profile';
import { AgentClient } from '../../../src-main/core/agent/client';
import { takeOverAgentSocket } from '../../../src-main/core/agent/handover';
import { AgentServer } from '../../../src-main/core/agent/server';
import type { CredentialBroker } from '../../../src-main/core/broker/types';
import { resolvePaths, type RolecallPaths } from '../../../src-main/core/paths';
import { FakeAgents } from './fake-agents';
import { addAliceWithReadOnly, parseJson, startCliHarness, useCliBuild, VIA_AGENT, type CliHarness } from '../cli/harness';

const EXPIRES = new Date('2031-01-02T03:04:05.000Z');

/** Answers 'gated' only when released; every answer names the broker, so a test sees who answered. */
class NamedBroker implements CredentialBroker {
  private release: () => void = () => undefined;
  readonly gate = new Promise<void>((r) => (this.release = r));
  constructor(readonly name: string) {}
  open(): void {
    this.release();
  }
  async credentials(profile: string): Promise<Credentials> {
    if (profile === 'gated') await this.gate;
    return { accessKeyId: `ASIA${this.name}`, secretAccessKey: 'stub-secret', sessionToken: 'stub-token', expiration: EXPIRES };
  }
  async sessions() {
    return [];
  }
  async forget() {}
}

describe('handover between two agent servers (stub brokers)', () => {
  let dir: string;
  let paths: RolecallPaths;
  const servers: AgentServer[] = [];
  const fakeAgents = new FakeAgents();
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rc-handover-'));
    paths = resolvePaths({ ROLECALL_HOME: dir });
  });
  afterEach(async () => {
    fakeAgents.stopAll();
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });
  const server = (broker: CredentialBroker, opts: ConstructorParameters<typeof AgentServer>[2] = {}) => {
    const s = new AgentServer(broker, paths, opts);
    servers.push(s);
    return s;
  };

  it('the old agent stops accepting at once, finishes the request in flight, then closes; the new one serves', async () => {
    const oldBroker = new NamedBroker('OLD');
    let handedOver = false;
    await server(oldBroker, { onHandover: () => (handedOver = true) }).listen();
    const inFlight = new AgentClient(paths, { env: {} }).credentials('gated');
    await new Promise((r) => setTimeout(r, 100));

    const outcome = await takeOverAgentSocket({ server: server(new NamedBroker('NEW')), client: new AgentClient(paths) });
    // Same process here, so there is no exit to wait for: the new one listens while the old one drains.
    expect(outcome).toEqual({ serving: true, replaced: process.pid });
    expect(handedOver).toBe(false);
    expect((await new AgentClient(paths, { env: {} }).credentials('dev')).accessKeyId).toBe('ASIANEW');

    oldBroker.open();
    // Answered by the broker that had it, not with "stopping" (which would send the caller elsewhere).
    expect((await inFlight).accessKeyId).toBe('ASIAOLD');
    for (let i = 0; i < 100 && !handedOver; i++) await new Promise((r) => setTimeout(r, 20));
    expect(handedOver).toBe(true);
    expect((await new AgentClient(paths, { env: {} }).credentials('dev')).accessKeyId).toBe('ASIANEW');
  });

  it('the socket is gone as soon as the handover is answered', async () => {
    const oldBroker = new NamedBroker('OLD');
    await server(oldBroker).listen();
    const pending = new AgentClient(paths, { env: {} }).credentials('gated');
    await new Promise((r) => setTimeout(r, 50));
    expect(await new AgentClient(paths).handover()).toBe(process.pid);
    await expect(lstat(paths.agentSocket)).rejects.toThrow(/ENOENT/);
    oldBroker.open();
    expect((await pending).accessKeyId).toBe('ASIAOLD');
  });

  it('an agent that refuses keeps the socket; the taker says why in one line and does not serve', async () => {
    await server(new NamedBroker('OLD'), { refuseHandover: 'it serves the web UI (rolecall serve --web)' }).listen();
    const outcome = await takeOverAgentSocket({ server: server(new NamedBroker('NEW')), client: new AgentClient(paths) });
    expect(outcome).toEqual({
      serving: false,
      reason: `not serving the agent socket: the Rolecall agent (pid ${process.pid}) does not hand over: it serves the web UI (rolecall serve --web) (stop it first: rolecall agent stop)`,
    });
    expect((await new AgentClient(paths, { env: {} }).credentials('dev')).accessKeyId).toBe('ASIAOLD');
  });

  it('a listener that cannot prove it knows the token is not asked anything, and not replaced', async () => {
    const log = path.join(dir, 'fake.log');
    await fakeAgents.start([paths.agentSocket, log]);
    const outcome = await takeOverAgentSocket({ server: server(new NamedBroker('NEW')), client: new AgentClient(paths) });
    expect(outcome.serving).toBe(false);
    expect(outcome).toMatchObject({ reason: `not serving the agent socket: the agent at ${paths.agentSocket} is not ours (it could not prove it knows the agent token); if it is not yours, remove it` });
    expect((await lstat(paths.agentSocket)).isSocket()).toBe(true);
  });

  it('with nothing on the socket it simply listens', async () => {
    expect(await takeOverAgentSocket({ server: server(new NamedBroker('NEW')), client: new AgentClient(paths) })).toEqual({ serving: true });
    expect(await new AgentClient(paths).ping()).toBe(process.pid);
  });
});

describe('handover from a real CLI agent', () => {
  const build = useCliBuild();
  let h: CliHarness;
  const children: ChildProcess[] = [];
  const servers: AgentServer[] = [];
  beforeEach(async () => {
    h = await startCliHarness(build());
    await addAliceWithReadOnly(h, 'us-east-1');
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await h.close();
  });

  /** `rolecall serve ARGS` in the background, once its agent answers; resolves when it exits. */
  async function serve(args: string[] = []): Promise<{ child: ChildProcess; exit: Promise<number | null>; stderr: () => string }> {
    const child = spawn(process.execPath, [h.script, 'serve', ...args], { env: h.env, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const agent = new AgentClient(h.core.paths);
    for (let i = 0; i < 200 && (await agent.ping().catch(() => 0)) !== child.pid; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await agent.ping()).toBe(child.pid);
    return { child, exit, stderr: () => stderr };
  }

  it('the CLI agent hands over and exits; credential-process is then answered by the new broker', async () => {
    const old = await serve();
    const first = await h.rolecall(['credential-process', '--profile', 'dev/ReadOnly'], { env: VIA_AGENT, secretOutput: true });
    expect(first).toMatchObject({ code: 0, stderr: '' });

    // The app-like broker: the harness's core, counting what it is asked.
    const asked: string[] = [];
    const broker: CredentialBroker = {
      credentials: (profile, req) => (asked.push(profile), h.core.broker.credentials(profile, req)),
      sessions: () => h.core.broker.sessions(),
      forget: (profile) => h.core.broker.forget(profile),
    };
    const appServer = new AgentServer(broker, h.core.paths, { refuseHandover: 'it is the Rolecall app', refuseShutdown: 'it is the Rolecall app' });
    servers.push(appServer);
    const outcome = await takeOverAgentSocket({ server: appServer, client: new AgentClient(h.core.paths) });
    expect(outcome).toEqual({ serving: true, replaced: old.child.pid });
    // It had exited before the new broker listened, and cleanly.
    expect(old.child.exitCode).toBe(0);
    expect(await old.exit).toBe(0);

    expect(await h.rolecall(['agent', 'status'])).toEqual({ code: 0, stdout: `agent running (pid ${process.pid}) on ${h.core.paths.agentSocket}\n`, stderr: '' });
    const second = await h.rolecall(['credential-process', '--profile', 'dev/ReadOnly'], { env: VIA_AGENT, secretOutput: true });
    expect(second).toMatchObject({ code: 0, stderr: '' });
    const creds = parseJson<{ AccessKeyId: string; Version: number }>(second.stdout);
    expect(creds.Version).toBe(1);
    expect(creds.AccessKeyId).toMatch(/^ASIA/);
    expect(asked).toEqual(['dev/ReadOnly']);
    // `rolecall agent stop` cannot stop it (its broker would stay beside the next CLI agent): it says what to do.
    const stop = await h.rolecall(['agent', 'stop']);
    expect(stop.code).not.toBe(0);
    expect(stop.stderr).toContain(`does not stop on request: it is the Rolecall app`);
    expect(stop.stderr).toContain('quit the Rolecall app');
    expect(await new AgentClient(h.core.paths).ping()).toBe(process.pid);
    // And it in turn refuses to be taken over.
    const taker = new AgentServer(h.core.broker, h.core.paths);
    servers.push(taker);
    expect(await takeOverAgentSocket({ server: taker, client: new AgentClient(h.core.paths) })).toMatchObject({ serving: false, reason: expect.stringContaining('does not hand over: it is the Rolecall app') });
  });

  it('`rolecall serve --web` does not hand over: its page would lose its broker', async () => {
    const old = await serve(['--web']);
    const appServer = new AgentServer(h.core.broker, h.core.paths);
    servers.push(appServer);
    const outcome = await takeOverAgentSocket({ server: appServer, client: new AgentClient(h.core.paths) });
    expect(outcome).toEqual({
      serving: false,
      reason: `not serving the agent socket: the Rolecall agent (pid ${old.child.pid}) does not hand over: it serves the web UI (rolecall serve --web) (stop it first: rolecall agent stop)`,
    });
    expect(old.child.exitCode).toBeNull();
    expect(await new AgentClient(h.core.paths).ping()).toBe(old.child.pid);
  });
});
