// The taker's side of a handover with stand-ins for the server and the client: when it listens,
// asks, waits, tries again, and the one line it gives when it does not serve. The real server and
// processes: test/integration/agent/handover.test.ts.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { AgentNotTrusted, AgentUnavailable, AgentUnresponsive } from '../../../../src-main/core/agent/client';
import { takeOverAgentSocket } from '../../../../src-main/core/agent/handover';
import { RolecallError } from '../../../../src-main/core/errors';

const conflict = () => new RolecallError('A Rolecall agent is already running (/run/rc/agent.sock)', 'conflict', 'stop it first: rolecall agent stop');

/** A server whose listen() fails with "conflict" `busy` times, then succeeds. */
function server(busy: number) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    listen: async () => {
      calls++;
      if (calls <= busy) throw conflict();
    },
  };
}

/** A client whose handover() answers these in turn (a pid, or an error to throw). */
function client(...answers: (number | Error)[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    handover: async () => {
      const a = answers[calls++];
      if (a instanceof Error) throw a;
      return a ?? 0;
    },
  };
}

describe('takeOverAgentSocket', () => {
  it('listens at once when the socket is free, asking nobody', async () => {
    const c = client();
    expect(await takeOverAgentSocket({ server: server(0), client: c })).toStrictEqual({ serving: true });
    expect(c.calls).toBe(0);
  });

  it('an agent that hands over without saying its pid: nothing to wait for, listens at once', async () => {
    const started = Date.now();
    expect(await takeOverAgentSocket({ server: server(1), client: client(0) }, { exitWaitMs: 2_000 })).toEqual({ serving: true, replaced: 0 });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('asks the running agent, waits for it to exit, then listens', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300)'], { stdio: 'ignore' });
    const s = server(1);
    const started = Date.now();
    const outcome = await takeOverAgentSocket({ server: s, client: client(child.pid!) }, { exitWaitMs: 5_000 });
    expect(outcome).toEqual({ serving: true, replaced: child.pid });
    // Not before the old one was gone: never two brokers at once.
    expect(child.exitCode).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(s.calls).toBe(2);
  });

  it('does not listen while the old agent has not exited, and says how to end it', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)'], { stdio: 'ignore' });
    try {
      const s = server(1);
      const outcome = await takeOverAgentSocket({ server: s, client: client(child.pid!) }, { exitWaitMs: 200 });
      expect(outcome).toEqual({ serving: false, reason: `the Rolecall agent (pid ${child.pid}) stopped accepting but has not exited; not serving the agent socket (end it: rolecall agent stop --force)` });
      expect(s.calls).toBe(1);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('an agent gone before it was asked (an idle exit): listens again', async () => {
    const s = server(1);
    expect(await takeOverAgentSocket({ server: s, client: client(new AgentUnavailable('no socket')) })).toEqual({ serving: true });
    expect(s.calls).toBe(2);
  });

  it('another agent taking the socket between the handover and the listen (an autostart) is asked too, up to 3 tries', async () => {
    const c = client(process.pid, process.pid, process.pid);
    const twice = server(2);
    expect(await takeOverAgentSocket({ server: twice, client: c })).toEqual({ serving: true, replaced: process.pid });
    expect(twice.calls).toBe(3);
    const always = server(100);
    const outcome = await takeOverAgentSocket({ server: always, client: client(process.pid, process.pid, process.pid) });
    expect(outcome).toEqual({ serving: false, reason: 'A Rolecall agent is already running (/run/rc/agent.sock); it kept the socket through 3 handovers' });
    expect(always.calls).toBe(3);
  });

  it.each<[string, Error, string]>([
    [
      'refuses',
      new RolecallError('the Rolecall agent (pid 42) does not hand over: it serves the web UI (rolecall serve --web)', 'conflict', 'stop it first: rolecall agent stop'),
      'not serving the agent socket: the Rolecall agent (pid 42) does not hand over: it serves the web UI (rolecall serve --web) (stop it first: rolecall agent stop)',
    ],
    [
      'is an older version without handover',
      new RolecallError("bad request: type: Invalid discriminator value. Expected 'credentials' | 'sessions' | 'forget' | 'ping' | 'shutdown'", 'invalid-input'),
      'not serving the agent socket: the running Rolecall agent is an older version that cannot hand over (stop it: rolecall agent stop, then restart the app)',
    ],
    [
      'is not ours',
      new AgentNotTrusted('/run/rc/agent.sock', 'the socket belongs to another user (uid 1001)'),
      'not serving the agent socket: the agent at /run/rc/agent.sock is not ours (the socket belongs to another user (uid 1001)); if it is not yours, remove it',
    ],
    [
      'is stopped or hung',
      new AgentUnresponsive(1500),
      'not serving the agent socket: the Rolecall agent did not answer within 1.5 s (stopped or hung?) (end it: rolecall agent stop (a new one starts on demand))',
    ],
    ['answers with an error without a hint', new RolecallError('The Rolecall agent did not answer within 5 s', 'timeout'), 'not serving the agent socket: The Rolecall agent did not answer within 5 s'],
  ])('an agent that %s keeps the socket, and the reason is one line', async (_what, error, reason) => {
    const s = server(1);
    expect(await takeOverAgentSocket({ server: s, client: client(error) })).toEqual({ serving: false, reason });
    expect(reason).not.toContain('\n');
    expect(s.calls).toBe(1);
  });

  it('a listen that fails for another reason is the caller’s error, not a handover', async () => {
    const broken = { listen: async () => Promise.reject(new RolecallError('Cannot create /run/rc: EACCES', 'file')) };
    await expect(takeOverAgentSocket({ server: broken, client: client() })).rejects.toThrow('Cannot create /run/rc: EACCES');
    const plain = { listen: async () => Promise.reject(new Error('EADDRINUSE')) };
    await expect(takeOverAgentSocket({ server: plain, client: client() })).rejects.toThrow('EADDRINUSE');
  });

  it('an unexpected failure of the client is thrown, not worded as a refusal', async () => {
    await expect(takeOverAgentSocket({ server: server(1), client: client(new TypeError('boom')) })).rejects.toThrow('boom');
  });
});
