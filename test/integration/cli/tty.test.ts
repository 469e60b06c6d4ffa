// At a terminal: the secret access key is asked without echo, and an MFA code is asked for when
// a hop needs one, as a person at the keyboard sees it (the pty driver is ./terminal.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mfaCode } from '../../helpers/harness';
import { ALICE_KEY, ALICE_MFA, useCliHarness } from './harness';
import { atTerminal } from './terminal';

const h = useCliHarness();

describe('rolecall at a terminal', () => {
  it('asks for the secret access key without echoing it', async () => {
    const r = await atTerminal(h(), ['iam-user', 'add', 'alice', '--access-key-id', ALICE_KEY.accessKeyId, '--mfa-serial', ALICE_MFA], [
      { after: `Secret access key for ${ALICE_KEY.accessKeyId}: `, type: ALICE_KEY.secretAccessKey },
    ]);
    expect(r.code).toBe(0);
    expect(r.screen).toBe(`Secret access key for ${ALICE_KEY.accessKeyId}: \nAdded IAM user profile 'alice' (secret key in the OS keychain)\n`);
    // Not echoed, and it works: the next test step uses it.
    const prompt = `MFA code for profile 'alice' (${ALICE_MFA}): `;
    const code = mfaCode(h().sandbox, ALICE_MFA);
    const env = await atTerminal(h(), ['env', 'alice', '--format', 'json'], [{ after: prompt, type: code }]);
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
    const r = await atTerminal(h(), ['credential-process', 'alice'], [{ after: prompt, type: code }], { stdoutTo: stdoutFile });
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
    const r = await atTerminal(h(), ['credential-process', 'alice', '--mfa-code', used, '--force-refresh'], [{ after: prompt, type: next }], { stdoutTo: stdoutFile });
    expect(r).toEqual({ code: 0, screen: `${told}${prompt}${next}\n` });
    expect(JSON.parse(await readFile(stdoutFile, 'utf8'))).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) });
    expect(h().sandbox.knobs.count('sts:GetSessionToken')).toBe(3);
  });
});
