// `rolecall credential-process` against the sandbox and the real keychain: a cold cache (the
// broker in-process), the keychain cache (no AWS call), the agent (started by hand or in the
// background), MFA, and failures as one line on stderr with nothing on stdout.
import { describe, expect, it } from 'vitest';
import { AgentClient } from '../../../src-main/core/agent/client';
import { mfaCode } from '../../helpers/harness';
import { addAliceWithReadOnly, ALICE_KEY, ALICE_MFA, parseJson, useCliHarness } from './harness';

interface ProcessCredentials {
  Version: number;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken?: string;
  Expiration?: string;
}

const h = useCliHarness((h) => addAliceWithReadOnly(h, 'us-east-1'));

const assumeRoleCalls = () => h().sandbox.knobs.count('sts:AssumeRole');
const identity = async (c: ProcessCredentials) => {
  const { getCallerIdentity } = await import('../../../src-main/core/aws/sts');
  return (await getCallerIdentity({ region: 'us-east-1', env: h().env }, { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken })).Arn;
};

describe('rolecall credential-process', () => {
  it('prints credential_process JSON and nothing else: cold (one AssumeRole), then from the keychain cache (none)', async () => {
    const cold = await h().rolecall(['credential-process', '--profile', 'dev/ReadOnly'], { secretOutput: true });
    expect(cold.stderr).toBe('');
    expect(cold.code).toBe(0);
    expect(cold.stdout.endsWith('\n')).toBe(true);
    const c = parseJson<ProcessCredentials>(cold.stdout);
    expect(Object.keys(c)).toEqual(['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
    expect(c.Version).toBe(1);
    expect(c.AccessKeyId).toMatch(/^ASIA/);
    expect(c.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
    expect(Date.parse(c.Expiration!) - Date.now()).toBeGreaterThan(50 * 60_000);
    expect(assumeRoleCalls()).toBe(1);
    expect(await identity(c)).toMatch(/^arn:aws:sts::444455556666:assumed-role\/ReadOnly\/alice$/);

    // Positional name, no agent (autostart is off in the harness): the keychain cache answers.
    const warm = await h().rolecall(['credential-process', 'dev/ReadOnly'], { secretOutput: true });
    expect(warm).toEqual({ code: 0, stdout: cold.stdout, stderr: '' });
    expect(assumeRoleCalls()).toBe(1);
  });

  it('omits Expiration and SessionToken only for long-term IAM user keys', async () => {
    const r = await h().rolecall(['credential-process', 'alice'], { secretOutput: true });
    expect(r.code).toBe(0);
    expect(parseJson(r.stdout)).toEqual({ Version: 1, AccessKeyId: ALICE_KEY.accessKeyId, SecretAccessKey: ALICE_KEY.secretAccessKey });
  });

  it('asks the agent when one runs (rolecall serve), which holds the session in memory', async () => {
    const serve = h().rolecall(['serve'], { timeoutMs: 60_000 });
    const agent = new AgentClient(h().core.paths);
    for (let i = 0; i < 200 && !(await agent.alive()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await agent.alive()).toBe(true);
    const first = await h().rolecall(['credential-process', 'dev/ReadOnly'], { secretOutput: true });
    expect(first.code).toBe(0);
    // The agent's broker answers even with the keychain entry gone: it holds the session itself.
    await h().core.secrets.delete('session/dev/ReadOnly');
    const second = await h().rolecall(['credential-process', 'dev/ReadOnly'], { secretOutput: true });
    expect(second.stdout).toBe(first.stdout);
    expect(assumeRoleCalls()).toBe(1);
    expect((await h().rolecall(['agent', 'status'])).stdout).toMatch(/^agent running \(pid \d+\)/);
    expect((await h().rolecall(['agent', 'stop'])).stdout).toMatch(/^agent stopped \(pid \d+\)\n$/);
    const served = await serve;
    expect(served.code).toBe(0);
    expect(served.stderr).toBe(`rolecall: agent listening on ${h().core.paths.agentSocket} (Ctrl-C to stop)\n`);
  });

  it('starts a background agent on a cold cache unless autostart is off, and the agent exits when told', async () => {
    const r = await h().rolecall(['credential-process', 'dev/ReadOnly'], { env: { ROLECALL_NO_AUTOSTART: '' }, secretOutput: true });
    expect(r.code).toBe(0);
    const agent = new AgentClient(h().core.paths);
    const pid = await agent.ping();
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);
    // The next run is answered by that agent, from memory.
    await h().core.secrets.delete('session/dev/ReadOnly');
    const again = await h().rolecall(['credential-process', 'dev/ReadOnly'], { secretOutput: true });
    expect(again.stdout).toBe(r.stdout);
    expect(assumeRoleCalls()).toBe(1);
    await h().stopAgent();
    expect(await agent.alive()).toBe(false);
  });

  it('honours settings.autostartAgent = false', async () => {
    await h().core.state.update((s) => {
      s.settings.autostartAgent = false;
    });
    const r = await h().rolecall(['credential-process', 'dev/ReadOnly'], { env: { ROLECALL_NO_AUTOSTART: '' }, secretOutput: true });
    expect(r.code).toBe(0);
    expect(await new AgentClient(h().core.paths).alive()).toBe(false);
  });

  it('uses --mfa-code for a GetSessionToken session, and without one says how to give it', async () => {
    expect((await h().rolecall(['iam-user', 'add', 'alice-mfa', '--access-key-id', ALICE_KEY.accessKeyId, '--mfa-serial', ALICE_MFA], { input: ALICE_KEY.secretAccessKey })).code).toBe(0);
    const without = await h().rolecall(['credential-process', 'alice-mfa']);
    expect(without).toEqual({ code: 1, stdout: '', stderr: `rolecall: profile 'alice-mfa' needs an MFA code from ${ALICE_MFA}; pass --mfa-code CODE\n` });
    const code = mfaCode(h().sandbox, ALICE_MFA);
    const r = await h().rolecall(['credential-process', 'alice-mfa', '--mfa-code', code], { secretOutput: true });
    expect(r.stderr).toBe('');
    expect(parseJson<ProcessCredentials>(r.stdout).SessionToken).toMatch(/^IQoJb3JpZ2luX2Vj/);
    expect(h().sandbox.knobs.count('sts:GetSessionToken')).toBe(1);
    // The same code again (a forced refresh, or another process): AWS takes each code once, and the
    // error says so instead of leaving "invalid MFA one time pass code" to puzzle over.
    const again = await h().rolecall(['credential-process', 'alice-mfa', '--mfa-code', code, '--force-refresh']);
    expect(again).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "rolecall: profile 'alice-mfa': sts:GetSessionToken: AWS refused the MFA code: each code works once, and this one was already used (or is not the device's current code); wait for the next code from the MFA device and try again\n",
    });
    expect(h().sandbox.knobs.count('sts:GetSessionToken')).toBe(2);
  });

  it('fails with one line on stderr and nothing on stdout', async () => {
    const cases: [string[], number, string][] = [
      [['credential-process', 'nope'], 1, "rolecall: profile 'nope' does not exist; run: rolecall list\n"],
      [['credential-process'], 2, 'rolecall: a profile is required: rolecall credential-process --profile NAME\n'],
      [['credential-process', 'a;b'], 2, expect.stringMatching(/^rolecall: invalid profile name "a;b": a profile name is 1-128 characters[^\n]*\n$/) as unknown as string],
      [['credential-process', 'x', '--profile', 'y'], 2, "rolecall: two profiles given ('x' and --profile 'y'); give one\n"],
      [['credential-process', 'x', '--mfa-code', '12ab'], 2, 'rolecall: --mfa-code: an MFA code is 6 digits\n'],
      [['credential-process', 'x', '--bogus'], 2, "rolecall: unknown option '--bogus'\n"],
    ];
    for (const [args, code, stderr] of cases) {
      const r = await h().rolecall(args);
      expect({ args, ...r }).toEqual({ args, code, stdout: '', stderr });
    }
  });

  it('reports an STS refusal from the sandbox as one line', async () => {
    expect((await h().rolecall(['profile', 'add', 'prod/Deployer', '--source', 'alice', '--role-arn', 'arn:aws:iam::777788889999:role/Deployer'])).code).toBe(0);
    const r = await h().rolecall(['credential-process', 'prod/Deployer']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^rolecall: [^\n]*prod\/Deployer[^\n]*\n$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
