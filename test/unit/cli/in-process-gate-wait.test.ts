// The cold path's gate while another caller holds it: a caller behind another's refresh (which may
// be an Identity Center sign-in, up to 10 minutes in the browser) waits for it, longer than a
// lock's usual 30 s, and then takes its session without building a core; callers with other AWS
// settings do not wait. The core is a stand-in whose refresh ends when the test says; the clock
// is faked (Date only: the lock's polling still runs on real timers) so minutes pass at once.
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Credentials } from '../../../src-shared/profile';
import { inProcessCredentials } from '../../../src-main/cli/hot/in-process';
import type { CliIO } from '../../../src-main/cli/output';
import type { CredentialRequest } from '../../../src-main/core/broker/types';

const core = vi.hoisted(() => ({
  built: 0,
  refreshes: [] as { profile: string; request: CredentialRequest; done: (c: Credentials) => void }[],
}));
vi.mock(import('../../../src-main/cli/core-factory'), () => ({
  createCliCore: async () => {
    core.built++;
    return {
      broker: {
        credentials: (profile: string, request: CredentialRequest) => new Promise<Credentials>((done) => core.refreshes.push({ profile, request, done })),
      },
    } as never;
  },
}));

const refreshed: Credentials = { accessKeyId: 'ASIAREFRESHED', secretAccessKey: 's', sessionToken: 't', expiration: new Date('2030-01-01T13:00:00Z') };
const minutes = (n: number) => n * 60_000;
const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));
const until = async (what: () => boolean) => {
  for (let i = 0; i < 500 && !what(); i++) await tick(10);
  expect(what()).toBe(true);
};

let home: string;
let locksDir: string;
/** What another process stored in the keychain (the broker's session cache). */
let stored: Credentials | undefined;
const io = (env: NodeJS.ProcessEnv = {}): CliIO => ({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: { ROLECALL_HOME: home, HOME: home, ...env } });
const ask = (env?: NodeJS.ProcessEnv) => inProcessCredentials(io(env), { locksDir }, 'dev', {}, () => stored);
/** A promise's outcome so far, without waiting for it. */
const watch = <T>(p: Promise<T>) => {
  const seen: { value?: T; error?: unknown; settled: boolean } = { settled: false };
  p.then(
    (value) => Object.assign(seen, { value, settled: true }),
    (error: unknown) => Object.assign(seen, { error, settled: true }),
  );
  return seen;
};
/** The holder keeps its gate fresh (its heartbeat) while the faked clock jumps ahead of the file's mtime. */
const keepFresh = async () => {
  const gates = (await readdir(locksDir)).filter((f) => f.endsWith('.lock'));
  expect(gates).toHaveLength(1);
  const later = new Date(Date.now() + minutes(60));
  await utimes(path.join(locksDir, gates[0] as string), later, later);
};

beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'rc-gate-wait-'));
  locksDir = path.join(home, 'locks');
  stored = undefined;
  core.built = 0;
  core.refreshes = [];
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(async () => {
  vi.useRealTimers();
  for (const r of core.refreshes) r.done(refreshed);
  await tick(50);
  await rm(home, { recursive: true, force: true });
});

describe("inProcessCredentials behind another caller's refresh", () => {
  it('waits past 30 s (an Identity Center sign-in takes minutes) and then takes the session it stored, building no core', async () => {
    const first = watch(ask());
    await until(() => core.refreshes.length === 1);
    const second = watch(ask());
    await tick(100);
    await keepFresh();
    vi.setSystemTime(Date.now() + minutes(5));
    await tick(400);
    expect(second.settled).toBe(false);

    stored = refreshed;
    core.refreshes[0]?.done(refreshed);
    await until(() => second.settled);
    expect(second.value).toEqual(refreshed);
    expect(first.value).toEqual(refreshed);
    expect(core.built).toBe(1);
  });

  it('gives up after 11 minutes, saying which lock it waited for', async () => {
    watch(ask());
    await until(() => core.refreshes.length === 1);
    const second = watch(ask());
    await tick(100);
    await keepFresh();
    vi.setSystemTime(Date.now() + minutes(11) + 1_000);
    await until(() => second.settled);
    expect(second.error).toMatchObject({ name: 'RolecallError', code: 'timeout', message: expect.stringMatching(/^Timed out after 660s waiting for the lock .*\.lock \(held by process \d+ on /) });
    expect(core.built).toBe(1);
  });

  it('does not hold up a caller with other AWS settings (another session), nor one of another profile', async () => {
    watch(ask());
    await until(() => core.refreshes.length === 1);
    watch(ask({ AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1' }));
    await until(() => core.refreshes.length === 2);
    watch(inProcessCredentials(io(), { locksDir }, 'prod', {}, () => undefined));
    await until(() => core.refreshes.length === 3);
    expect(core.refreshes.map((r) => r.profile)).toEqual(['dev', 'dev', 'prod']);
  });
});
