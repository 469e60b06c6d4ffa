// The agent socket: requests after the handshake, framing and validation errors, the caller's AWS
// settings, file modes, idle exit, one agent per data dir. The handshake itself, owner checks and
// pre-auth limits: agent-handshake.test.ts. The broker behind it is a stub; the real one is
// tested through the CLI.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Credentials } from '../../../src-shared/profile';
import { AgentClient, AgentUnavailable } from '../../../src-main/core/agent/client';
import { AgentServer } from '../../../src-main/core/agent/server';
import type { CredentialBroker, CredentialRequest } from '../../../src-main/core/broker/types';
import { RolecallError } from '../../../src-main/core/errors';
import { resolvePaths, type RolecallPaths } from '../../../src-main/core/paths';
import { authenticated, rawConnect } from './agent-raw';

const EXPIRES = new Date('2031-01-02T03:04:05.000Z');

class StubBroker implements CredentialBroker {
  calls: { profile: string; request?: CredentialRequest }[] = [];
  forgotten: string[] = [];
  async credentials(profile: string, request?: CredentialRequest): Promise<Credentials> {
    this.calls.push({ profile, request });
    if (profile === 'needs-sign-in') throw new RolecallError(`profile '${profile}': the Identity Center session for acme expired`, 'sign-in-required', 'run: rolecall login sso acme');
    if (profile === 'slow') await new Promise((r) => setTimeout(r, 1500));
    if (profile === 'chained') {
      request?.onNotice?.("profile 'chained': asked for 7200 s; AWS caps role chaining at 3600 s, so 3600 s");
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
async function raw(data: string, ms = 800): Promise<{ received: string; closedByServer: boolean }> {
  const c = await rawConnect(paths.agentSocket);
  c.send(data);
  const closedByServer = await c.closed(ms);
  c.end();
  return { received: c.received(), closedByServer };
}

/** Sends lines after a full handshake and returns the answers, parsed. */
async function ask(lines: string[], count = lines.length): Promise<Record<string, unknown>[]> {
  const c = await authenticated(paths.agentSocket, await token());
  c.send(lines.join('\n') + '\n');
  const answers: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const l = await c.line();
    if (l === undefined) break;
    answers.push(JSON.parse(l) as Record<string, unknown>);
  }
  c.end();
  return answers;
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
    const client = new AgentClient(paths, { env: {} });
    const creds = await client.credentials('dev', { mfaCode: '123456' });
    expect(creds).toEqual({ accessKeyId: 'ASIASTUB', secretAccessKey: 'stub-secret', sessionToken: 'stub-token', expiration: EXPIRES });
    expect(broker.calls).toEqual([{ profile: 'dev', request: { mfaCode: '123456', awsSettings: {}, onNotice: expect.any(Function) } }]);
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
    expect(notices).toEqual(["profile 'chained': asked for 7200 s; AWS caps role chaining at 3600 s, so 3600 s", 'a second notice']);
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

  it("sends the caller's own AWS settings with each credentials request, and only those", async () => {
    await start();
    const env = { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9/', AWS_PROFILE: 'other', AWS_ACCESS_KEY_ID: 'AKIAOTHER', HOME: '/home/ann', AWS_DEFAULT_REGION: '' };
    await new AgentClient(paths, { env }).credentials('dev');
    // A request's own settings win over the client's environment.
    await new AgentClient(paths, { env }).credentials('dev', { awsSettings: { AWS_REGION: 'ap-south-1' } });
    expect(broker.calls.map((c) => c.request?.awsSettings)).toEqual([{ AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9/', AWS_REGION: 'eu-west-1' }, { AWS_REGION: 'ap-south-1' }]);
  });

  it('refuses AWS settings that are not names Rolecall reads, not strings, or too many', async () => {
    await start();
    const req = (awsSettings: unknown, id: number) => JSON.stringify({ type: 'credentials', profile: 'dev', awsSettings, id });
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`AWS_ENDPOINT_URL_S${i}`, 'http://x']));
    const answers = await ask([
      req({ AWS_PROFILE: 'other' }, 1),
      req({ AWS_REGION: 5 }, 2),
      req(many, 3),
      '{"type":"credentials","profile":"dev","id":4,"awsSettings":{"__proto__":"x"}}',
      req(['AWS_REGION'], 5),
      req({ AWS_REGION: 'x'.repeat(3000) }, 6),
    ]);
    expect(answers.map((a) => [a.id, a.ok, (a.error as { code?: string }).code])).toEqual([1, 2, 3, 4, 5, 6].map((id) => [id, false, 'invalid-input']));
    expect((answers[0]!.error as { message: string }).message).toMatch(/^bad request \(awsSettings\.AWS_PROFILE\): not a setting Rolecall reads; only AWS_REGION/);
    expect(broker.calls).toEqual([]);
  });

  it('closes the connection without a byte for a caller that skips the handshake', async () => {
    await start();
    const t = await token();
    // The old protocol's token-in-every-request is no way in either, even with the right token.
    for (const msg of ['{"type":"ping"}\n', `{"type":"ping","token":"${t}"}\n`, 'not json at all\n', `{"type":"credentials","profile":"dev","token":"${t}"}\n`, '{"type":"hello","v":1,"clientNonce":"short"}\n', `{"type":"hello","v":2,"clientNonce":"${'a'.repeat(64)}"}\n`]) {
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
    const answers = (await ask([
      JSON.stringify({ type: 'ping', id: 1 }),
      '{this is not json',
      JSON.stringify({ type: 'credentials', profile: 'bad name;rm', id: 2 }),
      JSON.stringify({ type: 'launch-missiles', id: 3 }),
      JSON.stringify({ type: 'credentials', profile: 'dev', mfaCode: '12', id: 4 }),
      JSON.stringify({ type: 'ping', id: 5 }),
    ])) as { id?: number; ok: boolean; result?: unknown; error: { message: string; code: string } }[];
    expect(answers).toHaveLength(6);
    expect(answers[0]).toEqual({ id: 1, ok: true, result: { pid: process.pid } });
    expect(answers[1]).toEqual({ ok: false, error: { message: 'bad request: not JSON', code: 'invalid-input' } });
    expect(answers[2]).toMatchObject({ id: 2, ok: false, error: { code: 'invalid-input' } });
    expect(answers[2]!.error.message).toMatch(/^bad request \(profile\): a profile name is/);
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

  it('refuses a shutdown request when it is the app, and keeps serving', async () => {
    let stopped = false;
    await start({ onShutdown: () => (stopped = true), refuseShutdown: 'it is the Rolecall app' });
    await expect(new AgentClient(paths).shutdown()).rejects.toMatchObject({ code: 'conflict', message: `the Rolecall agent (pid ${process.pid}) does not stop on request: it is the Rolecall app` });
    await new Promise((r) => setTimeout(r, 100));
    expect(stopped).toBe(false);
    expect(await new AgentClient(paths).alive()).toBe(true);
  });

  it('stops on a shutdown request', async () => {
    let stopped = false;
    await start({ onShutdown: () => (stopped = true) });
    await new AgentClient(paths).shutdown();
    await new Promise((r) => setTimeout(r, 100));
    expect(stopped).toBe(true);
  });
});
