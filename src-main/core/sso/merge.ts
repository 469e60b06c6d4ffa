// A sync's result applied to the profiles: new roles become profiles, roles that disappeared are
// pruned (only profiles sync made), and everything else, including what the user set on a synced
// profile (region, alias, favorite) and profiles chained on top, stays as it was.
import type { Profile, SsoRoleProfile } from '../../../src-shared/profile';
import { parentOf } from '../chain';
import { renderName, uniqueName } from './naming';
import type { Assignment } from './sync';

export interface SyncChanges {
  profiles: Profile[];
  added: string[];
  removed: string[];
  /** Synced profiles whose role is gone but which other profiles build on: kept, reported. */
  orphaned: string[];
  total: number;
}

const keyOf = (accountId: string, roleName: string) => `${accountId}\u0000${roleName}`;

export function applySync(profiles: Profile[], ssoSession: string, assignments: Assignment[], template: string): SyncChanges {
  const granted = new Map(assignments.map((a) => [keyOf(a.accountId, a.roleName), a]));
  const ours = (p: Profile): p is SsoRoleProfile => p.kind === 'sso-role' && p.ssoSession === ssoSession;
  const builtOn = new Set(profiles.map(parentOf));
  const present = new Set<string>();
  const removed: string[] = [];
  const orphaned: string[] = [];

  const kept: Profile[] = [];
  for (const p of profiles) {
    if (!ours(p)) {
      kept.push(p);
      continue;
    }
    const a = granted.get(keyOf(p.accountId, p.roleName));
    if (a) {
      present.add(keyOf(p.accountId, p.roleName));
      kept.push(a.accountName !== p.accountName ? { ...p, accountName: a.accountName } : p);
    } else if (!p.synced) {
      kept.push(p); // made by hand: not sync's to remove
    } else if (builtOn.has(p.name)) {
      orphaned.push(p.name);
      kept.push(p);
    } else {
      removed.push(p.name);
    }
  }

  const taken = new Set(kept.map((p) => p.name));
  const added: string[] = [];
  for (const a of assignments) {
    if (!/^\d{12}$/.test(a.accountId) || !a.roleName) continue; // not a shape a profile can hold
    const key = keyOf(a.accountId, a.roleName);
    if (present.has(key)) continue;
    present.add(key);
    const name = uniqueName(renderName(template, { ...a, ssoSession }), a.accountId, taken);
    kept.push({ kind: 'sso-role', name, ssoSession, accountId: a.accountId, accountName: a.accountName, roleName: a.roleName, synced: true });
    added.push(name);
  }
  return { profiles: kept, added, removed, orphaned, total: granted.size };
}
