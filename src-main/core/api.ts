// RolecallApi, implemented once over the core; the Electron preload, the web bridge and
// `rolecall list` all show the same views.
import type { ProfileView, RolecallApi } from '../../src-shared/api';
import type { AppState, Profile } from '../../src-shared/profile';
import { parentOf } from './chain';
import type { Core } from './core';
import { RolecallError } from './errors';

function accountAndRole(p: Profile): { accountId: string | null; roleName: string | null } {
  if (p.kind === 'sso-role') return { accountId: p.accountId, roleName: p.roleName };
  if ('roleArn' in p) {
    const m = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(p.roleArn);
    return { accountId: m?.[1] ?? null, roleName: m?.[2] ?? null };
  }
  return { accountId: null, roleName: null };
}

export function profileView(p: Profile, expiresAt: Date | undefined): ProfileView {
  return {
    name: p.name,
    kind: p.kind,
    ...accountAndRole(p),
    roleArn: 'roleArn' in p ? p.roleArn : null,
    region: p.region ?? null,
    source: parentOf(p) ?? (p.kind === 'sso-role' ? p.ssoSession : null),
    favorite: p.favorite ?? false,
    expiresAt: expiresAt ? expiresAt.toISOString() : null,
  };
}

export async function listProfileViews(core: Pick<Core, 'state' | 'broker'>, state?: AppState): Promise<ProfileView[]> {
  const s = state ?? (await core.state.load());
  const live = new Map((await core.broker.sessions()).map((x) => [x.profile, x.expiration]));
  return s.profiles.map((p) => profileView(p, live.get(p.name)));
}

export function createRolecallApi(core: Pick<Core, 'state' | 'broker'>): RolecallApi {
  return {
    listProfiles: () => listProfileViews(core),
    startSession: async (name) => {
      const creds = await core.broker.credentials(name);
      const p = (await core.state.load()).profiles.find((x) => x.name === name);
      if (!p) throw new RolecallError(`profile '${name}' does not exist`, 'not-found');
      return profileView(p, creds.expiration);
    },
    stopSession: async (name) => {
      await core.broker.forget(name);
      return null;
    },
  };
}
