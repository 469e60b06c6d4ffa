// RolecallApi, implemented once over the core; the Electron preload, the web bridge and
// `rolecall list` all show the same views. What leaves here never holds a secret: a face that can
// reach the clipboard or the browser without the page (Electron) does the secret part itself,
// through the host functions.
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ProfileRow, ProfileView, RolecallApi, SettingsView, SignInView } from '../../src-shared/api';
import type { AppState, Credentials, IamUserProfile, Profile, SsoSession } from '../../src-shared/profile';
import { ApiEvents } from './api-events';
import { chainOf, indexProfiles, parentOf, type ProfileIndex } from './chain';
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

// Plain literals, not spreads: spreading 10,000 views into rows took 100 ms and more, literals a few.
export function profileView(p: Profile, expiresAt: Date | undefined): ProfileView {
  const { accountId, roleName } = accountAndRole(p);
  return {
    name: p.name,
    kind: p.kind,
    accountId,
    roleName,
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
  profiles: ProfileIndex | readonly Profile[] = state.profiles,
): ProfileRow {
  const view = profileView(p, session?.expiration);
  return {
    name: view.name,
    kind: view.kind,
    accountId: view.accountId,
    roleName: view.roleName,
    roleArn: view.roleArn,
    region: view.region,
    source: view.source,
    favorite: view.favorite,
    expiresAt: view.expiresAt,
    // An assumed role's account name: the Identity Center name of the same account, when one is known.
    accountName: p.kind === 'sso-role' ? (p.accountName ?? null) : view.accountId ? (names.get(view.accountId) ?? null) : null,
    alias: p.alias ?? null,
    isDefault: state.settings.defaultProfile === p.name,
    refreshAt: session?.refreshAt ? session.refreshAt.toISOString() : null,
    chainDepth: p.kind === 'assume-role' ? Math.max(0, chainOf(profiles, p.name).hops.filter((h) => h.profile.kind === 'assume-role').length - 1) : 0,
    lastUsedAt: lastUsedAt ?? null,
  };
}

/** Two rows of plain values with the same fields and values (no key lists made: 10,000 rows are compared on every change). */
function sameRow(a: ProfileRow, b: ProfileRow): boolean {
  let n = 0;
  for (const k in b) {
    if (a[k as keyof ProfileRow] !== b[k as keyof ProfileRow]) return false;
    n++;
  }
  for (const _k in a) n--;
  return n === 0;
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
  /** Opens the console's one-time address with the consoleBrowser setting's browser (absent: the system's); else openExternal. */
  openConsoleUrl?: (url: string, consoleBrowser: string | undefined) => Promise<void>;
  /** The credential_process value that answers for a profile. */
  credentialProcess?: (profile: string) => string;
  /** AWS settings for console sign-in (endpoints, default region). */
  env?: NodeJS.ProcessEnv;
  /** The demo against the sandbox: sets up its organization's sign-ins and profiles; says what it did. */
  demo?: () => Promise<string>;
  /** Electron's SAML login window: the SAMLResponse the IdP posts to AWS for this integration. Absent: the page pastes one. */
  captureSamlResponse?: (integration: string) => Promise<string>;
  /** The installed app's `rolecall` launcher to link on PATH (installCli), or why this install has none. Absent: a face without one (the web bridge). */
  cli?: { target: string } | { unavailable: string };
  /** Where installCli links it (cliLinkDir by default). */
  cliLinkDir?: () => Promise<string>;
}

export type CoreApi = RolecallApi & { events: ApiEvents };

type ApiCore = Pick<Core, 'state' | 'broker' | 'sso' | 'secrets' | 'oidc' | 'paths'>;

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
  /** AWS sign-ins waiting for the code the person pastes: what gives it, and the sign-in's end. */
  const awsSignIns = new Map<string, { give: (code: string) => void; done: Promise<unknown> }>();
  const signingIn = new Map<string, AbortController>();
  /** SAML integrations whose login window is open (signInSamlWindow). */
  const samlWindows = new Set<string>();
  // The pasted SAMLResponse and the login window's captured one sign in the same way.
  const signInSaml = async (name: string, samlResponse: string) => {
    const { signInWithSamlResponse } = await import('./saml/sign-in');
    const signedIn = await signInWithSamlResponse(
      { state: core.state, secrets: core.secrets, env: host.env ?? process.env, forgetProfile: (p) => core.broker.forget(p) },
      { integration: name, samlResponse: samlResponse.replace(/\s+/g, ''), onNotice: (message) => events.emit('notice', { message }) },
    );
    for (const r of signedIn) events.emit('sessionChanged', { profile: r.profile, expiresAt: r.expiration.toISOString() });
    events.emit('profilesChanged', {});
    const view = await samlView(await core.state.load(), name);
    events.emit('signInChanged', view);
    return view;
  };

  // The rows of the state file as last read, without sessions: rebuilt only when the file changed
  // (every write renames a new file in, so its inode, mtime or size differ) or this API changed it.
  // Frozen, so the web bridge may trust a row it has checked once (see checkResult in web/server.ts);
  // a rebuilt row equal to the one before is that same object, so a change of one profile leaves
  // the other 9,999 checked (and their JSON made) as they were.
  type Listing = { key: string; state: AppState; rows: readonly ProfileRow[] };
  let cached: Listing | undefined;
  let building: Promise<Listing> | undefined;
  const fileKey = async (): Promise<string> => {
    const file = (core.state as { file?: string }).file;
    const st = file ? await stat(file, { bigint: true }).catch(() => undefined) : undefined;
    return st ? `${st.ino}:${st.mtimeNs}:${st.size}` : '';
  };
  const build = async (key: string): Promise<Listing> => {
    const state = await core.state.read();
    const names = accountNames(state);
    // Only assumed roles walk their chain (for their depth).
    const index = state.profiles.some((p) => p.kind === 'assume-role') ? indexProfiles(state.profiles) : state.profiles;
    const before = new Map(cached?.rows.map((r) => [r.name, r]));
    // In name order: the window groups them in that order, and sorts nothing when it is already so.
    const rows = state.profiles
      .map((p) => {
        const row = profileRow(state, p, undefined, undefined, names, index);
        const old = before.get(row.name);
        return old && sameRow(old, row) ? old : Object.freeze(row);
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    cached = { key, state, rows };
    return cached;
  };
  const listing = async (): Promise<Listing> => {
    for (;;) {
      const key = await fileKey();
      if (cached && key && cached.key === key) return cached;
      // One build at a time; after it, look at the file again (it may have changed meanwhile).
      if (building) {
        await building.catch(() => undefined);
        continue;
      }
      building = build(key).finally(() => (building = undefined));
      return building;
    }
  };
  // The listing is made when the state file changes (whoever wrote it: this process, the CLI, a
  // sync), not when the window asks; the faces hear profilesChanged and may prepare theirs too.
  // Started by the first listProfiles (a face shows the list); never keeps the process alive.
  let watching: FSWatcher | undefined;
  let settle: ReturnType<typeof setTimeout> | undefined;
  let changedAt: number | undefined;
  let lastTold = 0;
  events.on('profilesChanged', () => (lastTold = Date.now()));
  const watchState = (): void => {
    const file = (core.state as { file?: string }).file;
    if (watching || !file) return;
    try {
      watching = watch(path.dirname(file), { persistent: false }, (_e, name) => {
        if (name !== path.basename(file)) return;
        clearTimeout(settle);
        changedAt ??= Date.now();
        // An atomic write is a rename or two: act once it has settled.
        settle = setTimeout(() => {
          const was = cached?.rows;
          // This API's own changes said profilesChanged already, just after their write: once is enough.
          const told = lastTold > (changedAt ?? 0) - 100;
          changedAt = undefined;
          listing().then(
            (l) => l.rows !== was && !told && events.emit('profilesChanged', {}),
            () => undefined,
          );
        }, 20);
        settle.unref?.();
      });
      watching.on('error', () => {
        watching?.close();
        watching = undefined;
      });
    } catch {
      watching = undefined; // no data dir yet: the next listProfiles tries again
    }
  };
  let answered: { rows: readonly ProfileRow[]; key: string; list: readonly ProfileRow[] } | undefined;

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
  /** `sessions`: the instances as the caller has just read them. */
  const signInView = async (name: string, sessions?: readonly SsoSession[]): Promise<SignInView> => {
    const session = (sessions ?? (await core.sso.sessions())).find((s) => s.name === name);
    if (!session) throw new RolecallError(`no Identity Center instance named '${name}'`, 'not-found');
    const base = { name, kind: 'identity-center' as const, detail: session.startUrl, region: session.region };
    if (signingIn.has(name)) return { ...base, state: 'signing-in', expiresAt: null };
    const st = await core.sso.status(name, session);
    return { ...base, state: st.state, expiresAt: st.state === 'signed-in' ? st.expiresAt.toISOString() : null };
  };
  /** The latest end of the live sessions among these profiles: a SAML or aws-login sign-in lasts as long as they do. */
  const lastEnd = async (names: string[]): Promise<string | null> => {
    const ends = (await core.broker.sessions()).filter((x) => names.includes(x.profile)).flatMap((x) => (x.expiration ? [x.expiration.getTime()] : []));
    return ends.length ? new Date(Math.max(...ends)).toISOString() : null;
  };
  const samlView = async (state: AppState, name: string): Promise<SignInView> => {
    const i = state.samlIntegrations.find((x) => x.name === name);
    if (!i) throw new RolecallError(`no SAML integration named '${name}'`, 'not-found');
    const end = await lastEnd(state.profiles.filter((p) => p.kind === 'saml-role' && p.integration === name).map((p) => p.name));
    const now = samlWindows.has(name) ? 'signing-in' : end ? 'signed-in' : 'sign-in-required';
    return { name, kind: 'saml', state: now, expiresAt: end, detail: i.url, region: i.region ?? null };
  };
  const oidcView = async (state: AppState, name: string): Promise<SignInView> => {
    const i = state.oidcIntegrations.find((x) => x.name === name);
    if (!i) throw new RolecallError(`no OIDC integration named '${name}'`, 'not-found');
    const base = { name, kind: 'oidc' as const, detail: i.issuer, region: i.region ?? null };
    if (signingIn.has(name)) return { ...base, state: 'signing-in', expiresAt: null };
    const st = await core.oidc.status(name);
    return { ...base, state: st.state, expiresAt: st.state === 'signed-in' ? st.expiresAt.toISOString() : null };
  };
  const awsLoginView = async (p: Profile): Promise<SignInView> => {
    const { readAwsLoginSecret, accountOf } = await import('./login/store');
    const secret = await readAwsLoginSecret(core.secrets, p.name).catch(() => undefined);
    // The refresh token renews the session on use; without one the person must sign in again.
    return { name: p.name, kind: 'aws-login', state: secret ? 'signed-in' : 'sign-in-required', expiresAt: await lastEnd([p.name]), detail: secret ? accountOf(secret.loginSession) || null : null, region: p.region ?? null };
  };
  /**
   * Starts an AWS sign-in, cross device, for profile NAME (made or updated when it ends): answers
   * the authorize address; finishAwsSignIn gives it the code that page shows.
   */
  const beginAwsSignIn = async (name: string, region: string, writeAwsLoginCache: boolean | undefined): Promise<{ url: string }> => {
    const [{ signInWithAws }, { keepAwsSignIn }] = await Promise.all([import('./login/sign-in'), import('./login/manage')]);
    const env = host.env ?? process.env;
    // A new start replaces one left waiting.
    awsSignIns.get(name)?.give('');
    let url: (u: string) => void = () => undefined;
    let failed: (e: unknown) => void = () => undefined;
    const told = new Promise<string>((resolve, reject) => ((url = resolve), (failed = reject)));
    let give: (code: string) => void = () => undefined;
    const pasted = new Promise<string>((resolve) => (give = resolve));
    const done = signInWithAws(
      { name, region, env, remote: true },
      {
        tell: (line) => {
          const m = /https?:\/\/\S+/.exec(line);
          if (m) url(m[0]);
        },
        readCode: () => pasted,
      },
    ).then((signedIn) => keepAwsSignIn({ state: core.state, secrets: core.secrets, env, forgetProfile: (p) => core.broker.forget(p) }, { name, region, signedIn, writeAwsLoginCache }));
    done.catch(failed);
    awsSignIns.set(name, { give, done });
    return { url: await told };
  };
  const settingsView = (st: AppState): SettingsView => ({
    refreshAheadSeconds: st.settings.refreshAheadSeconds,
    consoleDurationSeconds: st.settings.consoleDurationSeconds ?? null,
    consoleBrowser: st.settings.consoleBrowser ?? null,
    profileNameTemplate: st.settings.profileNameTemplate,
    writeAwsConfig: st.settings.writeAwsConfig ?? true,
    launchAtLogin: st.settings.launchAtLogin ?? false,
  });
  const readAwsFiles = async () => {
    const { readFile } = await import('node:fs/promises');
    const read = (f: string) =>
      readFile(f, 'utf8').catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return '';
        throw new RolecallError(`cannot read ${f}: ${e.code ?? e}`, 'file');
      });
    const { importAwsConfig } = await import('./files/aws-config');
    const files = { config: core.paths.awsConfigFile, credentials: core.paths.awsCredentialsFile };
    return { files, imported: await importAwsConfig(await read(files.config), await read(files.credentials), files) };
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
      watchState();
      const { state, rows } = await listing();
      // The keychain is read behind the answer (what changed comes as sessionChanged): it was most of the first paint's wait.
      const sessions = await core.broker.sessions(state, { readBehind: true });
      const live = new Map(sessions.map((x) => [x.profile, x]));
      // The same (frozen) answer while nothing changed, so a face may keep what it made of it (the web bridge its JSON).
      const key = sessions.map((x) => `${x.profile} ${x.expiration?.getTime()} ${x.refreshAt?.getTime()}`).join('\n') + `|${[...lastUsed].join(',')}`;
      if (answered?.rows === rows && answered.key === key) return answered.list as ProfileRow[];
      // Only the rows with a session or a last use differ from the cached ones (few of 10,000).
      const list = Object.freeze(
        rows.map((r) => {
          const session = live.get(r.name);
          const used = lastUsed.get(r.name);
          if (!session && used === undefined) return r;
          return Object.freeze({ ...r, expiresAt: session?.expiration?.toISOString() ?? null, refreshAt: session?.refreshAt?.toISOString() ?? null, lastUsedAt: used ?? null });
        }),
      );
      answered = { rows, key, list };
      return list as ProfileRow[];
    },
    listSignIns: async () => {
      // The listing's state, read once per change of the file: parsing 10,000 profiles for each
      // instance's status took 120 ms, while the window was painting its list.
      const { state } = await listing();
      const sso = await Promise.all(state.ssoSessions.map((s) => signInView(s.name, state.ssoSessions)));
      const users: SignInView[] = state.profiles
        .filter((p): p is IamUserProfile => p.kind === 'iam-user')
        .map((p) => ({ name: p.name, kind: 'iam-user', state: 'keys', expiresAt: null, detail: p.mfaSerial ?? null, region: p.region ?? null }));
      const saml = await Promise.all(state.samlIntegrations.map((i) => samlView(state, i.name)));
      const oidc = await Promise.all(state.oidcIntegrations.map((i) => oidcView(state, i.name)));
      const awsLogin = await Promise.all(state.profiles.filter((p) => p.kind === 'aws-login').map(awsLoginView));
      return [...sso, ...saml, ...oidc, ...awsLogin, ...users];
    },
    addOidc: async (req) => {
      const { addOidcIntegration, DEFAULT_SCOPES } = await import('./oidc/integrations');
      await addOidcIntegration(core.state, { ...req, scopes: DEFAULT_SCOPES });
      events.emit('profilesChanged', {});
      return oidcView(await core.state.load(), req.name);
    },
    signInOidc: async (name) => {
      const before = await core.state.load();
      await oidcView(before, name);
      if (signingIn.has(name)) throw new RolecallError(`a sign-in to ${name} is already waiting for you`, 'conflict', 'finish it in the browser, or cancel it');
      const abort = new AbortController();
      signingIn.set(name, abort);
      try {
        events.emit('signInChanged', await oidcView(before, name));
        await core.oidc.login(
          name,
          { deviceCode: true, noBrowser: true, signal: abort.signal },
          {
            print: () => undefined,
            deviceCode: (d) => events.emit('deviceCode', { instance: name, done: false, userCode: d.userCode, verificationUri: d.verificationUri, verificationUriComplete: d.verificationUriComplete ?? null }),
          },
        );
      } finally {
        signingIn.delete(name);
        events.emit('deviceCode', { instance: name, done: true });
      }
      // The previous sign-in may have been another person's: its profiles' sessions end.
      const { oidcProfilesOf } = await import('./oidc/integrations');
      for (const p of oidcProfilesOf(before, name)) await core.broker.forget(p);
      const view = await oidcView(await core.state.load(), name);
      events.emit('signInChanged', view);
      return view;
    },
    addSaml: async (req) => {
      const { addSamlIntegration } = await import('./saml/integrations');
      await addSamlIntegration(core.state, req);
      return samlView(await core.state.load(), req.name);
    },
    signInSaml: (name, samlResponse) => signInSaml(name, samlResponse),
    signInSamlWindow: async (name) => {
      if (!host.captureSamlResponse) throw new RolecallError('the SAML login window is the desktop app\'s', 'invalid-input', 'paste the SAMLResponse your IdP posts to AWS instead');
      // The column shows the sign-in under way while the person is at the IdP's page.
      const state = await core.state.load();
      const before = await samlView(state, name); // an unknown name is refused before any window opens
      samlWindows.add(name);
      events.emit('signInChanged', { ...before, state: 'signing-in' });
      try {
        const samlResponse = await host.captureSamlResponse(name).finally(() => samlWindows.delete(name));
        return await signInSaml(name, samlResponse);
      } catch (e) {
        // The window closed, or AWS refused: the column shows the state as it is again.
        events.emit('signInChanged', await samlView(await core.state.load(), name));
        throw e;
      }
    },
    startAwsSignIn: async (name) => {
      const { profile } = await find(name);
      if (profile.kind !== 'aws-login') throw new RolecallError(`profile '${name}' is not an AWS sign-in`, 'invalid-input');
      const { defaultRegion } = await import('./aws/endpoints');
      return beginAwsSignIn(name, profile.region ?? defaultRegion(host.env ?? process.env), profile.writeAwsLoginCache);
    },
    addAwsSignIn: async ({ name, region }) => {
      const current = (await core.state.load()).profiles.find((p) => p.name === name);
      // Said now, not after the trip to the sign-in page (saveAwsLogin would refuse it then).
      if (current && current.kind !== 'aws-login') {
        throw new RolecallError(`profile '${name}' already exists and is not an AWS sign-in (it is ${current.kind})`, 'conflict', 'choose another name');
      }
      return beginAwsSignIn(name, region, current?.kind === 'aws-login' ? current.writeAwsLoginCache : undefined);
    },
    finishAwsSignIn: async (name, code) => {
      const waiting = awsSignIns.get(name);
      if (!waiting) throw new RolecallError(`no AWS sign-in for '${name}' is waiting for a code`, 'not-found', 'press Sign in again first');
      waiting.give(code);
      try {
        await waiting.done;
      } finally {
        if (awsSignIns.get(name) === waiting) awsSignIns.delete(name);
      }
      const state = await core.state.load();
      const view = await awsLoginView(state.profiles.find((p) => p.name === name)!);
      // A sign-in added from the window is a new profile.
      events.emit('profilesChanged', {});
      events.emit('signInChanged', view);
      return view;
    },
    appInfo: async () => ({ demo: !!host.demo, samlLoginWindow: !!host.captureSamlResponse, cliLink: !!host.cli && 'target' in host.cli }),
    installCli: async () => {
      const cli = host.cli ?? { unavailable: 'this face (the web bridge) has no command of its own to link: it already runs as rolecall' };
      if (!('target' in cli)) throw new RolecallError(`Cannot link the rolecall command: ${cli.unavailable}`, 'invalid-input');
      const { cliLinkDir, cliLinkMessage, linkCli } = await import('./files/cli-link');
      const env = host.env ?? process.env;
      const dir = await (host.cliLinkDir ?? (() => cliLinkDir(process.platform, env.HOME ?? os.homedir())))();
      return { message: cliLinkMessage(await linkCli(cli.target, dir, env.PATH)) };
    },
    useSandboxOrganization: async () => {
      if (!host.demo) throw new RolecallError('the sandbox organization is only there in the demo', 'invalid-input', 'run: npm run demo (or demo:web)');
      const message = await host.demo();
      events.emit('profilesChanged', {});
      return { message };
    },
    getSettings: async () => settingsView(await core.state.load()),
    saveSettings: async (edit) => {
      const next = await core.state.update((st) => {
        const s = st.settings;
        if (edit.refreshAheadSeconds !== undefined) s.refreshAheadSeconds = edit.refreshAheadSeconds;
        if (edit.profileNameTemplate !== undefined) s.profileNameTemplate = edit.profileNameTemplate;
        if (edit.writeAwsConfig !== undefined) s.writeAwsConfig = edit.writeAwsConfig;
        if (edit.launchAtLogin !== undefined) s.launchAtLogin = edit.launchAtLogin;
        // null: back to AWS's or the system's default.
        if (edit.consoleDurationSeconds !== undefined) s.consoleDurationSeconds = edit.consoleDurationSeconds ?? undefined;
        if (edit.consoleBrowser !== undefined) s.consoleBrowser = edit.consoleBrowser ?? undefined;
      });
      return settingsView(next);
    },
    previewImport: async () => {
      const { files, imported } = await readAwsFiles();
      const { importProfiles } = await import('./profiles');
      // The real import, run on a copy of the state that is never saved: the preview is exactly what confirming adds.
      const copy = structuredClone(await core.state.load());
      const r = await importProfiles({ update: async (fn) => (await fn(copy)) ?? copy }, imported);
      const kinds = new Map(imported.profiles.map((p) => [p.name, p.kind]));
      return {
        file: files.config,
        profiles: r.added.map((name) => ({ name, kind: kinds.get(name) ?? 'profile' })),
        ssoSessions: r.addedSsoSessions,
        skipped: [...imported.skipped, ...r.skipped],
      };
    },
    importConfig: async () => {
      const { imported } = await readAwsFiles();
      const { importProfiles } = await import('./profiles');
      const r = await importProfiles(core.state, imported);
      events.emit('profilesChanged', {});
      return { added: r.added, addedSsoSessions: r.addedSsoSessions, skipped: [...imported.skipped, ...r.skipped] };
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
        { profile: name, durationSeconds: state.settings.consoleDurationSeconds },
      );
      lastUsed.set(name, Date.now());
      const description = `the ${login.partition.name} console for '${name}' in ${login.partition.region}`;
      const open = host.openConsoleUrl ? (u: string) => host.openConsoleUrl!(u, state.settings.consoleBrowser) : host.openExternal;
      if (open) {
        await openThroughRedirect(login.url, open);
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
