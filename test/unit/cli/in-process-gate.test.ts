// The cold path's gate (inProcessCredentials): a caller that passes the gate after another process
// refreshed the session takes that session without loading the core, unless it asked for new
// credentials (--force-refresh).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inProcessCredentials } from '../../../src-main/cli/hot/in-process';
import type { CliIO } from '../../../src-main/cli/output';

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
});
