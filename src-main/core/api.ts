// RolecallApi, implemented once over the core; the Electron preload, the web bridge and
// `rolecall list` all show the same views. What leaves here never holds a secret: a face that can
// reach the clipboard or the browser without the page (Electron) does the secret part itself,
// through the host functions.
import type { ProfileRow, ProfileView, RolecallApi, SignInView } from '../../src-shared/api';
import type { AppState, Credentials, IamUserProfile, Profile } from '../../src-shared/profile';
import { ApiEvents } from './api-events';
import { chainOf, parentOf } from './chain';
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
    source: parentOf(p) ?? (p.kind === 'sso-role' ? p.ssoSession : p.kind === 'saml-role' || p.kind === 'oidc-role' ? p.integration : null),
    favorite: p.favorite ?? false,
    expiresAt: expiresAt ? expiresAt.toISOString() : null,
  };
}

/** Account id -> its name, from the Identity Center profiles (the only source of account names). */
export function accountNames(state: AppState): Map<string, string> {
  const names = new Map<string, string>();
  for (const p of state.profiles) if (p.kind === 'sso-role' && p.accountName && !names.has(p.accountId)) names.set(p.accountId, p.accountName);
  return names;
}

export function profileRow(
  state: AppState,
  p: Profile,
  session: { expiration?: Date; refreshAt?: Date } | undefined,
  lastUsedAt: number | undefined,
  names: Map<string, string> = accountNames(state),
): ProfileRow {
  const view = profileView(p, session?.expiration);
  return {
    ...view,
    // An assumed role's account name: the Identity Center name of the same account, when one is known.
    accountName: p.kind === 'sso-role' ? (p.accountName ?? null) : view.accountId ? (names.get(view.accountId) ?? null) : null,
    alias: p.alias ?? null,
    isDefault: state.settings.defaultProfile === p.name,
    refreshAt: session?.refreshAt ? session.refreshAt.toISOString() : null,
    chainDepth: p.kind === 'assume-role' ? Math.max(0, chainOf(state.profiles, p.name).hops.filter((h) => h.profile.kind === 'assume-role').length - 1) : 0,
    lastUsedAt: lastUsedAt ?? null,
  };
}

export async function listProfileViews(core: Pick<Core, 'state' | 'broker'>, state?: AppState): Promise<ProfileView[]> {
  const s = state ?? (await core.state.load());
  const live = new Map((await core.broker.sessions()).map((x) => [x.profile, x.expiration]));
  return s.profiles.map((p) => profileView(p, live.get(p.name)));
}

export interface ApiHost {
  /** Opens the browser without the page seeing the address (Electron's shell.openExternal). Absent: the page opens a one-time link. */
  openExternal?: (url: string) => Promise<void>;
  /** Writes the clipboard without the page seeing the text (Electron). Absent: only secret-free text goes to the page. */
  writeClipboard?: (text: string) => void;
  /** The credential_process value that answers for a profile. */
  credentialProcess?: (profile: string) => string;
  /** AWS settings for console sign-in (endpoints, default region). */
  env?: NodeJS.ProcessEnv;
}

export type CoreApi = RolecallApi & { events: ApiEvents };

type ApiCore = Pick<Core, 'state' | 'broker' | 'sso' | 'secrets'>;

/** export lines for a POSIX shell, single-quoted (nothing inside is expanded). */
export function exportLines(profile: string, c: Credentials, region?: string): string {
  const q = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  const lines = [`export AWS_ACCESS_KEY_ID=${q(c.accessKeyId)}`, `export AWS_SECRET_ACCESS_KEY=${q(c.secretAccessKey)}`];
  lines.push(c.sessionToken ? `export AWS_SESSION_TOKEN=${q(c.sessionToken)}` : 'unset AWS_SESSION_TOKEN');
  if (c.expiration) lines.push(`export AWS_CREDENTIAL_EXPIRATION=${q(c.expiration.toISOString())}`);
  if (region) lines.push(`export AWS_REGION=${q(region)}`);
  lines.push(`# rolecall profile ${profile}`);
  return lines.join('\n') + '\n';
}

export function createRolecallApi(core: ApiCore, host: ApiHost = {}, events = new ApiEvents()): CoreApi {
  const lastUsed = new Map<string, number>();
  const signingIn = new Map<string, AbortController>();

  const find = async (name: string): Promise<{ state: AppState; profile: Profile }> => {
    const state = await core.state.load();
    const profile = state.profiles.find((x) => x.name === name);
    if (!profile) throw new RolecallError(`profile '${name}' does not exist`, 'not-found');
    return { state, profile };
  };
  const row = async (name: string): Promise<ProfileRow> => {
    const { state, profile } = await find(name);
    const session = (await core.broker.sessions()).find((s) => s.profile === name);
    return profileRow(state, profile, session, lastUsed.get(name));
  };
  const signInView = async (name: string): Promise<SignInView> => {
    const session = (await core.sso.sessions()).find((s) => s.name === name);
    if (!session) throw new RolecallError(`no Identity Center instance named '${name}'`, 'not-found');
    const base = { name, kind: 'identity-center' as const, detail: session.startUrl, region: session.region };
    if (signingIn.has(name)) return { ...base, state: 'signing-in', expiresAt: null };
    const st = await core.sso.status(name);
    return { ...base, state: st.state, expiresAt: st.state === 'signed-in' ? st.expiresAt.toISOString() : null };
  };
  const iamUserKeys = async (user: IamUserProfile): Promise<Credentials> => {
    const [{ readJsonSecret }, { iamUserEntryName, IamUserSecret }] = await Promise.all([import('./secrets/secret-store'), import('./secrets/keychain-entries')]);
    const keys = await readJsonSecret(core.secrets, iamUserEntryName(user.name), IamUserSecret);
    if (!keys) throw new RolecallError(`profile '${user.name}': no secret access key for ${user.accessKeyId} in the keychain`, 'not-found', `run: rolecall iam-user add ${user.name}`);
    return keys;
  };

  return {
    events,
    ...events.methods(),
    listProfiles: async () => {
      const state = await core.state.load();
      const live = new Map((await core.broker.sessions()).map((x) => [x.profile, x]));
      const names = accountNames(state);
      return state.profiles.map((p) => profileRow(state, p, live.get(p.name), lastUsed.get(p.name), names));
    },
    listSignIns: async () => {
      const state = await core.state.load();
      const sso = await Promise.all(state.ssoSessions.map((s) => signInView(s.name)));
      const users: SignInView[] = state.profiles
        .filter((p): p is IamUserProfile => p.kind === 'iam-user')
        .map((p) => ({ name: p.name, kind: 'iam-user', state: 'keys', expiresAt: null, detail: p.mfaSerial ?? null, region: p.region ?? null }));
      return [...sso, ...users];
    },
    signIn: async (req) => {
      if (signingIn.has(req.name)) throw new RolecallError(`a sign-in to ${req.name} is already waiting for you`, 'conflict', 'finish it in the browser, or cancel it');
      const abort = new AbortController();
      signingIn.set(req.name, abort);
      try {
        events.emit('signInChanged', await signInView(req.name).catch(() => ({ name: req.name, kind: 'identity-center' as const, state: 'signing-in' as const, expiresAt: null, detail: req.startUrl ?? null, region: req.region ?? null })));
        await core.sso.login(
          { name: req.name, startUrl: req.startUrl, region: req.region, deviceCode: true, noBrowser: true, signal: abort.signal },
          {
            print: () => undefined, // the dialog shows the code; the printed lines say the same
            deviceCode: (d) => events.emit('deviceCode', { instance: req.name, done: false, userCode: d.userCode, verificationUri: d.verificationUri, verificationUriComplete: d.verificationUriComplete ?? null }),
          },
        );
      } finally {
        signingIn.delete(req.name);
        events.emit('deviceCode', { instance: req.name, done: true });
      }
      const view = await signInView(req.name);
      events.emit('signInChanged', view);
      return view;
    },
    cancelSignIn: async (name) => {
      signingIn.get(name)?.abort();
      return null;
    },
    sync: async (name) => {
      const r = await core.sso.sync(name, { onProgress: (p) => events.emit('syncProgress', { instance: name, ...p }) });
      events.emit('profilesChanged', {});
      return { name: r.name, accounts: r.accounts, roles: r.roles, added: r.added.length, removed: r.removed.length };
    },
    startSession: async (name, req = {}) => {
      await find(name);
      const creds = await core.broker.credentials(name, { mfaCode: req.mfaCode, forceRefresh: req.forceRefresh });
      lastUsed.set(name, Date.now());
      events.emit('sessionChanged', { profile: name, expiresAt: creds.expiration?.toISOString() ?? null });
      return row(name);
    },
    stopSession: async (name) => {
      await find(name);
      await core.broker.forget(name);
      events.emit('sessionChanged', { profile: name, expiresAt: null });
      return null;
    },
    openConsole: async (name) => {
      const { state } = await find(name);
      const [{ consoleLogin }, { openThroughRedirect }] = await Promise.all([import('./console/console-login'), import('./console/open-login')]);
      const login = await consoleLogin(
        {
          env: host.env ?? process.env,
          profiles: state.profiles,
          roleCredentials: (p) => core.broker.credentials(p),
          iamUserKeys,
          notice: (message) => events.emit('notice', { message }),
        },
        { profile: name },
      );
      lastUsed.set(name, Date.now());
      const description = `the ${login.partition.name} console for '${name}' in ${login.partition.region}`;
      if (host.openExternal) {
        await openThroughRedirect(login.url, host.openExternal);
        return { redirectUrl: null, description: `opened ${description}` };
      }
      // The page opens the one-time address itself; it answers once, then never again.
      let give: (u: string) => void = () => undefined;
      const link = new Promise<string>((resolve) => (give = resolve));
      openThroughRedirect(login.url, async (u) => give(u)).catch(() => undefined);
      return { redirectUrl: await link, description: `opening ${description}` };
    },
    copy: async (name, what) => {
      const { profile } = await find(name);
      if (what === 'credential-process') {
        const value = host.credentialProcess?.(name) ?? `rolecall credential-process --profile ${name}`;
        return { text: `credential_process = ${value}`, description: `the credential_process line for '${name}'` };
      }
      if (host.writeClipboard) {
        const creds = await core.broker.credentials(name);
        host.writeClipboard(exportLines(name, creds, profile.region));
        return { text: null, description: `export lines for '${name}' (they hold its keys: paste them only into your own shell)` };
      }
      // Without a clipboard of its own, the page gets the command that prints them, not the keys.
      return { text: `eval "$(rolecall env ${name})"`, description: `the command that sets '${name}''s credentials in a shell` };
    },
    makeDefault: async (name) => {
      await find(name);
      await core.state.update((s) => {
        s.settings.defaultProfile = name;
      });
      events.emit('profilesChanged', {});
      return { message: `'${name}' is now the default profile` };
    },
    editProfile: async (name, edit) => {
      const { editProfile } = await import('./profiles');
      const set: Record<string, unknown> = {};
      const clear: string[] = [];
      for (const key of ['alias', 'region'] as const) {
        if (edit[key] === null) clear.push(key);
        else if (edit[key] !== undefined) set[key] = edit[key];
      }
      await editProfile(core.state, name, set, clear);
      return row(name);
    },
    setFavorite: async (name, favorite) => {
      await find(name);
      await core.state.update((s) => {
        const p = s.profiles.find((x) => x.name === name);
        if (p) p.favorite = favorite;
      });
      return row(name);
    },
  };
}
