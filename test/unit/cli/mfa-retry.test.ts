// credential-process asks a person at a terminal for an MFA code once, when a hop needs one,
// and tries again with it; everywhere else (no TTY, a code already given, another error) the
// first error stands.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { withMfaRetry, type CredentialProcessArgs } from '../../../src-main/cli/hot/credential-process';
import type { CliIO } from '../../../src-main/cli/output';
import { RolecallError } from '../../../src-main/core/errors';

function io(tty: boolean): CliIO & { typed(line: string): void; shown(): string } {
  const stdin = Object.assign(new PassThrough(), { isTTY: tty });
  const stderr = Object.assign(new PassThrough(), { isTTY: tty });
  let shown = '';
  stderr.on('data', (d: Buffer) => (shown += d.toString()));
  return { stdin, stderr, stdout: new PassThrough(), env: {}, typed: (line) => void stdin.write(line), shown: () => shown };
}

const needsCode = () => new RolecallError("profile 'dev' needs an MFA code from arn:aws:iam::1:mfa/a", 'mfa-required', 'pass --mfa-code CODE');

describe('withMfaRetry', () => {
  it('asks once at a terminal and tries again with the code typed', async () => {
    const t = io(true);
    const calls: CredentialProcessArgs[] = [];
    const run = withMfaRetry(t, { profile: 'dev' }, async (r) => {
      calls.push(r);
      if (!r.mfaCode) throw needsCode();
      return 'credentials';
    });
    setTimeout(() => t.typed('123456\n'), 20);
    expect(await run).toBe('credentials');
    expect(calls).toEqual([{ profile: 'dev' }, { profile: 'dev', mfaCode: '123456' }]);
    expect(t.shown()).toContain("MFA code for profile 'dev': ");
  });

  it('refuses a typed code that is not 6 digits, without trying again', async () => {
    const t = io(true);
    let calls = 0;
    const run = withMfaRetry(t, { profile: 'dev' }, async () => {
      calls++;
      throw needsCode();
    });
    setTimeout(() => t.typed('12ab\n'), 20);
    await expect(run).rejects.toMatchObject({ message: 'an MFA code is 6 digits', code: 'invalid-input' });
    expect(calls).toBe(1);
  });

  it.each<[string, boolean, CredentialProcessArgs, () => unknown]>([
    ['without a terminal', false, { profile: 'dev' }, needsCode],
    ['when a code was given already', true, { profile: 'dev', mfaCode: '654321' }, needsCode],
    ['for any other error', true, { profile: 'dev' }, () => new RolecallError('AccessDenied', 'access-denied')],
    ['for an error that is not a RolecallError', true, { profile: 'dev' }, () => new Error('boom')],
  ])('lets the first error stand %s, asking nothing', async (_what, tty, req, error) => {
    const t = io(tty);
    let calls = 0;
    const thrown = error();
    await expect(
      withMfaRetry(t, req, async () => {
        calls++;
        throw thrown;
      }),
    ).rejects.toBe(thrown);
    expect(calls).toBe(1);
    expect(t.shown()).toBe('');
  });

  it('takes an error that crossed the agent socket (a plain Error named RolecallError) for what it is', async () => {
    const t = io(true);
    const wire = Object.assign(new Error("profile 'dev' needs an MFA code"), { name: 'RolecallError', code: 'mfa-required' });
    const run = withMfaRetry(t, { profile: 'dev' }, async (r) => {
      if (!r.mfaCode) throw wire;
      return r.mfaCode;
    });
    setTimeout(() => t.typed('111111\n'), 20);
    expect(await run).toBe('111111');
  });
});
