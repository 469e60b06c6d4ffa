// What needs the person, decided from state: notifications ten minutes before an Identity Center
// sign-in ends and when a background refresh fails (one each, never repeated), what to do after
// the machine wakes (sessions that expired while asleep, refreshes due: once each, one at a time),
// and rolecall:// deep links (validated like every other input).
import type { ProfileRow, SignInView } from '../../src-shared/api';
import { ProfileName } from '../../src-shared/names';

export interface Notice {
  /** Same key, same notification: shown once. */
  key: string;
  title: string;
  body: string;
  action?: { kind: 'sign-in'; instance: string } | { kind: 'open-window' };
}

export const SIGN_IN_WARNING_MS = 10 * 60_000;

/** Identity Center and SAML sign-ins ending within ten minutes, each once per end time. */
export function signInNotices(signIns: SignInView[], now: number): Notice[] {
  const out: Notice[] = [];
  for (const s of signIns) {
    if ((s.kind !== 'identity-center' && s.kind !== 'saml') || s.state !== 'signed-in' || !s.expiresAt) continue;
    const left = Date.parse(s.expiresAt) - now;
    if (left <= 0 || left > SIGN_IN_WARNING_MS) continue;
    out.push({
      key: `sign-in-ending:${s.name}:${s.expiresAt}`,
      title: `${s.name}: sign-in ends in ${Math.max(1, Math.round(left / 60_000))} min`,
      body: 'Sign in again now, and sessions keep refreshing.',
      action: { kind: 'sign-in', instance: s.name },
    });
  }
  return out;
}

/** The broker's notices that say a refresh failed ("STS could not refresh 'x' (...)", "stopped retrying 'x' in the background: ..."). */
export const isRefreshFailure = (message: string): boolean => / could not refresh '|^stopped retrying '/.test(message);

/** A background refresh that failed (the broker's notice), once per message. */
export function refreshFailureNotice(message: string): Notice {
  return { key: `refresh-failed:${message}`, title: 'Rolecall could not refresh a session', body: message, action: { kind: 'open-window' } };
}

/** Shows each notice once: keeps the keys it has shown (bounded, oldest forgotten first). */
export class NoticeGate {
  private readonly shown = new Set<string>();
  constructor(private readonly max = 500) {}
  fresh(notices: Notice[]): Notice[] {
    const out: Notice[] = [];
    for (const n of notices) {
      if (this.shown.has(n.key)) continue;
      out.push(n);
      this.shown.add(n.key);
      if (this.shown.size > this.max) this.shown.delete(this.shown.values().next().value!);
    }
    return out;
  }
}

/** After a wake: which sessions ended while asleep, and which to refresh now (each once, in name order). */
export function resumePlan(profiles: ProfileRow[], now: number): { expired: string[]; refresh: string[] } {
  const expired: string[] = [];
  const refresh: string[] = [];
  for (const p of profiles) {
    if (!p.expiresAt) continue;
    if (Date.parse(p.expiresAt) <= now) expired.push(p.name);
    else if (p.refreshAt && Date.parse(p.refreshAt) <= now) refresh.push(p.name);
  }
  return { expired: expired.sort(), refresh: [...new Set(refresh)].sort() };
}

export type DeepLink = { kind: 'console' | 'start'; profile: string };

/** rolecall://console/NAME or rolecall://start/NAME (NAME percent-encoded); anything else is refused with a reason. */
export function parseDeepLink(raw: string): DeepLink | { error: string } {
  if (raw.length > 600) return { error: 'the rolecall:// link is too long' };
  const m = /^rolecall:\/\/(console|start)\/([^?#]+)$/.exec(raw);
  if (!m) return { error: 'a rolecall:// link is rolecall://console/PROFILE or rolecall://start/PROFILE' };
  let name: string;
  try {
    name = decodeURIComponent(m[2]!);
  } catch {
    return { error: 'the profile name in the rolecall:// link is not valid percent-encoding' };
  }
  const parsed = ProfileName.safeParse(name);
  if (!parsed.success) return { error: 'the rolecall:// link does not name a valid profile' };
  return { kind: m[1] as DeepLink['kind'], profile: parsed.data };
}
