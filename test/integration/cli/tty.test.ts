// At a terminal: the secret access key is asked without echo, and an MFA code is asked for when
// a hop needs one. Node has no pseudo-terminal of its own, so Python's pty module plays the
// person at the keyboard: it waits for each prompt, then types the answer.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mfaCode } from '../../helpers/harness';
import { ALICE_KEY, ALICE_MFA, parseJson, useCliHarness } from './harness';

const DRIVER = `
import json, os, pty, select, sys, time
spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(spec['argv'][0], spec['argv'], spec['env'])
out = b''
def read_until(text, seconds):
    global out
    end = time.time() + seconds
    while time.time() < end and (text is None or text.encode() not in out):
        if select.select([fd], [], [], 0.05)[0]:
            try:
                data = os.read(fd, 4096)
            except OSError:
                return
            if not data:
                return
            out += data
for step in spec['steps']:
    read_until(step['after'], 20)
    os.write(fd, (step['type'] + '\\r').encode())
read_until('\\x00', 20)
_, status = os.waitpid(pid, 0)
print(json.dumps({'code': os.waitstatus_to_exitcode(status), 'screen': out.decode()}))
`;

const h = useCliHarness();

/** Runs rolecall on a terminal; with stdoutTo, its stdout goes to that file instead (as when a program reads it). */
async function atTerminal(args: string[], steps: { after: string; type: string }[], o: { stdoutTo?: string } = {}): Promise<{ code: number; screen: string }> {
  const python = process.env.ROLECALL_TEST_PYTHON || 'python3';
  const argv = [process.execPath, h().script, ...args];
  const spec = { argv: o.stdoutTo ? ['sh', '-c', 'out="$1"; shift; exec "$@" > "$out"', 'sh', o.stdoutTo, ...argv] : argv, env: h().env, steps };
  const r = await h().run(python, ['-c', DRIVER, JSON.stringify(spec)], { timeoutMs: 60_000 });
  expect(r.stderr).toBe('');
  const out = parseJson<{ code: number; screen: string }>(r.stdout);
  // What a person reads: readline's cursor controls and the terminal's CR before LF removed.
  // eslint-disable-next-line no-control-regex -- ANSI escape sequences are what it removes
  return { ...out, screen: out.screen.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r+\n/g, '\n') };
}

describe('rolecall at a terminal', () => {
  it('asks for the secret access key without echoing it', async () => {
    const r = await atTerminal(['iam-user', 'add', 'alice', '--access-key-id', ALICE_KEY.accessKeyId, '--mfa-serial', ALICE_MFA], [
      { after: `Secret access key for ${ALICE_KEY.accessKeyId}: `, type: ALICE_KEY.secretAccessKey },
    ]);
    expect(r.code).toBe(0);
    expect(r.screen).toBe(`Secret access key for ${ALICE_KEY.accessKeyId}: \nAdded IAM user profile 'alice' (secret key in the OS keychain)\n`);
    // Not echoed, and it works: the next test step uses it.
    const prompt = `MFA code for profile 'alice' (${ALICE_MFA}): `;
    const code = mfaCode(h().sandbox, ALICE_MFA);
    const env = await atTerminal(['env', 'alice', '--format', 'json'], [{ after: prompt, type: code }]);
    expect(env.code).toBe(0);
    expect(env.screen.startsWith(`${prompt}${code}\n{`)).toBe(true);
    const vars = JSON.parse(env.screen.slice(env.screen.indexOf('{'))) as Record<string, string>;
    expect(vars.AWS_SESSION_TOKEN).toMatch(/^IQoJb3JpZ2luX2Vj/);
    expect(h().sandbox.knobs.count('sts:GetSessionToken')).toBe(1);
  });

  it('credential-process asks for an MFA code on the terminal (stderr), keeping stdout for the JSON', async () => {
    await h().rolecall(['iam-user', 'add', 'alice', '--access-key-id', ALICE_KEY.accessKeyId, '--mfa-serial', ALICE_MFA], { input: ALICE_KEY.secretAccessKey });
    const prompt = "MFA code for profile 'alice': ";
    const code = mfaCode(h().sandbox, ALICE_MFA);
    const stdoutFile = path.join(h().home, 'stdout.json');
    const r = await atTerminal(['credential-process', 'alice'], [{ after: prompt, type: code }], { stdoutTo: stdoutFile });
    expect(r).toEqual({ code: 0, screen: `${prompt}${code}\n` });
    expect(JSON.parse(await readFile(stdoutFile, 'utf8'))).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/), SessionToken: expect.any(String) });
  });

  it('asks for the next MFA code when AWS refuses one already used', async () => {
    await h().rolecall(['iam-user', 'add', 'alice', '--access-key-id', ALICE_KEY.accessKeyId, '--mfa-serial', ALICE_MFA], { input: ALICE_KEY.secretAccessKey });
    const used = mfaCode(h().sandbox, ALICE_MFA);
    // Spent by another process a moment ago.
    expect((await h().rolecall(['credential-process', 'alice', '--mfa-code', used], { secretOutput: true })).code).toBe(0);
    const told = 'rolecall: AWS refused that MFA code: each code works once, and it was already used; enter the next one\n';
    const prompt = "MFA code for profile 'alice': ";
    const next = mfaCode(h().sandbox, ALICE_MFA);
    const stdoutFile = path.join(h().home, 'stdout.json');
    const r = await atTerminal(['credential-process', 'alice', '--mfa-code', used, '--force-refresh'], [{ after: prompt, type: next }], { stdoutTo: stdoutFile });
    expect(r).toEqual({ code: 0, screen: `${told}${prompt}${next}\n` });
    expect(JSON.parse(await readFile(stdoutFile, 'utf8'))).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) });
    expect(h().sandbox.knobs.count('sts:GetSessionToken')).toBe(3);
  });
});
