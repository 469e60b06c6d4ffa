// Notifications once each, the plan after a wake, and rolecall:// deep links.
import { describe, expect, it } from 'vitest';
import { isRefreshFailure, NoticeGate, parseDeepLink, refreshFailureNotice, resumePlan, signInNotices } from '../../../src-main/app/attention';
import { NOW, inMinutes, row, signIn } from './fixtures';

describe('notifications', () => {
  it('warns ten minutes before an Identity Center sign-in ends, with the sign-in as its action', () => {
    const list = signInNotices([signIn('acme', { expiresAt: inMinutes(9) }), signIn('later', { expiresAt: inMinutes(11) }), signIn('gone', { expiresAt: inMinutes(-1) }), signIn('out', { state: 'sign-in-required', expiresAt: null })], NOW);
    expect(list).toEqual([{ key: `sign-in-ending:acme:${inMinutes(9)}`, title: 'acme: sign-in ends in 9 min', body: 'Sign in again now, and sessions keep refreshing.', action: { kind: 'sign-in', instance: 'acme' } }]);
  });

  it('warns before a SAML sign-in ends as well, but not of IAM users or OIDC', () => {
    const list = signInNotices([signIn('okta', { kind: 'saml', expiresAt: inMinutes(4) }), signIn('alice', { kind: 'iam-user', expiresAt: inMinutes(4) }), signIn('google', { kind: 'oidc', expiresAt: inMinutes(4) })], NOW);
    expect(list).toEqual([{ key: `sign-in-ending:okta:${inMinutes(4)}`, title: 'okta: sign-in ends in 4 min', body: 'Sign in again now, and sessions keep refreshing.', action: { kind: 'sign-in', instance: 'okta' } }]);
  });

  it('shows each notice once, however often the state is looked at', () => {
    const gate = new NoticeGate();
    const s = [signIn('acme', { expiresAt: inMinutes(9) })];
    expect(gate.fresh(signInNotices(s, NOW))).toHaveLength(1);
    expect(gate.fresh(signInNotices(s, NOW + 60_000))).toHaveLength(0);
    expect(gate.fresh([refreshFailureNotice('x'), refreshFailureNotice('x')])).toHaveLength(1);
    // A new sign-in (a new end time) warns again.
    expect(gate.fresh(signInNotices([signIn('acme', { expiresAt: inMinutes(8) })], NOW))).toHaveLength(1);
  });

  it("tells the broker's refresh failures from its other notices", () => {
    expect(isRefreshFailure("STS could not refresh 'dev' (throttled); serving the current session, valid 40m more")).toBe(true);
    expect(isRefreshFailure("stopped retrying 'dev' in the background: AccessDenied")).toBe(true);
    expect(isRefreshFailure("refreshed 'dev' in the background after throttling: valid until 11:00")).toBe(false);
    expect(isRefreshFailure("profile 'dev': DurationSeconds capped at 3600 (role chaining)")).toBe(false);
  });

  it('forgets the oldest keys past its bound', () => {
    const gate = new NoticeGate(2);
    gate.fresh([refreshFailureNotice('a'), refreshFailureNotice('b'), refreshFailureNotice('c')]);
    expect(gate.fresh([refreshFailureNotice('a')])).toHaveLength(1);
    expect(gate.fresh([refreshFailureNotice('c')])).toHaveLength(0);
  });
});

describe('resumePlan', () => {
  it('after a wake: sessions that ended while asleep show as expired, due refreshes run once each', () => {
    const plan = resumePlan(
      [
        row('slept-through', { expiresAt: inMinutes(-30), refreshAt: inMinutes(-45) }),
        row('due', { expiresAt: inMinutes(10), refreshAt: inMinutes(-5) }),
        row('fine', { expiresAt: inMinutes(50), refreshAt: inMinutes(35) }),
        row('none'),
      ],
      NOW,
    );
    expect(plan).toEqual({ expired: ['slept-through'], refresh: ['due'] });
  });
});

describe('parseDeepLink', () => {
  it('takes console and start links for a valid profile name', () => {
    expect(parseDeepLink('rolecall://console/acme-prod%2FAdmin')).toEqual({ kind: 'console', profile: 'acme-prod/Admin' });
    expect(parseDeepLink('rolecall://start/dev')).toEqual({ kind: 'start', profile: 'dev' });
  });

  it('refuses anything else with a reason, never throwing', () => {
    for (const bad of ['rolecall://delete/dev', 'https://evil/', 'rolecall://start/', 'rolecall://start/a%ZZ', 'rolecall://start/%24(id)', 'rolecall://start/a b', `rolecall://start/${'a'.repeat(700)}`, 'rolecall://start/dev?x=1']) {
      const r = parseDeepLink(bad);
      expect(r, bad).toHaveProperty('error');
      expect((r as { error: string }).error).not.toContain('\n');
    }
  });
});
