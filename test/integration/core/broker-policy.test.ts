// The broker's own policy, against the sandbox with secrets in memory (fast, no keychain): when
// it schedules a refresh, that it asks STS once however many callers ask at once, what
// --force-refresh refetches, and the 1-hour cap on chained hops for every kind of parent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../../src-shared/profile';
import { mfaCode } from '../../helpers/harness';
import { ALICE_MFA, sharedParentOrg, sharedParentProfiles, startMemoryHarness, type MemoryHarness } from '../../helpers/memory-harness';

let h: MemoryHarness;
beforeEach(async () => {
  h = await startMemoryHarness({ org: sharedParentOrg() });
});
afterEach(() => h.close());

const [alice, readOnly, reports] = sharedParentProfiles as [Profile, Profile, Profile, Profile];
const aliceMfa: Profile = { name: 'alice-mfa', kind: 'iam-user', accessKeyId: 'AKIASANDBOXALICE0001', mfaSerial: ALICE_MFA };
// A profile's session entries in the keychain: session/<profile>, or session/<profile>#<settings>
// when the caller has its own AWS settings (this harness's endpoint URL).
const isSessionEntry = (profile: string) => (key: string) => key === `session/${profile}` || key.startsWith(`session/${profile}#`);
const sessionReads = (profile: string) => [...h.secrets.reads].filter(([k]) => isSessionEntry(profile)(k)).reduce((n, [, c]) => n + c, 0);
const assumeCalls = () => h.sandbox.knobs.count('sts:AssumeRole');
function cachedEntry(profile: string): { expiration: string; refreshAt: string } | undefined {
  const entries = [...h.secrets.data].filter(([k]) => isSessionEntry(profile)(k));
  expect(entries).toHaveLength(1);
  return JSON.parse(entries[0]![1]);
}

describe('refresh-ahead: when the broker schedules a session for refresh', () => {
  it.each([
    // [the role session's DurationSeconds, settings.refreshAheadSeconds, seconds before expiry]
    [3600, 900, 900],
    [3600, 300, 300],
    [7200, 3000, 3000],
    // Half-life rule: a 900 s session is refreshed halfway, not 900 s ahead (on every call).
    [900, 900, 450],
    [1200, 900, 600],
  ])('a %i s session with refreshAheadSeconds %i is due %i s before it expires', async (duration, ahead, expected) => {
    await h.setSettings({ refreshAheadSeconds: ahead });
    await h.addProfiles(alice, { ...readOnly, durationSeconds: duration } as Profile);
    const creds = await h.broker.credentials('dev/ReadOnly');
    const [session] = await h.broker.sessions();
    expect(session?.expiration?.getTime()).toBe(creds.expiration?.getTime());
    const before = (creds.expiration!.getTime() - session!.refreshAt!.getTime()) / 1000;
    // Exact when the margin applies; the half-life depends on how long the call took.
    if (expected * 2 < duration) expect(before).toBe(expected);
    else expect(before).toBeCloseTo(expected, -1);
    // What every other reader (another process, the hot path) trusts is the same time.
    expect(cachedEntry('dev/ReadOnly')?.refreshAt).toBe(session!.refreshAt!.toISOString());
  });

  it('hands out the cached session until then, with no STS call', async () => {
    await h.addProfiles(alice, readOnly);
    const first = await h.broker.credentials('dev/ReadOnly');
    const again = await h.broker.credentials('dev/ReadOnly');
    const elsewhere = await h.newBroker().credentials('dev/ReadOnly');
    expect(again).toEqual(first);
    expect(elsewhere).toEqual(first);
    expect(assumeCalls()).toBe(1);
  });
});

describe('single-flight in one process', () => {
  it('answers 50 concurrent requests for a cold 2-hop chain with one STS call and two keychain reads per hop', async () => {
    await h.addProfiles(alice, readOnly, reports);
    const results = await Promise.all(Array.from({ length: 50 }, () => h.broker.credentials('prod/Reports')));
    expect(new Set(results.map((r) => r.accessKeyId)).size).toBe(1);
    expect(assumeCalls()).toBe(2);
    // One look before the lock, one under it: waiters share the fetch instead of queueing at the
    // lock one by one (each queued caller would read the keychain twice, a prompt on some desktops).
    expect(sessionReads('prod/Reports')).toBe(2);
    expect(sessionReads('dev/ReadOnly')).toBe(2);
  });
});

describe('forceRefresh', () => {
  it('fetches the asked hop anew (its cached parent is reused) and caches the new session for later callers', async () => {
    await h.addProfiles(alice, readOnly, reports);
    const first = await h.broker.credentials('prod/Reports');
    expect(assumeCalls()).toBe(2);
    const forced = await h.broker.credentials('prod/Reports', { forceRefresh: true });
    expect(forced.accessKeyId).toMatch(/^ASIA/);
    expect(forced.accessKeyId).not.toBe(first.accessKeyId);
    expect(assumeCalls()).toBe(3);
    // Later callers, here and in another process, get the forced session, not the old one.
    expect((await h.broker.credentials('prod/Reports')).accessKeyId).toBe(forced.accessKeyId);
    expect((await h.newBroker().credentials('prod/Reports')).accessKeyId).toBe(forced.accessKeyId);
    expect(cachedEntry('prod/Reports')?.expiration).toBe(forced.expiration?.toISOString());
    expect(assumeCalls()).toBe(3);
  });

  it('makes one STS call for concurrent forced requests of one profile', async () => {
    await h.addProfiles(alice, readOnly);
    await h.broker.credentials('dev/ReadOnly');
    const forced = await Promise.all(Array.from({ length: 10 }, () => h.broker.credentials('dev/ReadOnly', { forceRefresh: true })));
    expect(new Set(forced.map((c) => c.accessKeyId)).size).toBe(1);
    expect(assumeCalls()).toBe(2);
  });
});

describe('the 1-hour cap on chained hops', () => {
  const secondsLeft = (d: Date | undefined) => Math.round(((d?.getTime() ?? 0) - Date.now()) / 1000);
  it.each([
    // [parent, what it holds, seconds the 7200 s hop gets]
    ['alice', 'long-term keys: not chaining', 7200],
    ['alice-mfa', 'GetSessionToken credentials: chaining', 3600],
    ['dev/ReadOnly', 'role credentials: chaining', 3600],
  ])('a hop asking 7200 s from %s (%s) gets %i s', async (parent, _what, expected) => {
    await h.addProfiles(alice, aliceMfa, readOnly);
    const hop: Profile =
      parent === 'dev/ReadOnly'
        ? { ...reports, name: 'hop', durationSeconds: 7200 } as Profile
        : { name: 'hop', kind: 'assume-role', sourceProfile: parent, roleArn: 'arn:aws:iam::444455556666:role/ReadOnly', durationSeconds: 7200 };
    await h.addProfiles(hop);
    const creds = await h.broker.credentials('hop', { mfaCode: mfaCode(h.sandbox, ALICE_MFA) });
    expect(secondsLeft(creds.expiration)).toBeGreaterThan(expected - 60);
    expect(secondsLeft(creds.expiration)).toBeLessThanOrEqual(expected);
    const capped = h.notices.filter((n) => n.includes("profile 'hop'"));
    expect(capped).toEqual(expected === 3600 ? ["profile 'hop': asked for 7200 s; AWS caps role chaining at 3600 s, so 3600 s"] : []);
  });
});
