// During an STS outage the broker serves a session it already holds while that session has more
// than botocore's mandatory 10 minutes left, says so, and retries in the background; refusals,
// sessions too close to their end and forced refreshes still fail. Time passes by moving the
// sandbox clock (its control API) and the broker's clock together; clients sign with the real one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-shared/profile';
import type { Broker } from '../../../src-main/core/broker/broker';
import { MAX_ATTEMPTS } from '../../../src-main/core/aws/client-config';
import { sharedParentOrg, sharedParentProfiles, startMemoryHarness, failure, type MemoryHarness } from '../../helpers/memory-harness';

const [alice, readOnly] = sharedParentProfiles as [Profile, Profile];
const PROFILE = 'dev/ReadOnly';
const OUTAGE = { faults: [{ operation: 'sts:AssumeRole', kind: 'unavailable' as const, count: 100_000 }] };

let h: MemoryHarness;
let broker: Broker;
let skewMs = 0;
const brokerNow = () => Date.now() + skewMs;
const assumeCalls = () => h.sandbox.knobs.count('sts:AssumeRole');
const minutesLeft = (d: Date | undefined) => ((d?.getTime() ?? 0) - brokerNow()) / 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `minutes` pass, for AWS (the sandbox clock) and for the broker alike. */
async function later(minutes: number): Promise<void> {
  const res = await fetch(`${h.sandbox.url}/_sandbox/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: minutes * 60 }) });
  expect(res.status).toBe(200);
  skewMs += minutes * 60_000;
}

beforeEach(async () => {
  skewMs = 0;
  h = await startMemoryHarness({ org: sharedParentOrg() });
  // Retries a fraction of a second apart, so a test can watch a few.
  broker = h.newBroker({ now: brokerNow, outageRetry: { firstDelayMs: 300, maxDelayMs: 600 } });
  await h.addProfiles(alice, readOnly);
});
afterEach(async () => {
  broker.close();
  await h.close();
});

const SERVED = /^AWS STS could not refresh 'dev\/ReadOnly' \(HTTP 503\); serving the current session, valid until \d\d:\d\d \((11|12) min\); retrying in the background$/;

describe('a refresh AWS cannot answer', () => {
  it('serves the current session when it has more than 10 minutes left, says so, and later callers do not wait', async () => {
    const first = await broker.credentials(PROFILE);
    expect(minutesLeft(first.expiration)).toBeGreaterThan(59);
    await later(48); // 12 minutes left: inside the 15-minute refresh-ahead window
    h.sandbox.knobs.set(OUTAGE);
    const before = assumeCalls();
    const told: string[][] = [[], [], [], [], []];
    const served = await Promise.all(told.map((t) => broker.credentials(PROFILE, { onNotice: (m) => t.push(m) })));
    for (const creds of served) expect(creds).toEqual(first);
    for (const t of told) expect(t).toEqual([expect.stringMatching(SERVED)]);
    // One refresh (the SDK's retries of it) however many asked.
    const calls = assumeCalls();
    expect(calls - before).toBeGreaterThan(1);
    expect(calls - before).toBeLessThanOrEqual(MAX_ATTEMPTS);
    // While the background retry is on it, callers are served at once, without another STS call.
    const started = Date.now();
    const again: string[] = [];
    expect(await broker.credentials(PROFILE, { onNotice: (m) => again.push(m) })).toEqual(first);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(again).toEqual([expect.stringMatching(SERVED)]);
    expect(assumeCalls()).toBe(calls);
  });

  it('fails, saying why, when the current session has less than 10 minutes left', async () => {
    await broker.credentials(PROFILE);
    await later(52);
    h.sandbox.knobs.set(OUTAGE);
    const told: string[] = [];
    const e = await failure(broker.credentials(PROFILE, { onNotice: (m) => told.push(m) }));
    expect(e.message).toMatch(/^AWS STS could not refresh 'dev\/ReadOnly' \(HTTP 503\), and its current session ends at \d\d:\d\d \([78] min\): too soon to serve it instead$/);
    expect(e.code).toBe('aws-error');
    expect(e.hint).toBe('try again shortly');
    expect(told).toEqual([]);
  });

  it('fails with --force-refresh (new credentials were asked for), naming the session that is still there', async () => {
    const first = await broker.credentials(PROFILE);
    await later(48);
    h.sandbox.knobs.set(OUTAGE);
    const e = await failure(broker.credentials(PROFILE, { forceRefresh: true }));
    expect(e.message).toMatch(/^a forced refresh of 'dev\/ReadOnly' failed, so no new credentials: AWS STS is failing \(HTTP 503 ServiceUnavailable from sts:AssumeRole, \d+ attempts\); try again shortly$/);
    expect(e.hint).toMatch(/^the current session, valid until \d\d:\d\d \((11|12) min\), is served without a forced refresh$/);
    // And without it, the session is served as the hint says.
    expect(await broker.credentials(PROFILE)).toEqual(first);
  });
});

describe('a refusal during a refresh', () => {
  it('fails at once although the current session has 12 minutes left: the role no longer trusts its caller', async () => {
    const first = await broker.credentials(PROFILE);
    expect(first.accessKeyId).toMatch(/^ASIA/);
    await later(48);
    const role = h.sandbox.state.org.roles.find((r) => r.accountId === '444455556666' && r.name === 'ReadOnly')!;
    role.trustPolicy = { Version: '2012-10-17', Statement: [] };
    const told: string[] = [];
    const e = await failure(broker.credentials(PROFILE, { onNotice: (m) => told.push(m) }));
    expect(e.code).toBe('access-denied');
    expect(e.message).toMatch(/^sts:AssumeRole failed: AccessDenied: .*not authorized to perform: sts:AssumeRole/);
    expect(told).toEqual([]);
    expect(h.notices).toEqual([]);
    // Nothing is retried in the background, and the next caller is refused too.
    const calls = assumeCalls();
    await sleep(1000);
    expect(assumeCalls()).toBe(calls);
    await failure(broker.credentials(PROFILE));
  });

  it('ends the background retry: a refusal after an outage stops it, saying why', async () => {
    await broker.credentials(PROFILE);
    await later(48);
    h.sandbox.knobs.set(OUTAGE);
    await broker.credentials(PROFILE);
    const role = h.sandbox.state.org.roles.find((r) => r.accountId === '444455556666' && r.name === 'ReadOnly')!;
    role.trustPolicy = { Version: '2012-10-17', Statement: [] };
    const calls = assumeCalls();
    h.sandbox.knobs.set({}); // STS answers again, with AccessDenied
    for (let waited = 0; waited < 5000 && h.notices.length < 2; waited += 50) await sleep(50);
    expect(h.notices[1]).toMatch(/^stopped retrying 'dev\/ReadOnly' in the background: sts:AssumeRole failed: AccessDenied: /);
    expect(assumeCalls()).toBe(calls + 1);
    await sleep(1000);
    expect(assumeCalls()).toBe(calls + 1);
  });
});

describe('the background retry', () => {
  it('refreshes the session once STS answers again: one AssumeRole, then no more timers', async () => {
    const first = await broker.credentials(PROFILE);
    await later(48);
    h.sandbox.knobs.set(OUTAGE);
    expect(await broker.credentials(PROFILE)).toEqual(first);
    const calls = assumeCalls();
    h.sandbox.knobs.set({}); // STS is back

    let renewed: Date | undefined;
    // The renewed session is stored a few ticks before the notice is sent: wait for both.
    for (let waited = 0; waited < 5000 && !(renewed && h.notices.length >= 2); waited += 50) {
      await sleep(50);
      const s = (await broker.sessions()).find((x) => x.profile === PROFILE);
      if (s?.expiration && s.expiration.getTime() > first.expiration!.getTime()) renewed = s.expiration;
    }
    expect(minutesLeft(renewed)).toBeGreaterThan(59);
    expect(assumeCalls()).toBe(calls + 1);
    expect(h.notices).toEqual([
      expect.stringMatching(SERVED),
      expect.stringMatching(/^refreshed 'dev\/ReadOnly' in the background after AWS STS could not refresh 'dev\/ReadOnly' \(HTTP 503\): valid until \d\d:\d\d \((59|60) min\)$/),
    ]);
    // Callers now get the new session, with no notice and no STS call.
    const told: string[] = [];
    const now = await broker.credentials(PROFILE, { onNotice: (m) => told.push(m) });
    expect(now.expiration).toEqual(renewed);
    expect(now.accessKeyId).not.toBe(first.accessKeyId);
    expect(told).toEqual([]);
    await sleep(1000);
    expect(assumeCalls()).toBe(calls + 1);
  });

  it('stops when the session is forgotten', async () => {
    await broker.credentials(PROFILE);
    await later(48);
    h.sandbox.knobs.set(OUTAGE);
    await broker.credentials(PROFILE);
    await broker.forget(PROFILE);
    const calls = assumeCalls();
    await sleep(1500);
    expect(assumeCalls()).toBe(calls);
  });

  it('stops at the mandatory window: the next caller tries itself and is told the session is too close to its end', async () => {
    await broker.credentials(PROFILE);
    await later(48);
    h.sandbox.knobs.set(OUTAGE);
    await broker.credentials(PROFILE);
    skewMs += 3 * 60_000; // 9 minutes left, for the broker (a laptop that slept): the pending retry gives up
    const calls = assumeCalls();
    await sleep(1500);
    expect(assumeCalls()).toBe(calls);
    const e = await failure(broker.credentials(PROFILE));
    expect(e.message).toMatch(/too soon to serve it instead$/);
  });
});
