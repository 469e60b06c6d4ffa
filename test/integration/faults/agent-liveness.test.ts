// An agent that is frozen, stopped or keychain-less never holds callers hostage (issue 14): a
// SIGSTOPped agent costs a caller the 1.5 s liveness check, not the client's whole wait; `agent
// stop` ends an agent whose request hangs on STS, and its locks block nobody; an agent that
// cannot reach the keychain does not start. Real processes; times are upper bounds for a loaded
// 2-core machine.
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addAliceWithReadOnly, parseJson, timed, useCliHarness, VIA_AGENT } from '../cli/harness';

const h = useCliHarness((h) => addAliceWithReadOnly(h, 'us-east-1'));
const assumeRoleCalls = () => h().sandbox.knobs.count('sts:AssumeRole');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts the background agent with a cached session of dev/ReadOnly, and returns its pid. */
async function warmAgent(): Promise<number> {
  const warm = await h().rolecall(['credential-process', 'dev/ReadOnly'], { env: VIA_AGENT, secretOutput: true });
  expect(warm.code).toBe(0);
  const status = await h().rolecall(['agent', 'status']);
  const pid = Number(/^agent running \(pid (\d+)\)/.exec(status.stdout)?.[1]);
  expect(pid).toBeGreaterThan(0);
  return pid;
}

describe('an agent that cannot answer', () => {
  it('SIGSTOPped: a caller with a cached session answers from the keychain within 4 s, one without works in-process', async () => {
    const pid = await warmAgent();
    process.kill(pid, 'SIGSTOP');
    try {
      const before = assumeRoleCalls();
      const cached = await timed(h().rolecall(['credential-process', 'dev/ReadOnly'], { env: VIA_AGENT, secretOutput: true, timeoutMs: 60_000 }));
      expect(cached.code).toBe(0);
      expect(parseJson(cached.stdout).AccessKeyId).toMatch(/^ASIA/);
      expect(cached.stderr).toMatch(/^rolecall: the Rolecall agent did not answer within 1\.5 s \(stopped or hung\?\); working without it\n$/);
      expect(cached.ms).toBeLessThan(4_000);
      expect(assumeRoleCalls()).toBe(before);
      const status = await h().rolecall(['agent', 'status']);
      expect(status.code).toBe(1);
      expect(status.stdout).toMatch(/^agent not answering on \S+: the Rolecall agent did not answer within 1\.5 s \(stopped or hung\?\)\n$/);

      // Nothing cached to use (a forced refresh): the work is done here, not waited for.
      const fresh = await timed(h().rolecall(['credential-process', 'dev/ReadOnly', '--force-refresh'], { env: VIA_AGENT, secretOutput: true, timeoutMs: 60_000 }));
      expect(fresh.code).toBe(0);
      expect(parseJson(fresh.stdout).AccessKeyId).toMatch(/^ASIA/);
      expect(assumeRoleCalls()).toBe(before + 1);
      expect(fresh.ms).toBeLessThan(10_000);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  }, 90_000);

  it('agent stop with a request pending on a hung STS: the agent exits within seconds and the next caller does not wait on its lock', async () => {
    const pid = await warmAgent();
    h().sandbox.knobs.set({ faults: [{ operation: 'sts:AssumeRole', kind: 'hang', count: 1 }] });
    const before = assumeRoleCalls();
    const pending = timed(h().rolecall(['credential-process', 'dev/ReadOnly', '--force-refresh'], { env: VIA_AGENT, secretOutput: true, timeoutMs: 60_000 }));
    // Until the agent's AssumeRole is the one hanging in the sandbox.
    for (let i = 0; i < 200 && assumeRoleCalls() === before; i++) await new Promise((r) => setTimeout(r, 25));
    expect(assumeRoleCalls()).toBe(before + 1);

    const stop = await timed(h().rolecall(['agent', 'stop'], { timeoutMs: 30_000 }));
    expect(stop.stderr).toBe('');
    expect(stop.stdout).toBe(`agent stopped (pid ${pid})\n`);
    expect(stop.ms).toBeLessThan(5_000);
    expect(alive(pid)).toBe(false);

    // The pending caller was told "stopping" and went on without that agent (a new one starts).
    const r = await pending;
    expect(r.code).toBe(0);
    expect(parseJson(r.stdout).AccessKeyId).toMatch(/^ASIA/);
    expect(r.ms).toBeLessThan(15_000);

    // The dead agent's session lock blocks nobody.
    const next = await timed(h().rolecall(['credential-process', 'dev/ReadOnly', '--force-refresh'], { env: VIA_AGENT, secretOutput: true, timeoutMs: 60_000 }));
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    expect(next.ms).toBeLessThan(5_000);
  }, 90_000);

  it('agent stop --force ends a live agent by signal, and says so only once it is gone', async () => {
    const pid = await warmAgent();
    const stop = await timed(h().rolecall(['agent', 'stop', '--force'], { timeoutMs: 30_000 }));
    expect(stop.stdout).toBe(`agent stopped (pid ${pid})\n`);
    expect(alive(pid)).toBe(false);
    expect(stop.ms).toBeLessThan(5_000);
    expect((await h().rolecall(['agent', 'status'])).stdout).toBe('no agent running\n');
  }, 60_000);

  it('agent stop ends a SIGSTOPped agent, which cannot answer the request to stop, and the next caller gets a new one at once', async () => {
    const pid = await warmAgent();
    process.kill(pid, 'SIGSTOP');
    try {
      const stop = await timed(h().rolecall(['agent', 'stop'], { timeoutMs: 30_000 }));
      expect(stop.stderr).toBe('');
      expect(stop.stdout).toBe(`agent stopped (pid ${pid})\n`);
      expect(alive(pid)).toBe(false);
      expect(stop.ms).toBeLessThan(6_000);
    } finally {
      if (alive(pid)) process.kill(pid, 'SIGCONT');
    }
    const next = await timed(h().rolecall(['credential-process', 'dev/ReadOnly', '--force-refresh'], { env: VIA_AGENT, secretOutput: true, timeoutMs: 60_000 }));
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    expect(next.ms).toBeLessThan(8_000);
    expect((await h().rolecall(['agent', 'status'])).stdout).toMatch(/^agent running \(pid (?!${pid}\))\d+\)/);
  }, 90_000);

  it('started where the keychain cannot be reached: serve refuses to start, in one line', async () => {
    const noBus = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${h().home}/no-such-bus` };
    const r = await timed(h().rolecall(['serve', '--idle-exit', '60'], { env: noBus, timeoutMs: 30_000 }));
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^rolecall: the agent did not start: [^\n]*keychain[^\n]*\n$/i);
    expect(r.ms).toBeLessThan(10_000);
    expect((await h().rolecall(['agent', 'status'])).stdout).toBe('no agent running\n');
  }, 60_000);
});

describe('an agent whose keychain stops answering', () => {
  it("a caller whose own keychain works goes around it, in-process, with one line saying why", async () => {
    // The agent runs in a D-Bus session of its own, whose keyring is locked once it has started;
    // the caller's keychain (the test's) holds alice's key and answers.
    const agentHome = path.join(h().home, 'agent-home');
    await mkdir(path.join(agentHome, '.local', 'share', 'keyrings'), { recursive: true });
    const script = [
      'echo -n pw | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null',
      '"$RC_NODE" "$RC_SCRIPT" serve --idle-exit 120 &',
      'for i in $(seq 200); do [ -S "$RC_SOCKET" ] && break; sleep 0.05; done',
      `gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets --method org.freedesktop.Secret.Service.Lock "['/org/freedesktop/secrets/collection/login']" >/dev/null`,
      'echo locked',
      'wait',
    ].join('\n');
    const env: NodeJS.ProcessEnv = { ...h().env, HOME: agentHome, RC_NODE: process.execPath, RC_SCRIPT: h().script, RC_SOCKET: h().core.paths.agentSocket };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const session = spawn('dbus-run-session', ['--', 'bash', '-c', script], { env, stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    try {
      await new Promise<void>((resolve, reject) => {
        session.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
        session.once('exit', () => reject(new Error('the agent session ended early')));
      });
      expect((await h().rolecall(['agent', 'status'])).stdout).toMatch(/^agent running/);
      // The agent's start-up check of its keychain stands a second: past it, a miss is checked anew.
      await new Promise((r) => setTimeout(r, 1_200));
      const r = await timed(h().rolecall(['credential-process', 'dev/ReadOnly'], { env: VIA_AGENT, secretOutput: true, timeoutMs: 60_000 }));
      expect(r.code).toBe(0);
      expect(parseJson(r.stdout).AccessKeyId).toMatch(/^ASIA/);
      expect(r.stderr).toMatch(/^rolecall: the Rolecall agent cannot reach the keychain \([^\n]*locked[^\n]*\); working in-process[^\n]*\n$/);
      expect(r.ms).toBeLessThan(10_000);
    } finally {
      await h().stopAgent();
      try {
        process.kill(-session.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }, 90_000);
});
