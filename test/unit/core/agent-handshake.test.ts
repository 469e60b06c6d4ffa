// The agent's handshake from both sides: a listener that does not know the token gets nothing
// from a client and cannot make it accept an answer; a caller that does not know it gets no
// answer; recorded proofs are worth nothing later; the client's owner checks happen before it
// connects; unauthenticated connections are bounded. The pure Windows parts too.
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Credentials } from '../../../src-shared/profile';
import { AgentClient, AgentNotTrusted, AgentUnavailable, checkSocketOwner } from '../../../src-main/core/agent/client';
import { agentEndpoint, newNonce, pipeNameFor, proofMatches, proofOf } from '../../../src-main/core/agent/handshake';
import { AgentServer, MAX_UNPROVEN_CONNECTIONS } from '../../../src-main/core/agent/server';
import { ensureAgentToken } from '../../../src-main/core/agent/token';
import type { CredentialBroker } from '../../../src-main/core/broker/types';
import { ensureDataDir, resolvePaths, type RolecallPaths } from '../../../src-main/core/paths';
import { authenticated, hello, rawConnect } from './agent-raw';

const REAL: Credentials = { accessKeyId: 'ASIAREAL', secretAccessKey: 'real-secret', sessionToken: 'real-token' };
const FOREIGN = { accessKeyId: 'ASIAFOREIGN', secretAccessKey: 'foreign-secret', sessionToken: 'foreign-token' };

let calls: string[];
const broker: CredentialBroker = {
  credentials: async (profile) => (calls.push(profile), REAL),
  sessions: async () => [],
  forget: async () => undefined,
};

let dir: string;
let paths: RolecallPaths;
let token: string;
const closers: (() => Promise<void> | void)[] = [];

beforeEach(async () => {
  calls = [];
  dir = await mkdtemp(path.join(os.tmpdir(), 'rc-handshake-'));
  paths = resolvePaths({ ROLECALL_HOME: dir });
  await ensureDataDir(paths);
  token = await ensureAgentToken(paths.agentTokenFile);
});
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
  await rm(dir, { recursive: true, force: true });
});

async function startReal(opts: ConstructorParameters<typeof AgentServer>[2] = {}): Promise<AgentServer> {
  const s = new AgentServer(broker, paths, opts);
  await s.listen();
  closers.push(() => s.close());
  return s;
}

/**
 * A listener at the agent's socket (as its owner would see it: 0600 in the private data dir)
 * that does not know the token. `onLine` says what it answers to each line; it records every byte.
 */
async function startFake(onLine: (line: string, n: number) => string | undefined, socket = paths.agentSocket): Promise<{ received: () => string; connections: () => number }> {
  let received = '';
  let connections = 0;
  const server = net.createServer((c) => {
    connections++;
    let buffer = '';
    let n = 0;
    c.setEncoding('utf8');
    c.on('error', () => undefined);
    c.on('data', (d: string) => {
      received += d;
      buffer += d;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const answer = onLine(buffer.slice(0, nl), n++);
        buffer = buffer.slice(nl + 1);
        if (answer !== undefined) c.write(answer + '\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(socket, r));
  await chmod(socket, 0o600);
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return { received: () => received, connections: () => connections };
}

const foreignAnswer = JSON.stringify({ ok: true, result: FOREIGN });

describe('a listener that does not know the token', () => {
  it('cannot get the client to accept an answer, whatever it tries, and never sees the token or a proof', async () => {
    // A genuine challenge, recorded from the real agent for some other connection's nonce.
    const real = await startReal();
    const c = await rawConnect(paths.agentSocket);
    const recorded = await hello(c);
    c.end();
    await real.close();

    const attempts: [string, (line: string) => string | undefined][] = [
      ['answers at once, no handshake', () => foreignAnswer],
      [
        'proves with another token',
        (line) => {
          const m = JSON.parse(line) as { clientNonce?: string };
          if (!m.clientNonce) return foreignAnswer;
          const serverNonce = newNonce();
          return JSON.stringify({ type: 'challenge', serverNonce, serverProof: proofOf('f'.repeat(64), 'server', m.clientNonce, serverNonce) });
        },
      ],
      ['replays a recorded genuine challenge', (line) => (line.includes('"hello"') ? JSON.stringify({ type: 'challenge', serverNonce: recorded.serverNonce, serverProof: recorded.serverProof }) : foreignAnswer)],
      [
        "reflects the client's own nonce",
        (line) => {
          const m = JSON.parse(line) as { clientNonce?: string };
          return m.clientNonce ? JSON.stringify({ type: 'challenge', serverNonce: m.clientNonce, serverProof: proofOf('', 'client', m.clientNonce, m.clientNonce) }) : foreignAnswer;
        },
      ],
    ];
    for (const [what, onLine] of attempts) {
      const fake = await startFake(onLine);
      const err = await new AgentClient(paths, { env: {} }).credentials('dev').catch((e: unknown) => e);
      expect(err, what).toBeInstanceOf(AgentNotTrusted);
      expect((err as Error).message, what).toBe(`not using the agent at ${paths.agentSocket}: it could not prove it knows the agent token; working in-process`);
      // All it heard is the hello: no token, no proof, no request.
      const lines = fake.received().trim().split('\n');
      expect(lines, what).toHaveLength(1);
      expect(JSON.parse(lines[0]!), what).toEqual({ type: 'hello', v: 1, clientNonce: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(fake.received(), what).not.toContain(token);
      await closers.pop()!();
    }
    expect(calls).toEqual([]);
  });

  it('is not even connected to when the socket directory or the socket is not private to the user', async () => {
    const open = path.join(dir, 'open');
    await mkdir(open, { mode: 0o755 });
    await chmod(open, 0o755);
    const socket = path.join(open, 'agent.sock');
    const fake = await startFake(() => foreignAnswer, socket);
    const err = await new AgentClient({ agentSocket: socket, agentTokenFile: paths.agentTokenFile }).ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentNotTrusted);
    expect((err as Error).message).toBe(`not using the agent at ${socket}: its directory ${open} is open to other users (mode 755); working in-process`);
    expect(fake.connections()).toBe(0);

    // Through a symlinked directory (the link is the user's, its target need not be).
    const link = path.join(dir, 'link');
    await chmod(open, 0o700);
    await symlink(open, link);
    await expect(new AgentClient({ agentSocket: path.join(link, 'agent.sock'), agentTokenFile: paths.agentTokenFile }).ping()).rejects.toThrow(/its directory \S+link is a symbolic link/);
    expect(fake.connections()).toBe(0);
  });
});

describe('checkSocketOwner', () => {
  it("refuses another user's directory or socket, and says 'no agent' for nothing or a leftover file", async () => {
    const uid = process.getuid!();
    await startReal();
    await expect(checkSocketOwner(paths.agentSocket, uid)).resolves.toBeUndefined();
    // Seen as another user would see ours: the directory is not theirs.
    await expect(checkSocketOwner(paths.agentSocket, uid + 1)).rejects.toThrow(new AgentNotTrusted(paths.agentSocket, `its directory ${dir} belongs to another user (uid ${uid})`));
    await expect(checkSocketOwner(path.join(dir, 'none', 'agent.sock'), uid)).rejects.toThrow(/^No Rolecall agent is running \(no socket\)$/);
    const leftover = path.join(dir, 'locks', 'agent.sock');
    await writeFile(leftover, '');
    const e = await checkSocketOwner(leftover, uid).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AgentUnavailable);
    expect(e).not.toBeInstanceOf(AgentNotTrusted);
  });
});

describe('a caller that does not know the token', () => {
  it('gets a challenge and nothing else: no answer, the connection closed, the broker untouched', async () => {
    await startReal();
    const c = await rawConnect(paths.agentSocket);
    const { clientNonce, serverNonce } = await hello(c);
    c.send(JSON.stringify({ type: 'proof', clientProof: proofOf('0'.repeat(64), 'client', clientNonce, serverNonce) }) + '\n');
    c.send(JSON.stringify({ type: 'credentials', profile: 'dev' }) + '\n');
    expect(await c.closed()).toBe(true);
    expect(await c.line()).toBeUndefined();
    expect(calls).toEqual([]);

    // The real client with a wrong token file cannot tell the agent from a fake: it refuses it.
    const wrong = path.join(dir, 'wrong.token');
    await writeFile(wrong, 'e'.repeat(64) + '\n', { mode: 0o600 });
    await expect(new AgentClient({ agentSocket: paths.agentSocket, agentTokenFile: wrong }).credentials('dev')).rejects.toBeInstanceOf(AgentNotTrusted);
    expect(calls).toEqual([]);
  });

  it('cannot replay a proof recorded from a genuine exchange: every connection gets a fresh server nonce', async () => {
    await startReal();
    const first = await rawConnect(paths.agentSocket);
    const rec = await hello(first);
    const proof = proofOf(token, 'client', rec.clientNonce, rec.serverNonce);
    first.send(JSON.stringify({ type: 'proof', clientProof: proof }) + '\n' + JSON.stringify({ type: 'ping', id: 1 }) + '\n');
    expect(JSON.parse((await first.line())!)).toEqual({ id: 1, ok: true, result: { pid: process.pid } });
    first.end();

    const again = await rawConnect(paths.agentSocket);
    const rec2 = await hello(again, rec.clientNonce);
    expect(rec2.serverNonce).not.toBe(rec.serverNonce);
    again.send(JSON.stringify({ type: 'proof', clientProof: proof }) + '\n' + JSON.stringify({ type: 'ping', id: 2 }) + '\n');
    expect(await again.closed()).toBe(true);
    expect(again.received()).toBe(JSON.stringify({ type: 'challenge', serverNonce: rec2.serverNonce, serverProof: rec2.serverProof }) + '\n');
  });
});

describe('before the handshake', () => {
  it('closes a connection that sends more than 4 KiB, in one line or without a newline', async () => {
    await startReal();
    for (const data of ['x'.repeat(5000), JSON.stringify({ type: 'hello', v: 1, clientNonce: newNonce(), pad: 'x'.repeat(5000) }) + '\n']) {
      const c = await rawConnect(paths.agentSocket);
      c.send(data);
      expect(await c.closed(1000)).toBe(true);
      expect(c.received()).toBe('');
    }
    // Within the limit, a slow hello is still fine.
    const ok = await rawConnect(paths.agentSocket);
    ok.send('{"type":"hello",');
    await new Promise((r) => setTimeout(r, 50));
    ok.send(`"v":1,"clientNonce":"${newNonce()}"}\n`);
    expect(JSON.parse((await ok.line())!)).toMatchObject({ type: 'challenge' });
    ok.end();
  });

  it(`keeps at most ${MAX_UNPROVEN_CONNECTIONS} unauthenticated connections, dropping the oldest, and still serves a real caller`, async () => {
    await startReal({ authTimeoutMs: 60_000 });
    const silent = [];
    for (let i = 0; i < MAX_UNPROVEN_CONNECTIONS + 6; i++) silent.push(await rawConnect(paths.agentSocket));
    const closed = await Promise.all(silent.map((c) => c.closed(300)));
    expect(closed.slice(0, 6)).toEqual(Array(6).fill(true));
    expect(closed.slice(6)).toEqual(Array(MAX_UNPROVEN_CONNECTIONS).fill(false));
    // An authenticated connection does not count: it stays open however many arrive after it.
    const authed = await authenticated(paths.agentSocket, token);
    authed.send('{"type":"ping","id":1}\n');
    expect(JSON.parse((await authed.line())!)).toMatchObject({ id: 1, ok: true });
    for (let i = 0; i < MAX_UNPROVEN_CONNECTIONS; i++) silent.push(await rawConnect(paths.agentSocket));
    expect(await new AgentClient(paths).ping()).toBe(process.pid);
    authed.send('{"type":"ping","id":2}\n');
    expect(JSON.parse((await authed.line())!)).toMatchObject({ id: 2, ok: true });
    for (const c of silent) c.end();
    authed.end();
  });
});

describe('handshake primitives', () => {
  it('accepts a proof only for its own role, nonces and token', () => {
    const [c, s] = [newNonce(), newNonce()];
    const p = proofOf(token, 'client', c, s);
    expect(proofMatches(token, 'client', c, s, p)).toBe(true);
    expect(proofMatches(token, 'server', c, s, p)).toBe(false);
    expect(proofMatches(token, 'client', s, c, p)).toBe(false);
    expect(proofMatches(token, 'client', c, newNonce(), p)).toBe(false);
    expect(proofMatches('other', 'client', c, s, p)).toBe(false);
    expect(proofMatches(token, 'client', c, s, p.slice(1))).toBe(false);
    expect(proofMatches(token, 'client', c, s, undefined)).toBe(false);
    expect(proofMatches('', 'client', c, s, proofOf('', 'client', c, s))).toBe(false);
    expect(newNonce()).not.toBe(newNonce());
  });

  it('names the Windows pipe after the token, which other users cannot read; Unix keeps the socket path', () => {
    const base = '\\\\.\\pipe\\rolecall-0123456789abcdef';
    const a = pipeNameFor(base, 'a'.repeat(64));
    expect(a).toMatch(/^\\\\\.\\pipe\\rolecall-0123456789abcdef-[0-9a-f]{32}$/);
    expect(pipeNameFor(base, 'a'.repeat(64))).toBe(a);
    expect(pipeNameFor(base, 'b'.repeat(64))).not.toBe(a);
    expect(a).not.toContain('a'.repeat(8));
    expect(agentEndpoint(base, 'a'.repeat(64), 'win32')).toBe(a);
    expect(agentEndpoint('/home/ann/.config/rolecall/agent.sock', 'a'.repeat(64), 'linux')).toBe('/home/ann/.config/rolecall/agent.sock');
  });
});
