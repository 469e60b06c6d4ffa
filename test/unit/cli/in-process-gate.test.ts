// The cold path's gate (inProcessCredentials): a caller that passes the gate after another process
// refreshed the session takes that session without loading the core, unless it asked for new
// credentials (--force-refresh); and the core it builds never waits on a person at the terminal.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inProcessCredentials } from '../../../src-main/cli/hot/in-process';
import type { CliIO } from '../../../src-main/cli/output';
import { createCore } from '../../../src-main/core/core';
import { iamUserEntryName } from '../../../src-main/core/secrets/keychain-layout';

let home: string;
let io: CliIO;
const cached = { accessKeyId: 'ASIACACHED', secretAccessKey: 's', sessionToken: 't', expiration: new Date('2030-01-01T13:00:00Z') };

beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'rc-gate-'));
  // An empty Rolecall home: whatever the core is asked, it answers "no such profile".
  io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: { ROLECALL_HOME: home, HOME: home } };
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('inProcessCredentials (the cold path\'s gate)', () => {
  it('serves the session another process stored meanwhile, read once through the gate, without the core', async () => {
    const locksDir = path.join(home, 'locks');
    let reads = 0;
    const creds = await inProcessCredentials(io, { locksDir }, 'dev', {}, () => (reads++, cached));
    expect(creds).toEqual(cached);
    expect(reads).toBe(1);
    // The gate is released.
    expect(await readdir(locksDir)).toEqual([]);
  });

  it('asks the core for new credentials on --force-refresh, whatever the keychain holds', async () => {
    const err = await inProcessCredentials(io, { locksDir: path.join(home, 'locks') }, 'dev', { forceRefresh: true }, () => cached).catch((e) => e);
    expect(err).toMatchObject({ name: 'RolecallError', code: 'not-found', message: expect.stringContaining("'dev'") });
  });

  it('does not ask at the terminal inside the gate: it says a code is needed (credential-process asks, outside the gate, and tries again)', async () => {
    // A profile whose key needs an MFA code, and a person at a terminal. Prompting here would hold
    // every other caller of the profile at the gate while the person types. Needs a keychain
    // (build/with-keyring.sh) for the key; no AWS call is made before the code is asked for.
    const env = { ...io.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_REGION: 'us-east-1' };
    const setup = await createCore({ env });
    await setup.state.update((s) => {
      s.profiles.push({ name: 'dev', kind: 'iam-user', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', mfaSerial: 'arn:aws:iam::123456789012:mfa/me' });
    });
    await setup.secrets.set(iamUserEntryName('dev'), JSON.stringify({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }));
    try {
      const stdin = Object.assign(new PassThrough(), { isTTY: true });
      const stderr = Object.assign(new PassThrough(), { isTTY: true });
      let shown = '';
      stderr.on('data', (d: Buffer) => (shown += d.toString()));
      // Typed ahead: a prompt, if one were shown, would take it.
      stdin.write('123456\n');
      const err = await inProcessCredentials({ ...io, env, stdin, stderr }, { locksDir: path.join(home, 'locks') }, 'dev', {}, () => undefined).catch((e) => e);
      expect(err).toMatchObject({ name: 'RolecallError', code: 'mfa-required', message: "profile 'dev' needs an MFA code from arn:aws:iam::123456789012:mfa/me" });
      expect(shown).toBe('');
    } finally {
      await setup.secrets.delete(iamUserEntryName('dev'));
    }
  });
});
