// The agent with real processes: a socket directory squatted by another local user, and a fake
// agent that does not know the token, get nothing from `rolecall credential-process`, which
// says so and serves its real credentials in-process; an autostarted agent inherits neither the
// caller's Node flags nor its environment; a flood of unauthenticated connections leaves the
// agent small and quick. Needs root (useradd, runuser) for the other user; CI runs as root.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AgentClient } from '../../../src-main/core/agent/client';
import { ensureAgentToken } from '../../../src-main/core/agent/token';
import { resolvePaths } from '../../../src-main/core/paths';
import { FakeAgents } from './fake-agents';
import { addAliceWithReadOnly, parseJson, startCliHarness, useCliBuild, type CliHarness } from '../cli/harness';

const run = promisify(execFile);
const SQUATTER = 'rolecall-squatter';

const build = useCliBuild();
let h: CliHarness;
const children: ChildProcess[] = [];
const fakeAgents = new FakeAgents();
const dirs: string[] = [];
let createdUser = false;

beforeAll(async () => {
  const exists = await run('id', ['-u', SQUATTER]).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', SQUATTER]);
    createdUser = true;
  }
});
afterAll(async () => {
  if (createdUser) await run('userdel', [SQUATTER]);
});
beforeEach(async () => {
  h = await startCliHarness(build());
  await addAliceWithReadOnly(h, 'us-east-1');
});
afterEach(async () => {
  fakeAgents.stopAll();
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await h.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** Starts the fake agent (optionally as another user) and waits until it listens; resolves its pid. */
const uidOf = async (user: string) => Number((await run('id', ['-u', user])).stdout.trim());

/** The credentials a run printed must be alice's real ReadOnly session, as STS sees them. */
async function expectRealCredentials(stdout: string): Promise<void> {
  const c = parseJson<{ AccessKeyId: string; SecretAccessKey: string; SessionToken?: string }>(stdout);
  expect(c.AccessKeyId).toMatch(/^ASIA/);
  expect(c.AccessKeyId).not.toContain('FOREIGN');
  const { getCallerIdentity } = await import('../../../src-main/core/aws/sts');
  const id = await getCallerIdentity({ region: 'us-east-1', env: h.env }, { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken });
  expect(id.Arn).toBe('arn:aws:sts::444455556666:assumed-role/ReadOnly/alice');
}

describe('credential-process and an agent it cannot trust', () => {
  it('a socket directory squatted by another user: not even connected to, said on stderr, real credentials in-process', async () => {
    // A shared temp dir like /tmp, and a data dir too deep for sun_path, so the socket moves there.
    const shared = await mkdtemp(path.join(os.tmpdir(), 'rc-shared-'));
    dirs.push(shared);
    await chmod(shared, 0o1777);
    const deep = path.join(h.home, 'd'.repeat(100));
    Object.assign(h.env, { ROLECALL_HOME: deep, TMPDIR: shared, XDG_RUNTIME_DIR: '' });
    const paths = resolvePaths(h.env);
    const socketDir = path.dirname(paths.agentSocket);
    expect(socketDir.startsWith(shared + path.sep)).toBe(true);
    // The other user was first: the name is computable.
    const log = path.join(shared, 'squatter.log');
    await fakeAgents.start([paths.agentSocket, log, '755'], SQUATTER);
    // Which costs the shared agent, not the commands: they work as before.
    await addAliceWithReadOnly(h, 'us-east-1');
    // An agent ran here before, so the caller has a token it could leak.
    const token = await ensureAgentToken(paths.agentTokenFile);

    const r = await h.rolecall(['credential-process', 'dev/ReadOnly'], { env: { ROLECALL_NO_AUTOSTART: '' }, secretOutput: true });
    expect(r.stderr).toBe(`rolecall: not using the agent at ${paths.agentSocket}: its directory ${socketDir} belongs to another user (uid ${await uidOf(SQUATTER)}); working in-process\n`);
    expect(r.code).toBe(0);
    await expectRealCredentials(r.stdout);
    // The squatter heard nothing at all, so certainly not the token.
    expect(await readFile(log, 'utf8')).toBe('');
    expect(h.outputs.join('\n')).not.toContain(token);
  });

  it('a fake agent at the real socket that does not know the token: hears only a hello, is said on stderr, real credentials in-process', async () => {
    const paths = h.core.paths;
    const token = await ensureAgentToken(paths.agentTokenFile);
    const logDir = await mkdtemp(path.join(os.tmpdir(), 'rc-fake-'));
    dirs.push(logDir);
    const log = path.join(logDir, 'fake.log');
    await fakeAgents.start([paths.agentSocket, log]);
    // Autostart on: the untrusted listener must not be "replaced" by a spawned agent either.
    const r = await h.rolecall(['credential-process', 'dev/ReadOnly'], { env: { ROLECALL_NO_AUTOSTART: '' }, secretOutput: true });
    expect(r.stderr).toBe(`rolecall: not using the agent at ${paths.agentSocket}: it could not prove it knows the agent token; working in-process\n`);
    expect(r.code).toBe(0);
    await expectRealCredentials(r.stdout);
    const heard = await readFile(log, 'utf8');
    expect(heard).not.toContain(token);
    expect(heard.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([{ type: 'hello', v: 1, clientNonce: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  });
});

describe('the autostarted agent', () => {
  it("inherits neither the caller's Node flags nor its environment beyond the allow-list, and serves the caller's AWS settings per request", async () => {
    const env = { ROLECALL_NO_AUTOSTART: '', NODE_OPTIONS: '--inspect=127.0.0.1:0', ROLECALL_TEST_CANARY: 'caller-only' };
    const r = await h.rolecall(['credential-process', 'dev/ReadOnly'], { env, secretOutput: true });
    expect(r.code).toBe(0);
    // The caller's own inspector is its own business (Node says so on its stderr).
    expect(r.stderr).toMatch(/Debugger listening on ws:\/\/127\.0\.0\.1:/);
    await expectRealCredentials(r.stdout);
    const pid = await new AgentClient(h.core.paths).ping();
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);

    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
    expect(cmdline.slice(1)).toEqual([h.script, 'serve', '--idle-exit', expect.stringMatching(/^\d+$/)]);
    const environ = Object.fromEntries(
      (await readFile(`/proc/${pid}/environ`, 'utf8'))
        .split('\0')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
    expect(environ.ROLECALL_HOME).toBe(h.dataDir);
    expect(environ.HOME).toBe(h.home);
    for (const name of ['NODE_OPTIONS', 'ROLECALL_TEST_CANARY', 'AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_CONFIG_FILE', 'ROLECALL_NO_AUTOSTART']) expect(environ, name).not.toHaveProperty(name);
    // Nothing listens on TCP for that process: no inspector.
    const { stdout: listening } = await run('ss', ['-Hltnp']);
    expect(listening).not.toContain(`pid=${pid},`);

    // Another run is served by that agent, which reached the sandbox only through the caller's settings.
    await h.core.secrets.delete('session/dev/ReadOnly');
    const again = await h.rolecall(['credential-process', 'dev/ReadOnly'], { secretOutput: true });
    expect(again).toEqual({ code: 0, stdout: r.stdout, stderr: '' });
  });

  it('stays small and quick under a flood of unauthenticated connections (400 x 1 MB, no newline)', async () => {
    const serve = spawn(process.execPath, [h.script, 'serve'], { env: h.env, stdio: 'ignore' });
    children.push(serve);
    const agent = new AgentClient(h.core.paths);
    for (let i = 0; i < 200 && !(await agent.alive()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await agent.alive()).toBe(true);
    const rss = async () => Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${serve.pid}/status`, 'utf8'))![1]) * 1024;
    const before = await rss();
    let peak = before;
    const sampler = setInterval(() => void rss().then((v) => (peak = Math.max(peak, v)), () => undefined), 10);

    const megabyte = Buffer.alloc(1024 * 1024, 'x');
    const flood = Array.from(
      { length: 400 },
      () =>
        new Promise<void>((resolve) => {
          const c = net.connect(h.core.paths.agentSocket);
          c.on('connect', () => c.write(megabyte));
          c.on('error', () => undefined);
          c.on('close', () => resolve());
          setTimeout(() => (c.destroy(), resolve()), 15_000);
        }),
    );
    const started = Date.now();
    expect(await agent.ping()).toBe(serve.pid);
    const pingMs = Date.now() - started;
    await Promise.all(flood);
    clearInterval(sampler);
    const growth = peak - before;
    console.log(`flood: agent RSS ${(before / 2 ** 20).toFixed(0)} MiB before, peak +${(growth / 2 ** 20).toFixed(1)} MiB; ping during the flood ${pingMs} ms`);
    expect(pingMs).toBeLessThan(1000);
    expect(growth).toBeLessThan(100 * 2 ** 20);
    expect(await agent.ping()).toBe(serve.pid);
    await agent.shutdown();
  });
});
