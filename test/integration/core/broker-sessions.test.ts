// What the broker tells the faces and does on request, with secrets in memory: the live sessions
// it lists, forget (a profile and everything built on it), the session events the app's
// countdowns follow, the MFA prompt, the region of each hop, doctor's hop-by-hop trace, and the
// messages for chains that cannot be walked.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AssumeRoleProfile, Profile } from '../../../src-shared/profile';
import type { SessionInfo } from '../../../src-main/core/broker/types';
import { mfaCode } from '../../helpers/harness';
import { ALICE_MFA, sharedParentOrg, sharedParentProfiles, startMemoryHarness, type MemoryHarness } from '../../helpers/memory-harness';

let h: MemoryHarness;
beforeEach(async () => {
  h = await startMemoryHarness({ org: sharedParentOrg() });
});
afterEach(() => h.close());

const [alice, readOnly, reports, billing] = sharedParentProfiles as [Profile, AssumeRoleProfile, AssumeRoleProfile, AssumeRoleProfile];
const assumeCalls = () => h.sandbox.knobs.count('sts:AssumeRole');
const developer: Profile = { name: 'dev/Developer', kind: 'assume-role', sourceProfile: 'alice', roleArn: 'arn:aws:iam::444455556666:role/Developer', mfaSerial: ALICE_MFA };

describe('sessions', () => {
  it('lists each live session with its expiry and refresh time, not long-term keys', async () => {
    await h.addProfiles(alice, readOnly, reports);
    const creds = await h.broker.credentials('prod/Reports');
    const parent = await h.broker.credentials('dev/ReadOnly');
    const sessions = await h.broker.sessions();
    expect(sessions.map((s) => s.profile)).toEqual(['dev/ReadOnly', 'prod/Reports']);
    const reportsSession = sessions.find((s) => s.profile === 'prod/Reports')!;
    expect(reportsSession.expiration).toEqual(creds.expiration);
    expect(reportsSession.expiration!.getTime() - reportsSession.refreshAt!.getTime()).toBe(900_000);
    expect(sessions.find((s) => s.profile === 'dev/ReadOnly')!.expiration).toEqual(parent.expiration);
  });

  it("sees a session another process refreshed, and leaves out expired ones", async () => {
    await h.addProfiles(alice, readOnly, reports);
    await h.broker.credentials('dev/ReadOnly');
    // Another process refreshes dev/ReadOnly; this broker's memory still holds the old one, due now.
    const other = h.newBroker();
    const fresh = await other.credentials('dev/ReadOnly', { forceRefresh: true });
    const [key] = [...h.secrets.data.keys()].filter((k) => k.startsWith('session/dev/ReadOnly'));
    const entry = JSON.parse(h.secrets.data.get(key!)!);
    expect((await h.broker.sessions()).map((s) => s.expiration)).toEqual([fresh.expiration]);
    // An entry past its expiry is not a live session.
    h.secrets.data.set(key!, JSON.stringify({ ...entry, expiration: new Date(Date.now() - 1000).toISOString(), refreshAt: new Date(Date.now() - 2000).toISOString() }));
    expect(await h.newBroker().sessions()).toEqual([]);
  });
});

describe("the window's list: the keychain read behind the answer", () => {
  it('answers from the keychain as last read at once, and tells what another process changed once it has looked again', async () => {
    const events: [string, SessionInfo][] = [];
    const broker = h.newBroker({ onSession: (p, s) => events.push([p, s]) });
    await h.addProfiles(alice, readOnly, reports);
    const list = async () => (await broker.sessions(undefined, { readBehind: true })).map((s) => [s.profile, s.expiration]);
    expect(await list()).toEqual([]);
    // Another process starts dev/ReadOnly: the next answer is the last read's, the read behind it tells.
    const fresh = await h.newBroker().credentials('dev/ReadOnly');
    expect(await list()).toEqual([]);
    await vi.waitFor(() => expect(events).toEqual([['dev/ReadOnly', { profile: 'dev/ReadOnly', expiration: fresh.expiration, refreshAt: expect.any(Date) }]]));
    expect(await list()).toEqual([['dev/ReadOnly', fresh.expiration]]);
    // It stops it there: told once the keychain has been read again, as an ended session.
    await h.newBroker().forget('dev/ReadOnly');
    events.length = 0;
    await list();
    await vi.waitFor(() => expect(events).toEqual([['dev/ReadOnly', { profile: 'dev/ReadOnly' }]]));
    expect(await list()).toEqual([]);
  });

  it("shows this process's own starts and stops in the very next answer", async () => {
    await h.addProfiles(alice, readOnly, reports);
    const list = async () => (await h.broker.sessions(undefined, { readBehind: true })).map((s) => s.profile);
    expect(await list()).toEqual([]);
    await h.broker.credentials('prod/Reports');
    expect(await list()).toEqual(['dev/ReadOnly', 'prod/Reports']);
    await h.broker.forget('prod/Reports');
    expect(await list()).toEqual(['dev/ReadOnly']);
    // The last read saw a session due for refresh; this process has refreshed it since: the new one is listed.
    const [key] = [...h.secrets.data.keys()].filter((k) => k.startsWith('session/dev/ReadOnly'));
    const entry = JSON.parse(h.secrets.data.get(key!)!);
    const older = new Date(Date.now() + 20 * 60_000);
    h.secrets.data.set(key!, JSON.stringify({ ...entry, expiration: older.toISOString(), refreshAt: new Date(Date.now() - 1000).toISOString() }));
    const other = h.newBroker();
    expect((await other.sessions(undefined, { readBehind: true })).map((s) => s.expiration)).toEqual([older]);
    const again = await other.credentials('dev/ReadOnly');
    expect(again.expiration!.getTime()).toBeGreaterThan(older.getTime());
    expect((await other.sessions(undefined, { readBehind: true })).map((s) => s.expiration)).toEqual([again.expiration]);
  });

  it('reads the keychain itself, and says what failed, after a read behind failed', async () => {
    await h.addProfiles(alice, readOnly);
    await h.broker.sessions(undefined, { readBehind: true });
    const entries = h.secrets.entries.bind(h.secrets);
    let fail = true;
    h.secrets.entries = async (prefix: string) => {
      if (fail) throw new Error('The OS keychain is locked');
      return entries(prefix);
    };
    // This answer is the last read's; the read behind it fails.
    expect(await h.broker.sessions(undefined, { readBehind: true })).toEqual([]);
    await vi.waitFor(() => expect(h.broker.sessions(undefined, { readBehind: true })).rejects.toThrow('The OS keychain is locked'));
    fail = false;
    const fresh = await h.newBroker().credentials('dev/ReadOnly');
    expect((await h.broker.sessions(undefined, { readBehind: true })).map((s) => s.expiration)).toEqual([fresh.expiration]);
  });
});

describe('forget', () => {
  it('ends the sessions of a profile and of every profile built on it, and only those, and says so', async () => {
    const events: [string, SessionInfo][] = [];
    const broker = h.newBroker({ onSession: (p, s) => events.push([p, s]) });
    const other: Profile = { ...readOnly, name: 'dev/Other' };
    await h.addProfiles(alice, readOnly, reports, billing, other);
    for (const p of ['prod/Reports', 'prod/Billing', 'dev/Other']) await broker.credentials(p);
    expect(assumeCalls()).toBe(4);
    events.length = 0;
    await broker.forget('dev/ReadOnly');
    expect(events.map(([p, s]) => [p, s])).toEqual([
      ['dev/ReadOnly', { profile: 'dev/ReadOnly' }],
      ['prod/Reports', { profile: 'prod/Reports' }],
      ['prod/Billing', { profile: 'prod/Billing' }],
    ]);
    expect((await broker.sessions()).map((s) => s.profile)).toEqual(['dev/Other']);
    expect([...h.secrets.data.keys()].filter((k) => k.startsWith('session/')).map((k) => k.split('#')[0])).toEqual(['session/dev/Other']);
    // Forgotten means fetched anew, parent included; the untouched profile is still served from cache.
    await broker.credentials('prod/Reports');
    await broker.credentials('dev/Other');
    expect(assumeCalls()).toBe(6);
  });
});

describe('session events', () => {
  it('tells the app about every session it issues, with its expiry and refresh time', async () => {
    const events: [string, SessionInfo][] = [];
    const broker = h.newBroker({ onSession: (p, s) => events.push([p, s]) });
    await h.addProfiles(alice, readOnly, reports);
    const creds = await broker.credentials('prod/Reports');
    expect(events.map(([p]) => p)).toEqual(['dev/ReadOnly', 'prod/Reports']);
    const [, last] = events[1]!;
    expect(last).toEqual({ profile: 'prod/Reports', expiration: creds.expiration, refreshAt: new Date(creds.expiration!.getTime() - 900_000) });
    // Served from cache: nothing changed, nothing told.
    await broker.credentials('prod/Reports');
    expect(events).toHaveLength(2);
  });
});

describe('MFA', () => {
  it('asks the prompt for the hop that needs a code, naming the profile and the device', async () => {
    const asked: unknown[] = [];
    const broker = h.newBroker({ promptMfa: async (q) => (asked.push(q), mfaCode(h.sandbox, q.serialNumber)) });
    await h.addProfiles(alice, developer);
    await broker.credentials('dev/Developer');
    expect(asked).toEqual([{ profile: 'dev/Developer', serialNumber: ALICE_MFA }]);
  });

  it('asks no code again in another process for a hop on the same device as its cached parent', async () => {
    const onTop: Profile = { ...reports, name: 'prod/ViaDeveloper', sourceProfile: 'dev/Developer', roleArn: 'arn:aws:iam::777788889999:role/Deployer', mfaSerial: ALICE_MFA };
    await h.addProfiles(alice, developer, onTop);
    await h.broker.credentials('prod/ViaDeveloper', { mfaCode: mfaCode(h.sandbox, ALICE_MFA) });
    // Another process (no prompt, no code) refreshes the top hop from the keychain's dev/Developer
    // session, which was issued with this device's code.
    const forced = await h.newBroker().credentials('prod/ViaDeveloper', { forceRefresh: true });
    expect(forced.accessKeyId).toMatch(/^ASIA/);
    expect(assumeCalls()).toBe(3);
  });

  it('without a prompt or a code, says which device and how to pass a code, calling nothing', async () => {
    await h.addProfiles(alice, developer);
    await expect(h.broker.credentials('dev/Developer')).rejects.toMatchObject({
      message: `profile 'dev/Developer' needs an MFA code from ${ALICE_MFA}`,
      code: 'mfa-required',
      hint: 'pass --mfa-code CODE',
    });
    expect(assumeCalls()).toBe(0);
  });
});

describe('chains that cannot be walked', () => {
  it.each<[string, Profile[], string, object]>([
    ['a missing profile', [], 'nope', { message: "profile 'nope' does not exist", code: 'not-found', hint: 'run: rolecall list' }],
    ['a missing source', [{ ...readOnly, sourceProfile: 'gone' }], 'dev/ReadOnly', { message: "profile 'gone' (source of 'dev/ReadOnly') does not exist", code: 'not-found', hint: 'run: rolecall list' }],
    [
      'a loop',
      [{ ...readOnly, sourceProfile: 'prod/Reports' }, reports],
      'prod/Reports',
      { message: "profile 'prod/Reports': its source profiles form a loop (prod/Reports -> dev/ReadOnly -> prod/Reports)", code: 'invalid-input' },
    ],
  ])('refuses %s before calling AWS', async (_what, profiles, name, error) => {
    await h.addProfiles(alice, ...profiles);
    await expect(h.broker.credentials(name)).rejects.toMatchObject(error);
    // Doctor reports it by the hop nearest the problem; a profile that does not exist has none.
    const trace = await h.broker.trace(name);
    expect(trace.map((t) => t.error)).toEqual(profiles.length ? [expect.objectContaining(error)] : []);
    expect(h.sandbox.knobs.calls.size).toBe(0);
  });
});

describe("doctor's trace", () => {
  it('fetches every hop anew, root first, each in its own region or its nearest ancestor\'s', async () => {
    await h.addProfiles(alice, { ...readOnly, region: 'eu-west-1' }, reports);
    await h.broker.credentials('prod/Reports');
    const before = assumeCalls();
    const trace = await h.broker.trace('prod/Reports');
    expect(trace.map((t) => [t.profile.name, t.sts.region, t.result?.arn ?? t.result?.credentialType])).toEqual([
      ['alice', 'us-east-1', 'iam-user'],
      ['dev/ReadOnly', 'eu-west-1', 'arn:aws:sts::444455556666:assumed-role/ReadOnly/alice'],
      ['prod/Reports', 'eu-west-1', 'arn:aws:sts::777788889999:assumed-role/Reports/alice'],
    ]);
    expect(assumeCalls() - before).toBe(2);
  });

  it('stops at the first hop that fails, with its error', async () => {
    await h.addProfiles(alice, { ...readOnly, roleArn: 'arn:aws:iam::444455556666:role/Nope' }, reports);
    const trace = await h.broker.trace('prod/Reports');
    expect(trace.map((t) => t.profile.name)).toEqual(['alice', 'dev/ReadOnly']);
    expect(trace[1]).toMatchObject({ error: { code: 'access-denied', awsCode: 'AccessDenied' } });
    expect(trace[1]!.result).toBeUndefined();
  });

  it('uses a fresh cached MFA hop instead of asking for a code again', async () => {
    const onTop: Profile = { ...reports, name: 'prod/ViaDeveloper', sourceProfile: 'dev/Developer', roleArn: 'arn:aws:iam::777788889999:role/Deployer' };
    await h.addProfiles(alice, developer, onTop);
    await h.broker.credentials('prod/ViaDeveloper', { mfaCode: mfaCode(h.sandbox, ALICE_MFA) });
    const trace = await h.broker.trace('prod/ViaDeveloper');
    expect(trace.map((t) => [t.profile.name, !!t.result, t.error])).toEqual([
      ['alice', true, undefined],
      ['dev/Developer', true, undefined],
      ['prod/ViaDeveloper', true, undefined],
    ]);
  });
});

describe('refresh-ahead in one broker (its clock moved)', () => {
  it("serves its own memory until the session's refresh time, then fetches a new one", async () => {
    let offset = 0;
    const broker = h.newBroker({ now: () => Date.now() + offset });
    await h.addProfiles(alice, readOnly);
    const first = await broker.credentials('dev/ReadOnly');
    const due = first.expiration!.getTime() - 900_000;
    offset = due - Date.now() - 5_000; // 5 s before the refresh time
    expect((await broker.credentials('dev/ReadOnly')).accessKeyId).toBe(first.accessKeyId);
    expect(assumeCalls()).toBe(1);
    offset = due - Date.now() + 5_000; // 5 s after it: still valid for 15 minutes, but due
    const next = await broker.credentials('dev/ReadOnly');
    expect(next.accessKeyId).not.toBe(first.accessKeyId);
    expect(assumeCalls()).toBe(2);
  });
});

describe('more than one request at once', () => {
  it('keeps forced refreshes of different profiles apart', async () => {
    await h.addProfiles(alice, readOnly, reports, billing);
    await Promise.all([h.broker.credentials('prod/Reports'), h.broker.credentials('prod/Billing')]);
    const [r, b] = await Promise.all([h.broker.credentials('prod/Reports', { forceRefresh: true }), h.broker.credentials('prod/Billing', { forceRefresh: true })]);
    expect(r.accessKeyId).not.toBe(b.accessKeyId);
    const whoR = JSON.parse([...h.secrets.data].find(([k]) => k.startsWith('session/prod/Reports'))![1]).arn;
    const whoB = JSON.parse([...h.secrets.data].find(([k]) => k.startsWith('session/prod/Billing'))![1]).arn;
    expect([whoR, whoB]).toEqual(['arn:aws:sts::777788889999:assumed-role/Reports/alice', 'arn:aws:sts::777788889999:assumed-role/Billing/alice']);
  });

  it('forgets without a session listener (the CLI has none)', async () => {
    await h.addProfiles(alice, readOnly);
    await h.broker.credentials('dev/ReadOnly');
    await h.broker.forget('dev/ReadOnly');
    expect(await h.broker.sessions()).toEqual([]);
  });
});

describe("doctor's trace with an MFA code", () => {
  it('spends the code on the MFA hop, fetching it anew, and not on later hops', async () => {
    const onTop: Profile = { ...reports, name: 'prod/ViaDeveloper', sourceProfile: 'dev/Developer', roleArn: 'arn:aws:iam::777788889999:role/Deployer' };
    await h.addProfiles(alice, developer, onTop);
    await h.broker.credentials('prod/ViaDeveloper', { mfaCode: mfaCode(h.sandbox, ALICE_MFA) });
    expect(assumeCalls()).toBe(2);
    const trace = await h.broker.trace('prod/ViaDeveloper', { mfaCode: mfaCode(h.sandbox, ALICE_MFA) });
    expect(trace.map((t) => [t.profile.name, t.error])).toEqual([
      ['alice', undefined],
      ['dev/Developer', undefined],
      ['prod/ViaDeveloper', undefined],
    ]);
    // Both role hops anew: the MFA hop with the code, the next one without it.
    expect(assumeCalls()).toBe(4);
  });
});
