// The broker's waits and timers, fast: a frozen broker clock (its `now` option) instead of waiting
// out refresh windows, a short call budget so an STS that hangs is an outage in a fraction of a
// second (instead of the SDK's retries of a 503), and lock files written as another process
// would hold them. broker-outage.test.ts tells the same story in real time, end to end.
import { utimes, writeFile, unlink } from 'node:fs/promises';
import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Profile } from '../../../src-shared/profile';
import type { Broker, BrokerOptions } from '../../../src-main/core/broker/broker';
import { writeCachedSession } from '../../../src-main/core/broker/session-cache';
import { MANDATORY_REFRESH_MS } from '../../../src-main/core/broker/outage';
import { awsCallerSettings, awsSettingsKey } from '../../../src-main/core/aws/caller-settings';
import { lockFileFor } from '../../../src-main/core/lock';
import { sessionScope } from '../../../src-main/core/secrets/keychain-layout';
import { mfaCode } from '../../helpers/harness';
import { ALICE_MFA, sharedParentOrg, sharedParentProfiles, startMemoryHarness, failure, type MemoryHarness } from '../../helpers/memory-harness';

const [alice, readOnly] = sharedParentProfiles as [Profile, Profile];
const PROFILE = 'dev/ReadOnly';
/** Every AssumeRole hangs: with a 400 ms budget, each refresh ends in 'no answer in time'. */
const HANG = { faults: [{ operation: 'sts:AssumeRole', kind: 'hang' as const, count: 100_000 }] };
const BUDGET_MS = 400;
/** A background retry 15 to 30 s away: scheduled (it fits before the mandatory window) but never due within a test. */
const NO_RETRY = { firstDelayMs: 30_000, maxDelayMs: 30_000 };

let h: MemoryHarness;
let clock: number;
const brokers: Broker[] = [];
const assumeCalls = () => h.sandbox.knobs.count('sts:AssumeRole');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function broker(o: Partial<BrokerOptions> = {}): Broker {
  const b = h.newBroker({ now: () => clock, callBudgetMs: BUDGET_MS, outageRetry: NO_RETRY, ...o });
  brokers.push(b);
  return b;
}

async function until(what: () => boolean, ms = 5000): Promise<void> {
  for (let waited = 0; waited < ms && !what(); waited += 20) await sleep(20);
  expect(what()).toBe(true);
}

/** Its first session, then the clock moved to `left` ms before that session expires, with STS hanging. */
async function outageWith(b: Broker, left: number): Promise<{ expiration: Date; accessKeyId: string }> {
  const first = await b.credentials(PROFILE);
  clock = first.expiration!.getTime() - left;
  h.sandbox.knobs.set(HANG);
  return { expiration: first.expiration!, accessKeyId: first.accessKeyId };
}

beforeEach(async () => {
  clock = Date.now();
  h = await startMemoryHarness({ org: sharedParentOrg() });
  await h.addProfiles(alice, readOnly);
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const b of brokers.splice(0)) b.close();
  await h.close();
});

describe('an STS that does not answer during a refresh', () => {
  it('serves the current session while more than the mandatory 10 minutes are left, and later callers without another STS call', async () => {
    const b = broker();
    const first = await outageWith(b, MANDATORY_REFRESH_MS + 60_000);
    const told: string[] = [];
    const served = await b.credentials(PROFILE, { onNotice: (m) => told.push(m) });
    expect(served.accessKeyId).toBe(first.accessKeyId);
    expect(told).toEqual([expect.stringMatching(/^AWS STS could not refresh 'dev\/ReadOnly' \(no answer in time\); serving the current session, valid until \d\d:\d\d \(11 min\); retrying in the background$/)]);
    const calls = assumeCalls();
    const again: string[] = [];
    expect((await b.credentials(PROFILE, { onNotice: (m) => again.push(m) })).accessKeyId).toBe(first.accessKeyId);
    expect(again).toEqual(told);
    expect(assumeCalls()).toBe(calls);
  });

  it('fails at exactly 10 minutes left: too soon to serve it instead', async () => {
    const b = broker();
    await outageWith(b, MANDATORY_REFRESH_MS);
    const told: string[] = [];
    const e = await failure(b.credentials(PROFILE, { onNotice: (m) => told.push(m) }));
    expect(e.message).toMatch(/^AWS STS could not refresh 'dev\/ReadOnly' \(no answer in time\), and its current session ends at \d\d:\d\d \(10 min\): too soon to serve it instead$/);
    expect(e.code).toBe('timeout');
    expect(e.hint).toBe('try again shortly; if it persists, check the network or the AWS_ENDPOINT_URL settings');
    expect(told).toEqual([]);
  });

  it('fails for a session that has ended, with the error as it is', async () => {
    const b = broker();
    await outageWith(b, 0);
    const e = await failure(b.credentials(PROFILE));
    expect(e.message).toMatch(/^AWS STS at \S+ did not answer within 0 s \(sts:AssumeRole\)$/);
  });

  it('serves from the keychain what another process holds, when this one has nothing in memory', async () => {
    const first = await outageWith(broker(), MANDATORY_REFRESH_MS + 60_000);
    const other = broker();
    expect((await other.credentials(PROFILE)).accessKeyId).toBe(first.accessKeyId);
    // Held in memory from then on, like a session of its own: the next caller is served at once.
    const calls = assumeCalls();
    expect((await other.credentials(PROFILE)).accessKeyId).toBe(first.accessKeyId);
    expect(assumeCalls()).toBe(calls);
  });

  it('stops serving the held session once the clock reaches the mandatory window', async () => {
    const b = broker();
    const first = await outageWith(b, MANDATORY_REFRESH_MS + 60_000);
    await b.credentials(PROFILE);
    clock = first.expiration.getTime() - MANDATORY_REFRESH_MS;
    const calls = assumeCalls();
    const e = await failure(b.credentials(PROFILE));
    expect(e.message).toMatch(/too soon to serve it instead$/);
    expect(assumeCalls()).toBeGreaterThan(calls);
  });

  it('fails a forced refresh, naming the session that is still there, keeping its code and hint', async () => {
    const b = broker();
    const first = await outageWith(b, MANDATORY_REFRESH_MS + 60_000);
    const e = await failure(b.credentials(PROFILE, { forceRefresh: true }));
    expect(e.message).toMatch(/^a forced refresh of 'dev\/ReadOnly' failed, so no new credentials: AWS STS at \S+ did not answer within 0 s \(sts:AssumeRole\)/);
    expect(e.code).toBe('timeout');
    expect(e.hint).toMatch(/^the current session, valid until \d\d:\d\d \(11 min\), is served without a forced refresh$/);
    expect((await b.credentials(PROFILE)).accessKeyId).toBe(first.accessKeyId);
  });

  it('asks STS again on the next request when no background retry fits before the mandatory window', async () => {
    // 10 minutes and 1 second left: served, but the first retry (at least 2.5 s away) would land inside the window.
    const b = broker({ outageRetry: { firstDelayMs: 5000, maxDelayMs: 5000 } });
    const first = await outageWith(b, MANDATORY_REFRESH_MS + 1000);
    expect((await b.credentials(PROFILE)).accessKeyId).toBe(first.accessKeyId);
    const calls = assumeCalls();
    expect((await b.credentials(PROFILE)).accessKeyId).toBe(first.accessKeyId);
    expect(assumeCalls()).toBeGreaterThan(calls);
  });
});

describe('a forced refresh at the same moment as a plain request', () => {
  it('gets new credentials, not the session the plain request is served from the keychain', async () => {
    const first = await broker().credentials(PROFILE);
    const b = broker();
    const [plain, forced] = await Promise.all([b.credentials(PROFILE), b.credentials(PROFILE, { forceRefresh: true })]);
    expect(plain.accessKeyId).toBe(first.accessKeyId);
    expect(forced.accessKeyId).not.toBe(first.accessKeyId);
    expect(assumeCalls()).toBe(2);
  });
});

describe('a refusal after an outage', () => {
  it('ends the outage: once a forced refresh is refused, no caller is served the old session', async () => {
    const b = broker();
    await outageWith(b, MANDATORY_REFRESH_MS + 60_000);
    await b.credentials(PROFILE);
    h.sandbox.knobs.set({});
    const role = h.sandbox.state.org.roles.find((r) => r.accountId === '444455556666' && r.name === 'ReadOnly')!;
    role.trustPolicy = { Version: '2012-10-17', Statement: [] };
    expect((await failure(b.credentials(PROFILE, { forceRefresh: true }))).code).toBe('access-denied');
    expect((await failure(b.credentials(PROFILE))).code).toBe('access-denied');
  });
});

describe('the background retry', () => {
  const FAST = { firstDelayMs: 100, maxDelayMs: 200 };

  it('refreshes the session when STS answers again, says so, and stops', async () => {
    const b = broker({ outageRetry: FAST });
    const first = await outageWith(b, MANDATORY_REFRESH_MS + 60_000);
    await b.credentials(PROFILE);
    const calls = assumeCalls();
    h.sandbox.knobs.set({});
    await until(() => h.notices.length >= 2);
    expect(h.notices[1]).toMatch(/^refreshed 'dev\/ReadOnly' in the background after AWS STS could not refresh 'dev\/ReadOnly' \(no answer in time\): valid until \d\d:\d\d \(\d+ min\)$/);
    expect(assumeCalls()).toBe(calls + 1);
    const told: string[] = [];
    const now = await b.credentials(PROFILE, { onNotice: (m) => told.push(m) });
    expect(now.accessKeyId).not.toBe(first.accessKeyId);
    expect(told).toEqual([]);
    await sleep(500);
    expect(assumeCalls()).toBe(calls + 1);
  });

  it('keeps retrying while STS still does not answer, one retry at a time', async () => {
    const b = broker({ outageRetry: FAST });
    await outageWith(b, MANDATORY_REFRESH_MS + 60_000);
    await b.credentials(PROFILE);
    const calls = assumeCalls();
    // Each retry waits 50 to 200 ms, then its call hangs for the 400 ms budget.
    await sleep(2000);
    const retries = assumeCalls() - calls;
    expect(retries).toBeGreaterThanOrEqual(2);
    expect(retries).toBeLessThanOrEqual(2000 / BUDGET_MS + 1);
    // Each failed retry is neither taken for a refresh nor for the end of the outage.
    expect(h.notices.filter((n) => !n.includes('; serving the current session'))).toEqual([]);
    // When STS answers again, the notice names the latest failure.
    h.sandbox.knobs.set({});
    await until(() => h.notices.length >= 2);
    expect(h.notices[1]).toMatch(/^refreshed 'dev\/ReadOnly' in the background after AWS STS could not refresh 'dev\/ReadOnly' \(no answer in time\): /);
  });

  it('serves, retries and stops for a face without a notice sink, without an error', async () => {
    const b = broker({ outageRetry: FAST, onNotice: undefined });
    const first = await outageWith(b, MANDATORY_REFRESH_MS + 60_000);
    expect((await b.credentials(PROFILE)).accessKeyId).toBe(first.accessKeyId);
    const calls = assumeCalls();
    await until(() => assumeCalls() > calls);
    const role = h.sandbox.state.org.roles.find((r) => r.accountId === '444455556666' && r.name === 'ReadOnly')!;
    role.trustPolicy = { Version: '2012-10-17', Statement: [] };
    h.sandbox.knobs.set({});
    await sleep(800);
    expect((await failure(b.credentials(PROFILE))).code).toBe('access-denied');
  });

  it('stops, saying why, when STS refuses', async () => {
    const b = broker({ outageRetry: FAST });
    await outageWith(b, MANDATORY_REFRESH_MS + 60_000);
    await b.credentials(PROFILE);
    const role = h.sandbox.state.org.roles.find((r) => r.accountId === '444455556666' && r.name === 'ReadOnly')!;
    role.trustPolicy = { Version: '2012-10-17', Statement: [] };
    h.sandbox.knobs.set({});
    await until(() => h.notices.length >= 2);
    expect(h.notices[1]).toMatch(/^stopped retrying 'dev\/ReadOnly' in the background: sts:AssumeRole failed: AccessDenied: /);
    const calls = assumeCalls();
    await sleep(500);
    expect(assumeCalls()).toBe(calls);
    // And the next caller is refused too, not served the old session.
    expect((await failure(b.credentials(PROFILE))).code).toBe('access-denied');
  });

  it('never prompts for an MFA code: with nobody to ask, it stops and says the hop needs one', async () => {
    const developer: Profile = { name: 'dev/Developer', kind: 'assume-role', sourceProfile: 'alice', roleArn: 'arn:aws:iam::444455556666:role/Developer', mfaSerial: ALICE_MFA };
    await h.addProfiles(developer);
    const asked: string[] = [];
    const b = broker({ outageRetry: FAST, promptMfa: async (q) => (asked.push(q.profile), mfaCode(h.sandbox, q.serialNumber)) });
    const first = await b.credentials('dev/Developer');
    expect(asked).toEqual(['dev/Developer']);
    clock = first.expiration!.getTime() - MANDATORY_REFRESH_MS - 60_000;
    h.sandbox.knobs.set(HANG);
    // The person is here: asked for a code, then served the held session when STS does not answer.
    expect((await b.credentials('dev/Developer')).accessKeyId).toBe(first.accessKeyId);
    expect(asked).toEqual(['dev/Developer', 'dev/Developer']);
    h.sandbox.knobs.set({});
    await until(() => h.notices.some((n) => n.startsWith('stopped retrying')));
    expect(h.notices.at(-1)).toBe(`stopped retrying 'dev/Developer' in the background: profile 'dev/Developer' needs an MFA code from ${ALICE_MFA}; pass --mfa-code CODE`);
    expect(asked).toHaveLength(2);
  });

  it.each([
    ['close()', (b: Broker) => b.close()],
    ['forget()', (b: Broker) => b.forget(PROFILE)],
  ])('ends with %s, however many callers were served meanwhile', async (_what, end) => {
    const b = broker({ outageRetry: FAST });
    await outageWith(b, MANDATORY_REFRESH_MS + 60_000);
    await Promise.all([b.credentials(PROFILE), b.credentials(PROFILE), b.credentials(PROFILE)]);
    await end(b);
    const calls = assumeCalls();
    h.sandbox.knobs.set({});
    await sleep(800);
    expect(assumeCalls()).toBe(calls);
  });

  it('leaves the outage behind once it has refreshed: when the new session is due, the next caller refreshes it', async () => {
    const b = broker({ outageRetry: FAST });
    await outageWith(b, MANDATORY_REFRESH_MS + 60_000);
    await b.credentials(PROFILE);
    h.sandbox.knobs.set({});
    await until(() => h.notices.length >= 2);
    const renewed = await b.credentials(PROFILE);
    clock = renewed.expiration!.getTime() - 5 * 60_000;
    const calls = assumeCalls();
    const told: string[] = [];
    const next = await b.credentials(PROFILE, { onNotice: (m) => told.push(m) });
    expect(next.accessKeyId).not.toBe(renewed.accessKeyId);
    expect(assumeCalls()).toBe(calls + 1);
    expect(told).toEqual([]);
  });

  it('takes up what another process refreshed meanwhile (from the keychain, no STS call), and the outage ends there', async () => {
    const b = broker({ outageRetry: FAST });
    await outageWith(b, MANDATORY_REFRESH_MS + 60_000);
    await b.credentials(PROFILE);
    const calls = assumeCalls();
    // Fresh on the broker's clock, which is 49 minutes ahead.
    const expiration = new Date(clock + 3600_000);
    const held = { accessKeyId: 'ASIAFROMOTHERPROCESS', secretAccessKey: 'secret-of-the-other', sessionToken: 'token-of-the-other', expiration, credentialType: 'role' as const };
    await writeCachedSession(h.secrets, PROFILE, awsSettingsKey(awsCallerSettings(h.env)), { result: held, refreshAt: new Date(expiration.getTime() - 900_000) });
    await until(() => h.notices.length >= 2);
    expect(h.notices[1]).toMatch(/^refreshed 'dev\/ReadOnly' in the background after /);
    expect(assumeCalls()).toBe(calls);
    expect((await b.credentials(PROFILE)).accessKeyId).toBe('ASIAFROMOTHERPROCESS');
    // That session due in turn, with STS back: refreshed, not served as if the outage went on.
    h.sandbox.knobs.set({});
    clock = expiration.getTime() - 5 * 60_000;
    const next = await b.credentials(PROFILE);
    expect(next.accessKeyId).not.toBe('ASIAFROMOTHERPROCESS');
    expect(assumeCalls()).toBe(calls + 1);
  });

  it('ends when forgotten while a retry is on its way: that retry\'s failure schedules no other', async () => {
    const b = broker({ outageRetry: FAST });
    await outageWith(b, MANDATORY_REFRESH_MS + 60_000);
    await b.credentials(PROFILE);
    const calls = assumeCalls();
    await until(() => assumeCalls() > calls);
    await b.forget(PROFILE);
    const after = assumeCalls();
    await sleep(1500);
    expect(assumeCalls()).toBe(after);
  });

  it('gives up at the mandatory window (a laptop that slept), leaving the next caller to try itself', async () => {
    const b = broker({ outageRetry: FAST });
    const first = await outageWith(b, MANDATORY_REFRESH_MS + 60_000);
    await b.credentials(PROFILE);
    clock = first.expiration.getTime() - MANDATORY_REFRESH_MS;
    const calls = assumeCalls();
    await sleep(600);
    expect(assumeCalls()).toBe(calls);
    expect((await failure(b.credentials(PROFILE))).message).toMatch(/too soon to serve it instead$/);
  });
});

describe('the live sessions a face lists', () => {
  const settingsKey = () => awsSettingsKey(awsCallerSettings(h.env));
  const entry = (accessKeyId: string, expiration: Date) => ({
    result: { accessKeyId, secretAccessKey: 's', sessionToken: 't', expiration, credentialType: 'role' as const },
    refreshAt: new Date(expiration.getTime() - 900_000),
  });

  it('include those another process issued, which this broker never held', async () => {
    const issued = await broker().credentials(PROFILE);
    expect((await broker().sessions()).map((s) => [s.profile, s.expiration])).toEqual([[PROFILE, issued.expiration]]);
  });

  it("show what another process refreshed once this broker's own copy is due, and its own copy while it is not", async () => {
    const b = broker();
    const own = await b.credentials(PROFILE);
    const newer = new Date(own.expiration!.getTime() + 1800_000);
    await writeCachedSession(h.secrets, PROFILE, settingsKey(), entry('ASIANEWER', newer));
    expect((await b.sessions()).map((s) => s.expiration)).toEqual([own.expiration]);
    clock = own.expiration!.getTime() - 60_000;
    expect((await b.sessions()).map((s) => s.expiration)).toEqual([newer]);
  });
});

describe('the session lock another process holds', () => {
  const scope = () => sessionScope(PROFILE, awsSettingsKey(awsCallerSettings(h.env)));
  /** The lock as a live Rolecall process on this host holds it (its heartbeat keeps it from looking stale). */
  async function holdLock(): Promise<{ file: string; time: string }> {
    const file = lockFileFor(h.paths.locksDir, 'session', scope());
    const time = new Date().toISOString();
    await writeFile(file, JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'another-process', time }), { flag: 'wx' });
    const future = new Date(Date.now() + 3600_000);
    await utimes(file, future, future);
    return { file, time };
  }
  const reads = () => [...h.secrets.reads].filter(([k]) => k.startsWith(`session/${PROFILE}`)).reduce((n, [, c]) => n + c, 0);

  it('serves what its holder stored instead of asking STS again (the second look at the keychain)', async () => {
    const b = broker();
    const { file } = await holdLock();
    const pending = b.credentials(PROFILE);
    await until(() => reads() >= 1);
    const expiration = new Date(Date.now() + 3600_000);
    const held = { accessKeyId: 'ASIAFROMOTHERPROCESS', secretAccessKey: 'secret-of-the-other', sessionToken: 'token-of-the-other', expiration, credentialType: 'role' as const };
    await writeCachedSession(h.secrets, PROFILE, awsSettingsKey(awsCallerSettings(h.env)), { result: held, refreshAt: new Date(expiration.getTime() - 900_000) });
    await unlink(file);
    expect((await pending).accessKeyId).toBe('ASIAFROMOTHERPROCESS');
    expect(assumeCalls()).toBe(0);
  });

  it('waits for a holder walking a person through a sign-in for up to 11 minutes, not the usual 30 s', async () => {
    const b = broker();
    const { file } = await holdLock();
    const pending = b.credentials(PROFILE);
    await until(() => reads() >= 1);
    // Ten minutes pass for the lock's waiter, then the holder is done (and stored nothing).
    const start = Date.now();
    const later = vi.spyOn(Date, 'now').mockImplementation(() => start + 10 * 60_000);
    await sleep(500);
    later.mockRestore();
    await unlink(file);
    const creds = await pending;
    expect(creds.accessKeyId).toMatch(/^ASIA/);
    expect(assumeCalls()).toBe(1);
  });

  it('gives up after 11 minutes, naming the lock and its holder', async () => {
    const b = broker();
    const { file, time } = await holdLock();
    const pending = failure(b.credentials(PROFILE));
    await until(() => reads() >= 1);
    const start = Date.now();
    vi.spyOn(Date, 'now').mockImplementation(() => start + 12 * 60_000);
    const e = await pending;
    expect(e.code).toBe('timeout');
    expect(e.message).toBe(`Timed out after 660s waiting for the lock ${file} (held by process ${process.pid} on ${os.hostname()} since ${time})`);
    await unlink(file);
  });
});
