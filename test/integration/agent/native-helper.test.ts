// The native credential_process helper (src-main/cli/hot/native), as AWS tools run it: it answers
// from a running agent by itself (its fallback command cannot run: /bin/false), leaves everything
// else to the command line it was given (a sentinel shows when it did), makes a fake agent prove
// itself and tells it nothing, and carries the caller's AWS settings like the Node client.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentClient } from '../../../src-main/core/agent/client';
import { ensureAgentToken } from '../../../src-main/core/agent/token';
import { awsCallerSettings, awsSettingsKey } from '../../../src-main/core/aws/caller-settings';
import { sessionEntryName } from '../../../src-main/core/secrets/keychain-layout';
import { FakeAgents } from './fake-agents';
import { addAliceWithReadOnly, parseJson, runProgram, startCliHarness, useCliBuild, type CliHarness } from '../cli/harness';

const PROFILE = 'dev/ReadOnly';

const build = useCliBuild();
let h: CliHarness;
const children: ChildProcess[] = [];
const dirs: string[] = [];
const fakeAgents = new FakeAgents();

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

const helper = () => path.join(path.dirname(h.script), 'rolecall-credential-process');
/** The helper with a fallback that prints what it was given instead of running the CLI. */
const SENTINEL = ['/bin/sh', '-c', 'echo "fallback: $*"'];
const viaHelper = (fallback: string[], args: string[], env: NodeJS.ProcessEnv = {}) => runProgram(helper(), [...fallback, 'credential-process', ...args], { env: { ...h.env, ...env } });
const assumeRoleCalls = () => h.sandbox.knobs.count('sts:AssumeRole');

async function startAgent(): Promise<void> {
  const serve = spawn(process.execPath, [h.script, 'serve'], { env: h.env, stdio: 'ignore' });
  children.push(serve);
  const agent = new AgentClient(h.core.paths);
  for (let i = 0; i < 200 && !(await agent.alive()); i++) await new Promise((r) => setTimeout(r, 50));
  expect(await agent.alive()).toBe(true);
}

describe('the native credential_process helper', () => {
  it("is built beside the CLI entry, and `config write` puts the data dir's copy in front of the launcher", async () => {
    expect(existsSync(helper())).toBe(true);
    expect((await h.rolecall(['config', 'write'])).code).toBe(0);
    const config = await readFile(h.env.AWS_CONFIG_FILE!, 'utf8');
    const bin = path.join(h.dataDir, 'bin');
    expect(config).toContain(`[profile ${PROFILE}]\ncredential_process = ${bin}/rolecall-credential-process ${bin}/rolecall credential-process --profile ${PROFILE}\n`);
    expect(await readFile(path.join(bin, 'rolecall-credential-process'))).toEqual(await readFile(helper()));
    // The AWS CLI runs that line (Debian's v2 predates AWS_ENDPOINT_URL: --endpoint-url). With no
    // agent the helper hands over to the CLI, with one it answers.
    const aws = () => h.run('/usr/bin/aws', ['sts', 'get-caller-identity', '--profile', PROFILE, '--endpoint-url', h.sandbox.url, '--query', 'Arn', '--output', 'text']);
    const first = await aws();
    expect(first.stderr).toBe('');
    expect(first.stdout.trim()).toBe('arn:aws:sts::444455556666:assumed-role/ReadOnly/alice');
    await startAgent();
    const r = await aws();
    expect(r.stdout.trim()).toBe('arn:aws:sts::444455556666:assumed-role/ReadOnly/alice');
    expect(r.code).toBe(0);
  });

  it('answers from the agent by itself, byte for byte what the Node CLI prints, by --profile or by position', async () => {
    await startAgent();
    const node = await h.rolecall(['credential-process', '--profile', PROFILE], { secretOutput: true });
    expect(node.code).toBe(0);
    const calls = assumeRoleCalls();
    for (const args of [['--profile', PROFILE], [`--profile=${PROFILE}`], [PROFILE]]) {
      // /bin/false cannot answer: exit 0 and credentials mean the helper did it alone.
      expect(await viaHelper(['/bin/false'], args)).toEqual({ code: 0, stdout: node.stdout, stderr: '' });
    }
    expect(assumeRoleCalls()).toBe(calls);
    const c = parseJson<{ AccessKeyId: string; Expiration: string }>(node.stdout);
    expect(c.AccessKeyId).toMatch(/^ASIA/);
  });

  it("sends the caller's AWS settings: another region is another session, from the agent, not the default one", async () => {
    await startAgent();
    const everyday = await viaHelper(SENTINEL, [PROFILE]);
    expect(everyday.stdout).not.toMatch(/^fallback/);
    const calls = assumeRoleCalls();
    const other = await viaHelper(['/bin/false'], [PROFILE], { AWS_REGION: 'eu-west-1' });
    expect(other.code).toBe(0);
    expect(parseJson<{ AccessKeyId: string }>(other.stdout).AccessKeyId).not.toBe(parseJson<{ AccessKeyId: string }>(everyday.stdout).AccessKeyId);
    expect(assumeRoleCalls()).toBe(calls + 1);
    // ...and that caller's session is kept under its settings: asked again, no new AssumeRole.
    expect((await viaHelper(['/bin/false'], [PROFILE], { AWS_REGION: 'eu-west-1' })).stdout).toBe(other.stdout);
    expect(assumeRoleCalls()).toBe(calls + 1);
  });

  it("with no agent, answers from the broker's keychain cache by itself, the same entry the CLI reads", async () => {
    const node = await h.rolecall(['credential-process', PROFILE], { secretOutput: true });
    expect(node.code).toBe(0);
    expect(await viaHelper(['/bin/false'], [PROFILE])).toEqual({ code: 0, stdout: node.stdout, stderr: '' });
    // A caller with AWS settings of its own has an entry of its own (its name carries a hash of them).
    const own = { AWS_ENDPOINT_URL_STS: h.sandbox.url + '/', AWS_DEFAULT_REGION: 'us-east-1' };
    expect((await viaHelper(SENTINEL, [PROFILE], own)).stdout).toBe('fallback: dev/ReadOnly\n');
    const mine = await h.rolecall(['credential-process', PROFILE], { env: own, secretOutput: true });
    expect(mine.stdout).not.toBe(node.stdout);
    expect(await viaHelper(['/bin/false'], [PROFILE], own)).toEqual({ code: 0, stdout: mine.stdout, stderr: '' });
    // A dead agent's socket (nobody listens) is no agent either.
    await ensureAgentToken(h.core.paths.agentTokenFile);
    const logDir = await mkdtemp(path.join(os.tmpdir(), 'rc-fake-'));
    dirs.push(logDir);
    process.kill(await fakeAgents.start([h.core.paths.agentSocket, path.join(logDir, 'fake.log')]), 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(h.core.paths.agentSocket)).toBe(true);
    expect(await viaHelper(['/bin/false'], [PROFILE])).toEqual({ code: 0, stdout: node.stdout, stderr: '' });
    // Due for refresh (the broker's refreshAt has passed): the CLI's to refresh. (The harness's
    // callers have AWS settings, the sandbox's endpoint: their entry's name carries its hash.)
    const name = sessionEntryName(PROFILE, awsSettingsKey(awsCallerSettings(h.env)));
    expect(name).toMatch(/^session\/dev\/ReadOnly#[0-9a-f]{16}$/);
    const entry = JSON.parse((await h.core.secrets.get(name))!) as Record<string, string>;
    await h.core.secrets.set(name, JSON.stringify({ ...entry, refreshAt: new Date(Date.now() - 1000).toISOString() }));
    expect((await viaHelper(SENTINEL, [PROFILE])).stdout).toBe('fallback: dev/ReadOnly\n');
    // Not an entry of the broker's shape: the CLI's to judge.
    await h.core.secrets.set(name, JSON.stringify({ ...entry, credentialType: 'other' }));
    expect((await viaHelper(SENTINEL, [PROFILE])).stdout).toBe('fallback: dev/ReadOnly\n');
  });

  it('hands everything else to the command line it was given, with the same arguments', async () => {
    // No agent (autostart and the keychain cache are the CLI's).
    expect(await viaHelper(SENTINEL, [PROFILE])).toEqual({ code: 0, stdout: 'fallback: dev/ReadOnly\n', stderr: '' });
    await startAgent();
    const cases: [string[], NodeJS.ProcessEnv][] = [
      [['--profile', PROFILE, '--force-refresh'], {}],
      [['--profile', PROFILE, '--mfa-code', '123456'], {}],
      [['--help'], {}],
      [['--profile', 'bad name'], {}],
      [['--profile', PROFILE, 'extra'], {}],
      // A data dir path.resolve would change (relative, or with a trailing slash): the CLI's to work out.
      [[PROFILE], { ROLECALL_HOME: path.relative(process.cwd(), h.dataDir) }],
      [[PROFILE], { ROLECALL_HOME: h.dataDir + '/' }],
    ];
    for (const [args, env] of cases) {
      const r = await viaHelper(SENTINEL, args, env);
      expect(r, args.join(' ')).toEqual({ code: 0, stdout: `fallback: ${args.join(' ')}\n`, stderr: '' });
    }
    // An error answer (no such profile): the CLI asks again and words it.
    const unknown = await viaHelper([process.execPath, h.script], ['--profile', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^rolecall: .*'nope'.*\n$/);
    // The same data dir written as ~/..., as the CLI reads it: answered by the helper itself.
    const tilde = '~/' + path.relative(h.home, h.dataDir);
    if (!tilde.startsWith('~/..')) expect((await viaHelper(['/bin/false'], [PROFILE], { ROLECALL_HOME: tilde })).code).toBe(0);
  });

  it('a fake agent at the socket that does not know the token hears only hellos; the CLI says so and serves the real credentials', async () => {
    const token = await ensureAgentToken(h.core.paths.agentTokenFile);
    const logDir = await mkdtemp(path.join(os.tmpdir(), 'rc-fake-'));
    dirs.push(logDir);
    const log = path.join(logDir, 'fake.log');
    await fakeAgents.start([h.core.paths.agentSocket, log]);
    // The sentinel shows the helper refused the fake's answer and handed over.
    expect((await viaHelper(SENTINEL, [PROFILE])).stdout).toBe('fallback: dev/ReadOnly\n');
    const r = await viaHelper([process.execPath, h.script], [PROFILE]);
    expect(r.stderr).toBe(`rolecall: not using the agent at ${h.core.paths.agentSocket}: it could not prove it knows the agent token; working in-process\n`);
    expect(r.code).toBe(0);
    expect(parseJson<{ AccessKeyId: string }>(r.stdout).AccessKeyId).toMatch(/^ASIA(?!FOREIGN)/);
    const heard = await readFile(log, 'utf8');
    expect(heard).not.toContain(token);
    const lines = heard.trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines).toHaveLength(3); // the sentinel run's helper, then this run's helper and its CLI
    for (const l of lines) expect(l).toEqual({ type: 'hello', v: 1, clientNonce: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it("does not connect to a socket that is another user's, or in a directory others may enter", async () => {
    await ensureAgentToken(h.core.paths.agentTokenFile);
    const logDir = await mkdtemp(path.join(os.tmpdir(), 'rc-fake-'));
    dirs.push(logDir);
    const log = path.join(logDir, 'fake.log');
    await fakeAgents.start([h.core.paths.agentSocket, log]);
    await chown(h.core.paths.agentSocket, 65534, 65534);
    expect((await viaHelper(SENTINEL, [PROFILE])).stdout).toBe('fallback: dev/ReadOnly\n');
    await chown(h.core.paths.agentSocket, process.getuid!(), process.getgid!());
    await chmod(h.dataDir, 0o755);
    expect((await viaHelper(SENTINEL, [PROFILE])).stdout).toBe('fallback: dev/ReadOnly\n');
    await chmod(h.dataDir, 0o700);
    expect(await readFile(log, 'utf8')).toBe('');
  });

  it('says how to run it when given nothing, and reports a fallback it cannot start', async () => {
    const bare = await runProgram(helper(), []);
    expect(bare).toEqual({ code: 2, stdout: '', stderr: 'rolecall: usage: rolecall-credential-process <node> <rolecall script> credential-process --profile NAME\n' });
    const missing = await viaHelper(['/nonexistent/node'], [PROFILE]);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'rolecall: cannot run /nonexistent/node: No such file or directory\n' });
  });
});
