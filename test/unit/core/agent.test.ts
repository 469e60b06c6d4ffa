// The agent socket: token checks, framing and validation errors, file modes, idle exit, one
// agent per data dir. The broker behind it is a stub; the real one is tested through the CLI.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Credentials } from '../../../src-shared/profile';
import { AgentClient, AgentUnavailable } from '../../../src-main/core/agent/client';
import { AgentServer } from '../../../src-main/core/agent/server';
import type { CredentialBroker, CredentialRequest } from '../../../src-main/core/broker/types';
import { RolecallError } from '../../../src-main/core/errors';
import { resolvePaths, type RolecallPaths } from '../../../src-main/core/paths';

const EXPIRES = new Date('2031-01-02T03:04:05.000Z');

class StubBroker implements CredentialBroker {
  calls: { profile: string; request?: CredentialRequest }[] = [];
  forgotten: string[] = [];
  async credentials(profile: string, request?: CredentialRequest): Promise<Credentials> {
    this.calls.push({ profile, request });
    if (profile === 'needs-sign-in') throw new RolecallError(`profile '${profile}': the Identity Center session for acme expired`, 'sign-in-required', 'run: rolecall login sso acme');
    if (profile === 'slow') await new Promise((r) => setTimeout(r, 1500));
    if (profile === 'chained') {
      request?.onNotice?.("profile 'chained': asked for 7200s, but this hop is role chaining, which AWS caps at 1 hour; asked for 3600s");
      request?.onNotice?.('a second notice');
    }
    return { accessKeyId: 'ASIASTUB', secretAccessKey: 'stub-secret', sessionToken: 'stub-token', expiration: EXPIRES };
  }
  async sessions() {
    return [{ profile: 'a', expiration: EXPIRES, refreshAt: new Date(EXPIRES.getTime() - 900_000) }];
  }
  async forget(profile: string) {
    this.forgotten.push(profile);
  }
}

let dir: string;
let paths: RolecallPaths;
let broker: StubBroker;
const servers: AgentServer[] = [];

async function start(opts: ConstructorParameters<typeof AgentServer>[2] = {}): Promise<AgentServer> {
  const s = new AgentServer(broker, paths, opts);
  servers.push(s);
  await s.listen();
  return s;
}

/** Sends raw bytes and collects whatever comes back until the server closes or `ms` pass. */
function raw(data: string, ms = 800): Promise<{ received: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const c = net.connect(paths.agentSocket);
    let received = '';
    let closedByServer = false;
    c.setEncoding('utf8');
    c.on('connect', () => c.write(data));
    c.on('data', (d: string) => (received += d));
    c.on('error', () => undefined);
    c.on('close', () => {
      closedByServer = true;
      clearTimeout(t);
      resolve({ received, closedByServer });
    });
    const t = setTimeout(() => {
      c.destroy();
      resolve({ received, closedByServer });
    }, ms);
  });
}

const token = async () => (await import('node:fs/promises')).readFile(paths.agentTokenFile, 'utf8').then((t) => t.trim());

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rc-agent-'));
  paths = resolvePaths({ ROLECALL_HOME: dir });
  broker = new StubBroker();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('agent server and client', () => {
  it('answers credentials, sessions, forget and ping to a client holding the token', async () => {
    await start();
    const client = new AgentClient(paths);
    const creds = await client.credentials('dev', { mfaCode: '123456' });
    expect(creds).toEqual({ accessKeyId: 'ASIASTUB', secretAccessKey: 'stub-secret', sessionToken: 'stub-token', expiration: EXPIRES });
    expect(broker.calls).toEqual([{ profile: 'dev', request: { mfaCode: '123456', onNotice: expect.any(Function) } }]);
    expect(await client.sessions()).toEqual([{ profile: 'a', expiration: EXPIRES, refreshAt: new Date(EXPIRES.getTime() - 900_000) }]);
    await client.forget('dev');
    expect(broker.forgotten).toEqual(['dev']);
    expect(await client.ping()).toBe(process.pid);
  });

  it("carries the broker's notices for a request back to its caller, in order", async () => {
    await start();
    const client = new AgentClient(paths);
    const notices: string[] = [];
    const creds = await client.credentials('chained', { onNotice: (m) => notices.push(m) });
    expect(creds).toEqual({ accessKeyId: 'ASIASTUB', secretAccessKey: 'stub-secret', sessionToken: 'stub-token', expiration: EXPIRES });
    expect(notices).toEqual(["profile 'chained': asked for 7200s, but this hop is role chaining, which AWS caps at 1 hour; asked for 3600s", 'a second notice']);
    // Nothing is told when nothing happened, and a caller without a sink still gets its credentials.
    await client.credentials('dev', { onNotice: (m) => notices.push(m) });
    expect(notices).toHaveLength(2);
    expect((await client.credentials('chained')).accessKeyId).toBe('ASIASTUB');
  });

  it('creates the socket and the token file readable by the owner only', async () => {
    await start();
    expect((await stat(paths.agentSocket)).mode & 0o777).toBe(0o600);
    expect((await stat(paths.agentTokenFile)).mode & 0o777).toBe(0o600);
    expect((await stat(paths.dataDir)).mode & 0o777).toBe(0o700);
    expect(await token()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the token across restarts (created once per install)', async () => {
    const first = await start();
    const t1 = await token();
    await first.close();
    await start();
    expect(await token()).toBe(t1);
    expect(await new AgentClient(paths).ping()).toBe(process.pid);
  });

  it('closes the connection without a byte for a caller without the right token', async () => {
    await start();
    for (const msg of ['{"type":"ping"}\n', '{"type":"ping","token":"0000"}\n', 'not json at all\n', `{"type":"credentials","profile":"dev","token":"${'a'.repeat(64)}"}\n`]) {
      const r = await raw(msg);
      expect(r).toEqual({ received: '', closedByServer: true });
    }
    expect(broker.calls).toEqual([]);
  });

  it('drops a silent connection that never authenticates', async () => {
    await start({ authTimeoutMs: 200 });
    const r = await raw('', 2000);
    expect(r).toEqual({ received: '', closedByServer: true });
  });

  it('answers bad JSON and bad requests from an authenticated caller with an error, and keeps serving', async () => {
    await start();
    const t = await token();
    const r = await raw(
      [
        JSON.stringify({ token: t, type: 'ping', id: 1 }),
        '{this is not json',
        JSON.stringify({ token: t, type: 'credentials', profile: 'bad name;rm', id: 2 }),
        JSON.stringify({ token: t, type: 'launch-missiles', id: 3 }),
        JSON.stringify({ token: t, type: 'credentials', profile: 'dev', mfaCode: '12', id: 4 }),
        JSON.stringify({ token: t, type: 'ping', id: 5 }),
      ].join('\n') + '\n',
    );
    const answers = r.received.trim().split('\n').map((l) => JSON.parse(l));
    expect(answers).toHaveLength(6);
    expect(answers[0]).toEqual({ id: 1, ok: true, result: { pid: process.pid } });
    expect(answers[1]).toEqual({ ok: false, error: { message: 'bad request: not JSON', code: 'invalid-input' } });
    expect(answers[2]).toMatchObject({ id: 2, ok: false, error: { code: 'invalid-input' } });
    expect(answers[2].error.message).toMatch(/^bad request \(profile\): a profile name is/);
    expect(answers[3]).toMatchObject({ id: 3, ok: false, error: { code: 'invalid-input' } });
    expect(answers[4]).toMatchObject({ id: 4, ok: false, error: { message: 'bad request (mfaCode): an MFA code is 6 digits' } });
    expect(answers[5]).toEqual({ id: 5, ok: true, result: { pid: process.pid } });
    expect(broker.calls).toEqual([]);
  });

  it("passes the broker's error, hint and code to the client", async () => {
    await start();
    const err = await new AgentClient(paths).credentials('needs-sign-in').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RolecallError);
    expect(err).toMatchObject({
      code: 'sign-in-required',
      message: "profile 'needs-sign-in': the Identity Center session for acme expired",
      hint: 'run: rolecall login sso acme',
    });
    expect(err).not.toBeInstanceOf(AgentUnavailable);
  });

  it('says no agent runs when there is no token, no socket, or a dead socket file', async () => {
    const client = new AgentClient(paths);
    await expect(client.ping()).rejects.toBeInstanceOf(AgentUnavailable);
    const s = await start();
    await s.close();
    await expect(client.ping()).rejects.toBeInstanceOf(AgentUnavailable);
    // A crashed agent leaves a socket file nobody listens on: the next agent takes its place.
    await writeFile(paths.agentSocket, '');
    await start();
    expect(await client.alive()).toBe(true);
  });

  it('refuses a second agent on the same data dir while the first answers', async () => {
    await start();
    await expect(start()).rejects.toMatchObject({ code: 'conflict', message: `A Rolecall agent is already running (${paths.agentSocket})` });
    expect(await new AgentClient(paths).alive()).toBe(true);
  });

  it('calls onIdle after the idle period, but not while a request is running', async () => {
    let idleAt = 0;
    const started = Date.now();
    await start({ idleSeconds: 1, onIdle: () => (idleAt = Date.now()) });
    await new AgentClient(paths).credentials('slow'); // 1.5 s: longer than the idle period
    expect(idleAt).toBe(0);
    await new Promise((r) => setTimeout(r, 1300));
    expect(idleAt).toBeGreaterThan(started + 2400);
  });

  it('stops on a shutdown request', async () => {
    let stopped = false;
    await start({ onShutdown: () => (stopped = true) });
    await new AgentClient(paths).shutdown();
    await new Promise((r) => setTimeout(r, 100));
    expect(stopped).toBe(true);
  });
});
