// `rolecall list [--json]`: every profile, where it comes from, and its session.
import type { Command } from 'commander';
import type { ProfileView } from '../../../src-shared/api';
import type { Profile } from '../../../src-shared/profile';
import { profileView } from '../../core/api';
import { chainOf, indexProfiles, type ProfileIndex } from '../../core/chain';
import type { SessionInfo } from '../../core/broker/types';
import type { CliContext } from '../context';

/** A row of `rolecall list`: the core's profile view, without the app's favorite flag. */
export type ListedProfile = Omit<ProfileView, 'favorite'>;

export function registerList(program: Command, ctx: CliContext): void {
  program
    .command('list')
    .description('list profiles and their sessions')
    .option('--json', 'print a JSON array')
    .action(async (o: { json?: boolean }) => {
      const { StateStore } = await import('../../core/files/state-store');
      const state = await new StateStore(ctx.paths).load();
      const sessions = state.profiles.length ? await ctx.sessions() : [];
      const rows = listProfiles(state.profiles, sessions);
      if (o.json) return ctx.print(JSON.stringify(rows, null, 2));
      if (!rows.length) return ctx.print('No profiles yet: rolecall config import, rolecall iam-user add, or rolecall login sso then rolecall sync');
      const index = indexProfiles(state.profiles);
      ctx.print(table(rows.map((r) => ({ ...r, region: shownRegion(index, r.name) }))));
    });
}

export function listProfiles(profiles: Profile[], sessions: SessionInfo[], now = Date.now()): ListedProfile[] {
  const live = new Map(sessions.filter((s) => s.expiration && s.expiration.getTime() > now).map((s) => [s.profile, s.expiration as Date]));
  return profiles.map((p) => {
    const { favorite: _favorite, ...row } = profileView(p, live.get(p.name));
    return row;
  });
}

/** The region a profile's STS calls really use: its own, else its nearest source's, which is then named. */
function shownRegion(profiles: ProfileIndex, name: string): string | null {
  const hops = chainOf(profiles, name).hops;
  const own = hops.at(-1);
  if (own?.profile.name !== name) return null;
  if (own.profile.region) return own.profile.region;
  const from = [...hops].reverse().find((h) => h.profile.region);
  return from ? `${from.profile.region} (from ${from.profile.name})` : null;
}

function table(rows: ListedProfile[], now = Date.now()): string {
  const head = ['NAME', 'KIND', 'ACCOUNT', 'ROLE', 'REGION', 'SOURCE', 'SESSION'];
  const body = rows.map((r) => [r.name, r.kind, r.accountId, r.roleName, r.region, r.source, session(r.expiresAt, now)].map((v) => v ?? '-'));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  return [head, ...body].map((cols) => cols.map((c, i) => (i === cols.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ')).join('\n');
}

function session(expiresAt: string | null, now: number): string {
  if (!expiresAt) return '-';
  const mins = Math.floor((Date.parse(expiresAt) - now) / 60_000);
  const left = mins >= 60 ? `${Math.floor(mins / 60)}h${String(mins % 60).padStart(2, '0')}m` : `${mins}m`;
  return `${left} left (until ${expiresAt.replace(/\.\d{3}Z$/, 'Z')})`;
}
