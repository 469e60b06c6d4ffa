// `rolecall list [--json]`: every profile, where it comes from, and its session.
import type { Command } from 'commander';
import type { Profile } from '../../../src-shared/profile';
import type { SessionInfo } from '../../core/broker/types';
import type { CliContext } from '../context';

export interface ListedProfile {
  name: string;
  kind: Profile['kind'];
  accountId: string | null;
  roleName: string | null;
  roleArn: string | null;
  region: string | null;
  /** The source profile (assume-role) or Identity Center instance (sso-role). */
  source: string | null;
  /** When the live session expires; null when there is none. */
  expiresAt: string | null;
}

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
      ctx.print(table(rows));
    });
}

export function listProfiles(profiles: Profile[], sessions: SessionInfo[], now = Date.now()): ListedProfile[] {
  const live = new Map(sessions.filter((s) => s.expiration && s.expiration.getTime() > now).map((s) => [s.profile, s.expiration as Date]));
  return profiles.map((p) => {
    const arn = 'roleArn' in p ? p.roleArn : null;
    const fromArn = arn ? /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn) : null;
    return {
      name: p.name,
      kind: p.kind,
      accountId: p.kind === 'sso-role' ? p.accountId : (fromArn?.[1] ?? null),
      roleName: p.kind === 'sso-role' ? p.roleName : (fromArn?.[2] ?? null),
      roleArn: arn,
      region: p.region ?? null,
      source: p.kind === 'assume-role' ? p.sourceProfile : p.kind === 'sso-role' ? p.ssoSession : null,
      expiresAt: live.get(p.name)?.toISOString() ?? null,
    };
  });
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
